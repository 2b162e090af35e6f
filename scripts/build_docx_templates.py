#!/usr/bin/env python3
"""Regenerate the Word-editable default DOCX templates in src/reportgen/templates/docx/.

    python scripts/build_docx_templates.py

Each template is an ordinary .docx holding docxtpl tags, so an association can
open it in Word, restyle it and add its letterhead. Text is inserted with
``{{r … | runs("role") }}``, which sets fonts (East Asian font explicitly),
size, colour and bold figures from the theme.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reportgen.model import Colors  # noqa: E402
from reportgen.render.docx.ooxml import border, field, normalize_zip, set_fonts  # noqa: E402
from reportgen.render.docx.styles import (  # noqa: E402
    BODY, CAPTION, FOOTER, ITEM_TITLE, LIST_HEADING, TITLE, ItemNumbering, define_styles,
)
from reportgen.theme import Theme  # noqa: E402

GOLD = "#D4A53C"


def paragraph(doc_or_cell, text: str = "", align=None, keep_next: bool = False, style: str | None = None):
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        p.add_run(text)
    if align is not None:
        p.alignment = align
    p.paragraph_format.keep_with_next = keep_next or None
    return p


def new_document() -> Document:
    """An empty template with the named styles (标题, 列表标题, 事项标题, 正文, 图注, 数字强调) and
    the item numbering; the theme sets their fonts, sizes and colours again on render."""
    doc = Document()
    normal = doc.styles["Normal"]
    set_fonts(normal, "仿宋_GB2312", "Times New Roman")
    normal.font.size = Pt(12)
    theme = Theme()
    colors = Colors()
    define_styles(doc, theme, colors)
    doc.item_numbering = ItemNumbering(doc, theme, colors).new_list(1)
    return doc


def page_numbers(doc) -> None:
    """As the PDF: the association's name and "— 1 —" at the foot of every page but the
    first, which has the page number only."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles[FOOTER]
    width = section.page_width - section.left_margin - section.right_margin
    footer.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    footer.add_run("{{r report.association.name | styled }}\t— ")
    field(footer, "PAGE")
    footer.add_run(" —")
    first = section.first_page_footer.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.add_run("— ")
    field(first, "PAGE")
    first.add_run(" —")


def numbered_items(doc, numbered: str) -> None:
    """Numbered items (Word numbering, restarted for every list on render) with their
    paragraphs and pictures, repeated over *numbered*; text in named styles."""
    paragraph(doc, f"{{%p for number, item in {numbered} %}}")
    item = paragraph(doc, "{{r item.title | styled }}", style=ITEM_TITLE)
    ItemNumbering.apply(item, doc.item_numbering)
    paragraph(doc, "{%p for text in item.paragraphs %}")
    paragraph(doc, "{{r text | styled(item.metrics, loop.index0) }}", style=BODY)
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p for image in item.images %}")
    paragraph(doc, "{%p if image.path %}")
    paragraph(doc, "{{ picture(image.path, width_mm=120) }}", style=CAPTION)
    paragraph(doc, '{{r (image.caption ~ " " ~ image.credit) | styled }}', style=CAPTION)
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p endfor %}")


