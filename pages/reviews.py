"""Quarterly reviews: each manager's quarter scorecard beside the previous quarter's, the VP's notes and sign-off."""

from datetime import date

import streamlit as st

from kam.i18n import NF_, _
from kam.metrics import managers
from kam.metrics.filters import describe
from kam.present import columns
from kam.present.formatting import MISSING, beside_id, day
from kam.relations import reviews, targets
from kam.ui import dashboard
from kam.ui import relations_forms as form
from kam.ui.widgets import bring_first_error_into_view, confirmation_box, table, tell_refusal

# The containers of a save's confirmation: a review's over the manager's review, a target's under the targets.
REVIEW_SAVED, TARGET_SAVED = "review-saved", "target-saved"

user = dashboard.require_role("manager", "vp")
scope = dashboard.scope()
con = dashboard.connection()

st.title(_("Quarterly reviews"))
# On a phone the buttons are a screen below the title: a save is confirmed once, in a box beside what it saved, the
# page brought to it (a toast said it again); a refusal is told under the form's buttons, where the thumb is (a
# toast covered the title), its messages in red, the page brought to the first of them.
saved = form.take_confirmation()
told = form.take_refusal()
if message := form.error("form"):
    st.error(message, icon=":material/error:")

if user.role == "manager":
    mine = reviews.reviews(con, user)
    if mine.is_empty():
        st.info(
            _(
                "No review of yours yet. Your VP reviews your quarter against target and signs it off; "
                "it shows here then."
            )
        )
    for review in mine.iter_rows(named=True):
        with st.container(border=True):
            st.subheader(reviews.quarter_label(review["year"], review["quarter"]))
            st.caption(reviews.signed_off_text(review) if review["signed_off_on"] else _("Not signed off yet"))
            # The figures the quarter was signed off on, whatever the table of the VP's page reads now.
            if figures := reviews.signed_figures_text(review):
                st.text(figures)
            for label, said in ((_("Notes"), review["notes"]), (_("Agreed actions"), review["agreed_actions"])):
                st.text(_("{field}: {value}").format(field=label, value=said or MISSING))
    st.stop()

