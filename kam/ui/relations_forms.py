"""The state of the relationship forms: plans, their actions, contacts, reviews and targets.

Each form keeps what is typed in ``st.session_state`` under the keys below and saves in its
button's callback, before the page is laid out again: a refused save keeps every value as
typed and leaves its message; a plan or a contact saved by someone else since it was opened
is refused with the one saved now kept for the page to show. Who may do what is checked by
``kam.relations``; these callbacks only pass the refusal on.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from kam.i18n import _
from kam.people.users import User
from kam.present.text import markdown_text
from kam.relations import contacts, plans, reviews, targets
from kam.relations.rules import ContactStale, Invalid, RelationError, Stale
from kam.ui import dashboard, language

PLAN_KEYS = {
    "objectives": "plan_objectives",
    "revenue_goal": "plan_revenue_goal",
    "strategy": "plan_strategy",
    "resources": "plan_resources",
    "sponsor": "plan_sponsor",
}
# The plan the form holds: (account, year, version it was opened at); the newer plan after a refused save.
PLAN_OPENED, PLAN_NEWER = "plan_opened", "plan_newer"
ERRORS, DONE = "relations_errors", "relations_done"
# Which form's save the messages under ERRORS refuse (one page can hold several forms, and the messages stay in the
# session when the user moves to another page); REFUSED: set by a refusal for the run right after it only.
REFUSED_FORM, REFUSED = "relations_refused_form", "relations_refused"
# The manager whose review's save was refused: its messages stand at that review only.
REFUSED_OF = "relations_refused_of"
# A move of the plan's status is told beside its buttons, at the page's foot, not at the top: its refusal under
# ERRORS[MOVE], its confirmation under MOVED.
MOVE, MOVED = "move", "plan_moved"
# A tick's refusal is told under the actions, where the box was ticked.
TICK = "tick"
ACTION_KEYS = {"description": "action_description", "owner": "action_owner", "due_on": "action_due_on"}
CONTACT_KEYS = {
    "name": "contact_name",
    "title": "contact_title",
    "level": "contact_level",
    "role": "contact_role",
    "phone": "contact_phone",
    "email": "contact_email",
    "notes": "contact_notes",
}
# The picker of the contact to change, by its id (NEW_CONTACT: a contact to add), and whether they are still at the
# customer (unticked: they left).
CONTACT_PICKED, NEW_CONTACT, CONTACT_ACTIVE = "contact_picked", "", "contact_active"
# The contact the form was filled with and its version then, (id, version), None for a new one: the contact a save
# changes; the contact as saved now after a save refused because someone else saved it meanwhile; set when the form
# was just filled with it again.
CONTACT_OPENED, CONTACT_NEWER, CONTACT_RELOADED = "contact_opened", "contact_newer", "contact_reloaded"


def error(field: str) -> str | None:
    """The message for a field after a refused save, if any."""
    return st.session_state.get(ERRORS, {}).get(field)


def refused_form() -> str | None:
    """The form (plan, action, contact, review, target) whose last save was refused, while its messages stand."""
    return st.session_state.get(REFUSED_FORM) if st.session_state.get(ERRORS) else None


def refused_review_of() -> str | None:
    """The manager whose review's last save was refused, while its messages stand."""
    return st.session_state.get(REFUSED_OF) if refused_form() == "review" else None


class Confirmation(NamedTuple):
    """A save's confirmation and the form it saved, for the page to show it there."""

    message: str
    form: str  # plan, action (added or ticked), contact, review, target
    of: str = ""  # the manager, for a review


def take_confirmation() -> Confirmation | None:
    """The confirmation of the last save, shown once."""
    return st.session_state.pop(DONE, None)


def take_refusal() -> bool:
    """Whether the save just made was refused (told once: its messages stay at their fields)."""
    return bool(st.session_state.pop(REFUSED, False))


def _refused(refusal: RelationError, where: str, field: str = "form", of: str = "") -> None:
    """Keep the refusal's messages for the form `where` (of one manager, for a review); a refusal not about one
    field goes under `field`."""
    st.session_state[ERRORS] = refusal.errors if isinstance(refusal, Invalid) else {field: str(refusal)}
    st.session_state[REFUSED_FORM] = where
    st.session_state[REFUSED_OF] = of
    st.session_state[REFUSED] = True


def _succeeded(message: str, where: str, of: str = "") -> None:
    st.session_state.pop(ERRORS, None)
    st.session_state.pop(REFUSED_FORM, None)
    st.session_state[DONE] = Confirmation(message, where, of)


# --- plans --------------------------------------------------------------------------------


def open_plan(account_id: str, year: int, plan: dict[str, Any] | None) -> None:
    """Fill the plan form from the stored plan when another account or year is opened."""
    if (st.session_state.get(PLAN_OPENED) or (None, None, None))[:2] == (account_id, year):
        return
    _fill_plan(account_id, year, plan)
    st.session_state.pop(ERRORS, None)


