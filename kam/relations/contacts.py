"""The people at a customer: those of the CRM export and those a manager enters in the app."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.present.formatting import too_long
from kam.relations.plans import person
from kam.relations.rules import Actor, ContactStale, Invalid, NotAllowed, NotSaved, check_account, text
from kam.store import audit, db
from kam.store.schema import CONTACT_AT_AS_OF, CONTACT_LEVELS, CONTACT_ROLES, CONTACTS_AT_AS_OF
from kam.store.write import write

ACTION_CREATE, ACTION_EDIT = "contact.create", "contact.edit"
ID_PREFIX = "APP-C-"
MAX_TEXT = {"name": 100, "title": 100, "phone": 40, "email": 200, "notes": 2000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\- ]{5,40}$")


@dataclass(frozen=True)
class ContactDraft:
    """What the contact form holds, as typed."""

    account_id: str | None = None
    name: str = ""
    title: str = ""
    level: str | None = None
    role: str | None = None
    phone: str = ""
    email: str = ""
    notes: str = ""
    active: bool = True


def validate(draft: ContactDraft) -> dict[str, str]:
    """Field → message for every field that fails its check."""
    errors: dict[str, str] = {}
    if not text(draft.name):
        errors["name"] = _("Enter the contact's name.")
    for field, limit in MAX_TEXT.items():
        if len(getattr(draft, field) or "") > limit:
            errors[field] = too_long(len(getattr(draft, field)), limit)
    if draft.level is not None and draft.level not in CONTACT_LEVELS:
        errors["level"] = _("Choose a level from the list.")
    if draft.role is not None and draft.role not in CONTACT_ROLES:
        errors["role"] = _("Choose a role from the list.")
    if text(draft.email) and not _EMAIL.match(draft.email.strip()) and "email" not in errors:
        errors["email"] = _("This is not an e-mail address.")
    if text(draft.phone) and not _PHONE.match(draft.phone.strip()) and "phone" not in errors:
        errors["phone"] = _("A phone number has 5 to 40 characters (digits, spaces, +, - and brackets).")
    return errors


def _record(draft: ContactDraft) -> dict[str, Any]:
    values = asdict(draft)
    for field in ("name", "title", "phone", "email", "notes"):
        values[field] = text(values[field])
    values["active"] = bool(draft.active)
    return values


def unchanged(stored: dict[str, Any] | None, draft: ContactDraft) -> bool:
    """Whether saving the draft over the stored contact (None: a new one) would change nothing of it."""
    return stored is not None and all(stored[field] == value for field, value in _record(draft).items())


def _fetch(cur: duckdb.DuckDBPyConnection, contact_id: str) -> dict[str, Any] | None:
    frame = db.query(cur, "SELECT * FROM contacts_app WHERE contact_id = $id", {"id": contact_id})
    return frame.row(0, named=True) if frame.height else None


def name_key(name: str | None) -> str:
    """A name as compared for duplicates: full-width as half-width (NFKC), without spaces, in any case."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def _namesake(cur: duckdb.DuckDBPyConnection, account_id: str | None, name: str, contact_id: str | None) -> str | None:
    """The name, as stored, of another active contact of the account with the same name, if any."""
    others = db.query(
        cur,
        "SELECT name FROM contacts WHERE account_id = $account_id AND active AND contact_id <> $contact_id "
        "ORDER BY contact_id",
        {"account_id": account_id, "contact_id": contact_id or ""},
    )
    key = name_key(name)
    return next((other for other in others["name"] if name_key(other) == key), None)


