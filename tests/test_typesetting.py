"""Chinese typesetting, read back from the rendered PDFs (clreq basics and GB/T 9704)."""
from __future__ import annotations

import functools
from collections import Counter
import re

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from fontTools.ttLib import TTFont

from conftest import DATA, squash
from reportgen.io import load_report
from reportgen.render.fonts import BUNDLED, system_font_files

NO_LINE_START = set("、，。：；！？”’）》】」』〉")
NO_LINE_END = set("“‘（《【「『〈")
MM = 72 / 25.4
GAP = "\u2005\u2060"


def segments(page):
    """Lines of a page as lists of chars, split where a column gutter interrupts a line."""
    rows = {}
    for ch in page.chars:
        if ch["text"] in GAP or not ch["text"].strip():
            continue
        rows.setdefault(round(ch["top"] / 2), []).append(ch)
    out = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        current = [row[0]]
        for prev, ch in zip(row, row[1:]):
            if ch["x0"] - prev["x1"] > 2.5 * ch["size"]:
                out.append(current)
                current = []
            current.append(ch)
        out.append(current)
    return out


def all_segments(path):
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for seg in segments(page):
                yield number, page, seg


@functools.lru_cache(maxsize=None)
def cmap_of(fontname: str) -> frozenset[int]:
    base = fontname.split("+", 1)[-1]
    for family, weights in BUNDLED.items():
        for weight, path in weights.items():
            name = family.replace(" ", "-") + ("-Bold" if weight == "bold" else "")
            if base == name:
                return frozenset(TTFont(path, lazy=True).getBestCmap())
    family = re.sub(r"-(Bold|Regular|Italic)$", "", base).replace("-", " ")
    points: set[int] = set()
    for file in system_font_files(family):
        points |= set(TTFont(file, lazy=True, fontNumber=0).getBestCmap())
    return frozenset(points)


PDF_NAMES = ["cq-kx-2020", "cq-kx-2021-ballot", "cast-2020-news", "cd-kx-review", "cq-kx-2021-report",
             "cq-kx-2020-formal"]


@pytest.mark.parametrize("name", PDF_NAMES)
def test_no_forbidden_punctuation_at_line_edges(all_pdfs, name):
    checked = 0
    for number, _, seg in all_segments(all_pdfs[name]):
        text = "".join(c["text"] for c in seg)
        assert text[0] not in NO_LINE_START, f"page {number}: line starts with {text[0]}: {text[:20]}"
        assert text[-1] not in NO_LINE_END, f"page {number}: line ends with {text[-1]}: {text[-20:]}"
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("name", PDF_NAMES)
def test_every_character_is_drawn_by_a_real_glyph(all_pdfs, name):
    with pdfplumber.open(all_pdfs[name]) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                # one character per glyph, but "——": one glyph, the bundled fonts' two-em dash
                assert (len(ch["text"]) == 1 or ch["text"] == "——") and ch["text"] != "\ufffd", ch
                assert all(ord(c) in cmap_of(ch["fontname"]) for c in ch["text"]), \
                    f"{ch['text']!r} has no glyph in {ch['fontname']}"


def paragraph_starts(report):
    """First characters of every running-text paragraph that is set with a 2em indent."""

    for lst in report.all_lists():
        for item in lst.items:
            yield from item.paragraphs
    yield from report.intro
    for article in report.articles:
        yield from (b for b in article.body if isinstance(b, str))
    for section in report.sections:
        yield from (p.lead for p in section.points)


