"""Read a document (plain text, DOCX, text-based PDF) into numbered lines.

Every format becomes the same thing: a list of :class:`Line` with the line (or
paragraph, or PDF line) number it came from, blank lines marking paragraph or
page boundaries. Bold text of DOCX is kept as ``**…**`` so the parsers see the
designer's emphasis the way the plain-text seeds mark it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..io import check_package, decode_text, file_kind, read_limited


@dataclass(frozen=True)
class Line:
    no: int          # 1-based line (txt), paragraph (docx) or line-on-page counter (pdf)
    text: str


#: an input document: bytes, and PDF pages (a year's bulletin has a few dozen)
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300


def read_lines(path: Path) -> list[Line]:
    suffix = path.suffix.lower()
    try:
        raw = read_limited(path, MAX_INPUT_BYTES, "documents to extract")
        kind = file_kind(raw[:16], path)
        expected = {".docx": "a Word document (.docx)", ".pdf": "a PDF"}.get(suffix)
        if expected and kind != expected:
            what = kind or "text"
            raise DataError(path, f"named {suffix} but this is {what}"
                            + ("; open it in Word or WPS and save it as .docx (Word 文档)" if "Office" in what else ""))
        if suffix == ".docx":
            check_package(path, "DOCX")
            from .word import docx_lines

            return docx_lines(path)
        if suffix == ".pdf":
            return _pdf_lines(path)
    except DataError:
        raise
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    except Exception as exc:  # a corrupt DOCX/PDF raises many kinds of errors
        raise DataError(path, f"cannot read this {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from None
    text = decode_text(raw, path).replace("\r\n", "\n").replace("\r", "\n")
    return [Line(i, line.rstrip()) for i, line in enumerate(text.split("\n"), 1)]


def _justification_gap(before, after, char_type) -> bool:
    """Whether the gap pdfminer read as a space between *before* and *after* is only a
    justified Chinese line's letter spacing (under half an em), not a word space."""
    if not (isinstance(before, char_type) and isinstance(after, char_type)):
        return False
    if before.get_text().isascii() and after.get_text().isascii():
        return False  # between two Latin words or figures: a real space
    return after.x0 - before.x1 < 0.5 * max(before.size, after.size)


def _row_text(row, char_type) -> str:
    """A PDF line's text: bold runs inside a line marked ``**…**`` (as in DOCX), letter-spaced
    text (工 作 回 眸, G O N G   Z U O) closed up, the renderer's gap characters dropped."""
    pieces: list[tuple[str, bool | None]] = []
    items = list(row)
    for index, item in enumerate(items):
        text = item.get_text().replace("\u2060", "").replace("\u2005", "")
        if text == " " and not isinstance(item, char_type) and 0 < index < len(items) - 1 \
                and _justification_gap(items[index - 1], items[index + 1], char_type):
            continue  # a space pdfminer guessed from a justified Chinese line's spacing, not a character
        bold = ("Bold" in item.fontname) if isinstance(item, char_type) and text.strip() else None
        pieces.append((text, bold))
    flags = [b for _, b in pieces if b is not None]
    mixed = any(flags) and not all(flags)
    out, state = "", False
    for text, bold in pieces:
        if mixed and bold is not None and bold != state:
            out += "**"
            state = bold
        out += text
    if state:
        out += "**"
    out = out.rstrip("\n").replace("\n", "")
    bare = out.replace("**", "")
    if len(bare) >= 5 and re.fullmatch(r"(\S {1,3})+\S", bare.strip()):  # letter-spaced
        out = re.sub(r"(?<=\S) (?=\S)", "", out.strip())
    return re.sub(r" {2,}", " ", out)


def reading_order(boxes, width: float):
    """Text boxes in reading order: top to bottom; where the page has two columns, the left
    column before the right one. A box that crosses the middle (a heading, a full-width
    paragraph) ends one run of columns and starts the next."""
    middle = width / 2
    spans = lambda box: box.x0 < middle - 20 and box.x1 > middle + 20  # noqa: E731
    ordered: list = []
    band: list = []
    for box in sorted(boxes, key=lambda b: -b.y1):
        if spans(box):
            ordered += sorted(band, key=lambda b: (b.x0 >= middle, -b.y1))
            band = []
            ordered.append(box)
        else:
            band.append(box)
    return ordered + sorted(band, key=lambda b: (b.x0 >= middle, -b.y1))


def _pdf_lines(path: Path) -> list[Line]:
    """Lines of a text-based PDF in reading order; a blank line where a paragraph begins.

    pdfminer's layout analysis groups lines into text boxes — a column, or a block set
    apart — which :func:`reading_order` orders (left column before right). A paragraph begins at a line
    indented beyond its box's left edge, where the type size changes (titles, headings),
    or at a new box when the text before it ended a sentence. Page numbers and running
    footers are dropped; a sentence running on over a column or page break stays whole.
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine

    lines: list[Line] = []
    counter = 0
    previous_size = None
    found_text = False
    for number, page in enumerate(extract_pages(str(path), laparams=LAParams(line_margin=1.2),
                                                maxpages=MAX_PDF_PAGES + 1), 1):
        if number > MAX_PDF_PAGES:
            raise DataError(path, f"the PDF has more than {MAX_PDF_PAGES} pages; extract a shorter part of it")
        boxes = reading_order([box for box in page if isinstance(box, LTTextBox)], page.width)
        counts: dict[float, int] = {}
        for box in boxes:
            for row in box:
                for c in row if isinstance(row, LTTextLine) else ():
                    if isinstance(c, LTChar):
                        counts[round(c.size, 1)] = counts.get(round(c.size, 1), 0) + 1
        body_size = max(counts, key=lambda size: counts[size]) if counts else 0
        for box in boxes:
            rows = [row for row in box if isinstance(row, LTTextLine)]
            text = box.get_text().replace("\u2060", "").replace("\u2005", "").strip()
            if not text:
                continue
            found_text = True
            if re.fullmatch(r"[—\-–\s]*\d+[—\-–\s]*", text) or (box.y1 < page.height * 0.08 and len(text) < 40):
                continue  # page number, running footer
            left = min(row.x0 for row in rows)
            first = True
            for row in rows:
                counter += 1
                chars = [c for c in row if isinstance(c, LTChar) and c.get_text().strip()]
                row_text = _row_text(row, LTChar)
                if not row_text.strip() or not chars:
                    continue
                sizes: dict[float, int] = {}
                for c in chars:
                    sizes[round(c.size, 1)] = sizes.get(round(c.size, 1), 0) + 1
                size = max(sizes, key=lambda s: sizes[s])
                indented = size == body_size and row.x0 - left > size * 1.5  # titles hang
                sentence_ended = not lines or not lines[-1].text or lines[-1].text.rstrip()[-1:] in "。！？；”）"
                # a headline set in two lines (after a closing quote, say) stays one headline
                heading_runs_on = size != body_size and size == previous_size and bool(lines and lines[-1].text)
                if size != previous_size or indented or (first and sentence_ended and not heading_runs_on):
                    lines.append(Line(counter, ""))
                lines.append(Line(counter, row_text.strip()))
                previous_size = size
                first = False
    if not found_text:
        raise DataError(path, "this PDF has no text layer (a scan?); OCR it first")
    lines.append(Line(counter, ""))
    return lines


