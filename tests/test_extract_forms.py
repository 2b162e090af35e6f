"""Extraction of documents in the forms other associations write them (tests/corpus/forms-*.yaml,
written for the project): kinds from structure, titles exactly as written, nothing lost,
nothing invented, what needs a look flagged."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reportgen.extract import extract
from reportgen.extract.numbering import marker

CORPUS = Path(__file__).parent / "corpus"


def cases() -> list[dict]:
    out = []
    for path in sorted(CORPUS.glob("forms-*.yaml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


def run(case: dict, tmp_path: Path):
    source = tmp_path / f"{case['name']}.txt"
    source.write_text(case["text"], encoding="utf-8")
    return extract(source, limits=None)


def test_the_corpus_covers_the_forms():
    names = [case["name"] for case in cases()]
    assert len(names) >= 40 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", cases(), ids=lambda case: case["name"])
def test_form(case, tmp_path):
    result = run(case, tmp_path)
    report = result.report
    assert result.kind == case["kind"]
    assert report.title == case["title"]
    assert report.year == case["year"]
    if "association" in case:
        assert report.association.name == case["association"]
    lists = report.all_lists()
    assert [lst.name for lst in lists] == [lst["name"] for lst in case["lists"]]
    for got, want in zip(lists, case["lists"]):
        assert [item.title for item in got.items] == want["titles"], got.name
    flagged = " ".join(f.message for f in result.findings if f.action == "flagged")
    for word in case.get("flags", []):
        assert word in flagged, word
    out = _output_text(report)
    for piece in case.get("dropped", []):
        assert re.sub(r"\s", "", piece) not in out, piece
        assert any(piece in f.message for f in result.findings), piece
    if "sections" in case:
        got_sections = [[s.keyword, s.headline, [point.lead for point in s.points]] for s in report.sections]
        assert got_sections == case["sections"]
    else:
        assert not report.sections
    if "source" in case:
        assert report.articles[0].source == case["source"]
    if "date" in case:
        assert str(report.articles[0].date) == str(case["date"])


@pytest.mark.parametrize("case", cases(), ids=lambda case: case["name"])
def test_nothing_lost(case, tmp_path):
    """Every piece of the input's text is in the output, or reported as dropped: output text +
    dropped pieces = input text, modulo whitespace, numbering and the marks that separate items."""
    result = run(case, tmp_path)
    out = _output_text(result.report) + "".join(re.sub(r"\s", "", f.message) for f in result.findings)
    for line in case["text"].splitlines():
        text = line.strip()
        found = marker(text)
        if found and found.mark:
            text = text[len(found.mark):]
        text = re.sub(r"(?:^|(?<=[，。；：]))[一二三四五六七八九十]是", "", text)
        # the numbers of a run-on paragraph's headings and points (…如下。一、科普…提升1、巩固…)
        text = re.sub(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})、", "、", text)
        for piece in re.split(r"[\s，。；：！？、,.;:!?（）()【】\[\]“”\"]+", text):
            piece = re.sub(r"等$", "", piece)
            if len(piece) >= 2:
                assert piece in out, (piece, line)


def _output_text(report) -> str:
    parts = [report.title, report.subtitle, report.association.name, *report.intro]
    parts += [text for _, text in report.texts()]
    for article in report.articles:
        parts += [article.source, str(article.date or ""), article.byline]
    for lst in report.all_lists():
        parts += [lst.name, lst.heading or ""]
    return re.sub(r"\s", "", "".join(parts))
