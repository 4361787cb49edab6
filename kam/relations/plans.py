"""Account plans: one per account and year, with actions and every status change kept with its date.

A plan carries a version that every save of its text or status moves on. A save names the
version it started from; when the stored plan has moved on since, the save is refused with
the plan as saved now (Stale), so two people editing one plan never overwrite each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.present.columns import ACTION_STATUS_LABELS, PLAN_STATUS_LABELS
from kam.present.formatting import MISSING, day, too_long
from kam.relations.rules import (
    ACTION_STATUSES,
    MANAGER,
    TRANSITIONS,
    VP,
    ActionStale,
    Actor,
    Invalid,
    MoveStale,
    NotAllowed,
    NotSaved,
    Stale,
    check_account,
    text,
)
from kam.store import audit, db
from kam.store.write import write

ACTION_SAVE, ACTION_STATUS = "plan.save", "plan.status"
ACTION_ADD, ACTION_CHANGE = "plan_action.add", "plan_action.status"
MAX_TEXT = {"objectives": 4000, "strategy": 4000, "resources": 2000}
MAX_ACTION = 500
# An action's owner is a name, as short as a contact's name or title.
MAX_OWNER = 100
# Statuses in which the plan's text may still change.
EDITABLE = ("draft", "shared")


@dataclass(frozen=True)
class PlanDraft:
    """What the plan form holds, as typed."""

    account_id: str
    year: int
    objectives: str = ""
    revenue_goal: float | None = None
    strategy: str = ""
    resources: str = ""
    sponsor: str | None = None


def _fetch(cur: duckdb.DuckDBPyConnection, plan_id: str) -> dict[str, Any] | None:
    frame = db.query(cur, "SELECT * FROM account_plans WHERE plan_id = $id", {"id": plan_id})
    return frame.row(0, named=True) if frame.height else None


def _fetch_for(cur: duckdb.DuckDBPyConnection, account_id: str, year: int) -> dict[str, Any] | None:
    frame = db.query(
        cur,
        "SELECT * FROM account_plans WHERE account_id = $account_id AND year = $year",
        {"account_id": account_id, "year": year},
    )
    return frame.row(0, named=True) if frame.height else None


def validate(cur: duckdb.DuckDBPyConnection, draft: PlanDraft) -> dict[str, str]:
    """Field → message for every field of the draft that fails its check."""
    errors: dict[str, str] = {}
    if not text(draft.objectives):
        errors["objectives"] = _("Write the plan's objectives.")
    for field, limit in MAX_TEXT.items():
        if len(getattr(draft, field) or "") > limit:
            errors[field] = too_long(len(getattr(draft, field)), limit)
    if draft.revenue_goal is not None and not draft.revenue_goal > 0:
        errors["revenue_goal"] = _("The revenue goal must be greater than 0.")
    if not 2000 <= int(draft.year) <= 2100:
        errors["year"] = _("Choose a year.")
    if draft.sponsor and draft.sponsor not in sponsors(cur):
        errors["sponsor"] = _("The executive sponsor must be an active manager or the VP.")
    return errors


def sponsors(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Who may sponsor a plan, user name → name: the active managers and VPs (an admin account is no sponsor)."""
    frame = db.query(
        con,
        "SELECT username, name FROM users WHERE active AND role IN ($manager, $vp) ORDER BY username",
        {"manager": MANAGER, "vp": VP},
    )
    return dict(zip(frame["username"], frame["name"], strict=True))


def person(con: duckdb.DuckDBPyConnection, username: str | None) -> str:
    """A user's name as people read it (as stored when the user is gone); empty for nobody."""
    if not username:
        return ""
    name = db.scalar(con, "SELECT name FROM users WHERE username = $u", {"u": username})
    return name or username


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}


