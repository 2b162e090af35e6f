"""Proofreading a rendered PDF as a designer reads it: what a Chinese reader sees as unedited.

``proof(path)`` reads the PDF's text layer (pdfplumber) into lines and columns and counts:

* ``headline breaks``: a headline of two or more lines broken inside a word (jieba's
  dictionary says where words are) or leaving one or two characters alone on its last line;
* ``short lines``: a line that its paragraph continues after, ending more than one
  character short of its column;
* ``spaced numbers``: letter spacing between the digits of one number;
* ``split figures``: a figure at a line's end whose unit starts the next line (125 | 个);
* ``lonely last lines``: a paragraph's last line holding one character and its mark;
* ``stranded headings``: a heading at the foot of a column or page with fewer than two
  lines of its text after it;
* ``widows``/``orphans``: one line of a paragraph alone at the top or the foot of a page.

Each finding is a short description (page, text) so that a test can show it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..typography import GAP_CHARS, is_han

CLOSING = set("，。、；：！？”’）》】」』〉…")
KINDS = ("headline breaks", "short lines", "loose lines", "spaced numbers", "split figures", "lonely last lines",
         "stranded headings", "widows", "orphans")


@dataclass
class Line:
    page: int
    chars: list
    size: float
    top: float
    x0: float
    x1: float
    bold: bool

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


@dataclass
class Proof:
    found: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.found.items()}


def _lines(pdf) -> list[list[Line]]:
    pages = []
    for number, page in enumerate(pdf.pages, 1):
        rows: dict[tuple[int, float], list] = {}
        for ch in page.chars:
            if ch["text"] in GAP_CHARS or not ch["text"].strip():
                continue
            # by baseline: a bold figure's font has other ascents, so its "top" differs
            rows.setdefault((round(ch["matrix"][5] / 2), round(ch["size"], 1)), []).append(ch)
        lines = []
        for (_, size), row in rows.items():
            row.sort(key=lambda c: c["x0"])
            current = [row[0]]
            for prev, ch in zip(row, row[1:]):
                if ch["x0"] - prev["x0"] > 2.2 * size:      # a column gutter (a character and its spacing < 2 em)
                    lines.append(current)
                    current = []
                current.append(ch)
            lines.append(current)
        out = [Line(number, chars, round(chars[0]["size"], 1), min(c["top"] for c in chars), chars[0]["x0"],
                    max(c["x1"] for c in chars), all("Bold" in c["fontname"] for c in chars)) for chars in lines]
        pages.append(sorted(out, key=lambda line: (line.x0 > page.width / 2 if _two_columns(out, page)
                                                   else False, line.top, line.x0)))
    return pages


def _two_columns(lines: list[Line], page) -> bool:
    middle = page.width / 2
    return sum(1 for line in lines if line.x1 < middle) > 5 and sum(1 for line in lines if line.x0 > middle) > 5


def _body_size(pages: list[list[Line]]) -> float:
    counts: dict[float, int] = {}
    for lines in pages:
        for line in lines:
            counts[line.size] = counts.get(line.size, 0) + len(line.chars)
    return max(counts, key=lambda size: counts[size]) if counts else 12.0


def _columns(lines: list[Line], size: float) -> list[tuple[float, float]]:
    """(left, right) of the page's text columns, from its body lines."""
    body = [line for line in lines if abs(line.size - size) < 0.2 and len(line.chars) > 6]
    lefts = sorted({round(line.x0) for line in body})
    columns: list[list[Line]] = []
    for left in lefts:
        members = [line for line in body if abs(line.x0 - left) < 0.6]
        if len(members) >= 2 and not any(abs(c[0].x0 - left) < 2.5 * size for c in columns):
            columns.append(members)
    return [(min(m.x0 for m in c), max(m.x1 for m in c)) for c in columns]


def _column_of(line: Line, columns) -> tuple[float, float] | None:
    for left, right in columns:
        if left - 1 <= line.x0 <= right and line.x1 <= right + 2:
            return left, right
    return None


def proof(path: Path | str) -> Proof:
    import pdfplumber

    result = Proof()
    with pdfplumber.open(str(path)) as pdf:
        pages = _lines(pdf)
    size = _body_size(pages)
    for lines in pages:
        columns = _columns(lines, size)
        _body_checks(lines, columns, size, result)
        _headline_checks(lines, size, result)
    _page_checks(pages, size, result)
    return result


def _continues(line: Line, following: Line | None, column, size: float) -> bool:
    return (following is not None and column is not None and abs(following.size - line.size) < 0.2
            and 0 < following.top - line.top < 2.2 * size and abs(following.x0 - column[0]) < 0.6 * size)


