"""The text layer of a PDF printed by Chromium, set to the characters the page shows.

A PDF's text (what copying and searching find) comes from each font's ToUnicode map: one character
per glyph. Where a font draws several characters with one glyph, Chromium (Skia) maps the glyph to
the lowest of them. Noto Sans CJK draws 户 and the Kangxi radical ⼾ (U+2F3E), 日 and ⽇, 长 and ⻓
(CJK radicals supplement), the en dash and the figure dash with one glyph each, so the text read
"客⼾" where the page printed 客户. Chromium marks each such glyph with the character it stood for
(an /ActualText span), which few readers use; this sets the font's map to that character instead.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject

# The marks and operators of a content stream that place a glyph and say its text, as Skia writes them.
_TOKENS = re.compile(
    rb"/Span\s*<<\s*/ActualText\s*<(?P<actual>[0-9A-Fa-f]*)>\s*>>\s*BDC"
    rb"|/(?P<font>[^\s/<>\[\]()]+)\s+[-+.\d]+\s+Tf\b"
    rb"|<(?P<code>[0-9A-Fa-f]*)>\s*Tj\b"
    rb"|(?P<open>\bBDC\b)|(?P<close>\bEMC\b)|(?P<other>\)\s*Tj\b|\bTJ\b|(?<=\s)['\"](?=\s))"
)
_CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_SECTION = re.compile(rb"\d+\s+begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
# Entries per bfchar section, as the PDF specification limits them.
_PER_SECTION = 100


def _utf16(hex_text: bytes) -> str:
    raw = bytes.fromhex(hex_text.decode("ascii"))
    return raw.decode("utf-16-be").removeprefix("\ufeff")


def _shown(content: bytes) -> Iterator[tuple[bytes, bytes, str]]:
    """(font name, glyph code, its text) for each glyph that is alone in an /ActualText span of one character."""
    font = b""
    # Per open marked-content span: its text (None for other marks) and the glyph codes shown in it.
    spans: list[tuple[str | None, list[tuple[bytes, bytes]]]] = []
    for token in _TOKENS.finditer(content):
        if token["actual"] is not None:
            spans.append((_utf16(token["actual"]), []))
        elif token["font"] is not None:
            font = token["font"]
        elif token["code"] is not None:
            for _text, codes in spans:
                codes.append((font, token["code"].upper()))
        elif token["open"] is not None:
            spans.append((None, []))
        elif token["close"] is not None and spans:
            text, codes = spans.pop()
            if text is not None and len(text) == 1 and len(codes) == 1:
                yield codes[0][0], codes[0][1], text
        elif token["other"] is not None:
            # A way of showing text this does not read: the spans open now say nothing about one glyph.
            for _text, codes in spans:
                codes.append((b"", b""))


def _read_cmap(cmap: bytes) -> dict[bytes, str]:
    """Glyph code (upper-case hex) to text, from a ToUnicode CMap's bfchar and bfrange sections."""
    mapped: dict[bytes, str] = {}
    for kind, body in _SECTION.findall(cmap):
        if kind == b"bfchar":
            for code, text in _CMAP_CHAR.findall(body):
                mapped[code.upper()] = _utf16(text)
            continue
        for low, high, target in _CMAP_RANGE.findall(body):
            width, first, last = len(low), int(low, 16), int(high, 16)
            if target.startswith(b"["):
                texts = [_utf16(t) for t in re.findall(rb"<([0-9A-Fa-f]+)>", target)]
            else:
                start = _utf16(target[1:-1])
                texts = [start[:-1] + chr(ord(start[-1]) + i) for i in range(last - first + 1)]
            for i, text in zip(range(first, last + 1), texts, strict=False):
                mapped[f"{i:0{width}X}".encode()] = text
    return mapped


def _write_cmap(cmap: bytes, mapped: dict[bytes, str]) -> bytes:
    """cmap with its mappings replaced by mapped, written as bfchar sections."""
    head = cmap[: cmap.index(b"endcodespacerange") + len(b"endcodespacerange")]
    tail = cmap[cmap.index(b"endcmap") :]
    entries = sorted(mapped.items())
    sections = []
    for at in range(0, len(entries), _PER_SECTION):
        chunk = entries[at : at + _PER_SECTION]
        lines = (b"<%s> <%s>" % (code, text.encode("utf-16-be").hex().upper().encode()) for code, text in chunk)
        sections.append(b"%d beginbfchar\n%s\nendbfchar" % (len(chunk), b"\n".join(lines)))
    return head + b"\n" + b"\n".join(sections) + b"\n" + tail


