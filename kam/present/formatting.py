"""How figures read on screen: an undefined value is '–', never 0."""

from __future__ import annotations

from typing import Any

MISSING = "–"


def percent(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else f"{value * 100:.{digits}f}%"


def money(value: float | None) -> str:
    return MISSING if value is None else f"¥{value:,.0f}"


def money_short(value: float | None) -> str:
    """An amount that fits a metric card: ¥4,900, ¥377.8M, ¥1.25B."""
    if value is None:
        return MISSING
    for size, suffix, digits in ((1e9, "B", 2), (1e6, "M", 1)):
        if abs(value) >= size:
            return f"¥{value / size:,.{digits}f}{suffix}"
    return money(value)


def number(value: Any, digits: int = 0) -> str:
    return MISSING if value is None else f"{value:,.{digits}f}"


# st.metric draws a grey, arrowless delta only for the text "0"; "+0.0 pp" would be a rise.
NO_CHANGE = "0"


def _signed(text: str) -> str:
    """A formatted change, or NO_CHANGE when it rounds to nothing."""
    return NO_CHANGE if text.lstrip("+-").strip("0.,% pt") == "" else text


def delta_points(now: float | None, before: float | None) -> str | None:
    """Change of a share in percentage points, for a metric card."""
    return None if now is None or before is None else _signed(f"{(now - before) * 100:+.1f} pp")


def delta_relative(now: float | None, before: float | None) -> str | None:
    """Relative change of an amount or count, for a metric card."""
    if now is None or not before:
        return None
    return _signed(f"{now / before - 1:+.1%}")


def delta_number(now: float | None, before: float | None, digits: int = 0) -> str | None:
    return None if now is None or before is None else _signed(f"{now - before:+,.{digits}f}")


def hours(value: float | None, digits: int = 1) -> str:
    """A duration in hours for a metric card: 13.0 h."""
    return MISSING if value is None else f"{value:,.{digits}f} h"
