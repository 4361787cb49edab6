"""What every page shares: the deployment's database, the current scope, and cached metric calls.

One DuckDB connection per process (``st.cache_resource``); every call that queries takes
its own cursor from it, so each script-run thread works on its own. Metric results are
cached by the metric, the scope and the database's data version, which changes with every
load and every visit entered in the app, so a rerun with the same filters does no query
work and new data shows at once.

A cached result is one object shared by every session, never changed once computed: what a
page builds from it (a figure, a table with names beside ids) is built once too (`derived`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import runpy
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from kam import i18n
from kam.config import PROJECT_ROOT, settings
from kam.i18n import _
from kam.i18n.formats import table_date
from kam.ingest.bootstrap import follow, open_database
from kam.metrics import attention, catalog, tiers
from kam.metrics.scope import Scope
from kam.people import users
from kam.people.users import User
from kam.store import db
from kam.store.db import DatabaseUnavailable
from kam.store.write import Busy
from kam.ui import errors, turns

T = TypeVar("T")
ENTRY = PROJECT_ROOT / "app.py"
FAVICON = Path(__file__).with_name("favicon.png")
# Where the session keeps its signed-in kam.people.users.User (kam.ui.signin puts it there).
USER = "signed_in_user"
# The account the user last looked at, on the account view or the plans page: a page about one account opens on it when
# its address names none (a page switch from the sidebar drops `?account=`).
ACCOUNT_SHOWN = "account_shown"
# The databases this process has opened (the spinner is for the first open only).
_opened: set[tuple[str, str]] = set()


@st.cache_resource(show_spinner=False)
def _database(path: str, demo_dir: str) -> duckdb.DuckDBPyConnection:
    return open_database(Path(path), Path(demo_dir))


def database() -> duckdb.DuckDBPyConnection:
    """The process's database (opened once, also outside a page run); raises DatabaseUnavailable."""
    policy = settings()
    return _database(str(policy.db_path), str(policy.demo_dir))


def connection() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the deployment's database; the page stops with what to do when it cannot be opened."""
    policy = settings()
    key = (str(policy.db_path), str(policy.demo_dir))
    try:
        if key in _opened:
            return _database(*key).cursor()
        # Only the first open of a process may take a while (a new database is built from the exports).
        with st.spinner(_("Preparing the database…")):
            cursor = _database(*key).cursor()
        _opened.add(key)
        return cursor
    except DatabaseUnavailable as error:
        errors.LOG.error("%s", error)
        st.error(_("The dashboard cannot open its database.") + " " + error.public, icon=":material/error:")
        st.stop()


def refresh_version() -> tuple:
    """Switch to exports published since the last run, then read the data version that keys this run's cached calls."""
    con = connection()
    _follow(con)
    version = data_version(con)
    st.session_state["data_version"] = version
    return version


def _follow(con: duckdb.DuckDBPyConnection) -> None:
    try:
        follow(con)
    except (duckdb.Error, OSError, Busy):
        # The next run tries again; this one shows the data it has.
        errors.LOG.exception("switching to the newest exports failed")


def data_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """The key of every cached result: the database's path and its catalog.data_version."""
    # The path is part of the key: a test process opens several databases in turn.
    return (str(settings().db_path), *catalog.data_version(con))


def from_address() -> bool:
    """Whether this run follows the browser's Back or Forward button to an address naming a whole view (it names the
    period; the as-of date when not the data date): that view is then shown, as a link's would be.

    An address a run left half written (a page switch clears the address before the page writes it again) names no
    period: the view on screen stays.
    """
    context = get_script_run_ctx()
    return bool(getattr(context, "is_history_navigation", False)) and "period" in st.query_params


def follow_data_date(key: str, data_date: date, linked: str | None = None, linked_wins: bool = False) -> None:
    """Keep a date widget on the data date while the user has not chosen another day; on a session's first run, on
    the day a link names (`linked`, YYYY-MM-DD) if it names one; when linked_wins (see from_address), on the day
    the link names, the data date when it names none.

    Only a load moves the data date (visits entered in the app do not), so every user's
    default as-of date is the same and the figures hold still between loads.
    """
    seen = f"{key}_data_date_seen"
    if linked_wins:
        st.session_state[key] = _day(linked) or data_date
    elif key not in st.session_state and (day := _day(linked)) is not None:
        st.session_state[key] = day
    elif st.session_state.get(key) == st.session_state.get(seen) and st.session_state.get(seen) != data_date:
        st.session_state[key] = data_date
    st.session_state[seen] = data_date