def _contents(resources: DictionaryObject, content: bytes, seen: set[int]) -> Iterator[tuple[DictionaryObject, bytes]]:
    """(resources, content) of a page and of every form it draws, each form once."""
    yield resources, content
    for ref in (resources.get("/XObject") or {}).values():
        form = ref.get_object()
        if form.get("/Subtype") != "/Form" or not isinstance(ref, IndirectObject) or ref.idnum in seen:
            continue
        seen.add(ref.idnum)
        yield from _contents(form.get("/Resources") or resources, form.get_data(), seen)


def true_text(pdf: bytes) -> bytes:
    """pdf with each font's ToUnicode map giving the characters its glyphs stood for (unchanged if none differ)."""
    reader = PdfReader(io.BytesIO(pdf))
    # Per ToUnicode stream: each glyph code with the texts it was shown for, counted.
    shown: dict[IndirectObject, defaultdict[bytes, Counter[str]]] = {}
    seen: set[int] = set()
    for page in reader.pages:
        contents = page.get_contents()
        if contents is None:
            continue
        for resources, content in _contents(page.get("/Resources") or DictionaryObject(), contents.get_data(), seen):
            fonts = resources.get("/Font") or {}
            for name, code, text in _shown(content):
                font = fonts.get("/" + name.decode("latin-1"))
                cmap = font.get_object().raw_get("/ToUnicode") if font is not None else None
                if isinstance(cmap, IndirectObject):
                    shown.setdefault(cmap, defaultdict(Counter))[code][text] += 1
    rewritten = {}
    for ref, texts in shown.items():
        cmap = ref.get_object().get_data()
        mapped = _read_cmap(cmap)
        # A glyph shown for several characters (rare) keeps the one it was shown for most.
        fixes = {code: counted.most_common(1)[0][0] for code, counted in texts.items()}
        fixes = {code: text for code, text in fixes.items() if code in mapped and mapped[code] != text}
        if fixes:
            rewritten[ref] = _write_cmap(cmap, mapped | fixes)
    return _updated(pdf, reader, rewritten) if rewritten else pdf


def _updated(pdf: bytes, reader: PdfReader, streams: dict[IndirectObject, bytes]) -> bytes:
    """pdf with an incremental update that replaces the streams: the printed bytes stay as they are, the new
    objects follow with a cross-reference table of their own (reading all of a long brief's objects, as a
    rewrite does, takes seconds). A PDF whose cross-reference is not a table, or that is encrypted (neither
    is Chromium's), is left as it is."""
    previous = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if previous is None or not pdf[int(previous[1]) :].startswith(b"xref") or "/Encrypt" in reader.trailer:
        return pdf
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    # The head of the free list first, as the PDF specification's own updates begin.
    entries = [b"0 1\n0000000000 65535 f\r\n"]
    for ref, data in sorted(streams.items(), key=lambda item: item[0].idnum):
        packed = zlib.compress(data)
        entries.append(b"%d 1\n%010d %05d n\r\n" % (ref.idnum, len(out), ref.generation))
        out += b"%d %d obj\n<< /Filter /FlateDecode /Length %d >>\nstream\n" % (ref.idnum, ref.generation, len(packed))
        out += packed + b"\nendstream\nendobj\n"
    trailer = DictionaryObject(
        {
            NameObject(key): reader.trailer.raw_get(key)
            for key in ("/Size", "/Root", "/Info", "/ID")
            if key in reader.trailer
        }
    )
    trailer[NameObject("/Prev")] = NumberObject(int(previous[1]))
    written = io.BytesIO()
    trailer.write_to_stream(written)
    where = len(out)
    out += b"xref\n" + b"".join(entries) + b"trailer\n" + written.getvalue() + b"\nstartxref\n%d\n%%%%EOF\n" % where
    return bytes(out)
