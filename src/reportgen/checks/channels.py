"""三校 across channels: the titles and figures read back from each rendered file — the PDF's
text layer, the Word file's paragraphs, the 公众号 article's text, the long image's layout —
must be the data's, character for character.

The files are handed in (``render.proof_sources`` makes them within limits); this module only
reads them: PDF text with pypdfium2, DOCX as its XML parts (body, tables, text boxes, notes),
HTML with the standard parser. Spaces, line breaks and the invisible characters typesetting
adds (Han–Latin gaps, word joiners, soft hyphens) are ignored; everything else counts.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterator
from xml.etree import ElementTree

from ..model import Report, detect_metrics
from .engine import Finding

#: how people call each format's output
CHANNELS = {"pdf": "PDF", "docx": "Word 文件", "html": "HTML", "wechat": "公众号文章", "png": "长图"}
_INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200d\u2005\u2060\ufeff]+")
MAX_PART_BYTES = 50 * 1024 * 1024  # a DOCX part larger than this is not read (a zip bomb)


def normalise(text: str) -> str:
    return _INVISIBLE.sub("", text)


@dataclass(frozen=True)
class Expected:
    """A title or a figure of the data that every channel must print as it is."""

    place: str
    field: str
    what: str  # 标题 or 数字
    text: str


def expected(report: Report) -> Iterator[Expected]:
    """The titles and figures of *report*, in reading order."""
    if report.title:
        yield Expected("标题", "title", "标题", report.title)
    for i, lst in enumerate(report.lists):
        yield from _list_expected(report, lst, f"lists[{i}]")
    for a, article in enumerate(report.articles):
        if article.title:
            yield Expected(f"第{a + 1}篇 标题", f"articles[{a}].title", "标题", article.title)
        for b, block in enumerate(article.body):
            if hasattr(block, "list"):
                yield from _list_expected(report, block.list, f"articles[{a}].body[{b}].list")
    for s, section in enumerate(report.sections):
        yield Expected(f"第{s + 1}节 标题", f"sections[{s}].headline", "标题", section.headline)


def _list_expected(report: Report, lst, path: str) -> Iterator[Expected]:
    yield Expected(f"{lst.name} 标题行", f"{path}.heading", "标题", report.list_heading(lst))
    for j, item in enumerate(lst.items):
        where = f"{lst.name} 第{j + 1}项"
        yield Expected(f"{where} 标题", f"{path}.items[{j}].title", "标题", item.title)
        figures = item.metrics if item.metrics is not None else detect_metrics(item.paragraphs)
        for figure in figures:
            yield Expected(f"{where} 第{figure.paragraph + 1}段", f"{path}.items[{j}].paragraphs[{figure.paragraph}]",
                           "数字", figure.text)


# -- reading the files -----------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            out.append(text.get_text_range())
            text.close()
            page.close()
        return "\n".join(out)
    finally:
        document.close()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$")


def docx_text(data: bytes) -> str:
    """The text of the body (with tables and text boxes), headers, footers and notes."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not _DOCX_PARTS.match(info.filename) or info.file_size > MAX_PART_BYTES:
                continue
            root = ElementTree.fromstring(archive.read(info))
            for paragraph in root.iter(_W + "p"):
                # (a text box's paragraphs are read inside their anchor's and again on their own:
                # a title is found either way)
                out.append("".join(node.text or "" for node in paragraph.iter(_W + "t")))
    return "\n".join(out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "script", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return "".join(parser.parts)


READERS = {"pdf": pdf_text, "docx": docx_text, "html": html_text}


def read_back(kind: str, data: bytes) -> str:
    """The text a reader sees in a file of *kind* ("pdf", "docx" or "html")."""
    return READERS[kind](data)


# -- comparing -------------------------------------------------------------------------------

def compare(report: Report, readings: dict[str, str]) -> list[Finding]:
    """A finding for each title or figure of *report* that a channel's text (``{format:
    text}``) does not hold as it is."""
    found = []
    wanted = list(expected(report))
    for channel, text in readings.items():
        flat = normalise(text)
        label = CHANNELS.get(channel, channel)  # a format, or a file read back from disk
        for item in wanted:
            if normalise(item.text) not in flat:
                found.append(Finding("consistency.channel", "跨渠道一致", "三校", "error", item.place, item.field,
                                     item.text, "", f"{label}里找不到这个{item.what}，与数据不一致"))
    return found


def channel_findings(report: Report, sources: dict[str, tuple[str, bytes]]) -> list[Finding]:
    """:func:`compare` on the files ``render.proof_sources`` made: ``{format: (kind, bytes)}``."""
    return compare(report, {name: read_back(kind, data) for name, (kind, data) in sources.items()})