def save_contact(
    con: duckdb.DuckDBPyConnection,
    draft: ContactDraft,
    user: Actor,
    *,
    contact_id: str | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> str:
    """Add a contact (contact_id None) or change one entered in the app; its id once committed.

    A contact who left the customer is an edit to active=False, never a deletion. A contact added, renamed or
    back as active may not bear the name of another active contact of the account. version: the contact's version
    the form was opened at; when it has been saved since, nothing is saved and ContactStale says by whom and when.
    """
    now = now or datetime.now()

    def work(cur: duckdb.DuckDBPyConnection) -> str:
        check_account(cur, user, draft.account_id, edit=True)
        before = None if contact_id is None else _fetch(cur, contact_id)
        if contact_id is not None:
            if before is None:
                raise NotAllowed(
                    _("Only contacts entered in the app can be changed here; change the others in the CRM.")
                )
            if before["account_id"] != draft.account_id:
                raise NotAllowed(_("This contact is not one of this account's."))
            # Said before the fields' checks: the user redoes their change on the contact as saved now.
            if version is not None and before["version"] != version:
                raise ContactStale(before, person(cur, before["updated_by"]))
        errors = validate(draft)
        # A contact kept as it was (a new phone, a new title) is not refused for a namesake already on file.
        named_anew = before is None or not before["active"] or name_key(before["name"]) != name_key(draft.name)
        checked = "name" not in errors and draft.active and named_anew
        if checked and (namesake := _namesake(cur, draft.account_id, draft.name, contact_id)):
            errors["name"] = _("This account already has another current contact named {name}.").format(name=namesake)
        if errors:
            raise Invalid(errors)
        if unchanged(before, draft):
            # Saved as it was: no new version, and no change in the log that changes nothing.
            return contact_id
        record = _record(draft)
        # The day they left counts for the figures as of a day (kam.store.schema.CONTACT_AT_AS_OF): kept from the
        # save that marked them so; one back at the customer counts again from the day they were entered.
        if draft.active:
            record["left_at"] = None
        else:
            record["left_at"] = before["left_at"] if before is not None and not before["active"] else now
        if before is None:
            new_id = ID_PREFIX + uuid.uuid4().hex[:12]
            row = {
                "contact_id": new_id,
                **record,
                "version": 1,
                "created_by": user.username,
                "created_at": now,
                "updated_by": user.username,
                "updated_at": now,
            }
            db.execute(
                cur,
                f"INSERT INTO contacts_app ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})",
                row,
            )
            # At the save's own time: the contact's fields as of a day are read back from the log (CONTACTS_AT_AS_OF).
            audit.record(cur, user.username, ACTION_CREATE, new_id, None, record, at=now)
            return new_id
        db.execute(
            cur,
            f"UPDATE contacts_app SET {', '.join(f'{k} = ${k}' for k in record)}, version = $version, "
            "updated_by = $updated_by, updated_at = $updated_at WHERE contact_id = $contact_id",
            record
            | {
                "version": before["version"] + 1,
                "updated_by": user.username,
                "updated_at": now,
                "contact_id": contact_id,
            },
        )
        kept = {k: before[k] for k in record}
        audit.record(cur, user.username, ACTION_EDIT, contact_id, kept, record, at=now)
        return contact_id

    return write(con, work, busy=NotSaved)


# Contacts as listed: executives first, then by name.
_LISTED_ORDER = (
    "CASE c.level WHEN 'executive' THEN 0 WHEN 'manager' THEN 1 WHEN 'staff' THEN 2 ELSE 3 END, c.name, c.contact_id"
)


def account_contacts(
    con: duckdb.DuckDBPyConnection, user: Actor, account_id: str, as_of: date | None = None
) -> pl.DataFrame:
    """An account's contacts with the day each was last met (a visit naming them) up to as_of (default today),
    executives first; at_as_of says where each stood at the end of that day: `current` (on file and at the
    customer), `former` (left by then) or `later` (entered after it). Name, title, level…: as they were that day
    (CONTACTS_AT_AS_OF; one entered after it, as it is now); active: as it is now."""
    check_account(con, user, account_id, edit=False)
    return db.query(
        con,
        f"""
        WITH {CONTACTS_AT_AS_OF}, met AS (
            SELECT trim(unnest(string_split(v.contact_ids, ';'))) AS contact_id, v.visit_date
            FROM visits AS v
            WHERE v.account_id = $account_id AND v.contact_ids IS NOT NULL AND v.visit_date <= $as_of
        )
        SELECT c.contact_id, c.name, c.title, c.level, c.role, c.phone, c.email, c.notes, c.active, c.source,
               (SELECT max(m.visit_date) FROM met AS m WHERE m.contact_id = c.contact_id) AS last_met,
               c.entered_on, c.left_on,
               CASE WHEN c.entered_on > $as_of THEN 'later' WHEN {CONTACT_AT_AS_OF} THEN 'current' ELSE 'former' END
                   AS at_as_of
        FROM contacts_at AS c
        WHERE c.account_id = $account_id
        ORDER BY {_LISTED_ORDER}
        """,
        {"account_id": account_id, "as_of": as_of or date.today()},
    )


def contacts_to_change(con: duckdb.DuckDBPyConnection, user: Actor, account_id: str) -> pl.DataFrame:
    """An account's contacts entered in the app as they are now, as the form changes them (contact_id, name, title,
    active), executives first."""
    check_account(con, user, account_id, edit=False)
    return db.query(
        con,
        f"""
        SELECT c.contact_id, c.name, c.title, c.active
        FROM contacts AS c
        WHERE c.account_id = $account_id AND c.source = 'app'
        ORDER BY {_LISTED_ORDER}
        """,
        {"account_id": account_id},
    )


def as_of_groups(listed: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """An account_contacts frame split as it stood at its as-of date: the contacts then at the customer, those who
    had left, and those entered after that day."""
    current, former, later = (listed.filter(at_as_of=group) for group in ("current", "former", "later"))
    return current, former, later


def stored_contact(con: duckdb.DuckDBPyConnection, contact_id: str) -> dict[str, Any] | None:
    """A contact entered in the app, as stored."""
    return _fetch(con, contact_id)


def draft_of(row: dict[str, Any]) -> ContactDraft:
    """The form's draft for a stored contact."""
    return ContactDraft(
        account_id=row["account_id"],
        name=row["name"] or "",
        title=row["title"] or "",
        level=row["level"],
        role=row["role"],
        phone=row["phone"] or "",
        email=row["email"] or "",
        notes=row["notes"] or "",
        active=bool(row["active"]),
    )
