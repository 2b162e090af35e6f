"""Word files as staff really have them (issue 27, item 2): tracked changes, text boxes, Word's
own numbering in its own formats, manual line breaks, lists in tables — each made here with
python-docx and raw WordprocessingML, and read as structure, not text."""
from __future__ import annotations

import docx
import pytest
from docx.oxml import parse_xml

from reportgen.extract import extract
from reportgen.extract.word import docx_lines

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


def _p(inner: str):
    return parse_xml(f"<w:p {NS}>{inner}</w:p>")


def _r(text: str, bold: bool = False) -> str:
    return f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _add(document, p) -> None:
    """Append paragraph or table element *p* to the body, before its section properties."""
    body = document.element.body
    if body.sectPr is not None:
        body.sectPr.addprevious(p)
    else:
        body.append(p)


def _save(document, tmp_path, name="x.docx"):
    path = tmp_path / name
    document.save(path)
    return path


def _texts(path) -> list[str]:
    return [line.text for line in docx_lines(path) if line.text]


def test_tracked_changes_read_as_accepted(tmp_path):
    document = docx.Document()
    _add(document, _p(_r("2023年") + f"<w:ins w:id='1' w:author='a'>{_r('江北区科协')}</w:ins>"
                   + "<w:del w:id='2' w:author='a'><w:r><w:delText>某某</w:delText></w:r></w:del>" + _r("十件大事")))
    _add(document, _p("<w:moveFrom w:id='3' w:author='a'>" + _r("搬走的旧句子。") + "</w:moveFrom>"
                   + _r("全年举办活动。") + "<w:moveTo w:id='4' w:author='a'>" + _r("搬来的新句子。") + "</w:moveTo>"))
    texts = _texts(_save(document, tmp_path))
    assert texts == ["2023年江北区科协十件大事", "全年举办活动。搬来的新句子。"]


def test_a_title_in_a_text_box_is_read_once(tmp_path):
    box = f"<w:txbxContent><w:p>{_r('2023年江北区科协十件大事')}</w:p></w:txbxContent>"
    anchor = (f"<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor><a:graphic><a:graphicData>"
              f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
              f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
              f"</mc:Fallback></mc:AlternateContent></w:r>")
    document = docx.Document()
    _add(document, _p(anchor))
    document.add_paragraph("1. 江北区科技馆开馆。全年接待观众10万人次。")
    document.add_paragraph("2. 科普大篷车进乡镇。行程5000公里。")
    path = _save(document, tmp_path)
    assert _texts(path)[0] == "2023年江北区科协十件大事"
    assert _texts(path).count("2023年江北区科协十件大事") == 1
    result = extract(path, limits=None)
    assert result.report.title == "2023年江北区科协十件大事"
    assert [i.title for i in result.report.lists[0].items] == ["江北区科技馆开馆", "科普大篷车进乡镇"]


def _numbering(document, abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> None:
    """Add an abstract list (levels of (numFmt, lvlText)) and its num to the document's numbering."""
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                   for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {NS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))


def _numbered(text: str, num_id: int, level: int = 0, bold_lead: str = ""):
    props = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    return _p(props + (_r(bold_lead, bold=True) if bold_lead else "") + _r(text))


def test_word_numbering_in_its_own_formats_and_levels(tmp_path):
    document = docx.Document()
    _numbering(document, 90, 90, [("chineseCounting", "%1、"), ("decimal", "%2.")])
    document.add_paragraph("关于2023年全县科协工作情况的报告")
    document.add_paragraph("2023年，云溪县科学技术协会各项工作取得新进展。")
    _add(document, _numbered("强化思想政治引领", 90))
    _add(document, _numbered("全年开展专题学习10次。", 90, 1, bold_lead="开展主题学习。"))
    _add(document, _numbered("推荐“最美科技工作者”5名。", 90, 1, bold_lead="选树先进典型。"))
    _add(document, _numbered("深化科学普及工作", 90))
    _add(document, _numbered("2023年全国科普日主场活动受众1.5万人次。", 90, 1))
    _add(document, _numbered("新建乡村科普e站12个。", 90, 1))
    path = _save(document, tmp_path)
    texts = _texts(path)
    assert texts[2] == "一、 强化思想政治引领" and texts[3].startswith("1. **开展主题学习。**")
    assert texts[5] == "二、 深化科学普及工作"
    assert texts[6] == "1. 2023年全国科普日主场活动受众1.5万人次。"        # counted again under 二、
    result = extract(path, limits=None)
    assert result.kind == "review"
    sections = result.report.sections
    assert [s.headline for s in sections] == ["强化思想政治引领", "深化科学普及工作"]
    assert [p.lead for p in sections[0].points] == ["开展主题学习", "选树先进典型"]
    assert sections[1].points[0].text == "2023年全国科普日主场活动受众1.5万人次。"


