"""Orders, visits, complaints, surveys and targets of the portfolio."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from kam.ingest.demo.calendar import Calendar, Portfolio
from kam.ingest.demo.draw import (
    date_column,
    id_column,
    only_where,
    pick,
    pick_by_row,
    text_column,
    timestamp_column,
    weekday_shift,
)
from kam.ingest.demo.parameters import (
    CADENCE,
    CHANNEL_WEIGHTS,
    COMPLAINT_CATEGORIES,
    COMPLAINT_CATEGORY_WEIGHTS,
    COMPLAINTS_PER_YEAR,
    FOLLOW_UP_STEPS,
    HOUR_WEIGHTS,
    NEVER,
    NEXT_STEPS,
    ORDERS_PER_YEAR,
    PRODUCTS,
    SEVERITY_WEIGHTS,
    SLA_SECONDS,
    STEP_CHANNELS,
    STEP_WEIGHTS,
    SURVEY_COMMENTS,
    TIER_LEVEL,
    VISIT_GAP_FACTOR,
    VISIT_NOTES,
    VISIT_PURPOSES,
)
from kam.vocabulary import CHANNELS, SEVERITIES, WARNING_SIGNS

# Active accounts slipping away at the end date behave as if they churn this many days after
# it: they buy little, stop paying, are not visited and show warning signs. Every 29th old account.
SLIP_CHURN_DAYS = 30


def slipping(cal: Calendar, p: Portfolio) -> np.ndarray:
    """Which accounts are slipping away at the end date (a fixed few, no random draw)."""
    index = np.arange(len(p.tier))
    return (index % 29 == 3) & (p.churned == NEVER) & (p.created < cal.last - 2 * 365)


def churning(cal: Calendar, p: Portfolio) -> np.ndarray:
    """The day each account churns, or would if it goes on slipping."""
    return np.where(slipping(cal, p), cal.last + SLIP_CHURN_DAYS, p.churned)


def orders(
    rng: np.random.Generator, cal: Calendar, accounts: pl.DataFrame, p: Portfolio
) -> tuple[pl.DataFrame, np.ndarray]:
    """About 100 orders per account over the period, A accounts far more and far larger; and each one's account."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    per_year = ORDERS_PER_YEAR[p.tier] * rng.lognormal(-0.125, 0.5, count)
    owner, day = cal.sample(rng, lo, hi, rng.poisson(per_year * cal.mass(lo, hi)))
    n = len(owner)

    # Amount: the account's yearly value spread over its orders, at its tier of the day, with a
    # growth trend of its own, fading in the year before a churn.
    trend = np.clip(rng.normal(0.0, 0.1, count), -0.25, 0.25)
    trend = np.where(p.churned < NEVER, -0.25, trend)
    years = day / 365.25 - 1.5
    fading = np.clip((p.churned[owner] - day) / 400.0, 0.35, 1.0)
    wanted = (
        p.value[owner]
        / per_year[owner]
        * rng.lognormal(-0.15, 0.55, n)
        * TIER_LEVEL[p.tier_at(owner, day)]
        / TIER_LEVEL[p.tier[owner]]
        * np.exp(trend[owner] * years)
        * fading
    )
    wanted = np.maximum(wanted, 200.0)
    prices = np.array([price for _, price in PRODUCTS])
    affordable = np.searchsorted(prices, wanted / 2, side="right")
    product = np.maximum(affordable - 1 - rng.integers(0, np.maximum(np.minimum(affordable, 8), 1)), 0)
    discount = np.array([0.88, 0.93, 0.97])[p.tier] + rng.uniform(-0.03, 0.03, count)
    unit = np.round(prices[product] * discount[owner], 2)
    quantity = np.maximum(np.round(wanted / unit), 1)
    fading_now = slipping(cal, p)[owner] & (churning(cal, p)[owner] - day < 150)
    quantity = np.where(fading_now, np.maximum(np.round(quantity * 0.15), 1), quantity)
    amount = np.round(quantity * unit, 2)

    # Payment: most on time, some late, a few never; what falls after the end date is unpaid yet.
    due = day + p.term[owner]
    habit = pick(rng, [0.72, 0.22, 0.06], count)  # good, average, poor payer
    late = rng.random(n) < np.array([0.04, 0.2, 0.55])[habit[owner]]
    never = rng.random(n) < np.array([0.0005, 0.004, 0.04])[habit[owner]]
    never |= (p.churned[owner] - day < 120) & (rng.random(n) < 0.35)
    never |= fading_now
    on_time = day + np.ceil(rng.uniform(0.2, 1.0, n) * p.term[owner]).astype(np.int64)
    overdue = due + np.minimum(np.ceil(rng.lognormal(np.log(12), 0.9, n)), 365).astype(np.int64)
    paid = np.where(late, overdue, on_time)

    order = np.argsort(day, kind="stable")  # by date, then account
    owner, day, product, quantity, amount, due = (a[order] for a in (owner, day, product, quantity, amount, due))
    paid, never = paid[order], never[order]
    frame = pl.DataFrame(
        {
            "order_id": id_column("O", n, 7),
            "account_id": accounts["account_id"].gather(owner),
            "order_date": date_column(cal, day),
            "product": text_column([name for name, _ in PRODUCTS], product),
            "quantity": pl.Series(quantity.astype(np.int64)),
            "amount": pl.Series(amount),
            "due_on": date_column(cal, due),
            "paid_on": date_column(cal, paid, ~never & (paid <= cal.last)),
        }
    )
    return frame, owner


