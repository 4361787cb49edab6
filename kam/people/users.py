"""Users, roles and the built-in sign-in: salted scrypt hashes, lock-out after repeated failures, audit.

Roles: ``vp`` sees everything, ``manager`` only the accounts they manage (``manager_id``
links the user to a manager of the exports), ``admin`` everything and the admin page.
Passwords are stored only as scrypt hashes with a per-user salt, never logged.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from kam import i18n
from kam.config import Settings, settings
from kam.i18n import N_, NP_, _
from kam.present.columns import ROLE_NAMES
from kam.store import audit, db
from kam.store.schema import SHARED_EMAIL
from kam.store.write import Busy, write

ROLES = ("vp", "manager", "admin")
MIN_PASSWORD = 10
# scrypt cost: about 50 ms a hash here, slow enough to make guessing expensive.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# The users the bundled demo data ships with (README lists them); gone once real exports are loaded. Each is named
# when seeded, in the deployment's language (its sidebar and the admin's list of users show the name); a demo manager
# as the exports name their manager (demo_name).
DEMO_MANAGER = N_("Demo manager {manager}")
DEMO_USERS = (
    ("vp", N_("Demo VP"), "vp", None, "vp-demo-2026"),
    ("demo-admin", N_("Demo admin"), "admin", None, "admin-demo-2026"),
    ("m01", DEMO_MANAGER, "manager", "M01", "m01-demo-2026"),
    ("m02", DEMO_MANAGER, "manager", "M02", "m02-demo-2026"),
)
FIRST_ADMIN = "admin"
# The first admin's name, in the deployment's language (the role is named "Administrator" too: not the same words in
# Chinese).
FIRST_ADMIN_NAME = NP_("user's name", "Administrator")
# Longest user name; what is typed into the sign-in form is cut there before anything else.
MAX_NAME = 64
# Why a change of role or manager link ended a user's stay-signed-in sessions.
CHANGED = "user changed"
# The audit log's target for a failed sign-in with a name no user has (it may be a password).
UNKNOWN = "unknown"
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def role_label(role: str) -> str:
    """The role as the screen names it, in the run's language."""
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def password_rule() -> str:
    """The password rule, as the forms and a refusal state it."""
    return _("The password needs at least {count} characters, not digits only, not a common password.").format(
        count=MIN_PASSWORD
    )


@dataclass(frozen=True)
class User:
    """A signed-in user."""

    username: str
    name: str
    role: str
    manager_id: str | None = None
    email: str | None = None
    must_change_password: bool = False
    # The user's generation when this session signed in: a reset or deactivation moves it on.
    generation: int = 0
    # The interface language they chose, or None (the browser's, else the deployment's default).
    language: str | None = None
    # Signed in with the company directory: no user record here, role from the directory's groups.
    directory: bool = False

    @property
    def sees_everything(self) -> bool:
        return self.role != "manager"


class SignInError(Exception):
    """Sign-in refused; str() is the message for the user (it never says which part was wrong)."""


class UserError(Exception):
    """A change to users refused; str() says why."""


class InvalidUser(UserError):
    """A new or changed user breaks rules; errors maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class UserNotSaved(UserError, Busy):
    """The database kept refusing a change to users after every retry; nothing was saved."""


class AmbiguousEmail(SignInError):
    """Single sign-on refused: more than one user or manager has the address; str() says so."""


class SignInBusy(SignInError, Busy):
    """The database kept refusing a sign-in's bookkeeping after every retry; not signed in."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@functools.cache
def _decoy_hash() -> str:
    """A hash to check unknown user names against, so that they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def _row(con: duckdb.DuckDBPyConnection, username: str) -> dict[str, Any] | None:
    frame = db.query(con, "SELECT * FROM users WHERE username = $username", {"username": username})
    return frame.row(0, named=True) if frame.height else None


def _existing(con: duckdb.DuckDBPyConnection, username: str) -> dict[str, Any]:
    """The user's row; UserError when there is no such user."""
    row = _row(con, username)
    if row is None:
        raise UserError(_("There is no user {user}.").format(user=username))
    return row


def _user(row: dict[str, Any]) -> User:
    return User(
        username=row["username"],
        name=row["name"],
        role=row["role"],
        manager_id=row["manager_id"],
        email=row["email"],
        must_change_password=bool(row["must_change_password"]),
        generation=row["generation"] or 0,
        language=row.get("language"),
    )


