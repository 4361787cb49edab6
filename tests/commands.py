"""`python -m kam` run in the test's process."""

from __future__ import annotations

import subprocess

import pytest

from kam.cli import main


def command_here(capsys: pytest.CaptureFixture, *args: str) -> subprocess.CompletedProcess:
    """`python -m kam` with these arguments run in this process (its parsing, exit code and output as the command's),
    without the four seconds of a new interpreter's imports."""
    try:
        code = main(list(args))
    except SystemExit as exit:
        code = exit.code
    said = capsys.readouterr()
    return subprocess.CompletedProcess(["python", "-m", "kam", *args], code, said.out, said.err)