def visits(
    rng: np.random.Generator,
    cal: Calendar,
    accounts: pl.DataFrame,
    managers: pl.DataFrame,
    p: Portfolio,
    diligence: np.ndarray,
) -> pl.DataFrame:
    """Contacts by the account's manager, at gaps around the tier's cadence scaled by the manager's diligence."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    pace = VISIT_GAP_FACTOR / diligence[p.manager] * rng.lognormal(0.0, 0.25, count)

    def gaps(account: np.ndarray, day: np.ndarray) -> np.ndarray:
        mean = CADENCE[p.tier_at(account, day)] * pace[account]
        return np.maximum(np.round(mean * rng.gamma(2.5, 1 / 2.5, len(account))), 2).astype(np.int64)

    # First contact: soon after creation for new accounts; for older ones somewhere in the first gap.
    new = p.created >= 0
    first = np.where(
        new,
        lo + rng.integers(0, 21, count),
        lo + np.floor(rng.random(count) * gaps(np.arange(count), lo)).astype(np.int64),
    )
    never_visited = rng.random(count) < np.array([0.0, 0.01, 0.04])[p.tier]
    account = np.flatnonzero(~never_visited & (first <= hi))
    day = first[account]
    owners, days = [], []
    while len(account):  # one step per visit number, vectorised over the accounts still going
        owners.append(account)
        days.append(day)
        day = day + gaps(account, day)
        going = day <= hi[account]
        account, day = account[going], day[going]
    owner, day = np.concatenate(owners), np.concatenate(days)
    day = np.where(rng.random(len(day)) < 0.9, weekday_shift(cal, day, lo[owner]), day)
    order = np.lexsort((owner, day))
    owner, day = owner[order], day[order]
    n = len(owner)

    tier = p.tier_at(owner, day)
    channel = pick_by_row(rng, CHANNEL_WEIGHTS, tier)
    kind = pick(rng, [0.30, 0.55, 0.15], n)  # follow-up step, free text, nothing
    step = pick(rng, STEP_WEIGHTS, n)
    is_step = kind == 0
    step_channel = np.where((step == 4) & (rng.random(n) < 0.5), 0, STEP_CHANNELS[step])
    channel = np.where(is_step, step_channel, channel)
    purposes = FOLLOW_UP_STEPS + VISIT_PURPOSES
    purpose = np.where(is_step, step, len(FOLLOW_UP_STEPS) + rng.integers(0, len(VISIT_PURPOSES), n))
    face_to_face = (channel == 0) | (channel == 2)
    executive = face_to_face & (rng.random(n) < np.array([0.3, 0.12, 0.06])[tier])
    has_next = rng.random(n) < 0.35
    next_day = day + rng.integers(7, 61, n)
    frame = pl.DataFrame(
        {
            "account_id": accounts["account_id"].gather(owner),
            "manager_id": managers["manager_id"].gather(p.manager[owner]),
            "visit_date": date_column(cal, day),
            "channel": text_column(CHANNELS, channel),
            "purpose": text_column(purposes, purpose, kind < 2),
            "executive": executive,
            "notes": text_column(VISIT_NOTES, rng.integers(0, len(VISIT_NOTES), n), rng.random(n) < 0.4),
            "next_step": text_column(NEXT_STEPS, rng.integers(0, len(NEXT_STEPS), n), has_next),
            "next_date": date_column(cal, next_day, has_next & (rng.random(n) < 0.85)),
        }
    )

    # Before a churn the visits thin out and the manager sees credit warning signs; now and then
    # an account that stays shows one too.
    before_churn = churning(cal, p)[owner] - day
    lapsing = (before_churn < 150) & ((rng.random(n) < 0.6) | slipping(cal, p)[owner])
    signs_seen = rng.random(n) < np.where(before_churn < 240, 0.35, 0.004)
    first = rng.integers(0, len(WARNING_SIGNS), n)
    second = (first + rng.integers(1, len(WARNING_SIGNS), n)) % len(WARNING_SIGNS)
    two = rng.random(n) < 0.3
    low, high = np.minimum(first, second), np.maximum(first, second)
    one_sign = text_column(WARNING_SIGNS, first)
    two_signs = text_column(WARNING_SIGNS, low) + ";" + text_column(WARNING_SIGNS, high)
    signs = pl.select(pl.when(pl.Series(two)).then(two_signs).otherwise(one_sign)).to_series()
    frame = frame.with_columns(warning_signs=only_where(signs, signs_seen)).filter(pl.Series(~lapsing))
    # The demo has no contacts export, so its visits name none (the column is optional in the contract).
    frame = frame.with_columns(contact_ids=pl.lit(None, pl.String))
    return frame.select(pl.Series("visit_id", id_column("V", frame.height, 7)), pl.all())


def complaints(rng: np.random.Generator, cal: Calendar, accounts: pl.DataFrame, p: Portfolio) -> pl.DataFrame:
    """A few a year for some accounts; first replies mostly within 24 h, with every SLA outcome at the end date."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    per_year = COMPLAINTS_PER_YEAR[p.tier] * rng.gamma(0.6, 1 / 0.6, count)
    owner, day = cal.sample(rng, lo, hi, rng.poisson(per_year * cal.mass(lo, hi)))
    n = len(owner)
    hour = pick(rng, HOUR_WEIGHTS, n)
    opened = day * 86400 + hour * 3600 + rng.integers(0, 3600, n)

    # First reply: within 24 h, exactly 24 h, late, or none (far likelier for recent complaints).
    recent = day > cal.last - 30
    outcome = np.where(rng.random(n) < np.where(recent, 0.12, 0.01), 3, pick(rng, [0.865, 0.005, 0.13], n))
    delay = np.choose(
        np.minimum(outcome, 2),
        [
            np.clip(rng.lognormal(np.log(3 * 3600), 1.0, n), 300, SLA_SECONDS - 1),
            np.full(n, SLA_SECONDS, dtype=float),
            SLA_SECONDS + np.clip(rng.lognormal(np.log(18 * 3600), 0.8, n), 60, 9 * 86400),
        ],
    ).astype(np.int64)
    answered = outcome < 3
    resolved_after = np.round(rng.lognormal(np.log(2 * 86400), 1.0, n)).astype(np.int64)
    resolved = rng.random(n) > 0.04

    # Guarantee every outcome, whatever the size: of the recent complaints of accounts still active,
    # one moves to the end date, not answered yet (pending), and two stay unanswered (breached);
    # of the others, one is answered at exactly 24 h and one late.
    end_of_day = (cal.last + 1) * 86400
    settled = opened < end_of_day - 3 * 86400
    open_ones = settled & (p.churned[owner] == NEVER)
    if np.count_nonzero(open_ones & (opened >= end_of_day - 60 * 86400)) >= 3:
        open_ones &= opened >= end_of_day - 60 * 86400
    picked = rng.choice(np.flatnonzero(open_ones), size=min(3, np.count_nonzero(open_ones)), replace=False)
    pending, unanswered = picked[:1], picked[1:]
    settled[picked] = False
    picked = rng.choice(np.flatnonzero(settled), size=min(2, np.count_nonzero(settled)), replace=False)
    exact, late = picked[:1], picked[1:]
    opened[pending] = cal.last * 86400 + rng.integers(8 * 3600, 18 * 3600, len(pending))
    answered[pending] = answered[unanswered] = False
    delay[exact] = SLA_SECONDS
    delay[late] = SLA_SECONDS + 6 * 3600
    answered[exact] = answered[late] = True

    first_response = opened + delay
    resolved_at = first_response + resolved_after
    answered &= first_response < end_of_day
    resolved &= answered & (resolved_at < end_of_day)

    order = np.lexsort((owner, opened))
    owner, opened, first_response, resolved_at = owner[order], opened[order], first_response[order], resolved_at[order]
    answered, resolved = answered[order], resolved[order]
    return pl.DataFrame(
        {
            "complaint_id": id_column("C", n, 6),
            "account_id": accounts["account_id"].gather(owner),
            "opened_at": timestamp_column(cal, opened),
            "first_response_at": timestamp_column(cal, first_response, answered),
            "resolved_at": timestamp_column(cal, resolved_at, resolved),
            "category": text_column(COMPLAINT_CATEGORIES, pick(rng, COMPLAINT_CATEGORY_WEIGHTS, n)),
            "severity": text_column(SEVERITIES, pick(rng, SEVERITY_WEIGHTS, n)),
        }
    )


