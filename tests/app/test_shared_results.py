"""What sessions share: one object per cached metric call, and what pages build from it built once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest

from kam import i18n
from kam.present import charts
from kam.ui import dashboard, widgets
from tests.apptest import start


def _frame() -> pl.DataFrame:
    return pl.DataFrame({"manager_id": ["M01", "M02"], "revenue": [10.0, 20.0]})


def test_a_cached_result_is_one_object_for_every_call(portfolio: Path):
    start("tiers")
    version = ("v", 1)
    shared = dashboard.cached_for(version, "en", _metric, _scope_of_portfolio())
    assert dashboard.cached_for(version, "en", _metric, _scope_of_portfolio()) is shared
    assert dashboard.is_shared(shared)
    assert not dashboard.is_shared(_frame())
    # A page's view of several tables (a dict): each table is shared.
    view = dashboard.cached_for(version, "en", _view, _scope_of_portfolio())
    assert dashboard.is_shared(view["table"]) and view["count"] == 2


def test_a_metric_without_a_name_of_its_own_is_refused(portfolio: Path):
    # A lambda's or a nested function's name would be one cache key for every one of them.
    start("tiers")
    scope = _scope_of_portfolio()
    with pytest.raises(TypeError, match="module-level function"):
        dashboard.cached_for(("v", 3), "en", lambda _con, _scope: _frame(), scope)

    def nested(_con: object, _scope: object) -> pl.DataFrame:
        return _frame()

    with pytest.raises(TypeError, match="module-level function"):
        dashboard.cached_for(("v", 3), "en", nested, scope)


def _view(_con: object, _scope: object) -> dict:
    return {"table": _frame(), "count": 2}


def _metric(_con: object, _scope: object) -> pl.DataFrame:
    return _frame()


def _scope_of_portfolio():
    from kam.ui import warmup

    with dashboard.database().cursor() as con:
        return warmup.default_scope(con)


def test_what_is_derived_from_a_shared_result_is_built_once_per_language(portfolio: Path):
    start("tiers")
    shared = dashboard.cached_for(("v", 2), "en", _metric, _scope_of_portfolio())
    built: list[tuple[str, str]] = []

    def build(frame: pl.DataFrame, label: str) -> list[str]:
        built.append((label, i18n.language()))
        return [label, *frame["manager_id"]]

    token = i18n.use_language("en")
    try:
        _derive_in_two_languages(build, shared, built)
    finally:
        i18n._language.reset(token)


def _derive_in_two_languages(build, shared: pl.DataFrame, built: list[tuple[str, str]]) -> None:
    first = dashboard.derived(build, shared, "x")
    assert dashboard.derived(build, shared, "x") is first
    assert first == ["x", "M01", "M02"]
    assert dashboard.derived(build, shared, "y") == ["y", "M01", "M02"]
    i18n.use_language("zh-CN")
    dashboard.derived(build, shared, "x")
    assert built == [("x", "en"), ("y", "en"), ("x", "zh-CN")]
    # A frame made in a run is not shared: it is built from every time.
    made = _frame()
    dashboard.derived(build, made, "x")
    dashboard.derived(build, made, "x")
    assert built[3:] == [("x", "zh-CN"), ("x", "zh-CN")]
    assert dashboard.token(made) is None
    assert dashboard.token(shared) == dashboard.token(shared)


def test_the_overview_builds_its_chart_and_draws_its_tables_once_for_every_session(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
):
    figures, tables = [], []
    build = charts.revenue_by_month
    show = widgets._show

    def counting_figure(monthly: pl.DataFrame):
        figures.append(monthly.height)
        return build(monthly)

    def counting_table(frame: pl.DataFrame, *args, **kwargs):
        tables.append((frame.height, bool(kwargs.get("select"))))
        return show(frame, *args, **kwargs)

    monkeypatch.setattr(charts, "revenue_by_month", counting_figure)
    monkeypatch.setattr(widgets, "_show", counting_table)
    first = start("overview", period=None)
    drawn = [frame.value.shape for frame in first.dataframe]
    # The portfolio's nine months of revenue (the chart and its table), and the attention lists with rows.
    assert figures == [9]
    assert len(tables) == len(drawn) and 9 in [height for height, _picked in tables]
    # The lists whose rows open an account take a click: a widget, drawn at each run (Streamlit replays no widget).
    picked = [table for table in tables if table[1]]
    assert picked
    second = start("overview", period=None)
    assert (figures, len(tables)) == ([9], len(drawn) + len(picked))
    # The second session is shown the same tables, replayed.
    assert [frame.value.shape for frame in second.dataframe] == drawn
    assert second.get("plotly_chart")


def test_sessions_asking_at_once_wait_for_one_build(portfolio: Path):
    start("tiers")
    shared = dashboard.cached_for(("v", 3), "en", _metric, _scope_of_portfolio())
    built = []

    def slow(frame: pl.DataFrame) -> list[str]:
        built.append(frame.height)
        time.sleep(0.2)
        return list(frame["manager_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: dashboard.derived(slow, shared), range(8)))
    # One build, and every session holds the same object (so the same token, the same drawn table).
    assert built == [2]
    assert all(result is results[0] for result in results)


def test_settings_given_as_a_dict_and_a_choice_of_columns_are_kept_too(portfolio: Path):
    start("tiers")
    shared = dashboard.cached_for(("v", 4), "en", _metric, _scope_of_portfolio())
    built = []

    def build(frame: pl.DataFrame, cutoffs: dict[str, float]) -> int:
        built.append(cutoffs)
        return len(built)

    # The ABC cut-offs come as a dict: the same cut-offs, in any order, are the same figure.
    assert dashboard.derived(build, shared, {"A": 0.8, "B": 0.95}) == 1
    assert dashboard.derived(build, shared, {"B": 0.95, "A": 0.8}) == 1
    assert dashboard.derived(build, shared, {"A": 0.7, "B": 0.95}) == 2
    picked = widgets.only(shared, "revenue", "manager_id")
    assert widgets.only(shared, "revenue", "manager_id") is picked
    assert picked.columns == ["revenue", "manager_id"] and picked["revenue"].to_list() == [10.0, 20.0]
    assert dashboard.token(picked) is not None


def test_a_plan_action_entered_after_the_overview_was_shown_is_on_it_at_the_next_run(portfolio: Path):
    from datetime import date, datetime

    from kam.relations import plans
    from kam.store import db
    from tests.apptest import VP

    def overdue_actions(at) -> list[str]:
        tables = [t.value for t in at.dataframe if "description" in t.value.columns]
        return tables[0]["description"].to_list() if tables else []

    # Written in June, before the overview's as-of date (the exports' last day, 08-01), as the action is.
    written = datetime(2026, 6, 1, 9)
    start("tiers")  # the first start builds the database
    with db.connect(portfolio) as con:
        plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), VP, version=None, now=written)
    assert overdue_actions(start("overview", user=VP)) == []
    with db.connect(portfolio) as con:
        plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 6, 20), VP, now=written)
    # The same view again: its results were shared, and the new action moved the data version they are kept by.
    assert overdue_actions(start("overview", user=VP)) == ["send the quote"]


def test_a_managers_attention_list_is_the_whole_companys_rows_of_their_accounts_once_that_is_computed(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
):
    from dataclasses import replace
    from datetime import date

    from kam.config import settings
    from kam.metrics import attention, complaints
    from kam.metrics.scope import Scope
    from tests.portfolio import D

    start("tiers")
    computed: list[frozenset[str] | None] = []
    real = complaints.open_breaches

    def counted(con, scope):
        computed.append(scope.allowed_accounts)
        return real(con, scope)

    monkeypatch.setattr(complaints, "open_breaches", counted)
    whole = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31), policy=settings())
    k2, m2 = (replace(whole, allowed_accounts=frozenset(accounts)) for accounts in ({"K2"}, {"K3", "K4", "K5"}))
    version = ("v", 5)
    # Past the 24-hour SLA and open at the end of D: C2 (K1, replied in 26 h, unresolved), C3 (K2, no reply in
    # 40 h). C4 (K3, 12 h old) is not yet past it.
    assert sorted(dashboard.cached_for(version, "en", attention.open_breaches, whole)["complaint_id"]) == ["C2", "C3"]
    assert dashboard.cached_for(version, "en", attention.open_breaches, k2)["complaint_id"].to_list() == ["C3"]
    assert dashboard.cached_for(version, "en", attention.open_breaches, m2).is_empty()
    # Computed once, for the whole company: K2's and M2's lists are its rows.
    assert computed == [None]
    # Before anyone asked for the whole company's, an account's own is computed for it.
    assert dashboard.cached_for(("v", 6), "en", attention.open_breaches, k2)["complaint_id"].to_list() == ["C3"]
    assert computed == [None, frozenset({"K2"})]
