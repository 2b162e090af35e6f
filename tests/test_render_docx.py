"""The bulletin DOCX: opens in python-docx, carries the titles, East Asian fonts, bold figures."""
from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from conftest import seed_2020_titles, squash


@pytest.fixture(scope="module")
def document(rendered):
    return docx.Document(str(rendered["docx"]))


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_docx_carries_every_title(document):
    text = squash("\n".join(p.text for p in all_paragraphs(document)))
    for title in seed_2020_titles():
        assert squash(title) in text
    assert "2020年市科协十件大事十大亮点" in text


def test_every_run_sets_an_east_asian_font(document):
    runs = [r for p in all_paragraphs(document) for r in p.runs if r.text.strip()]
    assert len(runs) > 100
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.text
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_item_titles_are_bold_and_figures_bold(document):
    paragraphs = list(all_paragraphs(document))
    title = next(p for p in paragraphs if squash(p.text).endswith("深入学习贯彻党的十九届五中全会和市委五届九次全会精神"))
    assert all(r.bold for r in title.runs if r.text.strip())
    body = next(p for p in paragraphs if p.text.startswith("把学习贯彻"))
    bold = [r.text for r in body.runs if r.bold]
    assert "13名" in bold and "50场次" in bold
    assert not body.runs[0].bold


def test_body_paragraphs_have_2_character_indent(document):
    body = next(p for p in document.paragraphs if p.text.startswith("把学习贯彻"))
    ind = body._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_page_setup_from_theme(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.left_margin - Mm(22)) < Mm(0.1)


def test_docx_is_a_valid_zip_with_fixed_timestamps(rendered):
    with zipfile.ZipFile(rendered["docx"]) as archive:
        assert archive.testzip() is None
        assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_paragraph_and_run_properties_in_schema_order(rendered):
    """Word refuses files whose <w:pPr>/<w:rPr> children are out of the schema's order."""
    from lxml import etree

    from reportgen.render.docx.ooxml import PPR_ORDER, RPR_ORDER

    with zipfile.ZipFile(rendered["docx"]) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    checked = 0
    for tree in (root, styles):
        for props, order in ((qn("w:pPr"), PPR_ORDER), (qn("w:rPr"), RPR_ORDER)):
            for element in tree.iter(props):
                tags = [etree.QName(c).localname for c in element]
                known = [t for t in tags if t in order]
                assert known == sorted(known, key=order.index), tags
                checked += 1
    assert checked > 100
