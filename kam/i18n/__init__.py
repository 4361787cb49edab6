"""Translations: the gettext catalogs under ``kam/locales``, the language of the current run, and formats.

Every text a user sees is an English message id passed through ``_()`` (or marked with
``N_()`` where it is defined before the language is known, and translated where shown).
The catalogs are the ``.po`` files of ``kam/locales/<language>/LC_MESSAGES/kam.po``, read
once per process with Babel; a message missing from a catalog falls back to English, and
``tests/unit/test_catalogs.py`` lists every one. ``bin/messages`` (``kam.i18n.merge``)
extracts the ids from the code with Babel and merges them into each catalog.

One English word meaning two things ("Product" the article ordered, "Product" the cause of
churn) gets a context: ``pgettext(context, message)`` and ``NP_(context, message)``, stored in
the catalogs as ``msgctxt``; a marked message carries its context in its text, joined by the
gettext separator, until it is translated. A download's file name is marked with ``NF_()``, which
gives it the context ``FILE_NAME`` in the catalogs and leaves the English stem as it is.

The language is set once per script run (``use_language``) and read by ``_()``; it lives
in a context variable, so that every session's run thread has its own. This package sits on
the lowest layer beside ``config``: every other package may use it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "kam"
# The languages offered, in the order the switch shows them, each named in its own language.
LANGUAGES: dict[str, str] = {"zh-CN": "简体中文", "en": "English"}
ENGLISH = "en"
# Joins a context to its message id, as GNU gettext keys them.
CONTEXT_SEPARATOR = "\x04"
# Babel's name of each language.
BABEL_LOCALES: dict[str, str] = {"zh-CN": "zh_CN", "en": "en"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar("kam_language", default=ENGLISH)


def catalog_path(language: str) -> Path:
    return LOCALES / BABEL_LOCALES[language] / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalog(language: str) -> dict[str, str | tuple[str, ...]]:
    """Message id → translation (a tuple of plural forms for plural messages); untranslated ids left out."""
    path = catalog_path(language)
    if not path.exists():
        return {}
    with path.open("rb") as file:
        po = read_po(file, locale=BABEL_LOCALES[language], domain=DOMAIN)
    found: dict[str, str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            if all(message.string):
                found[message.id[0]] = tuple(message.string)
        elif message.string:
            found[key(message.context, message.id)] = message.string
    return found


def key(context: str | None, message: str) -> str:
    """A message's key in the catalogs: its id, prefixed by its context if it has one."""
    return f"{context}{CONTEXT_SEPARATOR}{message}" if context else message


def supported(language: str | None) -> str | None:
    """The offered language a code such as 'zh-CN', 'zh_Hans_CN', 'zh', 'en-GB' stands for, or None."""
    if not language:
        return None
    code = language.replace("_", "-").lower()
    if code.startswith("zh"):
        return "zh-CN"
    if code.startswith("en"):
        return ENGLISH
    return None


def resolve(chosen: str | None, browser: str | None, default: str) -> str:
    """The language of a run: the user's choice, else the browser's, else the deployment's default."""
    return supported(chosen) or supported(browser) or supported(default) or ENGLISH


def use_language(language: str) -> contextvars.Token:
    """Make language the one ``_()`` translates into, for the rest of this run (this thread's context)."""
    return _language.set(supported(language) or ENGLISH)


def language() -> str:
    """The language of the current run."""
    return _language.get()


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Write what follows in language (None: the run's own), then go back to the run's: a file or a mail
    written for someone else (a scheduled brief's recipient) in theirs."""
    if language is None:
        yield _language.get()
        return
    token = use_language(language)
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def gettext(message: str) -> str:
    """The message in the current language (English when the catalog lacks it)."""
    translated = catalog(language()).get(message)
    return translated if isinstance(translated, str) else message.rpartition(CONTEXT_SEPARATOR)[2]


@functools.cache
def babel_locale(language: str) -> Locale:
    """The language's Babel locale, parsed once (parsing costs each number formatted)."""
    return Locale.parse(BABEL_LOCALES[language])


def pgettext(context: str, message: str) -> str:
    """The message of that context in the current language."""
    return gettext(key(context, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for n, in the current language."""
    forms = catalog(language()).get(singular)
    if isinstance(forms, tuple):
        # Chinese has one form, English two; the locale's plural rule picks one.
        rule = babel_locale(language()).plural_form
        index = ["one", "other"].index(rule(n)) if len(forms) > 1 else 0
        return forms[min(index, len(forms) - 1)]
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it here (it is translated where shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a message of a context for the catalogs; ``_()`` translates it where shown."""
    return key(context, message)


# The context of a download's file name in the catalogs: "revenue" names a file there, not a column.
FILE_NAME = "file name"


def NF_(stem: str) -> str:
    """Mark a download's English file name ('overdue-accounts') for the catalogs under FILE_NAME.

    It stays the English stem (a download's key too, the same in every language); the file is named
    from it in the run's language (``kam.metrics.filters.file_stem``).
    """
    return stem


_ = gettext
