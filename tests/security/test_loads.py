"""Loads that would empty the dashboard or lose most of a table are refused, the database unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kam import cli, config
from kam.ingest import bootstrap, loader
from kam.ingest.bootstrap import open_database
from kam.people import users
from kam.store import db
from tests.portfolio import EXPORTS


def exports(**changes: str | None) -> list[loader.ExportFile]:
    """The portfolio's exports, a file replaced by changes[name] (or left out when None)."""
    files = {name: text for name, text in EXPORTS.items()} | changes
    return [loader.ExportFile(name, text.encode()) for name, text in files.items() if text is not None]


def counts(con) -> dict[str, int]:
    return {t.name: db.scalar(con, f"SELECT count(*) FROM {t.table}") for t in loader.EXPORT_TABLES}


def day_first(text: str) -> str:
    """accounts.csv with every date written DD/MM/YYYY."""
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", text)


@pytest.fixture
def deployment(portfolio: Path):
    """The portfolio as the bundled demo data, with the demo users."""
    with open_database(portfolio, config.settings().demo_dir) as con:
        yield con


@pytest.fixture
def real(deployment):
    """The portfolio loaded as real exports (the demo data no longer current)."""
    bootstrap.load_exports(deployment, exports(), "upload", by="admin")
    return deployment


def test_accounts_with_day_first_dates_are_refused_even_over_the_demo_data(deployment):
    before = counts(deployment)
    assert before["accounts"] == 6 and users.users(deployment).filter(demo=True)["active"].to_list() == [True] * 4
    with pytest.raises(loader.LoadRefused) as refused:
        bootstrap.load_exports(deployment, exports(**{"accounts.csv": day_first(EXPORTS["accounts.csv"])}), "up", "a")
    assert not refused.value.forceable
    assert "accounts: none of its 6 rows is usable" in str(refused.value)
    assert "accounts.csv line 2 [K1] created_on: '01/01/2024' is not a date" in str(refused.value)
    assert counts(deployment) == before
    assert users.users(deployment).filter(demo=True)["active"].to_list() == [True] * 4
    assert db.scalar(deployment, "SELECT count(*) FROM load_history") == 1
    # Even the admin's confirmation does not load an empty required table.
    with pytest.raises(loader.LoadRefused):
        loader.load(deployment, exports(**{"accounts.csv": day_first(EXPORTS["accounts.csv"])}), "up", force=True)
    assert counts(deployment) == before


def test_the_demo_data_is_never_a_reason_to_refuse(deployment):
    # Real exports with no orders at all replace the demo data's 10 orders without a question.
    report = bootstrap.load_exports(deployment, exports(**{"orders.csv": None}), "upload", by="admin")
    assert report.rows_loaded["orders"] == 0 and report.confirmed_losses == []


def test_half_of_a_table_may_go_but_not_more(real):
    orders = EXPORTS["orders.csv"].splitlines()
    half = "\n".join(orders[:6]) + "\n"  # header and O1–O5: 5 of 10 orders
    report = loader.load(real, exports(**{"orders.csv": half}), "upload")
    assert report.rows_loaded["orders"] == 5
    before = counts(real)
    fewer = "\n".join(orders[:3]) + "\n"  # O1, O2: 2 of 5
    with pytest.raises(loader.LoadRefused) as refused:
        loader.load(real, exports(**{"orders.csv": fewer}), "upload")
    assert refused.value.forceable
    assert [(loss.table, loss.now, loss.after) for loss in refused.value.losses] == [("orders", 5, 2)]
    assert "orders: 5 rows now, 2 after the load (60% fewer)" in str(refused.value)
    assert counts(real) == before


def test_an_optional_table_left_out_loses_all_its_rows_unless_confirmed(real):
    before = counts(real)
    with pytest.raises(loader.LoadRefused) as refused:
        bootstrap.load_exports(real, exports(**{"surveys.csv": None, "targets.csv": None}), "upload", by="admin")
    losses = [(loss.table, loss.now, loss.after) for loss in refused.value.losses]
    assert losses == [("surveys", 9, 0), ("targets", 2, 0)]
    assert counts(real) == before
    report = bootstrap.load_exports(
        real, exports(**{"surveys.csv": None, "targets.csv": None}), "upload", by="admin", force=True
    )
    assert counts(real) == before | {"surveys": 0, "targets": 0}
    assert "confirmed loss: surveys: 9 rows now, 0 after the load (100% fewer)" in report.summary()


def test_the_command_line_refuses_without_force_and_loads_with_it(real, tmp_path, capsys, portfolio):
    folder = tmp_path / "exports"
    folder.mkdir()
    for file in exports(**{"visits.csv": None}):
        (folder / file.name).write_bytes(file.data)
    real.close()
    assert cli.main(["load", str(folder), "--db", str(portfolio)]) == 1
    error = capsys.readouterr().err
    assert "visits: 7 rows now, 0 after the load (100% fewer)" in error and "--force" in error
    assert cli.main(["load", str(folder), "--db", str(portfolio), "--force"]) == 0
    with db.connect(portfolio) as con:
        assert counts(con)["visits"] == 0


