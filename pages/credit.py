"""Credit: receivables outstanding and overdue by age, accounts over their limit, overdue by manager, warning signs."""

from datetime import date

import streamlit as st

from kam.i18n import NF_, _, pgettext
from kam.i18n.formats import table_date
from kam.metrics import risk
from kam.metrics.filters import describe
from kam.present import charts, columns
from kam.present.formatting import money, money_short, number, percent
from kam.ui import dashboard
from kam.ui.widgets import account_table, at_as_of, chart_with_table, figure, named, record_table

scope = dashboard.scope()
bands = columns.overdue_age_bands(scope.policy.ageing_days)
dashboard.prefetch((risk.credit_view, scope, {}), (risk.warning_signs_reported, scope, {}))
view = dashboard.cached(risk.credit_view, scope)
owed = view["owed"].row(0, named=True)

st.title(_("Credit"))
st.caption(
    dashboard.with_as_of_note(
        _("Receivables at {as_of}: orders not paid by then.").format(as_of=table_date(scope.as_of)), scope
    )
)
row = st.columns(4)
row[0].metric(
    _("Outstanding"),
    money_short(owed["outstanding"]),
    help=_("{amount} in all").format(amount=money(owed["outstanding"])),
    border=True,
)
row[1].metric(
    pgettext("receivables", "Overdue"),
    money_short(owed["overdue"]),
    help=_("{amount}; {count} accounts with an order past its due date").format(
        amount=money(owed["overdue"]), count=number(owed["overdue_accounts"])
    ),
    border=True,
)
row[2].metric(_("Accounts over their limit"), number(owed["over_limit_accounts"]), border=True)
row[3].metric(
    _("Limit used"),
    percent(owed["utilisation"]),
    help=_("Outstanding of the accounts with a credit limit above 0, over those limits"),
    border=True,
)

st.header(_("Overdue by age"))
buckets = view["ageing"]
# The receivables at D, whatever the period: their tables are named by that day.
chart_with_table(
    figure(charts.receivables_ageing, buckets),
    buckets,
    NF_("overdue-by-age"),
    file_name=at_as_of(NF_("overdue-by-age")),
)

limited = view["over_limit"]
st.header(_("Accounts over their limit ({count})").format(count=number(limited.height)))
if limited.is_empty():
    st.write(_("No account owes more than its credit limit."))
else:
    st.caption(_("Most over first. Click a row to open the account."))
    # The overdue headed as the card heads it, so that the account reads whole beside the amounts at 1366 px.
    account_table(
        limited, NF_("over-limit-accounts"), file_name=at_as_of(NF_("over-limit-accounts")), **columns.OVERDUE
    )

st.header(_("Overdue by manager"))
by_manager = view["by_manager"]
st.caption(charts.overdue_managers_caption(by_manager.height, risk.ENDS))
chart_with_table(
    figure(charts.money_by_manager, named(risk.first(by_manager)), "overdue_amount", _("Overdue receivables")),
    by_manager,
    NF_("overdue-by-manager"),
    file_name=at_as_of(NF_("overdue-by-manager")),
    # Beside the chart at 1366 px: the overdue and the accounts owing it; the rest in the CSV.
    in_download_only=("outstanding", "over_limit_accounts", "utilisation"),
    **columns.OVERDUE,
)

largest = view["largest"]
# A list cut short says how many owe in all: its length alone read as the number of accounts overdue.
if largest.height < owed["overdue_accounts"]:
    st.header(
        _("Largest overdue accounts (the first {top} of {count})").format(
            top=number(largest.height), count=number(owed["overdue_accounts"])
        )
    )
else:
    st.header(_("Largest overdue accounts ({count})").format(count=number(largest.height)))
if largest.is_empty():
    st.write(_("Nothing overdue."))
else:
    st.caption(_("Click a row to open the account."))
    # Who owes, who manages the account, and how old the debt is, whole at 1366 px (an amount cut at the edge
    # reads as another); tier, the most days overdue, outstanding and the credit limit in the CSV.
    account_table(
        largest,
        NF_("largest-overdue"),
        file_name=at_as_of(NF_("largest-overdue")),
        in_download_only=("tier", "max_days_overdue", "outstanding", "credit_limit"),
        **columns.OVERDUE,
        **columns.overdue_by_age(bands),
    )

signs = dashboard.cached(risk.warning_signs_reported, scope)
st.header(_("Warning signs reported in visits ({count})").format(count=number(signs.height)))
if signs.is_empty():
    st.write(_("No visit in the period recorded a warning sign."))
else:
    st.caption(_("Click a visit to read its warning signs whole under the list."))
    # Where each visit was entered in the CSV and the chosen visit only: two signs read whole beside the account.
    record_table(signs, NF_("warning-signs"), in_download_only=("source",), manager_id=_("Reported by"))

today = date.today()
later = dashboard.cached(risk.warning_signs_since, scope, today=today)
if not later.is_empty():
    st.subheader(
        _("Warning signs reported in visits after the as-of date ({count})").format(count=number(later.height))
    )
    st.caption(
        _("Visits logged after {as_of:%Y-%m-%d}, the as-of date: not in the figures above.").format(as_of=scope.as_of)
    )
    # The days after D up to today, not the period: named by them.
    record_table(
        later,
        NF_("warning-signs-since"),
        file_name=describe(risk.since_data_date(scope, today)).file_name(NF_("warning-signs-since"), "csv"),
        in_download_only=("source",),
        manager_id=_("Reported by"),
    )
