"""The weekly meeting: headline figures against the previous period, and what needs attention."""

from datetime import date

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import table_date
from kam.metrics import attention, relations, revenue, satisfaction, visits
from kam.metrics.filters import describe
from kam.present import charts
from kam.present.formatting import (
    delta_number,
    delta_points,
    delta_relative,
    money,
    money_short,
    no_plan_agreed,
    number,
    percent,
)
from kam.reports import overview
from kam.reports.brief import brief_name, can_print, weekly_brief, weekly_brief_pdf
from kam.reports.snapshot import headline_figures
from kam.ui import dashboard
from kam.ui.widgets import account_table, at_as_of, card, chart_with_table, drill, figure, table

scope = dashboard.scope()
user = dashboard.current_user()
# Year to date beside a shorter period, up to the same day.
year = overview.year_to_date(scope)
dashboard.prefetch(*overview.calls(scope))
now = dashboard.cached(headline_figures, scope)
before = dashboard.cached(headline_figures, scope.previous())
breaches = dashboard.cached(attention.open_breaches, scope)
breaches_before = dashboard.cached(attention.open_breaches, scope.previous())

# Named as in the sidebar: its period is the one chosen there, not always a week (the caption says which).
st.title(_("Overview"))
st.caption(
    dashboard.with_data_date_note(
        _("As of {as_of} · period {start} to {end} · changes against the previous period of the same length").format(
            as_of=dashboard.as_of_text(scope), start=table_date(scope.start), end=table_date(scope.period_end)
        ),
        scope,
    )
)

sla, csat, sales = now["complaint_sla"], now["satisfaction"], now["revenue"]
was_sla, was_csat, was_sales = before["complaint_sla"], before["satisfaction"], before["revenue"]
row = st.columns(4)
card(
    row[0],
    _("Active accounts"),
    number(now["active_accounts"]["total"]),
    delta_number(now["active_accounts"]["total"], before["active_accounts"]["total"]),
    help=_("A {a} · B {b} · C {c}").format(
        a=now["active_accounts"]["A"], b=now["active_accounts"]["B"], c=now["active_accounts"]["C"]
    ),
    border=True,
)
card(
    row[1],
    _("Visit coverage"),
    percent(now["visit_coverage"]["total"]),
    delta_points(now["visit_coverage"]["total"], before["visit_coverage"]["total"]),
    help=_("Active accounts not overdue for a visit; {count} overdue").format(count=now["overdue_accounts"]),
    border=True,
)
no_plan = visits.no_plan_reason(scope)
card(
    row[2],
    _("Visit attainment"),
    # A week plans no visit: said in the card, not as a bare "–" (why: in its help), in a word or two that fit the
    # card on a laptop ("None planned" was cut to "None plan…" at 1440 px).
    _("No plan") if no_plan else percent(now["visit_attainment"]),
    delta_points(now["visit_attainment"], before["visit_attainment"]),
    help=no_plan or _("Visits made against the call plan of the period"),
    border=True,
)
card(
    row[3],
    _("Complaint SLA met"),
    percent(sla["met_pct"]),
    delta_points(sla["met_pct"], was_sla["met_pct"]),
    help=_("First reply within the SLA; {breached} breached, {pending} pending").format(
        breached=sla["breached"], pending=sla["pending"]
    ),
    border=True,
)
row = st.columns(4)
card(
    row[0],
    _("Open SLA breaches"),
    number(breaches.height),
    delta_number(breaches.height, breaches_before.height),
    delta_color="inverse",
    help=_(
        "Complaints past the SLA and not resolved by the end of {as_of}, whenever opened: the list under Needs "
        "attention, and on the complaint SLA page"
    ).format(as_of=table_date(scope.as_of)),
    border=True,
)
no_survey = satisfaction.no_survey_reason(scope, csat["responses"])
card(
    row[1],
    _("Satisfaction"),
    # A period without a survey (most weeks): said in the card, as the visit attainment says No plan, why in its help.
    _("No survey") if no_survey else number(csat["mean"], 2),
    delta_number(csat["mean"], was_csat["mean"], 2),
    help=no_survey
    or _("Mean score 1–5 of {count} answers; CSAT {csat}, NPS {nps}").format(
        count=csat["responses"], csat=percent(csat["csat_pct"]), nps=number(csat["nps"])
    ),
    border=True,
)
card(
    row[2],
    _("Revenue"),
    money_short(sales["period"]),
    delta_relative(sales["period"], was_sales["period"]),
    help=_(
        "{revenue} in the period. Attainment {attainment} of the pro-rated target; "
        "growth {growth} on the same dates last year"
    ).format(revenue=money(sales["period"]), attainment=percent(sales["attainment"]), growth=percent(sales["growth"])),
    border=True,
)
card(
    row[3],
    _("Churn rate"),
    percent(now["churn_rate"]),
    delta_points(now["churn_rate"], before["churn_rate"]),
    delta_color="inverse",
    help=_("Accounts churned from {start} to {end}, as a share of the accounts active on {start}").format(
        start=table_date(scope.start), end=table_date(scope.period_end)
    ),
    border=True,
)

