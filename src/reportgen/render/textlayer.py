"""The PDF's text layer: the Han–Latin gap is layout, not a character.

The HTML sets the quarter-em gap as U+2005 so that line breaking and justification
(``render/justify.py``) treat it as one break opportunity that may hang at a line end.
In the PDF that character would be text: copying "2020年" would give "2020 年" and a
search for "成功举办2020重庆英才大会" would find nothing.

WeasyPrint hands the finished PDF objects to a *finisher* (its public ``write_pdf``
hook) before writing them. :func:`finisher` removes each gap glyph from the page content
and gives its width to the glyph drawn before it instead, through a second font object
that shares the embedded font file but declares those glyphs wider (``/W``). The page
looks exactly as before; every text extractor (pdfminer/pdfplumber, PDFium, Poppler)
sees the character before the gap end where the character after it begins, and no
space in between.

Only pydyf's documented objects are read (``PDF.objects``, ``Stream.stream``,
``Dictionary``); any content this module does not recognise is left as it was, so a
future WeasyPrint that writes text differently gives a PDF with U+2005 gaps, never a
broken one (tested).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..typography import HAN_LATIN_GAP

_GAP_HEX = HAN_LATIN_GAP.encode("utf-16-be").hex().encode()
_CMAP_START = b"/CIDInit /ProcSet findresource begin"
_BFCHAR = re.compile(rb"^<([0-9a-fA-F]+)> <([0-9a-fA-F]*)>$")
_TF = re.compile(rb"^/(\S+) (-?[0-9.]+) Tf$")
_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9]*\.?[0-9]+(?:[eE]-?[0-9]+)?)")


@dataclass
class _Font:
    name: str                      # resource name, as in "/name 12 Tf"
    dictionary: Any                # the Type0 font dictionary (pydyf.Dictionary)
    widths: dict[int, float]       # CID → width in 1/1000 text space units
    gaps: set[int]                 # CIDs of the gap glyph

    @property
    def gap_hex(self) -> tuple[bytes, ...]:
        return tuple(b"%04x" % g for g in self.gaps)
    variants: dict[float, str] = field(default_factory=dict)  # added width → resource name
    variant_cids: dict[float, set[int]] = field(default_factory=dict)  # added width → glyphs drawn so


@dataclass
class _Show:
    """One ``[...] TJ`` item of a content stream, parsed."""
    font: str
    size: bytes
    tokens: list                   # ["g", cid, added width] or ["n", number] or None (removed)


def _objects_by_reference(pdf) -> dict[bytes, Any]:
    return {obj.reference: obj for obj in pdf.objects if hasattr(obj, "reference") and getattr(obj, "number", None)}


def _widths(array) -> dict[int, float]:
    out: dict[int, float] = {}
    items = list(array)
    i = 0
    while i + 1 < len(items):
        start, values = items[i], items[i + 1]
        if not isinstance(start, int) or not isinstance(values, list):
            return {}
        for offset, value in enumerate(values):
            out[start + offset] = float(value)
        i += 2
    return out


def _gap_cids(to_unicode) -> set[int]:
    return {int(m.group(1), 16) for line in to_unicode.stream if isinstance(line, bytes)
            for m in [_BFCHAR.match(line)] if m and m.group(2).lower() == _GAP_HEX}


def _fonts(pdf, refs: dict[bytes, Any]) -> tuple[dict[str, _Font], Any]:
    """The Type0 fonts by resource name (with the CIDs of their gap glyphs), and the
    fonts dictionary of the pages' resources."""
    import pydyf

    by_ref: dict[bytes, Any] = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font" and obj.get("Subtype") == "/Type0":
            by_ref[obj.reference] = obj
    resources = None
    fonts: dict[str, _Font] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or not obj:
            continue
        if not all(isinstance(v, bytes) and v in by_ref for v in obj.values()):
            continue
        resources = obj
        for name, ref in obj.items():
            font = by_ref[ref]
            to_unicode = refs.get(font.get("ToUnicode"))
            descendants = font.get("DescendantFonts")
            if to_unicode is None or not isinstance(descendants, list) or len(descendants) != 1:
                continue
            sub = refs.get(descendants[0])
            if sub is None or "W" not in sub:
                continue
            gaps = _gap_cids(to_unicode)
            widths = _widths(sub["W"])
            if widths and all(g in widths for g in gaps):
                fonts[str(name)] = _Font(str(name), font, widths, gaps)
        break
    return fonts, resources


def _variant(font: _Font, added: float, cid: int) -> str:
    """The resource name of *font* with glyph *cid* *added* units wider (the font object
    itself is written by :func:`_write_variants`, with the widths of the glyphs it draws)."""
    key = round(added, 1)
    if key not in font.variants:
        font.variants[key] = f"{font.name}g{len(font.variants)}"
        font.variant_cids[key] = set()
    font.variant_cids[key].add(cid)
    return font.variants[key]


def _write_variants(pdf, refs, resources, fonts: dict[str, _Font]) -> None:
    """One font object per widened variant: the same embedded file and descendant font,
    a ``/W`` that lists only the glyphs drawn with it."""
    import pydyf

    for font in fonts.values():
        if not font.variants:
            continue
        sub = refs[font.dictionary["DescendantFonts"][0]]
        for key, name in font.variants.items():
            wide_sub = pydyf.Dictionary(dict(sub))
            widths = pydyf.Array()
            for cid in sorted(font.variant_cids[key]):
                widths.extend([cid, pydyf.Array([round(font.widths.get(cid, 1000) + key, 1)])])
            wide_sub["W"] = widths
            pdf.add_object(wide_sub)
            wide = pydyf.Dictionary(dict(font.dictionary))
            wide["DescendantFonts"] = pydyf.Array([wide_sub.reference])
            pdf.add_object(wide)
            resources[name] = wide.reference


