"""The dashboard's local control route: a backup made by the process that holds the app's database.

server.py adds ``routes()`` to st.App. The route answers only requests from this machine that
carry the secret of the control file (kam.jobs.running), which only the server's owner can read.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from streamlit import config

from kam.config import settings
from kam.jobs import running
from kam.store import audit, backup
from kam.store.db import DatabaseUnavailable
from kam.ui import dashboard

log = logging.getLogger("kam")
LOOPBACK = {"127.0.0.1", "::1"}
_secret: dict[str, str] = {}


def routes() -> list[BaseRoute]:
    """The control route, and the control file that lets the command line use it."""
    _secret["value"] = running.announce(settings().db_path, int(config.get_option("server.port")))
    return [Route(running.ROUTE.format(action="backup"), _backup, methods=["POST"])]


def _refused(request: Request) -> JSONResponse | None:
    given = request.headers.get(running.SECRET_HEADER, "")
    host = request.client.host if request.client else ""
    # A reverse proxy on this machine connects from loopback too: what it forwards is never local.
    forwarded = any(name in request.headers for name in ("x-forwarded-for", "forwarded", "x-real-ip"))
    if host not in LOOPBACK or forwarded or not hmac.compare_digest(given.encode(), _secret.get("value", "").encode()):
        return JSONResponse({"error": "not allowed"}, status_code=403)
    return None


async def _backup(request: Request) -> JSONResponse:
    if (refused := _refused(request)) is not None:
        return refused
    try:
        payload = await request.json()
        target = Path(payload["dir"])
        by = str(payload.get("by") or "command line")
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": "expected {'dir': an absolute folder}"}, status_code=400)
    if not target.is_absolute():
        return JSONResponse({"error": "the folder must be an absolute path"}, status_code=400)
    try:
        made = await asyncio.to_thread(make_backup, target, by)
    except (backup.BackupError, DatabaseUnavailable, OSError) as error:
        log.warning("backup to %s failed: %s", target, error)
        return JSONResponse({"error": str(error)}, status_code=409)
    return JSONResponse(made)


def make_backup(target: Path, by: str) -> dict[str, Any]:
    """A backup into target by the dashboard's own connection, audited; its manifest."""
    con = dashboard.database()
    made = backup.make(con, target)
    audit.record_alone(con, by, "backup", str(target), after={"load_id": made["load_id"]})
    log.info("backup made in %s by %s", target, by)
    return made
