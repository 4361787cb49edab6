"""The brief's cards write money as the overview's cards do: the short form (¥874万, ¥8.7M), never in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from kam import i18n
from kam.reports.brief import headline
from tests.unit.test_brief import YEAR


def figures(revenue: float) -> dict[str, Any]:
    """Headline figures (as kam.reports.snapshot.headline_figures gives them) with this revenue in the period."""
    return {
        "active_accounts": {"total": 10, "A": 3, "B": 3, "C": 4},
        "visit_coverage": {"total": 0.8},
        "visit_attainment": 0.9,
        "complaint_sla": {"met_pct": 0.75},
        "satisfaction": {"mean": 4.0, "responses": 5},
        "revenue": {"period": revenue, "attainment": 1.0},
        "churn_rate": 0.0,
    }


@pytest.mark.parametrize(("language", "shown"), [("zh-CN", "¥874万"), ("en", "¥8.7M")])
def test_the_briefs_revenue_card_reads_as_the_overviews(language: str, shown: str):
    # 8,742,159 is 874.2159万 (from 100万 on without a decimal), or 8.742159 million.
    with i18n.speaking(language):
        cards = {card.label: card for card in headline(figures(8_742_159.0), figures(4_371_079.5), YEAR)}
        revenue = cards[i18n._("Revenue")]
    assert revenue.value == shown
    # Twice the previous period's: +100.0%.
    assert revenue.change == "+100.0%"


@pytest.mark.parametrize(
    ("language", "why", "unsurveyed", "first"),
    [
        ("en", "no visit planned in 7 days", "no survey in the period", "no earlier figure"),
        ("zh-CN", "7 天内无计划拜访", "本期没有满意度调查", "无上期数据"),
    ],
)
def test_a_card_without_a_figure_says_why_not_that_the_earlier_one_is_missing(
    language: str, why: str, unsurveyed: str, first: str
):
    # A week is shorter than every cadence (A 30 days): no visit is planned in it, so no attainment; and no survey
    # was answered in it, so no satisfaction.
    week = replace(YEAR, start=date(2026, 6, 24), end=date(2026, 6, 30))
    none = {"visit_attainment": None, "satisfaction": {"mean": None, "responses": 0}}
    now, before = figures(100.0) | none, figures(100.0) | none
    with i18n.speaking(language):
        cards = {card.label: card for card in headline(now, before, week)}
        attainment = cards[i18n._("Visit attainment")]
        assert (attainment.value, attainment.note) == ("–", why)
        satisfaction = cards[i18n._("Satisfaction (mean 1–5)")]
        assert (satisfaction.value, satisfaction.note) == ("–", unsurveyed)
        # A figure whose previous period has none says so.
        first_year = figures(100.0) | {"churn_rate": 0.05}
        churn = {card.label: card for card in headline(first_year, before | {"churn_rate": None}, week)}
        assert churn[i18n._("Churn rate")].note == first
