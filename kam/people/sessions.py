"""Stay signed in: a random token per browser, kept here only as a hash, with idle expiry and revocation.

The browser holds the token in an HttpOnly cookie that the server sets (``kam.ui.routes``): the
page never sees it. The sign-in hands the new token over through a one-time grant that lives a
few seconds in this process's memory, so the token itself never appears in a URL. A session ends
at sign-out, after ``session_idle_minutes`` without a request, and when the user's password,
role, manager link or access changes (``kam.people.users.end_sessions``).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta

import duckdb

from kam.config import Settings, settings
from kam.people import users
from kam.people.users import User
from kam.store import audit, db
from kam.store.write import write

# The cookie's name; its value is the token.
COOKIE = "kam_session"
# A grant works once, this many seconds after the sign-in that made it.
GRANT_SECONDS = 60
# Days an ended session's row is kept.
KEEP_DAYS = 30
# A session's last request is written at most this often (every run would be a write).
TOUCH_SECONDS = 60

_grants: dict[str, tuple[str, float]] = {}
_grants_lock = threading.Lock()


def token_hash(token: str) -> str:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    con: duckdb.DuckDBPyConnection,
    user: User,
    via: str,
    now: datetime | None = None,
    policy: Settings | None = None,
) -> str:
    """A new session for user (signed in by via: password, single sign-on, directory); returns its token."""
    now, policy = now or datetime.now(), policy or settings()
    token = secrets.token_urlsafe(32)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        db.execute(
            cur,
            """
            INSERT INTO sessions (token_hash, username, via, email, name, role, manager_id, generation,
                                  created_at, last_seen, expires_at)
            VALUES ($hash, $username, $via, $email, $name, $role, $manager_id, $generation, $now, $now, $expires)
            """,
            {
                "hash": token_hash(token),
                "username": user.username,
                "via": via,
                "email": user.email,
                "name": user.name,
                "role": user.role,
                "manager_id": user.manager_id,
                "generation": user.generation,
                "now": now,
                "expires": now + timedelta(minutes=policy.session_idle_minutes),
            },
        )
        audit.record(cur, user.username, "session.start", user.username, after={"via": via})
        # Sessions long over are forgotten (the audit log keeps their start and end).
        db.execute(cur, "DELETE FROM sessions WHERE expires_at < $stale", {"stale": now - timedelta(days=KEEP_DAYS)})

    write(con, work)
    return token


def _live_row(con: duckdb.DuckDBPyConnection, hashed: str, now: datetime) -> dict | None:
    found = db.query(
        con,
        "SELECT * FROM sessions WHERE token_hash = $hash AND revoked_at IS NULL AND expires_at > $now",
        {"hash": hashed, "now": now},
    )
    return found.row(0, named=True) if found.height else None


def restore(con: duckdb.DuckDBPyConnection, token: str | None, now: datetime | None = None) -> User | None:
    """The user a browser's token stands for, or None (unknown, expired, revoked, or the user may no longer sign in)."""
    if not token or len(token) > 200:
        return None
    now = now or datetime.now()
    row = _live_row(con, token_hash(token), now)
    if row is None:
        return None
    directory = row["via"] == "directory"
    held = User(
        row["username"],
        row["name"] or row["username"],
        row["role"] or "",
        row["manager_id"],
        row["email"],
        generation=row["generation"],
        directory=directory,
    )
    user = users.refresh(con, held)
    if user is None:
        return None
    if row["via"] != "password":
        user = replace(user, must_change_password=False)
    touch(con, token_hash(token), now, force=True)
    return user


def via(con: duckdb.DuckDBPyConnection, hashed: str) -> str | None:
    """How the session's user signed in: password, single sign-on or directory."""
    return db.scalar(con, "SELECT via FROM sessions WHERE token_hash = $hash", {"hash": hashed})


def ended(con: duckdb.DuckDBPyConnection, hashed: str, now: datetime | None = None) -> str | None:
    """None while the session is on (a request on it moves its idle expiry on); else why it ended."""
    now = now or datetime.now()
    if _live_row(con, hashed, now) is None:
        why = db.scalar(con, "SELECT revoked_why FROM sessions WHERE token_hash = $hash", {"hash": hashed})
        return why or "expired"
    touch(con, hashed, now)
    return None


def touch(con: duckdb.DuckDBPyConnection, hashed: str, now: datetime, force: bool = False) -> None:
    """Move the idle expiry on from now (at most once a minute unless forced)."""
    policy = settings()
    recent = now - timedelta(seconds=0 if force else TOUCH_SECONDS)
    write(
        con,
        lambda cur: db.execute(
            cur,
            """
            UPDATE sessions SET last_seen = $now, expires_at = $expires
            WHERE token_hash = $hash AND revoked_at IS NULL AND last_seen <= $recent
            """,
            {
                "now": now,
                "expires": now + timedelta(minutes=policy.session_idle_minutes),
                "hash": hashed,
                "recent": recent,
            },
        ),
    )


def revoke(con: duckdb.DuckDBPyConnection, hashed: str, why: str, now: datetime | None = None) -> None:
    """End one session (sign-out)."""

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        username = db.scalar(
            cur,
            "SELECT username FROM sessions WHERE token_hash = $hash AND revoked_at IS NULL",
            {"hash": hashed},
        )
        if username is None:
            return
        db.execute(
            cur,
            "UPDATE sessions SET revoked_at = $now, revoked_why = $why WHERE token_hash = $hash",
            {"now": now or datetime.now(), "why": why, "hash": hashed},
        )
        audit.record(cur, username, "session.end", username, after={"why": why})

    write(con, work)


def grant(token: str) -> str:
    """A one-time code that the cookie route swaps for token within GRANT_SECONDS."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _grants_lock:
        for stale in [key for key, (_, made) in _grants.items() if now - made > GRANT_SECONDS]:
            del _grants[stale]
        _grants[code] = (token, now)
    return code


def redeem(code: str | None) -> str | None:
    """The token a grant stands for, once; None if unknown, used or too old."""
    if not code:
        return None
    with _grants_lock:
        found = _grants.pop(code, None)
    if found is None or time.monotonic() - found[1] > GRANT_SECONDS:
        return None
    return found[0]
