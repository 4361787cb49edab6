"""Managers, accounts and their tier history."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from kam.ingest.demo.calendar import Calendar, Portfolio
from kam.ingest.demo.draw import date_column, id_column, only_where, pick, pick_by_row, text_column
from kam.ingest.demo.parameters import (
    BRANDS,
    CHURN_REASON_WEIGHTS,
    CITIES,
    COMPANY_SUFFIXES,
    DOWNGRADE_REASONS,
    GIVEN_NAMES,
    INDUSTRIES,
    MANAGER_REGIONS,
    NEVER,
    REGIONS,
    SURNAMES,
    TIER_SHARES,
    UPGRADE_REASONS,
)
from kam.vocabulary import CHURN_REASONS, TIERS


def _manager_regions(count: int) -> np.ndarray:
    """Region code of every manager."""
    return np.array(MANAGER_REGIONS)[np.arange(count) % len(MANAGER_REGIONS)]


def managers(rng: np.random.Generator, count: int) -> tuple[pl.DataFrame, np.ndarray]:
    """The managers, and each one's diligence (visit frequency relative to a diligent manager)."""
    position = np.arange(count) % len(MANAGER_REGIONS)
    names = [s + g for s in SURNAMES for g in GIVEN_NAMES]
    picked = rng.choice(len(names), size=count, replace=count > len(names))
    # Spread evenly so that every portfolio has both diligent and tardy managers.
    diligence = rng.permutation(np.linspace(0.55, 1.5, count))
    ids = id_column("M", count, 2)
    frame = pl.DataFrame(
        {
            "manager_id": ids,
            "name": text_column(names, picked),
            "region": text_column(REGIONS, _manager_regions(count)),
            "email": ids.str.to_lowercase() + "@example.com",
            "active": position != len(MANAGER_REGIONS) - 1,
        }
    )
    return frame, diligence


def accounts(
    rng: np.random.Generator, cal: Calendar, managers: pl.DataFrame, count: int
) -> tuple[pl.DataFrame, Portfolio]:
    """The accounts, under the active managers, numbered by creation date."""
    # Yearly revenue is log-normal (about 80/20); the tier follows it, with some disagreement
    # so that the revenue-based suggestion has review candidates.
    log_value = np.clip(rng.normal(0.0, 1.7, count), -4.5, 4.5)  # at most about 27 million a year
    rank = np.argsort(np.argsort(-(log_value + rng.normal(0.0, 0.4, count)), kind="stable"), kind="stable")
    tier = np.searchsorted(np.cumsum(TIER_SHARES) * count, rank, side="right")
    value = 300_000.0 * np.exp(log_value)

    # Age at the end date: key accounts are old; some accounts are new.
    age_class = pick_by_row(rng, np.array([[0.92, 0.06, 0.02], [0.80, 0.13, 0.07], [0.70, 0.16, 0.14]]), tier)
    age_years = np.choose(
        age_class, [rng.uniform(2.0, 14.0, count), rng.uniform(1.0, 2.0, count), rng.uniform(0.0, 1.0, count)]
    )
    created = cal.last - np.round(age_years * 365.25).astype(np.int64)

    active = np.flatnonzero(managers["active"].to_numpy())
    manager = active[pick(rng, rng.lognormal(0.0, 0.3, len(active)), count)]
    manager_region = _manager_regions(len(managers))
    industry = pick(rng, [w for _, w, _ in INDUSTRIES], count)

    # About 5% churned during the period, more often small accounts, never within half a year of creation.
    churned = np.full(count, NEVER)
    first = np.maximum(created + 180, 30)
    eligible = np.flatnonzero(first < cal.last)
    n_churned = min(len(eligible), round(0.05 * count))
    weights = np.array([0.3, 1.0, 1.3])[tier[eligible]]
    chosen = np.sort(rng.choice(eligible, size=n_churned, replace=False, p=weights / weights.sum()))
    churned[chosen] = rng.integers(first[chosen], cal.last)
    reason = np.full(count, -1)
    reason[chosen] = pick(rng, CHURN_REASON_WEIGHTS, n_churned)

    term = np.array([30, 60, 90])[pick_by_row(rng, np.array([[2, 5, 3], [4, 4, 2], [6, 3, 1]]), tier)]
    credit = np.maximum(np.round(value * term / 365 * rng.uniform(1.2, 2.0, count), -4), 50_000.0)

    # Account numbers follow creation: K0001 is the oldest customer.
    order = np.argsort(created, kind="stable")
    tier, value, created, churned, manager = tier[order], value[order], created[order], churned[order], manager[order]
    industry, reason, credit, term = industry[order], reason[order], credit[order], term[order]
    suffix = pick_by_row(rng, np.array([[0.55, 0.30, 0.15], [0.80, 0.17, 0.03], [0.92, 0.08, 0.0]]), tier)
    name = _company_names(rng, manager_region[manager], industry, suffix)
    frame = pl.DataFrame(
        {
            "account_id": id_column("K", count, 4),
            "name": name,
            "industry": text_column([n for n, _, _ in INDUSTRIES], industry),
            "region": text_column(REGIONS, manager_region[manager]),
            "manager_id": managers["manager_id"].gather(manager),
            "tier": text_column(TIERS, tier),
            "created_on": date_column(cal, created),
            "churned_on": date_column(cal, churned, churned < NEVER),
            "churn_reason": text_column(CHURN_REASONS, np.maximum(reason, 0), reason >= 0),
            "credit_limit": only_where(pl.Series(credit), rng.random(count) > 0.03),
            "credit_term_days": pl.Series(term),
        }
    )
    # Some accounts were given too small a limit and owe more than it; a few buy cash only.
    tight = rng.random(count)
    small = np.maximum(np.round(credit * 0.2, -4), 10_000.0)
    frame = frame.with_columns(
        credit_limit=pl.when(pl.Series(tight < 0.06))
        .then(pl.Series(small))
        .when(pl.Series(tight > 0.99))
        .then(0.0)
        .otherwise(pl.col("credit_limit"))
    )
    no_change = np.full(count, NEVER)
    return frame, Portfolio(manager, tier, created, churned, value, term, no_change, tier, no_change, tier)


