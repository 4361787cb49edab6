"""Satisfaction: mean score, CSAT and NPS over time and by tier and region, drops, and what customers wrote."""

import streamlit as st

from kam.i18n import N_, NF_, _
from kam.i18n.formats import table_date
from kam.metrics import satisfaction
from kam.metrics.filters import describe, up_to
from kam.present import charts, columns
from kam.present.formatting import number, percent
from kam.ui import dashboard
from kam.ui.widgets import account_table, at_as_of, chart_with_table, figure, no_data, table

scope = dashboard.scope()
summary = dashboard.cached(satisfaction.satisfaction_summary, scope)
scores = dashboard.cached(satisfaction.score_distribution, scope)
drops = dashboard.cached(satisfaction.satisfaction_drops, scope)
comments = dashboard.cached(satisfaction.latest_comments, scope)

SHOWN = {"mean_score": N_("Mean score"), "csat_pct": N_("CSAT"), "nps": N_("NPS")}
GRAINS = {"half": N_("Half-year"), "quarter": N_("Quarter")}
SPLITS = {"all": N_("All accounts"), "tier": N_("By tier"), "region": N_("By region")}
GROUPS = {"tier": N_("Tier"), "region": N_("Region")}
GROUP_FILES = {"tier": NF_("satisfaction-by-tier"), "region": NF_("satisfaction-by-region")}
csat_min = scope.policy.csat_min_score

st.title(_("Satisfaction"))
st.caption(
    dashboard.with_as_of_note(
        _(
            "Surveys of {start} to {end} · scores 1–5, CSAT is the share of {minimum} and above · "
            "NPS (−100 to 100) from the answers that have one · tiers as of {as_of}"
        ).format(
            start=table_date(scope.start),
            end=table_date(scope.period_end),
            minimum=csat_min,
            as_of=table_date(scope.as_of),
        ),
        scope,
    )
)

if summary.is_empty():
    no_data()
else:
    now = summary.row(0, named=True)
    row = st.columns(4)
    row[0].metric(_("Mean score"), number(now["mean_score"], 2), help=_("Scores 1–5, 5 very satisfied"), border=True)
    row[1].metric(
        _("CSAT"),
        percent(now["csat_pct"]),
        help=_("Share of scores {minimum} and above").format(minimum=csat_min),
        border=True,
    )
    row[2].metric(
        _("NPS"),
        number(now["nps"]),
        help=_("% answering 9–10 minus % answering 0–6, of the {count} answers with one").format(
            count=now["nps_responses"]
        ),
        border=True,
    )
    row[3].metric(_("Answers"), number(now["responses"]), border=True)

st.header(_("Over time"))
st.caption(
    _(
        "Every survey up to {as_of}, whatever the period's start, per half-year or quarter; one with no survey by "
        "that day is not drawn."
    ).format(as_of=table_date(scope.as_of))
)
left, middle, right = st.columns(3)
shown = left.segmented_control(
    _("Figure"), list(SHOWN), default="mean_score", required=True, format_func=lambda f: _(SHOWN[f]), key="csat_figure"
)
grain = middle.segmented_control(
    _("Per"), list(GRAINS), default="half", required=True, format_func=lambda g: _(GRAINS[g]), key="csat_grain"
)
split = right.segmented_control(
    _("Split"), list(SPLITS), default="all", required=True, format_func=lambda s: _(SPLITS[s]), key="csat_by"
)
by = None if split == "all" else split
trend = dashboard.cached(satisfaction.satisfaction_trend, scope, grain=grain, by=by)
chart_with_table(
    figure(charts.satisfaction_over_time, trend, shown, by),
    trend.drop("scope", strict=False),
    NF_("satisfaction-trend"),
    file_name=describe(scope).file_name(NF_("satisfaction-trend"), "csv", of=up_to(scope.as_of)),
    in_download_only=("nps_responses",),
    **columns.SATISFACTION_SIDE,
)

st.header(_("In the period, by tier and by region"))
tabs = st.tabs([_("By tier"), _("By region")])
for tab, group in zip(tabs, ("tier", "region"), strict=True):
    with tab:
        split_summary = dashboard.cached(satisfaction.satisfaction_summary, scope, by=group)
        chart_with_table(
            figure(charts.satisfaction_by, split_summary, group, _(GROUPS[group])),
            split_summary,
            GROUP_FILES[group],
            # Beside the chart at 1366 px: how many of the answers had an NPS is in the CSV.
            in_download_only=("nps_responses",),
            **columns.SATISFACTION_SIDE,
        )

st.header(_("Scores in the period"))
if summary.is_empty():
    no_data()
else:
    chart_with_table(figure(charts.score_distribution, scores), scores, NF_("score-distribution"))

st.header(_("Drops ({count})").format(count=number(drops.height)))
st.caption(
    _(
        "Active accounts whose latest score up to {as_of} is {points} point or more below the one before, "
        "or {floor} or less (a low score, even if unchanged). "
        "Worst first: lowest score, then the largest fall, then tier."
    ).format(as_of=table_date(scope.as_of), points=scope.policy.drop_points, floor=scope.policy.drop_floor)
)
if drops.is_empty():
    st.info(_("No account with a drop."))
else:
    # The scores and what the customer wrote fit 1366 px; the region, the fall and the reason (which the scores
    # say) in the CSV. The overview lists them with the same columns, in the same order, and opens the account too.
    st.caption(_("Click a row to open the account."))
    account_table(
        drops.select(columns.SATISFACTION_DROP_COLUMNS),
        NF_("satisfaction-drops"),
        in_download_only=columns.SATISFACTION_DROPS_IN_DOWNLOAD_ONLY,
        # Each account's latest score at D against the one before, whenever surveyed: named by that day.
        file_name=at_as_of(NF_("satisfaction-drops")),
        ticks=False,
        **columns.SATISFACTION_DROPS,
    )

st.header(_("Latest comments"))
st.caption(_("The newest comments up to {as_of}, whatever the period.").format(as_of=table_date(scope.as_of)))
if comments.is_empty():
    st.info(_("No comments up to the as-of date."))
else:
    table(
        comments,
        NF_("latest-comments"),
        file_name=describe(scope).file_name(NF_("latest-comments"), "csv", of=up_to(scope.as_of)),
        nps=_("NPS answer (0–10)"),
    )
