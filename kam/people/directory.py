"""Signing in with the company directory (LDAP / Active Directory), through ldap3.

A name that is not a local user is checked against the directory when ``ldap_url`` is set:
the password by a bind as the user (``ldap_bind_pattern``, or the entry found by the search
user), the role by membership of the groups in ``ldap_role_groups``, and a manager's link to
the exports by ``ldap_manager_attribute`` (their e-mail by default). The directory user gets no
user record here; their session carries the role the directory gave. When the directory
cannot be reached the form says so, and local users still sign in.
"""

from __future__ import annotations

from typing import Any

import duckdb
import ldap3
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from kam.config import Settings, settings
from kam.i18n import _
from kam.people.users import MAX_NAME, SignInError, User
from kam.store import audit, db

# A user in several mapped groups gets the first of these roles.
ROLE_ORDER = ("admin", "vp", "manager")


class DirectoryDown(SignInError):
    """The directory cannot be reached; str() is for the user."""


def configured(policy: Settings | None = None) -> bool:
    return bool((policy or settings()).ldap_url)


def handles(con: duckdb.DuckDBPyConnection, username: str, policy: Settings | None = None) -> bool:
    """Whether this typed name signs in with the directory: one is configured and no local user has the name."""
    if not configured(policy):
        return False
    name = (username or "").strip().lower()[:MAX_NAME]
    return db.scalar(con, "SELECT count(*) FROM users WHERE username = $name", {"name": name}) == 0


def _server(policy: Settings) -> ldap3.Server:
    return ldap3.Server(policy.ldap_url, connect_timeout=policy.ldap_timeout_seconds, get_info=ldap3.NONE)


def _connection(policy: Settings, user: str, password: str) -> ldap3.Connection:
    """A bound connection, or LDAPBindError (wrong credentials) / another LDAPException (unreachable)."""
    return ldap3.Connection(
        _server(policy),
        user=user,
        password=password,
        auto_bind=ldap3.AUTO_BIND_NO_TLS,
        receive_timeout=policy.ldap_timeout_seconds,
        raise_exceptions=False,
        read_only=True,
    )


def _refused() -> SignInError:
    return SignInError(_("Wrong user name or password."))


def _down() -> DirectoryDown:
    return DirectoryDown(
        _("The company directory cannot be reached just now, so company accounts cannot sign in; try again later.")
    )


def _attributes(policy: Settings) -> list[str]:
    return sorted({"cn", "displayName", "mail", policy.ldap_manager_attribute})


def _find(policy: Settings, username: str) -> tuple[str, dict[str, Any]] | None:
    """(DN, attributes) of the user's entry, found by the search user; None if there is none."""
    con = _connection(policy, policy.ldap_search_user, policy.ldap_search_password)
    try:
        query = policy.ldap_user_filter.format(username=escape_filter_chars(username))
        con.search(policy.ldap_base_dn, query, attributes=_attributes(policy), size_limit=2)
        if len(con.entries) != 1:
            return None
        entry = con.entries[0]
        return entry.entry_dn, entry.entry_attributes_as_dict
    finally:
        con.unbind()


def _check(policy: Settings, username: str, password: str) -> tuple[str, dict[str, Any], list[str]]:
    """(DN, attributes, roles of the mapped groups the user is in) once the password is right."""
    if policy.ldap_bind_pattern:
        dn = policy.ldap_bind_pattern.format(username=escape_rdn(username))
    else:
        found = _find(policy, username)
        if found is None:
            raise _refused()
        dn = found[0]
    try:
        con = _connection(policy, dn, password)
    except ldap_errors.LDAPBindError:
        raise _refused() from None
    try:
        # The user's own entry and groups, read as the user (a bind pattern may not give the entry's DN).
        if policy.ldap_bind_pattern:
            con.search(
                policy.ldap_base_dn,
                policy.ldap_user_filter.format(username=escape_filter_chars(username)),
                attributes=_attributes(policy),
                size_limit=2,
            )
            if len(con.entries) == 1:
                dn = con.entries[0].entry_dn
                attributes = con.entries[0].entry_attributes_as_dict
            else:
                attributes = {}
        else:
            attributes = found[1]
        roles = []
        for role in ROLE_ORDER:
            group = policy.ldap_role_groups.get(role)
            if not group:
                continue
            con.search(group, f"(member={escape_filter_chars(dn)})", search_scope=ldap3.BASE, attributes=[])
            if con.entries:
                roles.append(role)
        return dn, attributes, roles
    finally:
        con.unbind()


def _first(attributes: dict[str, Any], name: str) -> str | None:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else None


def _manager_id(con: duckdb.DuckDBPyConnection, attributes: dict[str, Any], policy: Settings) -> str | None:
    """The manager of the exports the directory entry stands for, or None."""
    value = _first(attributes, policy.ldap_manager_attribute)
    if not value:
        return None
    column = "lower(email) = lower($value)" if policy.ldap_manager_attribute == "mail" else "manager_id = $value"
    found = db.query(con, f"SELECT manager_id FROM managers WHERE active AND {column}", {"value": value})
    return found["manager_id"][0] if found.height == 1 else None


def sign_in(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    policy: Settings | None = None,
    source: str | None = None,
) -> User:
    """The directory user with this name and password, with the role their groups give; SignInError if not."""
    policy = policy or settings()
    username = (username or "").strip().lower()[:MAX_NAME]
    if not username or not password:
        # An LDAP bind with an empty password is an anonymous bind: it would "succeed".
        raise _refused()
    try:
        dn, attributes, roles = _check(policy, username, password)
    except SignInError as refused:
        _record_failure(con, username, "wrong password or unknown", source)
        raise refused
    except (ldap_errors.LDAPException, OSError):
        _record_failure(con, username, "directory unreachable", source)
        raise _down() from None
    if not roles:
        _record_failure(con, username, "no mapped group", source)
        raise SignInError(_("Your company account has no role in this dashboard; ask an admin."))
    role = roles[0]
    manager_id = _manager_id(con, attributes, policy) if role == "manager" else None
    if role == "manager" and manager_id is None:
        _record_failure(con, username, "no manager matches", source)
        raise SignInError(_("Your company account matches no manager in the data; ask an admin."))
    user = User(
        username,
        _first(attributes, "displayName") or _first(attributes, "cn") or username,
        role,
        manager_id,
        _first(attributes, "mail"),
        directory=True,
    )
    audit.record_alone(con, username, "sign_in", username, after={"via": "directory", "role": role, "dn": dn})
    return user


def _record_failure(con: duckdb.DuckDBPyConnection, username: str, why: str, source: str | None) -> None:
    audit.record_alone(
        con, None, "sign_in.failed", "directory", after={"why": why, "via": "directory", "source": source}
    )
