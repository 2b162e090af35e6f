"""PDFs read from their geometry (issue 27, item 3): a wrapped title or item keeps its second
line, two columns read left then right, a running header is not the title, page numbers, a
diagonal watermark and footnotes are not text — each made here with WeasyPrint and the
bundled fonts, the way offices' PDFs are laid out."""
from __future__ import annotations

import pytest

from reportgen.extract import extract
from reportgen.render.fonts import FONT_DIR

ITEMS = [("江北区科技馆新馆建成开放", "全年接待观众10万人次，开展科普活动200余场。"),
         ("“科创中国”江北试点工作全面启动", "引进科技服务团队12个，对接企业技术需求45项。"),
         ("第二届江北区青少年科技创新大赛圆满举办", "全区40所学校参加，提交作品600余件。"),
         ("院士专家工作站新增3家", "工作站引进团队成员18人。"),
         ("科普大篷车巡展覆盖全部镇街", "行程5000公里，服务群众8万人次。")]
TITLE = "关于印发2023年江北区科学技术协会十件大事和年度工作亮点的通知"


def _pdf(tmp_path, name: str, columns=False, footnote=False, watermark=False, pages=1):
    from weasyprint import HTML

    css = f"""
    @font-face {{ font-family: S; src: url({(FONT_DIR / 'NotoSerifSC-Regular.otf').as_uri()}); }}
    @page {{ size: A4; margin: 30mm 25mm;
      @top-center {{ content: "江北区科学技术协会 工作简报"; font: 9pt S; }}
      @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font: 9pt S; }} }}
    body {{ font: 12pt/1.6 S; }} h1 {{ font-size: 22pt; text-align: center; font-weight: normal; }}
    .cols {{ column-count: 2; column-gap: 10mm; }} .fn {{ float: footnote; font-size: 8pt; }}
    .wm {{ position: fixed; top: 120mm; left: 40mm; font-size: 48pt; color: #ddd; transform: rotate(-45deg); }}"""
    body = "".join(f"<p>{n}．{title}{'<span class=fn>本项由区科协科普部负责。</span>' if footnote and n == 2 else ''}"
                   f"</p><p>{text}</p>" for n, (title, text) in enumerate(ITEMS * pages, 1))
    html = (f"<html><head><style>{css}</style></head><body>{'<div class=wm>内部资料</div>' if watermark else ''}"
            f"<h1>{TITLE}</h1><p>2023年，江北区科协紧紧围绕区委、区政府中心工作，现将年度十件大事公布如下。</p>"
            f"{'<div class=cols>' + body + '</div>' if columns else body}</body></html>")
    path = tmp_path / f"{name}.pdf"
    HTML(string=html).write_pdf(path)
    return extract(path, limits=None)


def _dropped(result) -> str:
    return " ".join(f.message for f in result.findings)


@pytest.mark.parametrize("form", ["one column", "two columns", "footnote", "watermark"])
def test_titles_whole_and_the_page_furniture_left_out(tmp_path, form):
    result = _pdf(tmp_path, form.replace(" ", "-"), columns=form == "two columns", footnote=form == "footnote",
                  watermark=form == "watermark", pages=3 if form in ("two columns", "watermark") else 1)
    report = result.report
    assert report.title == TITLE                       # the 22 pt headline over two lines, not the running header
    titles = [item.title for item in report.lists[0].items]
    assert titles[:5] == [title for title, _ in ITEMS]  # wrapped items keep their second line
    assert report.lists[0].items[0].paragraphs == [ITEMS[0][1]]
    dropped = _dropped(result)
    assert "页眉：江北区科学技术协会 工作简报" in dropped and "页码：第 1 页" in dropped
    everything = " ".join(text for _, text in report.texts())
    assert "共 1 页" not in everything and "工作简报" not in everything
    if form == "footnote":
        assert "本项由区科协科普部负责" in dropped and "本项由区科协科普部负责" not in everything
        assert titles[1] == "“科创中国”江北试点工作全面启动"      # its raised 1 is not glued to the title
    if form == "watermark":
        assert "水印：内部资料" in dropped and "内部资料" not in everything
