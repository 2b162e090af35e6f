"""Inter-character justification for Chinese lines (clreq §3.4, "两端对齐").

WeasyPrint justifies a line by widening its spaces only. A Chinese line has none, so
whenever a line holds a Han–Latin gap, a half-width mark or a number that may not be
split, its right edge falls short of the measure: up to five characters in the
bulletin. Chinese typesetting spreads that remainder evenly between all the
characters of the line instead.

``install()`` wraps WeasyPrint's ``justify_line`` (called during layout for every
justified line but the last of a paragraph): a line that holds Han characters is
justified by letter spacing, set on a copy of each text box's style, so that drawing
the line reproduces the measured positions. Other lines keep WeasyPrint's behaviour.

A number or a Latin word is never spread ("3 8个"): its characters get no letter
spacing (a Pango attribute over its bytes, re-applied whenever WeasyPrint re-creates the
box's layout to draw it), and the line's remainder goes to the other characters.
"""
from __future__ import annotations

import functools
import re

from ..typography import HAN_LATIN_GAP, WORD_JOINER, is_han

#: a line whose remainder would need more than this between two characters is left
#: ragged (a short line before a long unbreakable run reads better than one spaced out)
MAX_SPACING_EM = 0.5


def _text_boxes(box, boxes):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, boxes)


#: what is set solid inside a justified line: numbers (with their decimal point, thousands
#: comma, percent sign) and Latin words
RIGID = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%:/+\-]*[0-9A-Za-z%]")


def rigid_chars(text: str) -> int:
    """How many characters of *text* are set solid (Pango spaces each character, half
    before and half after it: a solid character takes no share of the spacing); a word
    joiner, which has no glyph, takes none either."""
    return sum(len(match.group(0)) for match in RIGID.finditer(text)) + text.count(WORD_JOINER)


def _solid_spans(text: str) -> list[tuple[int, int]]:
    """Byte ranges of *text* set solid: its numbers, Latin words and word joiners."""
    spans = [(m.start(), m.end()) for m in RIGID.finditer(text)]
    spans += [(i, i + 1) for i, ch in enumerate(text) if ch == WORD_JOINER]
    return [(len(text[:a].encode()), len(text[:b].encode())) for a, b in spans]


def _graphemes(text: str) -> int:
    # Pango spaces grapheme clusters; a word joiner is a cluster of its own (UAX #29:
    # Control), a zero-width (non-)joiner extends the cluster before it; "——" is one glyph
    # in the bundled fonts (a two-em dash, scripts/build_fonts.py) and takes one spacing
    return sum(1 for ch in text if ch not in "\u200c\u200d") - text.count("——")


