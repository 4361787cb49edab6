"""The form adding a user: its state, adding, the messages at each field.

The widgets keep their values in ``st.session_state`` under the keys below, set there only (no widget is given a
default of its own as well, which Streamlit warns about). Adding runs in the button's callback: a refused user leaves
every value as typed, the one-time password included, and puts a message at each field; an added one clears the form
and leaves a notice.
"""

from __future__ import annotations

import streamlit as st

from kam.i18n import _
from kam.people import users
from kam.people.users import InvalidUser, UserError
from kam.present.text import markdown_text
from kam.ui import dashboard, language

# Widget key of each field, with what it holds in an empty form. No manager is "" rather than None: a select box
# holding None shows Streamlit's own placeholder instead of the choice "–".
KEYS = {
    "username": "add_username",
    "name": "add_name",
    "role": "add_role",
    "manager_id": "add_manager",
    "email": "add_email",
    "password": "add_password",
}
EMPTY = {"username": "", "name": "", "role": "manager", "manager_id": "", "email": "", "password": ""}
NO_MANAGER = ""
ERRORS, REFUSED, NOTICE = "add_user_errors", "add_user_refused", "admin_notice"


def prepare() -> None:
    """Give each field of a new form its empty value."""
    for field, key in KEYS.items():
        st.session_state.setdefault(key, EMPTY[field])


def error(field: str) -> str | None:
    """The message for a field after a refused add, shown as text."""
    message = st.session_state.get(ERRORS, {}).get(field)
    return None if message is None else markdown_text(message)


def take_refusal() -> str | None:
    """What is said under the button after a refused add, once (the messages stay at their fields)."""
    return st.session_state.pop(REFUSED, None)


@language.speaking
def submit(by: str) -> None:
    """Add the form's user; the button's callback."""
    state = st.session_state
    typed = {field: state.get(key, EMPTY[field]) for field, key in KEYS.items()}
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
    except InvalidUser as refused:
        state[ERRORS] = refused.errors
        state[REFUSED] = _("The user was not added: see the message at each field.")
        return
    except UserError as refused:
        # Refused by the write itself (the name or e-mail taken meanwhile, the database busy).
        state[ERRORS] = {}
        state[REFUSED] = markdown_text(refused)
        return
    state[NOTICE] = ("add", _("{user} added.").format(user=markdown_text(typed["username"].strip().lower())))
    state.pop(ERRORS, None)
    # An empty form for the next user: no one-time password left in it.
    for field, key in KEYS.items():
        state[key] = EMPTY[field]
