"""Reporting periods: the named ones of the sidebar, and the previous period of the same length."""

from __future__ import annotations

from datetime import date, timedelta

from kam.i18n import LANGUAGES, N_, catalog

# Names marked for the catalogs; the sidebar translates them where shown.
PERIODS = {
    "this_week": N_("This week"),
    "last_week": N_("Last full week"),
    "month": N_("Month to date"),
    "quarter": N_("Quarter to date"),
    "half": N_("Half-year to date"),
    "ytd": N_("Year to date"),
    "custom": N_("Custom range"),
}
# The sidebar's period until the user picks another: the weekly meeting's last full week.
DEFAULT_PERIOD = "last_week"


def period_in_link(text: str | None) -> str:
    """The period a link names: its code (e.g. `month`), or its name in any of the interface's languages
    (links made before they carried the code); the default period when it names none."""
    return linked_period(text) or DEFAULT_PERIOD


def linked_period(text: str | None) -> str | None:
    """The period a link names, as period_in_link reads it; None when it names none the dashboard knows."""
    if text in PERIODS:
        return text
    for kind, name in PERIODS.items():
        if text == name or any(catalog(language).get(name) == text for language in LANGUAGES):
            return kind
    return None


def period_bounds(kind: str, as_of: date) -> tuple[date, date]:
    """First and last day of a named period containing as_of (last_week: the last full week ending by as_of)."""
    monday = as_of - timedelta(days=as_of.weekday())
    if kind == "this_week":
        return monday, monday + timedelta(days=6)
    if kind == "last_week":
        # Monday to Sunday: the week of as_of if as_of is its Sunday, else the week before.
        sunday = as_of if as_of.weekday() == 6 else monday - timedelta(days=1)
        return sunday - timedelta(days=6), sunday
    if kind == "month":
        start = as_of.replace(day=1)
        return start, _next_month(start) - timedelta(days=1)
    if kind == "quarter":
        start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
        return start, _add_months(start, 3) - timedelta(days=1)
    if kind == "half":
        start = date(as_of.year, 1 if as_of.month <= 6 else 7, 1)
        return start, _add_months(start, 6) - timedelta(days=1)
    if kind == "ytd":
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    raise ValueError(f"unknown period {kind!r}; expected one of {', '.join(PERIODS)}")


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before start."""
    length = end - start
    return start - length - timedelta(days=1), start - timedelta(days=1)


def _next_month(day: date) -> date:
    return _add_months(day.replace(day=1), 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
