"""Every widget callback speaks the session's language.

Streamlit runs a callback before the script run that sets the language, on a thread that may not have it:
a message the callback leaves ("Plan saved", "This is not an e-mail address") would be English on a
Chinese screen unless the callback is wrapped in kam.ui.language.speaking.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "kam" / "ui").glob("*.py"))]
# Callbacks that leave no message in any language: the language switch itself (it sets the language).
SILENT = {("kam/ui/language.py", "changed")}


def _imported_modules(tree: ast.Module) -> dict[str, str]:
    """Names a file gives to the kam.ui modules it imports: {"form": "kam.ui.relations_forms", ...}."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "kam.ui":
            names |= {alias.asname or alias.name: f"kam.ui.{alias.name}" for alias in node.names}
    return names


def _decorated(tree: ast.Module, name: str) -> bool:
    return any(
        isinstance(node, ast.FunctionDef)
        and node.name == name
        and any(ast.unparse(decorator) == "language.speaking" for decorator in node.decorator_list)
        for node in ast.walk(tree)
    )


def callbacks() -> list[tuple[str, str, bool]]:
    """Every on_click/on_change callback named in the UI's files: (file, callback, whether it speaks)."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = _imported_modules(tree)
        file = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.keyword) and node.arg in ("on_click", "on_change")):
                continue
            value = node.value
            if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id in modules:
                function = getattr(importlib.import_module(modules[value.value.id]), value.attr)
                found.append((file, ast.unparse(value), hasattr(function, "__wrapped__")))
            elif isinstance(value, ast.Name) and (file, value.id) not in SILENT:
                found.append((file, value.id, _decorated(tree, value.id)))
            elif isinstance(value, ast.Lambda) and isinstance(value.body, ast.Call):
                # A lambda's call: checked like a callback named directly (st.login and the like excepted).
                called = value.body.func
                named = isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name)
                if named and called.value.id in modules:
                    function = getattr(importlib.import_module(modules[called.value.id]), called.attr)
                    found.append((file, ast.unparse(called), hasattr(function, "__wrapped__")))
    return found


def test_every_callback_speaks_the_sessions_language():
    found = callbacks()
    # The plans, reviews, contacts, visit and sign-in forms' callbacks are all found.
    assert {"form.save_plan", "form.tick_action", "form.save_contact", "visit_form.submit"} <= {c for _, c, _ in found}
    assert [(file, callback) for file, callback, speaks in found if not speaks] == []
