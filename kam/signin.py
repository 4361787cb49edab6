"""Who is signed in to this browser session: the built-in form, single sign-on, idle expiry, sign-out.

The signed-in user lives in ``st.session_state`` with the time of their last request; a
session idle longer than the configured minutes is signed out. Where ``.streamlit/secrets.toml``
has an ``[auth]`` section, Streamlit's own OpenID Connect sign-in is used and the e-mail it
returns is matched to a user (or to a manager of the exports).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from kam import audit, dashboard, users
from kam.config import settings
from kam.users import SignInError, User, UserError

USER = dashboard.USER
SEEN, MESSAGE = "signed_in_seen", "sign_in_message"
NAME, PASSWORD = "sign_in_name", "sign_in_password"
NEW_PASSWORD, REPEAT = "new_password", "new_password_repeat"


def single_sign_on() -> bool:
    """True where the deployment configured OpenID Connect in secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current_user(now: datetime | None = None) -> User | None:
    """The signed-in user of this session, or None (never signed in, signed out, or idle too long)."""
    now = now or datetime.now()
    if single_sign_on() and USER not in st.session_state and st.user.is_logged_in:
        _sign_in_by_email(st.user.get("email"))
    user = st.session_state.get(USER)
    if user is None:
        return None
    idle = timedelta(minutes=settings().session_idle_minutes)
    if now - st.session_state.get(SEEN, now) > idle:
        sign_out(f"Signed out after {settings().session_idle_minutes} minutes without activity.")
        return None
    st.session_state[SEEN] = now
    return user


def _sign_in_by_email(email: str | None) -> None:
    con = dashboard.connection()
    user = users.user_for_email(con, email)
    if user is None:
        audit.record(con, email, "sign_in.failed", email, after={"why": "no user with this e-mail"})
        st.session_state[MESSAGE] = f"{email} has no access to this dashboard; ask an admin."
        return
    audit.record(con, user.username, "sign_in", user.username, after={"via": "single sign-on"})
    _start(user)


def _start(user: User) -> None:
    st.session_state[USER] = user
    st.session_state[SEEN] = datetime.now()
    st.session_state.pop(MESSAGE, None)


def submit_password() -> None:
    """The sign-in form's callback; the password never stays in the session."""
    password = st.session_state.pop(PASSWORD, "")
    try:
        user = users.sign_in(dashboard.connection(), st.session_state.get(NAME, ""), password)
    except SignInError as refused:
        st.session_state[MESSAGE] = str(refused)
        return
    _start(user)


def message() -> str | None:
    return st.session_state.get(MESSAGE)


def sign_out(why: str | None = None) -> None:
    """End the session's sign-in (and the single sign-on one, where used)."""
    user = st.session_state.pop(USER, None)
    if user is not None:
        audit.record(dashboard.connection(), user.username, "sign_out", user.username, after={"why": why})
    for key in list(st.session_state):
        del st.session_state[key]
    if why:
        st.session_state[MESSAGE] = why
    if single_sign_on() and st.user.is_logged_in:
        st.logout()


def change_password(user: User) -> None:
    """The new-password form's callback (first sign-in with a one-time password)."""
    new, repeat = st.session_state.pop(NEW_PASSWORD, ""), st.session_state.pop(REPEAT, "")
    if new != repeat:
        st.session_state[MESSAGE] = "The two passwords differ."
        return
    try:
        users.set_password(dashboard.connection(), user.username, new, by=user.username)
    except UserError as refused:
        st.session_state[MESSAGE] = str(refused)
        return
    _start(User(**(vars(user) | {"must_change_password": False})))
