"""How figures read on screen, in the run's language: an undefined value is '–', never 0.

Money, percentages, numbers and dates come from kam.i18n.formats, so that pages, downloads
and the brief read alike in each language (¥6,840万 in Chinese, ¥68.4M in English).

Money reads one way by where it stands, so that one screen never writes an amount two ways:
- a headline figure (a metric card, the brief's cards) and money in a sentence (a caption, a
  heading, a chart's labels and axis) in the short form, ``money_short``: ¥874万 / ¥1.2亿 in
  Chinese, ¥8.7M in English;
- a table cell, the tooltip of a card that gives the exact amount behind it ("¥8,742,159 in
  all"), and every download (CSV) in full, ``money``: ¥8,742,159.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from kam.i18n import _, formats, ngettext

MISSING = formats.MISSING


def percent(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A share as a percentage: 0.818 → 81.8%."""
    return formats.percent(value, digits, lang)


def money(value: float | None, lang: str | None = None) -> str:
    """An amount in full, for a table cell, a card's tooltip or a download: ¥68,400,000."""
    return formats.money(value, lang)


def money_short(value: float | None, lang: str | None = None) -> str:
    """An amount on a card or in a sentence: ¥6,840万 / ¥1.2亿 (zh), ¥68.4M / ¥1.2B (en)."""
    return formats.money_short(value, lang)


def number(value: Any, digits: int = 0, lang: str | None = None) -> str:
    """A count or mean with grouping: 1,234 or 4.25."""
    return formats.number(value, digits, lang)


def beside_id(name: str | None, id_: str) -> str:
    """A name beside its id, as the pages, the downloads and the brief write a manager or an account: 徐军 (M01);
    the id alone where there is no name."""
    return f"{name} ({id_})" if name else id_


def day(value: date | None) -> str:
    """A day in a caption, a sentence or a table: 2026-11-20 in every language."""
    return formats.table_date(value)


def day_time(value: datetime | None) -> str:
    """A point in time as a table cell or a caption writes it, to the minute: 2026-11-20 14:05 in every language."""
    return MISSING if value is None else f"{formats.table_date(value)} {value:%H:%M}"


def moment(value: datetime | None, lang: str | None = None) -> str:
    """A point in time in a sentence, to the minute: 2026年6月30日 14:05 (zh), 30 Jun 2026 14:05 (en)."""
    return MISSING if value is None else f"{formats.prose_date(value, lang)} {value:%H:%M}"


# st.metric draws a grey, arrowless delta only for the text "0"; "+0.0 pp" would be a rise.
NO_CHANGE = "0"


def change_said(change: str | None) -> str | None:
    """A change as it reads beside its figure: one that rounds to nothing says "no change", not a bare 0 that reads
    as a figure without its unit."""
    return _("no change") if change == NO_CHANGE else change


def _signed(text: str) -> str:
    """A formatted change, or NO_CHANGE when it rounds to nothing."""
    return NO_CHANGE if text.lstrip("+-").strip("0.,%") == "" else text


def too_long(typed: int, limit: int) -> str:
    """A text field's message when it holds more than limit characters: how many, and how many to cut."""
    # Said in numbers: on a phone a long note cannot be measured by eye.
    return _("At most {limit} characters: now {count}, {over} too many.").format(
        limit=number(limit), count=number(typed), over=number(typed - limit)
    )


def delta_points(now: float | None, before: float | None) -> str | None:
    """Change of a share in percentage points, for a metric card: +1.0 pp."""
    if now is None or before is None:
        return None
    change = f"{(now - before) * 100:+.1f}"
    return NO_CHANGE if _signed(change) == NO_CHANGE else _("{change} pp").format(change=change)


def delta_relative(now: float | None, before: float | None) -> str | None:
    """Relative change of an amount or count, for a metric card."""
    if now is None or not before:
        return None
    return _signed(f"{now / before - 1:+.1%}")


def delta_number(now: float | None, before: float | None, digits: int = 0) -> str | None:
    return None if now is None or before is None else _signed(f"{now - before:+,.{digits}f}")


def no_plan_agreed(key_accounts: int, planned: int, with_plan: int, year: int) -> str | None:
    """Why plan coverage reads 0.0%, in words beside the figure, where no A-account's plan of the year is agreed:
    none has a plan at all, or those that have one are not agreed yet. None where some plan is agreed, or where
    there is no A-account (the figure is then –)."""
    if not key_accounts or planned:
        return None
    if not with_plan:
        return _("No account plans for {year} yet").format(year=year)
    return ngettext(
        "{count} A-account has a plan for {year}, not agreed yet",
        "{count} A-accounts have a plan for {year}, none agreed yet",
        with_plan,
    ).format(count=number(with_plan), year=year)


def hours(value: float | None, digits: int = 1) -> str:
    """A duration in hours for a metric card: 13.0 h."""
    return MISSING if value is None else _("{hours} h").format(hours=number(value, digits))


# The steps an axis counts in, times a power of ten (no 2.5: ¥1.25亿 would read ¥1.2亿 with one decimal).
_NICE_STEPS = (1, 2, 5, 10)


def money_ticks(top: float | None, count: int = 5, lang: str | None = None) -> tuple[list[float], list[str]]:
    """Tick values from 0 to past top in round steps, with their text as money reads in the language:
    ¥0, ¥5,000万, ¥1亿 … in Chinese, ¥0, ¥50M, ¥100M … in English (Plotly's own ticks know no 万 or 亿)."""
    if not top or top <= 0:
        return [0.0], [formats.money_short(0, lang)]
    rough = top / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(nice * power for nice in _NICE_STEPS if nice * power >= rough)
    values = [step * i for i in range(math.ceil(top / step) + 1)]
    return values, [formats.money_short(value, lang) for value in values]
