"""An audit event's record before and after, as it reads: the fields it changed, old → new, in the user's language.

The audit log stores each record as JSON (kam.store.audit); a field's name reads by its column's header
(kam.present.columns, or FIELDS where the registry's header means something else), one of our codes by its
label, a flag as Yes / No, anything else as the text it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from kam.i18n import N_, _
from kam.present import columns
from kam.present.formatting import MISSING, money, number
from kam.vocabulary import REVIEW_FIGURES

ARROW = " → "
# Fields of the audited records whose header in the registry means something else (a plan action's due day is
# not a payment's) or that it lacks.
FIELDS = {
    "description": N_("Action"),
    "owner": N_("Owner"),
    "due_on": N_("Due on"),
    "objectives": N_("Objectives"),
    "strategy": N_("Strategy"),
    "revenue_goal": N_("Revenue goal"),
    "sponsor": N_("Executive sponsor"),
    "revenue_target": N_("Revenue target"),
    "visit_target": N_("Visit target"),
    # ids of the records themselves
    "plan_id": N_("Plan ID"),
    "action_id": N_("Action ID"),
    "visit_id": N_("Visit ID"),
    # a visit's, a contact's, a plan's and a quarterly review's
    "met_with": N_("People met"),
    "contact_ids": N_("Contacts met"),
    "warning_signs": N_("Warning signs"),
    "title": N_("Title"),
    "level": N_("Level"),
    "phone": N_("Phone"),
    "resources": N_("Resources needed"),
    "year": N_("Year"),
    "quarter": N_("Quarter"),
    "agreed_actions": N_("Agreed actions"),
    "signed_off_on": N_("Signed off on"),
    "signed_off_by": N_("Signed off by"),
    "signed_off_by_name": N_("Signed off by (name)"),
    "signed_as_of": N_("Figures signed off as of"),
    # sign-ins, sessions and users
    "via": N_("Signed in via"),
    "why": N_("Reason"),
    "failures": N_("Failed attempts"),
    "locked": N_("Locked out"),
    "locks": N_("Lock-outs lifted"),
    "must_change": N_("Must change password"),
    "was": N_("Password replaced"),
    "dn": N_("Directory entry (DN)"),
    "language": N_("Language"),
    "users": N_("Demo users retired"),
    # loads, backups and the weekly brief
    "rejected": N_("Rows rejected"),
    "confirmed_losses": N_("Confirmed losses"),
    "error": N_("Error"),
    "recipients": N_("Recipients"),
    "weekday": N_("Weekday"),
    "hour": N_("Hour"),
    "slot": N_("Scheduled for"),
}
# A quarterly review signed off keeps the figures it was signed on as signed_<figure>: each named and read as the
# reviews page shows it.
SIGNED = "signed_"
# A field whose meaning depends on the record it is in (the part of the event's action before its dot): a user
# who is active may sign in (not the accounts' 在册); a brief schedule that is active sends.
RECORD_FIELDS = {
    "user": {"active": N_("May sign in")},
    "brief": {"active": N_("Send")},
    # A sign-in's source is where it came from (not a row's 录入来源), its name the digest of the name typed.
    "sign_in": {"source": N_("Signed in from"), "name": N_("Name typed (digest)")},
    # A contact's fields as its form says them: a person's full name, still at the customer (not 在册).
    "contact": {"name": N_("Full name"), "active": N_("Still at the customer")},
}

# A field whose codes are labelled under another column's name (a visit's warning signs are the table's signs).
CODES_OF = {"warning_signs": "signs"}
# How a user signed in (kam.people.sessions' via) and why a sign-in failed or a session ended: the codes the
# sign-in writes, each as it reads.
VIA_LABELS = {
    "password": N_("Password"),
    "single sign-on": N_("Single sign-on"),
    "directory": N_("Company directory"),
}
WHY_LABELS = {
    "unknown or inactive": N_("Unknown or inactive user"),
    "wrong password or unknown": N_("Wrong password or unknown user"),
    "directory unreachable": N_("Directory unreachable"),
    "no mapped group": N_("In no group that has access"),
    "no manager matches": N_("No manager of the exports matches"),
    "e-mail not verified": N_("E-mail not verified"),
    "no active user with this e-mail": N_("No active user with this e-mail"),
    "signed out": N_("Signed out"),
    "ended": N_("Ended by the dashboard"),
    "expired": N_("Expired"),
    "user changed": N_("The user was changed"),
}
# A password set (user.password): its record says only whether it must be changed at the next sign-in, which only
# a password an admin handed over must (a reset, the command line's, a retired demo user's let in again).
PASSWORD_SET = {
    True: N_("Password reset by the admin (a one-time password, to be changed at the next sign-in)"),
    False: N_("Password changed by the user"),
}
# Why a session was signed out, as the sign-in page says it; the audit log keeps it in English with its numbers
# filled in, and reads it back in the run's language.
SIGN_OUT_REASONS = (
    N_("Signed out after {minutes} minutes without activity."),
    N_("Your access to this dashboard has ended; ask an admin."),
    N_("Your session has ended; sign in again."),
)
_REASON_PATTERNS = [
    (re.compile(re.escape(reason).replace(re.escape("{minutes}"), r"(?P<minutes>\d+)")), reason)
    for reason in SIGN_OUT_REASONS
]


def sign_out_reason(stored: str) -> str:
    """A stored sign-out reason in the run's language (one it does not know as it is)."""
    for pattern, reason in _REASON_PATTERNS:
        if found := pattern.fullmatch(stored):
            return _(reason).format(**found.groupdict())
    return stored


