"""Formats per language, and which language a run speaks."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam import i18n
from kam.i18n import formats


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (68_400_000, "¥6,840万", "¥68.4M"),
        (120_000_000, "¥1.2亿", "¥120M"),
        (12_345, "¥1.2万", "¥12.3K"),
        (9_999, "¥9,999", "¥9,999"),
        (-68_400_000, "-¥6,840万", "-¥68.4M"),
        (None, "–", "–"),
    ],
)
def test_short_money(value, zh, en):
    assert formats.money_short(value, "zh-CN") == zh
    assert formats.money_short(value, "en") == en


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_percent_and_full_money(language):
    assert formats.percent(0.818, lang=language) == "81.8%"
    assert formats.percent(1, lang=language) == "100.0%"
    assert formats.money(7_380_123.79, language) == "¥7,380,124"


def test_dates():
    assert formats.table_date(datetime(2026, 11, 20, 15, 27, 56)) == "2026-11-20"
    assert formats.prose_date(date(2026, 11, 20), "zh-CN") == "2026年11月20日"
    assert formats.prose_date(date(2026, 11, 20), "en") == "20 Nov 2026"


@pytest.mark.parametrize(
    ("chosen", "browser", "default", "expected"),
    [
        ("en", "zh-CN", "zh-CN", "en"),
        (None, "en-GB", "zh-CN", "en"),
        (None, "zh-Hans-CN", "en", "zh-CN"),
        (None, "fr-FR", "zh-CN", "zh-CN"),
        (None, None, "en", "en"),
        ("xx", None, "yy", "en"),
    ],
)
def test_which_language(chosen, browser, default, expected):
    assert i18n.resolve(chosen, browser, default) == expected


def test_the_language_is_per_context():
    import contextvars

    def in_other_context() -> str:
        i18n.use_language("zh-CN")
        return i18n.language()

    assert contextvars.copy_context().run(in_other_context) == "zh-CN"
    assert i18n.language() == "en"
