"""Visits logged in the app: saving, editing and deleting them, and reading them back.

Visits entered here live in ``visits_app``, which the loader never replaces; the ``visits``
view merges them with the imported ones, so a saved visit counts in every metric at once.
Every write goes through ``kam.store.write``: one transaction together with its audit event,
retried on a DuckDB transaction conflict, so concurrent sessions never see a lock error.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import polars as pl

from kam.config import Settings, settings
from kam.i18n import _
from kam.present.formatting import beside_id
from kam.store import audit, db
from kam.store.schema import CONTACTS_MET
from kam.store.write import write
from kam.visits.rules import (
    MANAGER_ROLE,
    Author,
    InvalidVisit,
    NotAllowed,
    NotSaved,
    VisitDraft,
    may_log_for,
    record_of,
    stripped,
    validate,
)

ACTION_CREATE, ACTION_EDIT, ACTION_DELETE = "visit.create", "visit.edit", "visit.delete"
ID_PREFIX = "APP-"


# --- writing ----------------------------------------------------------------------------


def new_visit_id() -> str:
    """A fresh id for a visit entered in the app."""
    return ID_PREFIX + uuid.uuid4().hex


def _account(cur: duckdb.DuckDBPyConnection, account_id: str | None) -> dict[str, Any] | None:
    rows = cur.execute(
        "SELECT account_id, manager_id FROM accounts WHERE account_id = $account_id",
        {"account_id": stripped(account_id)},
    ).fetchall()
    return {"account_id": rows[0][0], "manager_id": rows[0][1]} if rows else None


def _checked(
    cur: duckdb.DuckDBPyConnection, draft: VisitDraft, user: Author, today: date, policy: Settings
) -> dict[str, Any]:
    """The record to store for the draft, or InvalidVisit; the account is checked against the database."""
    account = _account(cur, draft.account_id)
    known = {account["account_id"]} if account else set()
    allowed = known if account and may_log_for(user, account["manager_id"]) else set()
    errors = validate(draft, today, policy, allowed, known_accounts=known)
    if draft.contact_ids and account and "account_id" not in errors:
        # Contacts met must be the account's own (the exports carry them so, DATA_CONTRACT.md).
        theirs = db.query(
            cur,
            "SELECT contact_id FROM contacts WHERE account_id = $account_id AND list_contains($ids, contact_id)",
            {"account_id": account["account_id"], "ids": list(draft.contact_ids)},
        )
        if theirs.height != len(set(draft.contact_ids)):
            errors["contact_ids"] = _("Pick only contacts of this account.")
    if errors:
        raise InvalidVisit(errors)
    # The visit is credited to whoever made it when they are a manager, else to the account's manager.
    return record_of(draft, user.manager_id or account["manager_id"])


def _fetch(cur: duckdb.DuckDBPyConnection, visit_id: str) -> dict[str, Any] | None:
    frame = db.query(cur, "SELECT * FROM visits_app WHERE visit_id = $visit_id", {"visit_id": visit_id})
    return frame.row(0, named=True) if frame.height else None


def save_visit(
    con: duckdb.DuckDBPyConnection,
    draft: VisitDraft,
    user: Author,
    *,
    now: datetime | None = None,
    policy: Settings | None = None,
    visit_id: str | None = None,
) -> str:
    """Check and store a new visit with its audit event; return its id once committed.

    Raises InvalidVisit (errors by field) or NotSaved. A visit_id chosen by the caller
    (e.g. once per form) makes a repeated submit return the visit already saved.
    """
    policy = policy or settings()
    now = now or datetime.now()
    visit_id = visit_id or new_visit_id()

    def work(cur: duckdb.DuckDBPyConnection) -> str:
        existing = _fetch(cur, visit_id)
        if existing is not None:
            if existing["created_by"] != user.username:
                raise NotAllowed(_("This visit id is already taken."))
            return visit_id
        # The visits view counts an imported visit over an app one with its id: this one would never count.
        if db.scalar(cur, "SELECT count(*) FROM visits_imported WHERE visit_id = $id", {"id": visit_id}):
            raise NotAllowed(_("This visit id is already taken by a visit of the CRM export."))
        record = _checked(cur, draft, user, now.date(), policy)
        row = {"visit_id": visit_id, **record, "created_by": user.username, "created_at": now, "updated_at": now}
        db.execute(
            cur,
            f"INSERT INTO visits_app ({', '.join(row)}) VALUES ({', '.join('$' + name for name in row)})",
            row,
        )
        audit.record(cur, user.username, ACTION_CREATE, visit_id, None, _audited(row))
        return visit_id

    return write(con, work, busy=NotSaved)


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}


def _may_change(cur: duckdb.DuckDBPyConnection, visit_id: str, user: Author, now: datetime, policy: Settings) -> dict:
    """The stored visit if the user may still edit or delete it, else NotAllowed."""
    row = _fetch(cur, visit_id)
    if row is None:
        raise NotAllowed(_("This visit no longer exists."))
    if row["created_by"] != user.username:
        raise NotAllowed(_("Only the person who logged a visit can change it."))
    if now - row["created_at"] > timedelta(days=policy.visit_edit_days):
        raise NotAllowed(
            _("Visits can be changed only within {days} days of logging them.").format(days=policy.visit_edit_days)
        )
    if db.scalar(cur, "SELECT count(*) FROM visits_imported WHERE visit_id = $id", {"id": visit_id}):
        raise NotAllowed(_("This visit has since arrived in the CRM export; change it there."))
    return row


def edit_visit(
    con: duckdb.DuckDBPyConnection,
    visit_id: str,
    draft: VisitDraft,
    user: Author,
    *,
    now: datetime | None = None,
    policy: Settings | None = None,
) -> None:
    """Replace a visit's fields, by its creator within the edit window, audited with before and after."""
    policy = policy or settings()
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        before = _may_change(cur, visit_id, user, now, policy)
        # A visit that was within the age limit when logged may still have its other fields corrected.
        limits = policy
        if draft.visit_date == before["visit_date"]:
            age = (now.date() - before["visit_date"]).days
            limits = replace(policy, visit_max_age_days=max(policy.visit_max_age_days, age))
        record = _checked(cur, draft, user, now.date(), limits)
        if record["account_id"] == before["account_id"]:
            record["manager_id"] = before["manager_id"]
        after = before | record | {"updated_at": now}
        db.execute(
            cur,
            f"UPDATE visits_app SET {', '.join(f'{name} = ${name}' for name in record)}, updated_at = $updated_at "
            "WHERE visit_id = $visit_id",
            after,
        )
        audit.record(cur, user.username, ACTION_EDIT, visit_id, _audited(before), _audited(after))

    write(con, work, busy=NotSaved)


