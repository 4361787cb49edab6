"""Entry point: the database, the shared filters (kept in the URL) and the navigation between pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from kam import dashboard
from kam.bootstrap import shows_demo_data
from kam.config import TIERS
from kam.filters import Filters
from kam.periods import PERIODS, period_bounds

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="Key accounts", page_icon=":material/handshake:", layout="wide")

dashboard.refresh_version()
options = dashboard.filter_options()
latest = options.latest or date.today()
manager_names = dict(zip(options.managers["manager_id"], options.managers["name"], strict=True))

with st.sidebar:
    as_of = st.date_input(
        "As of", value=latest, key="as_of", bind="query-params", help="Figures count events up to the end of this day."
    )
    period = st.selectbox("Period", list(PERIODS), index=5, format_func=PERIODS.get, key="period", bind="query-params")
    start = end = None
    if period == "custom":
        chosen = st.date_input("From – to", value=period_bounds("month", as_of), key="range", bind="query-params")
        if len(chosen) == 2:
            start, end = chosen
    regions = st.multiselect("Region", options.regions, key="region", bind="query-params", placeholder="All")
    managers = st.multiselect(
        "Manager",
        list(manager_names),
        format_func=lambda m: f"{manager_names[m]} ({m})",
        key="manager",
        bind="query-params",
        placeholder="All",
    )
    tiers = st.multiselect("Tier", TIERS, key="tier", bind="query-params", placeholder="All")
    filters = Filters(as_of, period, start, end, tuple(regions), tuple(managers), tuple(tiers))
    first, last = filters.bounds()
    st.caption(f"Period {first:%Y-%m-%d} – {last:%Y-%m-%d} · data up to {latest:%Y-%m-%d}")
    if shows_demo_data(dashboard.connection()):
        st.info("Showing the bundled demo data.", icon=":material/science:")

dashboard.use_scope(filters.scope())

pages = [
    st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(PAGES / "tiers.py", title="Tiers", icon=":material/stacked_bar_chart:"),
    st.Page(PAGES / "visits.py", title="Visit compliance", icon=":material/event_available:"),
    st.Page(PAGES / "complaints.py", title="Complaint SLA", icon=":material/support_agent:"),
    st.Page(PAGES / "satisfaction.py", title="Satisfaction", icon=":material/sentiment_satisfied:"),
    st.Page(PAGES / "managers.py", title="Managers", icon=":material/groups:"),
    st.Page(PAGES / "account.py", title="Account view", icon=":material/domain:"),
]
st.navigation(pages).run()
