"""Every table of every page reads as words and figures: human headers, no midnight times, durations in days."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from kam.present.columns import is_raw_header
from kam.ui import widgets
from tests.apptest import start

# moment.js tokens of a date column's format, as strftime
MOMENT = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
PAGES = {
    "overview": {},
    "tiers": {},
    "visits": {},
    "managers": {},
    "complaints": {},
    "satisfaction": {},
    "account": {"account": "K1"},
}


def _strftime(moment: str) -> str:
    for token, code in MOMENT.items():
        moment = moment.replace(token, code)
    return moment


def shown(table: Dataframe) -> tuple[list[str], list[list[str]]]:
    """The headers and cell texts of a table as the browser shows them (column order, labels, formats)."""
    config = json.loads(table.proto.columns or "{}")
    frame = table.value
    order = list(table.proto.column_order) or [c for c in frame.columns if not config.get(c, {}).get("hidden")]
    display = None
    if table.proto.arrow_data.HasField("styler"):
        display = pa.ipc.open_stream(io.BytesIO(table.proto.arrow_data.styler.display_values)).read_pandas()
    headers, rows = [], [[] for _ in range(len(frame))]
    for column in order:
        setting = config.get(column, {})
        headers.append(setting.get("label") or column)
        moment = setting.get("type_config", {}).get("format")
        for i, value in enumerate(frame[column]):
            if pd.isna(value):
                text = "–"
            elif isinstance(value, pd.Timestamp) and moment:
                text = value.strftime(_strftime(moment))
            elif display is not None and column in display.columns:
                text = str(display[column].iloc[i])
            elif moment == "%.1f":
                text = f"{value:.1f}"
            else:
                text = str(value)
            rows[i].append(text)
    return headers, rows


def tables(at: AppTest) -> list[tuple[list[str], list[list[str]]]]:
    return [shown(table) for table in at.dataframe]


@pytest.mark.parametrize("page", PAGES)
def test_no_database_header_and_no_midnight_in_any_table(page: str, portfolio: Path):
    at = start(page, as_of="2026-06-30", **PAGES[page])
    assert not at.exception
    assert at.dataframe, "the page shows no table"
    for headers, rows in tables(at):
        assert not [h for h in headers if is_raw_header(h) or "_" in h], headers
        assert not [cell for row in rows for cell in row if "00:00:00" in cell], (headers, rows)


def test_ages_read_in_one_unit_the_header_names_and_ids_carry_names(portfolio: Path):
    # Open past the SLA at the end of 2026-06-30: C2 (K1, opened 06-10 10:00: 494 h, 20.6 days) and
    # C3 (K2, opened 06-29 08:00: 40 h, 1.7 days): their median (267 h) is a day or more, so the column reads in days.
    at = start("overview", as_of="2026-06-30")
    headers, breaches = next((headers, rows) for headers, rows in tables(at) if headers[0] == "Complaint")
    assert headers[-1] == "Open for (days)"
    assert [(row[0], row[1], row[2], row[-1]) for row in breaches] == [
        ("C2", "甲公司 (K1)", "王伟 (M1)", "20.6"),
        ("C3", "乙公司 (K2)", "王伟 (M1)", "1.7"),
    ]


def test_a_table_of_ages_drawn_again_from_the_cache_stays_in_place_and_follows_the_language(portfolio: Path):
    # The same two complaints as above; the second run replays the drawn table, a switch to Chinese draws it anew.
    at = start("overview", as_of="2026-06-30").run()
    section = next(e for e in at.expander if e.label.startswith("Complaints past SLA"))
    [table] = section.dataframe
    assert [(row[0], row[-1]) for row in shown(table)[1]] == [("C2", "20.6"), ("C3", "1.7")]
    assert shown(table)[0][-1] == "Open for (days)"
    at.sidebar.get("button_group")[0].set_value("zh-CN").run()
    section = next(e for e in at.expander if e.label.startswith("响应超时未关闭的投诉"))
    [table] = section.dataframe
    assert [(row[0], row[-1]) for row in shown(table)[1]] == [("C2", "20.6"), ("C3", "1.7")]
    assert shown(table)[0][-1] == "已受理时长（天）"


def test_a_long_table_of_ages_shows_a_page_at_a_time_and_its_download_keeps_every_row(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch, offered_data: dict[str, Any]
):
    # The two complaints past the SLA above, one row a page: the reader picks the page; the CSV has both.
    monkeypatch.setattr(widgets, "PAGE_ROWS", 1)
    at = start("overview", as_of="2026-06-30")
    section = next(e for e in at.expander if e.label.startswith("Complaints past SLA"))
    [table] = section.dataframe
    # The unit is the whole table's: the page of C3 alone (40 h) reads in days too.
    assert [(row[0], row[-1]) for row in shown(table)[1]] == [("C2", "20.6")]
    [rows] = section.selectbox
    assert rows.label == "Rows shown"
    # A reader who sorts by a column must know it sorts this page only.
    assert "sorts only the rows shown" in rows.help
    assert rows.options == ["1–1 of 2", "2–2 of 2"]
    rows.select_index(1).run()
    section = next(e for e in at.expander if e.label.startswith("Complaints past SLA"))
    assert [(row[0], row[-1]) for row in shown(section.dataframe[0])[1]] == [("C3", "1.7")]
    csv = offered_data["download-open-breaches"]()
    assert [line.split(",")[0] for line in csv.decode("utf-8-sig").splitlines()] == ["Complaint", "C2", "C3"]
