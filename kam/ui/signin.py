"""Who is signed in to this browser session: the built-in form, single sign-on, idle expiry, sign-out.

The signed-in user lives in ``st.session_state`` with the time of their last request; a
session idle longer than the configured minutes is signed out. Every sign-in also starts a
stay-signed-in session (``kam.people.sessions``): the page sends the browser once to the
server's cookie route, and a reload, a new tab or an opened link finds the user again by the
HttpOnly cookie. Each run checks that session is still on (not signed out elsewhere, not ended
by a change to the user). Where ``.streamlit/secrets.toml``
has an ``[auth]`` section, Streamlit's own OpenID Connect sign-in is used and the e-mail it
returns is matched to a user (or to a manager of the exports).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import quote, unquote, urlencode

import streamlit as st

from kam import logs
from kam.config import settings
from kam.i18n import _
from kam.people import directory, sessions, users
from kam.people.users import SignInError, User, UserError
from kam.store import audit
from kam.ui import dashboard, language, routes

USER = dashboard.USER
SEEN, MESSAGE = "signed_in_seen", "sign_in_message"
# The single sign-on e-mail this session already refused (so it is not refused, and logged, on every rerun).
REFUSED = "sign_in_refused_email"
# Set when the session signed in by single sign-on: no password of ours to choose then.
BY_SSO = "signed_in_by_sso"
NAME, PASSWORD = "sign_in_name", "sign_in_password"
CURRENT, NEW_PASSWORD, REPEAT = "current_password", "new_password", "new_password_repeat"
# The hash of this session's stay-signed-in token; the grant the page still has to hand to the
# cookie route; set when the browser should drop its cookie (after the sign-out button).
TOKEN_HASH, GRANT, LEAVING = "session_token_hash", "session_grant", "session_leaving"
# The page a single sign-on began on: the browser leaves for the provider and comes back to the start
# page, so the address (with a link's filters) waits in a cookie, and in the session once signed in.
RETURN_TO = "sign_in_return_to"
LINK_SECONDS = 15 * 60


def single_sign_on() -> bool:
    """True where the deployment configured OpenID Connect in secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current_user(now: datetime | None = None) -> User | None:
    """The signed-in user of this session, or None (never signed in, signed out, idle too long, or deactivated).

    The user is read again from the store on every request, so that a deactivation or a change of
    role or manager link applies at once.
    """
    now = now or datetime.now()
    if USER not in st.session_state:
        _restore_from_cookie(now)
    if single_sign_on() and USER not in st.session_state and st.user.is_logged_in:
        _sign_in_by_email(st.user.get("email"), st.user.get("email_verified"))
    user = st.session_state.get(USER)
    if user is None:
        return None
    idle = timedelta(minutes=settings().session_idle_minutes)
    if now - st.session_state.get(SEEN, now) > idle:
        sign_out("Signed out after {minutes} minutes without activity.", minutes=settings().session_idle_minutes)
        return None
    fresh = users.refresh(dashboard.connection(), user)
    if fresh is None:
        sign_out("Your access to this dashboard has ended; ask an admin.")
        return None
    hashed = st.session_state.get(TOKEN_HASH)
    why = None if hashed is None else sessions.ended(dashboard.connection(), hashed, now)
    if why == users.CHANGED:
        # A new role or manager link applies at once in the open page; its cookie no longer
        # works, so a reload asks to sign in again.
        st.session_state.pop(TOKEN_HASH)
    elif why is not None:
        logs.event("INFO", "session.ended", user.username, why=why)
        sign_out("Your session has ended; sign in again.")
        return None
    if st.session_state.get(BY_SSO):
        fresh = replace(fresh, must_change_password=False)
    st.session_state[USER] = fresh
    st.session_state[SEEN] = now
    return fresh