@functools.lru_cache(maxsize=1)
def install() -> bool:
    """Wrap WeasyPrint's ``justify_line`` (called by ``render/patches.py``, which gates it on
    the WeasyPrint version); False where its internals differ and its own justification stays."""
    try:  # WeasyPrint internals (as of 70)
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text.ffi import TO_UNITS, pango
        from weasyprint.text.line_break import Layout, create_layout, line_size
        original = inline.justify_line
    except (ImportError, AttributeError):
        return False

    class SolidNumbers(Layout):
        """A text box's layout whose numbers and Latin words keep the style's own letter
        spacing (*solid_spacing*, often 0) without the justification's."""

        solid_spacing = 0.0

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            spans = _solid_spans(text)
            if not spans or self.style["letter_spacing"] in ("normal", 0):
                return
            attrs = pango.pango_layout_get_attributes(self.layout)
            for start, end in spans:
                attr = pango.pango_attr_letter_spacing_new(int(self.solid_spacing * TO_UNITS))
                attr.start_index, attr.end_index = start, end
                pango.pango_attr_list_change(attrs, attr)
            pango.pango_layout_set_attributes(self.layout, attrs)

    def spaced(context, box, spacing, x_advance, last):
        """Give every character of *box* ``spacing`` more room; returns the new x advance.

        Pango spaces the characters of a text box; WeasyPrint counts one more spacing
        after its last character. That trailing room is dropped from the line's *last* text
        box, so that its last visible character ends at the right edge (a Han–Latin gap that
        ended the line was taken out before: see justify_line)."""
        if isinstance(box, boxes.TextBox):
            box.position_x += x_advance
            if box.text:
                style = box.style.copy()
                base = style["letter_spacing"]
                style["letter_spacing"] = (0 if base == "normal" else base) + spacing
                layout = create_layout(box.text, style, context, max_width=None,
                                       justification_spacing=box.justification_spacing)
                if RIGID.search(box.text) or WORD_JOINER in box.text:
                    layout.__class__ = SolidNumbers
                    layout.solid_spacing = 0 if base == "normal" else base
                    layout.set_text(box.text)
                line, _ = layout.get_first_line()
                width, _ = line_size(line, style)
                layout.deactivate()
                if box is last:
                    width -= spacing
                x_advance += width - box.width
                box.width = width
                box.style = style
                box.pango_layout = layout
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = spaced(context, child, spacing, x_advance, last)
            box.width += x_advance - before
        else:  # an atomic inline (an image): moved, not widened
            box.translate(x_advance, 0)
        return x_advance

    def _state(box, out=None):
        """Every box of the line with what justification changes in it."""
        out = [] if out is None else out
        out.append((box, box.position_x, box.width, getattr(box, "style", None),
                    getattr(box, "pango_layout", None), getattr(box, "position_y", None)))
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                if child.is_in_normal_flow():
                    _state(child, out)
        return out

    def _restore(saved):
        for box, x, width, style, layout, y in saved:
            if not isinstance(box, (boxes.TextBox, boxes.LineBox, boxes.InlineBox)):
                box.translate(x - box.position_x, (y or 0) - (box.position_y or 0))
                continue
            box.position_x, box.width = x, width
            if isinstance(box, boxes.TextBox):
                box.style, box.pango_layout = style, layout

    def width_of(text, style, context):
        layout = create_layout(text, style, context, max_width=None, justification_spacing=0)
        width, _ = line_size(layout.get_first_line()[0], style)
        layout.deactivate()
        return width

    def justify_line(context, line, extra_width):
        texts = list(_text_boxes(line, boxes))
        joined = "".join(t.text for t in texts)
        if not texts or not any(map(is_han, joined)) or extra_width < 0 and not joined.endswith(HAN_LATIN_GAP):
            return original(context, line, max(extra_width, 0))
        if joined.endswith(HAN_LATIN_GAP):
            # the line broke after a Han–Latin gap: a gap at a line's end spaces nothing,
            # so it goes (it is layout, not text) and its room joins the remainder
            for box in reversed(texts):
                if not box.text.endswith(HAN_LATIN_GAP):
                    break
                kept = box.text.rstrip(HAN_LATIN_GAP)
                narrower = width_of(kept, box.style, context) if kept else 0.0
                extra_width += box.width - narrower
                box.text, box.width = kept, narrower
                if kept:
                    break
            texts = [box for box in texts if box.text]
            joined = "".join(t.text for t in texts)
            if not texts:
                return original(context, line, extra_width)
        gaps = max(_graphemes(joined) - rigid_chars(joined) - 1, 1)
        if extra_width <= 0:
            return original(context, line, extra_width)
        spacing = extra_width / gaps
        if spacing > MAX_SPACING_EM * (texts[0].style["font_size"] or 1):
            return original(context, line, extra_width)
        saved = _state(line)
        got = spaced(context, line, spacing, 0, texts[-1])
        tried = [(0.0, 0.0), (spacing, got)]  # no spacing: no change in width
        for _ in range(2):
            if abs(got - extra_width) <= 0.05:
                break
            # Pango's share of spacing at the edges of a solid run is not exactly what was
            # counted; the width grows linearly with the spacing: the secant lands it
            (s0, g0), (s1, g1) = tried[-2:]
            if g1 == g0:
                break
            spacing = s1 + (extra_width - g1) * (s1 - s0) / (g1 - g0)
            _restore(saved)
            got = spaced(context, line, spacing, 0, texts[-1])
            tried.append((spacing, got))

    original_align = inline.text_align

    def text_align(context, line, available_width, last):
        """WeasyPrint leaves a line alone that its trailing gap makes look full: that gap
        goes (see above), and the line is justified like the others."""
        if (not last and line.width >= available_width and line.style["text_align_all"] == "justify"
                and "".join(t.text for t in _text_boxes(line, boxes)).endswith(HAN_LATIN_GAP)):
            justify_line(context, line, available_width - line.width)
            return 0
        return original_align(context, line, available_width, last)

    inline.justify_line = justify_line
    inline.text_align = text_align
    return True
