"""The 落款 (closing sign-off) is the document's: data of its own, printed after the text in
every format — never an item's last paragraph (issue 26, item 3)."""
from __future__ import annotations

import io
import shutil

import docx
import pdfplumber
import pytest

from conftest import DATA, squash, text_of
from reportgen import render_file

SIGNOFF = "signoff:\n  name: 重庆市科学技术协会\n  date: 2021-01-05\n"


@pytest.mark.parametrize("name", ["cq-kx-2020.yaml", "cd-kx-review.yaml"])  # a Word template; the builder
def test_the_signoff_prints_after_the_text_in_every_format(tmp_path, name):
    data = tmp_path / name
    shutil.copy(DATA / name, data)
    data.write_text(data.read_text(encoding="utf-8") + SIGNOFF, encoding="utf-8")
    render_file(data, tmp_path / "out", ["pdf", "docx", "wechat", "html"])
    stem = data.stem
    with pdfplumber.open(tmp_path / "out" / f"{stem}.pdf") as pdf:
        last = squash(pdf.pages[-1].extract_text())
    assert last.endswith("重庆市科学技术协会2021年1月5日") or "重庆市科学技术协会2021年1月5日" in last[-40:]
    paragraphs = [p for p in docx.Document(io.BytesIO((tmp_path / "out" / f"{stem}.docx").read_bytes())).paragraphs
                  if p.text.strip()]
    assert [p.text for p in paragraphs[-2:]] == ["重庆市科学技术协会", "2021年1月5日"]
    assert all(p.alignment == 2 for p in paragraphs[-2:])  # flush right
    for page in ("wechat-inline.html", "html"):
        found = list((tmp_path / "out").glob(f"{stem}*.{page}")) if page == "html" else \
            [tmp_path / "out" / f"{stem}.{page}"]
        text = squash(text_of(found[0].read_text(encoding="utf-8")))
        assert "重庆市科学技术协会2021年1月5日" in text


def test_a_document_without_a_signoff_prints_none(tmp_path):
    data = tmp_path / "cq-kx-2020.yaml"
    shutil.copy(DATA / data.name, data)
    render_file(data, tmp_path / "out", ["docx"])
    last = [p.text for p in docx.Document(str(tmp_path / "out" / "cq-kx-2020.docx")).paragraphs if p.text.strip()][-1]
    assert "年" not in last[-8:] or not last.endswith("日")


def test_a_long_banner_line_breaks_between_phrases(tmp_path):
    """The banner's organisation line is a headline too (issue 26 item 9): no "创新江 / 北"."""
    data = tmp_path / "cq-kx-2020.yaml"
    shutil.copy(DATA / data.name, data)
    theme = tmp_path / "t.yaml"
    theme.write_text("banner_text: 重庆市科学技术协会　科技引领　服务发展　创新江北　奋进新时代新征程\n", encoding="utf-8")
    render_file(data, tmp_path / "out", ["pdf"], theme=theme)
    with pdfplumber.open(tmp_path / "out" / "cq-kx-2020.pdf") as pdf:
        lines = [squash(line) for line in pdf.pages[0].extract_text().splitlines()[:3]]
    assert lines[:2] == ["重庆市科学技术协会科技引领", "服务发展创新江北奋进新时代新征程"], lines
