"""Bring the catalogs in step with the code: extract every message id, merge it into each catalog.

``python -m kam.i18n.merge [translations.json …]`` (``bin/messages`` runs it) collects the
ids of ``app.py``, ``pages/`` and ``kam/`` as ``pybabel extract`` does, writes
``kam/locales/kam.pot``, and updates each ``.po``: new ids are added, ids no longer used are
dropped, English reads as its own id, and Chinese takes the translations of the JSON files
given ({"English id": "中文"}; an id with a context is keyed "context\u0004id"); an id
still without Chinese is listed at the end.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from kam.i18n import BABEL_LOCALES, DOMAIN, FILE_NAME, LOCALES, catalog_path, key

ROOT = LOCALES.parent.parent
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
}
# A download's file name (NF_) takes the context FILE_NAME, which its call does not write out: found apart.
FILE_NAME_KEYWORDS = {"NF_": None}


Id = str | tuple[str, str]


def _found(message: str | tuple[str, ...], context: str | None) -> tuple[str, tuple[Id, str | None]]:
    """(key, (id, context)) of an extracted message; a plural message is keyed by its singular."""
    if isinstance(message, tuple) and context is None:
        return message[0], ((message[0], message[1]), None)
    # A message with a context comes as the context's text and the id's (kept in the catalog apart).
    text = message[-1] if isinstance(message, tuple) else message
    return key(context, text), (text, context)


def used_messages(root: Path = ROOT) -> dict[str, tuple[Id, str | None]]:
    """Every message id of the code with its context, keyed as the catalogs' readers key it."""
    found: dict[str, tuple[Id, str | None]] = {}
    for message, context in _extracted(root, KEYWORDS):
        name, entry = _found(message, context)
        found[name] = entry
    for message, _context in _extracted(root, FILE_NAME_KEYWORDS):
        name, entry = _found(message, FILE_NAME)
        found[name] = entry
    return found


def _extracted(root: Path, keywords: dict) -> Iterator[tuple[str | tuple[str, ...], str | None]]:
    """(message, context) of every call of the keywords in app.py, pages/ and kam/."""
    for folder in (root / "pages", root / "kam"):
        for _, _, message, _, context in extract_from_dir(folder, keywords=keywords, comment_tags=()):
            yield message, context
    for _, message, _, context in extract_from_file("python", root / "app.py", keywords=keywords):
        yield message, context


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def _read(language: str) -> Catalog:
    path = catalog_path(language)
    if not path.exists():
        return Catalog(locale=BABEL_LOCALES[language], domain=DOMAIN, project="kam")
    with path.open("rb") as file:
        return read_po(file, locale=BABEL_LOCALES[language], domain=DOMAIN)


def _write(language: str, po: Catalog) -> None:
    path = catalog_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, po, width=0, sort_output=True, omit_header=False, no_location=True)


def update(translations: dict[str, str]) -> list[str]:
    """Update every catalog from the code (Chinese from translations); returns the ids Chinese still lacks."""
    used = used_messages()
    template = Catalog(domain=DOMAIN, project="kam")
    for value, context in used.values():
        template.add(value, context=context)
    with (LOCALES / f"{DOMAIN}.pot").open("wb") as file:
        write_po(file, template, width=0, sort_output=True, no_location=True)
    lacking = []
    for language in BABEL_LOCALES:
        old = _read(language)
        po = Catalog(locale=BABEL_LOCALES[language], domain=DOMAIN, project="kam")
        for name, (value, context) in used.items():
            kept = old.get(value if isinstance(value, str) else value[0], context=context)
            if language == "en":
                string = value
            elif name in translations:
                text = translations[name]
                string = (text,) if isinstance(value, tuple) else text
            elif kept is not None and _translated(kept.string):
                string = kept.string
            else:
                string = () if isinstance(value, tuple) else ""
                lacking.append(name)
            po.add(value, string=string, context=context)
        _write(language, po)
    return sorted(lacking)


def main(paths: list[str]) -> int:
    translations: dict[str, str] = {}
    for path in paths:
        translations |= json.loads(Path(path).read_text(encoding="utf-8"))
    lacking = update(translations)
    for name in lacking:
        print(f"no Chinese yet: {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
