"""Retention: churn by cause over time and by tier, region and manager, lost revenue, the repeat-purchase rate."""

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import table_date
from kam.metrics import retention, risk
from kam.metrics.filters import describe
from kam.present import charts, columns
from kam.present.formatting import money, money_short, number, percent
from kam.ui import dashboard
from kam.ui.widgets import account_table, chart_with_table, figure, named

scope = dashboard.scope()
st.title(_("Retention"))
# The repeat-purchase rate over a week says little: the year to date unless the user asks otherwise.
YEAR, SIDEBAR = "ytd", "sidebar"
basis = st.segmented_control(
    _("Period of this page"),
    [YEAR, SIDEBAR],
    default=YEAR,
    format_func=lambda option: _("Year to date") if option == YEAR else _("The sidebar's period"),
    key="retention_period",
)
shown = scope if basis == SIDEBAR else risk.year_to_date(scope)
# The tables are of the page's period, not always the sidebar's: their files are named by it. The quarters' repeat
# rates are of D's year whichever it is.
named_by, year_named = describe(shown), describe(risk.year_to_date(scope))
dashboard.prefetch((risk.repeat_view, shown, {}), (retention.churned_with_losses, shown, {}))
# Every churn figure of the page from the one list of the period's churned accounts.
churned = dashboard.cached(retention.churned_with_losses, shown)
causes = dashboard.derived(retention.by_reason, churned)
# The rate over the period shown, by tier, and over each quarter of D's year (whichever period is shown).
repeat = dashboard.cached(risk.repeat_view, shown)
rate = repeat["rate"].row(0, named=True)

if basis == SIDEBAR:
    st.caption(
        dashboard.with_as_of_note(
            _("Period {start:%Y-%m-%d} to {end:%Y-%m-%d}, as of {as_of}").format(
                start=shown.start, end=shown.period_end, as_of=table_date(shown.as_of)
            ),
            shown,
        )
    )
else:
    # Said once and plainly: the page shows the year to the sidebar's day, not the sidebar's period.
    st.caption(
        dashboard.with_data_date_note(
            (
                _(
                    "This page shows the year to date, {start:%Y-%m-%d} to {end:%Y-%m-%d} (the last day of the "
                    "sidebar's period): churn and repeat purchases over a few days say little."
                )
                if dashboard.ends_before_chosen(scope)
                else _(
                    "This page shows the year to date, {start:%Y-%m-%d} to {end:%Y-%m-%d} (the sidebar's as-of "
                    "date): churn and repeat purchases over a few days say little."
                )
            ).format(start=shown.start, end=shown.period_end),
            shown,
        )
    )
row = st.columns(3)
row[0].metric(_("Accounts churned"), number(causes["accounts"].sum()), border=True)
row[1].metric(
    _("Lost revenue"),
    money_short(lost := causes["lost_revenue"].sum()),
    help=_("{amount} in all: orders of the churned accounts in the 365 days before each churned").format(
        amount=money(lost)
    ),
    border=True,
)
# The period and base said: over the year to date more of the base buys again than over any one quarter below.
bought_from, bought_to = retention.repeat_lookback(shown)
period = {"start": table_date(shown.start), "end": table_date(shown.period_end)}
row[2].metric(
    _("Repeat-purchase rate"),
    percent(rate["repeat_rate"]),
    help=_(
        "{repeat} of the {base} accounts that bought from {bought_from} to {bought_to} (the {days} days before "
        "the period) bought again from {start} to {end}: the longer the period, the more time they have to buy "
        "again."
    ).format(
        repeat=number(rate["repeat"]),
        base=number(rate["base"]),
        bought_from=table_date(bought_from),
        bought_to=table_date(bought_to),
        days=shown.policy.repeat_lookback_days,
        **period,
    ),
    border=True,
)

st.header(_("Churn by cause"))
monthly = dashboard.derived(retention.by_month, churned)
chart_with_table(
    figure(charts.churn_over_time, monthly),
    monthly,
    NF_("churn-by-month"),
    file_name=named_by.file_name(NF_("churn-by-month"), "csv"),
    **columns.CHURNED,
)
for by, label, file in (("tier", _("Tier"), NF_("churn-by-tier")), ("region", _("Region"), NF_("churn-by-region"))):
    frame = dashboard.derived(retention.by_reason, churned, by=by)
    chart_with_table(
        figure(charts.churn_by, frame, by, label),
        frame.filter(frame["accounts"] > 0),
        file,
        file_name=named_by.file_name(file, "csv"),
        **columns.CHURNED,
    )
by_manager = dashboard.derived(retention.by_reason, churned, by="manager")
totals = dashboard.derived(risk.manager_totals, by_manager)
st.caption(charts.churn_managers_caption(totals.height, risk.ENDS))
chart_with_table(
    figure(charts.churn_by, named(risk.top(by_manager, totals, "manager_id")), "manager_id", _("Manager")),
    totals,
    NF_("churn-by-manager"),
    file_name=named_by.file_name(NF_("churn-by-manager"), "csv"),
    **columns.CHURNED,
)

st.header(_("Repeat-purchase rate"))
st.caption(
    _(
        "Each rate: of the accounts that bought in the {days} days before its period, the share that bought again "
        "in it. The card and the rate by tier: {start} to {end}; each quarter: its three months."
    ).format(days=shown.policy.repeat_lookback_days, **period)
)
quarters = repeat["quarters"]
if unfinished := risk.quarter_not_over(shown):
    st.caption(unfinished)
chart_with_table(
    figure(
        charts.share_by,
        quarters,
        "period",
        "repeat_rate",
        _("Repeat-purchase rate"),
        _("Quarter"),
        heading=_("Repeat-purchase rate by quarter of {year}").format(year=shown.as_of.year),
    ),
    quarters,
    NF_("repeat-rate-by-quarter"),
    file_name=year_named.file_name(NF_("repeat-rate-by-quarter"), "csv"),
    **columns.REPEAT,
)
by_tier = repeat["by_tier"]
chart_with_table(
    figure(
        charts.share_by,
        by_tier,
        "tier",
        "repeat_rate",
        _("Repeat-purchase rate"),
        _("Tier"),
        color="tier",
        heading=_("Repeat-purchase rate by tier, {start} to {end}").format(**period),
    ),
    by_tier,
    NF_("repeat-rate-by-tier"),
    file_name=named_by.file_name(NF_("repeat-rate-by-tier"), "csv"),
    **columns.REPEAT,
)

st.header(_("Churned accounts ({count})").format(count=number(churned.height)))
if churned.is_empty():
    st.write(_("No account churned in the period."))
else:
    st.caption(_("Newest first. Click a row to open the account."))
    account_table(
        churned,
        NF_("churned-accounts"),
        file_name=named_by.file_name(NF_("churned-accounts"), "csv"),
        manager_name=None,
    )
