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
"""
from __future__ import annotations

import functools

from ..typography import HAN_LATIN_GAP, is_han

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
        from weasyprint.text.line_break import create_layout, line_size
        original = inline.justify_line
    except (ImportError, AttributeError):
        return False

    def spaced(context, box, spacing, x_advance, last, hang):
        """Give every character of *box* ``spacing`` more room; returns the new x advance.

        Pango spaces the characters of a text box; WeasyPrint counts one more spacing
        after its last character. That trailing room, and *hang* (a Han–Latin gap that
        ends the line), are dropped from the line's *last* text box, so that its last
        visible character ends at the right edge."""
        if isinstance(box, boxes.TextBox):
            box.position_x += x_advance
            if box.text:
                style = box.style.copy()
                base = style["letter_spacing"]
                style["letter_spacing"] = (0 if base == "normal" else base) + spacing
                layout = create_layout(box.text, style, context, max_width=None,
                                       justification_spacing=box.justification_spacing)
                line, _ = layout.get_first_line()
                width, _ = line_size(line, style)
                layout.deactivate()
                if box is last:
                    width -= spacing + hang
                x_advance += width - box.width
                box.width = width
                box.style = style
                box.pango_layout = layout
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = spaced(context, child, spacing, x_advance, last, hang)
            box.width += x_advance - before
        else:  # an atomic inline (an image): moved, not widened
            box.translate(x_advance, 0)
        return x_advance

    def width_of(text, style, context):
        layout = create_layout(text, style, context, max_width=None, justification_spacing=0)
        width, _ = line_size(layout.get_first_line()[0], style)
        layout.deactivate()
        return width

    def justify_line(context, line, extra_width):
        texts = list(_text_boxes(line, boxes))
        joined = "".join(t.text for t in texts)
        if extra_width < 0 or not texts or not any(map(is_han, joined)):
            return original(context, line, extra_width)
        gaps, hang = _graphemes(joined) - 1, 0.0
        if joined.endswith(HAN_LATIN_GAP):  # the line broke after a gap: let it hang
            hang = width_of(HAN_LATIN_GAP, texts[-1].style, context)
            gaps -= 1
        if gaps <= 0 or extra_width + hang <= 0:
            return original(context, line, extra_width)
        spacing = (extra_width + hang) / gaps
        if spacing > MAX_SPACING_EM * (texts[0].style["font_size"] or 1):
            return original(context, line, extra_width)
        spaced(context, line, spacing, 0, texts[-1], hang)

    inline.justify_line = justify_line
    return True
