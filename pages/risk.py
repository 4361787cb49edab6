"""Account risk: at-risk and watch accounts by health score, health by tier, region and manager, band moves."""

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import table_date
from kam.metrics import risk
from kam.present import charts, columns
from kam.present.formatting import number
from kam.ui import dashboard
from kam.ui.widgets import account_table, at_as_of, chart_with_table, figure, named

scope = dashboard.scope()
bands = scope.policy.health_bands
view = dashboard.cached(risk.health_view, scope)
listed, moved, overall = view["listed"], view["moved"], view["overall"].row(0, named=True)

st.title(_("Account risk"))
st.caption(
    dashboard.with_as_of_note(
        _(
            "Health at {as_of} from five weighted signals: visits, revenue, complaints, satisfaction "
            "and credit. At risk under {watch:.0f}, watch {watch:.0f} to under {healthy:.0f}, "
            "healthy from {healthy:.0f}."
        ).format(as_of=table_date(scope.as_of), watch=bands["watch"], healthy=bands["healthy"]),
        scope,
    )
)
row = st.columns(5)
row[0].metric(_("At risk"), number(overall["at_risk"]), border=True)
row[1].metric(_("Watch"), number(overall["watch"]), border=True)
row[2].metric(_("Healthy"), number(overall["healthy"]), border=True)
row[3].metric(
    _("Into at-risk"),
    number(moved["into_at_risk"]),
    help=_("Accounts at risk now that were not at the previous period's end ({day:%Y-%m-%d})").format(
        day=scope.previous().as_of
    ),
    border=True,
)
row[4].metric(
    _("Out of at-risk"),
    number(moved["out_of_at_risk"]),
    help=_("Accounts at risk at the previous period's end that are no longer"),
    border=True,
)

st.header(_("At-risk and watch accounts ({count})").format(count=number(listed.height)))
st.caption(_("Lowest score first; revenue at stake is the last 12 months'. Click a row to open the account."))
if listed.is_empty():
    st.success(_("No account is at risk or on watch."), icon=":material/task_alt:")
else:
    account_table(
        listed,
        NF_("at-risk-accounts"),
        # Health at D, whatever the period: named by that day, as the tables below.
        file_name=at_as_of(NF_("at-risk-accounts")),
        in_download_only=("region",),
        score=None,
        **columns.AT_RISK,
    )

st.header(_("Health by tier, region and manager"))
by_tier = view["tier"]
# Beside their charts: the accounts, those on watch and at risk, the mean score (the healthy the rest, in the CSV).
SIDE = {"in_download_only": ("healthy",), **columns.HEALTH_SIDE}
chart_with_table(
    figure(charts.health_bands, by_tier, "tier", _("Tier")),
    by_tier,
    NF_("health-by-tier"),
    file_name=at_as_of(NF_("health-by-tier")),
    **SIDE,
)
by_region = view["region"]
chart_with_table(
    figure(charts.health_bands, by_region, "region", _("Region")),
    by_region,
    NF_("health-by-region"),
    file_name=at_as_of(NF_("health-by-region")),
    **SIDE,
)
# The chart and its table in one order: the highest mean score first.
by_manager = dashboard.derived(risk.by_mean_score, view["manager"])
st.caption(charts.health_managers_caption(by_manager.height, risk.ENDS))
ends = risk.ends(by_manager, "mean_score")
chart_with_table(
    figure(charts.health_bands, named(ends), "manager_id", _("Manager")),
    by_manager,
    NF_("health-by-manager"),
    file_name=at_as_of(NF_("health-by-manager")),
    **SIDE,
)