def worded(value: Any, gettext: Callable[[str], str] = _) -> str:
    """A failed load's stored message (kam.ingest.loader.LoadError.record: an English id with its values, words
    among them stored the same way) in the run's language (gettext=str: in English)."""
    if isinstance(value, dict) and "message" in value:
        values = {k: worded(v, gettext) for k, v in (value.get("values") or {}).items()}
        return gettext(str(value["message"])).format(**values)
    if isinstance(value, dict) and "parts" in value:
        return str(value.get("sep", ", ")).join(worded(part, gettext) for part in value["parts"])
    return str(value)


def load_source(source: str | None) -> str | None:
    """Where a load came from as the load page names it: an upload by its words, a folder by its path."""
    return None if source is None else columns.label_of("source", source)


# A field whose codes depend on the record it is in: a contact's level and role are not a user's role ("manager"
# is a contact's middle management and a user's account manager).
RECORD_CODES: dict[str, dict[str, dict[str, str]]] = {
    "contact": {"level": columns.CONTACT_LEVEL_LABELS, "role": columns.CONTACT_ROLE_LABELS},
    "user": {"role": columns.ROLE_NAMES},
    "sign_in": {"via": VIA_LABELS, "role": columns.ROLE_NAMES, "why": WHY_LABELS},
    "session": {"via": VIA_LABELS, "why": WHY_LABELS},
}
# Fields that are numbers but not amounts: read without grouping (年度：2026, not 2,026).
UNGROUPED = frozenset({"year", "quarter", "weekday", "hour", "load_id", "event_id"})
# Fields that are amounts of money: read as the pages show them (¥1,200,000).
MONEY = frozenset({"revenue_goal", "revenue_target"})

# Who changed a record and when, and its version: the event's own user and time say them. So do they when a contact
# was marked as having left (left_at): the change of "still at the customer" reads beside the event's time.
BOOKKEEPING = frozenset(
    {"created_by", "created_at", "updated_by", "updated_at", "entered_by", "entered_at", "version", "left_at"}
)


def field_name(field: str, action: str | None = None) -> str:
    """A record's field as its header reads, in the run's language; `action`: the event's, whose record it is."""
    own = RECORD_FIELDS.get((action or "").split(".")[0], {})
    if field in own:
        return _(own[field])
    if field in FIELDS:
        return _(FIELDS[field])
    if figure := signed_figure(field):
        return _("{figure}, signed off").format(figure=columns.review_figure(figure).label)
    return columns.column(field).label


def signed_figure(field: str) -> str | None:
    """The quarter figure a signed-off review's field keeps (signed_revenue: revenue), or None."""
    figure = field.removeprefix(SIGNED)
    return figure if field.startswith(SIGNED) and figure in REVIEW_FIGURES else None


