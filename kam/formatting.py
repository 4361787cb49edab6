"""How figures read on screen: an undefined value is '–', never 0."""

from __future__ import annotations

from typing import Any

MISSING = "–"


def percent(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else f"{value * 100:.{digits}f}%"


def money(value: float | None) -> str:
    return MISSING if value is None else f"¥{value:,.0f}"


def number(value: Any, digits: int = 0) -> str:
    return MISSING if value is None else f"{value:,.{digits}f}"
