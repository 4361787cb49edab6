"""The retention page: its lost revenue reads as the other pages' money cards (short, its full amount in the help), and
each repeat-purchase rate says its period and base."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.ui.language import CHOSEN
from tests.apptest import app, start
from tests.conftest import started
from tests.unit.test_risk import EXPORTS

# R6's W1 (2025-06-01, within the year before R6 churned) of 4,202,274 instead of 300.
LOSSES = EXPORTS | {"orders.csv": EXPORTS["orders.csv"].replace("W1,R6,2025-06-01,300,", "W1,R6,2025-06-01,4202274,")}


@pytest.fixture
def big_loss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from started(tmp_path, monkeypatch, LOSSES)


@pytest.mark.parametrize(
    ("language", "label", "shown"),
    [("zh-CN", "流失销售额", "¥420万"), ("en", "Lost revenue", "¥4.2M")],
    ids=["zh-CN", "en"],
)
def test_lost_revenue_reads_short_with_its_full_amount_in_the_help(
    big_loss: Path, language: str, label: str, shown: str
):
    at = app("retention", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    # R5 lost U2 20 + U3 80, R6 W1 4,202,274: 4,202,374 (420.2374万, 4.2 million).
    [card] = [m for m in at.metric if m.label == label]
    assert card.value == shown
    assert "¥4,202,374" in card.proto.help


def test_the_page_says_it_shows_the_year_to_date_not_the_sidebars_period(portfolio, offered_files):
    # The sidebar: the last full week before 2026-06-30 (06-22..06-28), figures taken at its end; the page: the
    # year to that same day.
    at = start("retention", as_of="2026-06-30", period="last_week")
    assert not at.exception
    assert [t.value for t in at.title] == ["Retention"]
    assert at.caption[0].value == (
        "This page shows the year to date, 2026-01-01 to 2026-06-28 (the last day of the sidebar's period): churn and "
        "repeat purchases over a few days say little."
    )
    # Its files are named by it too (K4 churned on 2026-05-15, within it).
    year = "2026-01-01_2026-06-28"
    names = ("churn-by-month", "churn-by-tier", "churn-by-region", "churn-by-manager", "churned-accounts")
    names += ("repeat-rate-by-quarter", "repeat-rate-by-tier")
    assert offered_files == {f"download-{name}": f"{name}_{year}.csv" for name in names}
    offered_files.clear()
    at.get("button_group")[0].set_value("sidebar").run()
    assert at.caption[0].value == (
        "Period 2026-06-22 to 2026-06-28, as of 2026-06-28  \n"
        "2026-06-28 is the period's last day; the sidebar's as-of date is 2026-06-30."
    )
    # The week's (no churn in it: no churn table), the quarters' repeat rates still of the year to date.
    assert offered_files == {
        "download-repeat-rate-by-tier": "repeat-rate-by-tier_2026-06-22_2026-06-28.csv",
        "download-repeat-rate-by-quarter": f"repeat-rate-by-quarter_{year}.csv",
    }
    # A Chinese screen names the year's files in Chinese.
    chinese = app("retention", as_of="2026-06-30", period="last_week")
    chinese.session_state[CHOSEN] = "zh-CN"
    chinese.run()
    assert chinese.caption[0].value == (
        "本页为本年至今：2026-01-01 至 2026-06-28（侧栏所选期间的最后一天）；几天内的客户背离和回头购买说明不了什么。"
    )
    assert offered_files["download-churned-accounts"] == f"背离客户_{year}.csv"
    assert offered_files["download-repeat-rate-by-tier"] == f"按客户等级的回头率_{year}.csv"


def test_each_repeat_rate_says_its_period_and_base(portfolio):
    # The year to 2026-06-30, against 2025-01-01..2025-12-31: K1 (O1, O2), K2 (O6) and K5 (O8) bought then, and
    # all three again in 2026 (O3, O5, O9): 3 of 3. Each quarter against its own 365 days before: Q1 3 accounts
    # (the same), 1 again (K2's O5); Q2 K1, K2 (O5), K5, 2 again (K1's O3, K5's O9). The year, longer, is higher.
    at = start("retention", as_of="2026-06-30")
    assert not at.exception
    [card] = [m for m in at.metric if m.label == "Repeat-purchase rate"]
    assert (card.value, card.proto.help) == (
        "100.0%",
        "3 of the 3 accounts that bought from 2025-01-01 to 2025-12-31 (the 365 days before the period) bought "
        "again from 2026-01-01 to 2026-06-30: the longer the period, the more time they have to buy again.",
    )
    titles = [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]
    assert titles[-2:] == [
        "Repeat-purchase rate by quarter of 2026",
        "Repeat-purchase rate by tier, 2026-01-01 to 2026-06-30",
    ]
    rates = next(f.value for f in at.dataframe if "period" in f.value.columns and "repeat_rate" in f.value.columns)
    assert [(p, b, round(r, 3)) for p, b, r in rates[["period", "base", "repeat_rate"]].itertuples(index=False)] == [
        ("2026 Q1", 3, 0.333),
        ("2026 Q2", 3, 0.667),
    ]
    assert (
        "Each rate: of the accounts that bought in the 365 days before its period, the share that bought again in "
        "it. The card and the rate by tier: 2026-01-01 to 2026-06-30; each quarter: its three months."
    ) in [c.value for c in at.caption]