def restore_choice(key: str) -> None:
    """Put back the value a sidebar widget had in the last run when this run starts without it.

    A page opened from a run (st.switch_page: a click on an account's row, a button) starts without the values of
    the entry script's widgets: the date field would show today and the period its default.
    """
    kept = st.session_state.get(f"{key}_kept")
    if key not in st.session_state and kept is not None:
        st.session_state[key] = kept


def choose_from_link(key: str, options: Sequence[Any], linked: Sequence[Any], linked_wins: bool) -> None:
    """Set a sidebar widget's choices (a multiple choice the app writes into the address) before it is drawn: on a
    session's first run, and when linked_wins (see from_address), those the link names; on a page opened from a run,
    those of the last run (restore_choice). Choices no longer offered are dropped."""
    if linked_wins or (key not in st.session_state and f"{key}_kept" not in st.session_state):
        st.session_state[key] = list(linked)
    else:
        restore_choice(key)
    offered = [choice for choice in st.session_state[key] if choice in options]
    if offered != st.session_state[key]:
        st.session_state[key] = offered


def keep_choice(key: str, value: Any) -> None:
    """Note a sidebar widget's value for restore_choice."""
    st.session_state[f"{key}_kept"] = value


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def keep_in_link(choices: dict[str, str | list[str] | None]) -> None:
    """Write the sidebar's choices into the page's address on every run, leaving out those that are None or an empty
    list: a link copied on any page opens the same view. (Streamlit's own binding of a widget to the address drops a
    date on a page switch.) Written in one change where it can be, so that Back steps over no address half
    written."""
    named = {name: [value] if isinstance(value, str) else list(value or []) for name, value in choices.items()}
    gone = [name for name, values in named.items() if not values and name in st.query_params]
    for name in gone:
        del st.query_params[name]
    changed = {name: values for name, values in named.items() if values and st.query_params.get_all(name) != values}
    if changed:
        st.query_params.update(changed)


def show_account(account_id: str) -> None:
    """The account the page now shows: in its address, for a link copied, and kept for the next page about one account
    (the account view, the plans page)."""
    st.query_params["account"] = st.session_state[ACCOUNT_SHOWN] = account_id


def use_scope(scope: Scope, chosen_as_of: date | None = None) -> None:
    """Set the scope every page of this run works on, and the as-of date chosen in the sidebar (the entry script
    does, after the filters)."""
    st.session_state["scope"] = scope
    st.session_state["chosen_as_of"] = chosen_as_of or scope.as_of


def _chosen_as_of(scope: Scope) -> date:
    return st.session_state.get("chosen_as_of") or scope.as_of


def ends_before_chosen(scope: Scope) -> bool:
    """Whether the scope's period ends before the as-of date chosen in the sidebar: its figures are then taken at
    the period's last day."""
    return _chosen_as_of(scope) > scope.as_of


def as_of_text(scope: Scope) -> str:
    """The scope's as-of date as a caption that starts with it writes it: 2026-11-20, or where the period ends before
    the sidebar's as-of date, the period's last day said to be so beside the sidebar's date (both read 截至).
    Within a sentence the phrase reads badly: there, see with_as_of_note."""
    if not ends_before_chosen(scope):
        return table_date(scope.as_of)
    return _("{as_of}, the period's last day (the sidebar's as-of date is {chosen})").format(
        as_of=table_date(scope.as_of), chosen=table_date(_chosen_as_of(scope))
    )


def with_data_date_note(caption: str, scope: Scope) -> str:
    """A page's caption, with a line below saying the figures are not final where the scope's as-of date is after
    the date the exports run to. (A period wholly after it shows no figures: the entry script says so instead.)"""
    data_date = filter_options().data_date
    if data_date is None or scope.as_of <= data_date:
        return caption
    # The days after the data date count as days without a visit, an order or a reply: the changes shown against
    # the previous period would read as real.
    note = _(
        "The exports run to {data_date}: the days after it have no data yet, so figures for them are not final."
    ).format(data_date=table_date(data_date))
    return f"{caption}  \n{note}"