def _restore_from_cookie(now: datetime) -> None:
    """Sign in again the user whose stay-signed-in cookie this browser sent, if it is still on."""
    token = st.context.cookies.get(sessions.COOKIE)
    if not isinstance(token, str) or not token:
        return
    user = sessions.restore(dashboard.connection(), token, now)
    if user is None:
        return
    _start(user)
    hashed = sessions.token_hash(token)
    st.session_state[TOKEN_HASH] = hashed
    if sessions.via(dashboard.connection(), hashed) != "password":
        st.session_state[BY_SSO] = True
    logs.event("INFO", "session.restored", user.username)


def _begin(user: User, via: str) -> None:
    """Start the stay-signed-in session of a sign-in; the page hands its grant to the cookie route."""
    chosen = st.session_state.get(language.CHOSEN)
    if chosen and chosen != user.language:
        # Picked on the sign-in page: it is the user's choice, and the reload to the cookie route that
        # follows starts a session that knows only what is kept with the user.
        users.set_language(dashboard.connection(), user.username, chosen)
        st.session_state[USER] = replace(st.session_state.get(USER, user), language=chosen)
    token = sessions.start(dashboard.connection(), user, via)
    st.session_state[TOKEN_HASH] = sessions.token_hash(token)
    st.session_state[GRANT] = sessions.grant(token)
    logs.event("INFO", "sign_in", user.username, via=via)


def hand_over() -> bool:
    """Send the browser to the cookie route once after a sign-in, or to drop the cookie after a sign-out.

    True when the page is leaving (the run has nothing more to show). Without a browser address
    (Streamlit's test harness) there is nowhere to go: the grant is dropped.
    """
    grant, leaving = st.session_state.pop(GRANT, None), st.session_state.pop(LEAVING, None)
    back = st.session_state.pop(RETURN_TO, None) or _here()
    if not isinstance(st.context.url, str):
        return False
    if grant:
        _go(f"{routes.base_path()}/auth/session?grant={quote(grant)}&next={quote(back)}")
        return True
    if leaving:
        _go(f"{routes.base_path()}/auth/signout")
        return True
    return False


def _here() -> str:
    """This page's path and query, to come back to."""
    url = st.context.url
    path = routes.page_path(url if isinstance(url, str) else None)
    query = urlencode({key: st.query_params.get_all(key) for key in st.query_params}, doseq=True)
    return path + (f"?{query}" if query else "")


def _go(url: str) -> None:
    st.html(f"<script>window.location.replace({_script_string(url)});</script>", unsafe_allow_javascript=True)


def _script_string(text: str) -> str:
    # A JSON string, with "<" escaped so that it cannot end the script element.
    return json.dumps(text).replace("<", "\\u003c")


