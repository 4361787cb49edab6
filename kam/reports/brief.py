"""The brief of a period: one static HTML file (and the same as an A4 PDF) that a VP mails or prints.

Charts are PNGs drawn on the server by Chromium and embedded as data: URIs; the file holds no
script. Where Chromium is missing the brief says so and carries its tables only. The brief is
written in one language: a download's is the page's, a scheduled one's the recipient's. A brief of one
whole week (the weekly meeting's, the mail's) is the weekly brief; of any other period, a brief of that
period (BriefName).
"""

from __future__ import annotations

import base64
import contextlib
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl

from kam import i18n
from kam.config import Settings
from kam.i18n import N_, NF_, _
from kam.metrics import catalog, managers, revenue, tiers, visits
from kam.metrics.filters import describe
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.people import access
from kam.people.users import User
from kam.present import charts, columns
from kam.present.columns import Override
from kam.present.formatting import (
    MISSING,
    NO_CHANGE,
    beside_id,
    change_said,
    day,
    day_time,
    delta_number,
    delta_points,
    delta_relative,
    money_short,
    number,
    percent,
)
from kam.reports import overview, render
from kam.reports.snapshot import headline_figures
from kam.store import db

# Rows of each attention list the brief shows; its heading gives the full count.
TOP = 10


@dataclass(frozen=True)
class BriefName:
    """How a brief is called, in its title, its file's name and the buttons that download it (marked for the
    catalogs, said in the run's language where shown)."""

    title: str  # with {filters}: the period and the filters
    file: str  # the English stem of its file's name (NF_)
    html_button: str
    pdf_button: str


WEEKLY = BriefName(
    N_("Weekly brief · {filters}"),
    NF_("weekly-brief"),
    N_("Download the weekly brief (HTML)"),
    N_("Download the weekly brief (PDF, A4)"),
)
# A month to date, a quarter, a custom range, a week not yet over: "weekly" would misname it.
OF_THE_PERIOD = BriefName(
    N_("Brief · {filters}"), NF_("brief"), N_("Download the brief (HTML)"), N_("Download the brief (PDF, A4)")
)


def brief_name(scope: Scope) -> BriefName:
    """WEEKLY for a brief whose figures run over one whole week, Monday to Sunday; else OF_THE_PERIOD."""
    whole_week = scope.start.weekday() == 0 and (scope.period_end - scope.start).days == 6
    return WEEKLY if whole_week else OF_THE_PERIOD


