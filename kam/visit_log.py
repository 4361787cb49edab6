"""Visits logged in the app: checking a draft, saving, editing and deleting it, history and export.

Visits entered here live in ``visits_app``, which the loader never replaces; the ``visits``
view merges them with the imported ones, so a saved visit counts in every metric at once.
Every write is one transaction together with its audit event, and a write that meets a
DuckDB transaction conflict is retried, so concurrent sessions never see a lock error.
"""

from __future__ import annotations

import contextlib
import io
import random
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

import duckdb
import polars as pl

from kam import audit, db, downloads
from kam.config import Settings, settings
from kam.schema import VISITS

T = TypeVar("T")

CHANNEL_LABELS: dict[str, str] = {
    "in_person": "In person · 直接访问",
    "phone": "Phone · 电话",
    "video": "Video · 视频",
    "email": "Email · 邮件",
    "mail": "Letter · 信函",
}


@dataclass(frozen=True)
class Purpose:
    """A purpose the form offers: the text stored for it and the channels the step usually uses."""

    code: str
    label: str
    stored: str | None
    channels: tuple[str, ...] = ()


OTHER = "other"
# The six follow-up steps after a sale. The stored text is the one the CRM exports use.
PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose("thank", "1 In person: thank the customer · 当面致谢", "1 当面致谢", ("in_person",)),
        Purpose("usage", "2 Phone: check usage · 电话回访使用情况", "2 电话回访使用情况", ("phone",)),
        Purpose("relationship", "3 Letter: keep the relationship · 信函维系关系", "3 信函维系关系", ("mail",)),
        Purpose("survey", "4 In person: satisfaction survey · 当面满意度调查", "4 当面满意度调查", ("in_person",)),
        Purpose("referral", "5 Phone or in person: ask for referrals · 请求推荐", "5 请求推荐", ("phone", "in_person")),
        Purpose(
            "repurchase",
            "6 Letter: thank again, invite repurchase · 信函致谢并邀请复购",
            "6 信函致谢并邀请复购",
            ("mail",),
        ),
        Purpose(OTHER, "Other (describe) · 其他", None),
    )
}
PURPOSE_LABELS: dict[str, str] = {code: p.label for code, p in PURPOSES.items()}
_PURPOSE_BY_STORED = {p.stored: code for code, p in PURPOSES.items() if p.stored}

# Longest text accepted per field.
MAX_TEXT = {"purpose_other": 200, "met_with": 500, "notes": 4000, "next_step": 500}
MANAGER_ROLE = "manager"
ACTION_CREATE, ACTION_EDIT, ACTION_DELETE = "visit.create", "visit.edit", "visit.delete"
ID_PREFIX = "APP-"
# Retries of a write that meets a transaction conflict, and the first back-off in seconds.
ATTEMPTS = 6
BACKOFF = 0.01


class Author(Protocol):
    """The signed-in user as this module needs it (kam.users.User fits)."""

    username: str
    role: str
    manager_id: str | None


@dataclass(frozen=True)
class VisitDraft:
    """What the visit form holds; purpose is a key of PURPOSES (or None), texts as typed."""

    account_id: str | None = None
    visit_date: date | None = None
    channel: str | None = None
    purpose: str | None = None
    purpose_other: str = ""
    executive: bool = False
    met_with: str = ""
    notes: str = ""
    next_step: str = ""
    next_date: date | None = None


class VisitError(Exception):
    """A visit write refused or not done; str() is a message for the user."""