def sign_in(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    now: datetime | None = None,
    policy: Settings | None = None,
    source: str | None = None,
) -> User:
    """The user, if the password is right, the user active, and neither name nor source slowed down.

    One write per attempt: the check, the failure count or success stamp and the audit row
    commit together, so attempts at once are counted one after the other. Failures are
    counted per typed name from one source (the browser's address, where known) and per
    source: an attacker slows themself down, not the real user elsewhere. Known and unknown
    names get the same answers.
    """
    now, policy = now or datetime.now(), policy or settings()
    username = (username or "").strip().lower()[:MAX_NAME]
    source = (source or "").strip()[:MAX_NAME]

    def work(cur: duckdb.DuckDBPyConnection) -> User | SignInError:
        # A refusal is returned, not raised: raising would roll back the failure count.
        return _attempt(cur, username, password, now, policy, source)

    # Attempts at once may both insert the first failure of a name: the later one runs again.
    outcome = write(con, work, busy=SignInBusy, also_conflicts=(duckdb.ConstraintException,))
    if isinstance(outcome, SignInError):
        raise outcome
    return outcome


def _digest(text: str) -> str:
    """A stand-in for a typed name that may be a password typed in the wrong field."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _attempt(
    cur: duckdb.DuckDBPyConnection, username: str, password: str, now: datetime, policy: Settings, source: str
) -> User | SignInError:
    row = _row(cur, username)
    known = row is not None
    # What the audit log keeps of the typed name: the name of a known user, else a hash of it.
    who, target = (username, username) if known else (None, UNKNOWN)
    name_key = f"name:{_digest(username)}@{source}"
    source_key = f"source:{source}" if source else None
    until = db.scalar(
        cur,
        "SELECT max(locked_until) FROM sign_in_throttle WHERE key IN ($name_key, $source_key) AND locked_until > $now",
        {"name_key": name_key, "source_key": source_key, "now": now},
    )
    if until is not None:
        audit.record(cur, who, "sign_in.locked", target, after=None if known else {"name": _digest(username)})
        return SignInError(_("Too many failed attempts: try again after {time}.").format(time=f"{until:%H:%M}"))
    usable = known and row["active"]
    right = verify_password(password, row["password_hash"] if usable else _decoy_hash())
    if not (usable and right):
        failures, locked = _count_failure(
            cur, name_key, username if known else None, now, policy.max_failed_logins, policy
        )
        if source_key is not None:
            _n, source_locked = _count_failure(cur, source_key, None, now, policy.source_max_failed_logins, policy)
            locked = locked or source_locked
        after = {"failures": failures, "locked": locked, "source": source or None}
        if not usable:
            after["why"] = "unknown or inactive"
        if not known:
            after["name"] = _digest(username)
        audit.record(cur, who, "sign_in.failed", target, after=after)
        if locked:
            return SignInError(
                _("Too many failed attempts: locked for {minutes} minutes.").format(minutes=policy.lockout_minutes)
            )
        return SignInError(_("Wrong user name or password."))
    if row["must_change_password"] and _expired(row, now, policy):
        audit.record(cur, username, "sign_in.expired", username)
        return SignInError(_("This one-time password has expired; ask an admin for a new one."))
    # The name's own count ends here; counts idle longer than a lock-out are forgotten, so
    # that names typed once (and maybe never again) do not pile up.
    db.execute(
        cur,
        """
        DELETE FROM sign_in_throttle
        WHERE key = $key OR (last_failure < $stale AND coalesce(locked_until, $stale) < $now)
        """,
        {"key": name_key, "stale": now - timedelta(minutes=policy.lockout_minutes), "now": now},
    )
    db.execute(
        cur,
        "UPDATE users SET failed_logins = 0, locked_until = NULL, last_sign_in = $now WHERE username = $username",
        {"now": now, "username": username},
    )
    audit.record(cur, username, "sign_in", username)
    return _user(row)


def _expired(row: dict[str, Any], now: datetime, policy: Settings) -> bool:
    """True when the one-time password is older than one_time_password_hours."""
    set_at = row["password_set_at"] or row["created_at"]
    return now - set_at > timedelta(hours=policy.one_time_password_hours)


def _count_failure(
    cur: duckdb.DuckDBPyConnection, key: str, username: str | None, now: datetime, limit: int, policy: Settings
) -> tuple[int, bool]:
    """One more failure for key; at limit it is locked for the lock-out minutes. (failures, locked now)."""
    earlier = db.scalar(
        cur,
        # Failures before a lock-out that has passed start the count afresh.
        "SELECT CASE WHEN locked_until IS NULL THEN failures ELSE 0 END FROM sign_in_throttle WHERE key = $key",
        {"key": key},
    )
    failures = (earlier or 0) + 1
    locked = failures >= limit
    db.execute(
        cur,
        """
        INSERT INTO sign_in_throttle (key, username, failures, locked_until, last_failure)
        VALUES ($key, $username, $failures, $until, $now)
        ON CONFLICT (key) DO UPDATE
        SET failures = excluded.failures, locked_until = excluded.locked_until, last_failure = excluded.last_failure
        """,
        {
            "key": key,
            "username": username,
            "failures": 0 if locked else failures,
            "until": now + timedelta(minutes=policy.lockout_minutes) if locked else None,
            "now": now,
        },
    )
    return failures, locked


def end_sessions(cur: duckdb.DuckDBPyConnection, username: str, why: str) -> None:
    """Revoke every open stay-signed-in session of the user, in the caller's write."""
    db.execute(
        cur,
        """
        UPDATE sessions SET revoked_at = $now, revoked_why = $why
        WHERE username = $username AND revoked_at IS NULL
        """,
        {"now": datetime.now(), "why": why, "username": username},
    )


