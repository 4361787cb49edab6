"""What the tests build once per process and copy for each test or server: a load or a first start costs seconds."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

_made: dict[str, Path] = {}


def copy_of(key: str, folder: Path, make: Callable[[Path], object]) -> None:
    """Fill folder with a copy of what make builds in an empty folder, built the first time this key is asked for."""
    if key not in _made:
        made = Path(tempfile.mkdtemp(prefix="made-"))
        atexit.register(shutil.rmtree, made, ignore_errors=True)
        make(made)
        _made[key] = made
    shutil.copytree(_made[key], folder, dirs_exist_ok=True)
