"""Layout pieces every page uses: a chart with its table and download, and the empty-data message."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from kam.metrics.filters import describe
from kam.present.downloads import csv_bytes
from kam.present.formatting import MISSING
from kam.ui import dashboard

# Light fills, so that the figures stay readable on a projector.
GOOD_FILL, BAD_FILL = "#d5f5e3", "#fadbd8"
NO_DATA = "No data for these filters. Widen the period or clear a filter in the sidebar."


def download(frame: pl.DataFrame, name: str, label: str = "Download CSV", *, by_filters: bool = True) -> None:
    """A CSV download whose file name says the period and the sidebar's filters that made the table.

    by_filters=False for tables the filters do not touch (the admin's): the file is `name.csv`.
    """
    file_name = describe(dashboard.scope()).file_name(name, "csv") if by_filters else f"{name}.csv"
    st.download_button(
        label,
        csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=f"download-{name}",
        icon=":material/download:",
    )


def table(
    frame: pl.DataFrame, name: str, /, height: int | str = "auto", by_filters: bool = True, **column_config
) -> None:
    """A table with a CSV download under it (named as `download` says); a missing value reads '–'."""
    st.dataframe(frame, hide_index=True, height=height, column_config=column_config or None, placeholder=MISSING)
    download(frame, name, by_filters=by_filters)


def chart_with_table(figure: go.Figure, frame: pl.DataFrame, name: str, /, **column_config) -> None:
    """The chart, and beside it the numbers behind it with a download."""
    if frame.is_empty():
        st.info(NO_DATA)
        return
    left, right = st.columns([3, 2], vertical_alignment="center")
    left.plotly_chart(figure, key=f"chart-{name}")
    with right:
        table(frame, name, height=300, **column_config)


def chart(figure: go.Figure, frame: pl.DataFrame, name: str) -> None:
    """A chart alone (its numbers are shown elsewhere on the page)."""
    if frame.is_empty():
        st.info(NO_DATA)
    else:
        st.plotly_chart(figure, key=f"chart-{name}")


def _against(target: float):
    """Cell style of a figure against its target: green at or above, red below, none when missing."""

    def style(value: float | None) -> str:
        if value is None or value != value:  # missing, or NaN once in pandas
            return ""
        return f"background-color: {GOOD_FILL if value >= target else BAD_FILL}"

    return style


def judged_table(
    frame: pl.DataFrame,
    name: str,
    /,
    targets: dict[str, float],
    formats: dict[str, str],
    labels: dict[str, Any],
    height: int | str = "auto",
    column_order: list[str] | None = None,
) -> None:
    """A table whose figures are coloured against their targets, with a CSV download under it.

    labels: each column's label or st.column_config entry; column_order: the columns shown, in order
    (the download keeps every column).
    """
    styler = frame.to_pandas().style.format(formats, na_rep=MISSING)
    for column, target in targets.items():
        styler = styler.map(_against(target), subset=[column])
    st.dataframe(
        styler, hide_index=True, height=height, column_config=labels, column_order=column_order, placeholder=MISSING
    )
    download(frame, name)
