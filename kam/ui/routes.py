"""The server's own HTTP routes beside the dashboard (st.App): the session cookie, sign-out, health.

- ``{base}/auth/session?grant=…&next=…`` swaps a sign-in's one-time grant for the HttpOnly
  session cookie and sends the browser back to the page it asked for.
- ``{base}/auth/signout`` removes the cookie and sends the browser to the sign-in page.
- ``{base}/healthz`` says whether the database is readable and when the last load ran (JSON;
  503 when it is not readable).

``base`` is Streamlit's ``server.baseUrlPath`` ("/kam" behind the proxy, "" when served alone).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config

from kam import logs
from kam.people import sessions
from kam.store import db
from kam.ui import dashboard

# Where a single sign-on began (kam.ui.signin.keep_link): the provider sends the browser back to the start page.
LINK_COOKIE = "kam_link"


def base_path() -> str:
    """Streamlit's server.baseUrlPath as a path prefix: "" or "/kam"."""
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _cookie_path() -> str:
    return base_path() + "/"


def _secure(request: Request) -> bool:
    """Served over TLS, directly or (the proxy says so) in front."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def safe_next(target: str | None) -> str:
    """A path of this dashboard to go back to; anything else (another site, another app) is its start page."""
    home = _cookie_path()
    if not target:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(home) or "\\" in target or target.startswith("//"):
        return home
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_path(url: str | None) -> str:
    """The path of the dashboard's page at url (a browser address without its query): its start page if none.

    Streamlit gives the start page's address without a path of its own ("http://host", "http://host/kam"),
    which safe_next would not take for this dashboard's, and a link's filters would be lost.
    """
    home = _cookie_path()
    path = urlsplit(url).path if url else ""
    return path if path.startswith(home) else home


async def session_cookie(request: Request) -> Response:
    """Swap a one-time grant for the session cookie, then back to the page."""
    token = sessions.redeem(request.query_params.get("grant"))
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if LINK_COOKIE in request.cookies:
        # The address a single sign-on kept (kam.ui.signin.keep_link) has served its turn.
        response.delete_cookie(LINK_COOKIE, path=_cookie_path(), samesite="lax", secure=_secure(request))
    if token is None:
        logs.event("WARNING", "session.grant_refused", source=request.client.host if request.client else None)
        return response
    response.set_cookie(
        sessions.COOKIE,
        token,
        path=_cookie_path(),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        # No max_age: the server's idle expiry decides; the browser forgets it when it closes.
    )
    return response


async def sign_out(request: Request) -> Response:
    """Remove the session cookie (the session itself was ended by the sign-out) and go to the sign-in page."""
    response = RedirectResponse(_cookie_path(), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(sessions.COOKIE, path=_cookie_path(), httponly=True, samesite="lax", secure=_secure(request))
    return response


def health_report() -> tuple[int, dict]:
    """(HTTP status, body): the database readable, the time of the last load."""
    try:
        with dashboard.database().cursor() as con:
            last = db.scalar(con, "SELECT max(loaded_at) FROM load_history")
    except Exception as error:  # any failure means "not readable"; the log has the detail
        logs.event("ERROR", "health.failed", error=type(error).__name__)
        return 503, {"status": "error", "database": "unreadable", "checked_at": _now()}
    return 200, {
        "status": "ok",
        "database": "readable",
        "last_load": last.isoformat(timespec="seconds") if isinstance(last, datetime) else None,
        "checked_at": _now(),
    }


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


async def health(_request: Request) -> Response:
    status, body = await run_in_threadpool(health_report)
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    """The routes under the configured base path."""
    base = base_path()
    return [
        Route(f"{base}/auth/session", session_cookie, methods=["GET"]),
        Route(f"{base}/auth/signout", sign_out, methods=["GET"]),
        Route(f"{base}/healthz", health, methods=["GET"]),
    ]