def value_text(field: str, value: Any, action: str | None = None, names: Mapping[str, str] | None = None) -> str:
    """One field's value as text: a code by its label (the record's own codes first: `action`, the event's), a
    flag Yes / No, money as money, another amount with grouping, a year, quarter or id without, an account's id
    with its name where `names` has it, text as it is."""
    if value is None:
        return MISSING
    if field == "account_id" and names and (name := names.get(str(value))):
        return f"{name} ({value})"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        if figure := signed_figure(field):
            return columns.text(columns.review_figure(figure), value)
        if field in MONEY:
            return money(value)
        if field in UNGROUPED or field.endswith("_id"):
            return str(int(value)) if float(value).is_integer() else str(value)
        return number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, list):
        return _("; ").join(value_text(field, item, action, names) for item in value) or MISSING
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field == "why" and (action or "").split(".")[0] == "sign_out":
        return sign_out_reason(str(value))
    own = RECORD_CODES.get((action or "").split(".")[0], {}).get(field)
    if own is not None:
        label = own.get(str(value))
        return _(label) if label else str(value)
    return columns.label_of(CODES_OF.get(field, field), str(value))


def _record(stored: str | None) -> dict[str, Any] | None:
    if stored is None:
        return None
    try:
        found = json.loads(stored)
    except ValueError:
        return {"": stored}
    return found if isinstance(found, dict) else {"": found}


def _line(field: str, text: str, action: str | None) -> str:
    return _("{field}: {value}").format(field=field_name(field, action), value=text) if field else text


def change(
    before: str | None, after: str | None, action: str | None = None, names: Mapping[str, str] | None = None
) -> str:
    """What an event changed, from its stored records: 'Status: Open → Done' for each field that differs; every
    field of a record added (or removed) with its value; names: accounts' names by id."""
    old, new = _record(before), _record(after)
    if action == "load.failed" and new is not None and "message" in new:
        # Kept in English and as its message id: read in the reader's language (older rows keep their English).
        new = {"error": worded(new)}
    if action == "user.password" and new is not None and isinstance(new.get("must_change"), bool):
        said = PASSWORD_SET[new["must_change"]]
        new = {"": _(said)} | {field: value for field, value in new.items() if field != "must_change"}
    if old is None and new is None:
        return MISSING
    if old is None or new is None:
        kept = old if new is None else new
        return _("; ").join(
            _line(field, value_text(field, value, action, names), action)
            for field, value in kept.items()
            if field not in BOOKKEEPING
        )
    lines = []
    for field in [*new, *(name for name in old if name not in new)]:
        was, now = old.get(field), new.get(field)
        if was == now or field in BOOKKEEPING:
            continue
        shown = value_text(field, was, action, names) + ARROW + value_text(field, now, action, names)
        lines.append(_line(field, shown, action))
    return _("; ").join(lines) if lines else MISSING


# What kam.store.audit.events adds about a target: read into the target, not shown apart.
TARGET_OF = ("target_account", "target_name", "target_year")


def target_text(target: str | None, account: str | None, name: str | None, year: int | None) -> str | None:
    """A target as it reads: what it is beside its id where the log can tell (a plan: its account and year; an
    action, a visit, a contact: its account), else the id (a user's name, a file) as it is."""
    if target is None or account is None:
        return target
    owner = name or account
    what = owner if year is None else _("{account}, {year}").format(account=owner, year=year)
    return f"{what} ({target})"


def audit_log(events: pl.DataFrame) -> pl.DataFrame:
    """The audit log with each target read as what it is and what each event changed as it reads (`changed`)
    after it; the stored records kept beside it."""
    actions = events["action"] if "action" in events.columns else [None] * events.height
    names = {}
    if {"target_account", "target_name"} <= set(events.columns):
        names = dict(events.select("target_account", "target_name").drop_nulls().unique().iter_rows())
    changed = [change(b, a, act, names) for b, a, act in zip(events["before"], events["after"], actions, strict=True)]
    shown = events.with_columns(pl.Series("changed", changed, dtype=pl.String))
    if all(name in events.columns for name in ("target", *TARGET_OF)):
        targets = [
            target_text(*row) for row in events.select("target", "target_account", "target_name", "target_year").rows()
        ]
        shown = shown.with_columns(pl.Series("target", targets, dtype=pl.String)).drop(TARGET_OF)
    if "target" in shown.columns and "action" in shown.columns:
        # In Python, not map_elements: Polars' threads do not see the run's language.
        targets = [
            load_source(target) if action in ("load", "load.failed") else target
            for action, target in shown.select("action", "target").rows()
        ]
        shown = shown.with_columns(pl.Series("target", targets, dtype=pl.String))
    order = [name for name in shown.columns if name != "changed"]
    at = order.index("target") + 1 if "target" in order else len(order)
    return shown.select([*order[:at], "changed", *order[at:]])
