"""Every field an audited record stores reads by a name in Chinese in the audit log's Change column.

The fields are gathered from the code, so that a field added later without a name fails here: the keys of the
records written out in kam's audit calls (found by reading the source), and the stored rows of the records that
are a table's row (a visit, a plan, a plan action, a contact, a quarterly review, a target), written once on the
portfolio of tests/portfolio.py.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime
from pathlib import Path

import kam
from kam import i18n
from kam.people.users import User
from kam.present import changes
from kam.relations import contacts, plans, reviews, targets
from kam.store import audit
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft

M1 = User("m1", "王伟", "manager", "M1")
VP = User("vp", "赵总", "vp", None)
AUDIT_CALLS = {"record", "record_alone"}
# The record arguments of audit.record(con, username, action, target, before, after).
ACTION_AT, RECORDS_FROM = 2, 4
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _keys(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Dict):
        return {key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    return set()


def _returned(function: ast.AST, functions: dict[str, ast.AST]) -> set[str]:
    """Keys of the dict a function returns: a literal, or a dict it names."""
    keys: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            keys |= _keys(value) | (_written(function, value.id, functions) if isinstance(value, ast.Name) else set())
    return keys


def _written(function: ast.AST, name: str, functions: dict[str, ast.AST]) -> set[str]:
    """Keys a function puts into the dict it names `name`: in a literal assigned to it, one by one, or in the dict
    a function of the same module returns to it (functions: the module's, by name)."""
    keys: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                keys |= _keys(node.value)
                call = node.value
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in functions:
                    keys |= _returned(functions[call.func.id], functions)
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id == name
                and isinstance(target.slice, ast.Constant)
            ):
                keys.add(target.slice.value)
    return keys


def literal_fields() -> set[tuple[str | None, str]]:
    """(action, field) for every field of a record written out where kam calls audit.record (or record_alone)."""
    found: set[tuple[str | None, str]] = set()
    for path in Path(kam.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            for call in ast.walk(function):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in AUDIT_CALLS
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == "audit"
                ):
                    continue
                action_node = call.args[ACTION_AT] if len(call.args) > ACTION_AT else None
                action = action_node.value if isinstance(action_node, ast.Constant) else None
                records = [*call.args[RECORDS_FROM:], *(k.value for k in call.keywords if k.arg in ("before", "after"))]
                for record in records:
                    keys = _keys(record)
                    if isinstance(record, ast.Name):
                        keys |= _written(function, record.id, functions)
                    found |= {(action, key) for key in keys}
    return found


def stored_fields(con) -> set[tuple[str, str]]:
    """(action, field) for every field of the records that are a table's row, each written once."""
    now = datetime(2026, 6, 30, 15, 0)
    draft = VisitDraft("K1", date(2026, 6, 29), "phone", "relationship", "", False, "", "", "", None)
    visit_log.save_visit(con, draft, M1, now=now)
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", 10000.0), M1, version=None, now=now)
    plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 7, 31), M1)
    contacts.save_contact(con, contacts.ContactDraft("K1", "刘总", "CEO"), M1, now=now)
    reviews.save_review(con, 2026, 2, "M1", "good", "", VP, now=now)
    targets.set_target(con, "M1", 2027, 50000.0, 120, VP, now=datetime(2026, 12, 1, 10, 0))
    found = set()
    for action, before, after in audit.events(con).select("action", "before", "after").iter_rows():
        for stored in (before, after):
            found |= {(action, field) for field in json.loads(stored or "{}")}
    return found


def test_the_source_scan_finds_the_records_written_out():
    fields = literal_fields()
    # Hand-picked from kam.people: a session's start (via), a password set (must_change), a user's change (the
    # dict `new` that a function of the module builds before the call) and a failed sign-in's keys added one by
    # one (why).
    assert {("session.start", "via"), ("user.password", "must_change"), ("user.change", "active")} <= fields
    assert {("sign_in.failed", "why"), ("sign_in.failed", "failures"), ("brief.schedule", "active")} <= fields


def test_every_field_of_an_audited_record_has_a_chinese_name(con):
    fields = literal_fields() | stored_fields(con)
    assert ("visit.create", "warning_signs") in fields and ("target.set", "revenue_target") in fields
    with i18n.speaking("zh-CN"):
        unnamed = sorted(
            f"{action}: {field} ({name})"
            for action, field in fields
            if field not in changes.BOOKKEEPING and not CHINESE.search(name := changes.field_name(field, action))
        )
    assert unnamed == []


def test_a_contacts_fields_read_in_the_log_as_its_form_says_them():
    with i18n.speaking("zh-CN"):
        said = [changes.field_name(field, "contact.edit") for field in ("name", "active", "title")]
        # An account's 'active' is 在册 and an account's name 名称; a contact's are the form's words.
        assert said[:2] == ["姓名", "仍在客户处任职"]
        assert said[:2] != [changes.field_name(field, "account.edit") for field in ("name", "active")]
        assert said[2] == changes.field_name("title")