if year is not None:
    ytd = dashboard.cached(headline_figures, year)
    st.caption(
        _(
            "**Year to date** ({start} to {end}): revenue {revenue}, attainment {attainment} · "
            "visit attainment {visits} · complaint SLA met {sla} · satisfaction {satisfaction} · churn rate {churn}"
        ).format(
            start=table_date(year.start),
            end=table_date(year.period_end),
            revenue=money_short(ytd["revenue"]["period"]),
            attainment=percent(ytd["revenue"]["attainment"]),
            visits=percent(ytd["visit_attainment"]),
            sla=percent(ytd["complaint_sla"]["met_pct"]),
            satisfaction=number(ytd["satisfaction"]["mean"], 2),
            churn=percent(ytd["churn_rate"]),
        )
    )
if caveat := revenue.attainment_caveat(scope):
    st.caption(caveat)

ties = dashboard.cached(relations.relationship_coverage, scope).row(0, named=True)
row = st.columns(2)
row[0].metric(
    _("Plan coverage"),
    percent(ties["plan_coverage"]),
    help=_("A-accounts whose plan for the year is agreed: {planned} of {total}").format(
        planned=ties["planned"], total=ties["key_accounts"]
    ),
    border=True,
)
# 0.0% said in words under the card where no plan is agreed (a tooltip alone went unread).
if why := no_plan_agreed(ties["key_accounts"], ties["planned"], ties["with_plan"], scope.as_of.year):
    row[0].caption(why)
row[1].metric(
    _("Executive coverage"),
    percent(ties["executive_coverage"]),
    help=_("A-accounts our senior management visited in the last 90 days: {visited} of {total}").format(
        visited=ties["executive_visited"], total=ties["key_accounts"]
    ),
    border=True,
)

# The brief is made from the shared results (most of its figures are on this page) of the data as it is when clicked;
# named by its period (a weekly brief is of one whole week), as its title is.
called = brief_name(scope)
left, right = st.columns(2)
left.download_button(
    _(called.html_button),
    dashboard.made_for(
        user, lambda: dashboard.from_one_state(lambda con, compute: weekly_brief(con, scope, compute=compute))
    ),
    file_name=describe(scope).file_name(called.file, "html"),
    mime="text/html",
    icon=":material/description:",
    help=_("One file to mail: charts as pictures, no script"),
)
printable = can_print(scope)
right.download_button(
    _(called.pdf_button),
    dashboard.made_for(
        user, lambda: dashboard.from_one_state(lambda con, compute: weekly_brief_pdf(con, scope, compute=compute))
    )
    if printable
    else b"",
    file_name=describe(scope).file_name(called.file, "pdf"),
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    disabled=not printable,
    help=None if printable else _("No Chromium on the server to print it; the HTML brief carries the tables"),
)

st.header(_("Revenue"))
st.caption(
    _(
        "Monthly revenue of the accounts in scope, the 24 months to {end}; a month counted only in part is pale. "
        "Click a month for its accounts."
    ).format(end=table_date(scope.as_of))
)
point = chart_with_table(
    figure(charts.revenue_by_month, monthly := dashboard.cached(revenue.revenue_by_month, scope)),
    monthly,
    NF_("revenue-by-month"),
    select=True,
    # The 24 months to D, whatever the period: named by them.
    file_name=describe(scope.with_period(*revenue.revenue_window(scope.as_of))).file_name(
        NF_("revenue-by-month"), "csv"
    ),
)
if point:
    month = scope.in_month(date.fromisoformat(point[0][:10]))
    drill(
        _("Revenue by account, {month}").format(month=f"{month.start:%Y-%m}"),
        dashboard.cached(revenue.revenue_by_account, month),
        NF_("revenue-by-account"),
        detail=f"{month.start:%Y-%m}",
        # The month clicked, not the period: named by its days.
        file_name=describe(month).file_name(NF_("revenue-by-account"), "csv"),
        accounts=True,
    )

st.header(_("Needs attention"))
one_manager = overview.of_one_manager(user.role, scope)
for section in overview.SECTIONS:
    frame = dashboard.cached(section.metric, scope)
    with st.expander(
        _("{title} ({count})").format(title=_(section.title), count=number(frame.height)), expanded=frame.height > 0
    ):
        if section.metric is attention.managers_behind_pace:
            st.caption(_("Revenue under the target pro-rated to the period's days, worst first."))
        if section.metric is attention.key_accounts_without_executive_ties:
            st.caption(
                _(
                    "A contact entered on the account view counts from the day it was entered until the day it was "
                    "marked as having left, at the level last saved by the as-of date; one of the CRM export carries "
                    "no dates and counts on any day (one the export marks as having left, on none)."
                )
            )
        if section.metric is attention.key_accounts_without_executive_ties and ties["without_contacts"]:
            st.caption(
                _(
                    "A-accounts with no contact on file at all: {count} of {total}, each counted as without an "
                    "executive contact. Contacts are added on the account view."
                ).format(count=number(ties["without_contacts"]), total=number(ties["key_accounts"]))
            )
        if frame.is_empty():
            st.write(_("Nothing to flag."))
        elif overview.lists_accounts(section):
            st.caption(_("Click a row to open the account."))
            # No tick boxes: on a list of things to do a tick reads as done, and the columns keep a phone's width.
            account_table(
                frame,
                section.download,
                in_download_only=overview.off_screen(section, one_manager),
                file_name=at_as_of(section.download) if section.at_as_of else "",
                ticks=False,
                **section.headers,
            )
        else:
            table(
                frame,
                section.download,
                in_download_only=overview.off_screen(section, one_manager),
                file_name=at_as_of(section.download) if section.at_as_of else "",
                **section.headers,
            )
