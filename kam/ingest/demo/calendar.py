"""Day numbering, order intake by day, and the portfolio as arrays the event generators share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from kam.ingest.demo.parameters import MONTH_WEIGHTS, WEEKDAY_WEIGHTS, YEARLY_GROWTH


@dataclass(frozen=True)
class Calendar:
    """Day numbering and the relative order intake of every day from the start to 31 December of end's year."""

    start: date
    end: date
    cum: np.ndarray  # cum[i]: order intake of the days before day i, in average-year units

    @classmethod
    def build(cls, end: date) -> Calendar:
        start = date(end.year - 2, 1, 1)
        epoch = (start - date(1970, 1, 1)).days
        days = np.arange((date(end.year, 12, 31) - start).days + 1)
        month = (days + epoch).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        weekday = (days + epoch + 3) % 7  # 1970-01-01 was a Thursday
        weights = MONTH_WEIGHTS[month] * WEEKDAY_WEIGHTS[weekday] * (1 + YEARLY_GROWTH) ** (days / 365.25)
        last = (end - start).days
        weights *= (last + 1) / 365.25 / weights[: last + 1].sum()
        return cls(start, end, np.concatenate([[0.0], np.cumsum(weights)]))

    @property
    def last(self) -> int:
        """The end date's day number."""
        return (self.end - self.start).days

    @property
    def epoch(self) -> int:
        """Day 0 in days since 1970-01-01."""
        return (self.start - date(1970, 1, 1)).days

    def day(self, when: date) -> int:
        return (when - self.start).days

    def mass(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Order intake over days lo..hi (both counted), in average-year units."""
        return self.cum[hi + 1] - self.cum[lo]

    def sample(
        self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`counts[i]` days between lo[i] and hi[i] for every i, drawn by order intake: (owner index, day)."""
        owner = np.repeat(np.arange(len(counts)), counts)
        low, high = self.cum[lo[owner]], self.cum[hi[owner] + 1]
        day = np.searchsorted(self.cum, low + rng.random(len(owner)) * (high - low), side="right") - 1
        return owner, np.clip(day, lo[owner], hi[owner])

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """0 = Monday .. 6 = Sunday."""
        return (day + self.epoch + 3) % 7


@dataclass(frozen=True)
class Portfolio:
    """The accounts as arrays (index = account number), with what the event generators need."""

    manager: np.ndarray  # manager index
    tier: np.ndarray  # current tier code 0/1/2
    created: np.ndarray  # day
    churned: np.ndarray  # day, NEVER when active
    value: np.ndarray  # yearly revenue at the current tier's level
    term: np.ndarray  # payment term in days
    # Tier history: before first_day the tier was first_tier, then mid_tier until second_day, then tier.
    first_day: np.ndarray
    first_tier: np.ndarray
    second_day: np.ndarray
    mid_tier: np.ndarray

    @property
    def lo(self) -> np.ndarray:
        """First day an event of the account may have: created, and not before day 0."""
        return np.maximum(self.created, 0)

    def hi(self, last: int) -> np.ndarray:
        """Last day an event of the account may have: the end date, or the day before churn."""
        return np.minimum(last, self.churned - 1)

    def tier_at(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(
            day < self.first_day[account],
            self.first_tier[account],
            np.where(day < self.second_day[account], self.mid_tier[account], self.tier[account]),
        )
