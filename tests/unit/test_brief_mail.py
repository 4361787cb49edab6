"""The scheduled brief reaches a local SMTP server, once per slot, each recipient with their own scope."""

from __future__ import annotations

import dataclasses
import email
import socket
from collections.abc import Iterator
from datetime import datetime
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kam.config import Settings, settings
from kam.jobs import briefs
from kam.people import users
from kam.reports.brief import mail_files
from kam.store import audit, db
from tests.portfolio import build

# Set on Wednesday 2026-07-01 for Mondays at 08:00: the first slot is Monday 2026-07-06 08:00.
SET_AT = datetime(2026, 7, 1, 10, 0)
MONDAY_8 = datetime(2026, 7, 6, 8, 0)


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _policy(port: int, browser: str = "") -> Settings:
    return dataclasses.replace(
        settings(),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_sender="kam@example.com",
        smtp_tls="none",
        browser_path=browser,
    )


def _attachments(message: Message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}


@pytest.fixture
def deployment(tmp_path: Path) -> Path:
    path = build(tmp_path)
    with db.connect(path) as con:
        users.add_user(con, "chen", "陈总", "vp", "long-enough-pass", None, "chen@example.com", "admin")
        users.add_user(con, "wang", "王伟", "manager", "long-enough-pass", "M1", "wang@example.com", "admin")
        users.add_user(con, "li", "李娜", "manager", "long-enough-pass", "M2", None, "admin")
    return path


def test_no_slot_before_the_schedule_was_set():
    plan = briefs.Schedule(("chen",), weekday=0, hour=8, active=True, updated_at=SET_AT, last_sent_at=None)
    assert briefs.due_slot(plan, datetime(2026, 7, 1, 11, 0)) is None  # last Monday 08:00 was before it was set
    assert briefs.due_slot(plan, datetime(2026, 7, 6, 7, 59)) is None
    assert briefs.due_slot(plan, datetime(2026, 7, 6, 8, 0)) == MONDAY_8
    assert briefs.due_slot(plan, datetime(2026, 7, 9, 23, 0)) == MONDAY_8
    sent = dataclasses.replace(plan, last_sent_at=MONDAY_8)
    assert briefs.due_slot(sent, datetime(2026, 7, 13, 7, 0)) is None
    assert briefs.due_slot(sent, datetime(2026, 7, 13, 8, 0)) == datetime(2026, 7, 13, 8, 0)


def test_only_active_users_with_an_e_mail_can_be_picked(deployment: Path):
    with db.connect(deployment) as con:
        assert set(briefs.recipients(con)) >= {"chen", "wang"}
        assert "li" not in briefs.recipients(con)
        with pytest.raises(briefs.ScheduleError, match="li"):
            briefs.save_schedule(con, ["chen", "li"], 0, 8, True, "admin", now=SET_AT)
        assert briefs.schedule(con) is None


def test_the_scheduled_mail_arrives_once_with_each_recipients_brief(deployment: Path, inbox):
    handler, port = inbox
    policy = _policy(port)
    with db.connect(deployment) as con:
        briefs.save_schedule(con, ["chen", "wang"], 0, 8, True, "admin", now=SET_AT)
        assert briefs.send_due(con, mail_files, now=datetime(2026, 7, 6, 7, 59), policy=policy) == []
        assert briefs.send_due(con, mail_files, now=MONDAY_8, policy=policy) == ["chen: sent", "wang: sent"]
        # The same slot asked again, a minute later: nothing more is sent.
        assert briefs.send_due(con, mail_files, now=datetime(2026, 7, 6, 8, 1), policy=policy) == []
        assert briefs.schedule(con).last_sent_at == MONDAY_8
        sent = audit.events(con, action="brief.sent")
    assert sorted(sent["target"].to_list()) == ["chen", "wang"]
    assert [to for to, _ in handler.received] == [["chen@example.com"], ["wang@example.com"]]
    vp, manager = (message for _, message in handler.received)
    assert vp["From"] == "kam@example.com"
    files = {name: _attachments(message) for name, message in (("vp", vp), ("manager", manager))}
    for attached in files.values():
        assert sorted(attached) == ["weekly-brief-2026-07-26.html", "weekly-brief-2026-07-26.pdf"]
        assert attached["weekly-brief-2026-07-26.pdf"].startswith(b"%PDF")
    vp_html = files["vp"]["weekly-brief-2026-07-26.html"].decode("utf-8")
    manager_html = files["manager"]["weekly-brief-2026-07-26.html"].decode("utf-8")
    # M1 manages K1, K2 and K6; M2's accounts and M2 (李娜) are in the VP's brief only.
    assert "Only the recipient&#x27;s own accounts: 3 in all, active or not" in manager_html
    assert "own accounts" not in vp_html
    assert "李娜" in vp_html and "李娜" not in manager_html


def test_a_refusing_mail_server_is_recorded_and_not_retried(deployment: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    policy = _policy(closed_port, browser="/nonexistent/chromium")
    with db.connect(deployment) as con:
        briefs.save_schedule(con, ["chen"], 0, 8, True, "admin", now=SET_AT)
        [line] = briefs.send_due(con, mail_files, now=MONDAY_8, policy=policy)
        assert line.startswith("chen: failed (The mail server 127.0.0.1:")
        failed = audit.events(con, action="brief.failed")
    assert failed["target"].to_list() == ["chen"]
