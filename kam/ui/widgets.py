"""Layout pieces every page uses: a chart with its table and download, and the empty-data message.

How each column reads comes from kam.present.columns: a page names at most a header, or
leaves a column out; numbers stay numbers (so that the table sorts) and are formatted
through st.column_config.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from kam import i18n
from kam.i18n import N_, NP_, _
from kam.metrics.filters import at, describe, plain_file_name
from kam.present import columns
from kam.present.bands import FILLS, ON_PACE, WELL_BEHIND, band
from kam.present.columns import Column, Kind, Override
from kam.present.downloads import table_csv
from kam.present.formatting import MISSING, NO_CHANGE, change_said, number
from kam.present.modebar import plotly_config
from kam.present.text import markdown_text
from kam.ui import dashboard
from kam.vocabulary import Term

# Light fills, so that the figures stay readable on a projector: a figure against its target is green or red as
# attainment is on pace or well behind.
GOOD_FILL, BAD_FILL = FILLS[ON_PACE], FILLS[WELL_BEHIND]
# Above this many rows a judged table is drawn without per-cell colours (each coloured cell costs the
# browser), in a fixed height, its figures formatted by the column configuration instead.
STYLED_ROWS = 100
LONG_TABLE_HEIGHT = 420
# A table with durations, past this many rows, shows one page of them at a time, the reader picking which (its
# download keeps every row); its durations read in the unit chosen for the whole table.
PAGE_ROWS = 500
# Any table past this many rows shows a page at a time too: sent whole, the longest attention lists made the
# overview's first load several megabytes.
PAGED_ROWS = 5_000
# Said where the period holds nothing as much as where a filter leaves nothing out.
NO_DATA = N_(
    "Nothing to show for this period and these filters: choose a longer period or clear a filter in the sidebar."
)


def term_label(terms: tuple[Term, ...], code: str | None) -> str:
    """A vocabulary code (tier, channel, churn reason, …) as the screen names it, in the run's language."""
    found = next((term for term in terms if term.code == code), None)
    return _(found.en) if found else (code or MISSING)


def no_data() -> None:
    """The message for a chart or table with nothing in it under the sidebar's filters."""
    st.info(_(NO_DATA))


def manager_names() -> dict[str, str]:
    """Every manager's name by id, for showing names beside ids."""
    return dashboard.manager_names()


