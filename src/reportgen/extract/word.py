"""A Word document's text, with its structure read as structure, not text.

- **Accepted text.** Tracked changes are read as accepted: inserted and moved-in runs
  (``w:ins``, ``w:moveTo``) are in, deleted and moved-out ones (``w:del``, ``w:moveFrom``) out.
- **Numbering.** The number Word draws for an auto-numbered paragraph is not in the text;
  it is counted per list and level the way Word counts (a list's levels in its abstract
  numbering, deeper levels restarting under a shallower one, a ``w:startOverride``), and
  written in the list's own format (``%1、`` with chineseCounting → 一、, ``%1.`` → 1.).
- **Text boxes.** A title set in a text box (``w:txbxContent``; its VML fallback copy is
  skipped) is read before the paragraph that anchors it.
- **Soft breaks.** A manual line break (``w:br``) inside a paragraph joins its pieces again
  (a title broken for layout), unless the pieces are numbered items: then each is a line.
- **Tables.** A table whose header names its columns (序号 | 事项 | 简要内容) or whose first
  column counts 1, 2, 3 is a list: each row an item (the title cell, then the other cells
  as its text), a row of one merged cell a list's name; a merged cell is read once.
  Other tables are read cell by cell.
- **Bold runs** inside a paragraph that is not bold throughout are kept as ``**…**``.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..typography import circled, cn_number as cn_numeral
from .numbering import CN_DIGITS, cn_number, marker
from .sources import Line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: where a run's text is not the accepted text, or is read elsewhere (a text box's own paragraphs)
SKIPPED = {W + "del", W + "moveFrom", W + "txbxContent", MC + "Fallback"}
#: header cells that say a table is a list of items
LIST_HEADER = re.compile(r"^(?:序号|序號|编号|編號|排名|事项|事項|名称|名稱|标题|標題|主要内容|简要内容|簡要內容|内容|內容|"
                         r"项目|項目|事件|成果|亮点|亮點|简介|簡介)$")


def docx_lines(path: Path) -> list[Line]:
    import docx

    document = docx.Document(str(path))
    reader = _Reader(_Numbering(document))
    reader.block(document.element.body)
    return reader.lines


class _Reader:
    def __init__(self, numbering: "_Numbering"):
        self.numbering = numbering
        self.lines: list[Line] = []
        self.number = 0

    def emit(self, text: str) -> None:
        if text.strip():
            self.lines.append(Line(self.number, text.strip()))
            self.lines.append(Line(self.number, ""))

    def block(self, parent) -> None:
        for element in parent.iterchildren():
            if element.tag == W + "p":
                self.paragraph(element)
            elif element.tag == W + "tbl":
                self.table(element)
            elif element.tag == W + "sdt":             # a content control: its content
                for content in element.iterchildren(W + "sdtContent"):
                    self.block(content)

    def paragraph(self, p) -> None:
        for box in p.iter(W + "txbxContent"):
            if not any(a.tag == MC + "Fallback" for a in box.iterancestors()) and _own(box, p, skip_boxes=False):
                self.block(box)
        self.number += 1
        text = paragraph_text(p)
        if not text.strip():
            return
        label = self.numbering.label(p)
        pieces = [piece.strip() for piece in text.split("\n") if piece.strip()]
        if len(pieces) > 1 and sum(marker(piece) is not None for piece in pieces[1:]) >= len(pieces[1:]) / 2:
            first, *rest = pieces           # a list typed in one paragraph with manual breaks
            self.emit(_labelled(label, first))
            for piece in rest:
                self.emit(piece)
            return
        self.emit(_labelled(label, _join(pieces)))

    def table(self, tbl) -> None:
        rows = [[text for text in (_cell_text(tc) for tc in tr.iterchildren(W + "tc")) if text is not None]
                for tr in tbl.iterchildren(W + "tr")]
        items = _table_items(rows)
        if items is None:
            for tr in tbl.iterchildren(W + "tr"):
                for tc in tr.iterchildren(W + "tc"):
                    if not _continues(tc):
                        self.block(tc)
            return
        for kind, texts in items:
            self.number += 1
            if kind == "name":
                self.emit(texts[0])
            else:
                self.emit(f"{kind}. {texts[0]}")
                for text in texts[1:]:
                    self.emit(text)


def _own(element, p, skip_boxes: bool = True) -> bool:
    """Whether *element* inside paragraph *p* is in its accepted text (no deleted, moved-out,
    fallback or — unless asked — text-box ancestor between them)."""
    for ancestor in element.iterancestors():
        if ancestor is p:
            return True
        if ancestor.tag in SKIPPED and (skip_boxes or ancestor.tag != W + "txbxContent"):
            return False
    return True


def paragraph_text(p) -> str:
    """The accepted text of paragraph element *p*, bold runs inside it marked ``**…**``."""
    runs = [(r, "".join(str(e) for e in r.xpath("w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab")))
            for r in p.iter(W + "r") if _own(r, p)]
    texts = [(text, _bold(r)) for r, text in runs if text]
    if not texts:
        return ""
    all_bold = all(bold for text, bold in texts if text.strip())
    out = [f"**{text}**" if bold and not all_bold and text.strip() else text for text, bold in texts]
    return re.sub(r"\*\*\*\*", "", "".join(out))


def _bold(r) -> bool:
    rpr = r.find(W + "rPr")
    b = rpr.find(W + "b") if rpr is not None else None
    return b is not None and b.get(W + "val", "true") not in ("0", "false", "off")


def _join(pieces: list[str]) -> str:
    """Pieces of one paragraph parted by manual breaks, joined again: Chinese with nothing
    between, Latin words with a space."""
    out = ""
    for piece in pieces:
        if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"[A-Za-z0-9]", piece):
            out += " "
        out += piece
    return out


def _labelled(label: str, text: str) -> str:
    return f"{label} {text}" if label else text


def _continues(tc) -> bool:
    """A cell that continues the merged cell above it (its text is the one above)."""
    pr = tc.find(W + "tcPr")
    merge = pr.find(W + "vMerge") if pr is not None else None
    return merge is not None and merge.get(W + "val", "continue") == "continue"


def _cell_text(tc) -> str | None:
    if _continues(tc):
        return None
    return _join([text for text in (paragraph_text(p).strip() for p in tc.iter(W + "p")) if text])


def _table_items(rows: list[list[str]]) -> list[tuple[str, list[str]]] | None:
    """A list table's rows as ``(number, [title, text…])`` or ``("name", [name])``, or None."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return None
    header = [cell.strip() for cell in rows[0]]
    has_header = sum(bool(LIST_HEADER.match(cell)) for cell in header) >= 1 and len(header) >= 2
    body = rows[1:] if has_header else rows
    counted = [row for row in body if len([c for c in row if c.strip()]) >= 2]
    numbered = len(counted) >= 2 and all(_count(row[0]) is not None for row in counted)
    if not has_header and not numbered:
        return None
    title_column = 1 if numbered or header and re.match(r"^(?:序号|序號|编号|編號|排名)$", header[0]) else 0
    out: list[tuple[str, list[str]]] = []
    position = 0
    for row in body:
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and (len(cells) == 1 or not cells[title_column]):
            out.append(("name", filled))          # a merged row naming the list that follows
            position = 0
            continue
        position += 1
        number = _count(cells[0]) if title_column else None
        texts = [cell for cell in cells[title_column:] if cell]
        if texts:
            out.append((str(number or position), texts))
    return out if sum(1 for kind, _ in out if kind != "name") >= 2 else None


