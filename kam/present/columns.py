"""How each column of a metric frame is shown: its kind, its header, its cell text, its CSV value.

Every table of the dashboard and every CSV download goes through here, so that a money
column reads the same everywhere and a header is written once. The headers are all in
``COLUMNS`` (one mapping), marked for the catalogs and translated into the run's language
where a table or a download shows them.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import polars as pl

from kam import i18n
from kam.i18n import N_, NP_, _, formats
from kam.present.formatting import MISSING, day_time, hours, number
from kam.vocabulary import FOLLOW_UP_STEPS, FollowUpStep


class Kind(StrEnum):
    MONEY = "money"  # ¥ with grouping, no decimals
    PERCENT = "percent"  # a share 0–1, shown with one decimal
    SCORE = "score"  # a mean on a small scale, two decimals
    COUNT = "count"  # a whole number with grouping
    NUMBER = "number"  # a whole-number figure that may be negative (NPS)
    DATE = "date"  # YYYY-MM-DD
    POINTS = "points"  # a score 0-100 with one decimal (the health score)
    MONTH = "month"  # YYYY-MM
    DATETIME = "datetime"  # YYYY-MM-DD HH:MM
    HOURS = "hours"  # a duration in hours: a table shows it in its column's unit (in_units), a card as it likes
    DAYS = "days"  # a duration in days, shown like HOURS
    DURATION = "duration"  # a duration in its column's unit, which the header says (in_units): one decimal
    MANAGER = "manager"  # a manager id, shown as 徐军 (M01)
    ACCOUNT = "account"  # an account id, shown as name (id)
    BOOL = "bool"
    TEXT = "text"


@dataclass(frozen=True)
class Column:
    kind: Kind
    label: str
    help: str | None = None
    # Pixels the column takes on screen (None: as wide as its cells), where a table must fit a laptop's width.
    width: int | None = None
    # A header shortened for a narrow column, its help the column's full name: a row read whole (in_full) heads the
    # column's line by the help.
    narrow: bool = False
    # A duration's one unit (HOURS_UNIT, DAYS_UNIT) wherever it is shown: its cards (figure_duration), tables, CSVs
    # and the brief. None: each table chooses by its values (duration_units).
    unit: str | None = None


K = Kind
HOURS_UNIT, DAYS_UNIT = "hours", "days"
# A complaint's resolution reads in days everywhere, its cards and its tables alike: most take days (the demo's
# median 2.6 days, 90th percentile 8.2), and a table choosing by its own values read 2.0 days beside a card's 24.0 h.
RESOLUTION_UNIT = DAYS_UNIT
# A first reply, and the wait for one, read in hours everywhere, as the SLA they are judged against (24 h) and the
# cards: a list of breaches chose days by its own values (1.1 days) beside a card's 13.0 h.
REPLY_UNIT = HOURS_UNIT
# An account as a table shows it, name (id), whole for a name of 15 characters (杭州宇辉汽车零部件集团有限公司 (K0026),
# 274 px): sized to its cells, the grid measures only its first rows, and a longer name further down was cut at the
# column's edge (厦门佳邦车辆部件股份有限…). A manager, 魏秀英 (M06), whole for a name of 3 characters (94 px).
ACCOUNT_PX, MANAGER_PX = 280, 96
# A user name whole up to 15 characters (ouyang.xiaoming: 117 px), wherever a table names a user; a longer one (up to
# 64) is cut at the column's edge, whole in the CSV (and in a chosen row where the table has one).
USERNAME_PX = 120
# Text people typed (a visit's notes and next step, a customer's comment), up to thousands of characters: sized to its
# cells, a long one took the grid's 500 px and pushed its table past a laptop's width. Cut at these widths instead
# (a next step of 8 characters, a comment of 12), whole in the CSV and, on the account view, in a chosen visit.
TYPED_PX, COMMENT_PX = 130, 220
COLUMNS: dict[str, Column] = {
    # who and what
    "account_id": Column(K.ACCOUNT, N_("Account"), width=ACCOUNT_PX),
    "name": Column(K.TEXT, N_("Name")),
    "manager_id": Column(K.MANAGER, N_("Manager"), width=MANAGER_PX),
    "manager_name": Column(K.TEXT, N_("Manager")),
    "region": Column(K.TEXT, N_("Region")),
    "industry": Column(K.TEXT, N_("Industry")),
    # One letter in each cell: sized to its cells, the grid cut its header (客户等纟).
    "tier": Column(K.TEXT, N_("Tier"), width=72),
    "suggested_tier": Column(K.TEXT, N_("Suggested tier")),
    "assigned_tier": Column(K.TEXT, N_("Assigned tier")),
    "from_tier": Column(K.TEXT, N_("From")),
    "to_tier": Column(K.TEXT, N_("To")),
    "direction": Column(K.TEXT, N_("Direction")),
    "change": Column(K.TEXT, N_("Change")),
    "reason": Column(K.TEXT, N_("Reason")),
    "fall": Column(K.COUNT, N_("Fall"), N_("Points lost since the previous score")),
    "channel": Column(K.TEXT, N_("Channel")),
    "last_channel": Column(K.TEXT, N_("Last channel")),
    "purpose": Column(K.TEXT, N_("Purpose")),
    # A visit's people met, as typed in the visit form's field of that name.
    "met_with": Column(K.TEXT, N_("People met")),
    # The account's contacts a visit names (in the visit form's field of that name).
    "contacts": Column(K.TEXT, N_("Contacts met")),
    "notes": Column(K.TEXT, N_("Notes"), width=TYPED_PX),
    "next_step": Column(K.TEXT, N_("Next step"), width=TYPED_PX),
    "source": Column(K.TEXT, N_("Entered in")),
    "complaint_id": Column(K.TEXT, N_("Complaint")),
    "category": Column(K.TEXT, N_("Category")),
    "severity": Column(K.TEXT, N_("Severity")),
    "sla_status": Column(K.TEXT, N_("First-reply SLA")),
    "age_band": Column(K.TEXT, N_("Age")),
    "order_id": Column(K.TEXT, N_("Order")),
    "product": Column(K.TEXT, N_("Product")),
    "comment": Column(K.TEXT, N_("Comment"), width=COMMENT_PX),
    "latest_comment": Column(K.TEXT, N_("Comment"), width=COMMENT_PX),
    "period": Column(K.TEXT, N_("Period")),
    "status": Column(K.TEXT, N_("Status")),
    "scope": Column(K.TEXT, N_("Scope")),
    # money
    "revenue": Column(K.MONEY, N_("Revenue")),
    "revenue_12m": Column(K.MONEY, N_("Revenue, last 12 months")),
    "revenue_prior_year": Column(K.MONEY, N_("Revenue a year earlier")),
    "target": Column(K.MONEY, N_("Target to date"), N_("The year's revenue target pro-rated to the period's days")),
    "exported_target": Column(K.MONEY, N_("Exported target")),
    "app_target": Column(K.MONEY, N_("Target entered here")),
    "target_used": Column(K.MONEY, N_("Target used")),
    "gap": Column(K.MONEY, N_("Gap to target"), N_("Target to date minus revenue: what is missing to be on pace")),
    "visit_target": Column(K.SCORE, N_("Visit target to date"), N_("The year's visit target, where set, pro-rated")),
    "amount": Column(K.MONEY, N_("Amount")),
    "credit_limit": Column(K.MONEY, N_("Credit limit")),
    # shares
    "share": Column(K.PERCENT, N_("Share of accounts")),
    "revenue_share": Column(K.PERCENT, N_("Share of revenue")),
    "cumulative_share": Column(K.PERCENT, N_("Cumulative share")),
    "coverage": Column(K.PERCENT, N_("Coverage")),
    "visit_coverage": Column(K.PERCENT, N_("Coverage")),
    "attainment": Column(K.PERCENT, N_("Attainment")),
    "visit_target_attainment": Column(
        K.PERCENT, N_("Visits / target"), N_("Visits made against the visit target pro-rated to the period's days")
    ),
    "visit_attainment": Column(K.PERCENT, N_("Visit attainment")),
    "growth": Column(K.PERCENT, N_("Growth")),
    "met_pct": Column(K.PERCENT, N_("SLA met")),
    "sla_met_pct": Column(K.PERCENT, N_("SLA met")),
    "csat_pct": Column(K.PERCENT, N_("CSAT")),
    "churn_rate": Column(K.PERCENT, N_("Churn rate")),
    "plan_coverage": Column(K.PERCENT, N_("Plan coverage")),
    "executive_coverage": Column(K.PERCENT, N_("Executive coverage")),
    # scores
    "mean_score": Column(K.SCORE, N_("Mean score")),
    "satisfaction_mean": Column(K.SCORE, N_("Satisfaction")),
    "nps": Column(K.NUMBER, N_("NPS")),
    "score": Column(K.COUNT, N_("Score")),
    "latest_score": Column(K.COUNT, N_("Latest score")),
    "previous_score": Column(K.COUNT, N_("Previous score")),
    # counts
    "rank": Column(K.COUNT, N_("Rank")),
    "accounts": Column(K.COUNT, N_("Active accounts")),
    "active_accounts": Column(K.COUNT, N_("Active accounts")),
    "accounts_a": Column(K.COUNT, N_("A")),
    "accounts_b": Column(K.COUNT, N_("B")),
    "accounts_c": Column(K.COUNT, N_("C")),
    "covered": Column(K.COUNT, N_("Covered")),
    "overdue": Column(K.COUNT, N_("Overdue")),
    "planned": Column(K.COUNT, N_("Planned")),
    "visits": Column(K.COUNT, N_("Visits")),
    "visits_counted": Column(K.COUNT, N_("Visits counted")),
    "changes": Column(K.COUNT, N_("Changes")),
    "met": Column(K.COUNT, N_("Met")),
    "breached": Column(K.COUNT, N_("Breached")),
    "pending": Column(K.COUNT, N_("Pending")),
    "sla_breached": Column(K.COUNT, N_("SLA breaches")),
    "responded": Column(K.COUNT, N_("Replied")),
    "resolved": Column(K.COUNT, N_("Resolved")),
    "complaints": Column(K.COUNT, N_("Complaints")),
    "responses": Column(K.COUNT, N_("Answers")),
    "nps_responses": Column(K.COUNT, N_("NPS answers")),
    "churned": Column(K.COUNT, N_("Churned")),
    "quantity": Column(K.COUNT, N_("Quantity")),
    "orders": Column(K.COUNT, N_("Number of orders")),
    "days_since_visit": Column(
        K.COUNT, N_("Days since visit"), N_("Counted from the account's creation if never visited")
    ),
    "cadence": Column(K.COUNT, N_("Cadence (days)"), N_("Maximum days between visits for the account's tier")),
    "days_overdue": Column(K.COUNT, N_("Days overdue")),
    # How late or how soon, in words ("3 days overdue", "due in 2 days", "never visited"): narrow enough to
    # fit beside the account on a phone ("365 days overdue" takes 120 px).
    "due_status": Column(K.TEXT, N_("Visit status"), width=125),
    "days_late": Column(K.COUNT, N_("Days late")),
    # dates and times
    "date": Column(K.DATE, N_("Date")),
    "week": Column(K.DATE, N_("Week (Monday)")),
    # The days of a month that a monthly figure counts (a window's first and last months may be parts of months).
    "first_day": Column(K.DATE, N_("Counted from")),
    "last_day": Column(K.DATE, N_("Counted to")),
    "month": Column(K.MONTH, N_("Month")),
    "last_visit": Column(K.DATE, N_("Last visit")),
    "visit_due": Column(K.DATE, N_("Next visit due"), N_("Last day within the cadence")),
    "visit_date": Column(K.DATE, N_("Visit date")),
    "next_date": Column(K.DATE, N_("Next step due")),
    "changed_on": Column(K.DATE, N_("Changed on")),
    "changed_by": Column(K.TEXT, N_("Changed by")),
    "latest_on": Column(K.DATE, N_("Latest survey")),
    "surveyed_on": Column(K.DATE, N_("Surveyed")),
    "order_date": Column(K.DATE, N_("Order date")),
    "due_on": Column(K.DATE, N_("Payment due")),
    "paid_on": Column(K.DATE, N_("Paid")),
    "created_on": Column(K.DATE, N_("Customer since")),
    "churned_on": Column(K.DATE, N_("Churned on")),
    "opened_at": Column(K.DATETIME, N_("Opened")),
    "responded_at": Column(K.DATETIME, N_("First reply")),
    "resolved_at": Column(K.DATETIME, N_("Resolved")),
    # durations
    "age_hours": Column(K.HOURS, N_("Open for")),
    "age_days": Column(K.DAYS, N_("Open for")),
    "response_hours": Column(K.HOURS, N_("First reply after"), unit=REPLY_UNIT),
    "waiting_hours": Column(K.HOURS, N_("Waiting for a reply"), unit=REPLY_UNIT),
    "resolution_hours": Column(K.HOURS, N_("Resolved after"), unit=RESOLUTION_UNIT),
    "response_median_hours": Column(K.HOURS, N_("First reply, median"), unit=REPLY_UNIT),
    "response_p90_hours": Column(K.HOURS, N_("First reply, 90th percentile"), unit=REPLY_UNIT),
    "resolution_median_hours": Column(K.HOURS, N_("Resolution, median"), unit=RESOLUTION_UNIT),
    "resolution_p90_hours": Column(K.HOURS, N_("Resolution, 90th percentile"), unit=RESOLUTION_UNIT),
    # flags
    "active": Column(K.BOOL, N_("Active")),
    "open": Column(K.BOOL, N_("Open")),
    "executive": Column(K.BOOL, N_("Senior management")),
    "mismatch": Column(K.BOOL, N_("Tier differs")),
    # account health, receivables and retention
    "score_shown": Column(K.POINTS, N_("Health score"), N_("0-100 from five weighted signals")),
    "band": Column(K.TEXT, N_("Health")),
    "band_before": Column(K.TEXT, N_("Health before"), N_("At the previous period's end")),
    "weakest": Column(K.TEXT, N_("Weakest signal"), N_("The signal that costs the score most points")),
    "signal": Column(K.TEXT, N_("Signal")),
    "signal_value": Column(K.PERCENT, N_("Signal value"), N_("100 % is the best; empty when missing")),
    "weight": Column(K.NUMBER, N_("Weight")),
    "points_lost": Column(K.POINTS, N_("Points lost"), N_("Weight × (1 − signal)")),
    "at_risk": Column(K.COUNT, N_("At risk")),
    "watch": Column(K.COUNT, N_("Watch")),
    "healthy": Column(K.COUNT, N_("Healthy")),
    "outstanding": Column(K.MONEY, N_("Outstanding")),
    "overdue_amount": Column(K.MONEY, N_("Overdue receivables")),
    "overdue_receivables": Column(K.MONEY, N_("Overdue receivables")),
    # The overdue by age: a table names each by its band where it knows them (overdue_age_bands).
    "bucket_1": Column(K.MONEY, N_("Overdue, first age band")),
    "bucket_2": Column(K.MONEY, N_("Overdue, second age band")),
    "bucket_3": Column(K.MONEY, N_("Overdue, third age band")),
    "bucket_4": Column(K.MONEY, N_("Overdue, oldest age band")),
    "over_by": Column(K.MONEY, N_("Over the limit by")),
    "max_days_overdue": Column(K.COUNT, N_("Most days overdue")),
    "overdue_accounts": Column(K.COUNT, N_("Accounts overdue")),
    "over_limit_accounts": Column(K.COUNT, N_("Accounts over their limit")),
    "utilisation": Column(K.PERCENT, N_("Limit used"), N_("Outstanding / credit limit, for limits above 0")),
    "age_bucket": Column(K.TEXT, N_("Days overdue")),
    # Two signs whole beside an account at 1366 px (More creditors chasing them; Dumping stock at low prices: 350 px);
    # more are cut at the edge, whole in the CSV and in a chosen visit.
    "signs": Column(K.TEXT, N_("Warning signs"), width=360),
    "churn_reason": Column(K.TEXT, N_("Cause")),
    "lost_revenue": Column(K.MONEY, N_("Lost revenue"), N_("Orders of the 365 days before the account churned")),
    "base": Column(K.COUNT, N_("Bought the year before"), N_("Accounts with an order in the 365 days before")),
    "repeat": Column(K.COUNT, N_("Bought again")),
    "repeat_rate": Column(K.PERCENT, N_("Repeat-purchase rate")),
    # key-account relations
    "no_executive_contact": Column(K.BOOL, N_("No executive contact")),
    "no_executive_visit": Column(K.BOOL, N_("No executive visit in 90 days")),
    "last_executive_visit": Column(K.DATE, N_("Last executive visit")),
    # the admin's tables: users, loads and their rejected rows, the audit log
    "username": Column(K.TEXT, N_("User name")),
    "role": Column(K.TEXT, N_("Role")),
    "email": Column(K.TEXT, N_("E-mail")),
    "demo": Column(K.BOOL, N_("Demo user")),
    "locked_until": Column(K.DATETIME, N_("Locked until")),
    "last_sign_in": Column(K.DATETIME, N_("Last sign-in")),
    "created_at": Column(K.DATETIME, N_("Created")),
    "load_id": Column(K.NUMBER, N_("Load")),
    "loaded_at": Column(K.DATETIME, N_("Loaded")),
    "files": Column(K.TEXT, N_("Files")),
    "rows_read": Column(K.COUNT, N_("Rows read")),
    "rows_loaded": Column(K.COUNT, N_("Rows loaded")),
    "rows_rejected": Column(K.COUNT, N_("Rows rejected")),
    "loaded_by": Column(K.TEXT, N_("Loaded by")),
    "table_name": Column(K.TEXT, N_("Table")),
    "file": Column(K.TEXT, N_("File")),
    "line": Column(K.NUMBER, N_("Line")),
    "row_key": Column(K.TEXT, N_("Row key")),
    "column_name": Column(K.TEXT, N_("Column")),
    "event_id": Column(K.NUMBER, N_("Event")),
    "happened_at": Column(K.DATETIME, N_("When")),
    "action": Column(K.TEXT, NP_("audit log", "Action")),
    "changed": Column(
        K.TEXT,
        NP_("audit log", "Change"),
        N_(
            "The fields the event changed, old → new. The CSV download keeps the records before and after as "
            "stored (JSON), every field exact, for checking by program."
        ),
    ),
    "before": Column(K.TEXT, NP_("audit log", "Before")),
    "after": Column(K.TEXT, NP_("audit log", "After")),
}

# Headers of a column whose name means something else in one table than in COLUMNS: a table passes
# its own as overrides (``table(frame, name, **columns.AUDIT_LOG)``).
# The retention page's side tables, beside their charts: headers short enough that every column shows on a laptop.
CHURNED = {"accounts": Column(K.COUNT, N_("Churned"), N_("Accounts churned"))}
REPEAT = {
    "base": Column(K.COUNT, N_("Bought before"), N_("Accounts with an order in the 365 days before")),
    "repeat_rate": Column(K.PERCENT, N_("Repeat rate"), N_("Bought again / bought before")),
}
# The complaint tables' time columns, shorter than in COLUMNS so that every column shows at 1366 px; the long
# name is the header's help. Their unit is added to the header where shown (in_units).
COMPLAINT_TIMES = {
    "response_median_hours": Column(K.HOURS, N_("Reply, median"), N_("First reply, median"), unit=REPLY_UNIT),
    "response_p90_hours": Column(K.HOURS, N_("Reply, P90"), N_("First reply, 90th percentile"), unit=REPLY_UNIT),
    "resolution_median_hours": Column(K.HOURS, N_("Fix, median"), N_("Resolution, median"), unit=RESOLUTION_UNIT),
    "resolution_p90_hours": Column(K.HOURS, N_("Fix, P90"), N_("Resolution, 90th percentile"), unit=RESOLUTION_UNIT),
}
# Beside an account whole (280 px) the first reply and the wait as short as their unit allows (响应（小时）, Reply
# (hours)).
COMPLAINT_LIST = {
    "response_hours": Column(K.HOURS, NP_("narrow header", "Reply"), N_("First reply after opening"), unit=REPLY_UNIT),
    "waiting_hours": Column(
        K.HOURS, NP_("narrow header", "Waiting"), N_("Waiting for a reply since opening"), unit=REPLY_UNIT
    ),
    "resolution_hours": Column(K.HOURS, N_("Resolved after"), N_("Resolved after opening"), unit=RESOLUTION_UNIT),
    "sla_status": Column(K.TEXT, N_("SLA"), N_("First-reply SLA")),
}
# A table beside its chart has about 350 px at 1366 (kam.ui.widgets.chart_with_table): the accounts it counts
# headed "Accounts", their long name the help.
SIDE_COUNTS = {
    "accounts": Column(K.COUNT, N_("Accounts"), N_("Active accounts")),
    "active_accounts": Column(K.COUNT, N_("Accounts"), N_("Active accounts")),
}
# Health by tier, region and manager beside its chart: the mean health score as "Mean".
HEALTH_SIDE = SIDE_COUNTS | {"mean_score": Column(K.SCORE, NP_("health", "Mean"), N_("Mean health score"))}
# The at-risk and watch accounts' revenue of the last 12 months, as the risk page's caption names it ("revenue at
# stake"): the header short enough for the account whole beside it at 1366 px.
AT_RISK = {"revenue_12m": Column(K.MONEY, NP_("narrow header", "At stake"), N_("Revenue, last 12 months"))}
# The overdue receivables in the credit page's tables, as its card heads them; the amount overdue by age headed by
# its days alone (the long name the help).
OVERDUE = {"overdue_amount": Column(K.MONEY, NP_("receivables", "Overdue"), N_("Overdue receivables"))}


def overdue_age_bands(ageing_days: Mapping[str, int]) -> tuple[str, str, str, str]:
    """The receivables' four age bands (kam.config ageing_days: the first three's last days) named as the open
    complaints' ages are, in the run's language: an en dash between the days, the unit after them: 1–30 days,
    31–60 days, 61–90 days, > 90 days (1–30 天 … > 90 天). The chart, its table, the headers and the CSVs alike."""
    first, second, third = (ageing_days[edge] for edge in ("first", "second", "third"))
    within = _("{first}–{last} days")
    return (
        within.format(first=1, last=first),
        within.format(first=first + 1, last=second),
        within.format(first=second + 1, last=third),
        _("> {days} days").format(days=third),
    )


def overdue_by_age(bands: tuple[str, ...] | list[str]) -> dict[str, Column]:
    """The overdue of each age band (overdue_age_bands) headed by the band: 1–30 days, > 90 days."""
    return {
        f"bucket_{n}": Column(K.MONEY, band, _("Overdue {band}").format(band=band))
        for n, band in enumerate(bands, start=1)
    }


# The satisfaction tables beside their charts: the NPS headed by its letters alone (in Chinese too).
SATISFACTION_SIDE = {"nps": Column(K.NUMBER, NP_("narrow header", "NPS"), N_("Net promoter score, −100 to 100"))}
# A satisfaction drop's scores, short enough for the comment beside them at 1366 px (the comment cut at its
# width on screen, whole in the CSV): the satisfaction page's table, the overview's list and the brief's alike.
SATISFACTION_DROPS = {
    "latest_score": Column(K.COUNT, N_("Score"), N_("Latest score")),
    "previous_score": Column(K.COUNT, NP_("satisfaction drop", "Before"), N_("Previous score")),
}
# A satisfaction drop's columns, in their order on the satisfaction page and in its CSV: the score before, then the
# latest one. The overview lists the same accounts with some of them, in the same order and under the same headers.
SATISFACTION_DROP_COLUMNS = (
    "account_id",
    "name",
    "tier",
    "region",
    "manager_id",
    "latest_on",
    "previous_score",
    "latest_score",
    "fall",
    "reason",
    "latest_comment",
)
# In the CSVs only: the region, and the fall and the reason, which the two scores say.
SATISFACTION_DROPS_IN_DOWNLOAD_ONLY = ("region", "fall", "reason")
# The overview's list (and the brief's): what the satisfaction page shows but what the customer wrote, long text read
# on that page; with the reason the satisfaction page says in its caption.
SATISFACTION_DROPS_LISTED = tuple(
    name for name in SATISFACTION_DROP_COLUMNS if name not in ("region", "fall", "latest_comment")
)
# A plan action's: what is to be done, who does it, and the day it is due by (not a payment's due day).
PLAN_ACTIONS = {
    "description": Column(K.TEXT, N_("Action")),
    "owner": Column(K.TEXT, N_("Owner")),
    "due_on": Column(K.DATE, N_("Due on")),
}
# A manager's worklist, read on a phone (356 px inside a table's border at 390 px wide): the first columns, what the
# manager acts on, read whole beside each other, in rows of up to three lines (WRAPPED_ROW_PX) where a long name goes
# on to the next line and "365 days overdue" under its number; the columns after them start at the screen's edge. On
# one line a row held the account (200 px) and its status (125) only, the name cut and the due date past the edge.
# The name first, its id after it: the grid wraps at spaces, and an id first took a line of its own, a name of 13
# characters two more. On a laptop the grid shares its spare width evenly among the columns.
# The accounts due for a visit: the account, its visit status and its due date (a date takes 85 px).
WORKLIST = {
    "account_id": Column(K.ACCOUNT, N_("Account"), width=150),
    "due_status": replace(COLUMNS["due_status"], width=105),
    "due_date": Column(K.DATE, N_("Due"), width=85),
}
# The follow-ups come due, and the overdue actions of the account plans: the account, the day it was due and what is
# to be done, on three lines (cut at the third; whole on a laptop, and in the CSV).
FOLLOW_UPS = {
    "account_id": WORKLIST["account_id"],
    "next_date": Column(K.DATE, N_("Due"), width=85),
    "next_step": Column(K.TEXT, N_("Next step")),
    "visit_date": Column(K.DATE, N_("Visited")),
}
# The tiers' lists of accounts ranked by revenue (the Pareto's and the review candidates'), in this order: the rank,
# the tier beside the suggested one, then the account, name (id) as every table writes it. On a laptop (about 900 px
# for the table) the account shows a name of 15 characters whole with its id (275 px); on a phone (356 px inside the
# table's border) the rank (50 px, the grid's narrowest), the tiers (as wide as their short headers in either
# language, the long names their help) and the start of the account's name fit, cut at the screen's edge. The grid
# shares a laptop's spare width evenly among the columns: an account kept narrow enough for the tiers to fit beside it
# on a phone (130 px) grew to no more than 188 px at 1366 and cut nearly every name.
TIER_SUGGESTIONS = {
    "tier": Column(K.TEXT, NP_("narrow header", "Tier"), N_("Assigned tier"), width=50),
    "suggested_tier": Column(K.TEXT, NP_("narrow header", "Suggested"), N_("Suggested tier (ABC)"), width=80),
    "account_id": Column(K.ACCOUNT, N_("Account"), width=ACCOUNT_PX),
    # Short enough in English for the review candidates' eight columns to fit with the account at 1366 px.
    "revenue_12m": Column(K.MONEY, NP_("narrow header", "Revenue, 12 months"), N_("Revenue, last 12 months")),
}
# The columns both lists start with, in their order on screen and in their CSVs.
TIER_SUGGESTION_COLUMNS = ("rank", "tier", "suggested_tier", "account_id", "name")
MY_PLAN_ACTIONS = PLAN_ACTIONS | {
    "account_id": FOLLOW_UPS["account_id"],
    "due_on": replace(PLAN_ACTIONS["due_on"], width=85),
}
# The audit log fits 1366 px beside the sidebar (about 900 px for the table): the short columns as wide as their
# longest cell in either language (an action reads 账户计划状态变更 or Account plan status changed), the user name whole
# (USERNAME_PX: demo-admin was cut, demo-admir), the target and the change the rest, cut at their edge and whole in a
# chosen event (record_table) and in the CSV.
AUDIT_LOG = {
    "event_id": replace(COLUMNS["event_id"], width=75),
    "happened_at": replace(COLUMNS["happened_at"], width=125),
    "username": replace(COLUMNS["username"], width=USERNAME_PX),
    "action": replace(COLUMNS["action"], width=175),
    "target": Column(K.TEXT, NP_("audit log", "Target"), width=150),
    "changed": replace(COLUMNS["changed"], width=245),
}
# One account's visits (the account view's list) at 1366 px: the short columns whole in either language, the purpose
# as the visit form names its step (6 Letter: thank again, invite repurchase: 243 px), then what people typed, the
# notes and the next step, cut at their width. A chosen visit reads whole under the list (in_full). The visit form's
# recent visits show the purpose as wide.
VISIT_LIST = {
    "channel": replace(COLUMNS["channel"], width=80),
    "purpose": replace(COLUMNS["purpose"], width=250),
    "executive": Column(K.BOOL, N_("Executive"), N_("Senior management"), width=75, narrow=True),
    "notes": replace(COLUMNS["notes"], width=180),
    "next_date": Column(K.DATE, N_("Due"), N_("Next step due"), width=85, narrow=True),
}
# A year's account plans: the revenue of the year so far against the plan's goal (not a period's revenue).
PLAN_PROGRESS = {
    "revenue_goal": Column(K.MONEY, N_("Revenue goal")),
    "revenue": Column(K.MONEY, N_("Revenue so far")),
    "goal_share": Column(K.PERCENT, N_("Of the goal")),
    "actions_done": Column(K.COUNT, N_("Actions done")),
    "actions_overdue": Column(K.COUNT, N_("Actions overdue")),
}
# Every load, landed or refused, at 1366 px beside the sidebar (about 900 px for the table): the short columns whole in
# either language, when, the outcome, the rows loaded and rejected, who (USERNAME_PX), then why a refused load was
# refused, cut at the table's edge rather than pushed past the screen by the files (accounts.csv, …, visits.csv:
# 500 px). Where the files came from, the files and the rows read are in the CSV and in a chosen load (record_table),
# with the reason whole.
LOAD_HISTORY = {
    "load_id": replace(COLUMNS["load_id"], width=75),
    "loaded_at": replace(COLUMNS["loaded_at"], width=125),
    "outcome": Column(K.TEXT, NP_("data load", "Outcome"), width=75),
    "rows_loaded": replace(COLUMNS["rows_loaded"], width=95),
    "rows_rejected": replace(COLUMNS["rows_rejected"], width=100),
    "loaded_by": replace(COLUMNS["loaded_by"], width=USERNAME_PX),
    "reason": Column(K.TEXT, NP_("data load", "Why refused"), width=305),
    "source": Column(K.TEXT, NP_("data load", "Source")),
}
LOAD_HISTORY_IN_DOWNLOAD_ONLY = ("source", "files", "rows_read")
# A user's own name, shown though the user has a manager id (whose name it is not).
# Active, for a user, is whether they may sign in (not the accounts' 在册).
# At 1366 px (about 900 px for the table) every column has its width, the grid sizing a column by its first rows only
# (the last sign-in was cut, 2026-11-27 1): the user name whole (USERNAME_PX), a full name of 6 Chinese characters or
# 13 letters (Administrator), the times, and an e-mail of 16 characters, a longer one whole in the form that changes
# the user and in the CSV. Whether a user is a demo user and when they were added: in the CSV only.
USERS = {
    "username": replace(COLUMNS["username"], width=USERNAME_PX),
    "name": Column(K.TEXT, N_("Full name"), width=110),
    "role": replace(COLUMNS["role"], width=120),
    "email": replace(COLUMNS["email"], width=130),
    "active": Column(K.BOOL, N_("May sign in"), width=85),
    "note": Column(K.TEXT, N_("Note")),
    "locked_until": replace(COLUMNS["locked_until"], width=120),
    "last_sign_in": replace(COLUMNS["last_sign_in"], width=120),
}
USERS_IN_DOWNLOAD_ONLY = ("demo", "created_at")
# Why a user may not sign in, where the data says so: a demo user retired by a load (kam.people.users.users).
RETIRED_DEMO = N_("Retired by the first load of real exports")


def users_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """The users as the admin's table lists them: a retired demo user's note says why they may not sign in (the
    column is left out while no user has one, as before the first load of real exports)."""
    if not frame["retired_demo"].any():
        return frame.drop("retired_demo")
    note = pl.when(pl.col("retired_demo")).then(pl.lit(_(RETIRED_DEMO))).otherwise(pl.lit(None, pl.String))
    shown = frame.with_columns(note=note).drop("retired_demo")
    at = shown.columns.index("active") + 1
    return shown.select([*shown.columns[:at], "note", *[c for c in shown.columns[at:] if c != "note"]])


# A tier as it reads where there is room: the letter and its name (GLOSSARY.md: A类 · 重点客户 …).
TIER_NAMES = {"A": N_("A · key account"), "B": N_("B · general account"), "C": N_("C · potential account")}


def tier_name(tier: str) -> str:
    """A tier's letter and name in the run's language; an unknown code as it is."""
    return _(TIER_NAMES[tier]) if tier in TIER_NAMES else tier


# The tables entered in the app as the admin reads them; the ZIP of them names its files by the table.
APP_TABLE_NAMES = {
    "visits_app": N_("Visits entered in the app"),
    "contacts_app": N_("Contacts entered in the app"),
    "account_plans": N_("Account plans"),
    "plan_actions": N_("Account plan actions"),
    "plan_status_history": N_("Account plan status history"),
    "quarterly_reviews": N_("Quarterly reviews"),
    "targets_app": N_("Annual targets entered in the app"),
}


def app_tables_shown(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Each table entered in the app by its name in the run's language, with its rows."""
    return pl.DataFrame(
        {
            "table": [_(APP_TABLE_NAMES[name]) if name in APP_TABLE_NAMES else name for name in tables],
            "rows": [frame.height for frame in tables.values()],
        },
        schema={"table": pl.String, "rows": pl.Int64},
    )