def unlock(con: duckdb.DuckDBPyConnection, username: str, by: str | None, now: datetime | None = None) -> int:
    """Lift every lock-out of a user name (from every source); how many were on."""

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        _existing(cur, username)
        lifted = _unlock(cur, username, now or datetime.now())
        audit.record(cur, by, "user.unlock", username, after={"locks": lifted})
        return lifted

    return write(con, work, busy=UserNotSaved)


def _unlock(cur: duckdb.DuckDBPyConnection, username: str, now: datetime) -> int:
    lifted = db.scalar(
        cur,
        "SELECT count(*) FROM sign_in_throttle WHERE username = $username AND locked_until > $now",
        {"username": username, "now": now},
    )
    db.execute(cur, "DELETE FROM sign_in_throttle WHERE username = $username", {"username": username})
    return lifted


def user_for_email(con: duckdb.DuckDBPyConnection, email: str | None) -> User | None:
    """The user with this e-mail (single sign-on), or else the manager of the exports with it.

    None if there is neither, or if that user is deactivated (the manager of the exports with the
    same e-mail does not stand in for a deactivated user). An address that more than one user,
    or more than one manager of the exports, has is refused (AmbiguousEmail): never guessed.
    """
    if not email:
        return None
    found = db.query(con, "SELECT * FROM users WHERE lower(email) = lower($email)", {"email": email})
    if found.height > 1:
        raise AmbiguousEmail(_ambiguous(email, "users"))
    if found.height:
        row = found.row(0, named=True)
        return _user(row) if row["active"] else None
    managers = db.query(
        con,
        "SELECT manager_id, name, email, active FROM managers WHERE lower(email) = lower($email)",
        {"email": email},
    )
    if managers.height > 1:
        raise AmbiguousEmail(_ambiguous(email, "managers in the exports"))
    if managers.height and managers["active"][0]:
        manager = managers.row(0, named=True)
        return User(manager["email"].lower(), manager["name"], "manager", manager["manager_id"], manager["email"])
    if _dropped_as_shared(con, email):
        raise AmbiguousEmail(_ambiguous(email, "managers in the exports"))
    return None


