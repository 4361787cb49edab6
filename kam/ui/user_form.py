"""The forms adding a user and changing one: their state, saving, the messages at each field.

The widgets keep their values in ``st.session_state`` under each form's keys, set there only (no widget is given a
default of its own as well, which Streamlit warns about). Saving runs in the button's callback: a refused user leaves
every value as typed, the one-time password included, and puts a message at each field; a saved one leaves a notice
and its form starts again from the values the page gives it (empty, or the user as saved).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from kam.i18n import _
from kam.people import users
from kam.people.users import InvalidUser, UserError
from kam.present.text import markdown_text
from kam.ui import dashboard, language

# No manager is "" rather than None: a select box holding None shows Streamlit's own placeholder instead of the
# choice "–".
NO_MANAGER = ""
# A new user's fields, with what each holds in an empty form.
EMPTY = {"username": "", "name": "", "role": "manager", "manager_id": NO_MANAGER, "email": "", "password": ""}
NOTICE = "admin_notice"


@dataclass(frozen=True)
class Form:
    """A user form: the widget key of each field, where its messages wait for the next run."""

    keys: dict[str, str]
    errors: str
    refused: str

    def prepare(self, values: dict[str, Any]) -> None:
        """Give each field its value, unless it already holds one."""
        state = st.session_state
        if any(key not in state for key in self.keys.values()):
            # The form was not on the screen in the last run (another page or another user then): the messages
            # were about values it no longer holds.
            state.pop(self.errors, None)
        for field, key in self.keys.items():
            state.setdefault(key, values[field])

    def typed(self) -> dict[str, Any]:
        """What each field holds."""
        return {field: st.session_state[key] for field, key in self.keys.items()}

    def error(self, field: str) -> str | None:
        """The message for a field after a refusal, shown as text."""
        message = st.session_state.get(self.errors, {}).get(field)
        return None if message is None else markdown_text(message)

    def take_refusal(self) -> str | None:
        """What is said under the button after a refusal, once (the messages stay at their fields)."""
        return st.session_state.pop(self.refused, None)

    def refuse(self, refused: UserError, each_field: str) -> None:
        """Keep a refusal's messages: each_field says under the button that each field has its own."""
        state = st.session_state
        if isinstance(refused, InvalidUser):
            state[self.errors], state[self.refused] = refused.errors, each_field
        else:
            # Refused by the write itself (a name or e-mail taken meanwhile, the user gone, the database busy).
            state[self.errors], state[self.refused] = {}, markdown_text(refused)

    def saved(self) -> None:
        """After a save (in a callback, before the widgets exist): no messages, and the fields given their values
        again by the next prepare."""
        for key in (self.errors, *self.keys.values()):
            st.session_state.pop(key, None)


ADD = Form(
    {
        "username": "add_username",
        "name": "add_name",
        "role": "add_role",
        "manager_id": "add_manager",
        "email": "add_email",
        "password": "add_password",
    },
    "add_user_errors",
    "add_user_refused",
)
# The change form's fields, with the name in their widget keys.
CHANGE_FIELDS = {"role": "role", "manager_id": "manager", "email": "email", "active": "active"}


def change_form(username: str) -> Form:
    """The form changing this user, keyed by the user so that it shows the chosen user's values. Its messages are
    kept in one place for every user: a form shown for another user starts without them (Form.prepare)."""
    keys = {field: f"admin_{name}_{username}" for field, name in CHANGE_FIELDS.items()}
    return Form(keys, "change_user_errors", "change_user_refused")


def change_values(user: dict[str, Any]) -> dict[str, Any]:
    """A user's row (kam.people.users.users) as the change form holds it."""
    return {
        "role": user["role"],
        "manager_id": user["manager_id"] or NO_MANAGER,
        "email": user["email"] or "",
        "active": user["active"],
    }


@language.speaking
def submit(by: str) -> None:
    """Add the form's user; the button's callback."""
    typed = ADD.typed()
    try:
        users.add_user(
            dashboard.connection(),
            typed["username"],
            typed["name"],
            typed["role"],
            typed["password"],
            typed["manager_id"] or None,
            typed["email"],
            by,
        )
    except UserError as refused:
        ADD.refuse(refused, _("The user was not added: see the message at each field."))
        return
    st.session_state[NOTICE] = ("add", _("{user} added.").format(user=markdown_text(typed["username"].strip().lower())))
    # An empty form for the next user: no one-time password left in it.
    ADD.saved()


@language.speaking
def submit_change(username: str, by: str) -> None:
    """Save the change form of the user; the button's callback."""
    form = change_form(username)
    typed = form.typed()
    try:
        one_time = users.update_user(
            dashboard.connection(), username, by, typed["role"], typed["manager_id"], typed["active"], typed["email"]
        )
    except UserError as refused:
        form.refuse(refused, _("The user was not changed: see the message at each field."))
        return
    # A retired demo user let in again gets a new password: its published one is no secret.
    extra = (
        " " + _("One-time password: `{password}` (hand it over in person).").format(password=one_time)
        if one_time
        else ""
    )
    st.session_state[NOTICE] = ("change", _("{user} changed.").format(user=markdown_text(username)) + extra)
    # The form shows the user as saved (an e-mail trimmed, a manager link dropped with the manager role).
    form.saved()