@pytest.mark.parametrize("name", PDF_NAMES)
def test_body_paragraphs_have_a_2em_first_line_indent(all_pdfs, name):
    report = load_report(DATA / f"{name.replace('-formal', '')}.yaml")
    segs = list(all_segments(all_pdfs[name]))
    found = 0
    for paragraph in paragraph_starts(report):
        head = squash(paragraph)[:8]
        matches = [(page, seg) for _, page, seg in segs if squash("".join(c["text"] for c in seg)).startswith(head)]
        if len(matches) != 1:
            continue  # a too-common opening; the others are checked
        page, seg = matches[0]
        size = seg[0]["size"]
        # the column's left edge: the leftmost line of body text in the same column
        column = [s for _, p, s in segs if p.page_number == page.page_number and abs(s[0]["size"] - size) < 0.1
                  and (s[0]["x0"] < page.width / 2) == (seg[0]["x0"] < page.width / 2)]
        left = min(s[0]["x0"] for s in column)
        assert seg[0]["x0"] - left == pytest.approx(2 * size, abs=1.0), head
        found += 1
    assert found >= 5


def han(ch):
    return "\u4e00" <= ch <= "\u9fff"


def _key(name: str) -> str:  # "NotoSerifSC-Regular" and WeasyPrint's "Noto-Serif-SC" alike
    return name.replace("-", "").replace("Regular", "")


@functools.lru_cache(maxsize=None)
def _advances(postscript_name: str) -> tuple[dict[str, int], int]:
    for weights in BUNDLED.values():
        for path in weights.values():
            font = TTFont(path, lazy=True)
            if _key(font["name"].getDebugName(6)) == _key(postscript_name):
                cmap, hmtx = font.getBestCmap(), font["hmtx"]
                return {chr(c): hmtx[g][0] for c, g in cmap.items()}, font["head"].unitsPerEm
    raise LookupError(postscript_name)


def drawn_x1(ch) -> float:
    """Where the glyph's own advance ends. The PDF's text layer gives a glyph followed by
    a Han–Latin gap the gap's width too (render/textlayer.py), so ``x1`` includes it."""
    if ch["text"] == "——":  # the bundled fonts' two-em dash: one glyph, two ems
        return ch["x0"] + 2 * ch["size"]
    advances, upem = _advances(ch["fontname"].split("+", 1)[-1])
    return ch["x0"] + advances[ch["text"]] * ch["size"] / upem