def bulletin() -> Document:
    doc = new_document()

    # banner: the association's colour as cell background, set by docxtpl's cellbg tag
    table = doc.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.cell(0, 0)
    org = cell.paragraphs[0]
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    org.paragraph_format.space_before = Pt(14)
    org.add_run('{% cellbg colors.primary|nohash %}{% if logo %}'
                '{{ picture(logo, height_mm=9) }}  {% endif %}'
                '{{r (theme.banner_text or report.association.name) | runs("org") }}')
    border(org, "bottom", GOLD, 6)
    title = paragraph(cell, "{{r report.title | styled }}", style=TITLE)
    title.paragraph_format.space_before = Pt(8)
    title.paragraph_format.space_after = Pt(14)
    rule = paragraph(doc)
    border(rule, "top", GOLD, 36)

    # the 数说 panel, when the theme switches it on
    paragraph(doc, "{%p if key_figures %}")
    paragraph(doc, '{{r "数说" | runs("heading") }}', keep_next=True)
    paragraph(doc, "{%p for f in key_figures %}")
    paragraph(doc, '{{r (f.qualifier ~ f.value) | runs("figure") }}  {{r f.label | runs("caption") }}')
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p endif %}")

    paragraph(doc, "{%p for lst in report.lists %}")
    paragraph(doc, "{%p if not loop.first %}")
    paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
    paragraph(doc, "{%p endif %}")
    heading = paragraph(doc, "{{r lst.heading | styled }}", style=LIST_HEADING)
    border(heading, "bottom", GOLD, 18)
    paragraph(doc, "{%p if lst.ordering_note %}")
    paragraph(doc, '{{r ("（" ~ lst.ordering_note ~ "）") | runs("note") }}', WD_ALIGN_PARAGRAPH.CENTER, True)
    paragraph(doc, "{%p endif %}")
    numbered_items(doc, "lst.numbered")
    paragraph(doc, "{%p endfor %}")
    signoff(doc)

    page_numbers(doc)
    return doc


def news() -> Document:
    """The news release: the association's name over a rule, then each article with its
    body (paragraphs, subheadings, an embedded numbered list) and its source and date."""
    doc = new_document()
    head = paragraph(doc, '{{r report.association.name | runs("masthead") }}', WD_ALIGN_PARAGRAPH.CENTER)
    border(head, "bottom", "#B4141E", 24)
    paragraph(doc, "{%p for article in report.articles %}")
    paragraph(doc, "{%p if article.kicker %}")
    paragraph(doc, '{{r article.kicker | runs("heading") }}', WD_ALIGN_PARAGRAPH.CENTER, True)
    paragraph(doc, "{%p endif %}")
    title = paragraph(doc, '{{r article.title | runs("article_title") }}', WD_ALIGN_PARAGRAPH.CENTER, True)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(6)
    paragraph(doc, "{%p for block in article.body %}")
    paragraph(doc, "{%p if block is string %}")
    paragraph(doc, "{{r block | styled }}", style=BODY)
    paragraph(doc, "{%p elif block.heading is defined %}")
    paragraph(doc, '{{r block.heading | runs("subheading") }}', keep_next=True)
    paragraph(doc, "{%p elif block.list is defined %}")
    paragraph(doc, "{%p if block.list.ordering_note %}")
    paragraph(doc, '{{r ("（" ~ block.list.ordering_note ~ "）") | runs("note") }}', WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, "{%p endif %}")
    numbered_items(doc, "block.list.numbered")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p if article.source or article.date %}")
    paragraph(doc, '{{r article.source | runs("dateline") }}{% if article.date %} '
                   '{{ article.date | bracket_date }}{% endif %}', WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endfor %}")
    signoff(doc)
    page_numbers(doc)
    return doc


def signoff(doc) -> None:
    """The 落款: the issuing body over its date, flush right."""
    paragraph(doc, "{%p if report.signoff %}")
    name = paragraph(doc, '{{r report.signoff.name | runs("body") }}', WD_ALIGN_PARAGRAPH.RIGHT)
    name.paragraph_format.space_before = Pt(24)
    paragraph(doc, "{%p if report.signoff.date %}")
    paragraph(doc, '{{r (report.signoff.date | cn_date) | runs("body") }}', WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endif %}")


TEMPLATES = {"bulletin.docx": bulletin, "news.docx": news}


def main() -> int:
    out = ROOT / "src" / "reportgen" / "templates" / "docx"
    out.mkdir(exist_ok=True)
    for name, make in TEMPLATES.items():
        buffer = io.BytesIO()
        make().save(buffer)
        target = out / name
        target.write_bytes(normalize_zip(buffer.getvalue()))
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
