"""Tiers: the mix of A, B and C accounts, how it moves, and which accounts revenue says to review."""

import streamlit as st

from kam.metrics import tier_review, tiers
from kam.present import charts
from kam.ui import dashboard
from kam.ui.widgets import NO_DATA, chart_with_table, table

scope = dashboard.scope()
distribution = dashboard.cached(tiers.tier_distribution, scope)
mix = dashboard.cached(tiers.tier_mix_over_time, scope)
movement = dashboard.cached(tiers.tier_movement, scope)
changes = dashboard.cached(tiers.tier_changes_in_period, scope)
abc = dashboard.cached(tiers.abc_suggestion, scope)
candidates = dashboard.cached(tier_review.review_candidates, scope)
# A share is undefined (null) when there is nothing to share: no active account, no revenue.
has_accounts = not distribution.get_column("share").is_null().all()
has_revenue = not distribution.get_column("revenue_share").is_null().all()

st.title("Tiers")
st.caption(
    f"Active accounts as of {scope.as_of:%Y-%m-%d} · revenue of the 12 months to that day · "
    f"tier changes from {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}"
)

st.subheader("Distribution")
if has_accounts:
    left, right = st.columns(2)
    left.plotly_chart(charts.tier_counts(distribution), key="chart-tier-counts")
    if has_revenue:
        right.plotly_chart(charts.tier_revenue_share(distribution), key="chart-tier-revenue-share")
    else:
        right.info("No revenue in the last 12 months for these filters.")
    table(distribution, "tier-distribution")
else:
    st.info(NO_DATA)

st.subheader("Mix over time")
chart_with_table(
    charts.tier_mix(mix),
    mix,
    "tier-mix",
    date="Month end",
)

st.subheader("Movement in the period")
chart_with_table(
    charts.tier_movement(movement),
    movement,
    "tier-movement",
)
if not changes.is_empty():
    with st.expander(f"Tier changes in the period ({changes.height})"):
        table(changes, "tier-changes")

st.subheader("Revenue Pareto and suggested tiers")
if has_revenue:
    chart_with_table(
        charts.pareto(abc, scope.policy.abc_cutoffs),
        abc.select("rank", "account_id", "name", "tier", "suggested_tier", "revenue_12m", "cumulative_share"),
        "abc-suggestion",
        rank="#",
        suggested_tier="ABC",
    )
else:
    st.info(NO_DATA)

st.subheader(f"Review candidates ({candidates.height})")
st.caption("Active accounts whose revenue-based (ABC) tier differs from the tier they are assigned.")
if not has_accounts:
    st.info(NO_DATA)
elif candidates.is_empty():
    st.info("No account to review: every suggested tier matches the assigned one.")
else:
    table(candidates, "review-candidates")
