"""Last visits older than the recent window, and latest surveys tied on a day (tests/portfolio.py, D 2026-06-30)."""

from __future__ import annotations

from datetime import date

import pytest

from kam.metrics import health, relations, satisfaction, visits
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build, loaded_before, with_column

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
# The date a summary's last link stands at: none after it.
LAST = date(9999, 12, 31)

# The recent window starts at D − 180 days = 2026-01-01. K3 (tier C, created 2026-05-01) has only earlier
# visits: V10 on 2025-06-01, then V9 (email) and V8 (video) both on 2025-12-01, where the higher visit_id
# (V9) is the last. K2's 2025-12-20 visit (V11) comes before its 2026-01-15 one (V4, phone).
OLDER_VISITS = (
    "V7,K4,M2,2026-05-01,in_person,,\n",
    "V7,K4,M2,2026-05-01,in_person,,\n"
    "V10,K3,M2,2025-06-01,in_person,,\n"
    "V9,K3,M2,2025-12-01,email,,\n"
    "V8,K3,M2,2025-12-01,video,,\n"
    "V11,K2,M1,2025-12-20,video,,\n",
)


def only(*accounts: str) -> Scope:
    return Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset(accounts))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    # K3 gets a second survey on the day of its only one (S5, 06-05, score 3): S50, score 1, "差"; by
    # (surveyed_on, survey_id) S50 is the latest and S5 the one before.
    s50 = ("S5,K3,2026-06-05,3,,\n", "S5,K3,2026-06-05,3,,\nS50,K3,2026-06-05,1,,差\n")
    folder = tmp_path_factory.mktemp("exports")
    connection = db.connect(build(folder, visits=[OLDER_VISITS], surveys=[s50]))
    yield connection
    connection.close()


def test_last_visit_before_the_recent_window_with_its_channel(con):
    # K3: 2025-12-01 to D is 211 days against 180, overdue by 31; K2: 01-15, 166 days; K1 and K5 as in
    # tests/unit/test_metrics.py.
    expected = [
        ("K1", date(2026, 6, 10), "in_person", 20, False),
        ("K2", date(2026, 1, 15), "phone", 166, False),
        ("K3", date(2025, 12, 1), "email", 211, True),
        ("K5", date(2026, 3, 20), "video", 102, True),
    ]
    columns = ("account_id", "last_visit", "last_channel", "days_since_visit", "overdue")
    assert visits.visit_status(con, YTD).select(columns).sort("account_id").rows() == expected
    assert visits.visit_status(con, only("K2", "K3")).select(columns).sort("account_id").rows() == expected[1:3]
    # One tier at D: K2 and K3 are tier C; only K3 is overdue.
    assert visits.visit_status(con, YTD, tier="C").select(columns).sort("account_id").rows() == expected[1:3]
    assert visits.overdue_accounts(con, YTD, tier="C").select("account_id", "last_channel", "days_overdue").rows() == [
        ("K3", "email", 31)
    ]


def test_visits_entered_in_the_app_count_beside_the_imported_ones(tmp_path):
    # K2: A2 (video, 03-01) after its imported 01-15 visit. K3: V90 (phone) on the day of its last imported
    # visits, the highest visit_id of the three: its channel. K1: A1 after D, not yet. K5: an app visit under
    # an imported visit's id (V4), which the visits view leaves out: K5 stays overdue from 03-20.
    with db.connect(build(tmp_path, visits=[OLDER_VISITS])) as con:
        con.execute(
            """
            INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, created_at, updated_at)
            VALUES ('A2', 'K2', 'M1', DATE '2026-03-01', 'video', now(), now()),
                   ('V90', 'K3', 'M2', DATE '2025-12-01', 'phone', now(), now()),
                   ('A1', 'K1', 'M1', DATE '2026-07-05', 'phone', now(), now()),
                   ('V4', 'K5', 'M2', DATE '2026-06-29', 'phone', now(), now())
            """
        )
        columns = ("account_id", "last_visit", "last_channel", "days_since_visit", "overdue")
        assert visits.visit_status(con, YTD).select(columns).sort("account_id").rows() == [
            ("K1", date(2026, 6, 10), "in_person", 20, False),
            ("K2", date(2026, 3, 1), "video", 121, False),
            ("K3", date(2025, 12, 1), "phone", 211, True),
            ("K5", date(2026, 3, 20), "video", 102, True),
        ]
        by_health = health.account_health(con, only("K2", "K3")).sort("account_id")
        assert by_health.get_column("last_visit").to_list() == [date(2026, 3, 1), date(2025, 12, 1)]
        assert visits.visit_coverage(con, YTD).select("active_accounts", "covered", "overdue").rows() == [(4, 2, 2)]


