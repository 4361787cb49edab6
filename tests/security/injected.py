"""The portfolio with names an attacker could put in an export: Markdown links, images and HTML."""

from __future__ import annotations

from pathlib import Path

from tests.portfolio import EXPORTS

PHISH = "[Session expired: sign in again](http://evil.example)"
IMAGE = "![x](http://evil.example/x.png)"
HTML_MANAGER = '<a href="http://evil.example">M</a>'

INJECTED = EXPORTS | {
    "managers.csv": EXPORTS["managers.csv"].replace("王伟", f'"{HTML_MANAGER.replace(chr(34), chr(34) * 2)}"'),
    "accounts.csv": EXPORTS["accounts.csv"]
    .replace("K1,甲公司,华东", f'K1,"{PHISH}",华东')
    .replace("K2,乙公司,华东", f'K2,"{IMAGE}",华东'),
}


def write(folder: Path) -> Path:
    """The injected exports written into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in INJECTED.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
