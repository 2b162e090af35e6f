"""A text-based PDF's paragraphs, read from the geometry of its characters.

pdfminer gives every character with its size, font and position, grouped into lines and
text boxes (a column, or a block set apart). From those:

- **reading order** — top to bottom; where a page has two columns, the left one before the
  right; a box across the middle (a heading) ends one run of columns (:func:`reading_order`);
- **paragraphs** — the lines of a paragraph are joined into one: a line that runs to its
  column's right edge continues on the next; a paragraph ends at a short line, an indented
  line or a change of type size. A headline set over two lines (the same large size) is one
  headline, so a wrapped title or item keeps its second line;
- **the page's furniture** — running headers and footers (the same text in the top or bottom
  margin of two or more pages, or, on page 1, smaller text above the title), page numbers
  (3, - 3 -, 第 3 页 共 8 页, 3/8), a rotated watermark and footnotes (small text at the
  foot of a page, its number in the text a raised small figure) are not the text: each is
  handed on labelled (页眉：… 页码：… 水印：… 脚注：…) for :mod:`.chrome` to drop and report, once;
- **emphasis** — a bold run inside a line is kept as ``**…**``; letter-spaced headlines
  (工 作 回 眸) are closed up; a justified Chinese line's wide gaps are no spaces.

A PDF without a text layer (a scan) is refused with a clear message, as before.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import DataError
from .clean import ends_sentence
from .numbering import marker
from .sources import MAX_PDF_PAGES, Line

#: a page number alone: 3, - 3 -, — 3 —, 第3页, 第 3 页 共 8 页, 3/8, Page 3
PAGE_NUMBER = re.compile(r"^(?:[—\-–]\s*)?\d{1,4}(?:\s*[—\-–])?$|^第\s*\d{1,4}\s*[页頁](?:\s*[，,]?\s*共\s*\d{1,4}\s*[页頁])?$|"
                         r"^\d{1,4}\s*/\s*\d{1,4}$|^(?:Page|页码|頁碼)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
#: how a footnote begins: 1. ① [1] * 注：
FOOTNOTE = re.compile(r"^(?:\d{1,2}\s*[.．、)）]?|[①-⑳]|\[\d{1,2}\]|\*|注\s*[:：])")
MARGIN = 0.1        # the top and bottom tenth of a page: where running headers and footers sit


def pdf_lines(path: Path) -> list[Line]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    pages = []
    for number, page in enumerate(extract_pages(str(path), laparams=LAParams(line_margin=1.2),
                                                maxpages=MAX_PDF_PAGES + 1), 1):
        if number > MAX_PDF_PAGES:
            raise DataError(path, f"the PDF has more than {MAX_PDF_PAGES} pages; extract a shorter part of it")
        pages.append((page, [box for box in page if isinstance(box, LTTextBox)]))
    if not any(box.get_text().strip() for _, boxes in pages for box in boxes):
        raise DataError(path, "this PDF has no text layer (a scan?); OCR it first")
    running = _running(pages)
    reader = _Reader()
    for number, (page, boxes) in enumerate(pages, 1):
        reader.page(page, reading_order(boxes, page.width), running, first=number == 1)
    reader.end()
    return reader.lines


def _normal(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", text))


def _running(pages) -> set[str]:
    """The texts (digits as #) of margin boxes that repeat on two or more pages."""
    seen: Counter[str] = Counter()
    for page, boxes in pages:
        found = {_normal(box.get_text()) for box in boxes if _in_margin(box, page) and len(box.get_text().strip()) <= 80}
        seen.update(found - {""})
    return {text for text, count in seen.items() if count >= 2}


def _in_margin(box, page) -> bool:
    return box.y0 >= page.height * (1 - MARGIN) or box.y1 <= page.height * MARGIN


class _Reader:
    def __init__(self):
        self.lines: list[Line] = []
        self.counter = 0
        self.current = ""          # the paragraph being joined
        self.current_no = 0
        self.size: float | None = None
        self.open = False          # whether the last line ran to its column's edge (the paragraph goes on)
        self.reported: set[str] = set()
        self.footnotes: list[tuple[int, str]] = []

    def flush(self) -> None:
        if self.current.strip():
            self.lines.append(Line(self.current_no, ""))
            self.lines.append(Line(self.current_no, self.current.strip()))
        self.current = ""

    def label(self, kind: str, text: str) -> None:
        """Page furniture handed on once, labelled, for chrome to drop and report."""
        key = kind + _normal(text)
        if key in self.reported:
            return
        self.reported.add(key)
        self.flush()
        self.lines.append(Line(self.counter, ""))
        self.lines.append(Line(self.counter, f"{kind}：{text.strip()}"))
        self.open = False

    def page(self, page, boxes, running: set[str], first: bool) -> None:
        from pdfminer.layout import LTChar, LTTextLine

        sizes: Counter[float] = Counter()
        for box in boxes:
            for row in box:
                for c in row if isinstance(row, LTTextLine) else ():
                    if isinstance(c, LTChar) and _upright(c) and c.get_text().strip():
                        sizes[round(c.size, 1)] += 1
        turned = sorted((c for box in boxes for row in box if isinstance(row, LTTextLine) for c in row
                         if isinstance(c, LTChar) and c.get_text().strip() and not _upright(c)), key=lambda c: c.x0)
        if turned:                      # a watermark across the page, read in the order it runs
            self.label("水印", "".join(c.get_text() for c in turned))
        body = sizes.most_common(1)[0][0] if sizes else 0
        largest = max(sizes) if sizes else 0
        size_of = {id(box): _box_size(box) for box in boxes}
        title_top = max((box.y1 for box in boxes if size_of[id(box)] == largest), default=0) if first else 0
        body_boxes = [box for box in boxes if abs(size_of[id(box)] - body) <= 0.2]
        edges = _edges(body_boxes, page.width)
        indenting = _indenting(body_boxes, body)
        for box in boxes:
            text = re.sub(r"\s+", " ", box.get_text().replace("\u2060", "").replace("\u2005", "")).strip()
            if not text:
                continue
            rows = [row for row in box if isinstance(row, LTTextLine)]
            chars = [c for row in rows for c in row if isinstance(c, LTChar) and c.get_text().strip()]
            if chars and not any(_upright(c) for c in chars):
                continue                # the watermark, handed on above
            margin = _in_margin(box, page)
            if margin and (PAGE_NUMBER.match(text) or re.fullmatch(r"[—\-–\s]*\d+[—\-–\s]*", text)):
                self.label("页码", text)
                continue
            if margin and _normal(text) in running:
                self.label("页眉" if box.y0 >= page.height / 2 else "页脚", text)
                continue
            size = size_of[id(box)]
            if first and box.y0 >= page.height * (1 - MARGIN) and size < body and box.y0 >= title_top \
                    and size < largest:
                self.label("页眉", text)     # page 1's small line above the title: a running header
                continue
            if box.y1 <= page.height * 0.3 and body and size < body * 0.9 and FOOTNOTE.match(text):
                self.footnotes.append((self.counter, text))
                continue
            if box.y1 <= page.height * MARGIN and len(text) < 40:
                self.label("页脚", text)
                continue
            self.box(rows, edges, body, indenting)

    def box(self, rows, edges, body: float, indenting: bool) -> None:
        from pdfminer.layout import LTChar

        left = min(row.x0 for row in rows)
        first = True
        for row in rows:
            self.counter += 1
            chars = [c for c in row if isinstance(c, LTChar) and c.get_text().strip() and _upright(c)]
            if not chars:
                continue
            sizes = Counter(round(c.size, 1) for c in chars)
            size = sizes.most_common(1)[0][0]
            raised = {id(c) for c in chars if c.size < size * 0.75 and re.fullmatch(r"[\d\[\]*①-⑳]", c.get_text())}
            text = _row_text(row, LTChar, skip=raised).strip()
            if not text:
                continue
            indented = size == body and row.x0 - left > size * 1.5
            joins = bool(self.current) and self.size == size and not indented and marker(text) is None and (
                self.open or (size > body and not (first and ends_sentence(self.current))))
            if not joins:
                self.flush()
                self.current_no = self.counter
            self.current = _glue(self.current, text) if joins else text
            self.size = size
            edge = edges(row)
            # a full line goes on — unless it ends a sentence where paragraphs are not indented
            # (there, only a short line or a number shows where the next one begins)
            self.open = row.x1 >= edge - size * 1.2 and (indenting or not (ends_sentence(text) or text.endswith("：")))
            first = False

    def end(self) -> None:
        self.flush()
        for no, text in self.footnotes:
            self.lines.append(Line(no, ""))
            self.lines.append(Line(no, f"脚注：{text}"))
        self.lines.append(Line(self.counter, ""))


def _indenting(body_boxes, body: float) -> bool:
    """Whether the page's paragraphs begin indented (a body line set in from its box's edge)."""
    from pdfminer.layout import LTTextLine

    for box in body_boxes:
        rows = [row for row in box if isinstance(row, LTTextLine)]
        if len(rows) >= 2:
            left = min(row.x0 for row in rows)
            if any(row.x0 - left > body * 1.5 for row in rows):
                return True
    return False


def _upright(char) -> bool:
    """Set level and upright: a watermark's characters are turned (the text matrix rotates them)."""
    a, b, c, d = char.matrix[:4]
    return a > 0 and d > 0 and abs(b) < 0.01 * abs(a) and abs(c) < 0.01 * abs(d)


def _glue(before: str, after: str) -> str:
    if re.search(r"[A-Za-z0-9,.;:!?]$", before) and re.match(r"[A-Za-z0-9]", after):
        return before + " " + after
    return before + after


def _box_size(box) -> float:
    from pdfminer.layout import LTChar, LTTextLine

    sizes = Counter(round(c.size, 1) for row in box if isinstance(row, LTTextLine)
                    for c in row if isinstance(c, LTChar) and c.get_text().strip())
    return sizes.most_common(1)[0][0] if sizes else 0


def _edges(body_boxes, width: float):
    """The right edge of the column a line sits in: the furthest a body line of that column
    reaches (the left column, the right one, or the full width)."""
    from pdfminer.layout import LTTextLine

    middle = width / 2
    body_rows = [row for box in body_boxes for row in box if isinstance(row, LTTextLine)]
    # a second column: three or more body lines of some width begin right of the middle (a
    # right-aligned date or signature is no column); lines across the middle are full width
    two = sum(1 for row in body_rows if row.x0 >= middle - 20 and row.x1 - row.x0 > width * 0.25) >= 3

    def column(row) -> str:
        if not two or row.x0 < middle - 20 and row.x1 > middle + 20:
            return "full"
        return "left" if row.x1 <= middle + 20 else "right"

    reach: dict[str, float] = {}
    for row in body_rows:
        key = column(row)
        reach[key] = max(reach.get(key, 0), row.x1)
    return lambda row: reach.get(column(row), row.x1)


def _justification_gap(before, after, char_type) -> bool:
    """Whether the gap pdfminer read as a space between *before* and *after* is only a
    justified Chinese line's letter spacing (under half an em), not a word space."""
    if not (isinstance(before, char_type) and isinstance(after, char_type)):
        return False
    if before.get_text().isascii() and after.get_text().isascii():
        return False  # between two Latin words or figures: a real space
    return after.x0 - before.x1 < 0.5 * max(before.size, after.size)


def _row_text(row, char_type, skip: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    """A PDF line's text: bold runs inside a line marked ``**…**`` (as in DOCX), letter-spaced
    text (工 作 回 眸, G O N G   Z U O) closed up, the renderer's gap characters, rotated
    characters (a watermark) and *skip* (raised footnote numbers) dropped."""
    pieces: list[tuple[str, bool | None]] = []
    items = [item for item in row if id(item) not in skip
             and not (isinstance(item, char_type) and not _upright(item))]
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
