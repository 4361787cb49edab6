"""Account view: one account's archive, orders, visits, complaints and surveys, and what is overdue or open."""

from collections.abc import Callable
from datetime import date

import streamlit as st

from kam.i18n import NF_, _, pgettext
from kam.i18n.formats import table_date
from kam.metrics import accounts, complaints, credit, revenue, risk, satisfaction, visits
from kam.metrics.filters import account_file_name, at, days, up_to
from kam.present import charts, columns
from kam.present.columns import label_of
from kam.present.formatting import MISSING, money, money_short, number, percent
from kam.present.text import markdown_text as md
from kam.ui import contacts_panel, dashboard
from kam.ui.widgets import chart, chart_with_table, figure, name_heading, record_table, table, term_label
from kam.vocabulary import CHURN_REASON_TERMS

scope = dashboard.scope()

st.title(_("Account view"))
st.caption(
    dashboard.with_as_of_note(
        _("As of {as_of}: the account's history up to that day, whichever period the sidebar shows.").format(
            as_of=table_date(scope.as_of)
        ),
        scope,
    )
)
# A link to /account?account=K0001 opens that account, coming back to the page the one last shown (here or on the
# plans page); after that the search box is the user's.
if "account_search" not in st.session_state:
    shown = st.session_state.get(dashboard.ACCOUNT_SHOWN, "")
    st.session_state["account_search"] = st.query_params.get("account") or shown
search, pick = st.columns([2, 3], vertical_alignment="bottom")
text = search.text_input(
    _("Find an account"), key="account_search", placeholder=_("Name, id or region, e.g. 华东 or K0001")
)
found = dashboard.cached(accounts.search_accounts, scope, text=text)
if found.is_empty():
    st.info(
        _("No account matches “{text}” within the filters in the sidebar and the accounts open to you.").format(
            text=md(text)
        )
        if text
        else _("No account in these filters.")
    )
    st.stop()
labels = dict(zip(found["account_id"], found["label"], strict=True))
matches = found["matches"][0]
account_id = pick.selectbox(
    _("Accounts found ({shown} of {count} shown; narrow the search to see the rest)").format(
        shown=found.height, count=matches
    )
    if matches > found.height
    else _("Accounts found ({count})").format(count=matches),
    list(labels),
    format_func=labels.get,
)
dashboard.show_account(account_id)

record = dashboard.cached(accounts.account_archive, scope, account_id=account_id)
if record.is_empty():
    st.info(_("Account {account} is not within the filters in the sidebar.").format(account=md(account_id)))
    st.stop()
archive = record.row(0, named=True)


def account_file(name: str, of: Callable[[date], str] = up_to) -> str:
    """The file name of one of the account's tables: its rows up to D (of=at: what stood at D), whichever the sidebar's
    period and filters, so named by the account and D, not by them."""
    return account_file_name(name, "csv", account_id, archive["name"], of(scope.as_of))


status = dashboard.cached(accounts.account_visit_status, scope, account_id=account_id)
followups = dashboard.cached(accounts.account_followups, scope, account_id=account_id)
open_complaints = dashboard.cached(accounts.account_open_complaints, scope, account_id=account_id)
history = dashboard.cached(accounts.tier_history, scope, account_id=account_id)
monthly = dashboard.cached(accounts.account_revenue_by_month, scope, account_id=account_id)
orders = dashboard.cached(revenue.account_orders, scope, account_id=account_id)
timeline = dashboard.cached(visits.account_visits, scope, account_id=account_id)
visited_since = dashboard.cached(accounts.account_visited_since, scope, account_id=account_id, today=date.today())
complaint_list = dashboard.cached(complaints.account_complaints, scope, account_id=account_id)
surveys = dashboard.cached(satisfaction.account_surveys, scope, account_id=account_id)

