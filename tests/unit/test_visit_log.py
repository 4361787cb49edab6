"""Visits logged in the app: rules, counting at once, edit window, concurrency, durability, reload, export.

The portfolio of tests/portfolio.py at D = 2026-06-30 (see there): K5 (M2, tier B, last visit
03-20, 102 days) is the only overdue account; K1 (M1, A, 20 of 30 days) falls due 07-10 and
K2 (M1, C at D, 166 of 180 days) 07-14; K2's follow-up of 02-15 has come.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from kam import i18n
from kam.config import Settings
from kam.ingest import demo, loader
from kam.metrics import visits, worklist
from kam.metrics.scope import Scope
from kam.present.downloads import table_csv
from kam.store import audit, db, write
from kam.store.schema import VISITS
from kam.visits import export as visit_export
from kam.visits import log as visit_log
from kam.visits import rules as visit_rules
from kam.visits.rules import InvalidVisit, NotAllowed, VisitDraft
from tests.portfolio import LOADED_ON, D, build

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 6, 30, 15, 0)
POLICY = Settings()
YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31), policy=POLICY)
Q2 = Scope(as_of=D, start=date(2026, 4, 1), end=D, policy=POLICY)


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    manager_id: str | None
    email: str | None = None


WANG = User("wang", "王伟", "manager", "M1")
LINA = User("lina", "李娜", "manager", "M2")
LINA_DESK = User("lina.desk", "李娜助理", "manager", "M2")
VP = User("vp", "赵总", "vp", None)

K5_CALL = VisitDraft(
    account_id="K5",
    visit_date=date(2026, 6, 29),
    channel="phone",
    purpose="usage",
    met_with="采购部 陈经理",
    notes="用量稳定",
    next_step="send samples",
    next_date=date(2026, 7, 3),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("portfolio"))


@pytest.fixture
def path(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the portfolio database, with its exports files and the export CSVs beside it."""
    shutil.copytree(template.parent, tmp_path, dirs_exist_ok=True)
    return tmp_path / template.name


@pytest.fixture
def con(path: Path):
    connection = db.connect(path)
    yield connection
    connection.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(columns).rows()


def save(con: duckdb.DuckDBPyConnection, draft: VisitDraft = K5_CALL, user: User = LINA, **kw) -> str:
    return visit_log.save_visit(con, draft, user, now=kw.pop("now", NOW), policy=POLICY, **kw)


def events(con: duckdb.DuckDBPyConnection, action: str) -> list[dict]:
    return audit.events(con, action=action).to_dicts()


# --- rules ------------------------------------------------------------------------------

REFUSED = [
    ({"visit_date": date(2026, 7, 1)}, "visit_date", "The visit date cannot be in the future."),
    (
        {"visit_date": date(2026, 5, 30), "next_date": None},
        "visit_date",
        "Visits more than 30 days ago cannot be logged (earliest 2026-05-31).",
    ),
    ({"next_date": date(2026, 6, 29)}, "next_date", "The next step's date must be after the visit date."),
    ({"next_date": date(2026, 6, 1)}, "next_date", "The next step's date must be after the visit date."),
    ({"channel": "fax"}, "channel", "Choose how the visit took place."),
    ({"channel": None}, "channel", "Choose how the visit took place."),
    ({"purpose": "party"}, "purpose", "Choose one of the listed purposes."),
    ({"purpose": "other", "purpose_other": "  "}, "purpose_other", "Describe the purpose."),
    # A listed purpose and a described one: which was meant is the manager's to say, neither is dropped.
    (
        {"purpose_other": "年度合同谈判"},
        "purpose_other",
        "A listed purpose is chosen above: to keep this text as the purpose, choose “Other (describe)”; "
        "otherwise clear this field.",
    ),
    ({"account_id": "K1"}, "account_id", "K1 is not one of your accounts."),
    ({"account_id": "K99"}, "account_id", "There is no account K99."),
    ({"account_id": ""}, "account_id", "Choose the account."),
    ({"visit_date": None}, "visit_date", "Enter the visit date."),
    ({"notes": "x" * 5250}, "notes", "At most 4,000 characters: now 5,250, 1,250 too many."),
    # Counted as saved: without the spaces around.
    ({"met_with": f"  {'陈' * 501}\n"}, "met_with", "At most 500 characters: now 501, 1 too many."),
]