def body_lines(page, size=12):
    """The page's body lines (chars of *size*) top to bottom, gap characters left out."""
    rows = {}
    for c in page.chars:
        if c["text"] not in GAP and c["text"].strip() and abs(c["size"] - size) < 0.1:
            rows.setdefault(round(c["top"]), []).append(c)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def test_quarter_em_between_han_and_digits(all_pdfs):
    """A Han–digit gap is a quarter em plus at most the line's justification spacing on each
    side of it; a number is set solid — no justification spacing between its digits."""
    gaps = []
    with pdfplumber.open(all_pdfs["cq-kx-2020"]) as pdf:
        for page in pdf.pages:
            for line in body_lines(page):
                pairs = list(zip(line, line[1:]))
                han_han = sorted(b["x0"] - drawn_x1(a) for a, b in pairs if han(a["text"]) and han(b["text"]))
                spacing = han_han[len(han_han) // 2] if han_han else 0.0
                for a, b in pairs:
                    if han(a["text"]) and b["text"].isdigit() or a["text"].isdigit() and han(b["text"]):
                        gaps.append((b["x0"] - drawn_x1(a), spacing))
                    if a["text"].isdigit() and b["text"].isdigit():
                        assert b["x0"] - drawn_x1(a) == pytest.approx(0, abs=0.3)  # a number is solid
    assert len(gaps) > 50
    # (a gap that ends a text box before a bold figure draws up to 0.5 pt wider)
    assert all(0.25 * 12 - 0.6 <= g <= 0.25 * 12 + 2 * s + 0.6 for g, s in gaps), sorted(gaps)[-5:]


@pytest.mark.parametrize("name", ["cq-kx-2020", "cast-2020-news", "cq-kx-2020-formal"])
def test_justified_lines_end_flush_with_the_measure(all_pdfs, name):
    """Every body line that a paragraph continues after ends at the right edge (inter-character
    justification), though lines hold gaps, half-width marks and unbreakable numbers."""
    size = 16 if name.endswith("formal") else 12
    checked = 0
    with pdfplumber.open(all_pdfs[name]) as pdf:
        for page in pdf.pages:
            lines = [line for line in body_lines(page, size) if len(line) > 3]
            if not lines:
                continue
            left = min(line[0]["x0"] for line in lines)
            right = max(drawn_x1(line[-1]) for line in lines)
            for line, following in zip(lines, lines[1:]):
                continues = abs(following[0]["x0"] - left) < 0.5 and following[0]["top"] - line[0]["top"] < 3 * size
                if continues and abs(line[0]["x0"] - left) < 2.5 * size:
                    text = "".join(c["text"] for c in line)
                    # (within 0.06 em: 1 pt at 16 pt; solid numbers leave Pango a little rounding)
                    assert drawn_x1(line[-1]) == pytest.approx(right, abs=max(0.8, 0.06 * size)), \
                        f"page {page.page_number}: {text}"
                    checked += 1
    assert checked > 20


def test_consecutive_punctuation_is_squeezed(all_pdfs):
    """。” and ）， take 1.5 em, not 2."""
    pairs = []
    with pdfplumber.open(all_pdfs["cast-2020-news"]) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"] not in GAP]
            for a, b, c in zip(chars, chars[1:], chars[2:]):
                if a["text"] + b["text"] in ("。”", "），", "”，", "》，") and abs(a["top"] - c["top"]) < 1 \
                        and c["text"] not in "，。、；：！？“”‘’（）《》":
                    pairs.append((a["text"] + b["text"], (c["x0"] - a["x0"]) / a["size"]))
    assert pairs
    assert all(advance == pytest.approx(1.5, abs=0.1) for _, advance in pairs), pairs


# -- GB/T 9704 formal preset -------------------------------------------------------------------

def test_formal_pdf_text_block(all_pdfs):
    with pdfplumber.open(all_pdfs["cq-kx-2020-formal"]) as pdf:
        assert (round(pdf.pages[0].width / MM), round(pdf.pages[0].height / MM)) == (210, 297)
        page = pdf.pages[1]  # a page of running text
        body = [s for s in segments(page) if s[0]["size"] == pytest.approx(16, abs=0.01)]
        numbers = [s for s in segments(page) if s[0]["size"] == pytest.approx(14, abs=0.01)]
        title = [c for c in pdf.pages[0].chars if c["size"] == pytest.approx(22, abs=0.01)]
    assert len(body) == 22, "22 lines a page"
    lefts = [s[0]["x0"] / MM for s in body]
    assert min(lefts) == pytest.approx(28, abs=1)
    full = [s for s in body if len(s) == 28 and all(han(c["text"]) or c["text"] in "，。、“”（）《》；：" for c in s)]
    assert full, "a line of 28 characters"
    assert max(s[-1]["x1"] / MM for s in full) == pytest.approx(210 - 26, abs=1)
    tops = [s[0]["top"] / MM for s in body]
    pitch = (tops[-1] - tops[0]) / 21
    assert pitch * 22 == pytest.approx(297 - 37 - 35, abs=1), "22 lines fill the 225 mm text block"
    assert 37 <= tops[0] <= 37 + pitch - 16 / MM, "the first line sits in the first grid line"
    assert body[-1][0]["bottom"] / MM <= 297 - 35
    # title 2号 (22 pt); page number 4号 (14 pt) "— 2 —" at the outer (left) edge of an even page
    assert squash("".join(c["text"] for c in title)).startswith("2020年市科协十件大事十大亮点")
    (number,) = numbers
    assert "".join(c["text"] for c in number) == "—2—"
    assert number[0]["x0"] / MM == pytest.approx(28 + 14 / MM, abs=1)


def test_formal_headings(all_pdfs):
    with pdfplumber.open(all_pdfs["cq-kx-2020-formal"]) as pdf:
        segs = segments(pdf.pages[0])
    texts = {"".join(c["text"] for c in s): s for s in segs}
    heading = next(s for t, s in texts.items() if t.startswith("一、"))
    item = next(s for t, s in texts.items() if t.startswith("（一）"))
    assert "Sans" in heading[0]["fontname"]          # 黑体 stack (bundled fallback: Noto Sans SC)
    assert "ReportGen-Kai" in item[0]["fontname"]    # 楷体 stack (bundled: LXGW WenKai, renamed)
    assert heading[0]["size"] == pytest.approx(16, abs=0.01) and item[0]["size"] == pytest.approx(16, abs=0.01)


def test_formal_body_is_fangsong_without_bold_figures(all_pdfs):
    """GB/T 9704: the body in a 仿宋 face (bundled: Zhuque Fangsong), figures not bold."""
    with pdfplumber.open(all_pdfs["cq-kx-2020-formal"]) as pdf:
        chars = [c for page in pdf.pages[1:] for c in page.chars if c["size"] == pytest.approx(16, abs=0.01)]
    faces = {c["fontname"].split("+")[-1] for c in chars if han(c["text"])}
    body = [c for c in chars if han(c["text"]) and "Zhuque-Fangsong" in c["fontname"]]
    assert len(body) > 0.8 * sum(1 for c in chars if han(c["text"])), faces
    assert not [c for c in chars if c["text"].isdigit() and "Bold" in c["fontname"]]


def _dash_ink_top_mm(pdf_path: str, page_number: int) -> tuple[float, float]:
    """(mm below the text block, x0 in mm) of the page number's first dash, from its glyph."""
    from fontTools.pens.boundsPen import BoundsPen

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_number - 1]
        dash = next(c for c in page.chars if c["text"] == "—" and c["top"] > page.height * 0.85)
    font = TTFont(BUNDLED["Noto Serif SC"]["normal"])
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[font.getBestCmap()[0x2014]].draw(pen)
    ink_top = dash["matrix"][5] + pen.bounds[3] * dash["size"] / font["head"].unitsPerEm
    return (35 * MM - ink_top) / MM, dash["x0"] / MM