def _parse_show(item: bytes) -> list | None:
    body = item[1:-4]
    tokens: list = []
    position = 0
    for m in _TOKEN.finditer(body):
        if body[position:m.start()].strip():
            return None
        position = m.end()
        if m.group(1) is not None:
            hexes = m.group(1)
            if len(hexes) % 4:
                return None
            tokens.extend(["g", int(hexes[i:i + 4], 16), 0.0] for i in range(0, len(hexes), 4))
        else:
            tokens.append(["n", m.group(2)])
    return None if body[position:].strip() else tokens


def _write_show(show: _Show, fonts: dict[str, _Font]) -> list[bytes]:
    """The items that draw *show*: TJ runs, switching to a widened font around a glyph
    that took a gap's width."""
    out: list[bytes] = []
    run: list[bytes] = []

    def flush() -> None:
        if run:
            out.append(b"[" + b"".join(run) + b"] TJ")
            run.clear()

    for token in show.tokens:
        if token is None:
            continue
        if token[0] == "n":
            run.append(b" " + token[1] if run and not run[-1].endswith(b">") else token[1])
            continue
        glyph = b"<%04x>" % token[1]
        if token[2]:
            flush()
            name = _variant(fonts[show.font], token[2], token[1])
            out.extend([b"/%s %s Tf" % (name.encode(), show.size), b"[" + glyph + b"] TJ",
                        b"/%s %s Tf" % (show.font.encode(), show.size)])
        else:
            run.append(glyph)
    flush()
    return out


def _last_glyph(pending):
    """``(token, size, block)`` of the last glyph of a text item kept unparsed."""
    index, item, font, size, block = pending
    tokens = _parse_show(item)
    glyphs = [t for t in tokens or () if t[0] == "g"]
    if not glyphs:
        return None
    token = glyphs[-1]
    token.extend([font, index, _Show(font, size, tokens)])  # type: ignore[arg-type]
    return (token, size, block)


def _join_gaps(stream, fonts: dict[str, _Font]) -> int:
    """Give every gap glyph of *stream* to the glyph before it; returns how many."""
    items = stream.stream
    shows: dict[int, _Show] = {}
    font: str | None = None
    size = b"1"
    block = 0                    # counts where text is positioned absolutely
    last = None                  # (token, size, block) of the last glyph drawn
    pending = None               # the last text shown without a gap, not parsed yet
    joined = 0
    for index, item in enumerate(items):
        if not isinstance(item, bytes):
            continue
        if item == b"BT" or item.endswith((b" Tm", b" Td", b" TD", b"T*")):
            block += 1  # text positioned anew: what was drawn before no longer moves it
            continue
        tf = _TF.match(item)
        if tf:
            font, size = tf.group(1).decode(), tf.group(2)
            continue
        if not (item.startswith(b"[") and item.endswith(b"] TJ")) or font is None:
            continue
        info = fonts.get(font)
        if info is None or not any(hexes in item for hexes in info.gap_hex):
            # no gap here (most text): parsed only if a gap right after needs its last glyph
            pending = (index, item, font, size, block)
            last = None
            continue
        tokens = _parse_show(item)
        if tokens is None:
            last = pending = None
            continue
        if last is None and pending is not None:
            last = _last_glyph(pending)
        pending = None
        show = _Show(font, size, tokens)
        for position, token in enumerate(tokens):
            if token[0] != "g":
                continue
            info = fonts.get(font)
            if info is not None and token[1] in info.gaps and last is not None and not last[0][2]:
                previous, previous_size, previous_block = last
                if previous[3] in fonts:
                    width = info.widths[token[1]]
                    previous[2] = width * float(size) / float(previous_size)
                    if previous[5] is show:
                        # letter spacing between the two: the widened glyph covers it too, so
                        # that the only visible space left is the one any two characters have
                        start = tokens.index(previous) + 1
                        for between in range(start, position):
                            moved = tokens[between]
                            if moved is not None and moved[0] == "n" and float(moved[1]) < 0:
                                previous[2] -= float(moved[1])
                                tokens[between] = None
                    # the same text object: the widened glyph moves what follows;
                    # another one is positioned on its own, so keep the gap's advance
                    tokens[position] = None if previous_block == block else ["n", b"%g" % -width]
                    shows[index] = show
                    shows.setdefault(previous[4], previous[5])
                    joined += 1
                    last = None
                    continue
            token.extend([font, index, show])
            last = (token, size, block)
    if not shows:
        return 0
    rebuilt: list = []
    for index, item in enumerate(items):
        if index in shows:
            rebuilt.extend(_write_show(shows[index], fonts))
        else:
            rebuilt.append(item)
    stream.stream[:] = rebuilt
    return joined


def join_gaps(pdf) -> int:
    """Rewrite *pdf* (a ``pydyf.PDF`` before writing) so that no Han–Latin gap is text."""
    import pydyf

    refs = _objects_by_reference(pdf)
    fonts, resources = _fonts(pdf, refs)
    if resources is None or not any(font.gaps for font in fonts.values()):
        return 0
    joined = 0
    for obj in list(pdf.objects):
        if isinstance(obj, pydyf.Stream) and any(isinstance(i, bytes) and i.endswith(b" Tf") for i in obj.stream):
            joined += _join_gaps(obj, fonts)
    _write_variants(pdf, refs, resources, fonts)
    return joined


def finisher(document, pdf) -> None:
    """``write_pdf(finisher=...)``: the text layer without gap characters."""
    join_gaps(pdf)