@pytest.mark.parametrize(("change", "field", "message"), REFUSED, ids=[r[1] + ":" + r[2][:24] for r in REFUSED])
def test_invalid_visit_is_refused_with_its_message_and_nothing_saved(con, change, field, message):
    with pytest.raises(InvalidVisit) as refused:
        save(con, replace(K5_CALL, **change))
    assert refused.value.errors == {field: message}
    assert count(con, "SELECT count(*) FROM visits_app") == 0
    assert count(con, "SELECT count(*) FROM audit_log WHERE action <> 'load'") == 0


def test_validate_reports_every_broken_rule_at_once():
    draft = VisitDraft(account_id="K1", visit_date=date(2026, 7, 2), channel="fax", next_date=date(2026, 7, 1))
    assert set(visit_rules.validate(draft, D, POLICY, {"K5"})) == {"account_id", "visit_date", "channel", "next_date"}


def test_the_form_speaks_the_users_language_for_unlisted_warning_signs_contacts_and_long_texts(con):
    # In the screen's language (the first two were English on a Chinese screen); a long text says how much to cut.
    with i18n.speaking("zh-CN"):
        errors = visit_rules.validate(replace(K5_CALL, warning_signs=("fire",)), D, POLICY, {"K5"})
        with pytest.raises(InvalidVisit) as refused:
            save(con, replace(K5_CALL, contact_ids=("C-NOT-K5",)))
        too_long = visit_rules.validate(replace(K5_CALL, notes="记" * 4100), D, POLICY, {"K5"})
        both = visit_rules.validate(replace(K5_CALL, purpose_other="年度合同谈判"), D, POLICY, {"K5"})
    assert errors == {"warning_signs": "请从列出的信用恶化信号中选择。"}
    assert too_long == {"notes": "最多 4,000 个字符：当前 4,100 个，多了 100 个。"}
    assert refused.value.errors == {"contact_ids": "请只选择该客户的联系人。"}
    assert both == {
        "purpose_other": "上方已选择列出的目的：如以此处文字为目的，请改选“其他（请说明）”；否则请清空此栏。"
    }


def test_boundaries_are_accepted():
    # 30 days back is the oldest date accepted; today is allowed; next_date the day after the visit.
    oldest = replace(K5_CALL, visit_date=date(2026, 5, 31), next_date=date(2026, 6, 1))
    today = replace(K5_CALL, visit_date=D, next_date=None, purpose=None)
    assert visit_rules.validate(oldest, D, POLICY, {"K5"}) == {}
    assert visit_rules.validate(today, D, POLICY, {"K5"}) == {}


def test_age_limit_comes_from_the_policy():
    draft = replace(K5_CALL, visit_date=date(2026, 6, 20), next_date=None)
    errors = visit_rules.validate(draft, D, replace(POLICY, visit_max_age_days=7), {"K5"})
    assert errors == {"visit_date": "Visits more than 7 days ago cannot be logged (earliest 2026-06-23)."}


def test_purposes_store_the_follow_up_steps_as_the_exports_spell_them():
    steps = [p.stored for p in visit_rules.PURPOSES.values() if p.code != visit_rules.OTHER]
    assert tuple(steps) == demo.parameters.FOLLOW_UP_STEPS
    assert tuple(visit_rules.CHANNEL_LABELS) == VISITS.column("channel").choices


