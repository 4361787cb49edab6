"""What a visit is and which visits may be logged: channels, purposes, the draft, its checks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from kam.config import Settings
from kam.i18n import _
from kam.present.formatting import too_long
from kam.store.write import Busy
from kam.vocabulary import CHANNEL_TERMS, FOLLOW_UP_STEPS, OTHER_PURPOSE, WARNING_SIGNS

# Stored code → English label (a message id, translated where shown: channel_label).
CHANNEL_LABELS: dict[str, str] = {term.code: term.en for term in CHANNEL_TERMS}


@dataclass(frozen=True)
class Purpose:
    """A purpose the form offers: its English label (a message id), the text stored for it, the step's channels."""

    code: str
    label: str
    stored: str | None
    channels: tuple[str, ...] = ()


OTHER = OTHER_PURPOSE.code
# The six follow-up steps after a sale, then free text. The stored text is the one the CRM exports use.
PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        *(Purpose(step.code, step.en, step.stored, step.channels) for step in FOLLOW_UP_STEPS),
        Purpose(OTHER, OTHER_PURPOSE.en, None),
    )
}
PURPOSE_LABELS: dict[str, str] = {code: p.label for code, p in PURPOSES.items()}
_STEP_NUMBERS = {step.code: step.number for step in FOLLOW_UP_STEPS}


def channel_label(code: str) -> str:
    """A channel as the form shows it, in the run's language; the stored code stays as it is."""
    return _(CHANNEL_LABELS[code]) if code in CHANNEL_LABELS else code


def purpose_label(code: str) -> str:
    """A purpose as the form shows it: a follow-up step with its number, in the run's language."""
    if code not in PURPOSE_LABELS:
        return code
    label = _(PURPOSE_LABELS[code])
    return f"{_STEP_NUMBERS[code]} {label}" if code in _STEP_NUMBERS else label


_PURPOSE_BY_STORED = {p.stored: code for code, p in PURPOSES.items() if p.stored}

# Longest text accepted per field.
MAX_TEXT = {"purpose_other": 200, "met_with": 500, "notes": 4000, "next_step": 500}

MANAGER_ROLE = "manager"


class Author(Protocol):
    """The signed-in user as this module needs it (kam.people.users.User fits)."""

    username: str
    role: str
    manager_id: str | None


@dataclass(frozen=True)
class VisitDraft:
    """What the visit form holds; purpose is a key of PURPOSES (or None), texts as typed.

    purpose_other is the purpose typed: it goes with OTHER, or with None (then it is the purpose, as with OTHER).
    """

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
    # Credit warning signs seen at the customer: codes of kam.vocabulary.WARNING_SIGNS.
    warning_signs: tuple[str, ...] = ()
    # Contacts of the account met (contact ids), stored `;`-separated as the exports carry them.
    contact_ids: tuple[str, ...] = ()


class VisitError(Exception):
    """A visit write refused or not done; str() is a message for the user."""


class InvalidVisit(VisitError):
    """The draft breaks a rule; errors maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotAllowed(VisitError):
    """The user may not change this visit (not theirs, too old, imported, or gone)."""


class NotSaved(VisitError, Busy):
    """The database kept refusing the write after every retry."""


# --- checking ---------------------------------------------------------------------------


def stripped(value: str | None) -> str:
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
    account = stripped(draft.account_id)
    if not account:
        errors["account_id"] = _("Choose the account.")
    elif known_accounts is not None and account not in known_accounts:
        errors["account_id"] = _("There is no account {account}.").format(account=account)
    elif account not in allowed_accounts:
        errors["account_id"] = _("{account} is not one of your accounts.").format(account=account)

    oldest = today - timedelta(days=policy.visit_max_age_days)
    if not _is_date(draft.visit_date):
        errors["visit_date"] = _("Enter the visit date.")
    elif draft.visit_date > today:
        errors["visit_date"] = _("The visit date cannot be in the future.")
    elif draft.visit_date < oldest:
        errors["visit_date"] = _("Visits more than {days} days ago cannot be logged (earliest {date}).").format(
            days=policy.visit_max_age_days, date=f"{oldest:%Y-%m-%d}"
        )

    if draft.channel not in CHANNEL_LABELS:
        errors["channel"] = _("Choose how the visit took place.")
    described = stripped(draft.purpose_other)
    if draft.purpose is not None and draft.purpose not in PURPOSES:
        errors["purpose"] = _("Choose one of the listed purposes.")
    elif draft.purpose == OTHER and not described:
        errors["purpose_other"] = _("Describe the purpose.")
    elif draft.purpose not in (None, OTHER) and described:
        # A step chosen and another purpose typed: which one was meant is the manager's to say, and
        # saving either would drop the other without a word.
        errors["purpose_other"] = _(
            "A listed purpose is chosen above: to keep this text as the purpose, choose “{other}”; "
            "otherwise clear this field."
        ).format(other=purpose_label(OTHER))

    if draft.next_date is not None:
        if not _is_date(draft.next_date):
            errors["next_date"] = _("Enter a valid date for the next step.")
        elif _is_date(draft.visit_date) and draft.next_date <= draft.visit_date:
            errors["next_date"] = _("The next step's date must be after the visit date.")

    if any(sign not in WARNING_SIGNS for sign in draft.warning_signs):
        errors["warning_signs"] = _("Choose among the listed warning signs.")

    for name, limit in MAX_TEXT.items():
        typed = len(stripped(getattr(draft, name)))
        if name not in errors and typed > limit:
            errors[name] = too_long(typed, limit)
    return errors


def _stored_purpose(draft: VisitDraft) -> str | None:
    """The purpose as stored: a step's text, or the one typed (with "Other" chosen, or nothing chosen)."""
    if draft.purpose in (None, OTHER):
        return stripped(draft.purpose_other) or None
    # validate() refuses a step chosen with a purpose typed too: nothing typed is dropped here.
    return PURPOSES[draft.purpose].stored


def _text(value: str | None) -> str | None:
    return stripped(value) or None


def record_of(draft: VisitDraft, manager_id: str) -> dict[str, Any]:
    """The visits_app columns a draft sets."""
    return {
        "account_id": stripped(draft.account_id),
        "manager_id": manager_id,
        "visit_date": draft.visit_date,
        "channel": draft.channel,
        "purpose": _stored_purpose(draft),
        "executive": bool(draft.executive),
        "met_with": _text(draft.met_with),
        "notes": _text(draft.notes),
        "next_step": _text(draft.next_step),
        "next_date": draft.next_date,
        # Stored as the exports carry them: codes `;`-separated in their listed order.
        "warning_signs": ";".join(sign for sign in WARNING_SIGNS if sign in draft.warning_signs) or None,
        "contact_ids": ";".join(draft.contact_ids) or None,
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
        warning_signs=tuple(row["warning_signs"].split(";")) if row.get("warning_signs") else (),
        contact_ids=tuple(c for c in (row.get("contact_ids") or "").split(";") if c),
    )


def may_log_for(user: Author, account_manager_id: str | None) -> bool:
    """Whether the user may log visits for an account that this manager holds."""
    if user.role == MANAGER_ROLE:
        return user.manager_id is not None and account_manager_id == user.manager_id
    return True