def _body_checks(lines: list[Line], columns, size: float, result: Proof) -> None:
    body = [line for line in lines if abs(line.size - size) < 0.2]
    for index, line in enumerate(body):
        column = _column_of(line, columns)
        following = body[index + 1] if index + 1 < len(body) else None
        text = line.text
        where = f"p{line.page}: {text[-12:]}"
        for a, b in zip(line.chars, line.chars[1:]):
            if a["text"].isdigit() and b["text"].isdigit() and b["x0"] - a["x1"] > 0.3:
                result.found["spaced numbers"].append(f"p{line.page}: {text} ({a['text']} {b['text']})")
                break
        han = [(a, b) for a, b in zip(line.chars, line.chars[1:]) if is_han(a["text"]) and is_han(b["text"])]
        if len(han) > 4:
            spacing = sorted(b["x0"] - a["x0"] - a["size"] for a, b in han)[len(han) // 2]
            if spacing > 0.25 * line.size:
                result.found["loose lines"].append(f"{where} ({spacing / line.size:.2f} em between characters)")
        if _continues(line, following, column, size):
            assert column is not None and following is not None
            if column[1] - line.x1 > 1.2 * size:
                result.found["short lines"].append(f"{where} ({(column[1] - line.x1) / size:.1f} em short)")
            if re.search(r"[0-9%]$", text) and is_han(following.text[:1]):
                result.found["split figures"].append(f"p{line.page}: …{text[-6:]} | {following.text[:4]}…")
        elif column is not None and line.x0 - column[0] < 0.6 * size and len(text.rstrip("".join(CLOSING))) <= 1 \
                and index > 0 and 0 < line.top - body[index - 1].top < 2.2 * size:
            result.found["lonely last lines"].append(f"p{line.page}: {body[index - 1].text[-8:]} / {text}")


def _headline_checks(lines: list[Line], size: float, result: Proof) -> None:
    # (a large numeral beside its heading — the review's 01, an item's badge — is not its text)
    big = [line for line in lines if line.size > size * 1.03 and not line.text.isdigit()]
    groups: list[list[Line]] = []
    for line in big:
        last = groups[-1][-1] if groups else None
        if last is not None and abs(last.size - line.size) < 0.2 and 0 < line.top - last.top < 1.9 * line.size \
                and abs((last.x0 + last.x1) / 2 - (line.x0 + line.x1) / 2) < 20 * line.size:
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        if len(group) < 2:
            continue
        whole = "".join(line.text for line in group)
        breaks = []
        position = 0
        for line in group[:-1]:
            position += len(line.text)
            breaks.append(position)
        bounds = _word_bounds(whole)
        inside = [b for b in breaks if b not in bounds]
        last_len = len(group[-1].text.rstrip("".join(CLOSING)))
        if inside or last_len <= 2:
            result.found["headline breaks"].append(
                f"p{group[0].page}: " + " / ".join(line.text for line in group))


def _word_bounds(text: str) -> set[int]:
    """Where a headline may break: between the phrases the headline filter keeps whole."""
    from .headlines import phrases

    return {end for _, end in phrases(text)} | {0}


def _page_checks(pages: list[list[Line]], size: float, result: Proof) -> None:
    """Headings at a column's foot, and a paragraph's one line alone across a page break."""
    for lines in pages:
        body_tops = [line for line in lines if abs(line.size - size) < 0.2]
        if not body_tops:
            continue
        bottom = max(line.top for line in body_tops)
        lefts = [left for left, _ in _columns(lines, size)]
        for line in lines:
            if not any(abs(line.x0 - left) < 2.5 * size for left in lefts):
                continue  # not in the running text (a figure panel's label)
            words = sum(1 for ch in line.text if is_han(ch))
            heading = (line.size > size * 1.1 or line.bold and len(line.chars) < 40) and words >= 2
            if not heading or line.top < bottom - 4 * size:
                continue
            below = [other for other in lines if other.top > line.top + 1
                     and other.x0 < line.x1 and other.x1 > line.x0]   # in the same column
            if len(below) < 2:
                result.found["stranded headings"].append(f"p{line.page}: {line.text[:20]}")
    for number, lines in enumerate(pages[:-1]):
        columns = _columns(lines, size)
        for left, right in columns:
            body = [line for line in lines if abs(line.size - size) < 0.2 and left - 1 <= line.x0 <= right]
            if len(body) < 2:
                continue
            last = body[-1]
            if 1.5 * size < last.x0 - left < 2.5 * size and right - last.x1 < 1.2 * size:
                result.found["orphans"].append(f"p{last.page}: {last.text[:12]}…")
        nxt = pages[number + 1]
        for left, right in _columns(nxt, size):
            body = [line for line in nxt if abs(line.size - size) < 0.2 and left - 1 <= line.x0 <= right]
            if len(body) >= 2 and abs(body[0].x0 - left) < 0.6 * size and right - body[0].x1 > 1.2 * size \
                    and 1.5 * size < body[1].x0 - left < 2.5 * size:
                result.found["widows"].append(f"p{body[0].page}: {body[0].text[:12]}…")


def main(argv: list[str] | None = None) -> None:
    """python -m reportgen.render.proof FILE.pdf … : the counts and every finding."""
    import sys

    for name in argv if argv is not None else sys.argv[1:]:
        found = proof(name).found
        print(f"{name}: " + ", ".join(f"{kind} {len(items)}" for kind, items in found.items()))
        for kind, items in found.items():
            for item in items:
                print(f"  {kind}: {item}")


if __name__ == "__main__":
    main()