def named(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with names beside ids (managers 徐军 (M01), accounts name (id)), for a chart or a table."""
    return dashboard.derived(_readable, frame)


def _readable(frame: pl.DataFrame) -> pl.DataFrame:
    return columns.readable(frame, manager_names())


def only(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    """The frame's columns of those names, in that order: taken once from a cached frame, and shared like it."""
    return dashboard.derived(_select, frame, *names)


def _select(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    return frame.select(names)


def figure(build: Callable[..., go.Figure], frame: pl.DataFrame, *args: Any, **options: Any) -> go.Figure:
    """build(frame, *args, **options): a chart of the frame, built once per cached frame and language and shared
    by every session (Plotly builds a figure slowly; st.plotly_chart only reads it)."""
    return dashboard.derived(build, frame, *args, **options)


def column_config(spec: Column) -> Any:
    """The st.column_config entry that shows a column of this kind (and width, where it has one)."""
    entry = _kind_config(spec)
    if spec.width is not None:
        entry["width"] = spec.width
    return entry


def _kind_config(spec: Column) -> Any:
    label, help_ = spec.label, spec.help
    match spec.kind:
        case Kind.MONEY:
            return st.column_config.NumberColumn(label, help=help_, format="yen")
        case Kind.PERCENT:
            # the step gives the percent format its one decimal
            return st.column_config.NumberColumn(label, help=help_, format="percent", step=0.001)
        case Kind.SCORE:
            return st.column_config.NumberColumn(label, help=help_, format="%.2f")
        case Kind.POINTS:
            return st.column_config.NumberColumn(label, help=help_, format="%.1f")
        case Kind.COUNT:
            return st.column_config.NumberColumn(label, help=help_, format="%,d")
        case Kind.NUMBER:
            return st.column_config.NumberColumn(label, help=help_, format="%.0f")
        case Kind.DATE:
            return st.column_config.DateColumn(label, help=help_, format="YYYY-MM-DD")
        case Kind.MONTH:
            return st.column_config.DateColumn(label, help=help_, format="YYYY-MM")
        case Kind.DATETIME:
            return st.column_config.DatetimeColumn(label, help=help_, format="YYYY-MM-DD HH:mm")
        case Kind.BOOL:
            return st.column_config.CheckboxColumn(label, help=help_)
        case Kind.TEXT | Kind.ACCOUNT | Kind.MANAGER:
            return st.column_config.TextColumn(label, help=help_)
        case Kind.DURATION:  # in its column's unit, which the header says
            return st.column_config.NumberColumn(label, help=help_, format=f"%.{columns.DURATION_DIGITS}f")
        case _:
            return st.column_config.Column(label, help=help_)


def download(
    frame: pl.DataFrame,
    name: str,
    label: str | None = None,
    overrides: Mapping[str, Override] | None = None,
    *,
    by_filters: bool = True,
    detail: str = "",
    file_name: str = "",
) -> None:
    """A CSV download with the headers and values a spreadsheet reads (kam.present.columns.for_csv), names beside
    ids (徐军 (M01)) whichever table offers it, whose file name says the period and the sidebar's filters that made
    the table.

    name: the file's English name, marked with NF_ (the file is named in the run's language); detail: what
    follows it, as it is (an account's id, a year).
    by_filters=False for tables the filters do not touch (the admin's): the file is `name.csv` (`导入记录.csv`).
    file_name: the whole name, where neither says what the table holds (one account's rows up to the as-of date:
    kam.metrics.filters.account_file_name); name and detail then only key the button.
    label: the button's text, already in the run's language (default: Download CSV).
    """
    frame = named(frame)
    if not file_name:
        file_name = (
            describe(dashboard.scope()).file_name(name, "csv", detail)
            if by_filters
            else plain_file_name(name, "csv", detail)
        )
    st.download_button(
        label or _("Download CSV"),
        csv_on_click(frame, overrides),
        file_name=file_name,
        mime="text/csv",
        key=f"download-{keyed(name, detail)}",
        icon=":material/download:",
    )


def at_as_of(name: str, detail: str = "") -> str:
    """The CSV file name of a table of what stood at the end of the as-of date, whenever it began (the complaints
    still open, the accounts overdue, the receivables, the health then), not of the period: named by that day and
    the filters, 'open-breaches_at-2026-06-30_region-华东.csv' ('响应超时未关闭的投诉_截至2026-06-30_区域-华东.csv')."""
    scope = dashboard.scope()
    return describe(scope).file_name(name, "csv", detail, of=at(scope.as_of))


def keyed(name: str, detail: str = "") -> str:
    """The English name and detail of a table's file, as its widgets' keys take them: the same in every language."""
    return f"{name}-{detail}" if detail else name


def csv_on_click(frame: pl.DataFrame, overrides: Mapping[str, Override] | None) -> Callable[[], bytes]:
    """The table's CSV, made when the user clicks its button rather than on every run of the page.

    A page's tables run to tens of thousands of rows and most are never downloaded. Streamlit
    makes the file on a thread of its own: the file speaks the language of the run that offered it.
    """
    language = i18n.language()

    def made() -> bytes:
        with i18n.speaking(language):
            return table_csv(frame, overrides)

    return made


# How a row of a selectable table is picked: a click on a cell, and a tick box before the row where there is one.
_SELECTED_BY = {True: ["single-row", "single-cell"], False: "single-cell"}


def _show(
    frame: pl.DataFrame,
    overrides: Mapping[str, Override],
    height: int | str | None,
    key: str | None = None,
    select: bool = False,
    units: Mapping[str, str] | None = None,
    ticks: bool = True,
    wrapped: bool = False,
):
    """units: the unit of each duration column, chosen for the whole table of which frame is a page; ticks: a
    selectable table has a tick box before each row; wrapped: rows of three lines, a cell's text wrapped in them."""
    frame, shown = columns.in_units(frame, columns.plan(frame, overrides), units)
    config = {
        name: overrides[name] if isinstance(overrides.get(name), Mapping) else column_config(spec)
        for name, spec in shown.items()
    }
    row_px = columns.WRAPPED_ROW_PX if wrapped else columns.ROW_PX
    event = st.dataframe(
        _shares_rounded(frame, config),
        hide_index=True,
        height=columns.height(frame.height, row_px) if height is None else height,
        row_height=row_px,
        column_config=config,
        column_order=list(shown),
        placeholder=MISSING,
        key=key,
        # A click on any cell selects it, as the tick box at the row's left selects the row: either opens the row.
        **({"on_select": "rerun", "selection_mode": _SELECTED_BY[ticks]} if select else {}),
    )
    if height is None and frame.height > columns.VISIBLE_ROWS:
        # The grid shows no sign of the rows below its edge: a list of 33 under a heading saying 33 read as
        # ending after its twelfth.
        st.caption(_("The table scrolls: {count} rows in all.").format(count=number(frame.height)))
    return event


def _shares_rounded(frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    """The frame with the shares its percent columns show rounded as the cards round them."""
    shares = [
        name
        for name, entry in config.items()
        if isinstance(entry, Mapping)
        and entry.get("type_config", {}).get("format") == "percent"
        and frame.schema.get(name, pl.Null).is_float()
    ]
    return frame.with_columns(columns.share_as_shown(name) for name in shares) if shares else frame


def table(
    frame: pl.DataFrame,
    name: str,
    /,
    height: int | str | None = None,
    by_filters: bool = True,
    in_download_only: tuple[str, ...] = (),
    detail: str = "",
    file_name: str = "",
    wrapped: bool = False,
    **overrides: Override,
) -> None:
    """A table with a CSV download under it (named as `download` says, name, detail and file_name); names beside
    ids, each column as its kind reads.

    overrides: a column's header, a columns.Column, or None to leave it out.
    in_download_only: columns kept off the screen, where the table would not fit, but kept in the download.
    wrapped: rows of three lines, a cell's text wrapped in them (for columns that must read whole on a phone).
    """
    frame = named(frame)
    on_screen = dict(overrides) | dict.fromkeys(in_download_only)
    shown, units = _rows_shown(frame, on_screen, keyed(name, detail))
    shared = dashboard.token(shown)
    if shared is not None:
        _show_shared(shared, on_screen, height, units, wrapped, shown)
    elif units:
        _show_made(shown, on_screen, height, i18n.language(), units, wrapped)
    else:
        _show(shown, on_screen, height, wrapped=wrapped)
    download(frame, name, overrides=overrides, by_filters=by_filters, detail=detail, file_name=file_name)


def _rows_shown(
    frame: pl.DataFrame, on_screen: Mapping[str, Override], name: str
) -> tuple[pl.DataFrame, dict[str, str]]:
    """The rows a table shows, a page at a time when it is long or has durations (read in one unit for the whole
    table), and the unit of each of its duration columns."""
    units = columns.duration_units(frame, columns.plan(frame, on_screen))
    return (one_page(frame, name) if units or frame.height > PAGED_ROWS else frame), units


def one_page(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The rows of the page of a long table the reader picks (PAGE_ROWS a page); a short table whole."""
    if frame.height <= PAGE_ROWS:
        return frame
    pages = -(-frame.height // PAGE_ROWS)
    key = f"rows-{name}"
    if st.session_state.get(key, 0) >= pages:  # picked when the table was longer
        st.session_state[key] = 0
    total = frame.height
    page = st.selectbox(
        _("Rows shown"),
        range(pages),
        format_func=lambda index: _("{first}–{last} of {total}").format(
            first=number(index * PAGE_ROWS + 1), last=number(min((index + 1) * PAGE_ROWS, total)), total=number(total)
        ),
        key=key,
        help=_(
            "The table shows {rows} rows at a time, in the order listed; a click on a column's header sorts "
            "only the rows shown. Its CSV download has every row."
        ).format(rows=number(PAGE_ROWS)),
    )
    return dashboard.derived(_rows_of_page, frame, page)


def _rows_of_page(frame: pl.DataFrame, page: int) -> pl.DataFrame:
    return frame.slice(page * PAGE_ROWS, PAGE_ROWS)


# A drawn table is kept and replayed, as Streamlit replays what a cached function drew: turning the rows into
# what the browser reads cost each run of a page more than anything else on it. Each entry holds the table as
# sent: a few hundred of the latest are kept.
@st.cache_data(show_spinner=False, max_entries=300)
def _show_shared(
    shared: int,
    overrides: dict[str, Override],
    height: int | str | None,
    units: dict[str, str],
    wrapped: bool,
    _frame: pl.DataFrame,
) -> None:
    # shared: dashboard.token of the frame, which stands for its rows and the run's language (its headers).
    _show(_frame, overrides, height, units=units, wrapped=wrapped)


@st.cache_data(show_spinner=False, max_entries=200)
def _show_made(
    frame: pl.DataFrame,
    overrides: dict[str, Override],
    height: int | str | None,
    language: str,
    units: dict[str, str],
    wrapped: bool,
) -> None:
    # A table made in this run: Streamlit hashes its rows.
    _show(frame, overrides, height, units=units, wrapped=wrapped)


def account_table(
    frame: pl.DataFrame,
    name: str,
    /,
    height: int | str | None = None,
    in_download_only: tuple[str, ...] = (),
    ticks: bool = True,
    by_filters: bool = True,
    detail: str = "",
    file_name: str = "",
    wrapped: bool = False,
    **overrides: Override,
) -> None:
    """A table of accounts with a CSV download under it; a click on a row (any of its cells, or its tick box)
    opens that account's view. in_download_only, by_filters, detail, file_name and wrapped: as table's; ticks: False
    for no tick boxes (a to-do list, where a tick would read as done). A long table, or one with durations, shows a
    page of its rows at a time as table does."""
    readable = named(frame)
    on_screen = dict(overrides) | dict.fromkeys(in_download_only)
    shown, units = _rows_shown(readable, on_screen, keyed(name, detail))
    # Keyed by the detail too: two lists of one name (the accounts behind two managers' bars) can be on a page.
    key = f"table-{keyed(name, detail)}"
    event = _show(shown, on_screen, height, key=key, select=True, units=units, ticks=ticks, wrapped=wrapped)
    download(readable, name, overrides=overrides, by_filters=by_filters, detail=detail, file_name=file_name)
    rows = [row for row in _chosen_rows(event) if row < shown.height]
    if rows:
        # The row of the page shown, its account as named (name (id)).
        account = columns.id_of(shown["account_id"][rows[0]])
        st.switch_page(dashboard.page_file("account"), query_params={"account": account})


def _chosen_rows(event: Any) -> list[int]:
    """The rows a click chose in a table drawn with select=True: by its tick box, or by any of its cells."""
    if event is None:
        return []
    return event.selection.rows or [row for row, _column in event.selection.cells]


def record_table(
    frame: pl.DataFrame,
    name: str,
    /,
    in_download_only: tuple[str, ...] = (),
    stored_only: tuple[str, ...] = (),
    by_filters: bool = True,
    detail: str = "",
    file_name: str = "",
    **overrides: Override,
) -> None:
    """A table of records (one account's visits, the loads, the audit log) with a CSV download under it, whose row a
    click on any cell chooses: the chosen row reads whole under it, every column on a line of its own (a note however
    long, as typed; its cell is cut at the column's edge), under the table's headers (a narrow one by its full name).

    in_download_only: columns kept off the screen but in the download and the chosen row; stored_only: records kept
    for a program (an event's JSON), in the download only. by_filters, detail, file_name and overrides as table's.
    """
    shown = named(frame)
    on_screen = dict(overrides) | dict.fromkeys((*in_download_only, *stored_only))
    key = f"table-{keyed(name, detail)}"
    # A long table a page at a time, as table shows it; the chosen row is one of the page's.
    rows_shown = one_page(shown, keyed(name, detail)) if shown.height > PAGED_ROWS else shown
    event = _show(rows_shown, on_screen, None, key=key, select=True, ticks=False)
    download(shown, name, overrides=overrides, by_filters=by_filters, detail=detail, file_name=file_name)
    rows = _chosen_rows(event)
    if rows and rows[0] < rows_shown.height:
        with st.container(border=True, key=f"{key}-chosen", gap="xxsmall"):
            headers = columns.written_out(overrides) | dict.fromkeys(stored_only)
            for line in columns.in_full(rows_shown.row(rows[0], named=True), columns.plan(rows_shown, headers)):
                st.text(line)  # text: notes and next steps as typed, never Markdown


def chart_with_table(
    figure: go.Figure,
    frame: pl.DataFrame,
    name: str,
    /,
    select: bool = False,
    in_download_only: tuple[str, ...] = (),
    detail: str = "",
    file_name: str = "",
    **overrides: Override,
) -> list | None:
    """The chart, and beside it the numbers behind it with a download (about 350 px at 1366: in_download_only,
    name, detail and file_name as table's).

    select: the chart's bars or markers can be clicked; returns the clicked point's customdata.
    """
    if frame.is_empty():
        st.info(_(NO_DATA))
        return None
    left, right = st.columns([3, 2], vertical_alignment="center")
    key = f"chart-{keyed(name, detail)}"
    point = clickable(figure, key, left) if select else plotly_chart(figure, key, left)
    with right:
        table(frame, name, in_download_only=in_download_only, detail=detail, file_name=file_name, **overrides)
    return point if select else None


def clickable(figure: go.Figure, key: str, where: Any = None) -> list | None:
    """A chart whose bars or markers can be clicked (not pies or heatmaps); the clicked point's customdata."""
    event = plotly_chart(figure, key, where, on_select="rerun", selection_mode="points")
    points = event.selection.points
    if not points:
        return None
    data = points[0].get("customdata")
    return list(data) if isinstance(data, list | tuple) else [data]


def follow_click(key: str, value: Any) -> None:
    """Put a newly clicked value into the picker `key` (call before the picker is drawn).

    The chart keeps its selection over reruns: only a click on another point moves the picker,
    so that the picker stays the user's between clicks.
    """
    seen = f"{key}_clicked"
    if value is not None and value != st.session_state.get(seen):
        st.session_state[key] = value
    st.session_state[seen] = value


def drill(
    title: str,
    frame: pl.DataFrame,
    name: str,
    /,
    detail: str = "",
    file_name: str = "",
    accounts: bool = False,
    **overrides: Override,
) -> None:
    """The records behind a clicked bar or point, under the chart (name, detail and file_name as table's).

    accounts: the records are accounts, a row each: a click on a row opens the account, as account_table's."""
    st.subheader(markdown_text(_("{title} ({count})").format(title=title, count=number(frame.height))), anchor=False)
    if frame.is_empty():
        st.info(_("Nothing behind this point for these filters."))
    elif accounts:
        st.caption(_("Click a row to open the account."))
        account_table(frame, name, ticks=False, detail=detail, file_name=file_name, **overrides)
    else:
        table(frame, name, detail=detail, file_name=file_name, **overrides)


def chart(figure: go.Figure, frame: pl.DataFrame, name: str) -> None:
    """A chart alone (its numbers are shown elsewhere on the page)."""
    if frame.is_empty():
        st.info(_(NO_DATA))
    else:
        plotly_chart(figure, f"chart-{name}")


def plotly_chart(figure: go.Figure, key: str, where: Any = None, **options: Any) -> Any:
    """Every chart of the app is drawn here (in where: a column, else the page), with Plotly's config of the run's
    language: the bar over the chart speaks it. The config goes with the call: the figure is cached and shared."""
    return (where or st).plotly_chart(figure, key=key, config=plotly_config(), **options)


def _against(target: float):
    """Cell style of a figure against its target: green at or above, red below, none when missing."""

    def style(value: float | None) -> str:
        if value is None or value != value:  # missing, or NaN once in pandas
            return ""
        return f"background-color: {GOOD_FILL if value >= target else BAD_FILL}"

    return style


def _banded(good: float, warn: float):
    """Cell style by band (kam.present.bands): green at or above good, amber from warn up to good, red below warn."""

    def style(value: float | None) -> str:
        judged = band(value, good, warn)
        return f"background-color: {FILLS[judged]}" if judged else ""

    return style


def judged_table(
    frame: pl.DataFrame,
    name: str,
    /,
    targets: dict[str, float],
    formats: dict[str, Callable[[Any], str]],
    labels: dict[str, Any],
    height: int | str = "auto",
    column_order: list[str] | None = None,
    bands: dict[str, tuple[float, float]] | None = None,
) -> None:
    """A table whose figures are coloured against their targets, with a CSV download under it.

    formats: each figure's cell text (kam.present.formatting), so that a cell reads as the figure does elsewhere;
    labels: each column's label or st.column_config entry; column_order: the columns shown, in order
    (the download keeps every column); bands: columns coloured in three bands instead, by
    (good from, amber from). Past STYLED_ROWS rows: no colours, a fixed height, and the figures
    formatted by their st.column_config entries in labels. Names beside ids, on screen as in the download.
    """
    frame = named(frame)
    if frame.height > STYLED_ROWS:
        st.dataframe(
            _shares_rounded(frame, labels),
            hide_index=True,
            height=LONG_TABLE_HEIGHT,
            column_config=labels,
            column_order=column_order,
            placeholder=MISSING,
        )
        download(frame, name)
        return
    styler = frame.to_pandas().style.format(formats, na_rep=MISSING)
    for column, target in targets.items():
        styler = styler.map(_against(target), subset=[column])
    for column, (good, warn) in (bands or {}).items():
        styler = styler.map(_banded(good, warn), subset=[column])
    st.dataframe(
        styler,
        hide_index=True,
        height=height,
        column_config=_texts_kept(labels, formats),
        column_order=column_order,
        placeholder=MISSING,
    )
    download(frame, name)


def _texts_kept(labels: Mapping[str, Any], formats: Mapping[str, Any]) -> dict[str, Any]:
    """The column settings without the number format of the columns the Styler writes: the grid prefers a format
    to the Styler's text, and formats in the browser after cutting the value to its step's decimals (a share of
    0.22099 with step 0.001 read 22.0% beside a card's 22.1%)."""
    kept = {}
    for name, entry in labels.items():
        options = entry.get("type_config") if isinstance(entry, Mapping) else None
        if name in formats and isinstance(options, Mapping) and options.get("type") == "number":
            entry = {**entry, "type_config": {**options, "format": None, "step": None}}
        kept[name] = entry
    return kept


# What every page needs of Streamlit's own elements.
# On a touch screen the toolbar of every table and chart (search, download, full screen) is always shown, in the
# 44 px above the element's top right corner: without room left there it covers the end of the heading above
# ("Follow-ups due (4)" lost its count). The room is left on touch screens only, where the toolbar never hides.
# Plotly's own buttons (zoom, pan, a picture) are not shown there: always shown beside a chart's title, they
# covered the end of a long one (the full-screen button of the toolbar stays).
# On a phone the headings are smaller, so that most fit on one line: at Streamlit's sizes "Overdue plan actions"
# left its count "(0)" alone on a line, and a Chinese heading broke wherever its middle fell
# ("销售额帕累托分 / 析与建议等级"). A heading still too long wraps into lines of even length, its count with the words
# before it ("text-wrap: pretty" left the count alone in Chromium). An account's name heading its page (name_heading)
# fills its lines instead: balanced, a name of 13 characters with its id broke in its middle, half of each line left
# empty on a phone; filled, the name reads on one line and its id goes under it.
# The script of Streamlit's own words (STREAMLIT_WORDS) takes no room on the page.
PAGE_STYLE = """<style>
@media (hover: none) {
    [data-testid="stElementContainer"]:has([data-testid="stElementToolbar"]) { margin-top: 2rem; }
    .js-plotly-plot .modebar-container { display: none; }
}
[data-testid="stMain"] :is(h1, h2, h3) { text-wrap: balance; }
[data-testid="stMain"] .st-key-name-heading :is(h1, h2, h3) { text-wrap: wrap; }
@media (max-width: 640px) {
    [data-testid="stMain"] h1 { font-size: 2rem; }
    [data-testid="stMain"] h2 { font-size: 1.375rem; }
    [data-testid="stMain"] h3 { font-size: 1.25rem; }
}
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:is(.kam-streamlit-words, .kam-into-view)) {
    display: none;
}
</style>"""

# Streamlit writes its own words in English in the browser, out of the app's reach: the buttons of a table's or
# chart's toolbar and their tips, a table's search, the list of its columns and the menu of a column, a list of
# choices' "Select all" and "No results" and its field's placeholder, the hint under a sign-in field, the
# password's eye, the link to skip to the page's content, the dialog of a link to no page, an empty date field's
# parts. Each is kept by the catalogs under Streamlit's English (Streamlit 1.67's texts) in the context
# "Streamlit's own".
STREAMLIT_TEXTS = (
    # A table's or chart's toolbar, and its tips (a chart's full-screen button sits among Plotly's).
    NP_("Streamlit's own", "Show/hide columns"),
    NP_("Streamlit's own", "Download as CSV"),
    NP_("Streamlit's own", "Search"),
    NP_("Streamlit's own", "Fullscreen"),
    NP_("Streamlit's own", "Close fullscreen"),
    # A table's search.
    NP_("Streamlit's own", "Type to search"),
    NP_("Streamlit's own", "Previous Result"),
    NP_("Streamlit's own", "Next Result"),
    NP_("Streamlit's own", "Close Search"),
    NP_("Streamlit's own", "over 1000"),
    # The list of a table's columns (and a multiple choice's first option), and the menu of a column.
    NP_("Streamlit's own", "Select all"),
    NP_("Streamlit's own", "(index)"),
    NP_("Streamlit's own", "Copy column name"),
    NP_("Streamlit's own", "Sort ascending"),
    NP_("Streamlit's own", "Sort descending"),
    NP_("Streamlit's own", "Statistics"),
    NP_("Streamlit's own", "Format"),
    NP_("Streamlit's own", "Autosize"),
    NP_("Streamlit's own", "Pin column"),
    NP_("Streamlit's own", "Unpin column"),
    NP_("Streamlit's own", "Hide column"),
    # A column's formats.
    NP_("Streamlit's own", "Automatic"),
    NP_("Streamlit's own", "Localized"),
    NP_("Streamlit's own", "Plain"),
    NP_("Streamlit's own", "Compact"),
    NP_("Streamlit's own", "Dollar"),
    NP_("Streamlit's own", "Euro"),
    NP_("Streamlit's own", "Yen"),
    NP_("Streamlit's own", "Percent"),
    NP_("Streamlit's own", "Scientific"),
    NP_("Streamlit's own", "Accounting"),
    NP_("Streamlit's own", "Duration"),
    NP_("Streamlit's own", "Distance"),
    NP_("Streamlit's own", "Calendar"),
    # A column's statistics.
    NP_("Streamlit's own", "Values"),
    NP_("Streamlit's own", "Empty"),
    NP_("Streamlit's own", "Distinct"),
    NP_("Streamlit's own", "Minimum"),
    NP_("Streamlit's own", "25th percentile"),
    NP_("Streamlit's own", "Median"),
    NP_("Streamlit's own", "75th percentile"),
    NP_("Streamlit's own", "Maximum"),
    NP_("Streamlit's own", "Average"),
    NP_("Streamlit's own", "Standard deviation"),
    NP_("Streamlit's own", "Sum"),
    NP_("Streamlit's own", "Range"),
    NP_("Streamlit's own", "Minimum length"),
    NP_("Streamlit's own", "Maximum length"),
    NP_("Streamlit's own", "Average length"),
    # A choice's field with nothing chosen, or nothing to choose; a list of choices with nothing matching what was
    # typed; a password's eye; the link a keyboard's first Tab shows.
    NP_("Streamlit's own", "Choose an option"),
    NP_("Streamlit's own", "Choose options"),
    NP_("Streamlit's own", "No options to select"),
    NP_("Streamlit's own", "No results"),
    NP_("Streamlit's own", "Show password"),
    NP_("Streamlit's own", "Hide password"),
    NP_("Streamlit's own", "Skip to main content"),
    # The dialog over the landing page when a link names no page of the app (mistyped, or of an older version).
    NP_("Streamlit's own", "Page not found"),
    NP_("Streamlit's own", "The page that you have requested does not seem to exist. Running the app's main page."),
    NP_("Streamlit's own", "Close"),
    # The parts of an empty date field (a visit's next step, an action's due date): yyyy-mm-dd.
    NP_("Streamlit's own", "yyyy"),
    NP_("Streamlit's own", "mm"),
    NP_("Streamlit's own", "dd"),
)
# Streamlit's words with a number or a key in them: the expression (JavaScript's, its groups named) that finds them,
# and the message that says them, its fields the groups.
STREAMLIT_PATTERNS = (
    (r"^(?<count>\d+) results?$", NP_("Streamlit's own", "{count} results")),
    (r"^(?<number>\d+) of (?<count>\d+) results?$", NP_("Streamlit's own", "{number} of {count} results")),
    (r"^(?<number>\d+) of over 1000$", NP_("Streamlit's own", "{number} of over 1000")),
    (r"^Press (?<keys>.+) to submit form$", NP_("Streamlit's own", "Press {keys} to submit form")),
    (r"^Press (?<keys>.+) to apply$", NP_("Streamlit's own", "Press {keys} to apply")),
)
# Where Streamlit writes them, by its test ids and roles: never a table's cells, a chart's data or a text of ours.
STREAMLIT_PLACES = (
    '[data-testid="stElementToolbar"]',
    '[data-testid="stTooltipContent"]',
    ".modebar",
    ".gdg-search-bar",
    '[data-testid="stDataFrameColumnVisibilityMenu"]',
    '[data-testid="stDataFrameColumnMenu"]',
    '[data-testid="stDataFrameColumnFormattingMenu"]',
    '[data-testid="stDataFrameStatisticsMenu"]',
    '[role="option"][data-key="__select_all__"]',
    '[role="listbox"][data-empty="true"]',
    '[data-testid="InputInstructions"]',
    '[data-testid="stTextInputRootElement"] button',
    '[data-testid="stSelectbox"] input',
    '[data-testid="stMultiSelect"] input',
    '[data-testid="stSkipToContent"]',
    '[data-testid="stDialog"] [role="dialog"]',
    '[data-testid="stDateInputField"] [data-placeholder="true"]',
)
# Each of Streamlit's words found there, in a text or in a label, tip or placeholder, is replaced by the reader's.
# Streamlit draws them at any time (a tip on hover, a menu on a click, a table's toolbar after the run, the dialog of
# a link to no page before the script once signed in, after it on the sign-in page): the script watches the page for
# them, at most once a frame, rather than writing them once. A run in English draws no script: the one drawn before
# goes, and the words it replaced come back.
STREAMLIT_WORDS = """<script class="kam-streamlit-words">
(function (texts, patterns, places) {
    const script = document.currentScript;
    const attributes = ["aria-label", "title", "data-title", "placeholder"];
    const replaced = [];
    const ours = (text) => {
        const said = text.trim();
        if (Object.hasOwn(texts, said)) return texts[said];
        const found = patterns.find(([pattern]) => pattern.test(said));
        return found ? said.replace(found[0], found[1]) : null;
    };
    const read = (node, attribute) => (attribute ? node.getAttribute(attribute) : node.data);
    const write = (node, attribute, text) => (attribute ? node.setAttribute(attribute, text) : (node.data = text));
    const put = (node, attribute) => {
        const text = read(node, attribute);
        const said = text && ours(text);
        if (said && said !== text) {
            replaced.push([node, attribute, text, said]);
            write(node, attribute, said);
        }
    };
    const pass = () => {
        if (!script.isConnected) return stop();
        for (const place of document.querySelectorAll(places)) {
            for (const element of [place, ...place.querySelectorAll("*")]) {
                attributes.filter((name) => element.hasAttribute(name)).forEach((name) => put(element, name));
            }
            const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) put(walker.currentNode, null);
        }
        if (replaced.length > 1000) replaced.splice(0, Infinity, ...replaced.filter(([node]) => node.isConnected));
    };
    let due = false;
    const observer = new MutationObserver(() => {
        if (!due) {
            due = true;
            requestAnimationFrame(() => { due = false; pass(); });
        }
    });
    const stop = () => {
        observer.disconnect();
        for (const [node, attribute, text, said] of replaced.splice(0)) {
            if (read(node, attribute) === said) write(node, attribute, text);
        }
        if (window.kamStreamlitWords === stop) delete window.kamStreamlitWords;
    };
    if (window.kamStreamlitWords) window.kamStreamlitWords();
    window.kamStreamlitWords = stop;
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributeFilter: attributes});
    pass();
})(%(texts)s, [%(patterns)s], %(places)s);
</script>"""


def page_style() -> None:
    """Room for the toolbars of tables and charts on a touch screen; headings sized for a phone; Streamlit's own
    words in the reader's language."""
    st.html(PAGE_STYLE)
    if i18n.language() != i18n.ENGLISH:
        st.html(streamlit_words(), unsafe_allow_javascript=True)


def streamlit_words() -> str:
    """The script that puts the reader's words in the place of Streamlit's own English (STREAMLIT_WORDS), the
    catalogs' texts JSON-encoded with "<" escaped."""
    texts = {text.rpartition(i18n.CONTEXT_SEPARATOR)[2]: _(text) for text in STREAMLIT_TEXTS}
    patterns = [
        f"[new RegExp({_json(pattern)}), {_json(_(message).format_map(_Groups()))}]"
        for pattern, message in STREAMLIT_PATTERNS
    ]
    return STREAMLIT_WORDS % {
        "texts": _json(texts),
        "patterns": ", ".join(patterns),
        "places": _json(", ".join(STREAMLIT_PLACES)),
    }


class _Groups(dict):
    """A message's fields as a JavaScript replacement names its expression's groups: {count} is $<count>."""

    def __missing__(self, name: str) -> str:
        return f"$<{name}>"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


# Streamlit writes its file uploader's own texts (the button, the size limit) in English only: they are
# hidden and the reader's are shown in their place.
UPLOADER_STYLE = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: {button}; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {limit}; font-size: 14px; }}
</style>"""


NAME_HEADING = "name-heading"


def name_heading(text: str) -> None:
    """A heading naming what the page shows (an account: its name and id), its lines filled (PAGE_STYLE)."""
    with st.container(key=NAME_HEADING):
        st.header(text)


def css_string(text: str) -> str:
    """text as a CSS string literal (for `content`): quoted, its quotes, backslashes and line ends escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def file_uploader(label: str, types: list[str], limit_mb: int) -> list[Any]:
    """Files picked for upload (several at once), the uploader's own texts in the reader's language."""
    limit = _("Up to {size} MB per file · {types}").format(
        size=number(limit_mb), types=", ".join(kind.upper() for kind in types)
    )
    st.html(UPLOADER_STYLE.format(button=css_string(_("Upload")), limit=css_string(limit)))
    return st.file_uploader(label, type=types, accept_multiple_files=True, max_upload_size=limit_mb) or []


# Scrolls the page to the container of a key once it is drawn. A phone keeps the page where the thumb was: a form
# that folds on saving leaves it far below what the save changed (Safari does not hold the view on what was in
# sight, as Chromium does), and a refused form's first message in red can be a screen above its button. The margin
# keeps the top clear of the page's header. What is drawn above it later in the run or just after (a table's grid, an
# expander opening) moves it on: until the run has ended and a second and a half more (a busy server or a slow phone
# draws late; a minute at most) it is brought back whenever it moved, unless the user touches, scrolls or types.
# The script's element is hidden (PAGE_STYLE): no gap where it is drawn. The run's number makes each script new, so that
# it runs again.
SCROLL_SCRIPT = """<script class="kam-into-view">
(function (tries) {{
    let moved = false, after = 15, checks = 600, top = null;
    const inputs = ["wheel", "touchstart", "keydown", "pointerdown"];
    const stop = () => {{ moved = true; }};
    inputs.forEach(name => window.addEventListener(name, stop, {{capture: true, once: true}}));
    const running = () => {{
        const app = document.querySelector("[data-testid=stApp]");
        const state = app === null ? "running" : app.getAttribute("data-test-script-state");
        return ["running", "rerunRequested"].includes(state) || document.querySelector("[data-stale=true]") !== null;
    }};
    const place = target => {{
        target.scrollIntoView({{block: {block}}});
        top = target.getBoundingClientRect().top;
    }};
    const hold = target => {{
        after = running() ? 15 : after - 1;
        if (moved || !target.isConnected || after <= 0 || checks-- <= 0) {{
            inputs.forEach(name => window.removeEventListener(name, stop, {{capture: true}}));
            return;
        }}
        if (Math.abs(target.getBoundingClientRect().top - top) > 1) place(target);
        setTimeout(() => hold(target), 100);
    }};
    const go = () => {{
        const target = document.querySelector({selector});
        if (target) {{
            target.style.scrollMarginTop = "4rem";
            place(target);
            setTimeout(() => hold(target), 100);
        }} else if (tries-- > 0) setTimeout(go, 100);
    }};
    setTimeout(go, 100);
}})(30); // {run}
</script>"""
BROUGHT_INTO_VIEW = "brought_into_view"
# A message in red (st.error): querySelector finds the first of a container's, the highest on the page.
ERROR = "[data-testid=stAlertContentError]"


def tell_refusal() -> None:
    """A refused save told under the form's button, where it was pressed: its messages are in red at the fields
    above, the page brought to the first of them (bring_first_error_into_view)."""
    # Not in a toast: on a phone a toast lies over the page's title for four seconds, and a save made within them
    # left "Not saved" on screen beside the save's green box.
    st.error(_("Not saved: see the messages in red above."), icon=":material/error:")


def card(where: Any, label: str, value: str, change: str | None, **options: Any) -> None:
    """A figure's card in `where` (a column) with its change against the period before (st.metric's options): a
    change that rounds to nothing reads "no change", grey without an arrow, not a bare 0 that reads as a figure."""
    if change == NO_CHANGE:
        options |= {"delta_color": "off", "delta_arrow": "off"}
    where.metric(label, value, change_said(change), **options)


def confirmation_box(key: str, message: str, note: str = "", block: str = "center") -> None:
    """A save's confirmation in a green box, in the container st.container(key=key), the page brought to it as soon as
    it is drawn (block as bring_into_view's); note: a line under it, in the same container."""
    with st.container(key=key):
        st.success(message, icon=":material/check_circle:")
        if note:
            st.caption(note)
        bring_into_view(key, block)


def bring_into_view(key: str, block: str = "center") -> None:
    """Scroll the page to the container st.container(key=key), drawn in this run, when the run has drawn it.

    block: where it comes in the window, "center" or "start" (its top under the page's header).
    """
    _scroll_to(f".st-key-{key}", block)


def bring_first_error_into_view(key: str = "") -> None:
    """Scroll the page to the first message in red drawn in this run in the container st.container(key=key), or
    without a key in the page's main area: after a refused save, called last in the run.

    It comes to the middle of the window, the field it is about in sight above it.
    """
    within = f".st-key-{key}" if key else "[data-testid=stMain]"
    _scroll_to(f"{within} {ERROR}", "center")


def _scroll_to(selector: str, block: str) -> None:
    """The script that scrolls to the first element matching the selector (of the code's, never a user's text)."""
    run = st.session_state[BROUGHT_INTO_VIEW] = st.session_state.get(BROUGHT_INTO_VIEW, 0) + 1
    selector = json.dumps(selector).replace("<", "\\u003c")
    st.html(
        SCROLL_SCRIPT.format(selector=selector, block=json.dumps(block), run=run),
        unsafe_allow_javascript=True,
    )