name_heading(f"{md(archive['name'])} ({md(archive['account_id'])})")
row = st.columns(4)
row[0].metric(
    _("Tier"),
    archive["tier"],
    help=_("At the as-of date; in the latest export: {tier}").format(tier=archive["assigned_tier"]),
    border=True,
)
# The name alone in the card's large type, the id in its label: both there, a quarter of a laptop's page held
# "吴晓东 (…".
row[1].metric(
    _("Manager ({manager_id})").format(manager_id=md(archive["manager_id"])),
    md(archive["manager_name"] or MISSING),
    border=True,
)
row[2].metric(_("Region"), md(archive["region"]), border=True)
row[3].metric(_("Customer since"), f"{archive['created_on']:%Y-%m-%d}", border=True)
facts = _("Industry: {industry} · credit limit: {credit_limit}").format(
    industry=md(archive["industry"] or MISSING), credit_limit=money(archive["credit_limit"])
)
if archive["churned_on"]:
    facts += " · " + _("churned {date} ({reason})").format(
        date=f"{archive['churned_on']:%Y-%m-%d}", reason=term_label(CHURN_REASON_TERMS, archive["churn_reason"])
    )
st.caption(facts)
if history.is_empty():
    st.caption(_("No tier change up to the as-of date: tier {tier} throughout.").format(tier=archive["tier"]))
else:
    with st.expander(_("Tier history ({count})").format(count=number(history.height))):
        table(
            history,
            NF_("tier-history"),
            detail=account_id,
            file_name=account_file(NF_("tier-history")),
        )

st.subheader(_("Overdue or open"))
if status.is_empty():
    st.info(_("Not an active account at the as-of date: no visit is due."))
elif status["overdue"][0]:
    # Never visited, its days count from its creation: not "days since the last visit".
    # The date counted to is said: the worklist counts to today, the other pages to the as-of date.
    last = status["last_visit"][0]
    st.warning(
        _("At {as_of}, a visit is overdue: {days} days since the last visit on {last}, cadence {cadence} days.").format(
            as_of=table_date(scope.as_of),
            days=number(status["days_since_visit"][0]),
            last=table_date(last),
            cadence=status["cadence"][0],
        )
        if last
        else _("At {as_of}, never visited and past its first {cadence} days: a first visit is overdue.").format(
            as_of=table_date(scope.as_of), cadence=status["cadence"][0]
        ),
        icon=":material/event_busy:",
    )
else:
    last = status["last_visit"][0]
    st.success(
        _("At {as_of}, visits are on cadence: last visit {date}, cadence {cadence} days.").format(
            as_of=table_date(scope.as_of), date=table_date(last), cadence=status["cadence"][0]
        )
        if last
        else _("At {as_of}, not visited yet and within its first {cadence} days.").format(
            as_of=table_date(scope.as_of), cadence=status["cadence"][0]
        ),
        icon=":material/event_available:",
    )
# The figures stay as of D; a manager who has just logged a visit, and is told the account is overdue, reads why.
since_note = (
    _("Visited since: {date} (after {as_of}, so not in this page's figures).").format(
        date=table_date(visited_since), as_of=table_date(scope.as_of)
    )
    if visited_since
    else None
)
if since_note and not status.is_empty():
    st.info(since_note, icon=":material/event_available:")
if not followups.is_empty():
    st.warning(_("Follow-ups due ({count})").format(count=number(followups.height)), icon=":material/assignment_late:")
    table(
        followups,
        NF_("followups"),
        detail=account_id,
        file_name=account_file(NF_("followups"), at),
        account_id=None,
        name=None,
        tier=None,
        visit_date=_("Visited"),
        next_date=_("Due"),
    )
if not open_complaints.is_empty():
    st.warning(
        _("Open complaints ({count})").format(count=number(open_complaints.height)), icon=":material/support_agent:"
    )
    table(
        open_complaints,
        NF_("open-complaints"),
        detail=account_id,
        file_name=account_file(NF_("open-complaints"), at),
    )
if followups.is_empty() and open_complaints.is_empty():
    st.write(_("No follow-up due and no open complaint."))

st.subheader(_("Health and credit"))
health_now = dashboard.cached(risk.account_health_of, scope, account_id=account_id)
owed = dashboard.cached(credit.account_receivables, accounts.only_account(scope, account_id))
row = st.columns(4)
if health_now.is_empty():
    row[0].metric(_("Health score"), MISSING, help=_("Not an active account at the as-of date"), border=True)
else:
    health_row = health_now.row(0, named=True)
    row[0].metric(
        _("Health score"),
        number(health_row["score_shown"], 1),
        help=_("{band}; weakest signal: {weakest}").format(
            band=label_of("band", health_row["band"]),
            weakest=label_of("weakest", health_row["weakest"]) if health_row["weakest"] else MISSING,
        ),
        border=True,
    )
