"""Every message id the code uses has a Chinese and an English entry in the catalogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from kam import i18n
from kam.i18n.merge import used_messages


def missing(ids: set[str], language: str) -> list[str]:
    """The ids that the language's catalog has no translation for."""
    i18n.catalog.cache_clear()
    translated = i18n.catalog(language)
    return sorted(ids - set(translated))


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_message_has_an_entry(language: str):
    ids = set(used_messages())
    assert ids, "no message id found: the extraction looks in the wrong place"
    assert missing(ids, language) == []


def test_a_removed_entry_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    path = i18n.catalog_path("zh-CN")
    with path.open("rb") as file:
        po = read_po(file, locale="zh_CN", domain="kam")
    removed = sorted(used_messages())[0]
    del po[removed]
    with path.open("wb") as file:
        write_po(file, po)
    assert missing(set(used_messages()), "zh-CN") == [removed]
    i18n.catalog.cache_clear()
