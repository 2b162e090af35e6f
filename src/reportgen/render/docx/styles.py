"""A Word file to keep editing: named styles, Word numbering, the PDF's footer, real metadata.

The builder sets almost nothing on runs: paragraphs take one of the styles below (with
their outline levels, so that Word's navigation pane lists the lists and items), figures
take the character style 数字强调, and item numbers are Word numbering (``w:numPr``) that
restarts for every list — adding an item in Word renumbers the rest.
"""
from __future__ import annotations

import io
import math
import re

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ...model import Report
from ...theme import Theme
from .ooxml import (
    FIXED_TIME, PPR_ORDER, RPR_ORDER, SECTPR_ORDER, MissingStyle, builtin_style, child, paragraph_element, rgb, sect_pr,
    set_fonts,
)

TITLE = "标题"
LIST_HEADING = "列表标题"
ITEM_TITLE = "事项标题"
BODY = "正文"
CAPTION = "图注"
FIGURE = "数字强调"        # character style: the figures set in bold
FOOTER = "页脚文字"

#: the styles and their outline levels (0 = 标题): what Word's navigation pane shows
OUTLINE = {TITLE: 0, LIST_HEADING: 1, ITEM_TITLE: 2}


def _paragraph_style(doc, name: str, *, font: str, latin: str, size: float, color: str | None = None,
                     bold: bool = False, align=None, first_line_chars: int = 0, keep_with_next: bool = False,
                     space_before: float = 0, space_after: float = 0):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = builtin_style(doc, "Normal")
    style.quick_style = True
    set_fonts(style, font, latin)
    style.font.size = Pt(size)
    style.font.bold = bold
    if color:
        style.font.color.rgb = rgb(color)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep_with_next or None
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    ppr = style.element.get_or_add_pPr()
    if first_line_chars:
        ind = child(ppr, "ind", PPR_ORDER)
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(int(first_line_chars * size * 20)))
    if name in OUTLINE:
        child(ppr, "outlineLvl", PPR_ORDER).set(qn("w:val"), str(OUTLINE[name]))
    return style


def define_styles(doc, theme: Theme, colors) -> None:
    """The named styles of a document (built, or from a Word template), from the theme's tokens."""
    fonts, sizes = theme.fonts, theme.sizes
    latin = fonts.latin[0]
    formal = theme.style == "formal"
    _paragraph_style(doc, TITLE, font=fonts.title[0], latin=latin, size=sizes.title_pt, bold=not formal,
                     color=None if formal else colors.accent, align=WD_ALIGN_PARAGRAPH.CENTER)
    if formal:  # 一、 in 黑体, indented like body text
        _paragraph_style(doc, LIST_HEADING, font=fonts.heading[0], latin=latin, size=sizes.body_pt,
                         first_line_chars=2, keep_with_next=True)
        _paragraph_style(doc, ITEM_TITLE, font=fonts.kai[0], latin=latin, size=sizes.body_pt,
                         first_line_chars=2, keep_with_next=True)
    else:
        _paragraph_style(doc, LIST_HEADING, font=fonts.heading[0], latin=latin, size=sizes.heading_pt, bold=True,
                         color=colors.primary, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True,
                         space_after=4)
        _paragraph_style(doc, ITEM_TITLE, font=fonts.heading[0], latin=latin, size=sizes.item_title_pt,
                         bold=True, color=colors.primary, align=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True,
                         space_before=10, space_after=4)
    _paragraph_style(doc, BODY, font=fonts.body[0], latin=latin, size=sizes.body_pt, first_line_chars=2,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(doc, CAPTION, font=fonts.kai[0], latin=latin, size=sizes.small_pt, color="#555555",
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, FOOTER, font=fonts.body[0], latin=latin, size=sizes.scale["running"],
                     color=colors.primary)
    styles = doc.styles
    figure = styles[FIGURE] if FIGURE in [s.name for s in styles] else styles.add_style(FIGURE, WD_STYLE_TYPE.CHARACTER)
    figure.quick_style = True
    figure.font.bold = bool(theme.bold_figures)


class ItemNumbering:
    """Item numbers as Word numbering, in the theme's look: a shaded badge " 1 " (bulletin)
    or （一） (formal); one ``w:num`` per list, so that each list starts again."""

    def __init__(self, doc, theme: Theme, colors) -> None:
        self.doc = doc
        numbering = doc.part.numbering_part.element
        ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
        self.abstract_id = max(ids, default=0) + 1
        formal = theme.style == "formal"
        number_format, text = ("chineseCounting", "（%1）") if formal else ("decimal", " %1 ")
        fonts = theme.fonts
        run = (f'<w:rPr><w:rFonts w:ascii="{fonts.latin[0]}" w:hAnsi="{fonts.latin[0]}" '
               f'w:eastAsia="{fonts.kai[0] if formal else fonts.heading[0]}" w:hint="eastAsia"/>'
               + ("" if formal else
                  f'<w:b/><w:color w:val="{colors.accent.lstrip("#").upper()}"/>'
                  f'<w:shd w:val="clear" w:color="auto" w:fill="{colors.primary.lstrip("#").upper()}"/>')
               + "</w:rPr>")
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{self.abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:suff w:val="{"nothing" if formal else "space"}"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr>{run}</w:lvl></w:abstractNum>')
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:  # every abstractNum comes before the nums (schema order)
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        self.formal = formal

    def new_list(self, start: int = 1) -> int:
        """A numbering instance for one list, starting at *start*; returns its ``numId``."""
        numbering = self.doc.part.numbering_part.element
        num_id = max([int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))], default=0) + 1
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract_id}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'))
        return num_id

    @staticmethod
    def apply(paragraph, num_id: int) -> None:
        ppr = paragraph_element(paragraph).get_or_add_pPr()
        numpr = child(ppr, "numPr", PPR_ORDER)
        level = OxmlElement("w:ilvl")
        level.set(qn("w:val"), "0")
        number = OxmlElement("w:numId")
        number.set(qn("w:val"), str(num_id))
        numpr.append(level)
        numpr.append(number)


