"""Managers: every manager's scorecard against target, a ranking, and one manager's accounts."""

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import table_date
from kam.metrics import managers, relations, revenue, visits
from kam.present import bands, charts
from kam.present.formatting import beside_id, money, no_plan_agreed, number
from kam.present.text import markdown_text
from kam.ui import dashboard
from kam.ui.widgets import account_table, chart_with_table, figure, follow_click, judged_table, no_data

scope = dashboard.scope()
card = dashboard.cached(managers.scorecard, scope)
figures = managers.scorecard_figures(scope.policy)
Column, Number = st.column_config.Column, st.column_config.NumberColumn
# A period shorter than every cadence plans no visit: the call-plan column is empty, its tooltip and a caption say why.
no_plan = visits.no_plan_reason(scope)
WHY_EMPTY = {"visit_attainment": no_plan} if no_plan else {}

LABELS = {
    "manager_id": Column(_("Manager"), pinned=True),
    "region": _("Region"),
    "active": st.column_config.CheckboxColumn(_("In post"), help=_("Still employed, as the latest export says")),
    "active_accounts": Number(_("Accounts"), help=_("Active accounts at the as-of date")),
    "accounts_a": Number("A", help=_("Active A-accounts (tier at the as-of date)")),
    "accounts_b": Number("B", help=_("Active B-accounts")),
    "accounts_c": Number("C", help=_("Active C-accounts")),
    "target": Number(
        _("Target to date"), help=_("The year's revenue target pro-rated to the period's days"), format="yen"
    ),
    "visit_target": Number(
        _("Visit target to date"),
        format="%.1f",
        help=_("The year's visit target, where set, pro-rated to the period's days"),
    ),
    "overdue": Number(_("Overdue"), help=_("Active accounts overdue for a visit")),
    "sla_breached": Number(_("SLA breaches"), help=_("Complaints opened in the period with a late or no first reply")),
    "churned": Number(_("Churned"), help=_("Accounts churned in the period")),
    "at_risk": Number(
        _("At risk"), help=_("Active accounts whose health score is in the at-risk band at the as-of date")
    ),
    "overdue_receivables": Number(
        _("Overdue receivables"), format="yen", help=_("Receivables past due at the as-of date")
    ),
} | {
    # A share reads with one decimal (81.8%): the "percent" format shows as many decimals as the step has.
    f.column: Number(
        f.heading,
        help="\n\n".join(filter(None, (f.explained, WHY_EMPTY.get(f.column)))),
        format=f.column_format,
        step=0.001 if f.unit == "share" else None,
    )
    for f in figures.values()
}
# Each cell's text, as the cards, the ranking and the download write the figure.
FORMATS = {"target": money, "visit_target": lambda value: number(value, 1), "overdue_receivables": money} | {
    f.column: f.text for f in figures.values()
}
# On screen, the figures judged against a target beside each manager, named beside their id as every table names
# them: every column whole in the 900 px a laptop's 1366 px leaves the table. The CSV has every column (plan and
# executive coverage, the counts, the targets, the region).
ORDER = [
    "manager_id",
    "active_accounts",
    "revenue",
    "attainment",
    "growth",
    "visit_coverage",
    "visit_attainment",
    "visit_target_attainment",
    "sla_met_pct",
    "satisfaction_mean",
    "csat_pct",
]

st.title(_("Managers"))
st.caption(
    dashboard.with_as_of_note(
        _("Period {start} to {end}, accounts as of {as_of} · – where there is nothing to measure").format(
            start=table_date(scope.start), end=table_date(scope.period_end), as_of=table_date(scope.as_of)
        ),
        scope,
    )
)
if caveat := revenue.attainment_caveat(scope):
    st.info(caveat, icon=":material/info:")
# The attainment bands named as the ranking chart's legend names them.
named = bands.names(*figures["attainment"].banded)
st.markdown(
    _(
        "**Attainment** (revenue against the target pro-rated to the period's days): "
        ":green-background[{on_pace}] · :orange-background[{behind}] · :red-background[{well_behind}]. "
        "**Other figures**: :green-background[at or above target] · :red-background[below target] "
        "(each target in the column's tooltip)."
    ).format(on_pace=named[bands.ON_PACE], behind=named[bands.BEHIND], well_behind=named[bands.WELL_BEHIND])
)

if card.is_empty():
    no_data()
    st.stop()

st.caption(
    _(
        "Plan and executive coverage: in the ranking below. The CSV also has the targets, the accounts by tier, "
        "churned and at risk, overdue visits and receivables, SLA breaches and the region."
    )
)
if idle := managers.without_active_accounts(card):
    # Said so that the count matches the other pages' per-manager figures, which only managers with accounts have.
    st.caption(
        _(
            "Managers with active accounts: {count}, as on the account risk page. Listed too, with no active account "
            "for these filters: {managers}."
        ).format(count=number(card.height - len(idle)), managers=markdown_text(", ".join(idle)))
    )
if no_plan:
    st.caption(
        _("{column}: – for every manager. {reason}").format(column=figures["visit_attainment"].heading, reason=no_plan)
    )
judged_table(
    card,
    NF_("manager-scorecard"),
    targets={f.column: f.target for f in figures.values() if f.target is not None and f.banded is None},
    bands={f.column: f.banded for f in figures.values() if f.banded is not None},
    formats=FORMATS,
    labels=LABELS,
    height="content",
    column_order=ORDER,
)

st.header(_("Ranking"))
measure = st.columns([2, 3])[0].selectbox(
    _("Rank by"), list(figures), format_func=lambda c: figures[c].label, key="rank_by"
)
chosen = figures[measure]
ranked = managers.rank_managers(card, measure, scope.policy)
if measure == "plan_coverage":
    # Every bar at 0.0%, said in words as under the overview's card.
    ties = dashboard.cached(relations.relationship_coverage, scope).row(0, named=True)
    if why := no_plan_agreed(ties["key_accounts"], ties["planned"], ties["with_plan"], scope.as_of.year):
        st.caption(why)
point = chart_with_table(
    figure(charts.ranking_of, ranked, measure, chosen.label, chosen.target, chosen.unit, chosen.banded),
    ranked,
    NF_("manager-ranking"),
    select=True,
    **{measure: chosen.label},
)
# A click on a manager's bar shows their accounts below.
follow_click("scorecard_manager", point[0] if point else None)

st.header(_("A manager's accounts"))
names = dict(zip(card["manager_id"], card["name"], strict=True))
manager = st.columns([2, 3])[0].selectbox(
    _("Manager"), list(names), format_func=lambda m: beside_id(names[m], m), key="scorecard_manager"
)
own = dashboard.cached(managers.manager_accounts, scope, manager_id=manager)
if own.is_empty():
    st.info(_("{manager} has no active account for these filters.").format(manager=markdown_text(names[manager])))
else:
    st.caption(_("Click a row to open the account."))
    account_table(
        own,
        NF_("accounts-of"),
        detail=manager,
        # Said by the last visit and the next one due, and in the way of fitting a laptop's width: kept for the CSV.
        in_download_only=("days_since_visit", "cadence"),
        region=None,
        manager_id=None,
        overdue=None,
        ticks=False,
        revenue=_("Revenue in the period"),
    )