def test_an_auto_numbered_item_that_begins_with_a_digit_stays_in_its_list(tmp_path):
    document = docx.Document()
    document.add_paragraph("2022年江北区科协十件大事")
    for title in ("江北区科技馆开馆", "2022世界机器人大会江北分会场开幕", "科普大篷车进乡镇"):
        document.add_paragraph(title, style="List Number")
    result = extract(_save(document, tmp_path), limits=None)
    assert [i.title for i in result.report.lists[0].items] == \
        ["江北区科技馆开馆", "2022世界机器人大会江北分会场开幕", "科普大篷车进乡镇"]


def test_manual_line_breaks(tmp_path):
    document = docx.Document()
    _add(document, _p(_r("2023年江北区科协") + "<w:r><w:br/></w:r>" + _r("十件大事")))
    _add(document, _p(_r("1. 江北区科技馆开馆") + "<w:r><w:br/></w:r>" + _r("2. 科普大篷车进乡镇")
                                    + "<w:r><w:br/></w:r>" + _r("3. 院士专家工作站新增3家")))
    path = _save(document, tmp_path)
    result = extract(path, limits=None)
    assert result.report.title == "2023年江北区科协十件大事"
    assert [i.title for i in result.report.lists[0].items] == ["江北区科技馆开馆", "科普大篷车进乡镇", "院士专家工作站新增3家"]


def _table(document, rows: list[list[str]], merged: set[int] = frozenset()):
    """A table; rows in *merged* are one cell spanning every column."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        if r in merged:
            cells[0].merge(cells[-1])
            cells[0].text = row[0]
            continue
        for c, text in enumerate(row):
            cells[c].text = text
    return table


def test_two_lists_in_one_table_with_merged_name_rows(tmp_path):
    document = docx.Document()
    document.add_paragraph("2023年江北区科协十件大事十大亮点")
    _table(document, [["序号", "事项", "简要内容"],
                      ["十件大事"],
                      ["1", "江北区科技馆开馆", "全年接待观众10万人次。"],
                      ["2", "科普大篷车进乡镇", "行程5000公里。"],
                      ["十大亮点"],
                      ["1", "科普阵地提质扩容", "新建科普e站30个。"],
                      ["2", "学会服务能力提升", "新增学会3家。"]], merged={1, 4})
    path = _save(document, tmp_path)
    texts = _texts(path)
    assert texts.count("十件大事") == 1 and texts.count("十大亮点") == 1   # a merged cell read once
    result = extract(path, limits=None)
    lists = result.report.lists
    assert [lst.name for lst in lists] == ["十件大事", "十大亮点"]
    assert [i.title for i in lists[0].items] == ["江北区科技馆开馆", "科普大篷车进乡镇"]
    assert lists[0].items[0].paragraphs == ["全年接待观众10万人次。"]
    assert [i.title for i in lists[1].items] == ["科普阵地提质扩容", "学会服务能力提升"]


def test_a_table_that_is_no_list_is_read_cell_by_cell(tmp_path):
    document = docx.Document()
    document.add_paragraph("2023年江北区科协工作简报")
    _table(document, [["单位", "江北区科学技术协会"], ["联系人", "王明"]])
    assert _texts(_save(document, tmp_path)) == ["2023年江北区科协工作简报", "单位", "江北区科学技术协会", "联系人", "王明"]


@pytest.mark.parametrize(("fmt", "n", "drawn"), [
    ("chineseCounting", 11, "十一"), ("chineseCounting", 20, "二十"), ("decimalEnclosedCircle", 3, "③"),
    ("upperRoman", 4, "IV"), ("decimalZero", 7, "07"), ("decimal", 12, "12"),
])
def test_number_formats(fmt, n, drawn):
    from reportgen.extract.word import _format

    assert _format(n, fmt) == drawn


def test_a_typed_number_before_a_year():
    from reportgen.extract.numbering import marker

    assert marker("4.2022世界机器人大会开幕").number == 4
    assert marker("4.2022年全国科普日活动").rest == "2022年全国科普日活动"
    assert marker("1.2023亿元投入科普") is None          # a figure, not an item