# Each imported visit with its account's latest executive visit up to it (none here) and the date of the account's
# next visit by (date, visit_id): V8 and V9 share a day, V8 first; the last with the date that stands for none.
VISIT_LINKS = [
    ("K1", date(2026, 4, 20), "V1", "phone", None, date(2026, 6, 10)),
    ("K1", date(2026, 6, 10), "V2", "in_person", None, date(2026, 7, 5)),
    ("K1", date(2026, 7, 5), "V3", "phone", None, LAST),
    ("K2", date(2025, 12, 20), "V11", "video", None, date(2026, 1, 15)),
    ("K2", date(2026, 1, 15), "V4", "phone", None, LAST),
    ("K3", date(2025, 6, 1), "V10", "in_person", None, date(2025, 12, 1)),
    ("K3", date(2025, 12, 1), "V8", "video", None, date(2025, 12, 1)),
    ("K3", date(2025, 12, 1), "V9", "email", None, LAST),
    ("K4", date(2026, 5, 1), "V7", "in_person", None, LAST),
    ("K5", date(2026, 1, 10), "V5", "email", None, date(2026, 3, 20)),
    ("K5", date(2026, 3, 20), "V6", "video", None, LAST),
]
VISIT_LINKS_SQL = """
    SELECT account_id, visit_date, visit_id, channel, last_executive_visit, next_visit_date
    FROM visit_links
    ORDER BY account_id, visit_date, visit_id
"""


def test_the_load_links_each_visit_to_the_accounts_next(con):
    assert con.execute(VISIT_LINKS_SQL).fetchall() == VISIT_LINKS


def test_exports_loaded_before_the_visit_links_existed_give_the_same_last_visits(tmp_path):
    path = build(tmp_path, visits=[OLDER_VISITS])
    with db.connect(path) as con:
        status = visits.visit_status(con, YTD)
    loaded_before(path, "visit_links")
    with db.connect(path) as con:
        # Computed from the visits on every read until the next load builds it.
        assert con.execute(VISIT_LINKS_SQL).fetchall() == VISIT_LINKS
        assert visits.visit_status(con, YTD).equals(status)
        assert status.height == 4


def test_the_last_executive_visit_is_carried_to_later_visit_days(tmp_path):
    # V1 (K1, 04-20) with our senior management, V2 and V3 without. At 07-30 the last executive visit is 101 days
    # back: K1 (A) lacks one in 90 days, and its last is V1's date, read from V3's row.
    late_july = Scope(as_of=date(2026, 7, 30), start=YTD.start, end=YTD.end)
    with db.connect(build(tmp_path, visits=[with_column("visits.csv", "executive", {"V1": "true"})])) as con:
        days = "SELECT visit_date, last_executive_visit FROM visit_links WHERE account_id = 'K1' ORDER BY 1"
        assert con.execute(days).fetchall() == [
            (date(2026, 4, 20), date(2026, 4, 20)),
            (date(2026, 6, 10), date(2026, 4, 20)),
            (date(2026, 7, 5), date(2026, 4, 20)),
        ]
        flags = relations.key_account_flags(con, late_july)
        assert flags.select("account_id", "no_executive_visit", "last_executive_visit").rows() == [
            ("K1", True, date(2026, 4, 20))
        ]
        # Entered in the app: an executive visit on 04-25 (96 days back, still lacking) and a later one without.
        con.execute(
            """
            INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, executive, created_at,
                                    updated_at)
            VALUES ('A1', 'K1', 'M1', DATE '2026-04-25', 'in_person', true, now(), now()),
                   ('A2', 'K1', 'M1', DATE '2026-07-20', 'phone', false, now(), now())
            """
        )
        flags = relations.key_account_flags(con, late_july)
        assert flags.select("account_id", "no_executive_visit", "last_executive_visit").rows() == [
            ("K1", True, date(2026, 4, 25))
        ]
        assert visits.visit_status(con, late_july).filter(account_id="K1").select("last_visit", "last_channel").row(
            0
        ) == (date(2026, 7, 20), "phone")


def test_health_reads_a_last_visit_before_the_recent_window(con):
    # K3's visits signal: 1 − (211 − 180) / 180.
    k3 = health.account_health(con, YTD).filter(account_id="K3").row(0, named=True)
    assert k3["last_visit"] == date(2025, 12, 1)
    assert k3["visits"] == pytest.approx(1 - 31 / 180)