# How the brief gets a metric's result: compute(metric, scope, **options). The dashboard passes one that reads
# the results its pages share; without one (the mail job, the command line) each metric queries con directly.
Compute = Callable[..., Any]

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0 auto; max-width: 186mm; color: #1c2833; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 .2em; } h2 { font-size: 12.5pt; margin: 1.2em 0 .3em; break-after: avoid; }
p.meta { color: #566573; margin: .2em 0; }
p.note { border: 1px solid #f5b041; background: #fef5e7; padding: .4em .6em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; font-size: 9pt; }
th, td { border: 1px solid #ccd1d1; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #eaf2f8; } td.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.cards { display: flex; flex-wrap: wrap; gap: 2mm; }
.card { border: 1px solid #ccd1d1; border-radius: 4px; padding: 2mm 3mm; width: 44mm; break-inside: avoid; }
.card b { display: block; font-size: 13pt; }
.card small { color: #566573; }
figure { margin: .6em 0; break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 100%; height: auto; }
"""


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str | None
    # Why the figure has no value, where it is known.
    why_missing: str | None = None

    @property
    def note(self) -> str:
        """The line under the figure: its change, else why there is no figure, else that the earlier one is missing."""
        if self.change:
            return change_said(self.change)
        if self.value == MISSING:
            return self.why_missing or _("no figure for this period")
        return _("no earlier figure")


def headline(now: dict[str, Any], before: dict[str, Any], scope: Scope) -> list[Headline]:
    """The overview's headline figures of the scope with their change against the previous period."""
    sla, csat, sales = now["complaint_sla"], now["satisfaction"], now["revenue"]
    was_sla, was_csat, was_sales = before["complaint_sla"], before["satisfaction"], before["revenue"]
    active, was_active = now["active_accounts"], before["active_accounts"]
    no_plan = None if visits.plans_a_visit(scope) else _("no visit planned in {days} days").format(days=scope.days)
    return [
        Headline(_("Active accounts"), number(active["total"]), delta_number(active["total"], was_active["total"])),
        Headline(_("Active A-accounts"), number(active["A"]), delta_number(active["A"], was_active["A"])),
        Headline(
            _("Visit coverage"),
            percent(now["visit_coverage"]["total"]),
            delta_points(now["visit_coverage"]["total"], before["visit_coverage"]["total"]),
        ),
        Headline(
            _("Visit attainment"),
            percent(now["visit_attainment"]),
            delta_points(now["visit_attainment"], before["visit_attainment"]),
            no_plan,
        ),
        Headline(_("Complaint SLA met"), percent(sla["met_pct"]), delta_points(sla["met_pct"], was_sla["met_pct"])),
        Headline(
            _("Satisfaction (mean 1–5)"),
            number(csat["mean"], 2),
            delta_number(csat["mean"], was_csat["mean"], 2),
            None if csat["responses"] else _("no survey in the period"),
        ),
        Headline(_("Revenue"), money_short(sales["period"]), _revenue_change(sales["period"], was_sales["period"])),
        Headline(
            _("Revenue attainment"),
            percent(sales["attainment"]),
            delta_points(sales["attainment"], was_sales["attainment"]),
        ),
        Headline(_("Churn rate"), percent(now["churn_rate"]), delta_points(now["churn_rate"], before["churn_rate"])),
    ]


def _revenue_change(now: float | None, before: float | None) -> str | None:
    """The revenue card's change: relative, and where the earlier period's revenue was ¥0 (no ratio to it), that
    amount, so that the card does not say there was no earlier figure."""
    if now is None or before != 0:
        return delta_relative(now, before)
    return NO_CHANGE if now == 0 else _("{amount} the period before").format(amount=money_short(before))


def table_html(
    frame: pl.DataFrame,
    managers: Mapping[str, str] | None = None,
    overrides: Mapping[str, Override] | None = None,
    units: Mapping[str, str] | None = None,
) -> str:
    """A frame as an HTML table that reads as the pages' tables do (kam.present.columns: headers, names beside
    ids, codes by their labels, money, shares, dates and durations formatted), every text escaped.

    units: the unit of each duration column, chosen for the whole list of which frame is the first rows (as the
    page and the download choose it); by default chosen for frame."""
    if frame.is_empty():
        return "<p>" + html.escape(_("Nothing to flag.")) + "</p>"
    frame = columns.readable(frame, managers)
    frame, shown = columns.in_units(frame, columns.plan(frame, overrides), units)
    head = "".join(f"<th>{html.escape(spec.label)}</th>" for spec in shown.values())
    body = []
    for row in frame.select(list(shown)).iter_rows():
        cells = (
            f"<td{' class=n' if spec.kind in columns.FIGURES else ''}>{html.escape(columns.text(spec, value))}</td>"
            for spec, value in zip(shown.values(), row, strict=True)
        )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def filters_text(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """The filters that made the brief, in words."""
    names = manager_names(con)
    chosen = [beside_id(names.get(m), m) for m in scope.managers]
    every = _("all")
    lines = [
        _("Period {start} to {end}, as of {as_of}; changes against the previous period of the same length").format(
            start=day(scope.start), end=day(scope.period_end), as_of=day(scope.as_of)
        ),
        _("Regions: {regions}").format(regions=", ".join(scope.regions) or every),
        _("Managers: {managers}").format(managers=", ".join(chosen) or every),
        _("Tiers: {tiers}").format(tiers=", ".join(scope.tiers) or every),
    ]
    if scope.allowed_accounts is not None:
        # Every account they manage, the lapsed too: said so, or it reads against the card's active accounts.
        lines.append(
            _("Only the recipient's own accounts: {count} in all, active or not").format(
                count=number(len(scope.allowed_accounts))
            )
        )
    return lines


def manager_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every manager's name by id, to write beside their id."""
    return dict(catalog.managers(con).select("manager_id", "name").iter_rows())


def direct(con: duckdb.DuckDBPyConnection) -> Compute:
    """A compute that calls each metric on con."""

    def compute(metric: Callable[..., Any], scope: Scope, **options: Any) -> Any:
        return metric(con, scope, **options)

    return compute


def figures(con: duckdb.DuckDBPyConnection, scope: Scope, compute: Compute | None = None) -> list[go.Figure]:
    """The brief's charts, each kept below the height of a third of an A4 page."""
    compute = compute or direct(con)
    return [
        charts.tier_counts(compute(tiers.tier_distribution, scope)).update_layout(height=300),
        charts.share_by(
            compute(visits.visit_coverage, scope, by="tier"), "tier", "coverage", _("Visit coverage"), _("Tier"), "tier"
        ).update_layout(height=300),
        charts.revenue_by_month(compute(revenue.revenue_by_month, scope)).update_layout(height=300),
    ]


def _png_figure(png: bytes, title: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{data}"></figure>'


def _charts(con: duckdb.DuckDBPyConnection, scope: Scope, compute: Compute) -> str:
    browser = render.find_browser(scope.policy.browser_path)
    if browser is None:
        where = scope.policy.browser_path or _("chromium on the server's PATH")
        note = _(
            "Charts left out: no Chromium on the server to draw them ({where} not found). The tables carry the figures."
        ).format(where=where)
        return f"<p class=note>{html.escape(note)}</p>"
    drawn = figures(con, scope, compute)
    try:
        pngs = render.chart_pngs(drawn, browser)
    except render.RenderError as failed:
        note = _("Charts left out: {reason}. The tables carry the figures.").format(reason=failed)
        return f"<p class=note>{html.escape(note)}</p>"
    return "".join(_png_figure(png, fig.layout.title.text or _("Chart")) for png, fig in zip(pngs, drawn, strict=True))


def weekly_brief(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    made: datetime | None = None,
    language: str | None = None,
    *,
    compute: Compute | None = None,
) -> str:
    """The brief as a complete, static HTML document (no script; charts as embedded PNGs), in language
    (None: the run's), its metrics got through compute (None: queried on con)."""
    with i18n.speaking(language) as spoken:
        return _brief(con, scope, made, spoken, compute or direct(con))


def _brief(con: duckdb.DuckDBPyConnection, scope: Scope, made: datetime | None, language: str, compute: Compute) -> str:
    # The filters are in the heading, so that a filtered brief is never read as company-wide; the managers named as
    # the lines under it name them.
    names = manager_names(con)
    title = _(brief_name(scope).title).format(filters=describe(scope).heading(names))
    now, before = compute(headline_figures, scope), compute(headline_figures, scope.previous())
    cards = "".join(
        f"<div class=card>{html.escape(h.label)}<b>{html.escape(h.value)}</b><small>{html.escape(h.note)}</small></div>"
        for h in headline(now, before, scope)
    )
    # The overview's attention lists, in its order, under its titles and through its metric calls.
    sections = [(_(section.title), compute(section.metric, scope), section.headers) for section in overview.SECTIONS]
    lists = []
    for heading, frame, headers in sections:
        if frame.height > TOP:
            counted = _("{title} ({count}, the first {top})").format(
                title=heading, count=number(frame.height), top=number(TOP)
            )
        else:
            counted = _("{title} ({count})").format(title=heading, count=number(frame.height))
        units = columns.duration_units(frame, columns.plan(frame, headers))
        lists.append(f"<h2>{html.escape(counted)}</h2>{table_html(frame.head(TOP), names, headers, units)}")
    scorecard = compute(managers.scorecard, scope)
    card = scorecard.select(
        "manager_id", "name", "active_accounts", "revenue", "attainment", "visit_coverage", "sla_met_pct"
    )
    # As the managers page says it: the other per-manager figures count only the managers with accounts.
    idle = managers.without_active_accounts(scorecard)
    idle_line = _(
        "Managers with active accounts: {count}. Listed too, with no active account for these filters: {managers}."
    ).format(count=number(card.height - len(idle)), managers=", ".join(idle))
    made = made or datetime.now()
    made_line = _("Made {when}").format(when=day_time(made))
    managers_heading = _("Managers ({count})").format(count=number(card.height))
    charts_heading = _("Charts")
    parts = [
        f"<!DOCTYPE html><html lang={language}><head><meta charset=utf-8>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *(f"<p class=meta>{html.escape(line)}</p>" for line in filters_text(con, scope)),
        f"<p class=meta>{html.escape(made_line)}</p>",
        f"<div class=cards>{cards}</div>",
        *lists,
        f"<h2>{html.escape(managers_heading)}</h2>",
        *((f"<p class=meta>{html.escape(idle_line)}</p>",) if idle else ()),
        table_html(card, names),
        f"<h2>{html.escape(charts_heading)}</h2>",
        _charts(con, scope, compute),
        "</body></html>",
    ]
    return "\n".join(parts)


def weekly_brief_pdf(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    made: datetime | None = None,
    language: str | None = None,
    *,
    compute: Compute | None = None,
) -> bytes:
    """The brief printed to A4 PDF by the server's Chromium; RenderError where there is none."""
    browser = render.find_browser(scope.policy.browser_path)
    if browser is None:
        raise render.RenderError(_("No Chromium on the server to print the PDF"))
    return render.print_pdf(weekly_brief(con, scope, made, language, compute=compute), browser)


def can_print(scope: Scope) -> bool:
    """Whether the server has a Chromium to draw charts and print PDFs."""
    return render.find_browser(scope.policy.browser_path) is not None


def recipient_scope(con: duckdb.DuckDBPyConnection, user: User, policy: Settings) -> Scope:
    """The last full week (Monday to Sunday) up to the data date, limited to what the user may see."""
    data_date = db.data_date(con) or date.today()
    start, end = period_bounds("last_week", data_date)
    return Scope(as_of=end, start=start, end=end, allowed_accounts=access.allowed_accounts(con, user), policy=policy)


def mail_files(con: duckdb.DuckDBPyConnection, user: User, policy: Settings) -> tuple[str, list[tuple[str, bytes]]]:
    """One recipient's brief to attach, in their stored language (else the deployment's): the week it covers,
    and the HTML file (and PDF where it can print)."""
    scope = recipient_scope(con, user, policy)
    language = i18n.resolve(user.language, None, policy.language)
    with i18n.speaking(language):
        week = _("{start} to {end}").format(start=day(scope.start), end=day(scope.end))
    name = f"weekly-brief-{scope.end:%Y-%m-%d}"
    files = [(f"{name}.html", weekly_brief(con, scope, language=language).encode("utf-8"))]
    # Without a Chromium to print it there is no PDF; the HTML says that its charts are missing.
    with contextlib.suppress(render.RenderError):
        files.append((f"{name}.pdf", weekly_brief_pdf(con, scope, language=language)))
    return week, files