def save_plan(
    con: duckdb.DuckDBPyConnection,
    draft: PlanDraft,
    user: Actor,
    *,
    version: int | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Create the account's plan for the year (version None) or save its text over `version`; the plan saved.

    Raises Invalid, NotAllowed, Stale (the plan moved on since `version`) or NotSaved.
    """
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        check_account(cur, user, draft.account_id, edit=True)
        errors = validate(cur, draft)
        if errors:
            raise Invalid(errors)
        values = asdict(draft) | {
            "objectives": text(draft.objectives),
            "strategy": text(draft.strategy),
            "resources": text(draft.resources),
            "sponsor": text(draft.sponsor),
            "revenue_goal": None if draft.revenue_goal is None else float(draft.revenue_goal),
        }
        before = _fetch_for(cur, draft.account_id, draft.year)
        if before is not None and before["version"] != version:
            raise Stale(before)
        if before is None and version is not None:
            raise NotAllowed(_("This plan no longer exists."))
        if before is None:
            row = values | {
                "plan_id": "PLAN-" + uuid.uuid4().hex[:12],
                "status": "draft",
                "version": 1,
                "created_by": user.username,
                "created_at": now,
                "updated_by": user.username,
                "updated_at": now,
            }
            db.execute(
                cur,
                f"INSERT INTO account_plans ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})",
                row,
            )
            _history(cur, row["plan_id"], "draft", user, now)
            audit.record(cur, user.username, ACTION_SAVE, row["plan_id"], None, _audited(row))
            return row
        if before["status"] not in EDITABLE:
            raise NotAllowed(_("An agreed or closed plan cannot be changed; the VP can move it back to shared."))
        after = before | values | {"version": before["version"] + 1, "updated_by": user.username, "updated_at": now}
        changed = {k: after[k] for k in (*values, "version", "updated_by", "updated_at")}
        db.execute(
            cur,
            f"UPDATE account_plans SET {', '.join(f'{k} = ${k}' for k in changed)} "
            "WHERE plan_id = $plan_id AND version = $old_version",
            changed | {"plan_id": before["plan_id"], "old_version": before["version"]},
        )
        audit.record(cur, user.username, ACTION_SAVE, before["plan_id"], _audited(before), _audited(after))
        return after

    return write(con, work, busy=NotSaved)


def _history(cur: duckdb.DuckDBPyConnection, plan_id: str, status: str, user: Actor, now: datetime) -> None:
    db.execute(
        cur,
        "INSERT INTO plan_status_history VALUES ($plan_id, $status, $on, $at, $by)",
        {"plan_id": plan_id, "status": status, "on": now.date(), "at": now, "by": user.username},
    )


def status_label(status: str) -> str:
    """A plan's status as the plans page names it, in the run's language (an unknown code as it is)."""
    label = PLAN_STATUS_LABELS.get(status)
    return _(label) if label else status


def may_move(user: Actor, status: str, to: str) -> bool:
    """Whether the user's role may move a plan from status to `to`."""
    return user.role in TRANSITIONS.get(status, {}).get(to, ())


def next_statuses(user: Actor, status: str) -> list[str]:
    """The statuses the user may move a plan on to from status."""
    return [to for to in TRANSITIONS.get(status, {}) if may_move(user, status, to)]


def set_status(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    status: str,
    user: Actor,
    *,
    version: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Move a plan to status (only the VP agrees and closes), kept with today's date; the plan saved.

    version: the plan's version the move was offered at; MoveStale when the plan has changed since.
    """
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        before = _fetch(cur, plan_id)
        if before is None:
            raise NotAllowed(_("This plan no longer exists."))
        check_account(cur, user, before["account_id"], edit=True)
        if before["version"] != version:
            raise MoveStale(before)
        if status not in TRANSITIONS.get(before["status"], {}):
            raise NotAllowed(
                _("A plan cannot move from {old} to {new}.").format(
                    old=status_label(before["status"]), new=status_label(status)
                )
            )
        if not may_move(user, before["status"], status):
            raise NotAllowed(_("Only the VP may sign a plan off or close it."))
        after = before | {"status": status, "version": version + 1, "updated_by": user.username, "updated_at": now}
        db.execute(
            cur,
            "UPDATE account_plans SET status = $status, version = $version, updated_by = $by, updated_at = $at "
            "WHERE plan_id = $plan_id",
            {"status": status, "version": version + 1, "by": user.username, "at": now, "plan_id": plan_id},
        )
        _history(cur, plan_id, status, user, now)
        audit.record(cur, user.username, ACTION_STATUS, plan_id, {"status": before["status"]}, {"status": status})
        return after

    return write(con, work, busy=NotSaved)


def _open_action_alike(cur: duckdb.DuckDBPyConnection, plan_id: str, description: str | None, due_on: date) -> bool:
    """Whether the plan has an open action with this description and due day."""
    found = db.scalar(
        cur,
        "SELECT count(*) FROM plan_actions WHERE plan_id = $plan AND status = 'open' AND description = $description"
        " AND due_on = $due_on",
        {"plan": plan_id, "description": description, "due_on": due_on},
    )
    return bool(found)


def _plan_checked(cur: duckdb.DuckDBPyConnection, plan_id: str, user: Actor, *, edit: bool) -> dict[str, Any]:
    plan = _fetch(cur, plan_id)
    if plan is None:
        raise NotAllowed(_("This plan no longer exists."))
    check_account(cur, user, plan["account_id"], edit=edit)
    return plan


def add_action(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    description: str,
    owner: str | None,
    due_on: date | None,
    user: Actor,
    *,
    now: datetime | None = None,
) -> str:
    """Add an open action to a plan; its id once committed."""
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> str:
        plan = _plan_checked(cur, plan_id, user, edit=True)
        errors: dict[str, str] = {}
        if not text(description):
            errors["description"] = _("Describe the action.")
        elif len(description) > MAX_ACTION:
            errors["description"] = too_long(len(description), MAX_ACTION)
        if owner and len(owner) > MAX_OWNER:
            errors["owner"] = too_long(len(owner), MAX_OWNER)
        year_starts = date(plan["year"], 1, 1)
        if due_on is None:
            errors["due_on"] = _("Choose the day the action is due.")
        elif due_on < year_starts:
            # Due before its plan's year, an action would be overdue from the day it is added.
            errors["due_on"] = _("Choose a day in the plan's year or later: from {date}.").format(date=day(year_starts))
        elif "description" not in errors and _open_action_alike(cur, plan_id, text(description), due_on):
            # The same action typed twice (a second tap, or the form filled again) would list it twice.
            errors["description"] = _("This plan already has this action open, due {date}.").format(date=day(due_on))
        if plan["status"] == "closed":
            errors["description"] = _("A closed plan takes no new actions.")
        if errors:
            raise Invalid(errors)
        row = {
            "action_id": "ACT-" + uuid.uuid4().hex[:12],
            "plan_id": plan_id,
            "description": text(description),
            "owner": text(owner),
            "due_on": due_on,
            "status": "open",
            "updated_by": user.username,
            "updated_at": now,
        }
        db.execute(cur, f"INSERT INTO plan_actions ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})", row)
        audit.record(cur, user.username, ACTION_ADD, row["action_id"], None, _audited(row), at=now)
        return row["action_id"]

    return write(con, work, busy=NotSaved)


def set_action_status(
    con: duckdb.DuckDBPyConnection,
    action_id: str,
    status: str,
    user: Actor,
    *,
    seen: str | None = None,
    now: datetime | None = None,
) -> None:
    """Mark an action open, done or dropped.

    seen: the status the user saw; when the action has changed since (someone else ticked or dropped
    it), nothing is saved and ActionStale says who changed it and to what.
    """
    now = now or datetime.now()
    if status not in ACTION_STATUSES:
        raise Invalid({"status": _("Choose a status from the list.")})

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        frame = db.query(cur, "SELECT * FROM plan_actions WHERE action_id = $id", {"id": action_id})
        if frame.is_empty():
            raise NotAllowed(_("This action no longer exists."))
        before = frame.row(0, named=True)
        _plan_checked(cur, before["plan_id"], user, edit=True)
        if seen is not None and before["status"] != seen:
            raise ActionStale(before)
        if before["status"] == status:
            return
        db.execute(
            cur,
            "UPDATE plan_actions SET status = $status, updated_by = $by, updated_at = $at WHERE action_id = $id",
            {"status": status, "by": user.username, "at": now, "id": action_id},
        )
        audit.record(
            cur, user.username, ACTION_CHANGE, action_id, {"status": before["status"]}, {"status": status}, at=now
        )

    write(con, work, busy=NotSaved)


# --- reading ----------------------------------------------------------------------------


def plan_for(con: duckdb.DuckDBPyConnection, user: Actor, account_id: str, year: int) -> dict[str, Any] | None:
    """The account's plan for the year if the user may see the account (NotAllowed otherwise), or None."""
    check_account(con, user, account_id, edit=False)
    return _fetch_for(con, account_id, year)


def actions(con: duckdb.DuckDBPyConnection, user: Actor, plan_id: str) -> pl.DataFrame:
    """A plan's actions, by due date."""
    _plan_checked(con, plan_id, user, edit=False)
    return db.query(
        con,
        """
        SELECT action_id, description, owner, due_on, status, updated_by, updated_at
        FROM plan_actions WHERE plan_id = $id ORDER BY due_on, description, action_id
        """,
        {"id": plan_id},
    )


def action_line(action: Mapping[str, Any], as_of: date) -> str:
    """An action as the plans page lists it: what, who, when due, and "overdue" or "dropped" where it is so
    (a done one is ticked)."""
    due = action["due_on"].isoformat() if action["due_on"] else MISSING
    parts = [action["description"], action["owner"] or MISSING, due]
    if action["status"] == "dropped":
        parts.append(_(ACTION_STATUS_LABELS[action["status"]]))
    elif action["status"] == "open" and action["due_on"] is not None and action["due_on"] < as_of:
        parts.append(_("overdue"))
    return " · ".join(parts)


def status_history(con: duckdb.DuckDBPyConnection, user: Actor, plan_id: str) -> pl.DataFrame:
    """Every status the plan took, oldest first, with the day and who."""
    _plan_checked(con, plan_id, user, edit=False)
    return db.query(
        con,
        "SELECT status, changed_on, changed_by FROM plan_status_history WHERE plan_id = $id ORDER BY changed_at",
        {"id": plan_id},
    )


def plan_accounts(con: duckdb.DuckDBPyConnection, user: Actor, as_of: date) -> pl.DataFrame:
    """The accounts the user may plan for (a manager: their own), active at as_of, key accounts first."""
    return db.query(
        con,
        """
        SELECT account_id, name, tier, manager_id, name || ' (' || account_id || ')' AS label
        FROM accounts
        WHERE created_on <= $d AND (churned_on IS NULL OR churned_on > $d)
          AND (NOT $restricted OR manager_id = $manager_id)
        ORDER BY tier, account_id
        """,
        {"d": as_of, "restricted": user.role == MANAGER, "manager_id": user.manager_id},
    )


def plans_progress(con: duckdb.DuckDBPyConnection, user: Actor, year: int, as_of: date) -> pl.DataFrame:
    """The year's plans the user may see: status, revenue so far (orders of the year up to as_of) against
    the goal, actions done, open and overdue (open with a due date before as_of)."""
    return db.query(
        con,
        """
        SELECT p.plan_id, p.account_id, a.name, a.manager_id, p.status, p.revenue_goal,
               coalesce((SELECT sum(o.amount) FROM orders AS o
                         WHERE o.account_id = p.account_id AND year(o.order_date) = p.year
                           AND o.order_date <= $as_of), 0) AS revenue,
               (SELECT count(*) FROM plan_actions AS x WHERE x.plan_id = p.plan_id AND x.status = 'done')
                   AS actions_done,
               (SELECT count(*) FROM plan_actions AS x WHERE x.plan_id = p.plan_id AND x.status = 'open')
                   AS actions_open,
               (SELECT count(*) FROM plan_actions AS x
                WHERE x.plan_id = p.plan_id AND x.status = 'open' AND x.due_on < $as_of) AS actions_overdue,
               p.version, p.updated_by, p.updated_at
        FROM account_plans AS p
        JOIN accounts AS a USING (account_id)
        WHERE p.year = $year AND (NOT $restricted OR a.manager_id = $manager_id)
        ORDER BY p.account_id
        """,
        {"year": year, "as_of": as_of, "restricted": user.role == MANAGER, "manager_id": user.manager_id},
    ).with_columns(goal_share=pl.when(pl.col("revenue_goal") > 0).then(pl.col("revenue") / pl.col("revenue_goal")))
