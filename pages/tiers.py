"""Tiers: the mix of A, B and C accounts, how it moves, and which accounts revenue says to review."""

from datetime import date

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import table_date
from kam.metrics import managers, tier_review, tiers
from kam.metrics.filters import at, describe
from kam.present import charts, columns
from kam.present.columns import tier_name
from kam.present.formatting import number
from kam.ui import dashboard
from kam.ui.widgets import (
    account_table,
    chart,
    chart_with_table,
    clickable,
    drill,
    figure,
    follow_click,
    no_data,
    only,
    plotly_chart,
    table,
)

scope = dashboard.scope()
distribution = dashboard.cached(tiers.tier_distribution, scope)
mix = dashboard.cached(tiers.tier_mix_over_time, scope)
movement = dashboard.cached(tiers.tier_movement, scope)
changes = dashboard.cached(tiers.tier_changes_in_period, scope)
abc = dashboard.cached(tiers.abc_suggestion, scope)
candidates = dashboard.derived(tier_review.candidates, abc)
# A share is undefined (null) when there is nothing to share: no active account, no revenue.
has_accounts = not distribution.get_column("share").is_null().all()
has_revenue = not distribution.get_column("revenue_share").is_null().all()
# The tiers at D and the revenue of the 12 months to D, whatever the period: those tables' files are named by the 12
# months (the movement's by the period).
year = describe(scope.with_period(*tiers.trailing_year(scope.as_of)))

st.title(_("Tiers"))
st.caption(
    dashboard.with_as_of_note(
        _(
            "Active accounts as of {as_of} · revenue of the 12 months to that day · tier changes from {start} to {end}"
        ).format(as_of=table_date(scope.as_of), start=table_date(scope.start), end=table_date(scope.period_end)),
        scope,
    )
)

st.subheader(_("Distribution"))
if has_accounts:
    left, right = st.columns(2)
    point = clickable(figure(charts.tier_counts, distribution), "chart-tier-counts", left)
    if has_revenue:
        plotly_chart(figure(charts.tier_revenue_share, distribution), "chart-tier-revenue-share", right)
    else:
        right.info(_("No revenue in the last 12 months for these filters."))
    table(distribution, NF_("tier-distribution"), file_name=year.file_name(NF_("tier-distribution"), "csv"))
    # A click on a bar picks the tier; the picker serves the pie, which cannot be clicked.
    follow_click("tier_accounts", point[0] if point else None)
    tier = st.segmented_control(
        _("Show the accounts of tier"), ["A", "B", "C"], format_func=tier_name, key="tier_accounts"
    )
    if tier:
        drill(
            _("Active tier-{tier} accounts").format(tier=tier),
            dashboard.cached(managers.accounts_in_scope, scope.only(tier=tier)),
            NF_("accounts-tier"),
            detail=tier,
            accounts=True,
        )
else:
    no_data()

st.subheader(_("Mix over time"))
point = chart_with_table(
    figure(charts.tier_mix, mix),
    mix,
    NF_("tier-mix"),
    select=True,
    file_name=year.file_name(NF_("tier-mix"), "csv"),
    date=_("Month end"),
)
if point:
    tier, day = point[0], date.fromisoformat(point[1][:10])
    on_day = scope.with_period(scope.start, scope.end, day)
    drill(
        _("Active tier-{tier} accounts on {day}").format(tier=tier, day=table_date(day)),
        dashboard.cached(managers.accounts_in_scope, on_day.only(tier=tier)),
        NF_("accounts-tier"),
        detail=f"{tier}-{day:%Y-%m-%d}",
        # The accounts active on the month end clicked: named by that day.
        file_name=describe(on_day).file_name(NF_("accounts-tier"), "csv", tier, of=at(day)),
        revenue=None,
        accounts=True,
    )

st.subheader(_("Movement in the period"))
chart_with_table(
    figure(charts.tier_movement, movement),
    movement,
    NF_("tier-movement"),
)
if not changes.is_empty():
    with st.expander(_("Tier changes in the period ({count})").format(count=number(changes.height))):
        st.caption(_("Click a row to open the account."))
        account_table(changes, NF_("tier-changes"), ticks=False)

st.subheader(_("Revenue Pareto and suggested tiers"))
if has_revenue:
    st.caption(
        _(
            "The suggested tier ranks every active account of the company by its revenue of the last 12 months, "
            "whatever the filters and the accounts open to you: # and the cumulative share are each account's "
            "place among them."
        )
    )
    # A list of accounts, too wide beside the chart at 1366 px: under it.
    chart(figure(charts.pareto, abc, scope.policy.abc_cutoffs), abc, "abc-suggestion")
    st.caption(_("Click a row to open the account."))
    account_table(
        only(abc, *columns.TIER_SUGGESTION_COLUMNS, "revenue_12m", "cumulative_share"),
        NF_("abc-suggestion"),
        file_name=year.file_name(NF_("abc-suggestion"), "csv"),
        rank="#",
        ticks=False,
        **columns.TIER_SUGGESTIONS,
    )
else:
    no_data()

st.subheader(_("Review candidates ({count})").format(count=number(candidates.height)))
st.caption(_("Active accounts whose revenue-based (ABC) tier differs from the tier they are assigned."))
if not has_accounts:
    no_data()
elif candidates.is_empty():
    st.info(_("No account to review: every suggested tier matches the assigned one."))
else:
    st.caption(_("Click a row to open the account."))
    account_table(
        candidates,
        NF_("review-candidates"),
        file_name=year.file_name(NF_("review-candidates"), "csv"),
        in_download_only=("region",),
        rank="#",
        ticks=False,
        **columns.TIER_SUGGESTIONS,
    )
