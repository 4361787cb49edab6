"""Fixtures of the page tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def _recorded(monkeypatch: pytest.MonkeyPatch, kept: Callable[[Any, dict[str, Any]], Any]) -> dict[str, Any]:
    """kept(data, options) of every download button the pages lay out, by its key or label."""
    offered: dict[str, Any] = {}
    button = DeltaGenerator.download_button

    def recording(self: DeltaGenerator, label: str, data: Any, **options: Any) -> bool:
        offered[options.get("key") or label] = kept(data, options)
        return button(self, label, data, **options)

    # st.download_button is bound to the main area when Streamlit is imported; buttons laid out in
    # columns or the sidebar (left.download_button) go through the class.
    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    return offered


@pytest.fixture
def offered_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The file name of every download button the pages lay out, by its key or label."""
    return _recorded(monkeypatch, lambda _data, options: options.get("file_name"))


@pytest.fixture
def offered_data(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What every download button the pages lay out offers (bytes, or what makes them on click), by its key or
    label."""
    return _recorded(monkeypatch, lambda data, _options: data)
