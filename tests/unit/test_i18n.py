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


@pytest.mark.parametrize(
    ("language", "ordered", "cause", "account_user", "buying_role"),
    [("zh-CN", "产品", "产品背离", "用户", "使用者"), ("en", "Product", "Product", "User", "User")],
)
def test_one_english_word_two_meanings(language, ordered, cause, account_user, buying_role):
    """The article ordered and the cause of churn, a user account and a buyer's role, read apart in Chinese."""
    from kam.present.columns import CHURN_REASON_LABELS, COLUMNS, CONTACT_ROLE_LABELS
    from kam.vocabulary import CHURN_REASON_TERMS

    token = i18n.use_language(language)
    try:
        assert i18n._(COLUMNS["product"].label) == ordered
        assert i18n._(CHURN_REASON_LABELS["product"]) == cause
        assert i18n._(dict((t.code, t.en) for t in CHURN_REASON_TERMS)["product"]) == cause
        assert i18n._("User") == account_user
        assert i18n._(CONTACT_ROLE_LABELS["user"]) == buying_role
        assert i18n.pgettext("buying role", "User") == buying_role
        # Overdue for a visit, and overdue money.
        assert i18n.pgettext("receivables", "Overdue") == ("逾期应收款" if language == "zh-CN" else "Overdue")
        assert i18n._("Overdue") == ("逾期未拜访" if language == "zh-CN" else "Overdue")
    finally:
        i18n._language.reset(token)


@pytest.mark.parametrize(
    ("language", "record", "target_to_date", "sponsor"),
    [("zh-CN", "对象", "截至目前目标", "行政支持者"), ("en", "Target", "Target to date", "Executive sponsor")],
)
def test_the_audit_logs_target_and_the_executive_sponsor(language, record, target_to_date, sponsor):
    """The record an audit event changed is not the revenue target; the sponsor is the glossary's 行政支持者."""
    from kam.present.columns import AUDIT_LOG, COLUMNS

    token = i18n.use_language(language)
    try:
        assert i18n._(AUDIT_LOG["target"].label) == record
        assert i18n._(COLUMNS["target"].label) == target_to_date
        assert i18n._("Executive sponsor") == sponsor
    finally:
        i18n._language.reset(token)
