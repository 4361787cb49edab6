"""Who may do what with the relationship data, the errors its writes raise, and its fixed words."""

from __future__ import annotations

from typing import Any, Protocol

import duckdb

from kam.i18n import _
from kam.present.columns import ACTION_STATUS_LABELS, PLAN_STATUS_LABELS
from kam.present.formatting import moment
from kam.store import db
from kam.store.write import Busy

MANAGER, VP = "manager", "vp"

PLAN_STATUSES = ("draft", "shared", "agreed", "closed")
# Status → the statuses it may move to, and who may move it there.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "draft": {"shared": (MANAGER, VP)},
    "shared": {"draft": (MANAGER, VP), "agreed": (VP,)},
    "agreed": {"closed": (VP,), "shared": (VP,)},
    "closed": {},
}
ACTION_STATUSES = ("open", "done", "dropped")


class Actor(Protocol):
    """The signed-in user as this package needs it (kam.people.users.User fits)."""

    username: str
    name: str
    role: str
    manager_id: str | None


class RelationError(Exception):
    """A change refused; str() is the message for the user."""


class Invalid(RelationError):
    """Fields that fail their checks: field → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotAllowed(RelationError):
    """The user may not see or change this."""


class NotSaved(RelationError, Busy):
    """The database kept refusing the write; nothing was saved."""


class Stale(RelationError):
    """Someone saved the plan since it was opened; `current` is the plan as saved now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            _(
                "{who} changed this plan since you opened it (now version {version}). Nothing of yours was saved."
            ).format(who=current.get("updated_by") or "?", version=current.get("version"))
        )
        self.current = current


class MoveStale(Stale):
    """Someone changed the plan since the page offered the move; `current` is the plan as saved now.

    Said before any check of the move itself: the move was offered from a status the plan has left, and
    "cannot move from Shared to Shared" would hide that someone else moved it meanwhile.
    """

    def __init__(self, current: dict[str, Any]) -> None:
        status = current.get("status") or "?"
        RelationError.__init__(
            self,
            _(
                "{who} changed this plan since the page showed it: it is now {status} (version {version}). "
                "The plan was not moved."
            ).format(
                who=current.get("updated_by") or "?",
                status=_(PLAN_STATUS_LABELS[status]) if status in PLAN_STATUS_LABELS else status,
                version=current.get("version"),
            ),
        )
        self.current = current


class ActionStale(RelationError):
    """Someone changed the action since the page showed it; `current` is the action as saved now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            _("{who} changed this action since the page showed it (now {status}). Nothing of yours was saved.").format(
                who=current.get("updated_by") or "?",
                status=_(ACTION_STATUS_LABELS.get(current.get("status"), current.get("status") or "?")),
            )
        )
        self.current = current


class ContactStale(RelationError):
    """Someone saved the contact since the form was opened; `current` is the contact as saved now, `who` the name of
    whoever saved it, as people read it."""

    def __init__(self, current: dict[str, Any], who: str) -> None:
        super().__init__(
            _("{who} changed this contact on {when}, after you opened it. Nothing of yours was saved.").format(
                who=who or "?", when=moment(current.get("updated_at"))
            )
        )
        self.current = current


def sees_everything(user: Actor) -> bool:
    return user.role != MANAGER


def account_manager(con: duckdb.DuckDBPyConnection, account_id: str | None) -> str | None:
    """The manager of an account, or None when there is no such account."""
    return db.scalar(con, "SELECT manager_id FROM accounts WHERE account_id = $id", {"id": account_id or ""})


def check_account(con: duckdb.DuckDBPyConnection, user: Actor, account_id: str | None, *, edit: bool) -> str:
    """The account's manager if the user may see (edit=True: change) the account's relationship data."""
    manager_id = account_manager(con, account_id)
    if manager_id is None:
        raise NotAllowed(_("There is no such account."))
    if user.role == MANAGER:
        if user.manager_id != manager_id:
            raise NotAllowed(_("This is not one of your accounts."))
    elif edit and user.role != VP:
        raise NotAllowed(_("Your role may look at this but not change it."))
    return manager_id


def require_vp(user: Actor) -> None:
    if user.role != VP:
        raise NotAllowed(_("Only the VP may do this."))


def text(value: str | None) -> str | None:
    """A text field as stored: trimmed, None when empty."""
    value = (value or "").strip()
    return value or None
