"""The dashboard's shared filters (bound to the URL by the sidebar widgets) and the scope they make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kam.config import Settings, settings
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope


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
        start, end = self.bounds()
        return Scope(
            as_of=self.as_of,
            start=start,
            end=end,
            regions=self.regions,
            managers=self.managers,
            tiers=self.tiers,
            allowed_accounts=allowed_accounts,
            policy=policy or settings(),
        )