def test_satisfaction_drops_take_the_latest_of_two_surveys_on_a_day_by_survey_id(con):
    # K3: S50 (1) after S5 (3) on the same day: a fall of 2 to a low score, listed first; the others as in
    # tests/unit/test_metrics.py.
    drops = satisfaction.satisfaction_drops(con, YTD)
    assert drops.select(
        "account_id", "latest_on", "latest_score", "previous_score", "fall", "latest_comment"
    ).rows() == [
        ("K3", date(2026, 6, 5), 1, 3, 2, "差"),
        ("K2", date(2026, 5, 25), 2, 4, 2, "响应慢"),
        ("K1", date(2026, 5, 20), 4, 5, 1, "交货及时"),
        ("K5", date(2026, 6, 10), 4, 5, 1, None),
    ]
    assert drops.get_column("reason").to_list() == [
        "fell 2 to a low score",
        "fell 2 to a low score",
        "fell 1",
        "fell 1",
    ]


# Each survey with its account's previous score and next survey date, by (surveyed_on, survey_id); the last
# with the date that stands for none.
SURVEY_LINKS = [
    ("S1", "K1", date(2025, 11, 15), 5, None, date(2026, 5, 20)),
    ("S2", "K1", date(2026, 5, 20), 4, 5, date(2026, 7, 10)),
    ("S9", "K1", date(2026, 7, 10), 1, 4, LAST),
    ("S3", "K2", date(2025, 11, 10), 4, None, date(2026, 5, 25)),
    ("S4", "K2", date(2026, 5, 25), 2, 4, LAST),
    ("S5", "K3", date(2026, 6, 5), 3, None, date(2026, 6, 5)),
    ("S50", "K3", date(2026, 6, 5), 1, 3, LAST),
    ("S8", "K4", date(2026, 4, 10), 1, None, LAST),
    ("S6", "K5", date(2025, 11, 20), 5, None, date(2026, 6, 10)),
    ("S7", "K5", date(2026, 6, 10), 4, 5, LAST),
]
LINKS = """
    SELECT survey_id, account_id, surveyed_on, score, previous_score, next_surveyed_on
    FROM survey_links
    ORDER BY account_id, surveyed_on, survey_id
"""


def test_the_load_links_each_survey_to_its_accounts_previous_and_next(con):
    assert con.execute(LINKS).fetchall() == SURVEY_LINKS


def test_exports_loaded_before_the_survey_links_existed_give_the_same_drops(tmp_path):
    s50 = ("S5,K3,2026-06-05,3,,\n", "S5,K3,2026-06-05,3,,\nS50,K3,2026-06-05,1,,差\n")
    path = build(tmp_path, surveys=[s50])
    with db.connect(path) as con:
        drops = satisfaction.satisfaction_drops(con, YTD)
    loaded_before(path, "survey_links")
    with db.connect(path) as con:
        # Computed from the surveys on every read until the next load builds it.
        assert con.execute(LINKS).fetchall() == SURVEY_LINKS
        assert satisfaction.satisfaction_drops(con, YTD).equals(drops)
        assert drops.height == 4


def test_health_revenue_counts_the_days_at_the_windows_ends_only(tmp_path):
    # K2's orders around the ends of its 90-day windows (none of its others falls in them).
    o10 = "O10,K6,2026-07-20,100\n"
    added = "O11,K2,2026-04-01,700\nO12,K2,2026-04-02,200\nO13,K2,2025-04-02,400\nO14,K2,2025-04-01,900\n"
    added += "O15,K2,2026-06-15,100\nO16,K2,2026-06-16,50\n"
    with db.connect(build(tmp_path, orders=[(o10, o10 + added)])) as con:
        # At D: 2026-04-02..06-30 (O12, O15, O16: 350) against 2025-04-02..06-30 (O13: 400).
        at_d = health.account_health(con, YTD).filter(account_id="K2")
        assert at_d.get_column("revenue").to_list() == [pytest.approx(350 / 400)]
        # At 06-15: 2026-03-18..06-15 (O11, O12, O15: 1,000) against 2025-03-18..06-15 (O13, O14: 1,300).
        mid_june = Scope(as_of=date(2026, 6, 15), start=date(2026, 1, 1), end=date(2026, 12, 31))
        at_mid_june = health.account_health(con, mid_june).filter(account_id="K2")
        assert at_mid_june.get_column("revenue").to_list() == [pytest.approx(1000 / 1300)]


def test_health_takes_the_latest_survey_not_a_lower_earlier_one(tmp_path):
    # K5's earlier survey S6 (2025-11-20, in the 365 days up to D) scores 1 here, below its latest S7
    # (2026-06-10, 4): the latest counts, (4 − 1) / 4.
    s6 = ("S6,K5,2025-11-20,5,,\n", "S6,K5,2025-11-20,1,,\n")
    with db.connect(build(tmp_path, surveys=[s6])) as con:
        k5 = health.account_health(con, YTD).filter(account_id="K5")
        assert k5.get_column("satisfaction").to_list() == [0.75]
