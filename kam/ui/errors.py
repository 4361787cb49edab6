"""No traceback reaches a page: an unexpected error becomes a short message, its detail goes to the server log."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from kam.i18n import _

LOG = logging.getLogger("kam")


def show_failure(error: BaseException) -> None:
    """Log error with its traceback under a reference, and tell the user what happened in plain words."""
    reference = secrets.token_hex(4)
    LOG.error("page failed (reference %s)", reference, exc_info=error)
    st.error(
        _(
            "This page could not be shown because of an unexpected error. Try again; if it happens again, "
            "give the administrator the reference {reference} (the server log has the detail)."
        ).format(reference=reference),
        icon=":material/error:",
    )


@contextmanager
def shown_as_message() -> Iterator[None]:
    """Run a page: an exception becomes a message; st.stop and st.rerun pass (they are not Exceptions)."""
    try:
        yield
    except Exception as error:
        show_failure(error)


def on_script_error(error: Exception) -> bool:
    """st.App's hook for what escapes a page run (a widget callback's error): the same message, no traceback."""
    show_failure(error)
    return True
