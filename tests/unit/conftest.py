"""Fixtures of the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from kam.store import db
from tests.portfolio import build


@pytest.fixture
def con(tmp_path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the hand-worked portfolio of tests/portfolio.py, in a database of the test's own."""
    connection = db.connect(build(tmp_path))
    yield connection
    connection.close()
