"""Plotly figures for the pages: one colour per tier everywhere, readable on a projector.

Titles, axes, legends and hover text are in the run's language; money axes carry tick text
of their own (¥5,000万, ¥1亿 in Chinese), as Plotly's number formats know no 万 or 亿.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from kam.i18n import N_, _, ngettext, pgettext
from kam.present.bands import BANDS, ON_PACE, WELL_BEHIND, band
from kam.present.bands import BARS as BAND_BARS
from kam.present.bands import names as band_names
from kam.present.columns import BAND_LABELS, CHURN_REASON_LABELS, labelled, tier_name, value_names
from kam.present.formatting import money, money_short, money_ticks, percent
from kam.present.text import each_said, plotly_frame, plotly_text
from kam.vocabulary import CHANNELS, SEVERITIES, TIERS

TIER_COLORS = dict(zip(TIERS, ("#1b4f72", "#2e86c1", "#a9cce3"), strict=True))
CHANNEL_COLORS = dict(zip(CHANNELS, ("#1b4f72", "#2e86c1", "#48c9b0", "#f5b041", "#af7ac5"), strict=True))
SLA_COLORS = {"met": "#27ae60", "breached": "#c0392b", "pending": "#f5b041"}
# A figure at or above its target, or below it: as attainment on pace and well behind.
GOOD, BAD = BAND_BARS[ON_PACE], BAND_BARS[WELL_BEHIND]
PARETO_POINTS = 1000
BAND_COLORS = {"at_risk": "#c0392b", "watch": "#f5b041", "healthy": "#27ae60"}
REASON_COLORS = dict(
    zip(CHURN_REASON_LABELS, ("#c0392b", "#af7ac5", "#2e86c1", "#f5b041", "#48c9b0", "#7f8c8d"), strict=True)
)
TIER_ORDER = {"tier": list(TIERS), "suggested_tier": list(TIERS)}


# The SLA status of a complaint, as the legend names it.
SLA_STATUS = {"met": N_("Met"), "breached": N_("Breached"), "pending": N_("Pending")}


def money_axis(fig: go.Figure, top: float | None, axis: str = "y") -> go.Figure:
    """A money axis with ticks as money reads in the language (¥5,000万 / ¥50M)."""
    values, text = money_ticks(top)
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    return update(tickmode="array", tickvals=values, ticktext=text)


def date_axis(fig: go.Figure, grain: str, dates: pl.Series) -> go.Figure:
    """Dates on the x axis as numbers (2026-11 for months, 2026-11-02 for weeks and days), the same in every language
    (Plotly would name the months in English), named at the chart's own months, weeks (Mondays) or days (dates: the
    values drawn).

    Plotly's own ticks over a short span fall finer than the format shows: three months read "2026-08, 2026-09,
    2026-09, 2026-10", no bar under a label, and two days each twice (midnight and noon). Named here, a month is
    named once at most and a day once at most, whatever the span.
    """
    tick = "%Y-%m" if grain == "month" else "%Y-%m-%d"
    ticks = month_ticks(dates) if grain == "month" else day_ticks(dates, {"week": 7, "day": 1}[grain])
    return fig.update_xaxes(tickmode="array", tickvals=ticks, tickformat=tick, hoverformat=tick)


# At most this many months are named under a chart of months: a phone 390 px wide leaves the plot about 290 px, and
# five "2026-02" (45 px each at the charts' font) fit there side by side; a label every month, nine of them, were
# turned on their side there and ran into the legend. The step between two named months is one of these.
MONTH_LABELS = 5
MONTH_STEPS = (1, 2, 3, 4, 6, 12)


def month_ticks(months: pl.Series, labels: int = MONTH_LABELS) -> list[date]:
    """The months named under a chart of these months (first days): the first, then every month or every 2nd,
    3rd, … up to the last, at most `labels` of them."""
    if months.is_empty():
        return []
    first, last = months.min(), months.max()
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(
        (step for step in MONTH_STEPS if -(-count // step) <= labels),
        12 * -(-count // (12 * labels)),
    )
    ticks = [first.year * 12 + first.month - 1 + index for index in range(0, count, step)]
    return [date(month // 12, month % 12 + 1, 1) for month in ticks]


# At most this many dates are named under a chart: a phone 390 px wide leaves the plot about 290 px, and four
# "2026-10-31" (about 70 px each at the charts' font) fit there side by side.
DATE_LABELS = 4
# Past this many days between two named days, the named days are first days of months (2026-03-01, 2026-06-01),
# as a calendar reads, rather than days at even steps from the first (2025-11-28, 2026-02-26).
DAYS_APART_AT_MOST = 28


def day_ticks(days: pl.Series, unit: int = 1) -> list[date]:
    """The days named under a chart of these days, a bar or point every `unit` days at most (7: a week's Monday): the
    first, then every unit or every 2nd, 3rd, … up to the last, at most DATE_LABELS; past DAYS_APART_AT_MOST days
    apart, first days of months within them instead (month_ticks)."""
    if days.is_empty():
        return []
    first, last = days.min(), days.max()
    step = -(-((last - first).days // unit + 1) // DATE_LABELS) * unit
    if step <= DAYS_APART_AT_MOST:
        return [first + timedelta(days=index) for index in range(0, (last - first).days + 1, step)]
    start = first if first.day == 1 else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return month_ticks(pl.Series([start, last]), DATE_LABELS)


# Up to this many, a counting axis ticks every whole number: Plotly's own step over so short a range can be
# 0.5 (half an account). From there on its step is 1 or more (it draws at most 10 ticks).
WHOLE_TICKS_BELOW = 10


def count_axis(fig: go.Figure, axis: str = "y") -> go.Figure:
    """An axis of counts (accounts, visits, complaints): whole-number ticks only, from 0."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickformat=",d", rangemode="tozero")
    if _longest_bar(fig, axis) < WHOLE_TICKS_BELOW:
        update(tickmode="linear", tick0=0, dtick=1)
    return fig


def _longest_bar(fig: go.Figure, axis: str) -> float:
    """The largest value drawn along the axis, a category's bars added up where they are stacked."""
    across = "x" if axis == "y" else "y"
    stacked = fig.layout.barmode in (None, "relative", "stack")
    totals: dict = {}
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None:
            continue
        groups = getattr(trace, across, None)
        for group, value in zip(range(len(values)) if groups is None else groups, values, strict=False):
            if value is None or value != value:  # missing, or NaN
                continue
            totals[group] = totals.get(group, 0) + value if stacked else max(totals.get(group, 0), value)
    return max(totals.values(), default=0)


def tier_axis(fig: go.Figure, axis: str = "x") -> go.Figure:
    """A tier axis whose ticks name the tiers (A · key account); the bars keep the letter for a click."""
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    return update(tickmode="array", tickvals=list(TIERS), ticktext=[tier_name(tier) for tier in TIERS])


# A chart with one bar per manager shows only the ends beyond this many bars: the table beside it has
# every row, and the browser stays light at thousands of managers.
ENDS = 10


def ends(frame: pl.DataFrame, column: str, n: int = ENDS) -> pl.DataFrame:
    """The n lowest and n highest rows by column, lowest first (no nulls); every row when there are 2n or fewer."""
    ranked = frame.filter(pl.col(column).is_not_null()).sort(column)
    if ranked.height <= 2 * n:
        return ranked
    return pl.concat([ranked.head(n), ranked.tail(n)])


def in_running_text(label: str) -> str:
    """A label as it reads inside a sentence or a title's end: "Overdue receivables" as "overdue receivables".

    A first word in capitals is an acronym and stays so (CSAT, SLA); Chinese has no case to change.
    """
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _of_managers(count: int, n: int, every: str, some: str) -> str:
    """A managers' chart's caption: `every` where it draws all count managers of the table beside it (at most
    2n, as ends and the metrics' first keep them), else `some`."""
    return (every if count <= 2 * n else some).format(n=n, count=count)


def overdue_managers_caption(count: int, n: int = ENDS) -> str:
    """What the chart of overdue by manager draws of the count managers with receivables in the table beside it."""
    return _of_managers(
        count,
        n,
        ngettext(
            "Managers: the one with receivables.", "Managers: all {count} with receivables, most overdue first.", count
        ),
        _("Managers: the {n} with the most overdue in the chart, all {count} with receivables in the table."),
    )


def health_managers_caption(count: int, n: int = ENDS) -> str:
    """What the chart of account health by manager draws of the count managers in the table beside it."""
    return _of_managers(
        count,
        n,
        ngettext(
            "Managers with active accounts: the only one.",
            "Managers with active accounts: all {count}, by mean score.",
            count,
        ),
        _(
            "Managers with active accounts: the {n} lowest and {n} highest by mean score in the chart, all {count} "
            "in the table."
        ),
    )


def churn_managers_caption(count: int, n: int = ENDS) -> str:
    """What the chart of churn by manager draws of the count managers with churn in the table beside it."""
    return _of_managers(
        count,
        n,
        ngettext("Managers with churn: the only one.", "Managers with churn: all {count}.", count),
        _("Managers with churn: the {n} with the most lost revenue in the chart, all {count} in the table."),
    )


def _finish(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    # A value on a bar reads across: Plotly's own choice turns it on its side to fit a short bar
    # (the 5 beside 51 open complaints); across, it goes above a bar too short to hold it.
    fig.update_traces(textangle=0, selector={"type": "bar"})
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        font={"size": 13},
    )
    return fig


def tier_counts(dist: pl.DataFrame) -> go.Figure:
    """Active accounts per tier."""
    dist = plotly_frame(dist)
    fig = px.bar(
        dist,
        x="tier",
        y="accounts",
        color="tier",
        color_discrete_map=TIER_COLORS,
        category_orders=TIER_ORDER,
        text="accounts",
        custom_data=["tier"],
        labels={"tier": _("Tier"), "accounts": _("Active accounts")},
    )
    tier_axis(fig)
    count_axis(fig)
    return _finish(fig.update_layout(showlegend=False), _("Active accounts by tier"))


# A pie slice under this share has its label outside: inside, it would not fit.
SMALL_SLICE = 0.12


def tier_revenue_share(dist: pl.DataFrame) -> go.Figure:
    """Trailing-12-month revenue share per tier, the tiers named as the bars beside it name them."""
    names = {tier: tier_name(tier) for tier in TIERS}
    total = dist.get_column("revenue_12m").sum()
    dist = plotly_frame(dist.with_columns(name=each_said(dist.get_column("tier"), lambda tier: names.get(tier, tier))))
    fig = px.pie(
        dist,
        names="name",
        values="revenue_12m",
        color="name",
        color_discrete_map={names[tier]: color for tier, color in TIER_COLORS.items()},
        category_orders={"name": list(names.values())},
        custom_data=["tier"],
        hole=0.45,
        labels={"name": _("Tier"), "revenue_12m": _("Revenue, last 12 months")},
    )
    # Each slice says its letter and share, a small one outside it; the pie is kept below the title,
    # Plotly shrinking it to hold the labels outside within that room.
    small = [total > 0 and (value or 0) / total < SMALL_SLICE for value in dist.get_column("revenue_12m")]
    # The hover written out: Plotly's own for a pie read its name from customdata, which a pie's hover does not
    # reach ("Tier=-"), and wrote the amount without ¥ or rounding.
    revenue, share = plotly_text(_("Revenue, last 12 months")), plotly_text(_("Share of revenue"))
    fig.update_traces(
        texttemplate="%{customdata[0]}<br>%{percent:.1%}",
        hovertemplate=f"%{{label}}<br>{revenue}: ¥%{{value:,.0f}}<br>{share}: %{{percent:.1%}}<extra></extra>",
        textposition=["outside" if s else "inside" for s in small],
        sort=False,
        domain={"y": [0, 0.86]},
    )
    return _finish(fig, _("Revenue share by tier (last 12 months)"))


def _month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def month_end_ticks(days: list[date]) -> tuple[list[str], list[str]]:
    """The bars named under a chart of a bar per month end and the as-of date (days in order, as their categories):
    the last, then every n-th before it, at most DATE_LABELS; their values and texts, the as-of date (the one
    day that is no month end) said to be it."""
    step = -(-len(days) // DATE_LABELS)
    named = days[::-1][::step][::-1]
    as_of = plotly_text(_("(as of)"))
    texts = [day.isoformat() if _month_end(day) else f"{day.isoformat()}<br>{as_of}" for day in named]
    return [day.isoformat() for day in named], texts


def tier_mix(mix: pl.DataFrame) -> go.Figure:
    """Active accounts by tier at each month end and at the as-of date: a bar per date at even steps, named by
    its date (on a time axis, a month end and an as-of date a few days later nearly touched, and a month end's
    bar stood at the next month's first day)."""
    days = sorted(mix.get_column("date").unique().to_list())
    month_end, as_of = plotly_text(_("Month end")), plotly_text(_("As of"))
    mix = plotly_frame(mix).with_columns(
        day=pl.col("date").cast(pl.String),
        when=pl.when(pl.col("date").dt.month_end() == pl.col("date")).then(pl.lit(month_end)).otherwise(pl.lit(as_of)),
    )
    fig = px.bar(
        mix,
        x="day",
        y="accounts",
        color="tier",
        custom_data=["tier", "day", "when"],
        color_discrete_map=TIER_COLORS,
        category_orders=TIER_ORDER,
        labels={"day": _("Month end"), "accounts": _("Active accounts"), "tier": _("Tier")},
    )
    tier, accounts = plotly_text(_("Tier")), plotly_text(_("Active accounts"))
    fig.update_traces(
        hovertemplate=f"%{{customdata[2]}} %{{customdata[1]}}<br>{tier}: %{{customdata[0]}}<br>{accounts}: %{{y:,d}}"
        "<extra></extra>"
    )
    values, texts = month_end_ticks(days)
    # No axis title: the ticks are dates, the last one says it is the as-of date, a bar's hover what its date is.
    fig.update_xaxes(
        title_text=None,
        type="category",
        categoryorder="array",
        categoryarray=[day.isoformat() for day in days],
        tickmode="array",
        tickvals=values,
        ticktext=texts,
    )
    return _finish(count_axis(fig), _("Tier mix over time"))


def tier_movement(movement: pl.DataFrame) -> go.Figure:
    """Tier changes in the period as a from × to matrix."""
    tiers = list(TIERS)
    counts = {(r["from_tier"], r["to_tier"]): r["changes"] for r in movement.iter_rows(named=True)}
    z = [[counts.get((f, t), 0) for t in tiers] for f in tiers]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_("to {tier}").format(tier=t) for t in tiers],
            y=[_("from {tier}").format(tier=t) for t in tiers],
            text=z,
            texttemplate="%{text}",
            colorscale="Blues",
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, _("Tier movement in the period"))


