"""The weekly brief by mail: the admin's schedule, and sending what is due, each recipient their own scope."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import duckdb

from kam import i18n
from kam.config import Settings, settings
from kam.i18n import N_, _
from kam.jobs import mail
from kam.people.users import User
from kam.store import audit, db
from kam.store.write import write

SCHEDULE_ID = 1
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
# One sending at a time in a process: the background thread and a page may both ask.
_SENDING = threading.Lock()


class ScheduleError(Exception):
    """A schedule refused; str() says why."""


@dataclass(frozen=True)
class Schedule:
    recipients: tuple[str, ...]
    weekday: int
    hour: int
    active: bool
    updated_at: datetime
    last_sent_at: datetime | None


def schedule(con: duckdb.DuckDBPyConnection) -> Schedule | None:
    """The brief's mailing schedule, if the admin has set one."""
    frame = db.query(con, "SELECT * FROM brief_schedules WHERE schedule_id = $id", {"id": SCHEDULE_ID})
    if frame.is_empty():
        return None
    row = frame.row(0, named=True)
    return Schedule(
        tuple(row["recipients"]), row["weekday"], row["hour"], row["active"], row["updated_at"], row["last_sent_at"]
    )


def recipients(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Users who can receive the brief (active, with an e-mail): user name -> 'Name <e-mail>'."""
    frame = db.query(
        con, "SELECT username, name, email FROM users WHERE active AND email IS NOT NULL ORDER BY username"
    )
    return {row[0]: f"{row[1]} <{row[2]}>" for row in frame.iter_rows()}


def save_schedule(
    con: duckdb.DuckDBPyConnection,
    names: list[str],
    weekday: int,
    hour: int,
    active: bool,
    by: str,
    now: datetime | None = None,
) -> None:
    """Set the schedule; it counts from now, so a slot already past this week is not sent at once."""
    if not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise ScheduleError(_("Pick a weekday and an hour from 0 to 23."))
    unknown = sorted(set(names) - set(recipients(con)))
    if unknown:
        raise ScheduleError(_("Not active users with an e-mail: {names}.").format(names=", ".join(unknown)))
    before = schedule(con)
    after = {"recipients": sorted(names), "weekday": weekday, "hour": hour, "active": active}
    params = after | {"id": SCHEDULE_ID, "by": by, "now": now or datetime.now()}
    old = None
    if before is not None:
        old = {"recipients": list(before.recipients), "weekday": before.weekday, "hour": before.hour}
        old["active"] = before.active

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        db.execute(
            cur,
            """
            INSERT INTO brief_schedules (schedule_id, recipients, weekday, hour, active, updated_by, updated_at)
            VALUES ($id, $recipients, $weekday, $hour, $active, $by, $now)
            ON CONFLICT (schedule_id) DO UPDATE SET recipients = excluded.recipients,
                weekday = excluded.weekday, hour = excluded.hour, active = excluded.active,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """,
            params,
        )
        audit.record(cur, by, "brief.schedule", str(SCHEDULE_ID), before=old, after=after)

    write(con, work, busy=ScheduleError, also_conflicts=(duckdb.ConstraintException,))


def last_slot(weekday: int, hour: int, now: datetime) -> datetime:
    """The latest time at or before now that falls on the weekday and hour."""
    slot = datetime.combine(now.date() - timedelta(days=(now.weekday() - weekday) % 7), datetime.min.time())
    slot = slot.replace(hour=hour)
    return slot if slot <= now else slot - timedelta(days=7)


def due_slot(plan: Schedule | None, now: datetime) -> datetime | None:
    """The slot to send now, if any: the latest one, after the schedule was set and not yet sent."""
    if plan is None or not plan.active or not plan.recipients:
        return None
    slot = last_slot(plan.weekday, plan.hour, now)
    if slot < plan.updated_at or (plan.last_sent_at is not None and slot <= plan.last_sent_at):
        return None
    return slot


def _user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    frame = db.query(
        con,
        "SELECT username, name, role, manager_id, email, language FROM users WHERE username = $u AND active",
        {"u": username},
    )
    if not frame.height:
        return None
    row = frame.row(0, named=True)
    return User(row["username"], row["name"], row["role"], row["manager_id"], row["email"], language=row["language"])


# What the brief of one recipient is: (the week it covers, in words; [(file name, content)]).
BriefFiles = Callable[[duckdb.DuckDBPyConnection, User, Settings], tuple[str, list[tuple[str, bytes]]]]
MIME = {".html": ("text", "html"), ".pdf": ("application", "pdf")}


def brief_message(user: User, policy: Settings, week: str, files: list[tuple[str, bytes]]) -> EmailMessage:
    """The mail to one recipient: a short text with the brief attached, in their stored language (else the
    deployment's), as the brief is."""
    message = EmailMessage()
    with i18n.speaking(i18n.resolve(user.language, None, policy.language)):
        message["Subject"] = _("Key accounts: weekly brief {week}").format(week=week)
        if user.sees_everything:
            text = _("The weekly brief for {week} is attached.").format(week=week)
        else:
            text = _("The weekly brief for {week} is attached. It covers your own accounts only.").format(week=week)
    message["From"] = policy.smtp_sender
    message["To"] = f"{user.name} <{user.email}>"
    message.set_content(text)
    for name, content in files:
        maintype, subtype = MIME[name[name.rindex(".") :]]
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def send_due(
    con: duckdb.DuckDBPyConnection,
    make: BriefFiles,
    now: datetime | None = None,
    policy: Settings | None = None,
) -> list[str]:
    """Send the brief if its slot is due, once; one line per recipient says what happened.

    make draws each recipient's brief (kam.reports.brief.mail_files; passed in, as reports
    stands on this package's layer).
    """
    now, policy = now or datetime.now(), policy or settings()
    with _SENDING:
        slot = due_slot(schedule(con), now)
        if slot is None:
            return []
        plan = schedule(con)
        results: list[tuple[str, str, str | None]] = []
        for username in plan.recipients:
            user = _user(con, username)
            if user is None or not user.email:
                results.append((username, "brief.skipped", "not an active user with an e-mail"))
                continue
            try:
                mail.send(policy, [brief_message(user, policy, *make(con, user, policy))])
            except mail.MailError as failed:
                results.append((username, "brief.failed", str(failed)))
            else:
                results.append((username, "brief.sent", None))
        _record(con, slot, results)
        return [f"{name}: {action.split('.')[1]}" + (f" ({why})" if why else "") for name, action, why in results]


def _record(con: duckdb.DuckDBPyConnection, slot: datetime, results: list[tuple[str, str, str | None]]) -> None:
    """The slot as sent, and an audit row per recipient, in one write."""

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        db.execute(
            cur,
            "UPDATE brief_schedules SET last_sent_at = $slot WHERE schedule_id = $id",
            {"slot": slot, "id": SCHEDULE_ID},
        )
        for username, action, why in results:
            audit.record(cur, "scheduler", action, username, after={"slot": slot, "error": why})

    write(con, work)
