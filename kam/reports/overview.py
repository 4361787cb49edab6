"""What the overview page computes: its attention lists and every metric call it makes for a scope.

Kept apart from the page so that the server can compute the default view before anyone asks
(kam.ui.warmup), with the very calls the page makes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kam.i18n import N_
from kam.metrics import attention, relations, revenue
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.reports.snapshot import headline_figures

Call = tuple[Callable[..., Any], Scope, dict[str, Any]]

# Title, metric, and the name of its table's download.
SECTIONS = [
    (N_("A-accounts overdue for a visit"), attention.overdue_key_accounts, "overdue-a-accounts"),
    (N_("Complaints past SLA, still open"), attention.open_breaches, "open-breaches"),
    (N_("Satisfaction drops"), attention.satisfaction_drops, "satisfaction-drops"),
    (N_("Managers behind pace"), attention.managers_behind_pace, "managers-behind-pace"),
    (N_("Accounts fallen into at-risk"), attention.fell_into_at_risk, "fell-into-at-risk"),
    (N_("Accounts over their credit limit"), attention.over_credit_limit, "over-credit-limit"),
    (N_("Overdue plan actions"), attention.overdue_plan_actions, "overdue-plan-actions"),
    (N_("A-accounts without executive ties"), attention.key_accounts_without_executive_ties, "executive-ties"),
]


def year_to_date(scope: Scope) -> Scope | None:
    """The year to date up to the scope's as-of date, shown beside a shorter period (None when it is the period)."""
    start, end = period_bounds("ytd", scope.as_of)
    return scope.with_period(start, end) if scope.start != start else None


def calls(scope: Scope) -> list[Call]:
    """Every metric call of the overview for the scope (before a click on a month), in the order worth computing."""
    year = year_to_date(scope)
    return [
        (headline_figures, scope, {}),
        *(((headline_figures, year, {}),) if year else ()),
        (headline_figures, scope.previous(), {}),
        (attention.open_breaches, scope.previous(), {}),
        (revenue.revenue_by_month, scope, {}),
        (relations.relationship_coverage, scope, {}),
        *((metric, scope, {}) for _title, metric, _name in SECTIONS),
    ]
