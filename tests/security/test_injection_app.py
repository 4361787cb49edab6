"""Names from an export and URL parameters are shown as text in every Markdown element and chart label."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam import config
from kam.present.text import markdown_text, plotly_frame, plotly_text
from tests.apptest import start
from tests.security.injected import HTML_MANAGER, IMAGE, PHISH, write

# An unescaped Markdown link or image, or an HTML tag: what must never reach a Markdown element.
LIVE = re.compile(r"(?<!\\)\]\((?!\\)|(?<!\\)<[a-zA-Z/]")


@pytest.fixture
def injected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment whose bundled exports carry the injected names."""
    monkeypatch.setenv("KAM_DB_PATH", str(tmp_path / "db" / "kam.duckdb"))
    monkeypatch.setenv("KAM_DEMO_DIR", str(write(tmp_path / "demo")))
    config.settings.cache_clear()
    yield tmp_path
    config.settings.cache_clear()


def markdown_bodies(at: AppTest) -> list[str]:
    """The Markdown of every element that renders it: text, headers, captions, alerts, metrics, expanders."""
    bodies = [e.value for kind in ("markdown", "title", "header", "subheader", "caption") for e in at.get(kind)]
    bodies += [e.value for kind in ("info", "warning", "error", "success") for e in at.get(kind)]
    bodies += [part for m in at.metric for part in (m.label, m.value, m.proto.help)]
    bodies += [e.label for e in at.expander]
    return bodies


def test_the_escapes():
    assert markdown_text(PHISH) == "\\[Session expired\u2060\\: sign in again\\]\\(http\u2060\\:\\/\\/evil\\.example\\)"
    assert markdown_text("www.x.cn a@b.cn") == "www\u2060\\.x\\.cn a\u2060\\@b\\.cn"
    assert markdown_text("华东 *1* $x$") == r"华东 \*1\* \$x\$"
    assert plotly_text(HTML_MANAGER) == '&lt;a href="http://evil.example"&gt;M&lt;/a&gt;'
    assert plotly_frame(__import__("polars").DataFrame({"n": ["a&<b>"], "x": [1]})).rows() == [("a&amp;&lt;b&gt;", 1)]


def test_the_account_view_shows_injected_names_as_text(injected):
    at = start("account", account="K1")
    assert not at.exception
    assert at.header[0].value == f"{markdown_text(PHISH)} (K1)"
    manager = next(m for m in at.metric if m.label == "Manager (M1)")
    assert manager.value == markdown_text(HTML_MANAGER)
    assert [body for body in markdown_bodies(at) if LIVE.search(body)] == []

    at = start("account", account="K2")
    assert at.header[0].value == f"{markdown_text(IMAGE)} (K2)"
    assert [body for body in markdown_bodies(at) if LIVE.search(body)] == []


def test_a_crafted_account_link_shows_the_search_text_as_text(injected):
    at = start("account", account="[x](http://evil)")
    assert not at.exception
    assert at.info[0].value == (
        "No account matches “\\[x\\]\\(http\u2060\\:\\/\\/evil\\)” within the filters in the sidebar"
        " and the accounts open to you."
    )
    assert [body for body in markdown_bodies(at) if LIVE.search(body)] == []


def test_the_managers_ranking_shows_an_html_name_as_text(injected):
    at = start("managers")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = [label for trace in spec["data"] for label in trace.get("y", [])]
    assert '&lt;a href="http://evil.example"&gt;M&lt;/a&gt; (M1)' in labels
    assert not [label for label in labels if "<a" in str(label)]
    assert [body for body in markdown_bodies(at) if LIVE.search(body)] == []