if not owed.is_empty():
    receivable = owed.row(0, named=True)
    # Cards in the short form, the exact amount in their explanation (kam/present/formatting.py).
    row[1].metric(
        _("Outstanding"),
        money_short(receivable["outstanding"]),
        help=_("{amount} in all").format(amount=money(receivable["outstanding"])),
        border=True,
    )
    row[2].metric(
        pgettext("receivables", "Overdue"),
        money_short(receivable["overdue"]),
        help=_("{amount} in all").format(amount=money(receivable["overdue"]))
        + " · "
        + _("Most days overdue: {days}").format(days=receivable["max_days_overdue"]),
        border=True,
    )
    row[3].metric(
        _("Limit used"),
        percent(receivable["utilisation"]),
        help=_("Over the limit") if receivable["over_limit"] else None,
        border=True,
    )
if not health_now.is_empty():
    with st.expander(_("The five signals")):
        table(
            dashboard.cached(risk.account_signals, scope, account_id=account_id),
            NF_("health-signals"),
            detail=account_id,
            file_name=account_file(NF_("health-signals"), at),
        )
open_orders = dashboard.cached(credit.open_orders, scope, account_id=account_id)
if not open_orders.is_empty():
    with st.expander(_("Open orders ({count})").format(count=number(open_orders.height))):
        table(
            open_orders,
            NF_("open-orders"),
            detail=account_id,
            file_name=account_file(NF_("open-orders"), at),
            account_id=None,
            name=None,
            manager_id=None,
        )
contacts_panel.show(dashboard.current_user(), scope, account_id)

st.subheader(_("Orders"))
st.caption(
    _("Revenue by month, the 24 months to {end}; a month counted only in part is pale.").format(
        end=table_date(scope.as_of)
    )
)
chart_with_table(
    figure(charts.revenue_by_month, monthly),
    monthly,
    NF_("revenue"),
    detail=account_id,
    file_name=account_file_name(
        NF_("revenue"), "csv", account_id, archive["name"], days(*revenue.revenue_window(scope.as_of))
    ),
)
if not orders.is_empty():
    with st.expander(_("Every order up to the as-of date ({count})").format(count=number(orders.height))):
        table(
            orders,
            NF_("orders"),
            detail=account_id,
            file_name=account_file(NF_("orders")),
        )

st.subheader(_("Visits ({count})").format(count=number(timeline.height)))
if since_note:
    st.caption(since_note)
if timeline.is_empty():
    st.write(_("No visit up to the as-of date."))
else:
    chart(figure(charts.visit_timeline, timeline), timeline, f"visits-{account_id}")
    st.caption(_("Click a visit to read it whole under the list: its notes and next step, however long."))
    # Who visited and whom they met, the credit warning signs each visit recorded and where it was entered, in the CSV
    # and the chosen visit only: every column shows at 1366 px, the purpose whole, in English too (the signs of the
    # period are on the credit page).
    record_table(
        timeline,
        NF_("visit-list"),
        detail=account_id,
        file_name=account_file(NF_("visit-list")),
        in_download_only=("manager_id", "met_with", "contacts", "signs", "source"),
        **columns.VISIT_LIST,
    )

st.subheader(_("Complaints ({count})").format(count=number(complaint_list.height)))
if complaint_list.is_empty():
    st.write(_("No complaint up to the as-of date."))
else:
    table(
        complaint_list,
        NF_("complaints"),
        detail=account_id,
        file_name=account_file(NF_("complaints")),
        complaint_id=_("Complaint"),
        # Open in the CSV only, so that every column shows at 1366 px: an open complaint has no time resolved.
        in_download_only=("open",),
        **columns.COMPLAINT_LIST,
        account_id=None,
        name=None,
        tier=None,
        region=None,
        manager_id=None,
        age_hours=None,
    )

st.subheader(_("Surveys ({count})").format(count=number(surveys.height)))
if surveys.is_empty():
    st.write(_("No survey up to the as-of date."))
else:
    table(
        surveys,
        NF_("surveys"),
        detail=account_id,
        file_name=account_file(NF_("surveys")),
        score=_("Score (1–5)"),
        nps=_("Would recommend (0–10)"),
    )
