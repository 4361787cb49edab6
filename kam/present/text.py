"""Text from exports or users, made safe for the markup it meets: Streamlit Markdown or Plotly labels.

Account, manager and user names, industries, notes, comments, search text and URL parameters
are data: they must read as typed, never become links, images, HTML or formatting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import polars as pl

# CommonMark lets a backslash escape every ASCII punctuation character; Streamlit's extras
# (:material/…: icons, :red[…] colours, $…$ maths) start with punctuation too.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown turns http://…, www.… and a@b.c into links after the escapes are read:
# an invisible word joiner before every ':' and '@' and after 'www' keeps them text.
_AUTOLINK = re.compile(r"(?=[:@])|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def markdown_text(value: Any) -> str:
    """value as literal text inside Streamlit Markdown (titles, captions, messages, metric and expander labels)."""
    text = _AUTOLINK.sub(WORD_JOINER, "" if value is None else str(value))
    return _PUNCTUATION.sub(r"\\\1", text)


def plotly_text(value: Any) -> str:
    """value as literal text in a Plotly tick label, legend, hover or text (Plotly renders <a>, <b>, <br>)."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """frame with every text column escaped by plotly_text, for a figure built from it."""
    return frame.with_columns(
        pl.col(name)
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def each_said(values: pl.Series, say: Callable[[Any], str | None]) -> pl.Series:
    """say(value) of each value (null for null), as text.

    In Python, never as a Polars expression (map_elements): Polars' worker threads would wait for the
    interpreter's lock while another session's thread holds it waiting for them, and the server would
    stop for good (seen with twenty overviews drawn at once).
    """
    return pl.Series(values.name, [None if value is None else say(value) for value in values], dtype=pl.String)