def surveys(rng: np.random.Generator, cal: Calendar, accounts: pl.DataFrame, p: Portfolio) -> pl.DataFrame:
    """Twice a year (May to June, November), up to the end date; not every account answers every time."""
    count = len(p.tier)
    waves = []
    for year in range(cal.start.year, cal.end.year + 1):
        for first, last in ((date(year, 5, 6), date(year, 6, 28)), (date(year, 11, 2), date(year, 11, 30))):
            if first <= cal.end:
                waves.append((cal.day(first), min(cal.day(last), cal.last)))
    wave_first = np.array([w[0] for w in waves])
    wave_last = np.array([w[1] for w in waves])

    # One candidate survey per account and wave, answered or not.
    owner = np.repeat(np.arange(count), len(waves))
    wave = np.tile(np.arange(len(waves)), count)
    day = rng.integers(wave_first[wave], wave_last[wave] + 1)
    day = weekday_shift(cal, day, wave_first[wave])
    answers = rng.random(len(owner)) < np.array([0.9, 0.78, 0.68])[p.tier[owner]]
    keep = answers & (day >= p.created[owner]) & (day < p.churned[owner])
    owner, wave, day = owner[keep], wave[keep], day[keep]
    n = len(owner)

    # Mostly satisfied; some accounts unhappy throughout, some dropping in the last waves, and
    # accounts about to churn falling away.
    mood = np.where(rng.random(count) < 0.1, rng.normal(3.3, 0.5, count), rng.normal(4.45, 0.35, count))
    drop_from = np.where(rng.random(count) < 0.1, len(waves) - rng.integers(1, 3, count), len(waves))
    before_churn = churning(cal, p)[owner] - day
    drop = np.where(wave >= drop_from[owner], 1.6, 0.0) + np.where(before_churn < 365, 1.2, 0.0)
    score = np.clip(np.round(mood[owner] - drop + rng.normal(0.0, 0.5, n)), 1, 5).astype(np.int64)
    nps = np.clip(np.round(2 * score - 0.3 + rng.normal(0.0, 1.2, n)), 0, 10).astype(np.int64)
    group = np.array([0, 0, 0, 1, 2, 2])[score]
    comment = np.array([0, 4, 8])[group] + rng.integers(0, np.array([4, 4, 5])[group])

    order = np.lexsort((owner, day))
    owner, day, score, nps, comment = owner[order], day[order], score[order], nps[order], comment[order]
    return pl.DataFrame(
        {
            "survey_id": id_column("S", n, 6),
            "account_id": accounts["account_id"].gather(owner),
            "surveyed_on": date_column(cal, day),
            "score": pl.Series(score),
            "nps": only_where(pl.Series(nps), rng.random(n) < 0.7),
            "comment": text_column([c for cs in SURVEY_COMMENTS for c in cs], comment, rng.random(n) < 0.3),
        }
    )