def consecutive(numbers: list[int]) -> bool:
    """Word numbering can show them: each number one more than the last."""
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def real_metadata(docx_bytes: bytes) -> bytes:
    """The package without python-docx's leftovers: no blank thumbnail, and the extended
    properties name reportgen, not "Microsoft Macintosh Word"."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"[^>]*/>', b"", data)
            elif info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"", data) \
                    if b"word/media/" not in b"".join(n.encode() for n in source.namelist()) else data
            elif info.filename == "docProps/app.xml":
                data = re.sub(rb"<Application>[^<]*</Application>", b"<Application>reportgen</Application>", data)
                data = re.sub(rb"<Template>[^<]*</Template>", b"<Template></Template>", data)
                data = re.sub(rb"<Company>[^<]*</Company>|<Company/>", b"", data)
            target.writestr(info, data)
    return out.getvalue()


#: paragraphs that may stand between two items of one list
_WITHIN_LIST = {ITEM_TITLE, BODY, CAPTION}


def restart_numbering(doc, numbering: ItemNumbering) -> int:
    """Number the 事项标题 paragraphs of a rendered Word template with *numbering* (the
    theme's look), starting again at every list: a list ends at any paragraph that is not
    an item's title, text or picture (a list heading, a page break). Returns the lists."""
    body = doc.element.body
    styles = {s.style_id: s.name for s in doc.styles}
    num_id = None
    lists = 0
    for p in body.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        name = styles.get(style_el.get(qn("w:val")), "") if style_el is not None else ""
        if name != ITEM_TITLE:
            if name not in _WITHIN_LIST:
                num_id = None
            continue
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None:
            continue
        if num_id is None:
            num_id = numbering.new_list(1)
            lists += 1
        numpr.find(qn("w:numId")).set(qn("w:val"), str(num_id))
    return lists


def apply_page_and_styles(doc, report: Report, theme: Theme) -> None:
    """Theme tokens that apply to any document, built here or from a Word template:
    page size and margins, the body style and its East Asian font, line breaking, metadata."""
    colors = theme.colors or report.association.colors
    body_font, heading_font, latin_font = theme.fonts.body[0], theme.fonts.heading[0], theme.fonts.latin[0]
    width, height = theme.page.size_mm
    for section in doc.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin = Mm(theme.page.margin_top_mm)
        section.bottom_margin = Mm(theme.page.margin_bottom_mm)
        section.left_margin = Mm(theme.page.margin_left_mm)
        section.right_margin = Mm(theme.page.margin_right_mm)
    section = doc.sections[0]
    normal = builtin_style(doc, "Normal")
    set_fonts(normal, body_font, latin_font)
    normal.font.size = Pt(theme.sizes.body_pt)
    normal.font.color.rgb = rgb(colors.text)
    fmt = normal.paragraph_format
    if theme.grid:  # exact line pitch, and Word's document grid of lines × characters
        fmt.line_spacing = Pt(theme.line_pitch_pt)
        fmt.space_after = Pt(0)
        grid = child(sect_pr(section), "docGrid", SECTPR_ORDER)
        grid.set(qn("w:type"), "lines")
        # both pitches rounded down, never up: 22 lines × 28 characters only fit the text
        # block when their sum does not overshoot it (rounding 28.99 pt up to 29 made 21 × 27)
        grid.set(qn("w:linePitch"), str(math.floor(theme.line_pitch_pt * 20)))
        # the character pitch: condensed spacing (twentieths of a point) on the body style
        spacing = child(normal.element.get_or_add_rPr(), "spacing", RPR_ORDER)
        spacing.set(qn("w:val"), str(math.floor(theme.letter_spacing_pt * 20)))
    else:
        fmt.line_spacing = theme.sizes.line_height * 0.85  # Word's "multiple" is wider than CSS
        fmt.space_after = Pt(2)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for tag in ("kinsoku", "autoSpaceDE", "autoSpaceDN"):  # line-breaking rules, Han–Latin spacing
        child(normal.element.get_or_add_pPr(), tag, PPR_ORDER).set(qn("w:val"), "1")
    settings = doc.settings.element  # compress consecutive punctuation, as the PDF does
    control = settings.find(qn("w:characterSpacingControl"))
    if control is None:
        control = OxmlElement("w:characterSpacingControl")
        settings.append(control)
    control.set(qn("w:val"), "compressPunctuation")
    for name in ("heading 1", "heading 2", "heading 3", "Title"):  # restyled where the file has them
        try:
            style = builtin_style(doc, name)
        except MissingStyle:
            continue
        set_fonts(style, heading_font, latin_font)
        style.font.color.rgb = rgb(colors.primary)
    props = doc.core_properties
    props.title = report.title
    props.author = report.association.name
    props.subject = f"{report.year}"
    props.keywords = " ".join(lst.name for lst in report.lists)
    props.comments = "generated by reportgen"
    props.last_modified_by = "reportgen"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.language = "zh-CN"
