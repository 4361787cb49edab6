"""Entry point: the database, the shared filters and the navigation between pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from kam.bootstrap import open_database, shows_demo_data
from kam.config import settings
from kam.metrics.scope import Scope, latest_event_date
from kam.periods import PERIODS, period_bounds

st.set_page_config(page_title="Key accounts", page_icon=":material/handshake:", layout="wide")


@st.cache_resource(show_spinner="Preparing the database…")
def database(path: str, demo_dir: str):
    """One connection per deployment; every script run takes its own cursor from it."""
    return open_database(Path(path), Path(demo_dir))


policy = settings()
con = database(str(policy.db_path), str(policy.demo_dir)).cursor()
latest = latest_event_date(con) or date.today()

with st.sidebar:
    as_of = st.date_input("As of", value=latest, key="as_of", help="Figures count events up to the end of this day.")
    period = st.selectbox("Period", list(PERIODS), index=list(PERIODS).index("ytd"), format_func=PERIODS.get)
    if period == "custom":
        chosen = st.date_input("Range", value=period_bounds("month", as_of), key="custom_range")
        start, end = chosen if len(chosen) == 2 else (chosen[0], chosen[0])
    else:
        start, end = period_bounds(period, as_of)
    st.caption(f"{start:%Y-%m-%d} – {end:%Y-%m-%d}, data up to {latest:%Y-%m-%d}")
    if shows_demo_data(con):
        st.info("Showing the bundled demo data.", icon=":material/science:")

st.session_state["scope"] = Scope(as_of=as_of, start=start, end=end)
st.session_state["con"] = con

page = st.navigation([st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True)])
page.run()
