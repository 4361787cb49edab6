"""Which language this session's run speaks: the user's choice, the browser's, or the deployment's default."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from kam import i18n
from kam.config import settings
from kam.i18n import _

# Where the session keeps the language picked with the switch (before or after sign-in).
CHOSEN = "language"
SWITCH = "language_switch"
# Where kam.ui.signin keeps the signed-in user (kam.ui.dashboard.USER), whose stored choice counts too.
SIGNED_IN = "signed_in_user"
P = ParamSpec("P")
R = TypeVar("R")


def browser_language() -> str | None:
    """The language the browser asks for (its locale), where Streamlit knows it."""
    try:
        return st.context.locale
    except AttributeError:
        return None


def start_run(stored: str | None = None) -> str:
    """Set the language of this run; stored is the signed-in user's saved choice."""
    language = i18n.resolve(st.session_state.get(CHOSEN) or stored, browser_language(), settings().language)
    i18n.use_language(language)
    return language


def speaking(callback: Callable[P, R]) -> Callable[P, R]:
    """A widget callback that speaks the session's language.

    Streamlit runs a callback before the script run that sets the language, on a thread that
    may not have it yet: the messages the callback leaves would be English.
    """

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        start_run(getattr(st.session_state.get(SIGNED_IN), "language", None))
        return callback(*args, **kwargs)

    return run


# The select boxes whose options read in the language and whose choice is kept while one switches: the
# sidebar's period, the managers' ranking, the visit and contact forms' choices, a new user's role.
RELABELLED = (
    "period",
    "rank_by",
    "visit_channel",
    "visit_purpose",
    "contact_picked",
    "contact_level",
    "contact_role",
    "add_role",
)
# The same kept choices whose keys begin so: the role of the user being changed (one box per user).
RELABELLED_PREFIXES = ("admin_role_",)


def relabel() -> None:
    """Give the RELABELLED widgets their own value again, so that the browser shows it in the new language.

    A select box's browser side holds its choice as the text shown: after a switch it would keep
    showing the old language's text until another choice is made.
    """
    kept = [key for key in st.session_state if isinstance(key, str) and key.startswith(RELABELLED_PREFIXES)]
    for key in (*RELABELLED, *kept):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def switch(on_change: Callable[[str], None] | None = None) -> None:
    """The language switch (sidebar or sign-in page); on_change gets the chosen language, e.g. to keep it."""

    def changed() -> None:
        chosen = st.session_state.get(SWITCH)
        if chosen:
            st.session_state[CHOSEN] = chosen
            if on_change is not None:
                on_change(chosen)
            relabel()

    # The switch shows the run's language; only a click makes it the session's choice.
    st.session_state[SWITCH] = i18n.language()
    st.segmented_control(
        _("Language"),
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=SWITCH,
        on_change=changed,
        label_visibility="collapsed",
    )
