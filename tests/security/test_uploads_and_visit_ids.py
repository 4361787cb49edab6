"""Uploads are capped by the server before they are held whole; a visit cannot take an imported visit's id."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.config import Settings
from kam.store import audit, db
from kam.visits import log as visit_log
from kam.visits.rules import NotAllowed, VisitDraft
from tests.portfolio import build

ROOT = Path(__file__).resolve().parents[2]


def test_the_server_caps_each_upload_at_the_configured_limit():
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert streamlit["server"]["maxUploadSize"] == Settings().upload_max_mb == 200
    # bin/start passes the deployment's own limit (kam.toml, KAM_UPLOAD_MAX_MB) to the server.
    start = (ROOT / "bin" / "start").read_text()
    assert "print(settings().upload_max_mb)" in start
    assert '--server.maxUploadSize "$upload_max_mb"' in start


class Manager:
    username, name, role, manager_id, email = "lina", "李娜", "manager", "M2", None


def test_a_visit_with_the_id_of_an_imported_visit_is_refused(tmp_path):
    path = build(tmp_path)  # V5 is an imported visit of K5 by M2
    draft = VisitDraft(account_id="K5", visit_date=date(2026, 6, 29), channel="phone")
    with db.connect(path) as con:
        with pytest.raises(NotAllowed, match="already taken by a visit of the CRM export"):
            visit_log.save_visit(con, draft, Manager(), now=datetime(2026, 6, 30, 15), visit_id="V5")
        assert db.scalar(con, "SELECT count(*) FROM visits_app") == 0
        assert audit.events(con).filter(action=visit_log.ACTION_CREATE).is_empty()
        # A fresh id saves.
        saved = visit_log.save_visit(con, draft, Manager(), now=datetime(2026, 6, 30, 15))
        assert db.scalar(con, "SELECT count(*) FROM visits WHERE visit_id = $id", {"id": saved}) == 1
