"""Fixtures of the page tests."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st


@pytest.fixture
def offered_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The file name of every download button the pages lay out, by its label or key."""
    offered: dict[str, str] = {}
    button = st.download_button

    def recording(label: str, data: Any, file_name: str | None = None, **options: Any) -> bool:
        offered[options.get("key") or label] = file_name
        return button(label, data, file_name=file_name, **options)

    monkeypatch.setattr(st, "download_button", recording)
    return offered
