"""The PDF's text layer: what copy, search and screen readers get (issue 14).

The Han–Latin gap is drawn but is not text: every title of every layout is found
verbatim in the text that pdfplumber (pdfminer) and PDFium extract, and the pages look
exactly as they did with the gap as a character.
"""
from __future__ import annotations

import re

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser

from reportgen.io import load_report
from reportgen.model import Heading
from reportgen.typography import HAN_LATIN_GAP

from conftest import DATA


def _titles(report) -> list[str]:
    titles = [report.title]
    for lst in report.all_lists():
        titles.append(report.list_heading(lst))
        titles += [item.title for _, item in lst.numbered()]
    for article in report.articles:
        titles.append(article.title)
        titles += [block.heading for block in article.body if isinstance(block, Heading)]
    titles += [section.headline for section in report.sections]
    return titles


def _lines_joined(text: str) -> str:
    # a title may wrap: lines are joined as a reader's search does; nothing else is removed
    return re.sub(r"\s*\n\s*", "", text)


def _plumber_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return _lines_joined("\n".join(page.extract_text(use_text_flow=True) or "" for page in pdf.pages))


def _pdfium_text(source) -> str:
    document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        return _lines_joined("\n".join(document[i].get_textpage().get_text_range() for i in range(len(document))))
    finally:
        document.close()


@pytest.mark.parametrize("stem", sorted(p.stem for p in DATA.glob("*.yaml")))
def test_every_title_is_found_verbatim(all_pdfs, stem):
    report = load_report(DATA / f"{stem}.yaml")
    pdf = all_pdfs[stem]
    for name, text in (("pdfplumber", _plumber_text(pdf)), ("PDFium", _pdfium_text(pdf))):
        assert HAN_LATIN_GAP not in text, name
        missing = [t for t in _titles(report) if re.sub(r"\s+", "", t) not in text.replace(" ", "")
                   or (" " not in t and t not in text)]
        assert not missing, f"{name} cannot find {missing} in {stem}.pdf"


def test_metadata_title_author_language(all_pdfs):
    report = load_report(DATA / "cq-kx-2020.yaml")
    with open(all_pdfs["cq-kx-2020"], "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        info = {k: v.decode("utf-16") if v.startswith(b"\xfe\xff") else v.decode()
                for k, v in document.info[0].items() if isinstance(v, bytes)}
        assert info["Title"] == report.title
        assert info["Author"] == report.association.name
        assert document.catalog["Lang"] == b"zh-CN"


def test_gaps_still_drawn_where_they_were(tmp_path):
    """Same pixels with and without the text-layer rewrite; and without it (the fallback
    when a WeasyPrint writes text in a form this code does not know) a valid PDF."""
    import weasyprint

    from reportgen.render import textlayer
    from reportgen.render.pdf import _weasyprint

    html = ('<html lang="zh-CN"><body style="font: 20px \'Noto Serif SC\'">'
            f'<p>共{HAN_LATIN_GAP}<b>50</b>{HAN_LATIN_GAP}场次，2020{HAN_LATIN_GAP}年。</p></body></html>')
    _, font_config = _weasyprint()
    document = weasyprint.HTML(string=html).render(font_config=font_config)
    joined = document.write_pdf(finisher=textlayer.finisher)
    plain = document.write_pdf()

    def pixels(data):
        pdf = pdfium.PdfDocument(data)
        try:
            return pdf[0].render(scale=2).to_pil().tobytes()
        finally:
            pdf.close()

    assert pixels(joined) == pixels(plain)
    assert _pdfium_text(joined).strip().startswith("共50场次，2020年。")
    assert HAN_LATIN_GAP in _pdfium_text(plain)

    # text shown in a form this module does not parse is left alone: the gap stays a
    # character and the page is drawn as before
    def unknown_form(document, pdf):
        for obj in pdf.objects:
            stream = getattr(obj, "stream", None)
            if isinstance(stream, list):
                stream[:] = [item.replace(b"[", b"[ 0 ", 1).replace(b"] TJ", b" 0 ] TJ") if isinstance(item, bytes)
                             and item.endswith(b"] TJ") else item for item in stream]
                stream[:] = [item.replace(b"[ 0 ", b"[ (x) 0 ", 1) if isinstance(item, bytes) else item
                             for item in stream]
        textlayer.finisher(document, pdf)
    fallback = document.write_pdf(finisher=unknown_form)
    assert HAN_LATIN_GAP in _pdfium_text(fallback)