def with_as_of_note(caption: str, scope: Scope, *, of_the_page: bool = True) -> str:
    """A caption that writes the scope's as-of date as a plain date within its sentence, with a line below saying
    that day is the period's last where the period ends before the sidebar's as-of date; the page's caption
    (of_the_page) also says when that day is after the data date (with_data_date_note)."""
    if ends_before_chosen(scope):
        note = _("{as_of} is the period's last day; the sidebar's as-of date is {chosen}.").format(
            as_of=table_date(scope.as_of), chosen=table_date(_chosen_as_of(scope))
        )
        caption = f"{caption}  \n{note}"
    return with_data_date_note(caption, scope) if of_the_page else caption


def current_user() -> User:
    """The signed-in user; the entry script lets no page run without one."""
    if USER not in st.session_state:
        _run_entry_instead()
    return st.session_state[USER]


class AccessEnded(PermissionError):
    """A download asked for after its user's access ended (deactivated, or their password reset)."""


def made_for(user: User, make: Callable[[], T], con: duckdb.DuckDBPyConnection | None = None) -> Callable[[], T]:
    """A download made when it is clicked, and only while the user may still sign in, in the language of the
    run that offered it.

    A file made on click is asked for by an open tab without a new run of the page, so the
    check of every run does not see it: the user is read again here. Streamlit makes it on a
    thread of its own, which does not speak the page's language.
    """
    language = i18n.language()

    def made() -> T:
        with i18n.speaking(language):
            if users.refresh(con or connection(), user) is None:
                raise AccessEnded(_("Your access to this dashboard has ended; ask an admin."))
            return make()

    return made


def require_role(*roles: str) -> User:
    """The signed-in user, if their role may see this page; otherwise the page stops with a message."""
    user = current_user()
    if user.role not in roles:
        st.error(_("This page is not open to your role."), icon=":material/block:")
        st.stop()
    return user


def page_file(name: str) -> str:
    """The path of pages/<name>.py, for st.switch_page from any page."""
    return str(PROJECT_ROOT / "pages" / f"{name}.py")


def scope() -> Scope:
    """The scope the entry script set for this run."""
    if "scope" not in st.session_state:
        _run_entry_instead()
    return st.session_state["scope"]


def today_scope() -> Scope:
    """The scope as of today: a manager's own worklist counts the visits they just logged."""
    return replace(scope(), as_of=date.today())


def _run_entry_instead() -> None:
    # Streamlit runs a page file on its own when a new server's first request is the page's
    # own URL and a `pages/` folder sits beside app.py (its older multipage mode). Run the
    # entry script instead: it lays out the sidebar and runs this page through st.navigation,
    # which also ends that older mode for the rest of the process.
    runpy.run_path(str(ENTRY), run_name="__main__")
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=2000)
def _run(
    key: str,
    _options: tuple,
    _language: str,
    _metric: Callable[..., Any],
    _scope: Scope,
    _con: duckdb.DuckDBPyConnection | None = None,
) -> Any:
    # key (call_key) stands for every argument: Streamlit hashes it alone, not the scope and options.
    # One shared object per key rather than a copy per call: the pages only read what a metric returns.
    i18n.use_language(_language)
    con = _con or connection()
    with _turns().turn(turns.run_began()):
        return _metric(con, _scope, **dict(_options))


@st.cache_resource(show_spinner=False)
def _turns() -> turns.Turns:
    return turns.Turns(turns.slots(settings().compute_slots))


def call_key(name: str, scope: Scope, version: tuple, options: tuple, language: str) -> str:
    """One short key for a metric call: its name, scope, data version, options and language.

    The language is part of it: a metric may name what it finds (a reason, a period) in words.
    Hashing these values through Streamlit's hasher on every call cost a page run more than
    its cached results did.
    """
    text = repr((name, scope_key(scope), version, options, language))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


# The settings' text by object (there is one per process, or one per test deployment), kept with the object.
_policies: dict[int, tuple[Any, str]] = {}


