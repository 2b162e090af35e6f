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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...errors import RenderError
from ..key_figures import panel
from ...model import Item, Report
from ...theme import Theme
from ..images import check_image, logo_file, print_image, print_pixels
from ..filters import (
    cn_date, cn_number, figure_spans, segments,
)
from .chinese import finish
from .styles import apply_page_and_styles
from ...layouts import get as get_layout, load
from .styles import (
    BODY, CAPTION, FIGURE, FOOTER, ITEM_TITLE, LIST_HEADING, TITLE, ItemNumbering, consecutive, define_styles,
    real_metadata,
)
from .ooxml import (
    border, field, first_line_chars, normalize_zip, rgb, run_element, sect_pr, set_fonts, shade, tc,
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
        self.num_id: int | None = None  # the Word numbering of the list being built

    @functools.cached_property
    def figures(self):
        """The 数说 panel's figures (only the layouts built here ask for them)."""
        return panel(self.report, self.theme)

    # -- document setup -----------------------------------------------------------------
    def setup(self) -> None:
        self.apply_page_and_styles()
        define_styles(self.doc, self.theme, self.colors)
        self.numbering = ItemNumbering(self.doc, self.theme, self.colors)
        theme, section = self.theme, self.doc.sections[0]
        if theme.page_numbers and theme.page_number_position == "outside":
            self.doc.settings.odd_and_even_pages_header_footer = True
            self.page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
            self.page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
            # GB/T 9704 §7.5: the dashes 7 mm below the text block. The footer's one line is
            # exactly the number's size; its em box stands 0.47 em above the dash's stroke
            size = theme.page_number_pt
            for footer in (section.footer, section.even_page_footer):
                footer.paragraphs[0].paragraph_format.line_spacing = Pt(size)
            section.footer_distance = Mm(theme.page.margin_bottom_mm - 7) - Pt(size * (1 - 0.47))
        elif theme.style == "bulletin":
            # as the PDF: the association's name at the foot of every page but the first
            section.different_first_page_header_footer = True
            footer = section.footer.paragraphs[0]
            footer.style = self.doc.styles[FOOTER]
            footer.add_run(self.report.association.name)
            if theme.page_numbers:
                footer.paragraph_format.tab_stops.add_tab_stop(Mm(self.text_width_mm() / 2),
                                                               WD_TAB_ALIGNMENT.CENTER)
                footer.add_run("\t")
                self.page_number(footer, None)
                self.page_number(section.first_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
        elif theme.page_numbers:
            self.page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)

    def apply_page_and_styles(self) -> None:
        apply_page_and_styles(self.doc, self.report, self.theme)

    def page_number(self, paragraph, align) -> None:
        """"— 1 —"; at an outer edge it stands one character in (GB/T 9704 §7.5)."""
        size = self.theme.page_number_pt
        if align is not None:
            paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(size)
        elif align == WD_ALIGN_PARAGRAPH.LEFT:
            paragraph.paragraph_format.left_indent = Pt(size)
        face = self.theme.fonts.number[0]
        self.run(paragraph, "— ", font=face, size=size)
        number = field(paragraph, "PAGE")
        set_fonts(number, face, face)
        number.font.size = Pt(size)
        self.run(paragraph, " —", font=face, size=size)

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

    def styled(self, paragraph, text: str, spans=()) -> None:
        """Text in its paragraph's style, no direct formatting: the figures (*spans*) take
        the character style 数字强调, so that restyling in Word reaches every run."""
        for piece, strong in segments(text, spans, spacing=False):
            run = paragraph.add_run(piece)
            if strong:
                run.style = self.doc.styles[FIGURE]

    def paragraph(self, style: str):
        return self.doc.add_paragraph(style=self.doc.styles[style])

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
        title = self.paragraph(TITLE)
        title.paragraph_format.line_spacing = Pt(theme.line_pitch_pt * 1.5)
        self.styled(title, self.report.title)
        self.doc.add_paragraph()

    def banner(self) -> None:
        theme, colors = self.theme, self.colors
        if self.formal:
            self.masthead()
            return
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.cell(0, 0)
        shade(tc(cell), colors.primary)
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
        title = cell.add_paragraph(style=self.doc.styles[TITLE])
        title.paragraph_format.space_before = Pt(8)
        title.paragraph_format.space_after = Pt(14 if not self.report.subtitle else 4)
        title.paragraph_format.line_spacing = 1.2
        self.styled(title, self.report.title)
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
            heading = self.paragraph(LIST_HEADING)
            self.styled(heading, f"{cn_number(index)}、{text}")
        elif text:
            heading = self.paragraph(LIST_HEADING)
            self.styled(heading, text)
            border(heading, "bottom", self.colors.accent, 18)
        if note:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.keep_with_next = True
            self.rich(p, f"（{note}）", font=self.kai_font, size=self.theme.sizes.scale["note"], color="#666666")

    def items(self, lst) -> None:
        """The items of *lst*, numbered by Word (restarting for the list) when their numbers
        run on one by one, else with the numbers typed."""
        numbered = lst.numbered()
        numbers = [number for number, _ in numbered]
        self.num_id = self.numbering.new_list(numbers[0]) if numbers and consecutive(numbers) else None
        for number, item in numbered:
            self.item(number, item)
        self.num_id = None

    def item(self, number: int, item: Item) -> None:
        theme, colors = self.theme, self.colors
        title = self.paragraph(ITEM_TITLE)
        if self.num_id is not None:
            self.numbering.apply(title, self.num_id)
        elif self.formal:
            self.styled(title, f"（{cn_number(number)}）")
        else:  # numbers Word numbering cannot show (e.g. 3, 7, 12): typed, in the badge's look
            badge = self.run(title, f" {number} ", font=self.heading_font, bold=True,
                             size=theme.sizes.scale["number"], color=colors.accent)
            shade(run_element(badge), colors.primary)
            title.add_run(" ")
        self.styled(title, item.title)
        self.item_body(item)

    def item_body(self, item: Item) -> None:
        theme = self.theme
        for index, text in enumerate(item.paragraphs):
            p = self.paragraph(BODY)
            self.styled(p, text, figure_spans(text, item.metrics or [], index, theme.bold_figures))
        for image in item.images:
            self.image(image.path, image.caption, image.credit)

    def image(self, path: str | None, caption: str, credit: str) -> None:
        """A picture with its caption; a caption without its picture is not printed
        (``validate`` and ``render`` warn)."""
        if path is None:
            return
        file = check_image(self.data_dir, path, "image")
        pic = self.doc.add_paragraph()
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        try:
            width_mm = min(120, self.text_width_mm())
            data, _ = print_image(file, print_pixels(width_mm))  # upright, at print resolution
            pic.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
        except Exception as exc:  # python-docx raises several types for bad images
            raise RenderError(f"image {path!r}: cannot be read ({exc})") from None
        if caption or credit:
            self.styled(self.paragraph(CAPTION), " ".join(x for x in (caption, credit) if x))

    def text_width_mm(self) -> float:
        page = self.theme.page
        return page.size_mm[0] - page.margin_left_mm - page.margin_right_mm

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- shared blocks ------------------------------------------------------------------
    def body(self, text: str, *, indent: bool = True, spans=None):
        """A running-text paragraph (style 正文), figures in bold (detected when *spans* is None)."""
        p = self.paragraph(BODY)
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
            first_line_chars(p, 0, self.theme.sizes.body_pt)
        if spans is None or not self.theme.bold_figures:
            spans = figure_spans(text, None, None, self.theme.bold_figures)
        self.styled(p, text, spans)
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
        self.items(lst)

    def columns(self, count: int) -> None:
        """Start a continuous section of *count* text columns (1 ends a multi-column run)."""
        section = self.doc.add_section(WD_SECTION.CONTINUOUS)
        cols = sect_pr(section).find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            sect_pr(section).append(cols)
        cols.set(qn("w:num"), str(count))
        cols.set(qn("w:space"), str(int(7 / 25.4 * 1440)))

    def shaded_cell(self, fill: str):
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.cell(0, 0)
        shade(tc(cell), fill)
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
    def signoff(self) -> None:
        """The 落款: the issuing body over its date, flush right, two characters in."""
        signoff = self.report.signoff
        if signoff is None:
            return
        lines = [signoff.name] + ([cn_date(signoff.date)] if signoff.date else [])
        for n, text in enumerate(lines):
            p = self.body(text, indent=False, spans=())
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(2 * self.theme.sizes.body_pt)
            p.paragraph_format.keep_with_next = n < len(lines) - 1
            if n == 0:
                p.paragraph_format.space_before = Pt(2 * self.theme.sizes.body_pt)

    # -- the document -------------------------------------------------------------------
    def build(self, embed: bool = True) -> bytes:
        self.setup()
        load(get_layout(self.report.layout).docx)(self)
        self.signoff()
        finish(self.doc, self.theme, embed)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalize_zip(real_metadata(buffer.getvalue()))


def build_docx(report: Report, theme: Theme, data_dir: Path, embed: bool = True) -> bytes:
    return DocxBuilder(report, theme, data_dir).build(embed)