# Codes of our own shown by their label in the user's language (data values stay as they are).
BAND_LABELS = {"at_risk": N_("At risk"), "watch": N_("Watch"), "healthy": N_("Healthy")}
# Each signal is 0-1 with 1 the best: named for what a high value means, so that "100 %" reads as good.
SIGNAL_LABELS = {
    "visits": N_("Visits on schedule"),
    "revenue": N_("Revenue kept"),
    "complaints": N_("Complaints clear"),
    "satisfaction": N_("Satisfaction"),
    "credit": N_("Credit in order"),
}
# The vocabulary's English labels, marked here for the catalogs (kam.vocabulary sits below kam.i18n's reach).
CHURN_REASON_LABELS = {
    "price": NP_("churn cause", "Price"),
    "product": NP_("churn cause", "Product"),
    "market": NP_("churn cause", "Market"),
    "service": NP_("churn cause", "Service"),
    "technology": NP_("churn cause", "Technology"),
    "organization": NP_("churn cause", "Organization"),
}
WARNING_SIGN_LABELS = {
    "creditors": N_("More creditors chasing them"),
    "owner_unreachable": N_("The owner avoids meetings"),
    "dumping": N_("Dumping stock at low prices"),
    "internal_conflict": N_("Internal conflict"),
    "staff_turnover": N_("Staff leaving"),
    "business_shift": N_("The main business shifting"),
}
# A visit's channel as it reads (kam.vocabulary.CHANNEL_TERMS; the glossary's Chinese).
CHANNEL_NAMES = {
    "in_person": N_("In person"),
    "phone": N_("Phone"),
    "video": N_("Video"),
    "email": N_("Email"),
    "mail": N_("Letter"),
}
# A user's role as the screen names it (kam.people.users names roles by these too).
ROLE_NAMES = {"vp": N_("Sales VP"), "manager": N_("Account manager"), "admin": N_("Administrator")}
# What an event of the audit log did (kam.store.audit.record's action codes).
AUDIT_ACTIONS = {
    "load": NP_("audit action", "Exports loaded"),
    "load.failed": NP_("audit action", "Load failed"),
    "backup": NP_("audit action", "Backup made"),
    "restore": NP_("audit action", "Backup restored"),
    "brief.schedule": NP_("audit action", "Brief schedule changed"),
    "brief.sent": NP_("audit action", "Brief sent"),
    "brief.failed": NP_("audit action", "Brief not sent"),
    "brief.skipped": NP_("audit action", "Brief skipped"),
    "target.set": NP_("audit action", "Annual target set"),
    "review.save": NP_("audit action", "Quarterly review saved"),
    "contact.create": NP_("audit action", "Contact added"),
    "contact.edit": NP_("audit action", "Contact changed"),
    "plan.save": NP_("audit action", "Account plan saved"),
    "plan.status": NP_("audit action", "Account plan status changed"),
    "plan_action.add": NP_("audit action", "Plan action added"),
    "plan_action.status": NP_("audit action", "Plan action status changed"),
    "visit.create": NP_("audit action", "Visit logged"),
    "visit.edit": NP_("audit action", "Visit changed"),
    "visit.delete": NP_("audit action", "Visit deleted"),
    "sign_in": NP_("audit action", "Signed in"),
    "sign_in.failed": NP_("audit action", "Sign-in failed"),
    "sign_in.locked": NP_("audit action", "Sign-in locked out"),
    "sign_in.expired": NP_("audit action", "One-time password expired"),
    "sign_out": NP_("audit action", "Signed out"),
    "session.start": NP_("audit action", "Session started"),
    "session.end": NP_("audit action", "Session ended"),
    "user.add": NP_("audit action", "User added"),
    "user.change": NP_("audit action", "User changed"),
    "user.password": NP_("audit action", "Password set"),
    "user.unlock": NP_("audit action", "User unlocked"),
    "user.language": NP_("audit action", "Language changed"),
    "user.retire_demo": NP_("audit action", "Demo users retired"),
}
# Where a row came from: a visit or a target entered in the dashboard or loaded from the exports; a load's
# files uploaded (a folder's load keeps its path).
SOURCE_LABELS = {"app": N_("This dashboard"), "import": N_("Loaded exports"), "upload": N_("Uploaded files")}
# An account plan's status (kam.relations.rules.PLAN_STATUSES) and a plan action's (ACTION_STATUSES): no code is
# both, so that a status column reads by its words whichever it holds. An action still to do is "Open" in its own
# context: in Chinese it is not an open complaint's or order's 未结.
PLAN_STATUS_LABELS = {"draft": N_("Draft"), "shared": N_("Shared"), "agreed": N_("Agreed"), "closed": N_("Closed")}
ACTION_STATUS_LABELS = {"open": NP_("plan action", "Open"), "done": N_("Done"), "dropped": N_("Dropped")}
# A contact's level and buying role (kam.store.schema.CONTACT_LEVELS, CONTACT_ROLES): a contact's "manager" is
# middle management, not the user role, and a contact's role is not a user's (ROLE_NAMES).
CONTACT_LEVEL_LABELS = {"executive": N_("Executive"), "manager": N_("Middle management"), "staff": N_("Staff")}
CONTACT_ROLE_LABELS = {
    "decision_maker": N_("Decision maker"),
    "influencer": N_("Influencer"),
    "user": NP_("buying role", "User"),
    "other": N_("Other"),
}
DIRECTION_LABELS = {"upgrade": N_("upgrade"), "downgrade": N_("downgrade")}
# A visit's purpose as stored (the CRM's text of a follow-up step, 4 当面满意度调查) is shown as the visit form
# names the step, in the reader's language: 4 In person: satisfaction survey. Free text stays as typed.
PURPOSE_STEPS = {step.stored: step for step in FOLLOW_UP_STEPS}
CODE_LABELS: dict[str, Mapping[str, str | FollowUpStep]] = {
    "sla_status": {"met": N_("met"), "breached": N_("breached"), "pending": N_("pending")},
    "direction": DIRECTION_LABELS,
    "change": DIRECTION_LABELS,
    "source": SOURCE_LABELS,
    "status": PLAN_STATUS_LABELS | ACTION_STATUS_LABELS,
    "age_band": {
        "< 1 day": N_("< 1 day"),
        "1–3 days": N_("1–3 days"),
        "3–7 days": N_("3–7 days"),
        "7–30 days": N_("7–30 days"),
        "> 30 days": N_("> 30 days"),
    },
    "band": BAND_LABELS,
    "band_before": BAND_LABELS,
    "weakest": SIGNAL_LABELS,
    "signal": SIGNAL_LABELS,
    "churn_reason": CHURN_REASON_LABELS,
    "signs": WARNING_SIGN_LABELS,
    "severity": {"low": N_("low"), "medium": N_("medium"), "high": N_("high")},
    "channel": CHANNEL_NAMES,
    "last_channel": CHANNEL_NAMES,
    "role": ROLE_NAMES,
    "action": AUDIT_ACTIONS,
    "purpose": PURPOSE_STEPS,
}


