"""Stay-signed-in sessions: only a hash stored, idle expiry, the events that end them, one-time grants, the routes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from kam import config, logs
from kam.ingest import bootstrap
from kam.people import sessions, users
from kam.store import db
from kam.ui import routes
from tests.apptest import ADMIN

NOW = datetime(2026, 7, 1, 9, 0)


def vp(con) -> users.User:
    return users.sign_in(con, "vp", "vp-demo-2026", now=NOW)


def test_only_a_hash_of_the_token_is_stored_and_it_brings_the_user_back(portfolio):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        token = sessions.start(con, vp(con), "password", now=NOW)
        stored = con.execute("SELECT * FROM sessions").fetchall()
        assert token not in repr(stored)
        assert stored[0][0] == sessions.token_hash(token)
        assert sessions.restore(con, token, NOW + timedelta(minutes=59)).username == "vp"
        assert sessions.restore(con, "a-guessed-token", NOW) is None
        assert sessions.restore(con, None, NOW) is None


def test_a_session_idle_longer_than_the_idle_minutes_is_over(portfolio):
    # session_idle_minutes is 60: each request moves the expiry on from that request.
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        token = sessions.start(con, vp(con), "password", now=NOW)
        hashed = sessions.token_hash(token)
        assert sessions.ended(con, hashed, NOW + timedelta(minutes=50)) is None
        assert sessions.ended(con, hashed, NOW + timedelta(minutes=109)) is None
        assert sessions.ended(con, hashed, NOW + timedelta(minutes=170)) == "expired"
        assert sessions.restore(con, token, NOW + timedelta(minutes=170)) is None
        untouched = sessions.start(con, vp(con), "password", now=NOW)
        assert sessions.restore(con, untouched, NOW + timedelta(minutes=61)) is None
        # A month after they ended, the rows of old sessions go at the next sign-in.
        sessions.start(con, vp(con), "password", now=NOW + timedelta(days=31))
        assert con.execute("SELECT count(*) FROM sessions").fetchone() == (1,)


def test_sign_out_password_change_reset_role_change_and_deactivation_each_end_the_sessions(portfolio):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        signed_out = sessions.start(con, vp(con), "password", now=NOW)
        sessions.revoke(con, sessions.token_hash(signed_out), "signed out", now=NOW)
        assert sessions.restore(con, signed_out, NOW) is None

        changes = {
            "password set": lambda: users.set_password(con, "m01", "m01-a-new-password", by="m01"),
            "password set (reset)": lambda: users.reset_password(con, "m01", ADMIN),
            users.CHANGED: lambda: users.update_user(con, "m01", "demo-admin", role="vp"),
            "deactivated": lambda: users.update_user(con, "m01", "demo-admin", active=False),
        }
        for why, change in changes.items():
            row = users._row(con, "m01")
            user = users._user(row)
            token = sessions.start(con, user, "password", now=datetime.now())
            assert sessions.restore(con, token).username == "m01", why
            change()
            assert sessions.restore(con, token) is None, why
            ended = sessions.ended(con, sessions.token_hash(token))
            assert ended == {"deactivated": users.CHANGED}.get(why, why.split(" (")[0]), why
        actions = [r[0] for r in con.execute("SELECT action FROM audit_log WHERE action LIKE 'session.%'").fetchall()]
        assert actions == ["session.start", "session.end"] + ["session.start"] * 4


def test_a_grant_works_once_and_not_after_a_minute(monkeypatch):
    code = sessions.grant("the-token")
    assert sessions.redeem(code) == "the-token"
    assert sessions.redeem(code) is None
    late = sessions.grant("other-token")
    clock = sessions.time.monotonic() + sessions.GRANT_SECONDS + 1
    monkeypatch.setattr(sessions.time, "monotonic", lambda: clock)
    assert sessions.redeem(late) is None


def test_the_cookie_route_sets_an_http_only_lax_cookie_and_goes_back_only_to_this_dashboard(portfolio):
    client = TestClient(Starlette(routes=routes.routes()), base_url="http://testserver")
    code = sessions.grant("the-token")
    reply = client.get("/auth/session", params={"grant": code, "next": "/tiers?tier=A"}, follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/tiers?tier=A"
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith("kam_session=the-token;")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    # Used once: the second time, no cookie, and another site is never a destination.
    again = client.get("/auth/session", params={"grant": code, "next": "https://evil.example/"}, follow_redirects=False)
    assert "set-cookie" not in again.headers
    assert again.headers["location"] == "/"
    # Behind a TLS proxy the cookie is Secure.
    proxied = client.get(
        "/auth/session",
        params={"grant": sessions.grant("t2"), "next": "//evil.example/"},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in proxied.headers["set-cookie"] and proxied.headers["location"] == "/"
    out = client.get("/auth/signout", follow_redirects=False)
    assert out.headers["location"] == "/" and 'kam_session=""' in out.headers["set-cookie"]


def test_the_routes_and_the_cookie_path_follow_the_base_url_path(monkeypatch):
    monkeypatch.setattr(routes.config, "get_option", lambda name: "/kam/" if name == "server.baseUrlPath" else None)
    assert [r.path for r in routes.routes()] == ["/kam/auth/session", "/kam/auth/signout", "/kam/healthz"]
    client = TestClient(Starlette(routes=routes.routes()))
    reply = client.get(
        "/kam/auth/session", params={"grant": sessions.grant("x"), "next": "/other-app/"}, follow_redirects=False
    )
    assert reply.headers["location"] == "/kam/"
    assert "Path=/kam/" in reply.headers["set-cookie"]


def test_health_says_the_database_is_readable_and_when_the_last_load_ran(portfolio, monkeypatch):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        last = db.scalar(con, "SELECT max(loaded_at) FROM load_history")
    client = TestClient(Starlette(routes=routes.routes()))
    reply = client.get("/healthz")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ok" and body["database"] == "readable"
    assert body["last_load"] == last.isoformat(timespec="seconds")

    def unreadable():
        raise db.DatabaseUnavailable("the file is damaged", "damaged")

    monkeypatch.setattr(routes.dashboard, "database", unreadable)
    reply = client.get("/healthz")
    assert reply.status_code == 503 and reply.json()["database"] == "unreadable"


def test_log_lines_are_one_line_with_level_user_and_action_and_never_a_secret(capsys):
    logs.event("WARNING", "sign_in.failed", "wang wei", via="directory", password="hunter2", token="abc")
    logs.event("INFO", "sign_out", None, why="line\nbreak")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].split(" ", 1)[1] == 'WARNING action=sign_in.failed user="wang wei" via=directory'
    assert out[1].split(" ", 1)[1] == "INFO action=sign_out user=- why=line\\nbreak"
    assert "hunter2" not in json.dumps(out) and "abc" not in json.dumps(out)


def test_the_page_to_come_back_to_after_sign_in_is_the_start_page_when_the_address_has_no_path(monkeypatch):
    # Streamlit gives the start page's address without a trailing "/": its link's filters must come back too.
    assert routes.page_path("http://127.0.0.1:8501") == "/"
    assert routes.safe_next(routes.page_path("http://127.0.0.1:8501") + "?as_of=2026-11-13") == "/?as_of=2026-11-13"
    assert routes.page_path("http://127.0.0.1:8501/tiers") == "/tiers"
    assert routes.page_path(None) == "/"
    monkeypatch.setattr(routes.config, "get_option", lambda name: "kam" if name == "server.baseUrlPath" else None)
    assert routes.page_path("https://intranet.example/kam") == "/kam/"
    assert routes.page_path("https://intranet.example/kam/account") == "/kam/account"
