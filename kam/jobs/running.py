"""Asking the running dashboard for what only the process holding the app's database can do (a backup).

At start the dashboard writes ``.kam-control.json`` beside the app's database, readable by its
owner only: its process id, the local address of its control route and a random secret. The
command line reads it and posts to the route with the secret; the route answers only requests
from this machine that carry it. No file, a process that is gone or a refused connection
means no dashboard runs.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CONTROL_FILE = ".kam-control.json"
ROUTE = "/_kam/control/{action}"
SECRET_HEADER = "X-KAM-Secret"


class DashboardError(Exception):
    """The running dashboard answered with an error; str() is its message."""


def control_file(app_db: Path) -> Path:
    """The control file beside the app's database."""
    return Path(app_db).parent / CONTROL_FILE


def announce(app_db: Path, port: int) -> str:
    """Write the control file for this process (owner-only), replacing an older one; the secret."""
    secret = secrets.token_urlsafe(32)
    path = control_file(app_db)
    path.parent.mkdir(parents=True, exist_ok=True)
    pending = path.with_name(f"{path.name}.{os.getpid()}")
    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"pid": os.getpid(), "url": f"http://127.0.0.1:{port}", "secret": secret}, out)
    os.chmod(pending, 0o600)
    os.replace(pending, path)
    return secret


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(app_db: Path) -> dict[str, Any] | None:
    """The control file's content when its dashboard process is alive, else None."""
    try:
        found = json.loads(control_file(app_db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and _alive(int(found.get("pid", 0))) else None


def ask(app_db: Path, action: str, payload: dict[str, Any], timeout: float = 600) -> dict[str, Any] | None:
    """Post an action to the running dashboard; its answer, or None when no dashboard runs for this database."""
    found = running(app_db)
    if found is None:
        return None
    request = urllib.request.Request(
        found["url"] + ROUTE.format(action=action),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: found["secret"]},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error", str(error))
        except ValueError:
            message = str(error)
        raise DashboardError(message) from error
    except (urllib.error.URLError, ConnectionError):
        # The process is alive but does not answer there (not a dashboard any more).
        return None
