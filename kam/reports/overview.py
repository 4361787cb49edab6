"""What the overview page computes: its attention lists and every metric call it makes for a scope.

Kept apart from the page so that the server can compute the default view before anyone asks
(kam.ui.warmup), with the very calls the page makes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from kam.i18n import N_, NF_
from kam.metrics import attention, relations, revenue
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.present import columns
from kam.present.columns import Override
from kam.reports.snapshot import headline_figures

Call = tuple[Callable[..., Any], Scope, dict[str, Any]]


class Section(NamedTuple):
    """An attention list: its title, its metric, the name of its table's download, whether its rows are what stood
    at the end of the as-of date rather than the period's (its download is then named by that day), and the
    headers its table reads with where the registry's mean something else (on the page, in its CSV and in the brief
    alike)."""

    title: str
    metric: Callable[..., Any]
    download: str
    at_as_of: bool
    headers: Mapping[str, Override] = {}


SECTIONS = [
    Section(N_("A-accounts overdue for a visit"), attention.overdue_key_accounts, NF_("overdue-a-accounts"), True),
    # Open at D whenever opened (since 2024, say): named by the period, they read as the period's complaints.
    Section(N_("Complaints past SLA, still open"), attention.open_breaches, NF_("open-breaches"), True),
    # Headed as the satisfaction page heads its table of drops. Its reason shown: without the page's caption beside
    # it, "Before 2 · Score 2" read as a drop that was none (the score of 2 or less lists it).
    Section(
        N_("Satisfaction drops"),
        attention.satisfaction_drops,
        NF_("satisfaction-drops"),
        True,
        columns.SATISFACTION_DROPS,
    ),
    # The period's revenue against its target, and the accounts that moved into at-risk in the period.
    Section(N_("Managers behind pace"), attention.managers_behind_pace, NF_("managers-behind-pace"), False),
    Section(N_("Accounts fallen into at-risk"), attention.fell_into_at_risk, NF_("fell-into-at-risk"), False),
    Section(N_("Accounts over their credit limit"), attention.over_credit_limit, NF_("over-credit-limit"), True),
    Section(
        N_("Overdue plan actions"),
        attention.overdue_plan_actions,
        NF_("overdue-plan-actions"),
        True,
        columns.PLAN_ACTIONS,
    ),
    Section(
        N_("A-accounts without executive ties"),
        attention.key_accounts_without_executive_ties,
        NF_("executive-ties"),
        True,
    ),
]


def section_of(metric: Callable[..., Any]) -> Section:
    """The attention list of this metric: another page showing the same list shows it as the overview does."""
    return next(section for section in SECTIONS if section.metric is metric)


def lists_accounts(section: Section) -> bool:
    """Whether each row of the attention list is one account's (a click on it opens the account): all but the
    managers behind pace."""
    return section.metric in attention.OF_ONE_ACCOUNT_EACH


def of_one_manager(role: str, scope: Scope) -> bool:
    """Whether every account the user sees here is one manager's: a manager's own, or the filters name one."""
    return role == "manager" or len(scope.managers) == 1


def off_screen(section: Section, one_manager: bool) -> tuple[str, ...]:
    """Columns of an attention list that only its download keeps: the manager beside each account when every
    account is one manager's (a manager's own, or the filters name one); on a phone they push the rest aside."""
    return ("manager_id",) if one_manager and section.metric is not attention.managers_behind_pace else ()


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
        *((section.metric, scope, {}) for section in SECTIONS),
    ]