def test_stored_visit_round_trips_to_the_draft(con):
    step = save(con)
    other = save(con, replace(K5_CALL, purpose="other", purpose_other=" 年度合同谈判 ", executive=True))
    assert visit_log.stored_visit(con, step)["purpose"] == "2 电话回访使用情况"
    assert visit_rules.draft_of(visit_log.stored_visit(con, step)) == K5_CALL
    stored = visit_log.stored_visit(con, other)
    assert (stored["purpose"], stored["executive"], stored["manager_id"]) == ("年度合同谈判", True, "M2")
    assert visit_rules.draft_of(stored) == replace(
        K5_CALL, purpose="other", purpose_other="年度合同谈判", executive=True
    )


def test_a_purpose_described_with_none_chosen_is_stored_as_described(con):
    # The list left on "Choose…" and the other purpose typed: it is the purpose, as if "Other" were chosen.
    visit_id = save(con, replace(K5_CALL, purpose=None, purpose_other=" 年度合同谈判 "))
    stored = visit_log.stored_visit(con, visit_id)
    assert stored["purpose"] == "年度合同谈判"
    assert visit_rules.draft_of(stored) == replace(K5_CALL, purpose="other", purpose_other="年度合同谈判")
    # Neither chosen nor typed: no purpose, as before.
    assert visit_log.stored_visit(con, save(con, replace(K5_CALL, purpose=None)))["purpose"] is None


def test_a_vp_logs_for_any_account_credited_to_its_manager(con):
    visit_id = save(con, replace(K5_CALL, account_id="K1"), VP)
    assert visit_log.stored_visit(con, visit_id)["manager_id"] == "M1"


def test_loggable_accounts_are_the_managers_active_ones(con):
    # M2 has K3, K4 (churned 05-15) and K5; M1's K6 is created only on 07-15.
    assert visit_log.loggable_accounts(con, LINA, D)["account_id"].to_list() == ["K3", "K5"]
    assert visit_log.loggable_accounts(con, VP, D)["account_id"].to_list() == ["K1", "K2", "K3", "K5"]
    assert visit_log.loggable_accounts(con, User("x", "x", "manager", None), D).is_empty()


def test_repeated_submit_of_one_form_saves_once(con):
    form_id = visit_log.new_visit_id()
    assert save(con, visit_id=form_id) == form_id
    assert save(con, visit_id=form_id) == form_id
    assert count(con, "SELECT count(*) FROM visits_app") == 1
    with pytest.raises(NotAllowed):
        save(con, user=LINA_DESK, visit_id=form_id)


# --- counted at once --------------------------------------------------------------------


def test_saved_visit_counts_at_once_in_coverage_overdue_worklist_and_attainment(con):
    assert rows(visits.visit_coverage(con, YTD), "active_accounts", "covered", "coverage") == [(4, 3, 0.75)]
    assert rows(worklist.worklist(con, YTD), "account_id", "days_since_visit", "cadence", "due_date") == [
        ("K5", 102, 90, date(2026, 6, 18))  # 03-20 + 90 days
    ]
    visit_id = save(con)
    assert visit_id.startswith("APP-")
    # K5 last visited 06-29: 1 of 90 days. Every active account is now covered.
    assert rows(visits.visit_coverage(con, YTD), "active_accounts", "covered", "coverage") == [(4, 4, 1.0)]
    assert rows(visits.visit_coverage(con, YTD, by="manager"), "manager_id", "coverage") == [("M1", 1.0), ("M2", 1.0)]
    assert visits.overdue_accounts(con, YTD).is_empty()
    assert worklist.worklist(con, YTD).is_empty()
    # Q2 (91 days): K1 2 of 3 planned, K5 now 1 of 1.
    assert rows(visits.visit_attainment(con, Q2), "visits_counted", "planned", "attainment") == [(3, 4, 0.75)]
    assert rows(visits.account_visits(con, YTD, "K5"), "visit_date", "source")[0] == (date(2026, 6, 29), "app")