def targets(
    rng: np.random.Generator,
    cal: Calendar,
    managers: pl.DataFrame,
    p: Portfolio,
    orders: pl.DataFrame,
    order_owner: np.ndarray,
) -> pl.DataFrame:
    """Yearly revenue targets near each active manager's revenue (most fall a little short) and visit targets."""
    active = np.flatnonzero(managers["active"].to_numpy())
    years = np.arange(cal.start.year, cal.end.year + 1)
    year = orders["order_date"].dt.year().to_numpy().astype(np.int64) - cal.start.year
    revenue = np.bincount(
        p.manager[order_owner] * len(years) + year,
        weights=orders["amount"].to_numpy(),
        minlength=len(managers) * len(years),
    ).reshape(len(managers), len(years))
    # The end's year is not over: project its revenue to the full year by the order intake still to come.
    done = cal.cum[cal.last + 1] - cal.cum[cal.day(date(cal.end.year, 1, 1))]
    revenue[:, -1] *= (cal.cum[-1] - cal.cum[cal.day(date(cal.end.year, 1, 1))]) / done

    per_year = np.bincount(p.manager, weights=365 / CADENCE[p.tier], minlength=len(managers))
    manager = np.repeat(active, len(years))
    year_index = np.tile(np.arange(len(years)), len(active))
    target = np.round(revenue[manager, year_index] * rng.uniform(0.95, 1.2, len(manager)), -4)
    visits = np.round(per_year[manager] * rng.uniform(0.9, 1.1, len(manager)))
    return pl.DataFrame(
        {
            "manager_id": managers["manager_id"].gather(manager),
            "year": pl.Series(years[year_index]),
            "revenue_target": pl.Series(np.maximum(target, 100_000.0)),
            "visit_target": pl.Series(visits.astype(np.int64)),
        }
    )