def _asked_to_lose_surveys(portfolio, folder, monkeypatch):
    """The admin page after a click on loading an import folder without surveys (9 loaded now): the question."""
    from kam.people.users import User
    from tests.apptest import start

    folder.mkdir()
    for file in exports(**{"surveys.csv": None}):
        (folder / file.name).write_bytes(file.data)
    monkeypatch.setenv("KAM_IMPORT_DIR", str(folder))
    config.settings.cache_clear()
    with open_database(portfolio, config.settings().demo_dir) as con:
        bootstrap.load_exports(con, exports(), "upload", by="admin")
    at = start("admin", user=User("root", "Root", "admin"))
    next(b for b in at.button if b.label == f"Load the folder {folder}").click().run()
    return at


def test_the_admin_page_asks_before_a_load_that_loses_rows(portfolio, tmp_path, monkeypatch):
    at = _asked_to_lose_surveys(portfolio, tmp_path / "import", monkeypatch)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Nothing was loaded yet. This load would lose more than 50% of the rows of:\n\n"
        "- surveys: 9 rows now, 0 after the load (100% fewer)\n\nLoad anyway?"
    ]
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 9
    next(b for b in at.button if b.label == "Load anyway").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Load 3 done: every row loaded."]
    assert "confirmed loss: surveys: 9 rows now, 0 after the load (100% fewer)" in at.code[0].value
    assert [w.value for w in at.warning] == []
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 0


def test_a_load_that_loses_rows_can_be_given_up_and_nothing_is_loaded(portfolio, tmp_path, monkeypatch):
    at = _asked_to_lose_surveys(portfolio, tmp_path / "import", monkeypatch)
    assert [b.label for b in at.button if b.label in ("Load anyway", "Do not load")] == ["Load anyway", "Do not load"]
    next(b for b in at.button if b.label == "Do not load").click().run()
    assert not at.exception
    # The question is gone, and so is the load: the surveys stay.
    assert [w.value for w in at.warning] == []
    assert not any(b.label == "Load anyway" for b in at.button)
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 9


def _asked_about_uploads(portfolio):
    """The admin page after a click on loading uploaded exports without surveys (9 loaded now): the question."""
    from kam.people.users import User
    from tests.apptest import start

    with open_database(portfolio, config.settings().demo_dir) as con:
        bootstrap.load_exports(con, exports(), "upload", by="admin")
    at = start("admin", user=User("root", "Root", "admin"))
    at.file_uploader[0].set_value([(f.name, f.data, "text/csv") for f in exports(**{"surveys.csv": None})]).run()
    next(b for b in at.button if b.label == "Load the uploaded files").click().run()
    assert [b.label for b in at.button if b.label in ("Load anyway", "Do not load")] == ["Load anyway", "Do not load"]
    return at


def test_a_load_of_uploads_that_loses_rows_loads_them_once_confirmed(portfolio):
    at = _asked_about_uploads(portfolio)
    next(b for b in at.button if b.label == "Load anyway").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Load 3 done: every row loaded."]
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 0


def test_the_question_about_uploads_goes_with_the_files(portfolio):
    at = _asked_about_uploads(portfolio)
    # The files are taken out of the uploader: nothing is left to load, so nothing is asked.
    at.file_uploader[0].clear().run()
    assert not at.exception
    assert not any(b.label in ("Load anyway", "Do not load") for b in at.button)
    assert [w.value for w in at.warning] == []
    # Files uploaded again are asked about again, not loaded by the earlier answer's question.
    at.file_uploader[0].set_value([(f.name, f.data, "text/csv") for f in exports(**{"surveys.csv": None})]).run()
    assert not any(b.label == "Load anyway" for b in at.button)
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 9


def test_the_question_about_uploads_is_not_an_answer_for_other_files(portfolio):
    at = _asked_about_uploads(portfolio)
    # Other files put in their place (these without targets as well) were never asked about: "Load anyway" would
    # load them without a word about the targets they lose.
    others = exports(**{"surveys.csv": None, "targets.csv": None})
    at.file_uploader[0].set_value([(f.name, f.data, "text/csv") for f in others]).run()
    assert not at.exception
    assert not any(b.label in ("Load anyway", "Do not load") for b in at.button)
    next(b for b in at.button if b.label == "Load the uploaded files").click().run()
    assert [w.value for w in at.warning] == [
        "Nothing was loaded yet. This load would lose more than 50% of the rows of:\n\n"
        "- surveys: 9 rows now, 0 after the load (100% fewer)\n"
        "- targets: 2 rows now, 0 after the load (100% fewer)\n\nLoad anyway?"
    ]
    with db.connect(portfolio) as con:
        assert counts(con)["surveys"] == 9 and counts(con)["targets"] == 2
