"""No Python function runs inside a Polars expression: Polars' worker threads would need the interpreter's lock.

Twenty overviews drawn at once stopped the server for good: a page's thread held the lock while it
waited for Polars' threads, which waited for the lock to call `money` (a map_elements in the revenue
chart). Values are said in Python instead (kam.present.text.each_said).
"""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl

from kam.present.text import each_said

ROOT = Path(__file__).resolve().parents[2]
# The Polars methods that call back into Python for each value, batch, row or group.
CALLING_PYTHON = {"map_elements", "map_batches", "map_rows", "map_groups", "apply"}


def test_no_polars_expression_calls_python():
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "kam").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}"
        for path in sources
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLING_PYTHON
    ]
    assert found == []


def test_each_value_said_in_python_keeps_nulls_and_the_name():
    said = each_said(pl.Series("revenue", [1200.5, None, 0.0]), lambda v: f"¥{v:,.2f}")
    assert said.name == "revenue"
    assert said.to_list() == ["¥1,200.50", None, "¥0.00"]
