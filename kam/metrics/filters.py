"""The dashboard's shared filters (bound to the URL by the sidebar widgets), the scope they make, and how a
scope's filters read in a heading and in a download's file name (in the run's language: a Chinese screen
downloads 周报_2026-11-16_2026-11-22_区域-华东.html where an English one downloads
weekly-brief_2026-11-16_2026-11-22_region-华东.html)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kam.config import Settings, settings
from kam.i18n import FILE_NAME, N_, NP_, _, pgettext
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.present.formatting import beside_id


@dataclass(frozen=True)
class Filters:
    """What the sidebar chose: as-of date, named period (or a custom range), regions, managers, tiers."""

    as_of: date
    period: str = "ytd"
    start: date | None = None
    end: date | None = None
    regions: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()

    def bounds(self) -> tuple[date, date]:
        """The period's first and last day."""
        if self.period == "custom" and self.start and self.end:
            return self.start, self.end
        return period_bounds("ytd" if self.period == "custom" else self.period, self.as_of)

    def scope(self, allowed_accounts: frozenset[str] | None = None, policy: Settings | None = None) -> Scope:
        """The scope of these filters, as of the earlier of the as-of date and the period's end.

        Point-in-time figures (active accounts, tiers, coverage, overdue) are taken at the
        period's end, so that last week compares like with like against the week before.
        """
        start, end = self.bounds()
        return Scope(
            as_of=min(self.as_of, end),
            start=start,
            end=end,
            regions=self.regions,
            managers=self.managers,
            tiers=self.tiers,
            allowed_accounts=allowed_accounts,
            policy=policy or settings(),
        )


# Characters no file name may hold: control characters, path separators, those Windows
# refuses, and white space (kept out so that the name survives a shell or a mail client).
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\s]+')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# Beyond this many chosen values, a file name gives their number instead of the values.
_NAMED_IN_FILE = 3
_VALUE_IN_FILE = 30
_LABELS = {"region": N_("Region"), "manager": N_("Manager"), "tier": N_("Tier")}
# How each filter, and a manager's own accounts, read in a file name (the context is FILE_NAME, written out for
# the catalogs).
_IN_FILE_NAMES = {
    "region": NP_("file name", "region"),
    "manager": NP_("file name", "manager"),
    "tier": NP_("file name", "tier"),
}
_OWN_ACCOUNTS = NP_("file name", "own-accounts")
_CHOSEN = NP_("file name", "{count}-chosen")
# How a file name says the days its rows are of, when they are not the period's: every row up to a day whatever the
# first, or what stood at the end of a day.
_UP_TO = NP_("file name", "up-to-{day}")
_AT = NP_("file name", "at-{day}")


@dataclass(frozen=True)
class ScopeDescription:
    """Which filters made a scope's figures: the period, each filter that was set, whether access narrowed it."""

    start: date
    end: date
    chosen: tuple[tuple[str, tuple[str, ...]], ...]
    own_accounts_only: bool

    def heading(self, managers: Mapping[str, str] | None = None) -> str:
        """E.g. '2026-11-16 – 2026-11-22 · Region 华东 · Manager 徐军 (M01) · Tier A', each manager by their name in
        `managers` beside their id."""
        managers = managers or {}
        parts = [_("{start} – {end}").format(start=f"{self.start:%Y-%m-%d}", end=f"{self.end:%Y-%m-%d}")]
        parts += [
            f"{_(_LABELS[kind])} "
            + ", ".join(
                _CONTROL.sub(" ", beside_id(managers.get(v), v) if kind == "manager" else v).strip() for v in values
            )
            for kind, values in self.chosen
        ]
        if self.own_accounts_only:
            parts.append(_("own accounts only"))
        elif not self.chosen:
            parts.append(_("all regions/managers/tiers"))
        return " · ".join(parts)

    def file_name(self, name: str, extension: str, detail: str = "", of: str = "") -> str:
        """E.g. 'overdue-accounts_2026-11-16_2026-11-22_region-华东_tier-A.csv' ('逾期未拜访客户_2026-11-16_2026-11-22_
        区域-华东_等级-A.csv' in Chinese), name marked with NF_ and said in the run's language: safe on every file
        system. detail: what follows the name, as it is (an account's id). of: the days the rows are of, where they
        are not the period's (up_to, at: 'latest-comments_up-to-2026-11-22_region-华东.csv')."""
        parts = [file_stem(name, detail), of or days(self.start, self.end)]
        for kind, values in self.chosen:
            count = len(values)
            shown = "+".join(map(_file_safe, values)) if count <= _NAMED_IN_FILE else _(_CHOSEN).format(count=count)
            parts.append(f"{_(_IN_FILE_NAMES[kind])}-{shown}")
        if self.own_accounts_only:
            parts.append(_(_OWN_ACCOUNTS))
        return _NOT_IN_FILE_NAMES.sub("-", "_".join(parts)) + f".{extension}"


def describe(scope: Scope) -> ScopeDescription:
    """The filters that made a scope's figures, for a heading and for a file name alike."""
    chosen = tuple(
        (kind, values)
        for kind, values in (("region", scope.regions), ("manager", scope.managers), ("tier", scope.tiers))
        if values
    )
    return ScopeDescription(scope.start, scope.period_end, chosen, scope.allowed_accounts is not None)


def file_stem(name: str, detail: str = "") -> str:
    """A download's name (marked with NF_) in the run's language, detail after it: 'visit-list-K1', '拜访记录-K1'."""
    stem = pgettext(FILE_NAME, name)
    return _NOT_IN_FILE_NAMES.sub("-", f"{stem}-{_file_safe(detail)}" if detail else stem)


def up_to(day: date) -> str:
    """Every row up to the day, whatever the first, in a file name: 'up-to-2026-06-30', '截至2026-06-30'."""
    return _(_UP_TO).format(day=f"{day:%Y-%m-%d}")


def at(day: date) -> str:
    """What stood at the end of the day, in a file name: 'at-2026-06-30', '截至2026-06-30'."""
    return _(_AT).format(day=f"{day:%Y-%m-%d}")


def days(first: date, last: date) -> str:
    """The rows of the days first to last, in a file name: '2025-07-01_2026-06-30'."""
    return f"{first:%Y-%m-%d}_{last:%Y-%m-%d}"


def account_file_name(name: str, extension: str, account_id: str, account_name: str | None, *of: str) -> str:
    """One account's download, named by the account and what its rows are of (up_to, at, days, a year), not by the
    sidebar's period and filters, which do not make it: 'orders_甲公司-K1_up-to-2026-06-30.csv'
    ('订单_甲公司-K1_截至2026-06-30.csv')."""
    account = "-".join(_file_safe(part) for part in (account_name, account_id) if part)
    return _NOT_IN_FILE_NAMES.sub("-", "_".join([file_stem(name), account, *of])) + f".{extension}"


def plain_file_name(name: str, extension: str, detail: str = "") -> str:
    """The file name of a download the filters do not touch: 'load-history.csv', '导入历史.csv'."""
    return f"{file_stem(name, detail)}.{extension}"


def _file_safe(value: str) -> str:
    """A filter's value as a piece of a file name: unsafe runs as '-', no leading dot, at most 30 characters."""
    return (_NOT_IN_FILE_NAMES.sub("-", value).strip("-.") or "-")[:_VALUE_IN_FILE]
