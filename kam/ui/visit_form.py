"""The visit form's state: what is typed, checking and saving it, the messages at each field.

The form's widgets keep their values in ``st.session_state`` under the keys below. Saving
runs in the submit button's callback, before the page is laid out again: a refused visit
leaves every value as typed and puts a message at each field; a saved one clears the form
and leaves a confirmation. One visit id per filled-in form makes a double submit save once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from kam.i18n import _
from kam.present.text import markdown_text
from kam.ui import dashboard, language
from kam.visits import log as visit_log
from kam.visits import rules as visit_rules
from kam.visits.rules import Author, InvalidVisit, VisitDraft, VisitError

# Widget key of each VisitDraft field.
KEYS = {
    "account_id": "visit_account",
    "visit_date": "visit_date",
    "channel": "visit_channel",
    "purpose": "visit_purpose",
    "purpose_other": "visit_purpose_other",
    "executive": "visit_executive",
    "met_with": "visit_met_with",
    "notes": "visit_notes",
    "next_step": "visit_next_step",
    "next_date": "visit_next_date",
    "warning_signs": "visit_warning_signs",
    "contact_ids": "visit_contacts",
}
ERRORS, SAVED, VISIT_ID, EDITING = "visit_errors", "visit_saved", "visit_form_id", "visit_editing"
# The visit whose delete waits for a second tap.
DELETING = "visit_deleting"
# Set by a refused save, for the run right after it only.
REFUSED = "visit_refused"


def prepare(allowed: Collection[str], preset_account: str | None = None) -> None:
    """Give the form its visit id, and the account to log for when opened from the worklist."""
    st.session_state.setdefault(VISIT_ID, visit_log.new_visit_id())
    for field, key in KEYS.items():
        st.session_state.setdefault(key, _empty(field))
    if preset_account in allowed:
        st.session_state[KEYS["account_id"]] = preset_account
    elif preset_account:
        st.session_state[ERRORS] = {
            "account_id": _("{account} is not one of your accounts.").format(account=markdown_text(preset_account))
        }


def _empty(field: str) -> Any:
    """What a field holds in a new form: today's date for the visit, nothing elsewhere."""
    defaults = {"visit_date": date.today(), "executive": False, "warning_signs": [], "contact_ids": []}
    return defaults.get(field, "" if field in ("purpose_other", "met_with", "notes", "next_step") else None)


def draft() -> VisitDraft:
    """The draft as the widgets hold it now."""
    values: dict[str, Any] = {field: st.session_state.get(key) for field, key in KEYS.items()}
    for text in ("purpose_other", "met_with", "notes", "next_step"):
        values[text] = values[text] or ""
    values["executive"] = bool(values["executive"])
    values["warning_signs"] = tuple(values["warning_signs"] or ())
    values["contact_ids"] = tuple(values["contact_ids"] or ())
    return VisitDraft(**values)


def error(field: str) -> str | None:
    """The message for a field after a refused save, if any."""
    return st.session_state.get(ERRORS, {}).get(field)


def take_confirmation() -> str | None:
    """The confirmation of the last save, shown once."""
    return st.session_state.pop(SAVED, None)


def take_refusal() -> bool:
    """Whether the save just made was refused (told once: its messages stay at their fields)."""
    return bool(st.session_state.pop(REFUSED, False))


def _clear() -> None:
    for field, key in KEYS.items():
        st.session_state[key] = _empty(field)
    st.session_state[VISIT_ID] = visit_log.new_visit_id()
    st.session_state.pop(ERRORS, None)
    st.session_state.pop(EDITING, None)
    st.session_state.pop(DELETING, None)


@language.speaking
def submit(user: Author) -> None:
    """Save the form's visit (or the edit of one); the submit button's callback."""
    current = draft()
    editing = st.session_state.get(EDITING)
    try:
        if editing:
            visit_log.edit_visit(dashboard.connection(), editing, current, user)
        else:
            visit_log.save_visit(dashboard.connection(), current, user, visit_id=st.session_state[VISIT_ID])
    except InvalidVisit as refused:
        st.session_state[ERRORS] = refused.errors
        st.session_state[REFUSED] = True
        return
    except VisitError as refused:
        st.session_state[ERRORS] = {"form": str(refused)}
        st.session_state[REFUSED] = True
        return
    done = _("Visit to {account} on {date} changed.") if editing else _("Visit to {account} on {date} saved.")
    st.session_state[SAVED] = _said(done, current.account_id, current.visit_date)
    _clear()


def _said(message: str, account_id: str, day: date) -> str:
    """A message about one visit, naming its account (name and id) and date."""
    account = visit_log.account_label(dashboard.connection(), account_id)
    return message.format(account=markdown_text(account), date=f"{day:%Y-%m-%d}")


@language.speaking
def start_edit(user: Author, visit_id: str) -> None:
    """Fill the form with one of the user's own visits, to change it."""
    stored = visit_log.stored_visit(dashboard.connection(), visit_id)
    if stored is None or stored.get("created_by") != user.username:
        st.session_state[ERRORS] = {"form": _("That visit cannot be changed here.")}
        return
    for field, value in vars(visit_rules.draft_of(stored)).items():
        st.session_state[KEYS[field]] = list(value) if field in ("warning_signs", "contact_ids") else value
    st.session_state[EDITING] = visit_id
    st.session_state.pop(ERRORS, None)


def changeable(recent: pl.DataFrame) -> dict[str, str]:
    """Visit id → label of the recent visits the user may still change."""
    mine = recent.filter(pl.col("editable"))
    labels = mine["name"] + " · " + mine["visit_date"].cast(pl.String)
    return dict(zip(mine["visit_id"], labels, strict=True))


@language.speaking
def cancel_edit() -> None:
    _clear()


@language.speaking
def ask_delete(visit_id: str) -> None:
    """The first tap on delete: ask before anything is deleted."""
    st.session_state[DELETING] = visit_id


def delete_question() -> str | None:
    """What is asked before the visit being changed is deleted, while the question is open."""
    visit_id = st.session_state.get(DELETING)
    if visit_id is None or visit_id != st.session_state.get(EDITING):
        return None
    stored = visit_log.stored_visit(dashboard.connection(), visit_id)
    if stored is None:
        return None
    return _said(
        _("Delete the visit to {account} on {date}? It cannot be brought back."),
        stored["account_id"],
        stored["visit_date"],
    )


@language.speaking
def keep() -> None:
    """The answer no to the delete question: the visit stays, still being changed."""
    st.session_state.pop(DELETING, None)


@language.speaking
def delete(user: Author, visit_id: str) -> None:
    """Delete one of the user's own visits; the callback of the delete question's yes."""
    con = dashboard.connection()
    stored = visit_log.stored_visit(con, visit_id)
    try:
        visit_log.delete_visit(con, visit_id, user)
    except VisitError as refused:
        st.session_state[ERRORS] = {"form": str(refused)}
        st.session_state.pop(DELETING, None)
        return
    st.session_state[SAVED] = _said(
        _("Visit to {account} on {date} deleted."), stored["account_id"], stored["visit_date"]
    )
    _clear()