def scope_key(scope: Scope) -> tuple:
    """What tells scopes apart, as plain values: hashing the Scope itself (its settings) costs every call."""
    held = _policies.get(id(scope.policy))
    if held is None or held[0] is not scope.policy:
        held = _policies[id(scope.policy)] = (scope.policy, repr(scope.policy))
    allowed = None if scope.allowed_accounts is None else tuple(sorted(scope.allowed_accounts))
    plain = tuple(getattr(scope, f.name) for f in fields(scope) if f.name not in ("allowed_accounts", "policy"))
    return (*plain, allowed, held[1])


def cached(metric: Callable[..., T], scope: Scope, **options: Any) -> T:
    """metric(connection, scope, **options), computed once per scope, options and data version."""
    version = st.session_state.get("data_version") or refresh_version()
    return cached_for(version, i18n.language(), metric, scope, **options)


def cached_for(version: tuple, language: str, metric: Callable[..., T], scope: Scope, **options: Any) -> T:
    """As `cached`, for a given data version and language: also outside a page run (kam.ui.warmup).

    metric must be a module-level function: its name keys the cache, and a lambda's or a nested function's
    name is shared by every one of them.
    """
    if "<" in metric.__qualname__:
        raise TypeError(f"cached needs a module-level function, not {metric.__qualname__}")
    return _cached(version, language, metric, scope, options)