def pareto(abc: pl.DataFrame, cutoffs: dict[str, float]) -> go.Figure:
    """Cumulative share of trailing-12-month revenue by account rank among the company's, with the ABC cut-offs."""
    abc = plotly_frame(abc)
    # A line of more points than the chart has pixels only slows the page: keep every n-th
    # account, and the last one.
    step = max(abc.height // PARETO_POINTS, 1)
    shown = abc.filter((pl.int_range(pl.len()) % step == 0) | (pl.int_range(pl.len()) == pl.len() - 1))
    fig = px.line(
        shown,
        x="rank",
        y="cumulative_share",
        hover_data=["account_id", "name", "tier", "suggested_tier"],
        labels={
            "rank": _("Accounts ranked by revenue"),
            "cumulative_share": _("Cumulative revenue share"),
            "account_id": _("Account"),
            "name": _("Name"),
            "tier": _("Tier"),
            "suggested_tier": _("Suggested tier"),
        },
    )
    # Some of the company's accounts (a manager's, a filter's) stand on the company's curve, ranked among all its
    # accounts: each one a point, the line between them only the curve's shape.
    if abc.height and abc.get_column("rank").max() > abc.height:
        fig.update_traces(mode="lines+markers")
    # Each cut-off's label under its line at the right, where the curve runs above both lines
    # (near 100 %): above the line it would sit on the curve, and the 95 % one on the title.
    for tier, share in cutoffs.items():
        fig.add_hline(
            y=share,
            line_dash="dot",
            annotation_text=_("{tier} cut-off {share}").format(tier=tier, share=percent(share, 0)),
            annotation_position="bottom right",
            annotation_bgcolor="rgba(255,255,255,0.8)",
        )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return _finish(fig, _("Pareto curve of revenue (last 12 months)"))


def share_by(
    frame: pl.DataFrame,
    x: str,
    y: str,
    title: str,
    label: str,
    color: str | None = None,
    heading: str | None = None,
) -> go.Figure:
    """A bar per group of a share (coverage, attainment, met %), 0–100 %; a bar's customdata is its group as is.

    title names the share on its axis, and above the chart unless a heading is given. Past 2 × ENDS groups only
    the ends by share are drawn.
    """
    if frame.height > 2 * ENDS:
        frame = ends(frame, y)
    # The group unescaped for a click (customdata is never drawn): plotly_frame escapes text columns only.
    frame = plotly_frame(frame.with_columns(group=pl.col(x).cast(pl.Categorical)))
    fig = px.bar(
        frame,
        x=x,
        y=y,
        color=color,
        color_discrete_map=TIER_COLORS if color == "tier" else None,
        category_orders=TIER_ORDER,
        text_auto=".0%",
        custom_data=["group"],
        labels={x: label, y: title},
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    if x == "tier":
        tier_axis(fig)
    return _finish(fig.update_layout(showlegend=False), heading or title)


def _coloured(colors: dict[str, str], column: str) -> dict[str, str]:
    """A colour map by code as the same map by the codes' names in the run's language."""
    names = value_names(column)
    return {names.get(code, code): color for code, color in colors.items()}


def visits_by_week(weekly: pl.DataFrame) -> go.Figure:
    weekly = plotly_frame(labelled(weekly))
    channels = _coloured(CHANNEL_COLORS, "channel")
    fig = px.bar(
        weekly,
        x="week",
        y="visits",
        color="channel",
        color_discrete_map=channels,
        category_orders={"channel": list(channels)},
        labels={"week": _("Week (Monday)"), "visits": _("Visits"), "channel": _("Channel")},
    )
    return _finish(count_axis(date_axis(fig, "week", weekly.get_column("week"))), _("Visits per week by channel"))


def sla_over_time(trend: pl.DataFrame) -> go.Figure:
    # Each period's first day as text on a category axis: a date axis zooms a lone point to milliseconds.
    trend = plotly_frame(trend).with_columns(pl.col("period").cast(pl.String))
    fig = px.line(
        trend,
        x="period",
        y="met_pct",
        markers=True,
        labels={"period": _("Opened in"), "met_pct": _("SLA met")},
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return _finish(fig, _("Complaint SLA met over time"))


def sla_counts(frame: pl.DataFrame, x: str, label: str) -> go.Figure:
    """Met, breached and pending complaints per group, stacked; past 2 × ENDS groups only the ends by SLA met."""
    if frame.height > 2 * ENDS:
        frame = ends(frame, "met_pct")
    frame = plotly_frame(labelled(frame))
    severities = value_names("severity")
    status = {code: _(name) for code, name in SLA_STATUS.items()}
    long = frame.unpivot(index=x, on=list(SLA_STATUS), variable_name="status", value_name="complaints").with_columns(
        pl.col("status").replace_strict(status)
    )
    fig = px.bar(
        long,
        x=x,
        y="complaints",
        color="status",
        color_discrete_map={status[code]: color for code, color in SLA_COLORS.items()},
        category_orders={
            "status": list(status.values()),
            "severity": [severities[code] for code in reversed(SEVERITIES)],
        },
        labels={x: label, "complaints": _("Complaints"), "status": _("SLA")},
    )
    return _finish(count_axis(fig), _("Complaint SLA by {group}").format(group=in_running_text(label)))


def ageing(bands: pl.DataFrame) -> go.Figure:
    bands = plotly_frame(labelled(bands))
    fig = px.bar(
        bands,
        x="age_band",
        y="complaints",
        text="complaints",
        labels={"age_band": _("Age"), "complaints": _("Open")},
    )
    return _finish(count_axis(fig), _("Open complaints by age"))


def score_distribution(scores: pl.DataFrame) -> go.Figure:
    scores = plotly_frame(scores)
    fig = px.bar(
        scores, x="score", y="responses", text="responses", labels={"score": _("Score"), "responses": _("Answers")}
    )
    fig.update_xaxes(dtick=1)
    return _finish(count_axis(fig), _("Scores in the period"))


def ranking(
    card: pl.DataFrame,
    column: str,
    label: str,
    target: float | None = None,
    banded: tuple[float, float] | None = None,
) -> go.Figure:
    """Managers ranked by one scorecard figure, coloured against a target line; past 2 × ENDS only the ends.

    banded: (on pace from, well behind from) for a figure the scorecard colours in its three bands (revenue
    attainment): each bar in its band's colour, the legend naming the bands, as the scorecard's does.
    """
    ranked = plotly_frame(ends(card, column))
    managers = ranked.get_column("name") + " (" + ranked.get_column("manager_id") + ")"
    if banded is None:
        colors = [GOOD if v >= target else BAD for v in ranked.get_column(column)] if target is not None else "#2e86c1"
        fig = go.Figure(
            go.Bar(
                x=ranked.get_column(column),
                y=managers,
                orientation="h",
                marker_color=colors,
                customdata=ranked.get_column("manager_id"),
            )
        )
    else:
        fig = _banded_bars(ranked.with_columns(bar=managers), column, banded)
    if target is not None:
        fig.add_vline(x=target, line_dash="dot")
        # Plotly fits the axis to the bars alone: with every bar short of the target its line would fall
        # outside the plot, between the chart and what follows it.
        fig.update_xaxes(range=_span([*ranked.get_column(column).to_list(), target]))
    fig.update_xaxes(tickformat=".0%", title=label)
    title = _("Managers by {figure}").format(figure=in_running_text(label))
    return _finish(fig, title, height=max(300, 28 * ranked.height + 80))


def _banded_bars(ranked: pl.DataFrame, column: str, banded: tuple[float, float]) -> go.Figure:
    """One trace of bars per band (kam.present.bands), named in the legend, every band listed though it holds no
    manager; the managers in their ranked order."""
    judged = ranked.with_columns(band=pl.Series([band(value, *banded) for value in ranked.get_column(column)]))
    named = band_names(*banded)
    fig = go.Figure(
        [
            go.Bar(
                x=rows.get_column(column),
                y=rows.get_column("bar"),
                orientation="h",
                name=named[each],
                marker_color=BAND_BARS[each],
                customdata=rows.get_column("manager_id"),
                showlegend=True,
            )
            for each in BANDS
            for rows in [judged.filter(pl.col("band") == each)]
        ]
    )
    # One bar per manager: the traces overlay rather than share each row; the rows keep the ranking's order.
    return fig.update_layout(barmode="overlay").update_yaxes(
        categoryorder="array", categoryarray=ranked.get_column("bar").to_list()
    )


# Room left beyond the longest bar (and the target line), as a share of the axis's span.
SPAN_PAD = 0.05


def _span(values: list[float]) -> list[float]:
    """An axis range from 0 (or the lowest value, when below 0) to past the highest, holding every value."""
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * SPAN_PAD
    return [low - pad if low < 0 else low, high + pad]


# How pale a month's bar is when the window counts only part of it (its first or last month).
PART_MONTH_OPACITY = 0.45


def revenue_by_month(monthly: pl.DataFrame) -> go.Figure:
    """Revenue per month; a month counted only in part (first_day, last_day) pale, its days in its hover."""
    monthly = plotly_frame(monthly)
    part = (pl.col("first_day") != pl.col("month")) | (pl.col("last_day") != pl.col("month").dt.month_end())
    monthly = monthly.with_columns(
        day=pl.col("month").cast(pl.String),
        amount=each_said(monthly.get_column("revenue"), money),
        days=pl.when(part)
        .then(pl.format("{} – {}", pl.col("first_day").cast(pl.String), pl.col("last_day").cast(pl.String)))
        .otherwise(pl.col("month").dt.strftime("%Y-%m")),
        opacity=pl.when(part).then(PART_MONTH_OPACITY).otherwise(1.0),
    )
    fig = px.bar(
        monthly,
        x="month",
        y="revenue",
        custom_data=["day", "amount", "days"],
        labels={"month": _("Month"), "revenue": _("Revenue")},
    )
    fig.update_traces(
        marker_opacity=monthly.get_column("opacity").to_list(),
        hovertemplate="%{customdata[2]}<br>%{customdata[1]}<extra></extra>",
    )
    money_axis(fig, monthly.get_column("revenue").max() if monthly.height else None)
    return _finish(date_axis(fig, "month", monthly.get_column("month")), _("Revenue by month"))


# Axis tick format, tick prefix and hover format of a scorecard figure's unit (kam.metrics.managers.Figure).
UNIT_AXES = {"share": (".0%", "", ".1%"), "score": (".2f", "", ".2f"), "money": (None, "¥", ",.0f")}


def ranking_of(
    card: pl.DataFrame,
    column: str,
    label: str,
    target: float | None = None,
    unit: str = "share",
    banded: tuple[float, float] | None = None,
) -> go.Figure:
    """`ranking` for any scorecard figure: shares on a % axis, scores as plain numbers, money in ¥."""
    tick, prefix, hover = UNIT_AXES[unit]
    fig = ranking(card, column, label, target, banded)
    fig.update_traces(hovertemplate=f"%{{y}}<br>{plotly_text(label)}: {prefix}%{{x:{hover}}}<extra></extra>")
    if unit == "money":
        values = card.get_column(column).drop_nulls()
        return money_axis(fig, values.max() if len(values) else None, axis="x")
    return fig.update_xaxes(tickformat=tick)


def visit_timeline(visits: pl.DataFrame) -> go.Figure:
    """One account's visits by date and channel; executive visits drawn larger."""
    visits = plotly_frame(labelled(visits))
    channels = _coloured(CHANNEL_COLORS, "channel")
    fig = px.scatter(
        visits.with_columns(size=pl.when(pl.col("executive")).then(16).otherwise(10)),
        x="visit_date",
        y="channel",
        color="channel",
        size="size",
        size_max=16,
        color_discrete_map=channels,
        category_orders={"channel": list(channels)},
        hover_data={"purpose": True, "next_step": True, "size": False},
        labels={
            "visit_date": _("Visit date"),
            "channel": _("Channel"),
            "purpose": _("Purpose"),
            "next_step": _("Next step"),
        },
    )
    fig.update_layout(showlegend=False)
    # One dot a visit: a record of them, not a count (拜访记录, not 拜访次数).
    return _finish(date_axis(fig, "day", visits.get_column("visit_date")), pgettext("timeline", "Visits"), height=300)


# Each satisfaction figure: its axis title, tick format and range.
SATISFACTION_FIGURES = {
    "mean_score": (N_("Mean score (1–5)"), ".2f", [1, 5.1]),
    "csat_pct": (N_("CSAT"), ".0%", [0, 1.05]),
    "nps": (N_("NPS"), ".0f", [-100, 105]),
}


def satisfaction_over_time(trend: pl.DataFrame, figure: str = "mean_score", by: str | None = None) -> go.Figure:
    """One satisfaction figure (mean score, CSAT or NPS) per half-year or quarter, one line per tier or region."""
    trend = plotly_frame(trend)
    name, tick, span = SATISFACTION_FIGURES[figure]
    title = _(name)
    fig = px.line(
        trend,
        x="period",
        y=figure,
        color=by,
        color_discrete_map=TIER_COLORS if by == "tier" else None,
        category_orders=TIER_ORDER,
        markers=True,
        hover_data={"responses": True, "nps_responses": figure == "nps"},
        labels={
            "period": _("Period"),
            figure: title,
            "tier": _("Tier"),
            "region": _("Region"),
            "responses": _("Answers"),
            "nps_responses": _("NPS answers"),
        },
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=tick, range=span)
    return _finish(fig, _("{figure} over time").format(figure=title))


def satisfaction_by(summary: pl.DataFrame, column: str, label: str) -> go.Figure:
    """Mean score per tier or region, the CSAT share written on each bar."""
    summary = plotly_frame(summary)
    fig = px.bar(
        summary,
        x=column,
        y="mean_score",
        color=column if column == "tier" else None,
        color_discrete_map=TIER_COLORS,
        category_orders=TIER_ORDER,
        custom_data=["csat_pct", "responses"],
        labels={column: label, "mean_score": _("Mean score (1–5)")},
    )
    csat, mean, answers = (plotly_text(text) for text in (_("CSAT"), _("Mean score"), _("answers")))
    fig.update_traces(
        texttemplate=f"%{{y:.2f}} · {csat} %{{customdata[0]:.0%}}",
        hovertemplate=f"%{{x}}<br>{mean} %{{y:.2f}}<br>{csat} %{{customdata[0]:.1%}}<br>"
        f"%{{customdata[1]}} {answers}<extra></extra>",
    )
    fig.update_yaxes(range=[0, 5.2])
    if column == "tier":
        tier_axis(fig)
    return _finish(fig.update_layout(showlegend=False), _("Mean score by {group}").format(group=in_running_text(label)))


def _readable_groups(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Managers shown as 徐军 (M01) where the frame carries their name."""
    if column == "manager_id" and "manager_name" in frame.columns:
        return frame.with_columns(
            pl.coalesce(pl.col("manager_name") + " (" + pl.col("manager_id") + ")", pl.col("manager_id")).alias(column)
        )
    return frame


def health_bands(summary: pl.DataFrame, column: str, label: str) -> go.Figure:
    """Accounts in each health band per tier, region or manager, stacked; a bar's customdata is its group; managers
    from the top in the summary's order."""
    summary = _readable_groups(summary, column).with_columns(group=pl.col(column))
    long = (
        plotly_frame(summary)
        # The summary's own total of accounts would clash with the counts' column.
        .select(column, "group", *BAND_LABELS)
        .unpivot(index=[column, "group"], on=list(BAND_LABELS), variable_name="band", value_name="accounts")
    )
    names = {code: _(text) for code, text in BAND_LABELS.items()}
    long = long.with_columns(pl.col("band").replace_strict(names, return_dtype=pl.String))
    horizontal = column == "manager_id"
    fig = px.bar(
        long,
        x="accounts" if horizontal else column,
        y=column if horizontal else "accounts",
        color="band",
        orientation="h" if horizontal else "v",
        color_discrete_map={names[code]: color for code, color in BAND_COLORS.items()},
        category_orders={"band": [names[c] for c in BAND_LABELS], **TIER_ORDER},
        custom_data=["group"],
        labels={column: label, "accounts": _("Accounts"), "band": _("Health")},
    )
    count_axis(fig, "x" if horizontal else "y")
    if column == "tier":
        tier_axis(fig)
    if horizontal:
        # The managers from the top in the frame's order, as the table beside the chart lists them (Plotly draws
        # the first category at the bottom).
        fig.update_yaxes(categoryorder="array", categoryarray=summary.get_column(column).to_list()[::-1])
    height = max(300, 24 * summary.height + 120) if horizontal else 360
    return _finish(fig, _("Account health by {group}").format(group=in_running_text(label)), height=height)


# An amount in a hover Plotly writes itself (hover_data with YEN_HOVER), as the tables write it: ¥ before it.
YEN_HOVER = ":,.0f"


def yen_in_hover(fig: go.Figure) -> go.Figure:
    """The figure with ¥ before each amount of its traces' hovers given the YEN_HOVER format."""
    for trace in fig.data:
        if trace.hovertemplate:
            trace.hovertemplate = re.sub(r"(%\{[^}]*" + re.escape(YEN_HOVER) + r"\})", r"¥\1", trace.hovertemplate)
    return fig


def churn_over_time(monthly: pl.DataFrame) -> go.Figure:
    """Accounts churned per month, stacked by cause."""
    monthly = plotly_frame(labelled(monthly.with_columns(code=pl.col("churn_reason"))))
    colors = {_(CHURN_REASON_LABELS[code]): color for code, color in REASON_COLORS.items()}
    fig = px.bar(
        monthly,
        x="month",
        y="accounts",
        color="churn_reason",
        color_discrete_map=colors,
        category_orders={"churn_reason": list(colors)},
        hover_data={"lost_revenue": YEN_HOVER},
        labels={
            "month": _("Month"),
            "accounts": _("Accounts churned"),
            "churn_reason": _("Cause"),
            "lost_revenue": _("Lost revenue"),
        },
    )
    return _finish(
        count_axis(date_axis(yen_in_hover(fig), "month", monthly.get_column("month"))), _("Churn by cause over time")
    )


def churn_by(frame: pl.DataFrame, column: str, label: str) -> go.Figure:
    """Accounts churned per tier, region or manager, stacked by cause (groups without churn left out)."""
    frame = _readable_groups(frame.filter(pl.col("accounts") > 0), column)
    frame = plotly_frame(labelled(frame))
    colors = {_(CHURN_REASON_LABELS[code]): color for code, color in REASON_COLORS.items()}
    horizontal = column == "manager_id"
    fig = px.bar(
        frame,
        x="accounts" if horizontal else column,
        y=column if horizontal else "accounts",
        color="churn_reason",
        orientation="h" if horizontal else "v",
        color_discrete_map=colors,
        category_orders={"churn_reason": list(colors), **TIER_ORDER},
        hover_data={"lost_revenue": YEN_HOVER},
        labels={
            column: label,
            "accounts": _("Accounts churned"),
            "churn_reason": _("Cause"),
            "lost_revenue": _("Lost revenue"),
        },
    )
    count_axis(yen_in_hover(fig), "x" if horizontal else "y")
    if column == "tier":
        tier_axis(fig)
    height = max(300, 24 * frame.select(column).n_unique() + 120) if horizontal else 360
    return _finish(fig, _("Churn by cause and {group}").format(group=in_running_text(label)), height=height)


def receivables_ageing(buckets: pl.DataFrame) -> go.Figure:
    """Overdue receivables in each ageing bucket."""
    buckets = plotly_frame(buckets)
    fig = px.bar(
        buckets,
        x="age_bucket",
        y="overdue_amount",
        color_discrete_sequence=[BAD],
        labels={"age_bucket": _("Days overdue"), "overdue_amount": _("Overdue receivables")},
    )
    # Each bar says its amount as the axis does (¥209万, not 2,093,799: Plotly's formats know no ¥ nor 万).
    fig.update_traces(
        text=[money_short(amount) for amount in buckets.get_column("overdue_amount")],
        textposition="auto",
        hovertemplate="%{x}<br>¥%{y:,.0f}<extra></extra>",
    )
    money_axis(fig, buckets.get_column("overdue_amount").max() if buckets.height else None)
    return _finish(fig, _("Overdue receivables by age"))


def money_by_manager(frame: pl.DataFrame, column: str, label: str) -> go.Figure:
    """One money figure per manager (manager_id as shown, 徐军 (M01)) as horizontal bars, largest at the top."""
    ranked = plotly_frame(frame.sort(column))
    fig = go.Figure(
        go.Bar(
            x=ranked.get_column(column),
            y=ranked.get_column("manager_id"),
            orientation="h",
            marker_color=BAD,
            hovertemplate="%{y}<br>¥%{x:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=label)
    money_axis(fig, ranked.get_column(column).max() if ranked.height else None, axis="x")
    return _finish(
        fig, _("Managers by {figure}").format(figure=in_running_text(label)), height=max(300, 28 * ranked.height + 80)
    )
