"""Log a visit: the form an account manager fills in right after seeing a customer, and their recent visits."""

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import DATE_FIELD
from kam.present.columns import VISIT_LIST, WARNING_SIGN_LABELS, label_of
from kam.ui import dashboard, visit_form
from kam.ui.widgets import bring_first_error_into_view, confirmation_box, table, tell_refusal
from kam.visits import log as visit_log
from kam.visits import rules as visit_rules

SAVED = "visit-saved"

user = dashboard.require_role("manager")
policy = dashboard.scope().policy
accounts = visit_log.loggable_accounts(dashboard.connection(), user)
labels = dict(zip(accounts["account_id"], accounts["label"], strict=True))
known_contacts = visit_log.contacts_of(dashboard.connection(), list(labels))
contact_labels = dict(zip(known_contacts["contact_id"], known_contacts["label"], strict=True))
visit_form.prepare(labels, st.query_params.pop("account", None))
editing = st.session_state.get(visit_form.EDITING)


def field_error(field: str) -> None:
    if message := visit_form.error(field):
        st.error(message, icon=":material/error:")


st.title(_("Change a visit") if editing else _("Log a visit"))
# On a phone the save button is a screen below these messages: a saved visit brings the page back to its
# confirmation (said once: a toast beside it covered the title with the same words); a refused one is told under the
# button, where the thumb is (a toast covered the title), its messages at the fields, the page brought to the first
# of them, every value kept as typed.
if confirmation := visit_form.take_confirmation():
    confirmation_box(SAVED, confirmation)
    st.page_link(dashboard.page_file("worklist"), label=_("Back to my worklist"), icon=":material/checklist:")
refused = visit_form.take_refusal()
field_error("form")

# Enter in a field does not save: a phone's Enter key would save a visit half filled in (and Streamlit would say
# "Press Enter to submit form" in English under the field).
with st.form("visit", enter_to_submit=False):
    st.selectbox(
        _("Account"), list(labels), format_func=labels.get, key="visit_account", placeholder=_("Type a name or id")
    )
    field_error("account_id")
    # No min_value or max_value: the browser would mark a date outside them red and keep sending the one
    # before (today), which the save would then store; the rules refuse it at the field instead.
    st.date_input(
        _("Date of the visit"),
        key="visit_date",
        format=DATE_FIELD,
        help=_("Today or up to {days} days back").format(days=policy.visit_max_age_days),
    )
    field_error("visit_date")
    st.selectbox(
        _("Channel"),
        list(visit_rules.CHANNEL_LABELS),
        format_func=visit_rules.channel_label,
        key="visit_channel",
        placeholder=_("Choose…"),
    )
    field_error("channel")
    st.selectbox(
        _("Purpose"),
        list(visit_rules.PURPOSE_LABELS),
        format_func=visit_rules.purpose_label,
        key="visit_purpose",
        placeholder=_("Choose…"),
    )
    field_error("purpose")
    st.text_input(_("Purpose, if other"), key="visit_purpose_other")
    field_error("purpose_other")
    st.checkbox(_("Senior management took part"), key="visit_executive")
    st.multiselect(
        _("Contacts met"),
        list(contact_labels),
        format_func=contact_labels.get,
        key="visit_contacts",
        placeholder=_("Contacts of the account on file"),
    )
    field_error("contact_ids")
    st.text_input(_("People met"), key="visit_met_with", placeholder=_("Names and roles"))
    field_error("met_with")
    st.text_area(_("Notes"), key="visit_notes")
    field_error("notes")
    st.text_input(_("Next step"), key="visit_next_step")
    field_error("next_step")
    st.date_input(_("Date of the next step"), key="visit_next_date", format=DATE_FIELD)
    field_error("next_date")
    st.multiselect(
        _("Credit warning signs seen"),
        list(WARNING_SIGN_LABELS),
        format_func=lambda sign: label_of("signs", sign),
        key="visit_warning_signs",
        placeholder=_("None seen"),
        help=_("Any of the six signs that the customer's credit is getting worse"),
    )
    field_error("warning_signs")
    st.form_submit_button(
        _("Save the change") if editing else _("Save visit"),
        on_click=visit_form.submit,
        args=(user,),
        type="primary",
        width="stretch",
    )
    if refused:
        tell_refusal()
if editing and (question := visit_form.delete_question()):
    st.warning(question, icon=":material/delete:")
    left, right = st.columns(2)
    left.button(_("Keep it"), on_click=visit_form.keep, width="stretch")
    right.button(_("Delete it"), on_click=visit_form.delete, args=(user, editing), type="primary", width="stretch")
elif editing:
    left, right = st.columns(2)
    left.button(_("Cancel the change"), on_click=visit_form.cancel_edit, width="stretch")
    right.button(_("Delete this visit"), on_click=visit_form.ask_delete, args=(editing,), width="stretch")

st.header(_("Your recent visits"))
recent = visit_log.recent_visits(dashboard.connection(), user)
if recent.is_empty():
    st.info(_("No visits yet."))
else:
    # The visit id (36 characters) would fill a phone's width: the account, date, channel and notes come first.
    # The purpose after them, as wide as on the account view's list: whole on screen at 1366 px.
    table(
        recent.drop("created_by", "created_at"),
        NF_("recent-visits"),
        by_filters=False,
        in_download_only=("visit_id",),
        purpose=VISIT_LIST["purpose"],
        visit_id=_("Visit"),
        account_id=_("Account"),
        visit_date=st.column_config.DateColumn(_("Date")),
        editable=_("May change"),
    )
    if choices := visit_form.changeable(recent):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            _("Change one of your visits of the last {days} days").format(days=policy.visit_edit_days),
            list(choices),
            format_func=choices.get,
        )
        right.button(_("Change it"), on_click=visit_form.start_edit, args=(user, chosen), width="stretch")

# Last: the script's element leaves a gap above what follows it.
if refused:
    bring_first_error_into_view()
