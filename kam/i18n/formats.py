"""How numbers, money, percentages and dates read in each language: Babel, with what people write.

Babel's defaults are not what a sales team writes (``CN¥68M``, ``82%``): money reads
¥6,840万 or ¥1.2亿 in Chinese and ¥68.4M in English, percentages with one decimal (81.8%).
Tables, captions and the brief show dates as 2026-11-20 in both languages; prose_date (2026年11月20日,
20 Nov 2026) is left to the time of a change said in a message (kam.present.formatting.moment).
An undefined value is '–', never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from kam.i18n import babel_locale, language

MISSING = "–"
YUAN = "¥"
# Chinese counts large amounts in 万 (10⁴) and 亿 (10⁸).
CHINESE_UNITS = ((1e8, "亿"), (1e4, "万"))


def _locale(lang: str | None) -> Locale:
    return babel_locale(lang or language())


def number(value: float | None, digits: int = 0, lang: str | None = None) -> str:
    """A count or amount with grouping: 1,234,568."""
    if value is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def money(value: float | None, lang: str | None = None) -> str:
    """An amount in full: ¥68,400,000."""
    return MISSING if value is None else _signed(value, lambda v: YUAN + number(v, 0, lang))


def money_short(value: float | None, lang: str | None = None) -> str:
    """An amount that fits a card or an axis: ¥6,840万 / ¥1.2亿 (zh), ¥68.4M / ¥1.2B (en)."""
    if value is None:
        return MISSING
    return _signed(value, lambda v: YUAN + short_number(v, lang))


def short_number(value: float, lang: str | None = None) -> str:
    """A positive number in the units people use: 6,840万 / 1.2亿 (zh), 68.4M (en); small ones in full."""
    lang = lang or language()
    if lang == "zh-CN":
        for size, unit in CHINESE_UNITS:
            if value >= size:
                scaled = value / size
                pattern = "#,##0" if scaled >= 100 else "#,##0.#"
                return format_decimal(scaled, format=pattern, locale=_locale(lang)) + unit
        return number(value, 0, lang)
    if value < 1e4:
        return number(value, 0, lang)
    return format_compact_decimal(value, locale=_locale(lang), fraction_digits=1)


def _signed(value: float, positive: Callable[[float], str]) -> str:
    return "-" + positive(-value) if value < 0 else positive(value)


def percent(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A share as a percentage: 0.818 → 81.8%."""
    if value is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=_locale(lang))


# How a date field (st.date_input) writes its date: as tables do, 2026-11-20, in every language.
DATE_FIELD = "YYYY-MM-DD"


def table_date(value: date | datetime | None) -> str:
    """A date in a table or file: 2026-11-20 in every language."""
    if value is None:
        return MISSING
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def prose_date(value: date | datetime | None, lang: str | None = None) -> str:
    """A date in a sentence: 2026年11月20日 (zh), 20 Nov 2026 (en)."""
    if value is None:
        return MISSING
    lang = lang or language()
    pattern = "y年M月d日" if lang == "zh-CN" else "d MMM y"
    return format_date(value, pattern, locale=_locale(lang))