class InvalidVisit(VisitError):
    """The draft breaks a rule; errors maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotAllowed(VisitError):
    """The user may not change this visit (not theirs, too old, imported, or gone)."""


class NotSaved(VisitError):
    """The database kept refusing the write after every retry."""


# --- checking ---------------------------------------------------------------------------


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def validate(
    draft: VisitDraft,
    today: date,
    policy: Settings,
    allowed_accounts: Collection[str],
    known_accounts: Collection[str] | None = None,
) -> dict[str, str]:
    """Field → message for every rule the draft breaks; empty when it may be saved.

    allowed_accounts are those the user may log visits for; known_accounts, when given,
    tells an unknown id apart from another manager's account.
    """
    errors: dict[str, str] = {}
    account = _stripped(draft.account_id)
    if not account:
        errors["account_id"] = "Choose the account."
    elif known_accounts is not None and account not in known_accounts:
        errors["account_id"] = f"There is no account {account}."
    elif account not in allowed_accounts:
        errors["account_id"] = f"{account} is not one of your accounts."

    oldest = today - timedelta(days=policy.visit_max_age_days)
    if not _is_date(draft.visit_date):
        errors["visit_date"] = "Enter the visit date."
    elif draft.visit_date > today:
        errors["visit_date"] = "The visit date cannot be in the future."
    elif draft.visit_date < oldest:
        errors["visit_date"] = (
            f"Visits more than {policy.visit_max_age_days} days ago cannot be logged (earliest {oldest:%Y-%m-%d})."
        )

    if draft.channel not in CHANNEL_LABELS:
        errors["channel"] = "Choose how the visit took place."
    if draft.purpose is not None and draft.purpose not in PURPOSES:
        errors["purpose"] = "Choose one of the listed purposes."
    elif draft.purpose == OTHER and not _stripped(draft.purpose_other):
        errors["purpose_other"] = "Describe the purpose."

    if draft.next_date is not None:
        if not _is_date(draft.next_date):
            errors["next_date"] = "Enter a valid date for the next step."
        elif _is_date(draft.visit_date) and draft.next_date <= draft.visit_date:
            errors["next_date"] = "The next step's date must be after the visit date."

    for name, limit in MAX_TEXT.items():
        if name not in errors and len(_stripped(getattr(draft, name))) > limit:
            errors[name] = f"Keep this under {limit} characters."
    return errors


# --- writing ----------------------------------------------------------------------------


def new_visit_id() -> str:
    """A fresh id for a visit entered in the app."""
    return ID_PREFIX + uuid.uuid4().hex


def _stored_purpose(draft: VisitDraft) -> str | None:
    if draft.purpose == OTHER:
        return _stripped(draft.purpose_other) or None
    return PURPOSES[draft.purpose].stored if draft.purpose else None


def _text(value: str | None) -> str | None:
    return _stripped(value) or None


def _record(draft: VisitDraft, manager_id: str) -> dict[str, Any]:
    """The visits_app columns a draft sets."""
    return {
        "account_id": _stripped(draft.account_id),
        "manager_id": manager_id,
        "visit_date": draft.visit_date,
        "channel": draft.channel,
        "purpose": _stored_purpose(draft),
        "executive": bool(draft.executive),
        "met_with": _text(draft.met_with),
        "notes": _text(draft.notes),
        "next_step": _text(draft.next_step),
        "next_date": draft.next_date,
    }


def draft_of(row: dict[str, Any]) -> VisitDraft:
    """The form's draft for a stored visit (a visits_app or visits row), e.g. to edit it."""
    stored = row.get("purpose")
    code = None if stored is None else _PURPOSE_BY_STORED.get(stored, OTHER)
    return VisitDraft(
        account_id=row["account_id"],
        visit_date=row["visit_date"],
        channel=row["channel"],
        purpose=code,
        purpose_other=stored if code == OTHER else "",
        executive=bool(row.get("executive")),
        met_with=row.get("met_with") or "",
        notes=row.get("notes") or "",
        next_step=row.get("next_step") or "",
        next_date=row.get("next_date"),
    )


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run work(cursor) in one transaction on a cursor of its own, retrying on conflicts."""
    for attempt in range(ATTEMPTS):
        # Its own cursor: its own transaction, whatever the caller's cursor is doing.
        with con.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except duckdb.TransactionException:
                _rollback(cur)
                if attempt == ATTEMPTS - 1:
                    break
            except BaseException:
                _rollback(cur)
                raise
        _pause(attempt)
    raise NotSaved("The database is busy and nothing was saved. Please try again in a moment.")


def _pause(attempt: int) -> None:
    # Jittered exponential back-off, so that writers that collided do not collide again.
    time.sleep(BACKOFF * 2**attempt * random.uniform(0.5, 1.5))


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    # A failed COMMIT may already have ended the transaction.
    with contextlib.suppress(duckdb.Error):
        cur.execute("ROLLBACK")


def _account(cur: duckdb.DuckDBPyConnection, account_id: str | None) -> dict[str, Any] | None:
    rows = cur.execute(
        "SELECT account_id, manager_id FROM accounts WHERE account_id = $account_id",
        {"account_id": _stripped(account_id)},
    ).fetchall()
    return {"account_id": rows[0][0], "manager_id": rows[0][1]} if rows else None


def may_log_for(user: Author, account_manager_id: str | None) -> bool:
    """Whether the user may log visits for an account that this manager holds."""
    if user.role == MANAGER_ROLE:
        return user.manager_id is not None and account_manager_id == user.manager_id
    return True


def _checked(
    cur: duckdb.DuckDBPyConnection, draft: VisitDraft, user: Author, today: date, policy: Settings
) -> dict[str, Any]:
    """The record to store for the draft, or InvalidVisit; the account is checked against the database."""
    account = _account(cur, draft.account_id)
    known = {account["account_id"]} if account else set()
    allowed = known if account and may_log_for(user, account["manager_id"]) else set()
    errors = validate(draft, today, policy, allowed, known_accounts=known)
    if errors:
        raise InvalidVisit(errors)
    # The visit is credited to whoever made it when they are a manager, else to the account's manager.
    return _record(draft, user.manager_id or account["manager_id"])


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
                raise NotAllowed("This visit id is already taken.")
            return visit_id
        record = _checked(cur, draft, user, now.date(), policy)
        row = {"visit_id": visit_id, **record, "created_by": user.username, "created_at": now, "updated_at": now}
        db.execute(
            cur,
            f"INSERT INTO visits_app ({', '.join(row)}) VALUES ({', '.join('$' + name for name in row)})",
            row,
        )
        audit.record(cur, user.username, ACTION_CREATE, visit_id, None, _audited(row))
        return visit_id

    return _in_transaction(con, work)


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}


def _may_change(cur: duckdb.DuckDBPyConnection, visit_id: str, user: Author, now: datetime, policy: Settings) -> dict:
    """The stored visit if the user may still edit or delete it, else NotAllowed."""
    row = _fetch(cur, visit_id)
    if row is None:
        raise NotAllowed("This visit no longer exists.")
    if row["created_by"] != user.username:
        raise NotAllowed("Only the person who logged a visit can change it.")
    if now - row["created_at"] > timedelta(days=policy.visit_edit_days):
        raise NotAllowed(f"Visits can be changed only within {policy.visit_edit_days} days of logging them.")
    if db.scalar(cur, "SELECT count(*) FROM visits_imported WHERE visit_id = $id", {"id": visit_id}):
        raise NotAllowed("This visit has since arrived in the CRM export; change it there.")
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

    _in_transaction(con, work)


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

    _in_transaction(con, work)


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

    Newest first; `editable` marks the ones the user may still edit or delete.
    """
    policy = policy or settings()
    now = now or datetime.now()
    return db.query(
        con,
        """
        SELECT v.visit_id, v.account_id, ac.name AS account_name, v.manager_id, v.visit_date, v.channel,
               v.purpose, v.executive, a.met_with, v.notes, v.next_step, v.next_date, v.source,
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


# --- export -----------------------------------------------------------------------------

EXPORT_COLUMNS = tuple(c.name for c in VISITS.columns)


def export_app_visits(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every visit entered in the app, in the columns of the contract's `visits` export.

    The contract has no column for who was met, so it leads the notes.
    """
    return db.query(
        con,
        """
        SELECT visit_id, account_id, manager_id, visit_date, channel, purpose, executive,
               CASE WHEN met_with IS NULL THEN notes
                    ELSE concat_ws(chr(10), 'Met with: ' || met_with, notes) END AS notes,
               next_step, next_date
        FROM visits_app
        ORDER BY visit_date, created_at, visit_id
        """,
    ).select(EXPORT_COLUMNS)


def app_visits_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    """The app's visits as a UTF-8 CSV that a spreadsheet opens safely."""
    return downloads.csv_bytes(export_app_visits(con))


def app_visits_parquet(con: duckdb.DuckDBPyConnection) -> bytes:
    """The app's visits as a Parquet file."""
    buffer = io.BytesIO()
    export_app_visits(con).write_parquet(buffer)
    return buffer.getvalue()