def test_an_accounts_visit_list_and_its_file_carry_the_warning_signs_each_visit_recorded(con):
    save(con, replace(K5_CALL, warning_signs=("creditors", "dumping")))
    listed = visits.account_visits(con, YTD, "K5")
    # The call of 06-29 recorded two signs and the people met; the imported visits of K5 (V6 03-20, V5 01-10) none.
    assert rows(listed, "visit_date", "signs") == [
        (date(2026, 6, 29), ["creditors", "dumping"]),
        (date(2026, 3, 20), None),
        (date(2026, 1, 10), None),
    ]
    with i18n.speaking("zh-CN"):
        lines = table_csv(listed).decode("utf-8-sig").splitlines()
    assert lines[:3] == [
        "拜访日期,拜访方式,拜访目的,高层拜访,客户经理,会见人员,拜访的联系人,备注,下一步,下一步截止日,信用恶化信号,"
        "录入来源",
        "2026-06-29,电话,2 电话回访使用情况,否,M2,采购部 陈经理,,用量稳定,send samples,2026-07-03,"
        "讨债的人增多；低价抛货,本系统",
        "2026-03-20,视频,,否,M2,,,,,,,导入数据",
    ]


def test_worklist_lists_accounts_due_within_the_window_by_tier_then_days_overdue(con):
    wide = worklist.worklist(con, YTD, within_days=14)
    assert rows(wide, "account_id", "tier", "days_overdue", "due_date", "overdue") == [
        ("K1", "A", -10, date(2026, 7, 10), False),  # 06-10 + 30: the key account first
        ("K5", "B", 12, date(2026, 6, 18), True),
        ("K2", "C", -14, date(2026, 7, 14), False),  # 01-15 + 180
    ]
    m1 = replace(YTD, managers=("M1",))
    assert worklist.worklist(con, m1).is_empty()
    assert worklist.worklist(con, m1, within_days=10)["account_id"].to_list() == ["K1"]
    mine = replace(YTD, allowed_accounts=frozenset({"K1", "K2", "K6"}))
    assert worklist.worklist(con, mine, within_days=14)["account_id"].to_list() == ["K1", "K2"]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh-CN", "截至今天（2026-06-30），含您登记的全部拜访：依次为 A、B、C 类，每类中逾期最久的在前。"),
        (
            "en",
            "As of today, 2026-06-30, with every visit you have logged: tiers A, B, C in turn, the most overdue "
            "first in each.",
        ),
    ],
)
def test_the_worklist_names_no_other_day_when_the_figures_are_of_today(language, line):
    with i18n.speaking(language):
        assert worklist.counted_to(D, D) == line


def test_followups_come_and_go_with_visits(con):
    assert rows(visits.followups_due(con, YTD), "account_id", "next_date", "days_late") == [
        ("K2", date(2026, 2, 15), 135)
    ]
    save(con)  # K5, next step due 07-03
    save(con, replace(K5_CALL, account_id="K2", next_date=None), WANG)
    assert visits.followups_due(con, YTD).is_empty()
    july_3 = replace(YTD, as_of=date(2026, 7, 3))
    assert rows(visits.followups_due(con, july_3), "account_id", "next_step", "days_late") == [
        ("K5", "send samples", 0)
    ]


# --- edit and delete --------------------------------------------------------------------


def test_creator_edits_within_the_window_audited_before_and_after(con):
    visit_id = save(con)
    changed = replace(K5_CALL, notes="用量上升", next_date=date(2026, 7, 10))
    visit_log.edit_visit(con, visit_id, changed, LINA, now=NOW + timedelta(days=7), policy=POLICY)
    stored = visit_log.stored_visit(con, visit_id)
    assert (stored["notes"], stored["next_date"]) == ("用量上升", date(2026, 7, 10))
    assert stored["updated_at"] == NOW + timedelta(days=7)
    [event] = events(con, "visit.edit")
    before, after = json.loads(event["before"]), json.loads(event["after"])
    assert (event["username"], event["target"]) == ("lina", visit_id)
    assert (before["notes"], before["next_date"]) == ("用量稳定", "2026-07-03")
    assert (after["notes"], after["next_date"]) == ("用量上升", "2026-07-10")
    [created] = events(con, "visit.create")
    assert created["before"] is None
    assert json.loads(created["after"])["account_id"] == "K5"


