"""Every formatting rule the templates use, as named Jinja filters.

Templates hold layout only; anything that turns data into typeset text lives
here, so the HTML templates and the DOCX builder share one implementation.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from markupsafe import Markup, escape

from .. import metrics as _metrics
from ..typography import circled, cn_number, glue_positions, halt_positions, range_breaks, segments

def squeeze_html(text: str) -> str:
    """Escape *text*, wrapping marks to be set half-width in ``<span class="halt">``."""
    halves = halt_positions(text)
    if not halves:
        return str(escape(text))
    return "".join(f'<span class="halt">{escape(ch)}</span>' if i in halves else str(escape(ch))
                   for i, ch in enumerate(text))


def figure_spans(text: str, metrics: Sequence | None = None, paragraph: int | None = None,
                 bold: bool = True) -> list[tuple[int, int]]:
    """The spans of *text* to set in bold: the given *metrics* (``Metric`` records with a
    ``paragraph`` index, filtered by *paragraph*) or, when None, the figures detected here."""
    if not bold:
        return []
    if metrics is None:
        return [(m.start, m.end) for m in _metrics.find_all(text)]
    return [(m.start, m.end) for m in metrics
            if paragraph is None or getattr(m, "paragraph", paragraph) == paragraph]


def typeset(text: str, metrics: Sequence | None = None, paragraph: int | None = None,
            bold: bool = True, glue: bool = True) -> Markup:
    """Escape *text*, set its figures in bold, space Han from Latin/digits and keep each
    figure with its unit and a paragraph's last two characters together (print)."""
    text = str(text)
    figures = figure_spans(text, metrics, paragraph) if metrics != [] else []
    joins = glue_positions(text, figures, last_line=True) if glue else set()
    html = []
    for piece, strong in segments(text, figures if bold else [], glue=joins,
                                  breaks=range_breaks(text) if glue else set()):
        piece_html = squeeze_html(piece)
        html.append(f'<strong class="fig">{piece_html}</strong>' if strong else piece_html)
    return Markup("".join(html))


def web_text(text: str, metrics: Sequence | None = None, paragraph: int | None = None,
             bold: bool = True) -> Markup:
    """Escape *text* and set its figures in bold, for screens (公众号, long image): no gap
    characters and no half-width marks, which phone fonts and the 公众号 editor do not keep."""
    text = str(text)
    return Markup("".join(f'<strong class="fig">{escape(piece)}</strong>' if strong else str(escape(piece))
                          for piece, strong in segments(text, figure_spans(text, metrics, paragraph, bold),
                                                        spacing=False)))


def plain(text: str) -> Markup:
    """Escape and space *text* without emphasis (titles, captions)."""
    return typeset(text, [], bold=False, glue=False)


def css_string(value: str) -> Markup:
    """A quoted CSS string, safe inside a ``<style>`` element."""
    text = str(value).replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    text = text.replace(">", "\\3e ").replace("\n", " ").replace("\r", " ")
    return Markup('"' + text + '"')


def font_stack(families: Sequence[str], generic: str = "serif") -> Markup:
    """A CSS ``font-family`` value: quoted names, then a generic family."""
    return Markup(", ".join([css_string(f) for f in families] + [generic]))


def cn_date(value: dt.date | str, year: bool = True) -> str:
    """2021-12-29 → 2021年12月29日 (or 12月29日 with ``year=False``)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    text = f"{value.month}月{value.day}日"
    return f"{value.year}年{text}" if year else text


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def rgba(color: str, alpha: float) -> str:
    r, g, b = hex_rgb(color)
    return f"rgba({r}, {g}, {b}, {alpha})"


def qr_svg(data: str, color: str = "#000000", size_mm: float = 32) -> Markup:
    """A QR code of *data* as inline SVG (vector in the PDF), *size_mm* wide."""
    import segno

    qr = segno.make(str(data), error="m")
    svg = qr.svg_inline(dark=color, border=2, scale=1, omitsize=True)
    return Markup(svg.replace("<svg ", f'<svg style="width:{size_mm}mm;height:{size_mm}mm" ', 1))


def qr_png(data: str, color: str = "#000000", scale: int = 8) -> bytes:
    """The same QR code as PNG bytes (for DOCX)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(str(data), error="m").save(buffer, kind="png", dark=color, border=2, scale=scale)
    return buffer.getvalue()


def date_range(start: dt.date, end: dt.date) -> str:
    """2021-12-29, 2022-01-09 → 2021年12月29日至2022年1月9日 (the year once when it is the same)."""
    if start == end:
        return cn_date(start)
    same_year = start.year == end.year
    return f"{cn_date(start)}至{cn_date(end, year=not same_year)}"


def zero_pad(n: int, width: int = 2) -> str:
    """1 → 01: the large section numerals of a review."""
    return f"{int(n):0{width}d}"


def is_column_tag(kicker: str) -> bool:
    """A kicker of up to four characters is a newspaper column's name (纵深), set as a tag."""
    return 0 < len(kicker) <= 4


def bracket_date(value: dt.date) -> str:
    """[2021-02-01], as news releases date themselves."""
    return f"[{value.isoformat()}]"


def headline(text: str) -> Markup:
    """A headline: wraps only between phrases (see ``render/headlines.py``)."""
    from .headlines import headline as _headline

    return _headline(text)


def web_headline(text: str) -> Markup:
    """A headline for screens (公众号, long image): phrases kept whole, no layout characters."""
    from .headlines import headline as _headline

    return _headline(text, web=True)


FILTERS = {
    "headline": headline,
    "web_headline": web_headline,
    "typeset": typeset,
    "web_text": web_text,
    "plain": plain,
    "font_stack": font_stack,
    "css_string": css_string,
    "cn_number": cn_number,
    "circled": circled,
    "cn_date": cn_date,
    "rgba": rgba,
    "qr_svg": qr_svg,
    "date_range": date_range,
    "bracket_date": bracket_date,
    "zero_pad": zero_pad,
}
TESTS = {"column_tag": is_column_tag}
