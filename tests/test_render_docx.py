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


def _east_asian(document, paragraph, run) -> str | None:
    """The East Asian face a run is drawn with: its own, its character style's, its
    paragraph style's (and what that is based on), or the Normal style's."""
    def of(props):
        fonts = props.find(qn("w:rFonts")) if props is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    def style_face(style):
        while style is not None:
            if of(style.element.rPr) is not None:
                return of(style.element.rPr)
            style = style.base_style
        return None

    return (of(run._r.rPr) or (style_face(run.style) if run._r.rPr is not None and run._r.rPr.rStyle is not None
                                else None)
            or style_face(paragraph.style) or style_face(document.styles["Normal"]))


def test_every_run_has_an_east_asian_font(document):
    pairs = [(p, r) for p in all_paragraphs(document) for r in p.runs if r.text.strip()]
    assert len(pairs) > 100
    for paragraph, run in pairs:
        assert _east_asian(document, paragraph, run), run.text
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_item_titles_are_bold_and_figures_bold(document):
    paragraphs = list(all_paragraphs(document))
    title = next(p for p in paragraphs if squash(p.text).endswith("深入学习贯彻党的十九届五中全会和市委五届九次全会精神"))
    assert title.style.name == "事项标题" and title.style.font.bold
    body = next(p for p in paragraphs if p.text.startswith("把学习贯彻"))
    bold = [r.text for r in body.runs if r.style.name == "数字强调"]
    assert "13名" in bold and "50场次" in bold
    assert document.styles["数字强调"].font.bold
    assert body.runs[0].style.name != "数字强调"


def test_a_word_file_to_keep_editing(rendered, tmp_path):
    """Issue 19 item 1, read back: named styles with outline levels, item numbers as Word
    numbering restarting per list, no direct font formatting on body runs, the PDF's footer,
    real metadata — in the Word-template bulletin and in the built ballot alike."""
    from reportgen.render import render_file
    from conftest import DATA

    ballot = render_file(DATA / "cq-kx-2021-ballot.yaml", tmp_path, ["docx"]).outputs[0]
    for path in (rendered["docx"], ballot):
        document = docx.Document(str(path))
        paragraphs = list(all_paragraphs(document))
        used = {p.style.name for p in paragraphs}
        assert {"列表标题", "事项标题", "正文"} <= used, used
        levels = {name: document.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
                  for name in ("标题", "列表标题", "事项标题")}
        assert levels == {"标题": "0", "列表标题": "1", "事项标题": "2"}
        # item numbers: Word numbering, a numbering instance per list, starting at 1 each time
        items = [p for p in paragraphs if p.style.name == "事项标题"]
        num_ids = [p._p.pPr.numPr.numId.val for p in items]
        assert len(items) >= 20 and len(set(num_ids)) == 2, num_ids
        numbering = document.part.numbering_part.element
        for num_id in set(num_ids):
            num = numbering.num_having_numId(num_id)
            override = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
            assert override.get(qn("w:val")) == "1"
        assert not any(p.text.strip()[:2].strip().isdigit() for p in items)  # no typed numbers
        # body runs: nothing but the figure style
        body_runs = [r for p in paragraphs if p.style.name == "正文" for r in p.runs]
        assert len(body_runs) > 50
        for run in body_runs:
            props = run._r.rPr
            assert props is None or [c.tag for c in props] == [qn("w:rStyle")], run.text
        # the PDF's footer: the association's name, and the page number; not on the first page
        section = document.sections[0]
        assert section.different_first_page_header_footer
        footer = "".join(p.text for p in section.footer.paragraphs)
        assert "重庆市科学技术协会" in footer
        assert "重庆市科学技术协会" not in "".join(p.text for p in section.first_page_footer.paragraphs)
        # metadata
        props = document.core_properties
        assert (props.title, props.author, props.language) == (props.title, "重庆市科学技术协会", "zh-CN")
        assert props.title.startswith("2020年") or props.title.startswith("2021年")
        with zipfile.ZipFile(path) as package:
            assert "docProps/thumbnail.jpeg" not in package.namelist()
            app = package.read("docProps/app.xml").decode()
            assert "<Application>reportgen</Application>" in app and "Macintosh" not in app


def test_body_paragraphs_have_2_character_indent(document):
    body = next(p for p in document.paragraphs if p.text.startswith("把学习贯彻"))
    assert body._p.pPr.find(qn("w:ind")) is None  # from its style, 正文
    ind = body.style.element.pPr.find(qn("w:ind"))
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