def test_an_edit_may_keep_a_date_that_has_since_passed_the_age_limit(con):
    draft = replace(K5_CALL, visit_date=date(2026, 6, 1), next_date=None)
    visit_id = save(con, draft)
    later = NOW + timedelta(days=6)  # the visit is now 35 days old
    visit_log.edit_visit(con, visit_id, replace(draft, notes="补充"), LINA, now=later, policy=POLICY)
    assert visit_log.stored_visit(con, visit_id)["notes"] == "补充"
    with pytest.raises(InvalidVisit) as refused:
        visit_log.edit_visit(
            con, visit_id, replace(draft, visit_date=date(2026, 5, 31)), LINA, now=later, policy=POLICY
        )
    assert set(refused.value.errors) == {"visit_date"}


@pytest.mark.parametrize(
    ("user", "days", "message"),
    [
        (LINA_DESK, 1, "Only the person who logged a visit can change it."),
        (WANG, 1, "Only the person who logged a visit can change it."),
        (LINA, 7.01, "Visits can be changed only within 7 days of logging them."),
    ],
)
def test_edit_and_delete_refused_to_others_and_after_the_window(con, user, days, message):
    visit_id = save(con)
    when = NOW + timedelta(days=days)
    with pytest.raises(NotAllowed, match=message):
        visit_log.edit_visit(con, visit_id, replace(K5_CALL, notes="x"), user, now=when, policy=POLICY)
    with pytest.raises(NotAllowed, match=message):
        visit_log.delete_visit(con, visit_id, user, now=when, policy=POLICY)
    assert visit_rules.draft_of(visit_log.stored_visit(con, visit_id)) == K5_CALL
    assert count(con, "SELECT count(*) FROM audit_log WHERE action NOT IN ('visit.create', 'load')") == 0


def test_edit_that_breaks_a_rule_changes_nothing(con):
    visit_id = save(con)
    with pytest.raises(InvalidVisit):
        visit_log.edit_visit(con, visit_id, replace(K5_CALL, account_id="K1"), LINA, now=NOW, policy=POLICY)
    assert visit_rules.draft_of(visit_log.stored_visit(con, visit_id)) == K5_CALL
    assert not events(con, "visit.edit")


def test_creator_deletes_within_the_window_and_the_figures_follow(con):
    visit_id = save(con)
    visit_log.delete_visit(con, visit_id, LINA, now=NOW + timedelta(days=2), policy=POLICY)
    assert visit_log.stored_visit(con, visit_id) is None
    assert rows(visits.visit_coverage(con, YTD), "coverage") == [(0.75,)]
    [event] = events(con, "visit.delete")
    assert json.loads(event["before"])["visit_id"] == visit_id
    assert event["after"] is None
    with pytest.raises(NotAllowed, match="no longer exists"):
        visit_log.delete_visit(con, visit_id, LINA, now=NOW, policy=POLICY)


def test_a_visit_that_arrived_in_the_export_is_changed_there(con, path):
    visit_id = save(con)
    row = con.execute(
        "SELECT visit_id, account_id, manager_id, visit_date, channel FROM visits WHERE visit_id = ?", [visit_id]
    ).fetchone()
    exported = path.parent / "visits.csv"
    exported.write_text(exported.read_text(encoding="utf-8") + ",".join(map(str, row)) + ",,\n", encoding="utf-8")
    loader.load_folder(con, path.parent, today=LOADED_ON)
    assert count(con, f"SELECT count(*) FROM visits WHERE visit_id = '{visit_id}' AND source = 'import'") == 1
    with pytest.raises(NotAllowed, match="CRM"):
        visit_log.delete_visit(con, visit_id, LINA, now=NOW, policy=POLICY)


