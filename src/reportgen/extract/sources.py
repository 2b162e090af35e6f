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


@dataclass(frozen=True)
class Line:
    no: int          # 1-based line (txt), paragraph (docx) or line-on-page counter (pdf)
    text: str


def read_lines(path: Path) -> list[Line]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _docx_lines(path)
        if suffix == ".pdf":
            return _pdf_lines(path)
        raw = path.read_bytes()
    except DataError:
        raise
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    except Exception as exc:  # a corrupt DOCX/PDF raises many kinds of errors
        raise DataError(path, f"cannot read this {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(path, "neither UTF-8 nor GB 18030 text") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line(i, line.rstrip()) for i, line in enumerate(text.split("\n"), 1)]


def _docx_lines(path: Path) -> list[Line]:
    import docx

    document = docx.Document(str(path))
    lines: list[Line] = []
    body = document.element.body
    number = 0
    counters: dict[tuple[str, str], int] = {}
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        paragraphs = []
        if tag == "p":
            paragraphs = [docx.text.paragraph.Paragraph(element, document)]
        elif tag == "tbl":
            table = docx.table.Table(element, document)
            paragraphs = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
        for paragraph in paragraphs:
            number += 1
            text = _docx_text(paragraph)
            if text.strip():
                label = _list_number(paragraph, counters)
                lines.append(Line(number, f"{label} {text.strip()}" if label else text.strip()))
                lines.append(Line(number, ""))
    return lines


def _list_number(paragraph, counters: dict) -> str | None:
    """The number Word draws for an auto-numbered paragraph (it is not in the text).

    Counted per list and level, like Word does for decimal lists; the numbering of a
    heading style in the middle of a list restarts deeper levels."""
    from docx.oxml.ns import qn

    def num_pr(element):
        ppr = element.find(qn("w:pPr"))
        return ppr.find(qn("w:numPr")) if ppr is not None else None

    props = num_pr(paragraph._p)
    style = paragraph.style
    while props is None and style is not None:
        props = num_pr(style.element)
        style = style.base_style
    if props is None:
        return None
    num_id = props.find(qn("w:numId"))
    level = props.find(qn("w:ilvl"))
    key = (num_id.get(qn("w:val")) if num_id is not None else "0",
           level.get(qn("w:val")) if level is not None else "0")
    if key[0] == "0":
        return None  # numbering switched off
    counters[key] = counters.get(key, 0) + 1
    for other in list(counters):
        if other[0] == key[0] and other[1] > key[1]:
            del counters[other]
    return str(counters[key])


def _docx_text(paragraph) -> str:
    out = []
    for run in paragraph.runs:
        text = run.text
        if run.bold and text.strip() and _is_inline_bold(paragraph, run):
            out.append(f"**{text}**")
        else:
            out.append(text)
    return re.sub(r"\*\*\*\*", "", "".join(out))


def _is_inline_bold(paragraph, run) -> bool:
    """Bold inside a paragraph that is not bold throughout (a title is bold throughout)."""
    return not all(r.bold for r in paragraph.runs if r.text.strip())


def _pdf_lines(path: Path) -> list[Line]:
    """Lines of a text-based PDF; a blank line where a paragraph or a page begins.

    A paragraph begins at a line indented beyond the page's usual left edge or set
    in a different type size (titles, headings). Running footers (page numbers)
    are dropped.
    """
    import pdfplumber

    lines: list[Line] = []
    counter = 0
    with pdfplumber.open(path) as pdf:
        if not any(page.chars for page in pdf.pages):
            raise DataError(path, "this PDF has no text layer (a scan?); OCR it first")
        for page in pdf.pages:
            rows = page.extract_text_lines(return_chars=True)
            if not rows:
                continue
            left = min(r["x0"] for r in rows)
            body_size = _common_size(rows)
            previous_size = None
            for row in rows:
                counter += 1
                text = row["text"].replace("\u2060", "").replace("\u2005", "")
                if re.fullmatch(r"[—\-–\s]*\d+[—\-–\s]*", text):
                    continue  # page number
                if row["top"] > page.height * 0.92 and len(text) < 40:
                    continue  # running footer
                size = _common_size([row]) or body_size
                indented = row["x0"] - left > size * 1.5
                # body text: a new paragraph at each indented first line; other sizes
                # (titles, headings): a new block where the size changes
                if size != previous_size or (size == body_size and indented):
                    lines.append(Line(counter, ""))
                lines.append(Line(counter, text))
                previous_size = size
            lines.append(Line(counter, ""))
    return lines


def _common_size(rows) -> float:
    sizes: dict[float, int] = {}
    for row in rows:
        for ch in row["chars"]:
            size = round(ch["size"], 1)
            sizes[size] = sizes.get(size, 0) + 1
    return max(sizes, key=sizes.get) if sizes else 0.0
