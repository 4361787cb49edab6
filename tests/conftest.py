"""Deployments the app tests start: the hand-worked portfolio, or the bundled demo data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kam import config

# The tests read the English interface unless they switch language themselves (the deployment's
# default is Chinese); servers the tests start inherit it.
os.environ.setdefault("KAM_LANGUAGE", "en")
# No daily backup and no look at the import folder by the dashboard's background thread, unless a
# test asks: a test's dashboard would otherwise copy its database, the repository's one included.
os.environ.setdefault("KAM_BACKUP_EVERY_HOURS", "0")
os.environ.setdefault("KAM_IMPORT_WATCH_SECONDS", "0")
from tests.portfolio import EXPORTS


def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: dict[str, str]) -> Iterator[Path]:
    """A new deployment whose bundled exports are these files; yields where its first start puts the database."""
    demo = tmp_path / "demo"
    demo.mkdir()
    for name, text in exports.items():
        (demo / name).write_text(text, encoding="utf-8")
    database = tmp_path / "db" / "kam.duckdb"
    monkeypatch.setenv("KAM_DB_PATH", str(database))
    monkeypatch.setenv("KAM_DEMO_DIR", str(demo))
    config.settings.cache_clear()
    yield database
    config.settings.cache_clear()


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new deployment whose bundled exports are the portfolio."""
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
    """On several processes (bin/test), the tests of a file together, and every browser test on one process."""
    for item in items:
        group = "browser" if item.path.parent.name == "browser" else str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))
