"""Every finding extraction writes reads in Chinese on the studio's import page (issue 26,
item 5): the corpus texts, the seeds and every message form are run through the wording table;
only the document's own quoted text may hold Latin letters."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SEEDS
from reportgen.extract import extract
from reportgen.extract.clean import Finding
from reportgen.extract.wording import chinese, message, place
from test_extract_forms import cases

ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english_left(text: str) -> list[str]:
    """English words outside the quoted pieces of the document (“…”, （…）)."""
    bare = re.sub(r"“[^”]*”|（[^）]*）|https?://\S+", "", text)
    return ENGLISH.findall(bare)


def _findings(tmp_path: Path):
    for case in cases():
        source = tmp_path / f"{case['name']}.txt"
        source.write_text(case["text"], encoding="utf-8")
        yield from extract(source, limits=None).findings
    for seed in sorted(SEEDS.glob("*.txt")):
        yield from extract(seed, limits=None).findings


def test_every_finding_of_the_corpus_and_the_seeds_reads_in_chinese(tmp_path):
    seen, wrong = 0, []
    for finding in _findings(tmp_path):
        where, words = chinese(finding)
        if words == finding.message or english_left(words) or english_left(where):
            wrong.append(f"{finding.where}: {finding.message} → {where}: {words}")
        seen += 1
    assert not wrong, "\n".join(sorted(set(wrong)))
    assert seen > 100


@pytest.mark.parametrize(("english", "expected"), [
    ("text outside any item dropped: '欢迎访问 www'", "不属于任何事项的文字已去掉：“欢迎访问 www”"),
    ("year 2021 guessed from the text; pass --year to set it", "年份2021是从正文推测的，请核对"),
    ("half-width punctuation replaced by full-width: 十件大事 3, 十件大事 4; lines 12, 15",
     "半角标点已改为全角：十件大事 第3项、十件大事 第4项（第12、15行）"),
    ("unbalanced book-title marks 《》 (1 opening, 0 closing); check the original",
     "书名号《》不成对（前书名号1个、后书名号0个）；请对照原文"),
    ("the closing sign-off (落款) 江北区科学技术协会 / 2024年1月5日 is kept as the document's sign-off, not an "
     "item's text", "文末的落款（江北区科学技术协会 / 2024年1月5日）已作为落款保存，不算事项正文"),
])
def test_message_forms(english, expected):
    assert message(english) == expected


@pytest.mark.parametrize(("where", "expected"), [
    ("page", "网页"), ("十件大事 3", "十件大事 第3项"), ("十件大事 3 title", "十件大事 第3项 标题"),
    ("section 2 point 1", "第2部分 第1点"), ("12 paragraphs", "12段"), ("sign-off", "落款"),
])
def test_places(where, expected):
    assert place(where) == expected


def test_an_unknown_message_is_left_as_written():
    finding = Finding("f.txt", 1, "text", "something new", "flagged")
    assert chinese(finding) == ("正文", "something new")