def _fill_plan(account_id: str, year: int, plan: dict[str, Any] | None) -> None:
    for field, key in PLAN_KEYS.items():
        value = (plan or {}).get(field)
        st.session_state[key] = value if field in ("revenue_goal", "sponsor") else (value or "")
    st.session_state[PLAN_OPENED] = (account_id, year, plan["version"] if plan else None)
    st.session_state.pop(PLAN_NEWER, None)


def opened_version() -> int | None:
    return (st.session_state.get(PLAN_OPENED) or (None, None, None))[2]


@language.speaking
def save_plan(user: User) -> None:
    """Save the plan form over the version it was opened at; the save button's callback."""
    account_id, year, version = st.session_state[PLAN_OPENED]
    values = {field: st.session_state.get(key) for field, key in PLAN_KEYS.items()}
    draft = plans.PlanDraft(account_id, year, **values)
    try:
        saved = plans.save_plan(dashboard.connection(), draft, user, version=version)
    except Stale as refused:
        _refused(refused, "plan")
        st.session_state[PLAN_NEWER] = refused.current
        return
    except RelationError as refused:
        _refused(refused, "plan")
        return
    st.session_state[PLAN_OPENED] = (account_id, year, saved["version"])
    st.session_state.pop(PLAN_NEWER, None)
    _succeeded(_("Plan saved (version {version}).").format(version=saved["version"]), "plan")


@language.speaking
def take_newer() -> None:
    """Replace what was typed with the newer plan (after reading it), to edit on from there."""
    account_id, year, _version = st.session_state[PLAN_OPENED]
    newer = st.session_state.get(PLAN_NEWER)
    _fill_plan(account_id, year, newer)
    st.session_state.pop(ERRORS, None)


def move_error() -> str | None:
    """Why the last move of the plan's status was refused, if it was."""
    return error(MOVE)


def take_moved() -> str | None:
    """The confirmation of the last move of the plan's status, shown once."""
    return st.session_state.pop(MOVED, None)


@language.speaking
def move_plan(user: User, plan_id: str, status: str, shown: int) -> None:
    """Move the plan to status; a status button's callback. shown: the plan's version the buttons were drawn at.

    The buttons offer the moves from the status as drawn, whatever the form holds: a move refused since the page
    was drawn leaves the page to offer the moves from the plan's status now, which then go through.
    """
    st.session_state.pop(MOVED, None)
    try:
        saved = plans.set_status(dashboard.connection(), plan_id, status, user, version=shown)
    except RelationError as refused:
        st.session_state[ERRORS] = {MOVE: str(refused)}
        st.session_state[REFUSED_FORM] = MOVE
        return
    account_id, year, opened = st.session_state[PLAN_OPENED]
    if opened == shown:  # the form holds the plan as moved; an older form's save stays refused as stale
        st.session_state[PLAN_OPENED] = (account_id, year, saved["version"])
    st.session_state.pop(ERRORS, None)
    st.session_state[MOVED] = _("The plan is now {status}.").format(status=plans.status_label(status))


@language.speaking
def add_action(user: User, plan_id: str) -> None:
    """Add the action form's action to the plan."""
    values = {field: st.session_state.get(key) for field, key in ACTION_KEYS.items()}
    try:
        plans.add_action(
            dashboard.connection(), plan_id, values["description"] or "", values["owner"], values["due_on"], user
        )
    except RelationError as refused:
        _refused(refused, "action")
        return
    for key in ACTION_KEYS.values():
        st.session_state[key] = None if key == ACTION_KEYS["due_on"] else ""
    _succeeded(_("Action added."), "action")


@language.speaking
def tick_action(user: User, action_id: str, key: str, shown: str) -> None:
    """Mark an action done (ticked) or open again; the checkbox's callback. shown: its status as drawn."""
    status = "done" if st.session_state.get(key) else "open"
    try:
        plans.set_action_status(dashboard.connection(), action_id, status, user, seen=shown)
    except RelationError as refused:
        _refused(refused, "tick", TICK)
        return
    _succeeded(_("Action marked done.") if status == "done" else _("Action open again."), "action")


# --- contacts -----------------------------------------------------------------------------


def contact_choices(changeable: pl.DataFrame) -> dict[str, str]:
    """The form's picker, id → label: a new contact, then the account's contacts entered in the app as they are now
    (contacts.contacts_to_change; those of the CRM export are changed in the CRM)."""
    choices = {NEW_CONTACT: _("A new contact")}
    for row in changeable.iter_rows(named=True):
        # The mark of one who left follows the name, ahead of a title that a phone's picker may cut.
        name = row["name"] if row["active"] else _("{name} (left the customer)").format(name=row["name"])
        choices[row["contact_id"]] = " · ".join(part for part in (name, row["title"]) if part)
    return choices


def opened_contact() -> tuple[str | None, int | None]:
    """The contact the form holds (None: a new one) and its version when the form was filled with it."""
    return st.session_state.get(CONTACT_OPENED) or (None, None)


