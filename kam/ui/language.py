"""Which language this session's run speaks: the user's choice, the browser's, or the deployment's default."""

from __future__ import annotations

import streamlit as st

from kam import i18n
from kam.config import settings

# Where the session keeps the language picked with the switch (before or after sign-in).
CHOSEN = "language"


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