def test_a_write_that_meets_a_conflict_is_retried(con, monkeypatch: pytest.MonkeyPatch):
    visit_id = save(con)
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE visits_app SET notes = 'held' WHERE visit_id = ?", [visit_id])
    pauses = []

    def pause(attempt: int) -> None:
        pauses.append(attempt)
        if attempt == 1:
            other.execute("COMMIT")

    monkeypatch.setattr(write, "_pause", pause)
    visit_log.edit_visit(con, visit_id, replace(K5_CALL, notes="retried"), LINA, now=NOW, policy=POLICY)
    assert pauses == [0, 1]
    assert visit_log.stored_visit(con, visit_id)["notes"] == "retried"
    [event] = events(con, "visit.edit")
    assert json.loads(event["before"])["notes"] == "held"


def test_a_conflict_that_outlasts_the_retries_is_a_message_not_a_database_error(con, monkeypatch):
    visit_id = save(con)
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("DELETE FROM visits_app WHERE visit_id = ?", [visit_id])
    pauses = []
    monkeypatch.setattr(write, "_pause", pauses.append)
    with pytest.raises(visit_rules.NotSaved, match="database is busy"):
        visit_log.delete_visit(con, visit_id, LINA, now=NOW, policy=POLICY)
    assert pauses == list(range(write.ATTEMPTS - 1))
    other.execute("ROLLBACK")
    assert visit_log.stored_visit(con, visit_id) is not None
    assert not events(con, "visit.delete")


def test_recent_visits_of_a_manager_and_of_another_user(con):
    mine = save(con)
    ten_days_ago = NOW - timedelta(days=10)
    vps = visit_log.save_visit(con, replace(K5_CALL, visit_date=date(2026, 6, 20)), VP, now=ten_days_ago)
    history = visit_log.recent_visits(con, LINA, now=NOW, policy=POLICY)
    # M2's accounts K3, K4, K5: imported V5, V6, V7, and the two logged in the app; newest first.
    assert rows(history, "visit_id", "source", "editable") == [
        (mine, "app", True),
        (vps, "app", False),  # logged by the VP
        ("V7", "import", False),
        ("V6", "import", False),
        ("V5", "import", False),
    ]
    assert history["met_with"][0] == "采购部 陈经理"
    assert visit_log.recent_visits(con, LINA, limit=2, now=NOW).height == 2
    # The VP logged theirs ten days before NOW: outside the 7-day window.
    assert rows(visit_log.recent_visits(con, VP, now=NOW, policy=POLICY), "account_id", "editable") == [("K5", False)]
    assert visit_log.recent_visits(con, WANG, now=NOW)["account_id"].to_list() == ["K1", "K1", "K1", "K2"]


# --- many sessions, a killed server, a reload ---------------------------------------------


def test_twenty_sessions_saving_at_once_all_persist(path: Path):
    threads_n, per_thread = 20, 50
    con = db.connect(path)
    start = threading.Barrier(threads_n)
    saved: list[str] = []
    errors: list[BaseException] = []

    def session(k: int) -> None:
        cursor = con.cursor()  # one cursor per session, as each script-run thread takes
        user, account = (LINA, "K5") if k % 2 else (WANG, "K1")
        draft = replace(K5_CALL, account_id=account, notes=f"session {k}")
        start.wait()
        try:
            for _ in range(per_thread):
                saved.append(visit_log.save_visit(cursor, draft, user, now=NOW, policy=POLICY))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    con.close()
    assert errors == []
    with db.connect(path, read_only=True) as reopened:
        stored = {r[0] for r in reopened.execute("SELECT visit_id FROM visits_app").fetchall()}
        assert len(saved) == len(set(saved)) == threads_n * per_thread
        assert stored == set(saved)
        assert count(reopened, "SELECT count(*) FROM audit_log WHERE action = 'visit.create'") == 1000


SAVER = """
import sys
from kam.store import db
from kam.visits import log as visit_log
from tests.unit.test_visit_log import LINA, NOW, POLICY, K5_CALL

con = db.connect(sys.argv[1])
while True:
    print(visit_log.save_visit(con, K5_CALL, LINA, now=NOW, policy=POLICY), flush=True)
"""


