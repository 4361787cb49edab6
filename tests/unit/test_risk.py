"""Receivables, churn by cause, repeat rate and account health at their edges, each figure worked by hand.

D = 2026-06-30. M1 and M2 own the receivables and retention cases, M3 the health cases:

    R1 M1 A limit 1000  open: P2 200 (paid 07-01, due on D), P3 300 (due D-30), P4 400 (due D-31),
                        P5 500 (no due date); P1 paid on D; P6 amount 0; P7 after D.
    R2 M1 B no limit    600 due 2026-03-01 (121 days).
    R3 M2 C limit 0     50 due D-1, 70 due 2026-04-30 (61 days).
    R4 M2 A limit 2000  nothing open.
    R5 M2 B churned 2026-03-10 (service), still owes 80 due 2026-01-31 (150 days).
    R6 M2 C churned 2026-02-01 (price), bought in 2025 only.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from kam.ingest import loader
from kam.metrics import credit, health, retention, risk
from kam.metrics.scope import Scope
from kam.reports.snapshot import kpi_snapshot
from kam.store import db

D = date(2026, 6, 30)
YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
SALES = Scope(as_of=D, start=YTD.start, end=YTD.end, managers=("M1", "M2"))
HEALTH = Scope(as_of=D, start=YTD.start, end=YTD.end, managers=("M3",))

EXPORTS = {
    "managers.csv": "manager_id,name,region\nM1,王伟,华东\nM2,李娜,华南\nM3,张敏,华北\n",
    "accounts.csv": """account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason,credit_limit
R1,一,华东,M1,A,2024-01-01,,,1000
R2,二,华东,M1,B,2024-01-01,,,
R3,三,华南,M2,C,2024-01-01,,,0
R4,四,华南,M2,A,2024-01-01,,,2000
R5,五,华南,M2,B,2024-01-01,2026-03-10,service,
R6,六,华南,M2,C,2024-01-01,2026-02-01,price,
H5,五五,华北,M3,B,2024-01-01,,,
H6,六六,华北,M3,C,2024-01-01,,,
H7,七七,华北,M3,C,2024-01-01,,,
H70,七十,华北,M3,A,2024-01-01,,,
H699,六九九,华北,M3,A,2024-01-01,,,
H40,四十,华北,M3,A,2024-01-01,,,
H399,三九九,华北,M3,A,2024-01-01,,,
""",
    "orders.csv": """order_id,account_id,order_date,amount,due_on,paid_on
P0,R1,2025-12-31,10,,2025-12-31
P1,R1,2026-06-01,100,2026-06-30,2026-06-30
P2,R1,2026-06-01,200,2026-06-30,2026-07-01
P3,R1,2026-05-01,300,2026-05-31,
P4,R1,2026-04-01,400,2026-05-30,
P5,R1,2026-06-15,500,,
P6,R1,2026-06-20,0,2026-06-01,
P7,R1,2026-07-05,50,2026-07-06,
Q1,R2,2026-01-30,600,2026-03-01,
S1,R3,2026-06-01,50,2026-06-29,
S2,R3,2026-04-01,70,2026-04-30,
S3,R3,2025-01-01,0,,
T1,R4,2024-12-31,500,,2025-01-15
U1,R5,2025-03-09,1000,,2025-04-01
U2,R5,2025-03-10,20,,2025-04-01
U3,R5,2026-01-01,80,2026-01-31,
U4,R5,2026-03-10,5,,2026-03-10
W1,R6,2025-06-01,300,,2025-07-01
W2,R6,2026-07-01,10,,
H5a,H5,2025-05-01,1000,,2025-05-01
H5b,H5,2026-05-01,1500,,2026-05-01
H5c,H5,2026-06-01,100,2026-06-20,
H70a,H70,2025-05-01,1000,,2025-05-01
H70b,H70,2026-05-01,40,,2026-05-01
H699a,H699,2025-05-01,1000,,2025-05-01
H699b,H699,2026-05-01,36.8,,2026-05-01
H40a,H40,2025-05-01,1000,,2025-05-01
H40b,H40,2026-05-01,80,,2026-05-01
H399a,H399,2025-05-01,1000,,2025-05-01
H399b,H399,2026-05-01,76.8,,2026-05-01
""",
    "visits.csv": """visit_id,account_id,manager_id,visit_date,channel,warning_signs