def picked_contact(account_id: str, offered: Collection[str]) -> str | None:
    """The contact the form changes (None: a new one); one no longer offered (another account's) empties the form.

    Called before the picker is drawn. The picker forgets its choice once the label of the contact chosen changes
    (someone else renamed them or marked them as left): the contact the form was filled with is put back in it.
    """
    contact_id, _version = opened_contact()
    if contact_id is not None and contact_id not in offered:
        _fill_contact(account_id, None)
        contact_id = None
    st.session_state[CONTACT_PICKED] = contact_id or NEW_CONTACT
    return contact_id


@language.speaking
def open_contact(account_id: str) -> None:
    """Fill the form with the contact picked, or empty it for a new one; the picker's callback."""
    _fill_contact(account_id, st.session_state.get(CONTACT_PICKED) or None)
    st.session_state.pop(ERRORS, None)


def _fill_contact(account_id: str, contact_id: str | None) -> None:
    row = contacts.stored_contact(dashboard.connection(), contact_id) if contact_id else None
    if row and row["account_id"] != account_id:
        row = None
    draft = contacts.draft_of(row) if row else contacts.ContactDraft()
    for field, key in CONTACT_KEYS.items():
        st.session_state[key] = getattr(draft, field)
    st.session_state[CONTACT_ACTIVE] = draft.active
    st.session_state[CONTACT_OPENED] = (contact_id, row["version"]) if row else None
    st.session_state.pop(CONTACT_NEWER, None)


def newer_contact(contact_id: str | None) -> dict[str, Any] | None:
    """The contact as saved now, after the form's save over it was refused as coming from an older form."""
    newer = st.session_state.get(CONTACT_NEWER)
    return newer if newer and contact_id and newer["contact_id"] == contact_id else None


@language.speaking
def take_newer_contact(account_id: str) -> None:
    """Replace what was typed with the contact as saved now, to redo the change from there."""
    _fill_contact(account_id, opened_contact()[0])
    st.session_state.pop(ERRORS, None)
    st.session_state[CONTACT_RELOADED] = True


def take_reloaded() -> bool:
    """Whether the form was just filled again with the contact as saved now (told once)."""
    return bool(st.session_state.pop(CONTACT_RELOADED, False))


@language.speaking
def save_contact(user: User, account_id: str) -> None:
    """Add the form's contact to the account, or save the contact picked as changed."""
    contact_id, version = opened_contact()
    values = {field: st.session_state.get(key) for field, key in CONTACT_KEYS.items()}
    draft = contacts.ContactDraft(
        account_id,
        **{k: (v or "") if k not in ("level", "role") else v for k, v in values.items()},
        active=bool(st.session_state.get(CONTACT_ACTIVE, True)) if contact_id else True,
    )
    con = dashboard.connection()
    was = contacts.stored_contact(con, contact_id) if contact_id else None
    as_it_was = contacts.unchanged(was, draft)
    try:
        contacts.save_contact(con, draft, user, contact_id=contact_id, version=version)
    except ContactStale as refused:
        _refused(refused, "contact")
        st.session_state[CONTACT_NEWER] = refused.current
        return
    except RelationError as refused:
        _refused(refused, "contact")
        return
    _fill_contact(account_id, None)
    if was is None:
        done = _("Contact {name} added.")
    elif as_it_was:
        done = _("Nothing to save: {name} is as saved before.")
    elif bool(was["active"]) != draft.active:
        done = _("{name} is a current contact again.") if draft.active else _("{name} is now a former contact.")
    else:
        done = _("Contact {name} saved.")
    _succeeded(done.format(name=markdown_text(draft.name.strip())), "contact")


# --- reviews and targets ------------------------------------------------------------------


def review_keys(year: int, quarter: int, manager_id: str) -> tuple[str, str]:
    return f"review_notes_{year}_{quarter}_{manager_id}", f"review_actions_{year}_{quarter}_{manager_id}"


@language.speaking
def save_review(
    user: User, year: int, quarter: int, manager_id: str, signed_on: reviews.Scorecard | None = None
) -> None:
    """Save the manager's review; with signed_on (the manager's quarter figures as the page showed them), sign it
    off on them."""
    notes, agreed = review_keys(year, quarter, manager_id)
    try:
        reviews.save_review(
            dashboard.connection(),
            year,
            quarter,
            manager_id,
            st.session_state.get(notes) or "",
            st.session_state.get(agreed) or "",
            user,
            signed_on=signed_on,
        )
    except RelationError as refused:
        _refused(refused, "review", of=manager_id)
        return
    _succeeded(_("Review signed off.") if signed_on else _("Review saved."), "review", manager_id)


@language.speaking
def save_target(user: User, manager_id: str, year: int, key: str) -> None:
    try:
        targets.set_target(dashboard.connection(), manager_id, year, st.session_state.get(key), None, user)
    except RelationError as refused:
        _refused(refused, "target")
        return
    _succeeded(_("Target saved."), "target")
