"""The default as-of date is the date the exports run to: what users enter in the app never moves it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.store import db
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.apptest import start

WANG = User("wangwei", "王伟", "manager", "M1")


def headline(at: AppTest) -> dict[str, tuple[str, str | None]]:
    """Every headline card (value and change) and every attention list's title with its count."""
    figures = {m.label: (m.value, m.delta) for m in at.metric}
    return figures | {e.label: ("", None) for e in at.expander}


def test_a_visit_dated_after_the_exports_changes_no_vp_figure(portfolio: Path):
    before = start()
    assert not before.exception
    assert str(before.sidebar.date_input(key="as_of").value) == "2026-08-01"
    shown = headline(before)
    assert len([label for label in shown if "(" not in label]) == 8
    # 王伟 visits K2 (overdue at 2026-08-01) on 08-10, after the exports end.
    with db.connect(portfolio) as con:
        draft = VisitDraft("K2", date(2026, 8, 10), "in_person", "thank")
        visit_log.save_visit(con, draft, WANG, now=datetime(2026, 8, 10, 17))
        assert con.execute("SELECT count(*) FROM visits WHERE visit_date > DATE '2026-08-01'").fetchall() == [(1,)]
    after = start()
    assert not after.exception
    assert str(after.sidebar.date_input(key="as_of").value) == "2026-08-01"
    assert headline(after) == shown


def test_a_period_the_exports_have_not_reached_says_so(portfolio: Path):
    at = start(as_of="2026-08-20")
    at.sidebar.selectbox(key="period").set_value("this_week").run()
    assert not at.exception
    assert [i.value for i in at.info if "No export data" in i.value] == [
        "No export data for this period yet: exports run to 2026-08-01. "
        "Choose an earlier period or as-of date in the sidebar."
    ]
    assert not at.metric