def keep_link() -> None:
    """Keep this page's address (a link's filters with it) for the end of a single sign-on that starts here."""
    if not isinstance(st.context.url, str):
        return
    attributes = f"; path={routes.base_path()}/; max-age={LINK_SECONDS}; samesite=lax"
    st.html(
        f"<script>document.cookie = {_script_string(routes.LINK_COOKIE + '=')} + "
        f"encodeURIComponent({_script_string(_here())}) + {_script_string(attributes)} + "
        "(location.protocol === 'https:' ? '; secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def _kept_link() -> str | None:
    kept = st.context.cookies.get(routes.LINK_COOKIE)
    return unquote(kept) if isinstance(kept, str) and kept else None


def refused_by_single_sign_on() -> bool:
    """True when the company account this browser signed in with has no access here."""
    return REFUSED in st.session_state


def _sign_in_by_email(email: str | None, verified: object) -> None:
    if st.session_state.get(REFUSED) == email:
        return
    con = dashboard.connection()
    # A provider that says the address is unverified does not vouch for it; most say nothing.
    try:
        user = None if verified is False else users.user_for_email(con, email)
    except SignInError as ambiguous:
        _refuse(email, "e-mail shared", str(ambiguous))
        return
    if user is None:
        why = "e-mail not verified" if verified is False else "no active user with this e-mail"
        _refuse(email, why, _("{email} has no access to this dashboard; ask an admin.").format(email=email))
        return
    audit.record_alone(con, user.username, "sign_in", user.username, after={"via": "single sign-on"})
    st.session_state[RETURN_TO] = _kept_link()
    _start(replace(user, must_change_password=False))
    st.session_state[BY_SSO] = True
    _begin(user, "single sign-on")


def _refuse(email: str | None, why: str, message: str) -> None:
    audit.record_alone(
        dashboard.connection(), email, "sign_in.failed", email, after={"why": why, "via": "single sign-on"}
    )
    logs.event("WARNING", "sign_in.failed", email, via="single sign-on", why=why)
    st.session_state[REFUSED] = email
    st.session_state[MESSAGE] = message


def _start(user: User) -> None:
    st.session_state[USER] = user
    st.session_state[SEEN] = datetime.now()
    st.session_state.pop(MESSAGE, None)
    st.session_state.pop(REFUSED, None)


@language.speaking
def submit_password() -> None:
    """The sign-in form's callback; the password never stays in the session."""
    password = st.session_state.pop(PASSWORD, "")
    name, con = st.session_state.get(NAME, ""), dashboard.connection()
    via = "directory" if directory.handles(con, name) else "password"
    try:
        if via == "directory":
            user = directory.sign_in(con, name, password, source=_source())
        else:
            user = users.sign_in(con, name, password, source=_source())
    except SignInError as refused:
        st.session_state[MESSAGE] = str(refused)
        if isinstance(refused, directory.DirectoryDown):
            logs.event("ERROR", "directory.unreachable", None, url=settings().ldap_url)
        logs.event("WARNING", "sign_in.failed", None, via=via, source=_source())
        return
    _start(user)
    if via == "directory":
        st.session_state[BY_SSO] = True
    _begin(user, via)


def _source() -> str | None:
    """The browser's address, where Streamlit knows it: failed sign-ins are counted per source too."""
    # From the WebSocket connection (None on localhost): behind a proxy, the proxy's address.
    address = st.context.ip_address
    # Only text is an address (Streamlit's test harness hands over a stand-in object).
    return address if isinstance(address, str) else None


def message() -> str | None:
    return st.session_state.get(MESSAGE)


def sign_out(why: str | None = None, **values: object) -> None:
    """End the session's sign-in (and the single sign-on one, where used).

    why: one of kam.present.changes.SIGN_OUT_REASONS, filled in with values; the language chosen stays with the browser.
    """
    user = st.session_state.pop(USER, None)
    hashed = st.session_state.get(TOKEN_HASH)
    if hashed is not None:
        sessions.revoke(dashboard.connection(), hashed, "signed out" if why is None else "ended")
    if user is not None:
        reason = why.format(**values) if why else None
        audit.record_alone(dashboard.connection(), user.username, "sign_out", user.username, after={"why": reason})
        logs.event("INFO", "sign_out", user.username)
    chosen = st.session_state.get(language.CHOSEN)
    for key in list(st.session_state):
        del st.session_state[key]
    if chosen is not None:
        st.session_state[language.CHOSEN] = chosen
    if why:
        st.session_state[MESSAGE] = _(why).format(**values)
    if single_sign_on() and st.user.is_logged_in:
        st.logout()


@language.speaking
def sign_out_button() -> None:
    """The sign-out button's callback: the session ends, and the browser drops its cookie."""
    sign_out()
    st.session_state[LEAVING] = True


@language.speaking
def change_password(user: User) -> None:
    """The new-password form's callback (first sign-in with a one-time password, which it asks for again)."""
    current = st.session_state.pop(CURRENT, "")
    new, repeat = st.session_state.pop(NEW_PASSWORD, ""), st.session_state.pop(REPEAT, "")
    if new != repeat:
        st.session_state[MESSAGE] = _("The two passwords differ.")
        return
    try:
        changed = users.change_own_password(dashboard.connection(), user, current, new)
    except UserError as refused:
        st.session_state[MESSAGE] = str(refused)
        return
    _start(changed)
    # The new password ended every session of the user, this one's too: it goes on with a new one.
    _begin(changed, "password")