def _company_names(rng: np.random.Generator, region: np.ndarray, industry: np.ndarray, suffix: np.ndarray) -> pl.Series:
    """Unique names: city of the region + brand + a word of the industry + legal form (苏州恒达精密机械有限公司)."""
    count = len(industry)
    cities = [c for cs in CITIES for c in cs]
    city_base = np.cumsum([0, *(len(cs) for cs in CITIES)])[region]
    city_count = np.array([len(cs) for cs in CITIES])[region]
    words = [w for _, _, ws in INDUSTRIES for w in ws]
    city, brand, word = (np.zeros(count, dtype=np.int64) for _ in range(3))
    todo = np.arange(count)
    while len(todo):  # draw again for the names already taken, until all are unique
        city[todo] = city_base[todo] + rng.integers(0, city_count[todo])
        brand[todo] = rng.integers(0, len(BRANDS), len(todo))
        word[todo] = industry[todo] * 4 + rng.integers(0, 4, len(todo))
        key = (city * len(BRANDS) + brand) * len(words) + word
        _, first = np.unique(key, return_index=True)
        taken = np.ones(count, dtype=bool)
        taken[first] = False
        todo = np.flatnonzero(taken)
    return (
        text_column(cities, city)
        + text_column(BRANDS, brand)
        + text_column(words, word)
        + text_column(COMPANY_SUFFIXES, suffix)
    ).alias("name")


def tier_changes(
    rng: np.random.Generator, cal: Calendar, accounts: pl.DataFrame, p: Portfolio
) -> tuple[pl.DataFrame, Portfolio]:
    """A tenth of the accounts changed tier in the period, a quarter of those twice.

    The last change of an account lands on its current tier; the portfolio returned knows each account's tier history.
    """
    lo = np.maximum(p.created + 60, 0)
    hi = p.hi(cal.last)
    eligible = np.flatnonzero(hi - lo >= 60)
    chosen = np.sort(rng.choice(eligible, size=min(len(eligible), round(0.1 * len(p.tier))), replace=False))
    twice = rng.random(len(chosen)) < 0.25
    lo, hi = lo[chosen], hi[chosen]

    # The last change: into the current tier, mostly from the neighbouring tier.
    now = p.tier[chosen]
    usual = np.array([1, 2, 1])[now]  # A came from B; B mostly from C; C mostly from B
    rare = np.array([2, 0, 0])[now]
    before = np.where(rng.random(len(chosen)) < np.array([0.8, 0.6, 0.85])[now], usual, rare)
    # The change before it, for some: into `before` from one of the other two tiers.
    earliest = (before + rng.integers(1, 3, len(chosen))) % 3

    one = rng.integers(lo, hi + 1)
    a, b = rng.integers(lo, hi), rng.integers(lo + 1, hi + 1)
    first_of_two, second_of_two = np.minimum(a, b), np.maximum(a, b)
    first_of_two = np.where(first_of_two == second_of_two, first_of_two - 1, first_of_two)
    last_day = np.where(twice, second_of_two, one)

    first_day, first_tier = p.first_day.copy(), p.first_tier.copy()
    second_day, mid_tier = p.second_day.copy(), p.mid_tier.copy()
    first_day[chosen] = np.where(twice, first_of_two, last_day)
    first_tier[chosen] = np.where(twice, earliest, before)
    second_day[chosen] = np.where(twice, last_day, NEVER)
    mid_tier[chosen] = np.where(twice, before, now)
    portfolio = replace(p, first_day=first_day, first_tier=first_tier, second_day=second_day, mid_tier=mid_tier)

    account = np.concatenate([chosen[twice], chosen])
    day = np.concatenate([first_of_two[twice], last_day])
    from_tier = np.concatenate([earliest[twice], before])
    to_tier = np.concatenate([before[twice], now])
    order = np.lexsort((account, day))
    account, day, from_tier, to_tier = account[order], day[order], from_tier[order], to_tier[order]
    upgrade = to_tier < from_tier
    reason = np.where(
        upgrade,
        rng.integers(0, len(UPGRADE_REASONS), len(day)),
        len(UPGRADE_REASONS) + rng.integers(0, len(DOWNGRADE_REASONS), len(day)),
    )
    frame = pl.DataFrame(
        {
            "account_id": accounts["account_id"].gather(account),
            "changed_on": date_column(cal, day),
            "from_tier": text_column(TIERS, from_tier),
            "to_tier": text_column(TIERS, to_tier),
            "reason": text_column(UPGRADE_REASONS + DOWNGRADE_REASONS, reason, rng.random(len(day)) > 0.1),
        }
    )
    return frame, portfolio
