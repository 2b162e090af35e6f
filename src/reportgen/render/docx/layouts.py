"""Each layout's Word document: what goes on its pages, in order, from the builder's parts
(``DocxBuilder`` in builder.py: banner, lists, items, images, columns). A new layout is one
function here, named by its record in ``reportgen/layouts.py`` (``docx=``)."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ...model import Heading, ListBlock, Photo
from ..filters import bracket_date, date_range, figure_spans, is_column_tag, qr_png, zero_pad
from .ooxml import border, first_line_chars, run_element, shade, tc

if TYPE_CHECKING:
    from .builder import DocxBuilder


def bulletin(b: DocxBuilder) -> None:
    b.banner()
    b.key_figures_table(b.figures)
    for index, lst in enumerate(b.report.lists):
        if index and not b.formal:
            b.page_break()
        b.item_list(lst, index=index + 1)


def ballot(b: DocxBuilder) -> None:
    report, vote, theme = b.report, b.report.vote, b.theme
    assert vote is not None  # the model requires it for a ballot
    b.banner()
    b.key_figures_table(b.figures)
    if report.intro:
        b.label("活动简介", size=theme.sizes.scale["label"])
        for text in report.intro:
            b.body(text)
    table = b.doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    text_cell, qr_cell = table.rows[0].cells
    text_cell.width, qr_cell.width = Mm(b.text_width_mm() - 40), Mm(40)
    for cell in (text_cell, qr_cell):
        shade(tc(cell), "#FBF5E8")
    first = True
    for caption, value in (("投票时间", date_range(vote.start, vote.end)), ("投票规则", None),
                           ("投票网址", vote.url)):
        head = text_cell.paragraphs[0] if first else text_cell.add_paragraph()
        first = False
        b.run(head, caption, font=b.heading_font, bold=True, color=b.colors.primary)
        if value is not None:
            b.rich(text_cell.add_paragraph(), value, bold=caption == "投票时间")
        else:
            for rule in vote.rules:
                spans = figure_spans(rule, bold=theme.bold_figures)
                b.rich(text_cell.add_paragraph(), rule, spans)
    qr = qr_cell.paragraphs[0]
    qr.alignment = WD_ALIGN_PARAGRAPH.CENTER
    qr.add_run().add_picture(io.BytesIO(qr_png(vote.url, b.colors.text)), width=Mm(30))
    caption = qr_cell.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    b.rich(caption, vote.qr_label, size=theme.sizes.small_pt, color=b.colors.primary)
    if vote.notice:
        notice = b.doc.add_paragraph()
        notice.paragraph_format.space_before = Pt(6)
        badge = b.run(notice, "温馨提示", font=b.heading_font, bold=True, color="#FFFFFF",
                         size=theme.sizes.scale["note"])
        shade(run_element(badge), b.colors.primary)
        b.run(notice, "  ")
        b.rich(notice, vote.notice, font=b.kai_font, size=theme.sizes.scale["note"])
    for lst in report.lists:
        b.page_break()
        b.list_heading(report.list_heading(lst), lst.ordering_note)
        b.columns(2)
        b.items(lst)
        b.columns(1)


def article_body(b: DocxBuilder, article) -> None:
    for block in article.body:
        if isinstance(block, str):
            b.body(block)
        elif isinstance(block, Heading):
            b.label(block.heading)
        elif isinstance(block, ListBlock):
            b.item_list(block.list, heading=False)
        elif isinstance(block, Photo):
            b.image(block.image.path, block.image.caption, block.image.credit)


def news(b: DocxBuilder) -> None:
    report, theme = b.report, b.theme
    head = b.doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    b.rich(head, report.association.name, font=b.title_font, size=theme.sizes.title_pt, bold=True,
              color=b.colors.primary)
    border(head, "bottom", b.colors.primary, 24)
    b.key_figures_table(b.figures)
    for index, article in enumerate(report.articles):
        if article.kicker:
            b.label(article.kicker, align=WD_ALIGN_PARAGRAPH.CENTER)
        b.label(article.title, size=theme.sizes.scale["article"], align=WD_ALIGN_PARAGRAPH.CENTER,
                   color=b.colors.text, font=b.title_font, space_before=14 if index else 6)
        article_body(b, article)
        if article.source or article.date:
            line = b.doc.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            b.rich(line, article.source, font=b.kai_font)
            if article.date:
                b.run(line, " " + bracket_date(article.date))


def review(b: DocxBuilder) -> None:
    report, theme, colors = b.report, b.theme, b.colors
    cell = b.shaded_cell(colors.primary)
    head = cell.paragraphs[0]
    head.paragraph_format.space_before = Pt(12)
    b.rich(head, report.header or report.title, font=b.title_font, size=theme.sizes.scale["display"],
              bold=True, color=colors.accent)
    if report.header_latin:
        b.run(cell.add_paragraph(), report.header_latin, size=theme.sizes.scale["note"],
                 color=colors.accent)
    title = cell.add_paragraph()
    title.paragraph_format.space_after = Pt(12)
    b.rich(title, report.title, font=b.heading_font, size=theme.sizes.scale["section"], bold=True,
              color="#FFFFFF")
    b.key_figures_table(b.figures)
    middle = (len(report.sections) + 1) // 2
    for index, section in enumerate(report.sections, 1):
        mark = b.doc.add_paragraph()
        mark.paragraph_format.keep_with_next = True
        mark.paragraph_format.space_before = Pt(14)
        b.run(mark, f"{zero_pad(section.number)} ", bold=True, size=40, color=colors.accent)
        b.rich(mark, section.keyword, font=b.title_font, bold=True, size=30, color=colors.primary)
        border(mark, "bottom", colors.accent, 12)
        b.label(section.headline, size=theme.sizes.item_title_pt, color=colors.text)
        for point in section.points:
            p = b.doc.add_paragraph()
            first_line_chars(p, 2, theme.sizes.body_pt)
            if point.lead:
                b.rich(p, point.lead + "  ", bold=True, color=colors.primary)
            spans = figure_spans(point.text, bold=theme.bold_figures)
            b.rich(p, point.text, spans)
        if index == middle and report.slogan:
            slogan = b.shaded_cell(colors.primary).paragraphs[0]
            slogan.alignment = WD_ALIGN_PARAGRAPH.CENTER
            b.rich(slogan, report.slogan, font=b.title_font, size=theme.sizes.scale["slogan"],
                      bold=True, color=colors.accent)
    if report.keywords:
        keyword_index = b.doc.add_paragraph()
        keyword_index.alignment = WD_ALIGN_PARAGRAPH.CENTER
        b.rich(keyword_index, "   ".join(f"· {w}" for w in report.keywords), font=b.heading_font,
                  color=colors.primary)


def report(b: DocxBuilder) -> None:
    report, theme = b.report, b.theme
    for index, article in enumerate(report.articles):
        if index:
            rule = b.doc.add_paragraph()
            border(rule, "top", b.colors.primary, 24)
        if article.kicker:
            kicker = b.doc.add_paragraph()
            tag = is_column_tag(article.kicker)
            badge = b.run(kicker, f" {article.kicker} ", font=b.heading_font, bold=True,
                             color="#FFFFFF" if tag else b.colors.primary)
            if tag:
                shade(run_element(badge), b.colors.primary)
        b.label(article.title, size=theme.sizes.title_pt, color=b.colors.text, font=b.title_font,
                   space_before=2)
        if article.byline:
            b.rich(b.doc.add_paragraph(), article.byline, font=b.kai_font, color="#444444")
        b.columns(2)
        article_body(b, article)
        b.columns(1)
        if index == 0:
            b.key_figures_table(b.figures)

