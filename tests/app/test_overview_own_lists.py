"""The overview's attention lists: a manager's own leave the manager column to the CSV; their columns and notes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from kam.people.users import User
from tests.app.test_tables import shown
from tests.apptest import VP, start

WANG = User("wangwei", "王伟", "manager", "M1")
# 王伟's complaints open at the end of 2026-06-30 past their 24 h: C2 (K1, responded after 26 h) and C3 (K2, opened
# 06-29 08:00, no response); C1 was resolved. Open for: C2 from 06-10 10:00, 20.6 days; C3 40 h, 1.7 days.
BREACHES = "Complaints past SLA, still open"


def _table(at: Any, label: str) -> tuple[list[str], list[list[str]]]:
    """The headers and cells of an attention list as the browser shows them."""
    expander = next(e for e in at.expander if e.label.startswith(label))
    return shown(expander.dataframe[0])


def _headers(at: Any, label: str) -> list[str]:
    return _table(at, label)[0]


def _csv_header(data: Any) -> list[str]:
    text = (data() if callable(data) else data).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def test_a_managers_own_lists_leave_their_name_off_the_screen_and_keep_it_in_the_download(offered_data, portfolio):
    own = start("overview", user=WANG, as_of="2026-06-30")
    assert not own.exception
    assert _table(own, BREACHES) == (
        ["Complaint", "Account", "Opened", "Category", "Severity", "Open for (days)"],
        [
            ["C2", "甲公司 (K1)", "2026-06-10 10:00", "服务", "medium", "20.6"],
            ["C3", "乙公司 (K2)", "2026-06-29 08:00", "交货", "low", "1.7"],
        ],
    )
    assert "Manager" in _csv_header(offered_data["download-open-breaches"])


def test_the_vp_filtered_to_one_manager_sees_the_same_and_the_whole_company_with_the_managers(portfolio):
    one = start("overview", user=VP, as_of="2026-06-30", manager="王伟 (M1)")
    assert "Manager" not in _headers(one, BREACHES)
    everyone = start("overview", user=VP, as_of="2026-06-30")
    assert "Manager" in _headers(everyone, BREACHES)
    # The managers behind pace are the list's subject: their column stays.
    assert "Manager" in _headers(one, "Managers behind pace")


def test_the_tier_column_is_as_wide_as_its_header_not_its_one_letter_cells(portfolio):
    at = start("overview", user=VP, as_of="2026-06-30")
    drops = next(e for e in at.expander if e.label.startswith("Satisfaction drops"))
    config = json.loads(drops.dataframe[0].proto.columns)
    assert config["tier"]["width"] == 72


def test_the_executive_ties_list_says_how_many_a_accounts_have_no_contact_at_all(portfolio):
    # At 2026-05-01: K1 (contacts P1, P2), K4 (none) and K5 (P5) are A-accounts; K4 and K5 lack an executive one.
    at = start("overview", user=VP, as_of="2026-05-01", period="ytd")
    ties = next(e for e in at.expander if e.label.startswith("A-accounts without executive ties"))
    counted = (
        "A contact entered on the account view counts from the day it was entered until the day it was marked as "
        "having left, at the level last saved by the as-of date; one of the CRM export carries no dates and counts "
        "on any day (one the export marks as having left, on none)."
    )
    assert [c.value for c in ties.caption] == [
        counted,
        "A-accounts with no contact on file at all: 1 of 3, each counted as without an executive contact. "
        "Contacts are added on the account view.",
    ]
    # At 2026-06-30 K1, the only A-account, has contacts: only how they count is said.
    june = start("overview", user=VP, as_of="2026-06-30")
    ties = next(e for e in june.expander if e.label.startswith("A-accounts without executive ties"))
    assert [c.value for c in ties.caption] == [counted]
