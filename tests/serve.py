"""The dashboard served as in production (`streamlit run server.py`) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def started_demo(folder: Path) -> Path:
    """A copy in folder of the demo deployment after its first start (the demo exports loaded, the demo users and the
    first admin added, two seconds of CPU): its database's path."""
    from kam.config import settings
    from kam.ingest.bootstrap import open_database
    from tests.copies import copy_of

    copy_of("started demo", folder, lambda built: open_database(built / "kam.duckdb", settings().demo_dir).close())
    return folder / "kam.duckdb"


def wait_until_up(process: subprocess.Popen, answers: Callable[[], object], name: str, seconds: float) -> None:
    """Wait until answers() no longer raises OSError; fail with the process's errors if it ends or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            answers()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: {process.stderr.read().decode()}") from None
            time.sleep(0.2)


def http_ok(url: str) -> None:
    """Raises OSError unless url answers 2xx."""
    urllib.request.urlopen(url, timeout=2).close()


@contextmanager
def serving(
    env: Mapping[str, str], base: str = "", options: Sequence[str] = (), port: int | None = None
) -> Iterator[str]:
    """The server started with these environment variables added (under the base path, e.g. "kam"), with more of
    Streamlit's command-line options and on a given port if need be; yields its URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
            *(["--server.baseUrlPath", base] if base else []),
            *options,
        ],
        cwd=ROOT,
        env=os.environ | dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, lambda: http_ok(f"{url}{'/' + base if base else ''}/_stcore/health"), "the app", 60)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