def test_confirmed_visits_survive_the_process_being_killed(path: Path):
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(path)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    confirmed = []
    try:
        while len(confirmed) < 40:
            line = child.stdout.readline()
            assert line, f"the saving process ended early (exit {child.poll()})"
            confirmed.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with db.connect(path) as reopened:
        stored = {r[0] for r in reopened.execute("SELECT visit_id FROM visits_app").fetchall()}
    assert set(confirmed) <= stored


def test_app_visits_survive_a_reload_of_the_exports(path: Path):
    with db.connect(path) as con:
        saved = {save(con), save(con, replace(K5_CALL, account_id="K2", next_date=None), WANG)}
    subprocess.run(
        [sys.executable, "-m", "kam", "load", str(path.parent), "--db", str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with db.connect(path) as con:
        assert count(con, "SELECT count(*) FROM load_history") == 2
        app = {r[0] for r in con.execute("SELECT visit_id FROM visits WHERE source = 'app'").fetchall()}
        assert app == saved
        assert rows(visits.visit_coverage(con, YTD), "coverage") == [(1.0,)]


def test_who_was_met_leads_the_exported_notes_in_the_language_of_the_one_downloading(con):
    save(con)
    save(con, replace(K5_CALL, account_id="K2", met_with="", notes="续约"), WANG)
    met = {"zh-CN": "会见：采购部 陈经理\n用量稳定", "en": "Met with: 采购部 陈经理\n用量稳定"}
    exported = {}
    for language, notes in met.items():
        with i18n.speaking(language):
            exported[language] = visit_export.export_app_visits(con).sort("account_id")
            csv = pl.read_csv(visit_export.app_visits_csv(con), infer_schema=False).sort("account_id")
        assert exported[language]["notes"].to_list() == ["续约", notes]
        assert csv["notes"].to_list() == ["续约", notes]
    # Every other column and value the contract's (a purpose by its step and the CRM's name), whatever the language.
    assert exported["zh-CN"].drop("notes").equals(exported["en"].drop("notes"))
    assert exported["zh-CN"].select("account_id", "channel", "purpose").rows() == [
        ("K2", "phone", "2 电话回访使用情况"),
        ("K5", "phone", "2 电话回访使用情况"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exported_app_visits_load_as_a_visits_file_and_count_once(con, path: Path, fmt: str):
    save(con)
    save(con, replace(K5_CALL, purpose="other", purpose_other="=年度 谈判", executive=True, met_with="", notes=""))
    save(con, replace(K5_CALL, account_id="K2", purpose=None, next_step="", next_date=None, met_with=""), WANG)
    exported = visit_export.export_app_visits(con)
    assert exported.columns == [c.name for c in VISITS.columns]
    assert set(exported["notes"]) == {"Met with: 采购部 陈经理\n用量稳定", None, "用量稳定"}
    data = visit_export.app_visits_csv(con) if fmt == "csv" else visit_export.app_visits_parquet(con)
    (path.parent / f"visits_app.{fmt}").write_bytes(data)
    before = count(con, "SELECT count(*) FROM visits")

    report = loader.load_folder(con, path.parent, today=LOADED_ON)

    assert report.rejects.is_empty(), report.summary()
    assert report.rows_loaded["visits"] == 7 + 3
    assert count(con, "SELECT count(*) FROM visits") == before
    assert count(con, "SELECT count(*) FROM visits WHERE source = 'app'") == 0
    imported = db.query(con, "SELECT * EXCLUDE (source) FROM visits WHERE visit_id LIKE 'APP-%'")
    expected = exported
    if fmt == "csv":  # the CSV guards a formula-looking cell for spreadsheets
        expected = exported.with_columns(pl.col("purpose").str.replace(r"^=", "'="))
    assert imported.sort("visit_id").equals(expected.sort("visit_id"))
    assert rows(visits.visit_coverage(con, YTD), "coverage") == [(1.0,)]