def _count(text: str) -> int | None:
    text = text.strip().rstrip("、.．")
    if text.isdigit():
        return int(text)
    return cn_number(text)


class _Numbering:
    """The document's list definitions, and the counters Word keeps while drawing them."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}   # abstractNumId → ilvl → (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}           # numId → (abstractNumId, overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.styles = _style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iterchildren(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iterchildren(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                levels[int(lvl.get(W + "ilvl", "0"))] = (
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    text.get(W + "val", "") if text is not None else "",
                    int(start.get(W + "val", "1")) if start is not None else 1)
            self.levels[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.iterchildren(W + "num"):
            ref = num.find(W + "abstractNumId")
            overrides = {}
            for override in num.iterchildren(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    overrides[int(override.get(W + "ilvl", "0"))] = int(start.get(W + "val", "1"))
            self.nums[num.get(W + "numId", "")] = (ref.get(W + "val", "") if ref is not None else "", overrides)

    def label(self, p) -> str:
        """The number Word draws before paragraph *p*, as the list's format writes it, or ''."""
        props = _num_pr(p)
        if props is None:
            ppr = p.find(W + "pPr")
            style = ppr.find(W + "pStyle") if ppr is not None else None
            props = self.styles.get(style.get(W + "val", "") if style is not None else "Normal")
        if props is None:
            return ""
        num_id, level = props
        if num_id == "0" or num_id not in self.nums:
            return "" if num_id == "0" else self._plain(num_id, level)
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def number(match: re.Match) -> str:
            lvl = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(lvl, ("decimal", "", 1))
            return _format(counters.get(lvl, lvl_start), lvl_fmt)

        drawn = re.sub(r"%([1-9])", number, text or f"%{level + 1}.").strip()
        if not re.search(r"[、.．)）:：,，]$", drawn):
            drawn += "、" if fmt.startswith(("chinese", "ideograph", "japanese")) else "."
        return drawn

    def _plain(self, num_id: str, level: int) -> str:
        counters = self.counters.setdefault("?" + num_id, {})
        counters[level] = counters.get(level, 0) + 1
        return f"{counters[level]}."


def _num_pr(element) -> tuple[str, int] | None:
    ppr = element.find(W + "pPr")
    props = ppr.find(W + "numPr") if ppr is not None else None
    if props is None:
        return None
    num_id = props.find(W + "numId")
    level = props.find(W + "ilvl")
    return (num_id.get(W + "val", "0") if num_id is not None else "0",
            int(level.get(W + "val", "0")) if level is not None else 0)


def _style_numbering(document) -> dict[str, tuple[str, int]]:
    """Each paragraph style's numbering (List Number, a heading style numbered 一、), its own or
    the style it is based on."""
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    try:
        styles = document.styles.element
    except (KeyError, AttributeError):
        return {}
    for style in styles.iterchildren(W + "style"):
        style_id = style.get(W + "styleId", "")
        own[style_id] = _num_pr(style)
        base = style.find(W + "basedOn")
        if base is not None:
            based[style_id] = base.get(W + "val", "")
    out: dict[str, tuple[str, int]] = {}
    for style_id in own:
        seen, current = set(), style_id
        while current and current not in seen:
            seen.add(current)
            found = own.get(current)
            if found is not None:
                out[style_id] = found
                break
            current = based.get(current, "")
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return cn_numeral(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(CN_DIGITS[int(d)] for d in str(n)).replace("零", "〇")
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return circled(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out