def _dropped_as_shared(con: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Whether the latest load dropped this address from the managers that shared it."""
    dropped = db.scalar(
        con,
        """
        SELECT count(*)
        FROM load_rejects
        WHERE load_id = (SELECT max(load_id) FROM load_history)
          AND table_name = 'managers'
          AND column_name = 'email'
          AND lower(reason) = lower(chr(39) || $email || chr(39) || ' ' || $shared)
        """,
        {"email": email.strip(), "shared": SHARED_EMAIL},
    )
    return bool(dropped)


def _ambiguous(email: str, who: str) -> str:
    if who == "users":
        message = _("Several users have the e-mail {email}, so single sign-on cannot tell who you are.")
    else:
        message = _(
            "Several managers in the exports have the e-mail {email}, so single sign-on cannot tell who you are."
        )
    return message.format(email=email) + " " + _("Ask an admin to correct it.")


def refresh(con: duckdb.DuckDBPyConnection, user: User) -> User | None:
    """The user as the store has them now, or None once they may no longer sign in.

    A session re-reads its user on every request, so that deactivating a user, changing
    their role or their manager link, or a load retiring the demo users, applies at once.
    A password set or reset, or a deactivation, ends every session that signed in before it
    (the user's generation moved on). A manager signed in by single sign-on without a user
    record is looked up by e-mail again.
    """
    row = _row(con, user.username)
    if row is not None:
        same = (row["generation"] or 0) == user.generation and not user.directory
        return _user(row) if row["active"] and same else None
    if user.directory:
        # Its session (kam.people.sessions) is what ends it: idle expiry, sign-out.
        return user
    try:
        found = user_for_email(con, user.email)
    except AmbiguousEmail:
        return None
    return found if found is not None and found.username == user.username else None


def _role_errors(role: str, manager_id: str | None) -> dict[str, str]:
    """Field → message for a role or manager link that may not be saved."""
    if role not in ROLES:
        return {"role": _("Role must be one of {roles}.").format(roles=", ".join(ROLES))}
    if role == "manager" and not manager_id:
        return {"manager_id": _("A manager must be linked to a manager id of the exports.")}
    return {}


def _password_problem(password: str) -> str | None:
    """Why the password may not be used, or None."""
    if len(password) < MIN_PASSWORD:
        return password_rule()
    if password.isdigit():
        return _("A password of digits only is too easy to guess; add letters or signs.")
    if password.lower() in common_passwords():
        return _("This password is one of the most common ones; choose another.")
    return None


def _check_password(password: str) -> None:
    if problem := _password_problem(password):
        raise UserError(problem)


def _email_problem(con: duckdb.DuckDBPyConnection | None, email: str | None, username: str) -> str | None:
    """Why the e-mail may not be the user's, or None: an e-mail signs in by single sign-on, so it may belong to one
    user only (checked when given a connection)."""
    if not email:
        return None
    if "@" not in email or any(c.isspace() for c in email):
        return _("{email} is not an e-mail address.").format(email=email)
    if con is None:
        return None
    other = db.scalar(
        con,
        "SELECT username FROM users WHERE lower(email) = lower($email) AND username <> $username LIMIT 1",
        {"email": email, "username": username},
    )
    if other is not None:
        return _("{user} already has the e-mail {email}.").format(user=other, email=email)
    return None


def _check_email(con: duckdb.DuckDBPyConnection, email: str | None, username: str) -> None:
    if problem := _email_problem(con, email, username):
        raise UserError(problem)


def _username_problem(username: str) -> str | None:
    """Why the (stripped, lower-cased) name may not be a user name, or None."""
    if not username:
        return _("Enter a user name.")
    if not username.replace("-", "").replace(".", "").replace("_", "").isalnum():
        return _("A user name is letters, digits, '-', '.' or '_'.")
    if len(username) > MAX_NAME:
        return _("A user name has at most {count} characters.").format(count=MAX_NAME)
    return None


def new_user_errors(
    con: duckdb.DuckDBPyConnection | None,
    username: str,
    role: str,
    password: str,
    manager_id: str | None = None,
    email: str | None = None,
) -> dict[str, str]:
    """Field → message for every rule a new user breaks (username, role, manager_id, password, email); empty when
    it may be added. Without a connection, the checks that need none."""
    username, email = username.strip().lower(), (email or "").strip() or None
    errors: dict[str, str] = {}
    if problem := _username_problem(username):
        errors["username"] = problem
    elif con is not None and _row(con, username) is not None:
        errors["username"] = _("There is already a user {user}.").format(user=username)
    errors |= _role_errors(role, manager_id)
    if problem := _password_problem(password):
        errors["password"] = problem
    if problem := _email_problem(con, email, username):
        errors["email"] = problem
    return errors


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    name: str,
    role: str,
    password: str,
    manager_id: str | None = None,
    email: str | None = None,
    by: str | None = None,
    must_change_password: bool = True,
    demo: bool = False,
) -> None:
    """Create a user; by default they choose their own password at the first sign-in.

    Raises InvalidUser with a message for every field that breaks a rule; the checks the database needs are made
    again in the write."""
    password_hash = _new_user_hash(con, username, role, manager_id, password, email)
    write(
        con,
        lambda cur: _insert_user(
            cur, username, name, role, password_hash, manager_id, email, by, must_change_password, demo
        ),
        busy=UserNotSaved,
    )


def _new_user_hash(
    con: duckdb.DuckDBPyConnection | None,
    username: str,
    role: str,
    manager_id: str | None,
    password: str,
    email: str | None = None,
) -> str:
    """Every check at once (InvalidUser), then the hash (slow: kept out of the transaction)."""
    if errors := new_user_errors(con, username, role, password, manager_id, email):
        raise InvalidUser(errors)
    return hash_password(password)


def _insert_user(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    name: str,
    role: str,
    password_hash: str,
    manager_id: str | None,
    email: str | None,
    by: str | None,
    must_change_password: bool,
    demo: bool,
) -> None:
    """Insert a checked user with its audit row, in the caller's write."""
    username, email = username.strip().lower(), (email or "").strip() or None
    if _row(cur, username) is not None:
        raise UserError(_("There is already a user {user}.").format(user=username))
    _check_email(cur, email, username)
    db.execute(
        cur,
        """
        INSERT INTO users (username, name, role, manager_id, email, password_hash, active, failed_logins,
                           must_change_password, demo, created_at, password_set_at)
        VALUES ($username, $name, $role, $manager_id, $email, $hash, true, 0, $must_change, $demo, $now, $now)
        """,
        {
            "username": username,
            "name": name.strip() or username,
            "role": role,
            "manager_id": manager_id if role == "manager" else None,
            "email": email,
            "hash": password_hash,
            "must_change": must_change_password,
            "demo": demo,
            "now": datetime.now(),
        },
    )
    audit.record(cur, by, "user.add", username, after={"role": role, "manager_id": manager_id, "email": email})


def update_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    by: str | None,
    role: str | None = None,
    manager_id: str | None = None,
    active: bool | None = None,
    email: str | None = None,
) -> str | None:
    """Change a user's role, manager link or e-mail ("" for none), or whether they may sign in; None keeps it.

    Only a manager keeps a manager link. The last active admin can be neither demoted nor deactivated.
    Raises InvalidUser with a message for every field that breaks a rule, and then changes nothing.
    A retired demo user let in again gets a one-time password, returned to hand over (its
    published one stops working) and becomes a regular user; otherwise returns None.
    """
    one_time = secrets.token_urlsafe(12)
    one_time_hash = hash_password(one_time)

    def work(cur: duckdb.DuckDBPyConnection) -> str | None:
        row = _existing(cur, username)
        new = _changed(row, role, manager_id, active, email)
        if errors := _change_errors(cur, row, new):
            raise InvalidUser(errors)
        if (new["role"], new["manager_id"], new["active"]) != (row["role"], row["manager_id"], row["active"]):
            end_sessions(cur, username, CHANGED)
        db.execute(
            cur,
            """
            UPDATE users SET role = $role, manager_id = $manager_id, email = $email, active = $active,
                             generation = generation + CASE WHEN active = $active THEN 0 ELSE 1 END
            WHERE username = $username
            """,
            new | {"username": username},
        )
        audit.record(cur, by, "user.change", username, before={key: row[key] for key in new}, after=new)
        if not (row["demo"] and not row["active"] and active is True):
            return None
        _store_password(cur, username, one_time_hash, must_change=True)
        db.execute(cur, "UPDATE users SET demo = false WHERE username = $username", {"username": username})
        audit.record(cur, by, "user.password", username, after={"must_change": True, "was": "demo"})
        return one_time

    return write(con, work, busy=UserNotSaved)


def changed_user_errors(
    con: duckdb.DuckDBPyConnection,
    username: str,
    role: str | None = None,
    manager_id: str | None = None,
    active: bool | None = None,
    email: str | None = None,
) -> dict[str, str]:
    """Field → message for every rule the change breaks (role, manager_id, active, email), arguments as
    update_user takes them; empty when it may be saved. UserError when there is no such user."""
    row = _existing(con, username)
    return _change_errors(con, row, _changed(row, role, manager_id, active, email))


def _change_errors(con: duckdb.DuckDBPyConnection, row: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Field → message for every rule that changing the user's row to new (_changed) breaks."""
    username = row["username"]
    errors = _role_errors(new["role"], new["manager_id"])
    if problem := _email_problem(con, new["email"], username):
        errors["email"] = problem
    if not (new["role"] == "admin" and new["active"]) and _last_admin(con, row):
        # Said at the field that takes the admin away: the role, else whether they may sign in.
        field = "role" if new["role"] != "admin" else "active"
        errors.setdefault(field, _("{user} is the last admin: make another user admin first.").format(user=username))
    return errors


def _changed(
    row: dict[str, Any], role: str | None, manager_id: str | None, active: bool | None, email: str | None
) -> dict[str, Any]:
    """The user's role, manager link, e-mail and active state once changed as update_user is asked to."""
    new = {
        "role": role or row["role"],
        "manager_id": row["manager_id"] if manager_id is None else manager_id or None,
        "email": row["email"] if email is None else email.strip() or None,
        "active": row["active"] if active is None else active,
    }
    if new["role"] != "manager":
        new["manager_id"] = None
    return new


def _last_admin(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> bool:
    """True when the user is the only active admin who is not a demo user."""
    if not (row["role"] == "admin" and row["active"] and not row["demo"]):
        return False
    others = db.scalar(
        con,
        "SELECT count(*) FROM users WHERE role = 'admin' AND active AND NOT demo AND username <> $username",
        {"username": row["username"]},
    )
    return not others


def set_password(
    con: duckdb.DuckDBPyConnection, username: str, password: str, by: str | None, must_change: bool = False
) -> int:
    """A new password (an admin's reset makes the user choose their own at the next sign-in).

    It ends every open session of the user; returns the user's new generation.
    """
    _check_password(password)
    password_hash = hash_password(password)

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        _existing(cur, username)
        _store_password(cur, username, password_hash, must_change)
        audit.record(cur, by, "user.password", username, after={"must_change": must_change})
        return _row(cur, username)["generation"]

    return write(con, work, busy=UserNotSaved)


def set_language(con: duckdb.DuckDBPyConnection, username: str, language: str) -> None:
    """Keep the interface language a user chose, so that it follows them to their next sign-in."""

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        row = _row(cur, username)
        if row is None or row["language"] == language:
            return
        db.execute(
            cur,
            "UPDATE users SET language = $language WHERE username = $username",
            {"language": language, "username": username},
        )
        audit.record(
            cur, username, "user.language", username, before={"language": row["language"]}, after={"language": language}
        )

    write(con, work, busy=UserNotSaved)


def _store_password(cur: duckdb.DuckDBPyConnection, username: str, password_hash: str, must_change: bool) -> None:
    db.execute(
        cur,
        """
        UPDATE users SET password_hash = $hash, must_change_password = $must_change, password_set_at = $now,
                         failed_logins = 0, locked_until = NULL, generation = generation + 1
        WHERE username = $username
        """,
        {"hash": password_hash, "must_change": must_change, "now": datetime.now(), "username": username},
    )
    _unlock(cur, username, datetime.now())
    end_sessions(cur, username, "password set")


def change_own_password(con: duckdb.DuckDBPyConnection, user: User, current: str, new: str) -> User:
    """The user replaces their one-time (or current) password; the session that did it goes on as the result.

    The current password must be given, so that an open session alone cannot take the account over.
    """
    _check_password(new)
    password_hash = hash_password(new)

    def work(cur: duckdb.DuckDBPyConnection) -> User:
        row = _row(cur, user.username)
        if row is None or not row["active"] or (row["generation"] or 0) != user.generation:
            raise UserError(_("Your session has ended; sign in again."))
        if not verify_password(current, row["password_hash"]):
            raise UserError(_("The current password is wrong."))
        if current == new:
            raise UserError(_("Choose a password other than the one-time password."))
        _store_password(cur, user.username, password_hash, False)
        audit.record(cur, user.username, "user.password", user.username, after={"must_change": False})
        return _user(_row(cur, user.username))

    return write(con, work, busy=UserNotSaved)


def users(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> pl.DataFrame:
    """Every user, without the password hashes; locked_until: the latest lock-out of their name still on;
    retired_demo: a demo user the first load of real exports retired (not one an admin kept from signing in)."""
    return db.query(
        con,
        """
        SELECT username, name, role, manager_id, email, active, demo,
               demo AND NOT active AND NOT EXISTS (
                   SELECT 1 FROM audit_log AS a
                   WHERE a.action = 'user.change' AND a.target = u.username
                     AND json_extract_string(a.before, '$.active') = 'true'
                     AND json_extract_string(a.after, '$.active') = 'false'
               ) AS retired_demo,
               (SELECT max(t.locked_until) FROM sign_in_throttle AS t
                WHERE t.username = u.username AND t.locked_until > $now) AS locked_until,
               last_sign_in, created_at
        FROM users AS u
        ORDER BY username
        """,
        {"now": now or datetime.now()},
    )


def ensure_first_admin(con: duckdb.DuckDBPyConnection) -> str | None:
    """On a deployment with no admin, create one; its one-time password goes to the server's console only."""
    # Every start comes here: the password is hashed (a fifth of a second) only where an admin is wanted.
    if not _first_admin_wanted(con):
        return None
    password = secrets.token_urlsafe(12)
    password_hash = _new_user_hash(None, FIRST_ADMIN, "admin", None, password)

    def work(cur: duckdb.DuckDBPyConnection) -> bool:
        if not _first_admin_wanted(cur):
            return False
        _insert_user(
            cur,
            FIRST_ADMIN,
            in_deployment_language(FIRST_ADMIN_NAME),
            "admin",
            password_hash,
            None,
            None,
            "setup",
            True,
            False,
        )
        return True

    if not write(con, work, busy=UserNotSaved):
        return None
    print(
        f"kam: created the first admin. User name: {FIRST_ADMIN}, one-time password: {password} "
        "(choose a new one at the first sign-in)",
        file=sys.stderr,
        flush=True,
    )
    return password


def _first_admin_wanted(cur: duckdb.DuckDBPyConnection) -> bool:
    """No admin but demo ones, and no first admin yet."""
    if db.scalar(cur, "SELECT count(*) FROM users WHERE role = 'admin' AND NOT demo") > 0:
        return False
    return _row(cur, FIRST_ADMIN) is None


def seed_demo_users(cur: duckdb.DuckDBPyConnection) -> None:
    """The demo users of the bundled data, for trying every role; in the caller's write (with the demo load)."""
    for username, name, role, manager_id, password in DEMO_USERS:
        if _row(cur, username) is None:
            password_hash = _new_user_hash(None, username, role, manager_id, password)
            shown = demo_name(cur, name, manager_id)
            _insert_user(cur, username, shown, role, password_hash, manager_id, None, "setup", False, True)


def in_deployment_language(message: str) -> str:
    """A message id in the deployment's language (settings' language), whoever's run makes it: a name stored
    once for every reader."""
    with i18n.speaking(settings().language):
        return _(message)


def demo_name(cur: duckdb.DuckDBPyConnection, name: str, manager_id: str | None) -> str:
    """A demo user's name: a demo manager is named as the exports name their manager (徐军), else as name says
    ("Demo manager M01"), in the deployment's language."""
    if manager_id is None:
        return in_deployment_language(name)
    found = db.scalar(cur, "SELECT name FROM managers WHERE manager_id = $id", {"id": manager_id})
    return (found or "").strip() or in_deployment_language(name).format(manager=manager_id)


def retire_demo_users(cur: duckdb.DuckDBPyConnection, by: str | None) -> int:
    """Deactivate the demo users once real exports are loaded, in the caller's write (the load's); how many."""
    demo = db.scalar(cur, "SELECT count(*) FROM users WHERE demo AND active")
    if demo:
        for username in db.query(cur, "SELECT username FROM users WHERE demo AND active")["username"]:
            end_sessions(cur, username, "demo retired")
        db.execute(cur, "UPDATE users SET active = false, generation = generation + 1 WHERE demo AND active")
        audit.record(cur, by, "user.retire_demo", None, after={"users": demo})
    return demo


def active_demo_users(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The demo users who may still sign in, by user name: the first load of real exports retires them."""
    frame = db.query(con, "SELECT username FROM users WHERE demo AND active ORDER BY username")
    return frame["username"].to_list()


def is_demo_user(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    """True for a user of the bundled demo data (whose password is published in the README)."""
    return bool(db.scalar(con, "SELECT demo FROM users WHERE username = $username", {"username": username}))


def reset_password(con: duckdb.DuckDBPyConnection, username: str, admin: User) -> str:
    """A one-time password for the user, to hand over; they choose their own at the next sign-in."""
    password = secrets.token_urlsafe(12)
    set_password(con, username, password, by=admin.username, must_change=True)
    return password
