"""The package layers of kam/__init__.py, read from every module's imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KAM = ROOT / "kam"
# Lowest first. A package imports only from lower layers, or from itself.
LAYERS: dict[str, int] = {
    "config": 0,
    "i18n": 0,
    "vocabulary": 0,
    "logs": 0,
    "store": 1,
    "present": 1,
    "metrics": 2,
    "visits": 2,
    "people": 2,
    "relations": 2,
    "ingest": 3,
    "reports": 4,
    "jobs": 4,
    "ui": 5,
    "cli": 5,
    "__main__": 6,
}
STREAMLIT_ALLOWED = {"ui"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "kam":
                found += [(node.lineno, f"kam.{alias.name}") for alias in node.names]
    return found


def package_of(path: Path, root: Path) -> str:
    """The layer a file of kam/ belongs to: its subpackage, or its top-level module's name."""
    return path.relative_to(root).with_suffix("").parts[0]


def violations(root: Path = KAM) -> list[str]:
    """Every import that breaks the layering, as 'file:line: message'."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "__init__.py":
            continue
        own = package_of(path, root)
        for line, module in imported_modules(path):
            where = f"{path.relative_to(root.parent)}:{line}"
            top = module.split(".")[0]
            if top == "streamlit" and own not in STREAMLIT_ALLOWED:
                found.append(f"{where}: imports streamlit outside kam/ui")
            if top != "kam" or module == "kam":
                continue
            target = module.split(".")[1]
            if target == own:
                continue
            if target not in LAYERS:
                found.append(f"{where}: imports kam.{target}, which has no layer")
            elif LAYERS[target] >= LAYERS[own]:
                found.append(f"{where}: kam.{own} (layer {LAYERS[own]}) imports kam.{target} (layer {LAYERS[target]})")
    return found


def test_every_package_has_a_layer():
    packages = {p.name for p in KAM.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in KAM.glob("*.py") if p.stem != "__init__"}
    assert packages | modules <= set(LAYERS)


def test_no_module_imports_above_its_layer_or_streamlit_outside_ui():
    assert violations() == []


@pytest.mark.parametrize(
    ("package", "line", "expected"),
    [
        ("metrics", "from kam.ui import dashboard", "kam.metrics (layer 2) imports kam.ui (layer 5)"),
        ("people", "from kam.metrics import visits", "kam.people (layer 2) imports kam.metrics (layer 2)"),
        ("store", "import streamlit as st", "imports streamlit outside kam/ui"),
        ("reports", "from kam import dashboard", "imports kam.dashboard, which has no layer"),
    ],
)
def test_a_violation_is_found(tmp_path: Path, package: str, line: str, expected: str):
    fake = tmp_path / "kam"
    (fake / package).mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / package / "bad.py").write_text(f'"""A module that breaks the layering."""\n\n{line}\n')
    assert violations(fake) == [f"kam/{package}/bad.py:3: {expected}"]