V5,H5,M3,2026-03-02,phone,
V6,H6,M3,2026-04-01,in_person,dumping
V7,H7,M3,2026-04-02,in_person,老板避而不见
V70,H70,M3,2026-06-20,phone,
V699,H699,M3,2026-06-20,phone,
V40,H40,M3,2026-05-01,phone,
V399,H399,M3,2026-05-01,phone,
""",
    "complaints.csv": """complaint_id,account_id,opened_at,first_response_at,resolved_at
C5,H5,2026-05-01 09:00,2026-05-03 09:00,2026-05-04 09:00
C6,H6,2026-03-01 09:00,2026-03-01 10:00,
C7,H7,2026-06-01 09:00,2026-06-01 10:00,2026-06-02 09:00
""",
    "surveys.csv": """survey_id,account_id,surveyed_on,score
Y1,H5,2026-01-10,5
Y2,H5,2026-06-01,4
Y3,H5,2026-06-01,2
Y4,H6,2025-06-30,1
""",
}


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("risk")
    for name, text in EXPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    connection = db.connect(folder / "kam.duckdb")
    report = loader.load_folder(connection, folder, today=D)
    assert report.rejects.is_empty(), report.summary()
    yield connection
    connection.close()


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(columns).rows()


# --- receivables ----------------------------------------------------------------------


def test_open_orders_at_d_and_their_days_overdue(con):
    # P1 paid on D is closed; P2 paid after D is open and, due on D, not overdue; P6 (0) and P7 (after D) left out.
    scope = Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset({"R1"}))
    assert rows(credit.open_orders(con, scope), "order_id", "days_overdue") == [
        ("P4", 31),
        ("P3", 30),
        ("P2", 0),
        ("P5", 0),
    ]


def test_receivables_buckets_limits_and_utilisation(con):
    owed = credit.receivables(con, SALES).row(0, named=True)
    # 1400 (R1) + 600 (R2) + 120 (R3) + 80 (R5, churned) = 2200.
    assert owed["outstanding"] == 2200.0
    # 1-30: P3 300 (30 days) + R3 50 (1 day); 31-60: P4 400 (31 days); 61-90: R3 70 (61 days);
    # over 90: R2 600 + R5 80.
    assert (owed["bucket_1"], owed["bucket_2"], owed["bucket_3"], owed["bucket_4"]) == (350.0, 400.0, 70.0, 680.0)
    assert owed["overdue"] == 1500.0
    assert owed["overdue_accounts"] == 4
    # R1 1400 over 1000; R3 120 over a cash-only limit of 0; R2 and R5 have no limit.
    assert owed["over_limit_accounts"] == 2
    # Limits above 0: R1 1000 and R4 2000, owing 1400 between them.
    assert owed["utilisation"] == pytest.approx(1400 / 3000)
    assert credit.bucket_labels(SALES.policy) == ("1-30", "31-60", "61-90", "90+")


def test_receivables_per_account_and_per_manager(con):
    accounts = credit.account_receivables(con, SALES)
    assert rows(accounts, "account_id", "outstanding", "over_limit", "utilisation") == [
        ("R1", 1400.0, True, 1.4),
        ("R2", 600.0, False, None),
        ("R3", 120.0, True, None),
        ("R5", 80.0, False, None),
        ("R4", 0.0, False, 0.0),
        ("R6", 0.0, False, None),
    ]
    by_manager = credit.receivables(con, SALES, by="manager")
    assert rows(by_manager, "manager_id", "outstanding", "overdue", "utilisation") == [
        ("M1", 2000.0, 1300.0, 1.4),
        ("M2", 200.0, 200.0, 0.0),
    ]


def test_accounts_over_their_limit_and_the_largest_overdue(con):
    # R1 owes 1400 against 1000; R3 120 against a cash-only 0. Overdue: R1 700 (P3 + P4), R2 600, R3 120, R5 80.
    assert rows(risk.over_limit(con, SALES), "account_id", "over_by", "overdue_amount") == [
        ("R1", 400.0, 700.0),
        ("R3", 120.0, 120.0),
    ]
    largest = risk.credit_view(con, SALES, limit=2)["largest"]
    assert rows(largest, "account_id", "overdue_amount", "bucket_4") == [
        ("R1", 700.0, 0.0),
        ("R2", 600.0, 600.0),
    ]


def test_the_credit_pages_view_is_the_metrics_it_gathers(con):
    view = risk.credit_view(con, SALES, limit=2)
    assert view["owed"]["outstanding"][0] == 2200.0
    assert view["ageing"]["overdue_amount"].to_list() == [350.0, 400.0, 70.0, 680.0]
    assert rows(view["over_limit"], "account_id", "over_by") == [("R1", 400.0), ("R3", 120.0)]
    assert view["over_limit"].equals(risk.over_limit(con, SALES))
    assert rows(view["by_manager"], "manager_id", "overdue_amount") == [("M1", 1300.0), ("M2", 200.0)]
    assert rows(view["largest"], "account_id") == [("R1",), ("R2",)]


def test_receivables_with_their_total_from_one_pass(con):
    total, by_manager = credit.receivables_with_total(con, SALES, "manager")
    assert rows(total, "scope", "accounts", "outstanding", "over_limit_accounts") == [("all", 6, 2200.0, 2)]
    assert total.equals(credit.receivables(con, SALES))
    assert by_manager.equals(credit.receivables(con, SALES, by="manager"))
    # No account in scope: a total of zeros and no manager.
    nobody = dataclasses.replace(SALES, allowed_accounts=frozenset())
    total, by_manager = credit.receivables_with_total(con, nobody, "manager")
    assert rows(total, "scope", "accounts", "outstanding", "utilisation") == [("all", 0, 0.0, None)]
    assert total.equals(credit.receivables(con, nobody)) and by_manager.is_empty()


def test_a_manager_sees_only_their_own_receivables(con):
    own = Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset({"R3", "R4", "R5", "R6"}))
    owed = credit.receivables(con, own).row(0, named=True)
    assert (owed["outstanding"], owed["over_limit_accounts"]) == (200.0, 1)


# --- retention ------------------------------------------------------------------------


def test_repeat_rate_counts_an_account_that_churned_in_the_period(con):
    # Base (an order above 0 in 2025): R1 (P0), R5 (U1, U2), R6 (W1); not R3 (amount 0), not R4 (2024-12-31).
    # Again in 2026 up to D: R1, and R5 before it churned; R6's W2 falls after D.
    rate = retention.repeat_rate(con, SALES).row(0, named=True)
    assert (rate["base"], rate["repeat"], rate["repeat_rate"]) == (3, 2, pytest.approx(2 / 3))
    by_tier = retention.repeat_rate(con, SALES, by="tier")
    assert rows(by_tier, "tier", "base", "repeat") == [("A", 1, 1), ("B", 1, 1), ("C", 1, 0)]


def test_repeat_rate_of_each_quarter_up_to_d(con):
    # Q1 looks back over 2025: R1 (P0), R5 (U1, U2), R6 (W1); only R5 buys again (U3, U4).
    # Q2 looks back over 2025-04-01..2026-03-31: R1 (P0), R2 (Q1), R5 (U3, U4), R6 (W1); only R1 again (P4).
    quarters = risk.repeat_view(con, SALES)["quarters"]
    assert rows(quarters, "period", "base", "repeat", "repeat_rate") == [
        ("2026 Q1", 3, 1, pytest.approx(1 / 3)),
        ("2026 Q2", 4, 1, pytest.approx(1 / 4)),
    ]
    q2 = retention.repeat_rate(con, SALES.with_period(date(2026, 4, 1), date(2026, 6, 30))).row(0, named=True)
    assert (q2["base"], q2["repeat"]) == (4, 1)


def test_a_quarter_not_over_by_d_says_to_which_day_it_counts():
    # As of 05-15 the second quarter has run 45 of its 91 days: its rate is not a whole quarter's.
    mid_may = SALES.with_period(date(2026, 1, 1), date(2026, 12, 31), as_of=date(2026, 5, 15))
    assert risk.quarter_not_over(mid_may) == "2026 Q2 counts up to 2026-05-15: the quarter is not over yet."
    # At D, 06-30, the second quarter is whole.
    assert risk.quarter_not_over(SALES) is None


def test_the_retention_pages_repeat_rates_from_one_pass(con):
    view = risk.repeat_view(con, SALES)
    assert rows(view["rate"], "scope", "base", "repeat") == [("all", 3, 2)]
    assert rows(view["by_tier"], "tier", "base", "repeat") == [("A", 1, 1), ("B", 1, 1), ("C", 1, 0)]
    assert rows(view["quarters"], "period", "base", "repeat") == [("2026 Q1", 3, 1), ("2026 Q2", 4, 1)]
    assert view["rate"].equals(retention.repeat_rate(con, SALES))
    assert view["by_tier"].equals(retention.repeat_rate(con, SALES, by="tier"))


def test_churn_by_cause_and_the_revenue_lost(con):
    # R5: orders 2025-03-10..2026-03-09 are U2 20 + U3 80 (U1 is a day too early, U4 on the churn day too late).
    # R6: 2025-02-01..2026-01-31: W1 300.
    frame = retention.churn_by_reason(con, SALES)
    assert rows(frame, "churn_reason", "accounts", "lost_revenue") == [
        ("price", 1, 300.0),
        ("product", 0, 0.0),
        ("market", 0, 0.0),
        ("service", 1, 100.0),
        ("technology", 0, 0.0),
        ("organization", 0, 0.0),
    ]
    assert rows(retention.churned_with_losses(con, SALES), "account_id", "manager_id", "lost_revenue") == [
        ("R5", "M2", 100.0),
        ("R6", "M2", 300.0),
    ]


def test_churn_by_month_tier_and_manager_from_the_churned_accounts(con):
    # R6 (C, price, 300 lost) churned 2026-02-01, R5 (B, service, 100 lost) 2026-03-10, both M2's.
    assert rows(retention.churn_by_month(con, SALES), "month", "churn_reason", "accounts", "lost_revenue") == [
        (date(2026, 2, 1), "price", 1, 300.0),
        (date(2026, 3, 1), "service", 1, 100.0),
    ]
    by_tier = retention.churn_by_reason(con, SALES, by="tier").filter(pl.col("accounts") > 0)
    assert rows(by_tier, "tier", "churn_reason", "accounts", "lost_revenue") == [
        ("B", "service", 1, 100.0),
        ("C", "price", 1, 300.0),
    ]
    assert rows(risk.churn_per_manager(con, SALES), "manager_id", "accounts", "lost_revenue") == [("M2", 2, 400.0)]


def test_lost_revenue_over_a_period_of_the_churn_day_alone(con):
    # R5 churned 2026-03-10: its last year, 2025-03-10..2026-03-09, holds U2 20 (on its first day) and U3 80.
    day = SALES.with_period(date(2026, 3, 10), date(2026, 3, 10))
    assert rows(retention.churned_with_losses(con, day), "account_id", "lost_revenue") == [("R5", 100.0)]


# --- health ---------------------------------------------------------------------------


def test_health_signals_score_and_band_per_account(con):
    frame = health.account_health(con, HEALTH)
    assert rows(frame, "account_id", "visits", "revenue", "complaints", "satisfaction", "credit") == [
        # B, last visit 120 days ago: 1 - 30/90. Complaint C5 breached but resolved before D: 0.5.
        # Two surveys on the latest day: the lower (2). Open order 10 days overdue: 0.5.
        ("H399", 0.0, pytest.approx(0.0768), 1.0, None, 1.0),
        ("H40", 0.0, pytest.approx(0.08), 1.0, None, 1.0),
        ("H7", 1.0, None, 0.5, None, 0.0),
        ("H5", pytest.approx(2 / 3), 1.0, 0.5, 0.25, 0.5),
        ("H699", 1.0, pytest.approx(0.0368), 1.0, None, 1.0),
        ("H70", 1.0, pytest.approx(0.04), 1.0, None, 1.0),
        # The sign 90 days back does not count; the complaint before the window is answered: 1.
        # The survey 365 days back is out of the window: missing.
        ("H6", 1.0, None, 1.0, None, 1.0),
    ]
    # Satisfaction missing: the other weights (80) count alone, e.g. H70 = (25 + 1 + 15 + 15) / 80.
    assert rows(frame, "account_id", "score", "score_shown", "band", "weakest") == [
        ("H399", pytest.approx(39.9), 39.9, "at_risk", "visits"),
        ("H40", 40.0, 40.0, "watch", "visits"),
        ("H7", pytest.approx(100 * 32.5 / 55), 59.0, "watch", "credit"),
        ("H5", pytest.approx(100 * (25 * 2 / 3 + 25 + 7.5 + 5 + 7.5) / 100), 61.6, "watch", "satisfaction"),
        ("H699", pytest.approx(69.9), 69.9, "watch", "revenue"),
        ("H70", 70.0, 70.0, "healthy", "revenue"),
        ("H6", 100.0, 100.0, "healthy", None),
    ]


def test_health_of_one_band_only(con):
    # The scores above: H40, H7, H5 and H699 are on watch, lowest first; H399 alone at risk.
    assert rows(health.account_health(con, HEALTH, band="watch"), "account_id", "weakest") == [
        ("H40", "visits"),
        ("H7", "credit"),
        ("H5", "satisfaction"),
        ("H699", "revenue"),
    ]
    assert rows(health.account_health(con, HEALTH, band="at_risk"), "account_id") == [("H399",)]
    with pytest.raises(ValueError, match="no health band 'risky'"):
        health.account_health(con, HEALTH, band="risky")


def test_health_by_manager_and_tier(con):
    summary = health.health_summary(con, HEALTH, by="manager")
    mean = (39.9 + 40 + 100 * 32.5 / 55 + 100 * (25 * 2 / 3 + 45) / 100 + 69.9 + 70 + 100) / 7
    assert rows(summary, "manager_id", "healthy", "watch", "at_risk") == [("M3", 2, 4, 1)]
    assert summary["mean_score"][0] == pytest.approx(mean)
    by_tier = health.health_summary(con, HEALTH, by="tier")
    assert rows(by_tier, "tier", "accounts", "healthy", "watch", "at_risk") == [
        ("A", 4, 1, 2, 1),
        ("B", 1, 0, 1, 0),
        ("C", 2, 1, 1, 0),
    ]


def test_band_edges_follow_the_config(con):
    policy = HEALTH.policy
    strict = Scope(
        as_of=D,
        start=YTD.start,
        end=YTD.end,
        managers=("M3",),
        policy=dataclasses.replace(policy, health_bands={"watch": 39.9, "healthy": 69.9}),
    )
    bands = dict(rows(health.account_health(con, strict), "account_id", "band"))
    assert (bands["H399"], bands["H699"]) == ("watch", "healthy")


def test_score_shown_rounds_down():
    shown = pl.select(health.score_shown(pl.lit(39.96)), health.score_shown(pl.lit(70.0)).alias("b")).row(0)
    assert shown == (39.9, 70.0)


def test_a_manager_sees_the_health_of_their_own_accounts_only(con):
    own = Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset({"H5", "H7", "R2"}))
    frame = health.account_health(con, own)
    assert rows(frame, "account_id", "band") == [("R2", "at_risk"), ("H7", "watch"), ("H5", "watch")]
    assert frame.filter(pl.col("account_id") == "H5")["score"][0] == pytest.approx(25 * 2 / 3 + 45)


def test_bands_moved_since_the_previous_period(con):
    # Q2's previous period ends 2026-03-31. Then H399 had no visit (0), no revenue either year
    # (missing): (0 + 15 + 15) / 55, watch; now at risk. H6 had no visit, C6 open but answered (0.5)
    # and a survey of 1: (0 + 7.5 + 0 + 15) / 75 = 30, at risk; now healthy.
    q2 = Scope(as_of=D, start=date(2026, 4, 1), end=date(2026, 6, 30), managers=("M3",))
    moves = health.band_moves(con, q2)
    assert moves.filter("into_at_risk")["account_id"].to_list() == ["H399"]
    assert moves.filter("out_of_at_risk")["account_id"].to_list() == ["H6"]
    assert dict(rows(moves, "account_id", "score_before"))["H6"] == pytest.approx(30.0)


def test_accounts_fallen_into_at_risk_since_the_previous_period(con):
    # The period 06-29..07-05 up to D: the previous one ends 06-28. R2 (never visited, no revenue either
    # year, Q1 119 days overdue) was at risk then as now, 15 / 55: not listed. H399 was on watch: its visit
    # 58 days back, (25 x (1 - 28/30) + 25 x 0.0768 + 15 + 15) / 80 = 41.98.
    week = Scope(as_of=D, start=date(2026, 6, 29), end=date(2026, 7, 5), managers=("M1", "M3"))
    assert rows(health.account_health(con, week).filter(pl.col("band") == "at_risk"), "account_id") == [
        ("R2",),
        ("H399",),
    ]
    fell = risk.fell_into_at_risk(con, week)
    assert rows(fell, "account_id", "band_before") == [("H399", "watch")]
    # Nothing at risk now: nothing fell into it.
    calm = risk.fell_into_at_risk(con, dataclasses.replace(week, allowed_accounts=frozenset({"H5", "H6"})))
    assert calm.is_empty() and calm.columns == fell.columns and calm.schema == fell.schema


def test_the_risk_pages_view_is_the_metrics_it_gathers(con):
    q2 = Scope(as_of=D, start=date(2026, 4, 1), end=date(2026, 6, 30), managers=("M3",))
    view = risk.health_view(con, q2)
    assert view["moved"] == {"into_at_risk": 1, "out_of_at_risk": 1, "at_risk": 1}
    assert rows(view["listed"], "account_id") == [("H399",), ("H40",), ("H7",), ("H5",), ("H699",)]
    assert view["listed"].equals(risk.at_risk_list(con, q2))
    assert rows(view["overall"], "healthy", "watch", "at_risk") == [(2, 4, 1)]
    for by in ("tier", "region", "manager"):
        assert view[by].equals(health.health_summary(con, q2, by=by))


def test_snapshot_health_and_at_risk_per_manager(con):
    # R1 (no visit, revenue 1, P4 31 days overdue) 50, R2 (no visit, no revenue, 121 days) 15 / 55,
    # R3 50, R4 (no visit, no revenue, nothing owed) 30 / 55; R5 and R6 have churned.
    snap = kpi_snapshot(con, YTD)
    assert {k: snap["health"][k] for k in ("healthy", "watch", "at_risk")} == {"healthy": 2, "watch": 7, "at_risk": 2}
    assert [(m["manager_id"], m["at_risk"]) for m in snap["managers"]] == [("M1", 1), ("M2", 0), ("M3", 1)]
    assert snap["receivables"]["buckets"] == {"1-30": 450.0, "31-60": 400.0, "61-90": 70.0, "90+": 680.0}