def test_formal_page_number_7mm_below_the_text_block(all_pdfs):
    """GB/T 9704 §7.5: "— 2 —" in 4号, its dashes 7 mm below the text block, at the outer edge."""
    below, x0 = _dash_ink_top_mm(all_pdfs["cq-kx-2020-formal"], 2)
    assert below == pytest.approx(7, abs=0.5)
    assert x0 == pytest.approx(28 + 14 / MM, abs=1)


def test_formal_docx_grid_in_libreoffice(all_pdfs, tmp_path):
    """The DOCX's grid as LibreOffice lays it out: 22 lines a page, 28 characters a full line."""
    import shutil
    import subprocess

    if not shutil.which("libreoffice"):
        pytest.skip("libreoffice is not installed")
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(all_pdfs["cq-kx-2020-formal-docx"])], check=True, capture_output=True, timeout=300,
                   env={**__import__("os").environ, "HOME": str(tmp_path)})
    with pdfplumber.open(tmp_path / "cq-kx-2020.pdf") as pdf:
        page = pdf.pages[1]
        body = [c for c in page.chars if c["size"] == pytest.approx(16, abs=0.3) and c["text"].strip()]
    rows: dict[int, list] = {}
    for c in body:
        rows.setdefault(round(c["top"]), []).append(c)
    assert len(rows) == 22, "22 lines a page"
    # a full line holds 28 characters (29 where two marks share a cell, squeezed)
    lengths = Counter(len(r) for r in rows.values() if len(r) >= 26)
    assert lengths.most_common(1)[0][0] == 28, lengths


