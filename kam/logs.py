"""One line per event to stdout: time, level, action, user and a few plain fields (never a password or token).

``event("INFO", "sign_in", user="vp", via="password")`` prints
``2026-11-25T20:12:14 INFO action=sign_in user=vp via=password``. Values with spaces are quoted;
line breaks and quotes in them are escaped, so a value typed by a visitor cannot forge a line.
"""

from __future__ import annotations

import sys
import threading
from datetime import datetime
from typing import Any

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Field names never written, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "token", "grant", "secret", "cookie"})
# Longest value kept.
MAX_VALUE = 200
_lock = threading.Lock()


def _value(value: Any) -> str:
    text = str(value)[:MAX_VALUE]
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace('"', '\\"')
    return f'"{text}"' if not text or any(c.isspace() for c in text) or "=" in text else text


def line(level: str, action: str, user: str | None = None, **fields: Any) -> str:
    """The event as one line (without the newline)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    parts = [datetime.now().isoformat(timespec="seconds"), level, f"action={_value(action)}"]
    parts.append(f"user={_value(user) if user else '-'}")
    parts += [f"{name}={_value(v)}" for name, v in fields.items() if v is not None and name not in SECRET_FIELDS]
    return " ".join(parts)


def event(level: str, action: str, user: str | None = None, **fields: Any) -> None:
    """Write one event line to stdout."""
    text = line(level, action, user, **fields)
    with _lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
