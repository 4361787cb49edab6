"""Fixtures of the page tests."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator


@pytest.fixture
def offered_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The file name of every download button the pages lay out, by its label or key."""
    offered: dict[str, str] = {}
    button = DeltaGenerator.download_button

    def recording(self: DeltaGenerator, label: str, data: Any, file_name: str | None = None, **options: Any) -> bool:
        offered[options.get("key") or label] = file_name
        return button(self, label, data, file_name=file_name, **options)

    # st.download_button is bound to the main area when Streamlit is imported; buttons laid out in
    # columns or the sidebar (left.download_button) go through the class.
    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    return offered