def test_formal_docx_section_and_styles(all_pdfs):
    document = docx.Document(str(all_pdfs["cq-kx-2020-formal-docx"]))
    section = document.sections[0]
    for value, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(value - Mm(mm)) <= Mm(1)
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    assert pitch_pt * 22 / MM == pytest.approx(225, abs=1)
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert (16 + spacing) * 28 / MM == pytest.approx(156, abs=1), "28 characters fill 156 mm"
    # the text takes the named styles' faces (GB/T 9704): title 小标宋 22 pt, 一、 黑体, （一） 楷体
    paragraphs = document.paragraphs

    def face(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title = next(p for p in paragraphs if p.text == "2020年市科协十件大事十大亮点")
    assert title.style.name == "标题" and title.style.font.size == Pt(22) and face(title.style) == "方正小标宋简体"
    heading = next(p for p in paragraphs if p.text.startswith("一、"))
    assert heading.style.name == "列表标题" and face(heading.style) == "黑体"
    item = next(p for p in paragraphs if p.style.name == "事项标题")
    assert face(item.style) == "楷体_GB2312"
    numbering = document.part.numbering_part.element
    formats = {lvl.find(qn("w:numFmt")).get(qn("w:val")): lvl.find(qn("w:lvlText")).get(qn("w:val"))
               for lvl in numbering.iter(qn("w:lvl")) if lvl.find(qn("w:numFmt")) is not None}
    assert formats.get("chineseCounting") == "（%1）"  # （一）（二）… by Word numbering
    assert document.settings.odd_and_even_pages_header_footer
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(r.font.size == Pt(14) for r in odd.runs)


@pytest.mark.parametrize("name", ["cq-kx-2021-ballot", "cq-kx-2020", "cast-2020-news"])
def test_the_two_em_dash_is_one_unbroken_glyph(all_pdfs, name):
    """破折号 "——": one glyph two ems long (the bundled fonts' ligature), so no justification
    spacing opens a gap in it; the text layer still reads "——"."""
    report = load_report(DATA / f"{name}.yaml")
    expected = sum(text.count("——") for _, text in report.texts())
    with pdfplumber.open(all_pdfs[name]) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    dashes = [c for c in chars if c["text"] == "——"]
    assert expected and len(dashes) >= expected
    assert all(c["x1"] - c["x0"] >= 1.99 * c["size"] for c in dashes)
    singles = [(a, b) for a, b in zip(chars, chars[1:]) if a["text"] == b["text"] == "—"
               and abs(a["top"] - b["top"]) < 1]
    assert not singles


@pytest.mark.parametrize("name,theme", [("cq-kx-2020", None), ("cq-kx-2021-ballot", "formal"),
                                        ("cq-kx-2021-report", None)])
def test_headlines_measured_alone_break_as_in_the_full_layout(name, theme):
    """The small layout of the headlines alone (the page without its body paragraphs) gives
    the breaks a layout of the whole page gives: one full layout per page, the same PDF."""
    from reportgen.render import pdf, headlines, render_context, resolve_theme
    from reportgen.render.html import render_html

    report = load_report(DATA / f"{name}.yaml")
    ctx = render_context(report, DATA.resolve())
    chosen = resolve_theme(report, ctx, theme)
    html = render_html(report, chosen, ctx, extra=pdf.pdf_urls(report, chosen, ctx))
    small = headlines.measuring_html(html)
    assert len(small) < len(html) and small.count('class="hl"') == html.count('class="hl"')
    assert "column-fill: auto" in small
    weasyprint, fonts = pdf._weasyprint()
    fetcher = pdf.make_url_fetcher((ctx.data_dir,) + ctx.search_path, {"data": ctx.data_dir})
    breaks = []
    for source in (html, small):
        laid_out = pdf._lay_out(weasyprint, source, fetcher, fonts)
        breaks.append(headlines.balance(laid_out, laid_out.etree_element))
    assert breaks[0] == breaks[1] and breaks[0]  # and some headline needed balancing