def _cached(
    version: tuple,
    language: str,
    metric: Callable[..., T],
    scope: Scope,
    options: dict[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
) -> T:
    name = f"{metric.__module__}.{metric.__qualname__}"
    ordered = tuple(sorted(options.items()))
    if scope.allowed_accounts is not None and metric in attention.OF_ONE_ACCOUNT_EACH:
        # A manager's list from the whole company's, when that is computed already (the default view is, ahead).
        whole = _whole_lists.get(call_key(name, replace(scope, allowed_accounts=None), version, ordered, language))
        if whole is not None:
            return derived(attention.of_accounts, whole, tuple(sorted(scope.allowed_accounts)))
    if scope.restricts_accounts and metric is tiers.abc_suggestion and not options:
        # Every account is ranked among the whole company's: one ranking for every session and filter at D.
        company = _cached(version, language, metric, tiers.company_scope(scope), options, con)
        allowed = None if scope.allowed_accounts is None else tuple(sorted(scope.allowed_accounts))
        return derived(tiers.suggestions_in_scope, company, allowed, scope.regions, scope.managers, scope.tiers)
    key = call_key(name, scope, version, ordered, language)
    result = _shared(_run(key, ordered, language, metric, scope, con))
    if scope.allowed_accounts is None and metric in attention.OF_ONE_ACCOUNT_EACH:
        _whole_lists[key] = result
    return result


def from_one_state(make: Callable[[duckdb.DuckDBPyConnection, Callable[..., Any]], T]) -> T:
    """make(con, compute) on the data as it is now, every part of it on that one state.

    For a file made on click (the weekly brief), perhaps long after the run that offered it: a load
    or an entry landing meanwhile, or while it is being made, would otherwise leave figures of
    two states side by side. con reads in one transaction; compute(metric, scope, **options) gives
    the shared results of that state's data version, computing on con what none has yet.
    """
    con = connection()
    _follow(con)
    con.begin()
    try:
        version = data_version(con)
        language = i18n.language()

        def compute(metric: Callable[..., T], scope: Scope, **options: Any) -> T:
            return _cached(version, language, metric, scope, options, con)

        return make(con, compute)
    finally:
        con.rollback()
        con.close()


# The whole company's attention lists by call key, while the cache holds them.
_whole_lists: weakref.WeakValueDictionary[str, pl.DataFrame] = weakref.WeakValueDictionary()
# The shared objects (cached results and what was derived from them) by identity, while they live.
_shared_objects: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
# What was derived from a shared object, most recently used last: (build, id, arguments, language) →
# (the object, what was built). Holding the object keeps its identity from being reused.
_derived: OrderedDict[tuple, tuple[Any, Any]] = OrderedDict()
_derived_lock = threading.Lock()
# One lock per key being built or kept.
_building: dict[tuple, threading.Lock] = {}
_building_lock = threading.Lock()
DERIVED_ENTRIES = 600
_tokens = itertools.count(1)


def _shared(value: T) -> T:
    # A dict or a number cannot be held weakly: what a dict holds (a page's view of several tables) can.
    for part in value.values() if isinstance(value, dict) else (value,):
        with contextlib.suppress(TypeError):
            _shared_objects[id(part)] = part
    return value


def is_shared(value: Any) -> bool:
    """Whether value is a cached result (or derived from one): one object every session reads and none changes."""
    return _shared_objects.get(id(value)) is value


def derived(build: Callable[..., T], value: Any, *args: Hashable, **options: Hashable) -> T:
    """build(value, *args, **options), built once per shared value, arguments and language, and shared like the
    value.

    A value that is not shared (made in this run) is built from each time, as are unhashable arguments.
    """
    key = (build, id(value), _frozen(args), _frozen(options), i18n.language())
    try:
        hash(key)
    except TypeError:
        return build(value, *args, **options)
    if not is_shared(value):
        return build(value, *args, **options)
    # Sessions asking at once wait for one build: each building its own would also give each its own
    # object, and so its own token and drawn table.
    with _building_lock:
        building = _building.setdefault(key, threading.Lock())
    with building:
        with _derived_lock:
            held = _derived.get(key)
            if held is not None and held[0] is value:
                _derived.move_to_end(key)
                return held[1]
        built = _shared(build(value, *args, **options))
        with _derived_lock:
            _derived[key] = (value, built)
            while len(_derived) > DERIVED_ENTRIES:
                gone, _ = _derived.popitem(last=False)
                _building.pop(gone, None)
    return built


def _frozen(value: Any) -> Any:
    """A dict's items, sorted, in place of the dict (settings such as the ABC cut-offs come as dicts)."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, tuple):
        return tuple(_frozen(item) for item in value)
    return value


def _new_token(_value: Any) -> int:
    return next(_tokens)


def token(value: Any) -> int | None:
    """A number that stands for a shared value (and the run's language) while the value is held; None if not shared."""
    return derived(_new_token, value) if is_shared(value) else None


def prefetch(*calls: tuple[Callable[..., Any], Scope, dict[str, Any]]) -> None:
    """Compute several cached metric calls at once, two at a time, so that the page's own calls find them ready.

    DuckDB runs each query on its own cursor; two at once keep both cores busy through the
    single-threaded parts of each query.
    """
    context = get_script_run_ctx()
    language = i18n.language()
    began = turns.run_began()

    def compute(call: tuple[Callable[..., Any], Scope, dict[str, Any]]) -> None:
        add_script_run_ctx(threading.current_thread(), context)
        # A pool thread starts in a context of its own: it speaks the run's language and takes the run's turns.
        i18n.use_language(language)
        turns.works_for(began)
        metric, scope, options = call
        cached(metric, scope, **options)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(compute, calls))


@dataclass(frozen=True)
class FilterOptions:
    regions: list[str]
    managers: pl.DataFrame
    # Each manager's regions (kam.metrics.catalog.manager_regions): the manager filter follows the regions chosen.
    manager_regions: pl.DataFrame
    # The date the loaded exports run to: the default as-of date.
    data_date: date | None


@st.cache_data(show_spinner=False, max_entries=20)
def _filter_options(version: tuple) -> FilterOptions:
    con = connection()
    return FilterOptions(catalog.regions(con), catalog.managers(con), catalog.manager_regions(con), db.data_date(con))


@st.cache_resource(show_spinner=False, max_entries=4)
def _manager_names(version: tuple) -> dict[str, str]:
    managers = _filter_options(version).managers
    return dict(zip(managers["manager_id"], managers["name"], strict=True))


def manager_names() -> dict[str, str]:
    """Every manager's name by id, for showing names beside ids: one shared, read-only dict per data version."""
    return _manager_names(st.session_state.get("data_version") or refresh_version())


def filter_options() -> FilterOptions:
    """The regions and managers the sidebar offers, and the data date (the default as-of)."""
    return _filter_options(st.session_state.get("data_version") or refresh_version())
