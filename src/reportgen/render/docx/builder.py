"""Data + theme → DOCX with python-docx, in the same style as the PDF.

East Asian fonts are set explicitly on every style and run (``w:rFonts
w:eastAsia``), otherwise Word shows Chinese in the Latin font. The text goes
through the same filters as the HTML (figures in bold, Han–Latin gaps).
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...errors import RenderError
from ..key_figures import panel
from ...model import Heading, Item, ListBlock, Photo, Report
from ...theme import Theme
from ..images import check_image, logo_file
from ..filters import (
    bracket_date, cn_number, date_range, figure_spans, is_column_tag, qr_png, segments, zero_pad,
)
from .chinese import finish
from .ooxml import (
    FIXED_TIME, PPR_ORDER, RPR_ORDER, SECTPR_ORDER, border, child, field, first_line_chars, normalize_zip, rgb,
    set_fonts, shade,
)


class DocxBuilder:
    """Builds the bulletin DOCX; one method per block, like the HTML template's blocks."""

    def __init__(self, report: Report, theme: Theme, data_dir: Path):
        self.report = report
        self.theme = theme
        self.colors = theme.colors or report.association.colors
        self.data_dir = data_dir
        self.doc = Document()
        fonts = theme.fonts
        self.body_font = fonts.body[0]
        self.title_font = fonts.title[0]
        self.heading_font = fonts.heading[0]
        self.kai_font = fonts.kai[0]
        self.latin_font = fonts.latin[0]

    @functools.cached_property
    def figures(self):
        """The 数说 panel's figures (only the layouts built here ask for them)."""
        return panel(self.report, self.theme)

    # -- document setup -----------------------------------------------------------------
    def setup(self) -> None:
        self.apply_page_and_styles()
        theme, section = self.theme, self.doc.sections[0]
        if theme.page_numbers and theme.page_number_position == "outside":
            self.doc.settings.odd_and_even_pages_header_footer = True
            self.page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
            self.page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        elif theme.page_numbers:
            self.page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)

    def apply_page_and_styles(self) -> None:
        """Theme tokens that apply to any document, built here or from a Word template:
        page size and margins, the body style and its East Asian font, line breaking."""
        theme, doc = self.theme, self.doc
        width, height = theme.page.size_mm
        for section in doc.sections:
            section.page_width, section.page_height = Mm(width), Mm(height)
            section.top_margin = Mm(theme.page.margin_top_mm)
            section.bottom_margin = Mm(theme.page.margin_bottom_mm)
            section.left_margin = Mm(theme.page.margin_left_mm)
            section.right_margin = Mm(theme.page.margin_right_mm)
        section = doc.sections[0]
        normal = doc.styles["Normal"]
        set_fonts(normal, self.body_font, self.latin_font)
        normal.font.size = Pt(theme.sizes.body_pt)
        normal.font.color.rgb = rgb(self.colors.text)
        fmt = normal.paragraph_format
        if theme.grid:  # exact line pitch, and Word's document grid of lines × characters
            fmt.line_spacing = Pt(theme.line_pitch_pt)
            fmt.space_after = Pt(0)
            grid = child(section._sectPr, "docGrid", SECTPR_ORDER)
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(round(theme.line_pitch_pt * 20)))
            # the character pitch: condensed spacing (twentieths of a point) on the body style
            spacing = child(normal.element.get_or_add_rPr(), "spacing", RPR_ORDER)
            spacing.set(qn("w:val"), str(round(theme.letter_spacing_pt * 20)))
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
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
            style = doc.styles[name]
            set_fonts(style, self.heading_font, self.latin_font)
            style.font.color.rgb = rgb(self.colors.primary)
        props = doc.core_properties
        props.title = self.report.title
        props.author = self.report.association.name
        props.subject = f"{self.report.year}"
        props.keywords = " ".join(lst.name for lst in self.report.lists)
        props.comments = "generated by reportgen"
        props.last_modified_by = "reportgen"
        props.created = props.modified = props.last_printed = FIXED_TIME
        props.revision = 1

    def page_number(self, paragraph, align) -> None:
        """"— 1 —"; at an outer edge it stands one character in (GB/T 9704 §7.5)."""
        size = self.theme.page_number_pt
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(size)
        elif align == WD_ALIGN_PARAGRAPH.LEFT:
            paragraph.paragraph_format.left_indent = Pt(size)
        self.run(paragraph, "— ", font=self.latin_font, size=size)
        number = field(paragraph, "PAGE")
        set_fonts(number, self.latin_font, self.latin_font)
        number.font.size = Pt(size)
        self.run(paragraph, " —", font=self.latin_font, size=size)

    # -- runs ---------------------------------------------------------------------------
    def run(self, paragraph, text: str, *, font: str | None = None, bold: bool = False,
            size: float | None = None, color: str | None = None):
        run = paragraph.add_run(text)
        set_fonts(run, font or self.body_font, self.latin_font)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = rgb(color)
        return run

    def rich(self, paragraph, text: str, spans=(), *, bold: bool = False, **kw) -> None:
        """Text with its emphasised spans in bold, as runs.

        No gap characters: Word and LibreOffice space Han from Latin themselves
        (``w:autoSpaceDE``/``w:autoSpaceDN``, switched on in :meth:`setup`), and
        the text stays clean for editing.
        """
        for piece, strong in segments(text, spans, spacing=False):
            self.run(paragraph, piece, bold=strong or bold, **kw)

    # -- blocks -------------------------------------------------------------------------
    @property
    def formal(self) -> bool:
        return self.theme.style == "formal"

    def masthead(self) -> None:
        """Formal style: the association in red over a red rule, then the title in black."""
        theme, colors = self.theme, self.colors
        org = self.doc.add_paragraph()
        org.alignment = WD_ALIGN_PARAGRAPH.CENTER
        org.paragraph_format.line_spacing = Pt(theme.line_pitch_pt * 2)
        self.rich(org, theme.banner_text or self.report.association.name, font=self.title_font,
                  size=theme.sizes.scale["masthead"], bold=True, color=colors.primary)
        border(org, "bottom", colors.primary, 18)
        self.doc.add_paragraph()
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.line_spacing = Pt(theme.line_pitch_pt * 1.5)
        self.rich(title, self.report.title, font=self.title_font, size=theme.sizes.title_pt)
        self.doc.add_paragraph()

    def banner(self) -> None:
        theme, colors = self.theme, self.colors
        if self.formal:
            self.masthead()
            return
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.cell(0, 0)
        shade(cell._tc, colors.primary)
        org = cell.paragraphs[0]
        org.alignment = WD_ALIGN_PARAGRAPH.CENTER
        org.paragraph_format.space_before = Pt(14)
        logo = logo_file(self.report, self.theme, self.data_dir)
        if logo:
            org.add_run().add_picture(str(logo), height=Mm(9))
            self.run(org, "  ")
        self.rich(org, theme.banner_text or self.report.association.name, font=self.heading_font,
                  size=theme.sizes.scale["org"], color=colors.accent)
        border(org, "bottom", colors.accent, 6)
        title = cell.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(8)
        title.paragraph_format.space_after = Pt(14 if not self.report.subtitle else 4)
        title.paragraph_format.line_spacing = 1.2
        self.rich(title, self.report.title, font=self.title_font, size=theme.sizes.title_pt,
                  bold=True, color=colors.accent)
        if self.report.subtitle:
            sub = cell.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            sub.paragraph_format.space_after = Pt(12)
            self.rich(sub, self.report.subtitle, font=self.kai_font, size=theme.sizes.scale["subtitle"],
                      color="#FFFFFF")
        rule = self.doc.add_paragraph()
        border(rule, "top", colors.accent, 36)
        rule.paragraph_format.space_after = Pt(10)

    def list_heading(self, text: str, note: str, index: int = 1) -> None:
        if text and self.formal:  # 一、 heading in 黑体, indented like body text
            heading = self.doc.add_paragraph()
            heading.paragraph_format.keep_with_next = True
            first_line_chars(heading, 2, self.theme.sizes.body_pt)
            self.rich(heading, f"{cn_number(index)}、{text}", font=self.heading_font)
        elif text:
            heading = self.doc.add_paragraph()
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.space_after = Pt(4)
            self.rich(heading, text, font=self.heading_font, size=self.theme.sizes.heading_pt, bold=True,
                      color=self.colors.primary)
            border(heading, "bottom", self.colors.accent, 18)
        if note:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.keep_with_next = True
            self.rich(p, f"（{note}）", font=self.kai_font, size=self.theme.sizes.scale["note"], color="#666666")

    def item(self, number: int, item: Item) -> None:
        theme, colors = self.theme, self.colors
        title = self.doc.add_paragraph()
        if self.formal:  # （一） item title in 楷体, indented like body text
            title.paragraph_format.keep_with_next = True
            first_line_chars(title, 2, theme.sizes.body_pt)
            self.rich(title, f"（{cn_number(number)}）{item.title}", font=self.kai_font)
            self.item_body(item)
            return
        title.paragraph_format.keep_with_next = True
        title.paragraph_format.space_before = Pt(10)
        title.paragraph_format.space_after = Pt(4)
        title.alignment = WD_ALIGN_PARAGRAPH.LEFT
        badge = self.run(title, f" {number} ", font=self.heading_font, bold=True,
                         size=theme.sizes.scale["number"], color=colors.accent)
        shade(badge._r, colors.primary)
        self.run(title, "  ")
        self.rich(title, item.title, font=self.heading_font, size=theme.sizes.item_title_pt, bold=True,
                  color=colors.primary)
        self.item_body(item)

    def item_body(self, item: Item) -> None:
        theme = self.theme
        for index, text in enumerate(item.paragraphs):
            p = self.doc.add_paragraph()
            first_line_chars(p, 2, theme.sizes.body_pt)
            self.rich(p, text, figure_spans(text, item.metrics or [], index, theme.bold_figures))
        for image in item.images:
            self.image(image.path, image.caption, image.credit)

    def image(self, path: str | None, caption: str, credit: str) -> None:
        """A picture with its caption; without a picture (none supplied yet) the caption alone."""
        if path is not None:
            file = check_image(self.data_dir, path, "image")
            pic = self.doc.add_paragraph()
            pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
            try:
                pic.add_run().add_picture(str(file), width=Mm(min(120, self.text_width_mm())))
            except Exception as exc:  # python-docx raises several types for bad images
                raise RenderError(f"image {path!r}: cannot be read ({exc})") from None
        if caption or credit:
            cap = self.doc.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if path is None:
                border(cap, "top", self.colors.accent, 6)
            self.rich(cap, " ".join(x for x in (caption, credit) if x), font=self.kai_font,
                      size=self.theme.sizes.small_pt, color="#555555")

    def text_width_mm(self) -> float:
        page = self.theme.page
        return page.size_mm[0] - page.margin_left_mm - page.margin_right_mm

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- shared blocks ------------------------------------------------------------------
    def body(self, text: str, *, indent: bool = True, spans=None):
        """A running-text paragraph, figures in bold (detected when *spans* is None)."""
        p = self.doc.add_paragraph()
        if indent:
            first_line_chars(p, 2, self.theme.sizes.body_pt)
        if spans is None or not self.theme.bold_figures:
            spans = figure_spans(text, None, None, self.theme.bold_figures)
        self.rich(p, text, spans)
        return p

    def label(self, text: str, *, size: float | None = None, align=WD_ALIGN_PARAGRAPH.LEFT,
              color: str | None = None, font: str | None = None, space_before: float = 6):
        p = self.doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(space_before)
        self.rich(p, text, font=font or self.heading_font, size=size or self.theme.sizes.scale["subheading"],
                  bold=True, color=color or self.colors.primary)
        return p

    def item_list(self, lst, heading: bool = True, index: int = 1) -> None:
        if heading:
            self.list_heading(self.report.list_heading(lst), lst.ordering_note, index)
        elif lst.ordering_note:
            self.list_heading("", lst.ordering_note)
        for number, item in lst.numbered():
            self.item(number, item)

    def columns(self, count: int) -> None:
        """Start a continuous section of *count* text columns (1 ends a multi-column run)."""
        section = self.doc.add_section(WD_SECTION.CONTINUOUS)
        cols = section._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            section._sectPr.append(cols)
        cols.set(qn("w:num"), str(count))
        cols.set(qn("w:space"), str(int(7 / 25.4 * 1440)))

    def shaded_cell(self, fill: str):
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.cell(0, 0)
        shade(cell._tc, fill)
        return cell

    def key_figures_table(self, figures) -> None:
        if not figures:
            return
        self.label("数说", size=self.theme.sizes.item_title_pt)
        table = self.doc.add_table(rows=1, cols=len(figures))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, figure in zip(table.rows[0].cells, figures):
            number, unit = figure.parts
            top = cell.paragraphs[0]
            if figure.qualifier:
                self.run(top, figure.qualifier, font=self.heading_font, size=self.theme.sizes.scale["note"],
                         color=self.colors.primary)
            self.run(top, number, font=self.heading_font, size=self.theme.sizes.scale["figure"], bold=True,
                     color=self.colors.primary)
            self.run(top, unit, font=self.heading_font, size=self.theme.sizes.scale["note"], bold=True,
                     color=self.colors.primary)
            self.rich(cell.add_paragraph(), figure.label, size=self.theme.sizes.small_pt, color="#444444")
        self.doc.add_paragraph()

    # -- layouts ------------------------------------------------------------------------
    def layout_bulletin(self) -> None:
        self.banner()
        self.key_figures_table(self.figures)
        for index, lst in enumerate(self.report.lists):
            if index and not self.formal:
                self.page_break()
            self.item_list(lst, index=index + 1)

    def layout_ballot(self) -> None:
        report, vote, theme = self.report, self.report.vote, self.theme
        assert vote is not None  # the model requires it for a ballot
        self.banner()
        self.key_figures_table(self.figures)
        if report.intro:
            self.label("活动简介", size=theme.sizes.scale["label"])
            for text in report.intro:
                self.body(text)
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        text_cell, qr_cell = table.rows[0].cells
        text_cell.width, qr_cell.width = Mm(self.text_width_mm() - 40), Mm(40)
        for cell in (text_cell, qr_cell):
            shade(cell._tc, "#FBF5E8")
        first = True
        for caption, value in (("投票时间", date_range(vote.start, vote.end)), ("投票规则", None),
                               ("投票网址", vote.url)):
            head = text_cell.paragraphs[0] if first else text_cell.add_paragraph()
            first = False
            self.run(head, caption, font=self.heading_font, bold=True, color=self.colors.primary)
            if value is not None:
                self.rich(text_cell.add_paragraph(), value, bold=caption == "投票时间")
            else:
                for rule in vote.rules:
                    spans = figure_spans(rule, bold=theme.bold_figures)
                    self.rich(text_cell.add_paragraph(), rule, spans)
        qr = qr_cell.paragraphs[0]
        qr.alignment = WD_ALIGN_PARAGRAPH.CENTER
        qr.add_run().add_picture(io.BytesIO(qr_png(vote.url, self.colors.text)), width=Mm(30))
        caption = qr_cell.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.rich(caption, vote.qr_label, size=theme.sizes.small_pt, color=self.colors.primary)
        if vote.notice:
            notice = self.doc.add_paragraph()
            notice.paragraph_format.space_before = Pt(6)
            badge = self.run(notice, "温馨提示", font=self.heading_font, bold=True, color="#FFFFFF",
                             size=theme.sizes.scale["note"])
            shade(badge._r, self.colors.primary)
            self.run(notice, "  ")
            self.rich(notice, vote.notice, font=self.kai_font, size=theme.sizes.scale["note"])
        for lst in report.lists:
            self.page_break()
            self.list_heading(report.list_heading(lst), lst.ordering_note)
            self.columns(2)
            for number, item in lst.numbered():
                self.item(number, item)
            self.columns(1)

    def article_body(self, article) -> None:
        for block in article.body:
            if isinstance(block, str):
                self.body(block)
            elif isinstance(block, Heading):
                self.label(block.heading)
            elif isinstance(block, ListBlock):
                self.item_list(block.list, heading=False)
            elif isinstance(block, Photo):
                self.image(block.image.path, block.image.caption, block.image.credit)

    def layout_news(self) -> None:
        report, theme = self.report, self.theme
        head = self.doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.rich(head, report.association.name, font=self.title_font, size=theme.sizes.title_pt, bold=True,
                  color=self.colors.primary)
        border(head, "bottom", self.colors.primary, 24)
        self.key_figures_table(self.figures)
        for index, article in enumerate(report.articles):
            if article.kicker:
                self.label(article.kicker, align=WD_ALIGN_PARAGRAPH.CENTER)
            self.label(article.title, size=theme.sizes.scale["article"], align=WD_ALIGN_PARAGRAPH.CENTER,
                       color=self.colors.text, font=self.title_font, space_before=14 if index else 6)
            self.article_body(article)
            if article.source or article.date:
                line = self.doc.add_paragraph()
                line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.rich(line, article.source, font=self.kai_font)
                if article.date:
                    self.run(line, " " + bracket_date(article.date))

    def layout_review(self) -> None:
        report, theme, colors = self.report, self.theme, self.colors
        cell = self.shaded_cell(colors.primary)
        head = cell.paragraphs[0]
        head.paragraph_format.space_before = Pt(12)
        self.rich(head, report.header or report.title, font=self.title_font, size=theme.sizes.scale["display"],
                  bold=True, color=colors.accent)
        if report.header_latin:
            self.run(cell.add_paragraph(), report.header_latin, size=theme.sizes.scale["note"],
                     color=colors.accent)
        title = cell.add_paragraph()
        title.paragraph_format.space_after = Pt(12)
        self.rich(title, report.title, font=self.heading_font, size=theme.sizes.scale["section"], bold=True,
                  color="#FFFFFF")
        self.key_figures_table(self.figures)
        middle = (len(report.sections) + 1) // 2
        for index, section in enumerate(report.sections, 1):
            mark = self.doc.add_paragraph()
            mark.paragraph_format.keep_with_next = True
            mark.paragraph_format.space_before = Pt(14)
            self.run(mark, f"{zero_pad(section.number)} ", bold=True, size=40, color=colors.accent)
            self.rich(mark, section.keyword, font=self.title_font, bold=True, size=30, color=colors.primary)
            border(mark, "bottom", colors.accent, 12)
            self.label(section.headline, size=theme.sizes.item_title_pt, color=colors.text)
            for point in section.points:
                p = self.doc.add_paragraph()
                first_line_chars(p, 2, theme.sizes.body_pt)
                self.rich(p, point.lead + "  ", bold=True, color=colors.primary)
                spans = figure_spans(point.text, bold=theme.bold_figures)
                self.rich(p, point.text, spans)
            if index == middle and report.slogan:
                slogan = self.shaded_cell(colors.primary).paragraphs[0]
                slogan.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.rich(slogan, report.slogan, font=self.title_font, size=theme.sizes.scale["slogan"],
                          bold=True, color=colors.accent)
        if report.keywords:
            keyword_index = self.doc.add_paragraph()
            keyword_index.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.rich(keyword_index, "   ".join(f"· {w}" for w in report.keywords), font=self.heading_font,
                      color=colors.primary)

    def layout_report(self) -> None:
        report, theme = self.report, self.theme
        for index, article in enumerate(report.articles):
            if index:
                rule = self.doc.add_paragraph()
                border(rule, "top", self.colors.primary, 24)
            if article.kicker:
                kicker = self.doc.add_paragraph()
                tag = is_column_tag(article.kicker)
                badge = self.run(kicker, f" {article.kicker} ", font=self.heading_font, bold=True,
                                 color="#FFFFFF" if tag else self.colors.primary)
                if tag:
                    shade(badge._r, self.colors.primary)
            self.label(article.title, size=theme.sizes.title_pt, color=self.colors.text, font=self.title_font,
                       space_before=2)
            if article.byline:
                self.rich(self.doc.add_paragraph(), article.byline, font=self.kai_font, color="#444444")
            self.columns(2)
            self.article_body(article)
            self.columns(1)
            if index == 0:
                self.key_figures_table(self.figures)

    # -- the document -------------------------------------------------------------------
    def build(self, embed: bool = True) -> bytes:
        self.setup()
        getattr(self, f"layout_{self.report.layout}")()
        finish(self.doc, self.theme, embed)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalize_zip(buffer.getvalue())


def build_docx(report: Report, theme: Theme, data_dir: Path, embed: bool = True) -> bytes:
    return DocxBuilder(report, theme, data_dir).build(embed)
