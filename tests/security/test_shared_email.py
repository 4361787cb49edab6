"""Two managers with the same e-mail in the export: the e-mail is dropped from both, never guessed."""

from __future__ import annotations

from datetime import date

from kam.ingest import loader
from kam.store import db
from kam.store.schema import SHARED_EMAIL
from tests.portfolio import EXPORTS

MANAGERS = """manager_id,name,region,email
M1,王伟,华东,same@example.com
M2,李娜,华南,m2@example.com
M3,张敏,华东, SAME@example.com
"""


def test_a_shared_email_is_dropped_from_every_manager_with_it_and_reported(tmp_path):
    files = [loader.ExportFile(name, text.encode()) for name, text in (EXPORTS | {"managers.csv": MANAGERS}).items()]
    with db.connect(tmp_path / "kam.duckdb") as con:
        report = loader.load(con, files, "upload", today=date(2026, 11, 22))
        managers = db.query(con, "SELECT manager_id, email FROM managers ORDER BY manager_id")
        accounts = db.scalar(con, "SELECT count(*) FROM accounts")
    assert managers.rows() == [("M1", None), ("M2", "m2@example.com"), ("M3", None)]
    assert accounts == 6 and report.rows_loaded["managers"] == 3
    assert report.rejects.select("file", "line", "row_key", "column_name").rows() == [
        ("managers.csv", 2, "M1", "email"),
        ("managers.csv", 4, "M3", "email"),
    ]
    assert report.rejects["reason"].to_list() == [
        f"'same@example.com' {SHARED_EMAIL}",
        f"'SAME@example.com' {SHARED_EMAIL}",
    ]
    assert f"managers.csv line 4 [M3] email: 'SAME@example.com' {SHARED_EMAIL}" in report.summary()
