"""Entry point: sign-in, the database, the shared filters (kept in the URL) and the pages each role sees."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import streamlit as st

from kam import logs
from kam.i18n import N_, _
from kam.i18n.formats import DATE_FIELD
from kam.ingest.bootstrap import shows_demo_data
from kam.metrics import catalog
from kam.metrics.filters import Filters
from kam.metrics.periods import DEFAULT_PERIOD, PERIODS, linked_period, period_bounds, period_in_link
from kam.people import access, users
from kam.people.users import role_label
from kam.present.formatting import beside_id
from kam.present.text import markdown_text
from kam.ui import dashboard, errors, language, scheduler, signin, turns, warmup, watcher, widgets
from kam.vocabulary import TIERS

PAGES = Path(__file__).resolve().parent / "pages"
# The landing page's own URL name, never shown: Streamlit serves the landing page at "/".
LANDING_PATH = "start"
# The period a link named that the dashboard does not know (`?period=year`), kept until another period is chosen.
UNKNOWN_PERIOD = "unknown_period_in_link"
# At most this many characters of it are repeated in the note saying so.
SHOWN_OF_LINK = 40
DASHBOARD = [
    ("overview", N_("Overview"), ":material/dashboard:"),
    ("tiers", N_("Tiers"), ":material/stacked_bar_chart:"),
    ("visits", N_("Visit compliance"), ":material/event_available:"),
    ("complaints", N_("Complaint SLA"), ":material/support_agent:"),
    ("satisfaction", N_("Satisfaction"), ":material/sentiment_satisfied:"),
    ("managers", N_("Managers"), ":material/groups:"),
    ("risk", N_("Account risk"), ":material/health_and_safety:"),
    ("retention", N_("Retention"), ":material/autorenew:"),
    ("credit", N_("Credit"), ":material/credit_card:"),
    ("account", N_("Account view"), ":material/domain:"),
]
# Pages of figures over the period: none has anything to show for a period after the data date.
FIGURE_PAGES = {"overview", "tiers", "visits", "complaints", "satisfaction", "managers", "risk", "retention", "credit"}
# Pages of each role beyond the dashboard pages everyone has.
OWN_PAGES = {
    "manager": [
        ("worklist", N_("My worklist"), ":material/checklist:"),
        ("log_visit", N_("Log a visit"), ":material/edit_note:"),
        ("plans", N_("Account plans"), ":material/flag:"),
        ("reviews", N_("Quarterly reviews"), ":material/fact_check:"),
    ],
    "admin": [("admin", N_("Admin"), ":material/admin_panel_settings:")],
    "vp": [
        ("plans", N_("Account plans"), ":material/flag:"),
        ("reviews", N_("Quarterly reviews"), ":material/fact_check:"),
    ],
}

# The run's queries wait behind those of runs begun earlier, when many run at once.
turns.run_begins()
# Until the user is known: the language chosen in this session, else the browser's, else the default.
language.start_run()

# A bundled icon: a Material icon name would make the browser fetch the icon font, which an
# intranet without internet access cannot reach.
st.set_page_config(page_title=_("Key accounts"), page_icon=str(dashboard.FAVICON), layout="wide")


def sign_in_page() -> None:
    language.switch()
    st.title(_("Key accounts"))
    if message := signin.message():
        st.warning(message)
    if signin.single_sign_on():
        if signin.refused_by_single_sign_on():
            st.button(_("Sign in with another company account"), on_click=st.logout)
        else:
            st.button(_("Sign in with the company account"), on_click=st.login, type="primary")
            signin.keep_link()
        return
    with st.form("sign_in"):
        st.text_input(_("User name"), key=signin.NAME, autocomplete="username")
        st.text_input(_("Password"), type="password", key=signin.PASSWORD, autocomplete="current-password")
        st.form_submit_button(_("Sign in"), on_click=signin.submit_password, type="primary")


def new_password_page() -> None:
    language.switch()
    st.title(_("Choose your password"))
    st.caption(_("You signed in with a one-time password. Choose your own to go on."))
    if message := signin.message():
        st.warning(message)
    with st.form("new_password"):
        st.text_input(_("One-time password"), type="password", key=signin.CURRENT, autocomplete="current-password")
        st.text_input(_("New password"), type="password", key=signin.NEW_PASSWORD, autocomplete="new-password")
        st.text_input(_("Repeat it"), type="password", key=signin.REPEAT, autocomplete="new-password")
        st.form_submit_button(_("Save"), on_click=signin.change_password, args=(user,), type="primary")


version = dashboard.refresh_version()
scheduler.start()
watcher.start()
warmup.start(version)
user = signin.current_user()
if user is not None:
    language.start_run(user.language)
if signin.hand_over():
    st.stop()
if user is None or user.must_change_password:
    # Every page's URL leads here until sign-in (a copied link then opens its page right after),
    # and through st.navigation, so that no page file can be run on its own by its URL.
    gate = sign_in_page if user is None else new_password_page
    names = list(dict.fromkeys(name for name, _, _ in DASHBOARD + [p for pages in OWN_PAGES.values() for p in pages]))
    # Streamlit's own words too: its hint under a field ("Press Enter to submit form"), the password's eye.
    widgets.page_style()
    with errors.shown_as_message():
        st.navigation(
            [st.Page(gate, title=_("Sign in"), url_path="signin", default=True)]
            + [st.Page(gate, title=_("Sign in"), url_path=name) for name in names],
            position="hidden",
        ).run()
    st.stop()

con = dashboard.connection()
options = dashboard.filter_options()
data_date = options.data_date or date.today()
managers = access.visible_managers(options.managers, user)
manager_names = dict(zip(managers["manager_id"], managers["name"], strict=True))


def manager_label(manager_id: str) -> str:
    """A manager as the sidebar (and a link) writes them: 徐军 (M01)."""
    return beside_id(manager_names[manager_id], manager_id)


# The as-of date is written into the address by the app (below), not bound to it: Streamlit's binding drops it on a
# page switch.
linked_wins = dashboard.from_address()
dashboard.restore_choice("as_of")
dashboard.restore_choice("period")
dashboard.follow_data_date("as_of", data_date, st.query_params.get("as_of"), linked_wins)
with st.sidebar:
    as_of = st.date_input(
        _("As of"),
        key="as_of",
        format=DATE_FIELD,
        help=_(
            "Figures count events up to the end of this day, or of the period's last day when the period ends "
            "before it."
        ),
    )
    # The weekly meeting's default: the last full week the exports cover, against the week before. The link
    # carries the period's code, not its name: a link from a Chinese screen opens the same period in English.
    # After Back or Forward the address names the period, as it does the as-of date and the filters bound to it.
    if "period" not in st.session_state or linked_wins:
        linked = st.query_params.get("period")
        st.session_state["period"] = period_in_link(linked)
        if linked and linked_period(linked) is None:
            st.session_state[UNKNOWN_PERIOD] = linked
    period = st.selectbox(_("Period"), list(PERIODS), format_func=lambda kind: _(PERIODS[kind]), key="period")
    if period != DEFAULT_PERIOD:
        st.session_state.pop(UNKNOWN_PERIOD, None)
    dashboard.keep_choice("as_of", as_of)
    dashboard.keep_choice("period", period)
    start = end = None
    if period == "custom":
        chosen = st.date_input(
            _("From – to"), value=period_bounds("month", as_of), key="range", bind="query-params", format=DATE_FIELD
        )
        if len(chosen) == 2:
            start, end = chosen
    # Region, manager and tier are written into the address by the app too: a run of a page switch could find
    # Streamlit's binding of them empty, and the next page opened without them.
    region_options = access.visible_regions(con, options.regions, user)
    dashboard.choose_from_link("region", region_options, st.query_params.get_all("region"), linked_wins)
    regions = st.multiselect(_("Region"), region_options, key="region", placeholder=_("All"))
    # A link names its managers as the sidebar writes them.
    by_label = {manager_label(manager_id): manager_id for manager_id in manager_names}
    linked_managers = [by_label.get(shown) for shown in st.query_params.get_all("manager")]
    dashboard.choose_from_link("manager", list(manager_names), linked_managers, linked_wins)
    offered, outside = catalog.managers_of_regions(
        list(manager_names), options.manager_regions, regions, st.session_state["manager"]
    )
    chosen_managers = st.multiselect(
        _("Manager"), offered, format_func=manager_label, key="manager", placeholder=_("All")
    )
    if outside := [m for m in chosen_managers if m in outside]:
        # Kept as chosen: the figures are of their accounts in the regions, none; this says why (and above the
        # figures, below, where a phone's reader looks).
        st.caption(
            _("{managers}: no accounts in the chosen regions.").format(
                managers=markdown_text(", ".join(map(manager_label, outside)))
            )
        )
    dashboard.choose_from_link("tier", TIERS, st.query_params.get_all("tier"), linked_wins)
    tiers = st.multiselect(_("Tier"), TIERS, key="tier", placeholder=_("All"))
    for key, chosen in (("region", regions), ("manager", chosen_managers), ("tier", tiers)):
        dashboard.keep_choice(key, chosen)
    # Written after the custom period bound to the address has put its dates: the address then gets every choice at
    # once. The as-of date only when chosen: a link without one follows the data date, as the sidebar does.
    dashboard.keep_in_link(
        {
            "as_of": None if as_of == data_date else as_of.isoformat(),
            "period": period,
            "region": regions,
            "manager": [manager_label(manager_id) for manager_id in chosen_managers],
            "tier": tiers,
        }
    )
    filters = Filters(as_of, period, start, end, tuple(regions), tuple(chosen_managers), tuple(tiers))
    first, last = filters.bounds()
    if first > as_of:
        shown = _("Period {first} – {last} starts after the as-of date")
    elif last < as_of:
        # Point-in-time figures are taken at the period's end, not at the later as-of date above.
        shown = _("Period {first} – {last} (figures as of {last}) · exports run to {data_date}")
    else:
        shown = _("Period {first} – {last} · exports run to {data_date}")
    st.caption(
        shown.format(first=f"{first:%Y-%m-%d}", last=f"{min(last, as_of):%Y-%m-%d}", data_date=f"{data_date:%Y-%m-%d}")
    )
    if shows_demo_data(con):
        st.info(_("Showing the bundled demo data."), icon=":material/science:")
    st.divider()
    language.switch(on_change=lambda chosen: users.set_language(dashboard.connection(), user.username, chosen))
    st.caption(_("Signed in as {name} ({role})").format(name=markdown_text(user.name), role=role_label(user.role)))
    st.button(_("Sign out"), on_click=signin.sign_out_button, icon=":material/logout:")

dashboard.use_scope(filters.scope(allowed_accounts=access.allowed_accounts(con, user)), as_of)

# A manager lands on their worklist, everyone else on the overview.
landing = "worklist" if user.role == "manager" else "overview"
pages = {
    # The landing page is served at "/" under a name of its own: its page's name is left to the link below.
    name: st.Page(
        PAGES / f"{name}.py",
        title=_(title),
        icon=icon,
        default=name == landing,
        url_path=LANDING_PATH if name == landing else name,
    )
    # A manager's own pages come first (their day's work); the VP's plans and reviews after the figures.
    for name, title, icon in (
        OWN_PAGES[user.role] + DASHBOARD if user.role == "manager" else DASHBOARD + OWN_PAGES[user.role]
    )
}
# A link naming the landing page (/overview, /worklist) opens it there too, its filters as they are: Streamlit
# serves the landing page at "/" only, and would show its English "Page not found" first.
named_landing = st.Page(
    PAGES / f"{landing}.py", title=pages[landing].title, icon=pages[landing].icon, url_path=landing, visibility="hidden"
)
# A link to another role's page (the VP opening /worklist, a manager /admin) opens the landing page under that
# page's name, hidden, saying why: Streamlit would show its English "Page not found". The other page never runs.
other_titles = {name: title for own in OWN_PAGES.values() for name, title, _icon in own if name not in pages}
elsewhere = {
    name: st.Page(
        PAGES / f"{landing}.py",
        title=pages[landing].title,
        icon=pages[landing].icon,
        url_path=name,
        visibility="hidden",
    )
    for name in other_titles
}
# Every page listed: folded, a list longer than twelve ends in Streamlit's own "View 4 more", in English only.
page = st.navigation([*pages.values(), named_landing, *elsewhere.values()], expanded=True)
widgets.page_style()
with errors.shown_as_message():
    away = page in elsewhere.values()
    opens_landing = page is named_landing or away
    shows_figures = any(page is pages[n] for n in FIGURE_PAGES) or (opens_landing and landing in FIGURE_PAGES)
    if away:
        st.warning(
            _("The page “{page}” is not available to your role ({role}): your pages are in the sidebar.").format(
                page=_(other_titles[page.url_path]),
                role=role_label(user.role),
            ),
            icon=":material/block:",
        )
    if (unknown := st.session_state.get(UNKNOWN_PERIOD)) and shows_figures:
        # Said, not shown silently: the reader would take the default week's figures for the link's period.
        st.info(
            _("The link's period “{linked}” was not recognised. Period shown: {period}, {first} – {last}.").format(
                linked=markdown_text(unknown[:SHOWN_OF_LINK]),
                period=_(PERIODS[period]),
                first=f"{first:%Y-%m-%d}",
                last=f"{min(last, as_of):%Y-%m-%d}",
            ),
            icon=":material/link_off:",
        )
    if outside and shows_figures:
        st.warning(
            _(
                "{managers}: no accounts in the chosen regions, so the figures below count none of theirs. "
                "Clear the region or the manager filter to see them."
            ).format(managers=markdown_text(", ".join(map(manager_label, outside)))),
            icon=":material/filter_alt_off:",
        )
    if options.data_date is not None and first > options.data_date and shows_figures:
        # Figures of a period the exports have not reached yet would all read 0.
        st.title(page.title)
        st.info(
            _(
                "No export data for this period yet: exports run to {data_date}. "
                "Choose an earlier period or as-of date in the sidebar."
            ).format(data_date=f"{options.data_date:%Y-%m-%d}"),
            icon=":material/event_busy:",
        )
    else:
        started = time.perf_counter()
        try:
            page.run()
        finally:
            # One line a run, for the benchmark and for anyone watching a slow day: how long the page took.
            name = landing if opens_landing else next(n for n, p in pages.items() if p is page)
            run_ms = round((time.perf_counter() - started) * 1000)
            logs.event("INFO", "page_run", user=user.username, page=name, run_ms=run_ms)