def delete_visit(
    con: duckdb.DuckDBPyConnection,
    visit_id: str,
    user: Author,
    *,
    now: datetime | None = None,
    policy: Settings | None = None,
) -> None:
    """Remove a visit, by its creator within the edit window, audited with the record before."""
    policy = policy or settings()
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        before = _may_change(cur, visit_id, user, now, policy)
        db.execute(cur, "DELETE FROM visits_app WHERE visit_id = $visit_id", {"visit_id": visit_id})
        audit.record(cur, user.username, ACTION_DELETE, visit_id, _audited(before), None)

    write(con, work, busy=NotSaved)


# --- reading ----------------------------------------------------------------------------


def loggable_accounts(con: duckdb.DuckDBPyConnection, user: Author, today: date | None = None) -> pl.DataFrame:
    """Accounts the user may log a visit for (a manager: their own), active today, by id."""
    return db.query(
        con,
        """
        SELECT account_id, name, name || ' (' || account_id || ')' AS label, tier, region, manager_id
        FROM accounts
        WHERE created_on <= $today AND (churned_on IS NULL OR churned_on > $today)
          AND (NOT $restricted OR manager_id = $manager_id)
        ORDER BY account_id
        """,
        {"today": today or date.today(), "restricted": user.role == MANAGER_ROLE, "manager_id": user.manager_id},
    )


def recent_visits(
    con: duckdb.DuckDBPyConnection,
    user: Author,
    limit: int = 50,
    *,
    now: datetime | None = None,
    policy: Settings | None = None,
) -> pl.DataFrame:
    """A manager's latest visits to their accounts (imported and logged), or those another user logged.

    Newest first, in the order a phone reads them: the account (name beside id), date, channel and notes first,
    then the purpose (within a laptop's width, beside them), the visit id last; `editable` marks the ones the user
    may still edit or delete. Everything the visit recorded is there: the people met as typed and the account's
    contacts it names (`contacts`, by name), its credit warning signs (`signs`, their codes) too.
    """
    policy = policy or settings()
    now = now or datetime.now()
    return db.query(
        con,
        f"""
        SELECT v.account_id, ac.name, v.visit_date, v.channel, v.notes, v.purpose, v.next_step, v.next_date,
               v.executive, a.met_with, {CONTACTS_MET} AS contacts, string_split(v.warning_signs, ';') AS signs,
               v.manager_id, v.source, v.visit_id,
               a.created_by, a.created_at,
               coalesce(v.source = 'app' AND a.created_by = $username AND a.created_at >= $edit_since, false)
                   AS editable
        FROM visits AS v
        JOIN accounts AS ac USING (account_id)
        LEFT JOIN visits_app AS a USING (visit_id)
        WHERE CASE WHEN $restricted THEN ac.manager_id IS NOT DISTINCT FROM $manager_id
                   ELSE a.created_by = $username END
        ORDER BY v.visit_date DESC, a.created_at DESC NULLS LAST, v.visit_id DESC
        LIMIT $limit
        """,
        {
            "username": user.username,
            "restricted": user.role == MANAGER_ROLE,
            "manager_id": user.manager_id,
            "edit_since": now - timedelta(days=policy.visit_edit_days),
            "limit": limit,
        },
    )


def stored_visit(con: duckdb.DuckDBPyConnection, visit_id: str) -> dict[str, Any] | None:
    """One visit entered in the app, as stored (draft_of() turns it into the form's draft)."""
    return _fetch(con, visit_id)


def account_label(con: duckdb.DuckDBPyConnection, account_id: str) -> str:
    """The account as messages name it: its name beside its id (the id alone for an account not in the exports)."""
    name = db.scalar(con, "SELECT name FROM accounts WHERE account_id = $id", {"id": account_id})
    return beside_id(name, account_id)


def contacts_of(con: duckdb.DuckDBPyConnection, account_ids: list[str]) -> pl.DataFrame:
    """The active contacts of these accounts, labelled with their account, for the form to offer."""
    return db.query(
        con,
        """
        SELECT c.contact_id, c.account_id,
               c.name || coalesce(' · ' || c.title, '') || ' · ' || a.name AS label
        FROM contacts AS c
        JOIN accounts AS a USING (account_id)
        WHERE c.active AND list_contains($ids, c.account_id)
        ORDER BY a.account_id, c.name, c.contact_id
        """,
        {"ids": account_ids},
    )
