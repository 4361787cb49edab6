"""The account view's contacts: who we know at the customer, when each was last met, adding and changing one."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from kam.i18n import _, ngettext
from kam.i18n.formats import table_date
from kam.metrics import relations
from kam.metrics.scope import Scope
from kam.people.users import User
from kam.present.columns import CONTACT_LEVEL_LABELS, CONTACT_ROLE_LABELS, value_names
from kam.present.formatting import MISSING
from kam.present.text import markdown_text as md
from kam.relations import contacts
from kam.relations.rules import NotAllowed
from kam.store.schema import CONTACT_LEVELS, CONTACT_ROLES
from kam.ui import dashboard
from kam.ui import relations_forms as form
from kam.ui.widgets import (
    bring_first_error_into_view,
    bring_into_view,
    confirmation_box,
    tell_refusal,
)

# The containers of a save's confirmation, under the contacts listed, and of the form.
SAVED, FORM = "contact-saved", "contact-form"


def show(user: User, scope: Scope, account_id: str) -> None:
    """The contacts of one account as they stood at the as-of date (those who had left apart, those entered after it
    apart again), the key-account flags, and (for whoever may edit) the form to add or change one."""
    con = dashboard.connection()
    try:
        listed = contacts.account_contacts(con, user, account_id, scope.as_of)
    except NotAllowed as refused:
        st.error(str(refused), icon=":material/block:")
        return
    # As of D, as the flags beside them: a VP looking at last month sees who we knew then, not an executive met since
    # listed beside a flag saying there was none. Those entered since are listed apart: a manager finds the one just
    # added, and sees why it does not count yet.
    current, former, later = contacts.as_of_groups(listed)
    as_of = table_date(scope.as_of)
    st.subheader(_("Contacts ({count})").format(count=current.height))
    st.caption(
        dashboard.with_as_of_note(
            _(
                "At {as_of}: a contact entered here counts from the day it was entered until the day it was marked "
                "as having left, listed with its level, title and details as last saved by then; a contact of the "
                "CRM export carries no dates and counts on any day."
            ).format(as_of=as_of),
            scope,
            # The account view's caption above says whether its day is after the data date.
            of_the_page=False,
        )
    )
    flags = relations.key_account_flags(con, scope).filter(account_id=account_id)
    if not flags.is_empty():
        flag = flags.row(0, named=True)
        if flag["no_executive_contact"]:
            st.warning(_("Key account with no executive-level contact on file."), icon=":material/person_off:")
        if flag["no_executive_visit"]:
            st.warning(
                _("Key account without a visit with our senior management in the last 90 days."),
                icon=":material/event_busy:",
            )
    if listed.is_empty():
        st.caption(_("No contact on file yet."))
    elif current.is_empty() and former.is_empty():
        st.caption(_("No contact on file at {as_of}.").format(as_of=as_of))
    elif current.is_empty():
        st.caption(
            _("No current contact at {as_of}: every contact then on file had left the customer.").format(as_of=as_of)
        )
    else:
        _table(current)
        if gone := current.filter(~pl.col("active")).height:
            st.caption(
                ngettext(
                    "{count} of these contacts left the customer after {as_of}.",
                    "{count} of these contacts left the customer after {as_of}.",
                    gone,
                ).format(count=gone, as_of=as_of)
            )
    if not former.is_empty():
        with st.expander(_("Former contacts, no longer at the customer ({count})").format(count=former.height)):
            _table(former)
    if not later.is_empty():
        # Open when one was entered today: the manager who has just added it finds it.
        with st.expander(
            _("Entered after {as_of}, not counted at that date ({count})").format(as_of=as_of, count=later.height),
            expanded=later["entered_on"].eq(date.today()).any(),
        ):
            _table(later, entered=True)
    if user.role not in ("manager", "vp"):
        return
    # On a phone the form's button is a screen below the panel's top: a saved contact brings the page back to the
    # list that shows it, the confirmation under it (said once: a toast said it again); a refusal is told under the
    # form's button, where the thumb is (a toast covered the title), the page brought to the form's first message in
    # red.
    if confirmation := form.take_confirmation():
        # The list above stands at an earlier day: without a word, "Contacts (0)" over a contact just added reads
        # as a save that failed. That day is the page's as-of date: the sidebar's, or the period's last day where the
        # period ends before it.
        earlier = (
            _(
                "Counted from today: the list above shows the contacts as they stood at {as_of}, the last day of the "
                "period in the sidebar; a contact added today is listed under “Entered after {as_of}”."
            )
            if dashboard.ends_before_chosen(scope)
            else _(
                "Counted from today: the list above shows the contacts as they stood at {as_of}, the as-of date in "
                "the sidebar; a contact added today is listed under “Entered after {as_of}”."
            )
        )
        confirmation_box(SAVED, confirmation.message, earlier.format(as_of=as_of) if scope.as_of < date.today() else "")
    refused = form.refused_form() == "contact"
    told = form.take_refusal() and refused
    for key in ("contact_level", "contact_role"):
        st.session_state.setdefault(key, None)
    # The form changes a contact as it is now: the picker names it so, whatever the as-of date of the list above.
    choices = form.contact_choices(contacts.contacts_to_change(con, user, account_id))
    picked = form.picked_contact(account_id, choices)
    editing = picked is not None
    # A refused contact keeps the form open, its messages at their fields beside what was typed.
    with st.expander(_("Add or change a contact"), expanded=refused or editing):
        st.selectbox(
            _("Contact to add or change"),
            list(choices),
            format_func=choices.get,
            key=form.CONTACT_PICKED,
            on_change=form.open_contact,
            args=(account_id,),
        )
        st.caption(_("Contacts from the CRM export are not changed here: change them in the CRM."))
        with st.container(key=FORM):
            _form(user, account_id, refused, editing)
            if told:
                tell_refusal()
        if newer := form.newer_contact(picked):
            _saved_now(newer, account_id)
    # Last in the panel, once its messages are drawn. A save's box brought itself into view: the contact as saved now,
    # loaded into the form, leaves the page where its box was, below the form.
    if confirmation:
        return
    if form.take_reloaded():
        bring_into_view(FORM, "start")
    elif told:
        bring_first_error_into_view(FORM)


def _form(user: User, account_id: str, refused: bool, editing: bool) -> None:
    with st.form("contact", enter_to_submit=False):
        st.text_input(_("Full name"), key="contact_name")
        _field_error("name", refused)
        st.text_input(_("Title"), key="contact_title")
        _field_error("title", refused)
        st.selectbox(
            _("Level"),
            CONTACT_LEVELS,
            format_func=lambda c: _(CONTACT_LEVEL_LABELS[c]),
            key="contact_level",
            placeholder=_("Choose…"),
        )
        _field_error("level", refused)
        st.selectbox(
            _("Role in buying"),
            CONTACT_ROLES,
            format_func=lambda c: _(CONTACT_ROLE_LABELS[c]),
            key="contact_role",
            placeholder=_("Choose…"),
        )
        _field_error("role", refused)
        st.text_input(_("Phone"), key="contact_phone")
        _field_error("phone", refused)
        st.text_input(_("E-mail"), key="contact_email")
        _field_error("email", refused)
        st.text_area(
            _("Notes"), key="contact_notes", help=_("Character, interests: what helps the next manager take over")
        )
        _field_error("notes", refused)
        if editing:
            st.checkbox(
                _("Still at the customer"),
                key=form.CONTACT_ACTIVE,
                help=_(
                    "Untick when the contact has left the company: they stay on file among the former contacts and "
                    "no longer count as the account's executive contact."
                ),
            )
        _field_error("form", refused)
        st.form_submit_button(
            _("Save the contact") if editing else _("Add the contact"),
            on_click=form.save_contact,
            args=(user, account_id),
            type="primary",
            width="stretch",
        )


def _saved_now(newer: dict[str, Any], account_id: str) -> None:
    """The contact as someone else saved it meanwhile, under the form that still holds what the user typed."""
    with st.container(border=True):
        st.markdown("**" + _("The contact as saved now") + "**")
        level, role = newer["level"], newer["role"]
        for label, value in (
            (_("Full name"), newer["name"]),
            (_("Title"), newer["title"]),
            (_("Level"), _(CONTACT_LEVEL_LABELS[level]) if level in CONTACT_LEVEL_LABELS else level),
            (_("Role in buying"), _(CONTACT_ROLE_LABELS[role]) if role in CONTACT_ROLE_LABELS else role),
            (_("Phone"), newer["phone"]),
            (_("E-mail"), newer["email"]),
            (_("Notes"), newer["notes"]),
            (_("Still at the customer"), _("Yes") if newer["active"] else _("No")),
        ):
            st.text(label + ": " + (value or MISSING))  # text: shown as typed
        st.caption(_("What you typed is still in the form above."))
        st.button(
            _("Load the saved contact into the form"),
            on_click=form.take_newer_contact,
            args=(account_id,),
            width="stretch",
        )


def _table(listed: pl.DataFrame, entered: bool = False) -> None:
    """A table of contacts; entered: with the days each was entered and marked as having left (the last meeting
    counts up to the as-of date: one entered after it has none)."""
    shown = listed.with_columns(
        listed["level"].replace_strict({k: _(v) for k, v in CONTACT_LEVEL_LABELS.items()}, default=None),
        listed["role"].replace_strict({k: _(v) for k, v in CONTACT_ROLE_LABELS.items()}, default=None),
        listed["source"].replace_strict(value_names("source"), default=listed["source"]),
    ).select(
        "name",
        "title",
        "level",
        "role",
        *(("entered_on", "left_on") if entered else ("last_met",)),
        "phone",
        "email",
        "notes",
        "source",
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "name": _("Full name"),
            "title": _("Title"),
            "level": _("Level"),
            "role": _("Role in buying"),
            "last_met": st.column_config.DateColumn(_("Last met")),
            "entered_on": st.column_config.DateColumn(_("Entered on")),
            "left_on": st.column_config.DateColumn(_("Left the customer on")),
            "phone": _("Phone"),
            "email": _("E-mail"),
            "notes": _("Notes"),
            "source": _("From"),
        },
        placeholder=MISSING,
    )


def _field_error(field: str, refused: bool) -> None:
    if refused and (message := form.error(field)):
        st.error(md(message), icon=":material/error:")
