"""Every layout of the originals, in PDF and DOCX: content, QR code, key figures, emphasis."""
from __future__ import annotations

import io

import docx
import pdfplumber
import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from conftest import DATA, squash, write
from reportgen.io import load_report
from reportgen.render import render_file

LAYOUT_FILES = ["cq-kx-2021-ballot", "cast-2020-news", "cd-kx-review", "cq-kx-2021-report"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    result = {}
    for name in LAYOUT_FILES:
        pdf, docx_file = render_file(DATA / f"{name}.yaml", out, ["pdf", "docx"]).outputs
        result[name] = {"pdf": pdf, "docx": docx_file, "report": load_report(DATA / f"{name}.yaml")}
    return result


def pdf_text(path) -> str:
    """The text of every page, read whole and read by halves (two-column pages read
    across both columns when taken whole)."""
    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            half = page.width / 2
            parts.append(page.extract_text() or "")
            parts.append(page.crop((0, 0, half, page.height)).extract_text() or "")
            parts.append(page.crop((half, 0, page.width, page.height)).extract_text() or "")
    return squash("\n".join(parts))


def docx_text(path) -> str:
    """All text of a DOCX in document order, tables included."""
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    return squash("".join(node.text or "" for node in document.element.body.iter(qn("w:t"))))


def decode_qr(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def texts(name, outputs):
    return pdf_text(outputs[name]["pdf"]), docx_text(outputs[name]["docx"])


@pytest.mark.parametrize("fmt", [0, 1])
def test_ballot_content(outputs, fmt):
    report = outputs["cq-kx-2021-ballot"]["report"]
    text = texts("cq-kx-2021-ballot", outputs)[fmt]
    for lst in report.lists:
        for item in lst.items:
            assert squash(item.title) in text
    for needle in ("活动简介", "投票时间", "2021年12月29日至2022年1月9日", "投票规则", "投票网址",
                   "https://www.wenjuan.com/s/UZBZJvkIPP/", "温馨提示", "投票二维码", "排序不分先后",
                   "2021年市科协候选“大事”", "2021年市科协候选“亮点”"):
        assert squash(needle) in text, needle


def test_ballot_qr_in_pdf_is_vector_and_decodes(outputs):
    path = outputs["cq-kx-2021-ballot"]["pdf"]
    with pdfplumber.open(path) as pdf:
        assert not pdf.pages[0].images, "the QR code is drawn as vector paths, not an image"
    page = pypdfium2.PdfDocument(str(path))[0]
    image = page.render(scale=200 / 72).to_pil()
    assert decode_qr(image) == ["https://www.wenjuan.com/s/UZBZJvkIPP/"]


def test_ballot_qr_in_docx_decodes(outputs):
    document = docx.Document(str(outputs["cq-kx-2021-ballot"]["docx"]))
    blobs = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 1
    assert decode_qr(Image.open(io.BytesIO(blobs[0]))) == ["https://www.wenjuan.com/s/UZBZJvkIPP/"]


@pytest.mark.parametrize("fmt", [0, 1])
def test_news_content(outputs, fmt):
    report = outputs["cast-2020-news"]["report"]
    text = texts("cast-2020-news", outputs)[fmt]
    for article in report.articles:
        assert squash(article.title) in text
        assert squash(article.source) + f"[{article.date.isoformat()}]" in text
    for item in report.articles[1].lists()[0].items:
        assert squash(item.title) in text
    assert "排名不分先后" in text


@pytest.mark.parametrize("fmt", [0, 1])
def test_review_content(outputs, fmt):
    report = outputs["cd-kx-review"]["report"]
    text = texts("cd-kx-review", outputs)[fmt]
    assert "工作回眸" in text and "GONGZUOHUIMOU" in text
    for section in report.sections:
        assert squash(section.keyword) in text and squash(section.headline) in text
        for point in section.points:
            assert squash(point.lead) in text
    assert squash(report.slogan) in text
    assert "·科普·建设·思想·资源·创新" in text


def test_review_keywords_large_and_figures_bold(outputs):
    with pdfplumber.open(outputs["cd-kx-review"]["pdf"]) as pdf:
        chars = pdf.pages[0].chars
    line = "".join(c["text"] for c in chars)
    keyword = chars[line.index("思")]
    assert keyword["size"] >= 28
    number = chars[line.index("01")]
    assert number["size"] >= 36
    figure = line.index("1.396")
    assert all("Bold" in chars[figure + i]["fontname"] for i in range(5))
    assert "Bold" not in chars[figure - 2]["fontname"]
    document = docx.Document(str(outputs["cd-kx-review"]["docx"]))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.text == "1.396亿次" and r.bold for r in runs)
    assert any(r.text.startswith("在学习贯彻新思想中不断凝聚共识") and r.bold for r in runs)


@pytest.mark.parametrize("fmt", [0, 1])
def test_report_content(outputs, fmt):
    report = outputs["cq-kx-2021-report"]["report"]
    text = texts("cq-kx-2021-report", outputs)[fmt]
    for article in report.articles:
        for part in (article.kicker, article.title, article.byline):
            assert squash(part) in text
        for block in article.body:
            if hasattr(block, "heading"):
                assert squash(block.heading) in text
    # the seed's photo is not in the data (only its caption): a caption without its photo is not printed
    assert "孩子们在重庆科技馆了解科学知识。" not in text and "重庆日报记者郑宇摄" not in text
    # the 数说 panel, built from the text's figures (units are set small, on their own baseline)
    panel = text[text.index("数说"):][:200]
    for value in ("10.2", "5.46", "3100", "个百分点", "全市公民具备科学素质比", "院长、校长、站长"):
        assert value in panel, value
    # 确保2025年…超过15% is a goal, not a result: not in the panel
    assert "15%" not in panel.replace("10.2%", "") and "超过" not in panel


def test_key_figures_panel_can_be_switched_on_for_the_bulletin(tmp_path):
    theme = write(tmp_path, "theme.yaml", "extends: default\nkey_figures: true\nkey_figures_count: 3\n")
    pdf, document = render_file(DATA / "cq-kx-2020.yaml", tmp_path / "out", ["pdf", "docx"], theme=theme).outputs
    assert "数说" in pdf_text(pdf) and "数说" in docx_text(document)
    plain = render_file(DATA / "cq-kx-2020.yaml", tmp_path / "plain", ["pdf"]).outputs[0]
    assert "数说" not in pdf_text(plain)


def test_explicit_key_figures_win(tmp_path):
    from conftest import MINIMAL

    data = write(tmp_path, "r.yaml", MINIMAL + "key_figures:\n  - {value: 99项, label: 手工指定}\n")
    theme = write(tmp_path, "t.yaml", "extends: default\nkey_figures: true\n")
    pdf = render_file(data, tmp_path / "out", ["pdf"], theme=theme).outputs[0]
    text = pdf_text(pdf)
    assert "99项" in text and "手工指定" in text and "120余场次" not in text.split("数说")[1][:20]