left, right = st.columns(2)
year = left.number_input(_("Year"), min_value=2000, max_value=2100, value=scope.as_of.year, key="review_year")
quarter = right.selectbox(_("Quarter"), [1, 2, 3, 4], index=(scope.as_of.month - 1) // 3, key="review_quarter")
year, quarter = int(year), int(quarter)
first, last = reviews.quarter_bounds(year, quarter)
before_year, before_quarter = reviews.previous_quarter(year, quarter)
before_first, before_last = reviews.quarter_bounds(before_year, before_quarter)
this = scope.with_period(first, last, as_of=min(last, scope.as_of))
previous = scope.with_period(before_first, before_last, as_of=min(before_last, scope.as_of))
now_card = dashboard.cached(managers.scorecard, this)
was_card = dashboard.cached(managers.scorecard, previous)
# A quarter not over by the as-of date counts its days so far, beside the whole quarter before: said, or its
# revenue reads as a collapse.
shown = (
    _("{first} – {last}, beside {before_first} – {before_last}")
    if this.period_end >= last
    else _("{first} – {last} (the quarter so far), beside {before_first} – {before_last}")
)
st.caption(
    dashboard.with_data_date_note(
        shown.format(
            first=first.isoformat(),
            last=this.period_end.isoformat(),
            before_first=before_first.isoformat(),
            before_last=before_last.isoformat(),
        ),
        this,
    )
)
# Each value as its kind reads everywhere (¥ without decimals, shares to one decimal, 徐军 (M01)).
table(
    reviews.side_by_side(now_card, was_card, year, quarter),
    NF_("quarterly-review"),
    detail=f"{year}-q{quarter}",
    # The managers the sidebar's filters leave: named by the quarter and those filters.
    file_name=describe(this).file_name(NF_("quarterly-review"), "csv", of=f"{year}-q{quarter}"),
    quarter=_("Quarter"),
    **columns.review_headers(),
)

recorded = {r["manager_id"]: r for r in reviews.reviews(con, user, year, quarter).iter_rows(named=True)}
over = reviews.quarter_over(year, quarter, scope.as_of)
whole = reviews.whole_portfolios(scope.regions, scope.tiers)
st.header(_("Review per manager"))
for manager in now_card.iter_rows(named=True):
    manager_id = manager["manager_id"]
    review = recorded.get(manager_id) or {}
    notes_key, actions_key = form.review_keys(year, quarter, manager_id)
    st.session_state.setdefault(notes_key, review.get("notes") or "")
    st.session_state.setdefault(actions_key, review.get("agreed_actions") or "")
    signed = review.get("signed_off_on")
    # Over the review, not in it: a review signed off folds.
    if saved and saved.form == "review" and saved.of == manager_id:
        # To the top of the screen, the manager's review under it.
        confirmation_box(REVIEW_SAVED, saved.message, block="start")
    with st.expander(beside_id(manager["name"], manager_id) + (" ✓" if signed else ""), expanded=not signed):
        if form.refused_review_of() == manager_id and (message := form.error("notes") or form.error("agreed_actions")):
            st.error(message, icon=":material/error:")
        st.text_area(_("Notes"), key=notes_key, disabled=bool(signed))
        st.text_area(_("Agreed actions"), key=actions_key, disabled=bool(signed))
        if signed:
            # The figures it was signed off on, beside the table above that reads them as of the sidebar's date.
            st.caption(reviews.signed_off_text(review))
            if figures := reviews.signed_figures_text(review):
                st.text(figures)
        else:
            one, two = st.columns(2)
            one.button(
                _("Save"),
                key=f"review-save-{manager_id}",
                on_click=form.save_review,
                args=(user, year, quarter, manager_id),
                width="stretch",
            )
            # A sign-off keeps the figures shown; before the quarter is over they are those of its days so far: said
            # before the click, which needs no second one.
            two.button(
                _("Sign off"),
                key=f"review-sign-{manager_id}",
                on_click=form.save_review,
                args=(user, year, quarter, manager_id, reviews.scorecard_of(manager, this.as_of)),
                type="primary",
                width="stretch",
                disabled=not whole,
                help=(
                    _(
                        "Signs the review off and keeps with it the quarter's figures above, to {as_of}. A review "
                        "signed off can no longer change."
                    )
                    if over
                    else _(
                        "The quarter is not over at the as-of date: the figures kept with the sign-off are those of "
                        "its days to {as_of}. A review signed off can no longer change."
                    )
                ).format(as_of=day(this.as_of)),
            )
            if told and form.refused_review_of() == manager_id:
                tell_refusal()
            if not whole:
                st.caption(
                    _(
                        "Clear the region and tier filters in the sidebar to sign off: a review keeps the manager's "
                        "whole quarter, not the part the filters show."
                    )
                )
            elif not over:
                st.caption(
                    _(
                        "The quarter is not over: a sign-off now keeps the figures to {as_of}, the quarter so far."
                    ).format(as_of=day(this.as_of))
                )

next_year = date.today().year + 1
st.header(_("Targets for {year}").format(year=next_year))
shown = targets.targets_of_year(con, next_year)
table(
    shown,
    NF_("targets"),
    by_filters=False,
    detail=str(next_year),
    source=_("Used from"),
)
if saved and saved.form == "target":
    confirmation_box(TARGET_SAVED, saved.message)
if date.today().month == targets.TARGET_MONTH:
    with st.form("target", enter_to_submit=False):
        st.selectbox(_("Manager"), shown["manager_id"].to_list(), key="target_manager")
        # No min_value: the browser would refuse a negative target with its own English tooltip and no save; the
        # target's rule refuses it at the field, in the user's language, keeping what was typed.
        st.number_input(_("Revenue target (¥)"), step=10000.0, key="target_amount")
        if message := form.error("revenue_target"):
            st.error(message, icon=":material/error:")
        st.form_submit_button(
            _("Save the target"),
            on_click=lambda: form.save_target(user, st.session_state["target_manager"], next_year, "target_amount"),
            type="primary",
            width="stretch",
        )
        if told and form.refused_form() == "target":
            tell_refusal()
else:
    st.caption(_("Next year's targets are entered here in December."))

# Last: the first of the run's messages in red.
if told:
    bring_first_error_into_view()