def _said(label: str | FollowUpStep) -> str:
    """A code's label in the run's language; a follow-up step with its number."""
    return f"{label.number} {_(label.en)}" if isinstance(label, FollowUpStep) else _(label)


def label_of(column: str, code: str) -> str:
    """The label of one of our codes (a health band, a signal, a churn cause, a warning sign), translated."""
    label = CODE_LABELS.get(column, {}).get(code)
    return _said(label) if label else code


def labelled(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with our codes shown by their labels; a list of codes (the warning signs) joined into one text."""
    changes = []
    for name, labels in CODE_LABELS.items():
        if name not in frame.columns:
            continue
        shown = {code: _said(label) for code, label in labels.items()}
        dtype = frame.schema[name]
        if isinstance(dtype, pl.List):
            changes.append(
                pl.col(name)
                .list.eval(pl.element().replace_strict(shown, default=pl.element(), return_dtype=pl.String))
                .list.join(_("; "))
            )
        elif dtype == pl.String:
            changes.append(pl.col(name).replace_strict(shown, default=pl.col(name), return_dtype=pl.String))
    for name in TEXT_LISTS:
        if name in frame.columns and isinstance(frame.schema[name], pl.List):
            changes.append(pl.col(name).list.join(_("; ")))
    return frame.with_columns(changes) if changes else frame


# Columns of several texts of data (a visit's contacts met, by name), joined into one text as the signs are.
TEXT_LISTS = ("contacts",)
# What a column override may be: a header, a Column, None to leave the column out, or (from
# the user interface) a ready display setting.
Override = str | Column | Mapping | None
DAYS_FROM_HOURS = 48
_SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
_ID_IN_LABEL = re.compile(r"\(([^()]+)\)$")


# The quarter's figures as the reviews page heads them (its table, a signed-off review's kept figures, the audit log):
# the registry's columns, two of them named more fully beside the others.
REVIEW_HEADERS = {"visit_coverage": N_("Visit coverage"), "sla_met_pct": N_("Complaint SLA met")}


def review_headers() -> dict[str, str]:
    """The reviews page's own headers, in the run's language (overrides of the registry's)."""
    return {name: _(label) for name, label in REVIEW_HEADERS.items()}


def review_figure(name: str) -> Column:
    """A quarter figure's column (its kind and header) as the reviews page heads it."""
    spec = column(name)
    return replace(spec, label=_(REVIEW_HEADERS[name])) if name in REVIEW_HEADERS else spec


def column(name: str, dtype: pl.DataType | None = None) -> Column:
    """The column's kind and header (in the run's language); a flag column is a flag whatever its name, an
    unknown one text."""
    known = _translated(COLUMNS.get(name))
    if dtype == pl.Boolean:
        return Column(Kind.BOOL, known.label if known else _human(name))
    if known is not None:
        if known.kind in (Kind.DATE, Kind.MONTH) and dtype is not None and dtype == pl.String:
            return Column(Kind.TEXT, known.label, known.help)
        return known
    if dtype is not None and dtype.is_temporal():
        return Column(Kind.DATETIME if isinstance(dtype, pl.Datetime) else Kind.DATE, _human(name))
    if dtype is not None and dtype.is_numeric():
        return Column(Kind.COUNT if dtype.is_integer() else Kind.SCORE, _human(name))
    return Column(Kind.TEXT, _human(name))


def _translated(spec: Column | None) -> Column | None:
    if spec is None:
        return None
    return replace(spec, label=_(spec.label), help=_(spec.help) if spec.help else None)


def _human(name: str) -> str:
    return name.replace("_", " ").capitalize()


def is_raw_header(text: str) -> bool:
    """Whether a header reads like a database column (snake_case) rather than words."""
    return bool(_SNAKE.match(text))


def plan(frame: pl.DataFrame, overrides: Mapping[str, Override] | None = None) -> dict[str, Column]:
    """Each column shown, in order, with its kind and header; names beside ids take the name's place."""
    overrides = overrides or {}
    shown: dict[str, Column] = {}
    for name, dtype in frame.schema.items():
        if name in overrides and overrides[name] is None:
            continue
        if name == "name" and name not in overrides and _name_carried(frame, overrides):
            continue  # read in the id's column: name (id)
        base = column(name, dtype)
        override = overrides.get(name)
        if isinstance(override, Column):
            base = _translated(override)
        elif isinstance(override, str):
            base = replace(base, label=_(override))
        elif isinstance(override, Mapping) and override.get("label"):
            base = Column(base.kind, override["label"], base.help)  # a display setting given as it is
        shown[name] = base
    return shown


def _name_carried(frame: pl.DataFrame, overrides: Mapping[str, Override]) -> bool:
    """Whether the name column is the account's (or, with no account, the manager's) shown beside its id."""
    owner = "account_id" if "account_id" in frame.columns else "manager_id"
    return owner in frame.columns and not (owner in overrides and overrides[owner] is None)


def readable(frame: pl.DataFrame, managers: Mapping[str, str] | None = None) -> pl.DataFrame:
    """The frame with names beside ids: manager_id as 徐军 (M01), account_id as name (id) when the name is there,
    coded text (an SLA status, an age band) as it reads.

    Idempotent: an id already shown with its name, or one not in `managers`, is left as it is.
    """
    frame = labelled(frame)
    columns = []
    if "manager_id" in frame.columns and managers and frame.schema["manager_id"] == pl.String:
        names = pl.col("manager_id").replace_strict(dict(managers), default=None, return_dtype=pl.String)
        columns.append(
            pl.when(names.is_not_null())
            .then(names + " (" + pl.col("manager_id") + ")")
            .otherwise(pl.col("manager_id"))
            .alias("manager_id")
        )
    if "account_id" in frame.columns and "name" in frame.columns:
        columns.append(
            pl.when(pl.col("name").is_not_null() & ~pl.col("account_id").str.ends_with(")"))
            .then(pl.col("name") + " (" + pl.col("account_id") + ")")
            .otherwise(pl.col("account_id"))
            .alias("account_id")
        )
    return frame.with_columns(columns) if columns else frame


def written_out(overrides: Mapping[str, Override]) -> dict[str, Override]:
    """A table's overrides as a row read whole heads its lines (in_full): a narrow header by its full name."""
    return {
        name: replace(spec, label=spec.help) if isinstance(spec, Column) and spec.narrow and spec.help else spec
        for name, spec in overrides.items()
    }


def in_full(row: Mapping[str, Any], shown: Mapping[str, Column]) -> list[str]:
    """A row read whole, a line for each column shown (plan): 'Notes: …' however long, each value as a table shows
    it (2026-11-03, Yes), a text as typed."""
    return [_("{field}: {value}").format(field=spec.label, value=text(spec, row[name])) for name, spec in shown.items()]


def value_names(column: str) -> dict[str, str]:
    """A coded column's codes and how each reads in the run's language (empty for a column of data)."""
    return {code: _(text) for code, text in CODE_LABELS.get(column, {}).items()}


def id_of(label: str) -> str:
    """The id in a label 'name (id)'; the label itself if it carries none."""
    found = _ID_IN_LABEL.search(label.strip())
    return found.group(1) if found else label


def duration(hours: float | None) -> str:
    """A duration as it reads: '13.0 h' under 48 hours, else days, '3.2 d' (never thousands of hours)."""
    if hours is None or hours != hours:
        return MISSING
    return _duration(float(hours), i18n.language())


# A table of thousands of ages is formatted on every run of its page: the same value reads the same.
@functools.lru_cache(maxsize=100_000)
def _duration(hours: float, language: str) -> str:
    if abs(hours) < DAYS_FROM_HOURS:
        return _("{hours} h").format(hours=number(hours, 1))
    return _("{days} d").format(days=number(hours / 24, 1))


def duration_days(days: float | None) -> str:
    return duration(None if days is None else days * 24)


DAY_HOURS = 24
# The decimals a duration reads with in its column's unit: on the screen, in the brief and in the CSV alike.
DURATION_DIGITS = 1


def duration_units(frame: pl.DataFrame, shown: Mapping[str, Column]) -> dict[str, str]:
    """The one unit each duration column of a table reads in: days when its median is a day or more, else hours
    (a column mixing 40.0 h and 20.6 d would compare badly)."""
    # By the median, not the longest: one slow reply turned a column of first replies, read against the
    # 24-hour target, into 0.0, 0.1 days. The median reads most values well whatever the column measures;
    # kam has no target for resolution to choose a unit by, only the first reply's sla_hours.
    units = {}
    for name, spec in shown.items():
        if spec.kind not in (Kind.HOURS, Kind.DAYS) or not frame.schema[name].is_numeric():
            continue
        if spec.unit is not None:
            units[name] = spec.unit
            continue
        middle = frame[name].abs().median()
        in_hours = (middle or 0) * (DAY_HOURS if spec.kind == Kind.DAYS else 1)
        units[name] = DAYS_UNIT if in_hours >= DAY_HOURS else HOURS_UNIT
    return units


def figure_duration(name: str, value: float | None) -> str:
    """A duration of column `name` (in hours) on a card, in the unit its tables read it in where that is fixed
    (Column.unit): Resolution, median 2.6 d as its column reads 2.6 (days); 13.0 h otherwise."""
    spec = COLUMNS.get(name)
    if value is None or value != value:
        return MISSING
    if spec is not None and spec.unit == DAYS_UNIT:
        return _("{days} d").format(days=number(value / DAY_HOURS, DURATION_DIGITS))
    return hours(value, DURATION_DIGITS)


def in_units(
    frame: pl.DataFrame, shown: Mapping[str, Column], units: Mapping[str, str] | None = None
) -> tuple[pl.DataFrame, dict[str, Column]]:
    """The table's duration columns in their unit (duration_units, unless given for the whole of a table of
    which frame is a part), rounded to the decimals they read with, each header saying it: Open for (days) 20.6,
    1.7. The values are those the screen, the brief and the download show alike."""
    units = duration_units(frame, shown) if units is None else units
    converted, specs = [], dict(shown)
    for name, unit in units.items():
        if name not in shown:
            continue
        spec = shown[name]
        hours = pl.col(name) * (DAY_HOURS if spec.kind == Kind.DAYS else 1)
        in_unit = hours / DAY_HOURS if unit == DAYS_UNIT else hours
        converted.append(in_unit.cast(pl.Float64).round(DURATION_DIGITS).alias(name))
        header = _("{header} (days)") if unit == DAYS_UNIT else _("{header} (hours)")
        specs[name] = Column(Kind.DURATION, header.format(header=spec.label), spec.help)
    return (frame.with_columns(converted) if converted else frame), specs


def share_as_shown(name: str, digits: int = 1) -> pl.Expr:
    """The share in column `name` rounded to the percent digits it is shown with, as formats.percent rounds it
    (half to even on its decimal digits): a table's percent format cuts further digits off instead (0.8888 would
    read 88.8% beside a card's 88.9%)."""
    scaled = pl.col(name) * 10 ** (digits + 2)
    below = scaled.floor()
    # A share written with one more digit ending in 5 (0.8875) is a binary fraction off that half either way.
    half = (scaled - below - 0.5).abs() < 1e-6
    even = below + (below % 2)
    return pl.when(half).then(even).otherwise(scaled.round(0)) / 10 ** (digits + 2)


# Kinds whose values are figures: right-aligned where a table is written out as text.
FIGURES = frozenset(
    {Kind.MONEY, Kind.PERCENT, Kind.SCORE, Kind.COUNT, Kind.NUMBER, Kind.POINTS, Kind.HOURS, Kind.DAYS, Kind.DURATION}
)


def text(spec: Column, value: Any) -> str:
    """One cell as a table shows it, in the run's language, where the table is written out as text (the weekly
    brief): money ¥9,000, shares 81.8%, dates 2026-11-20, durations 13.0 h / 3.2 d, flags Yes / No."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    match spec.kind:
        case Kind.MONEY:
            return formats.money(value)
        case Kind.PERCENT:
            return formats.percent(value)
        case Kind.SCORE:
            return number(value, 2)
        case Kind.POINTS:
            return number(value, 1)
        case Kind.DURATION:
            return number(value, DURATION_DIGITS)
        case Kind.COUNT | Kind.NUMBER:
            return number(value)
        case Kind.HOURS:
            return duration(value)
        case Kind.DAYS:
            return duration_days(value)
        case Kind.DATE if isinstance(value, date):
            return formats.table_date(value)
        case Kind.MONTH if isinstance(value, date):
            return f"{value:%Y-%m}"
        case Kind.DATETIME if isinstance(value, datetime):
            return day_time(value)
        case Kind.BOOL:
            return _("Yes") if value else _("No")
    return str(value)


# Rows a table shows before it scrolls; under that it is as tall as its rows.
VISIBLE_ROWS = 12
ROW_PX, HEADER_PX = 35, 38
# The rows of a table whose cells wrap onto up to three lines: the grid wraps a cell's text only in rows taller
# than 64 px.
WRAPPED_ROW_PX = 72


def height(rows: int, row_px: int = ROW_PX) -> int | str:
    """A table's height: its rows' when they fit, else a fixed height that scrolls."""
    return "content" if rows <= VISIBLE_ROWS else HEADER_PX + row_px * VISIBLE_ROWS


def for_csv(frame: pl.DataFrame, overrides: Mapping[str, Override] | None = None) -> pl.DataFrame:
    """The frame as a spreadsheet should read it: human headers, money and figures to 2 decimals,
    shares as percent numbers, durations as the table shows them (in_units: each column in its one unit, which
    its header names, Open for (days) 900.4), dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM:SS, flags as
    Yes / No (a checkbox on the screen)."""
    frame = readable(frame)
    # The units chosen over every row, as the page chooses them for the whole table it shows a page of.
    frame, shown = in_units(frame, plan(frame, overrides))
    out = []
    used: set[str] = set()
    for name, spec in shown.items():
        value = pl.col(name)
        header = spec.label
        dtype = frame.schema[name]
        if spec.kind == Kind.PERCENT and dtype.is_numeric():
            value, header = (value * 100).round(2), _("{header} (%)").format(header=header)
        elif spec.kind == Kind.DURATION:
            pass  # in its unit and rounded as shown, its header naming the unit
        elif dtype == pl.Boolean:
            value = pl.when(value).then(pl.lit(_("Yes"))).when(~value).then(pl.lit(_("No")))
        elif dtype.is_float():
            value = value.round(2)
        elif isinstance(dtype, pl.Datetime):
            value = value.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif dtype == pl.Date:
            value = value.dt.strftime("%Y-%m" if spec.kind == Kind.MONTH else "%Y-%m-%d")
        while header in used:
            header += " "
        used.add(header)
        out.append(value.alias(header))
    return frame.select(out)
