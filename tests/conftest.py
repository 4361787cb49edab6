"""Deployments the app tests start: the hand-worked portfolio, or the bundled demo data."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

from kam import config
from kam.ingest.bootstrap import open_database

# The tests read the English interface unless they switch language themselves (the deployment's
# default is Chinese); servers the tests start inherit it.
os.environ.setdefault("KAM_LANGUAGE", "en")
# No daily backup and no look at the import folder by the dashboard's background thread, unless a
# test asks: a test's dashboard would otherwise copy its database, the repository's one included.
os.environ.setdefault("KAM_BACKUP_EVERY_HOURS", "0")
os.environ.setdefault("KAM_IMPORT_WATCH_SECONDS", "0")
from tests.copies import copy_of
from tests.portfolio import EXPORTS

# Each AppTest's first run has Streamlit read every installed package's metadata for its components (0.16 s); the
# installed packages stay the same while the tests run.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: dict[str, str]) -> Iterator[Path]:
    """A new deployment whose bundled exports are these files; yields where its first start puts the database."""
    (tmp_path / "demo").mkdir()
    for name, text in exports.items():
        (tmp_path / "demo" / name).write_text(text, encoding="utf-8")
    yield from _configured(tmp_path, monkeypatch)


def _configured(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The deployment of folder/demo and folder/db configured; yields its database."""
    database = folder / "db" / "kam.duckdb"
    monkeypatch.setenv("KAM_DB_PATH", str(database))
    monkeypatch.setenv("KAM_DEMO_DIR", str(folder / "demo"))
    config.settings.cache_clear()
    yield database
    config.settings.cache_clear()


def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: dict[str, str]) -> Iterator[Path]:
    """A deployment whose bundled exports are these files, after its first start; yields its database.

    A copy of the first start made once per process for each set of exports and settings: the first start (a load of
    the exports, the demo users' and the first admin's password hashes) costs seconds."""
    settings = {name: value for name, value in os.environ.items() if name.startswith("KAM_")}
    key = hashlib.sha256(json.dumps([exports, settings], sort_keys=True).encode()).hexdigest()

    def first_start(folder: Path) -> None:
        with monkeypatch.context() as scoped:
            for database in deployment(folder, scoped, exports):
                open_database(database, folder / "demo").close()

    copy_of(f"started {key}", tmp_path, first_start)
    yield from _configured(tmp_path, monkeypatch)


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment whose bundled exports are the portfolio, started (its database built)."""
    yield from started(tmp_path, monkeypatch, EXPORTS)


@pytest.fixture
def new_portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new deployment whose bundled exports are the portfolio, before its first start."""
    yield from deployment(tmp_path, monkeypatch, EXPORTS)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database built from the bundled demo exports on its first start, shared by every test."""
    return tmp_path_factory.mktemp("demo") / "kam.duckdb"


@pytest.fixture
def on_demo(demo_database: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The deployment on the bundled demo data."""
    monkeypatch.setenv("KAM_DB_PATH", str(demo_database))
    monkeypatch.delenv("KAM_DEMO_DIR", raising=False)
    config.settings.cache_clear()
    yield demo_database
    config.settings.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On several processes (bin/test), the tests of a file together: its module fixtures (a server, a browser, its
    signed-in pages) start once. The browser test files, the longest, come first: the two processes then share them
    from the start, and the many short files fill in after."""
    items.sort(key=lambda item: item.path.parent.name != "browser")
    for item in items:
        item.add_marker(pytest.mark.xdist_group(str(item.path)))
