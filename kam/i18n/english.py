"""Fill the English catalog: every message reads as its own id (run by bin/messages)."""

from __future__ import annotations

from babel.messages.pofile import read_po, write_po

from kam.i18n import catalog_path


def fill_english() -> int:
    """Set every untranslated English entry to its id; returns how many were filled."""
    path = catalog_path("en")
    with path.open("rb") as file:
        po = read_po(file, locale="en", domain="kam")
    filled = 0
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as file:
        write_po(file, po, width=0, omit_header=False)
    return filled


if __name__ == "__main__":
    fill_english()
