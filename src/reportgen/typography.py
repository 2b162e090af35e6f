"""The rules of Chinese text that every part of reportgen shares: what is a Han character,
where the Han–Latin gap goes, which punctuation marks are squeezed (clreq).

The print filters (``render/filters.py``), the PDF's justification (``render/justify.py``),
the font checks (``render/fonts.py``), the DOCX builder and extraction all read them here.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

#: Han characters: CJK Unified Ideographs, Extension A, Compatibility Ideographs,
#: Extensions B–G (for use inside a regular-expression character class)
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = f"[{HAN_RANGES}]"
_HAN = re.compile(HAN)

# A quarter-em gap between Han and Latin letters or digits (clreq §3.2.2). Its line-break
# class is BA (UAX #14): it never starts a line, and a line may break after it, where the
# PDF's justification lets it hang past the right edge (render/justify.py).
HAN_LATIN_GAP = "\u2005"
# what a gap was made of, in this and earlier versions (word joiners glued it both ways)
GAP_CHARS = "\u2060\u2005"
# U+2060 WORD JOINER: no line break on either side (UAX #14 class WJ), no glyph. It keeps a
# figure with its unit ("125个", never "125 | 个") and a paragraph's last two characters
# together (no last line holding one character and its mark).
WORD_JOINER = "\u2060"
#: a figure up to this long is kept whole (50场, 12项); a longer one (3000余册, a date range)
#: only keeps its number with the next character — a longer unbreakable run would leave the
#: line before it spaced out in a narrow column
MAX_GLUED = 3
CLOSING_MARKS = "，。、；：！？”’）》】」』〉…"

def is_han(ch: str) -> bool:
    return bool(ch) and _HAN.match(ch) is not None


def is_latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def needs_gap(before: str, after: str) -> bool:
    return (is_han(before) and is_latin(after)) or (is_latin(before) and is_han(after))


def gap_positions(text: str) -> set[int]:
    """Indexes *i* where a Han–Latin gap goes between ``text[i-1]`` and ``text[i]``."""
    return {i for i in range(1, len(text)) if needs_gap(text[i - 1], text[i])}


def glue_positions(text: str, figures: Iterable[tuple[int, int]] = (), *, last_line: bool = False) -> set[int]:
    """Indexes *i* where the line may not break between ``text[i-1]`` and ``text[i]``: inside
    each figure with its unit (up to :data:`MAX_GLUED` characters; a longer one keeps its
    first number with the character after it) and, with *last_line*, between the last two
    characters before the closing marks."""
    out: set[int] = set()
    for start, end in figures:
        # a figure's number, its qualifier and its unit: 50余场次, 1.396亿次, 超千万人次
        if end - start <= MAX_GLUED:
            out.update(range(start + 1, end))
    # a number and the character after it (年, 月, 日, 个, 名 …) in any case, figure or date
    out.update(i for i in range(1, len(text)) if text[i - 1] in "0123456789%" and is_han(text[i]))
    if last_line:
        body = len(text.rstrip(CLOSING_MARKS + " "))
        if body >= 3 and is_han(text[body - 1]) and is_han(text[body - 2]):
            out.add(body - 1)
    # (never inside a number or a word: no line breaks there anyway, and a joiner would
    # split the run that justification keeps solid)
    return {i for i in out if not (_SOLID.match(text[i - 1]) and _SOLID.match(text[i]))}


_SOLID = re.compile(r"[0-9A-Za-z.,%]")


def range_breaks(text: str) -> set[int]:
    """Indexes after the dash of a number range (2021-2025, 10%—15%) where a line may break:
    Unicode's line breaking keeps "2021-2025年）》，" whole, which spaces out the line
    before it."""
    return {m.end() for m in re.finditer(r"(?<=[0-9%])[-–—](?=[0-9])", text)}


def segments(text: str, spans: Iterable[tuple[int, int]] = (), *, spacing: bool = True,
             glue: set[int] = frozenset(), breaks: set[int] = frozenset()):  # type: ignore[assignment]
    """Split *text* into ``(piece, emphasised)`` runs with Han–Latin gaps inserted.

    Used by both renderers: HTML wraps emphasised runs in ``<strong>``, DOCX makes
    them bold runs. A gap is emphasised only when both its neighbours are. At the
    positions in *glue* a word joiner forbids a line break (after the gap, if one is there).
    """
    marks = [False] * len(text)
    for a, b in spans:
        for i in range(max(a, 0), min(b, len(text))):
            marks[i] = True
    gaps = gap_positions(text) if spacing else set()
    out: list[tuple[str, bool]] = []

    def push(piece: str, strong: bool) -> None:
        if out and out[-1][1] == strong:
            out[-1] = (out[-1][0] + piece, strong)
        else:
            out.append((piece, strong))

    for i, ch in enumerate(text):
        if i in gaps:
            push(HAN_LATIN_GAP, marks[i - 1] and marks[i])
        if i in glue:
            push(WORD_JOINER, marks[i - 1] and marks[i])
        elif i in breaks:
            push("\u200b", marks[i - 1] and marks[i])  # ZERO WIDTH SPACE: a break, no glyph
        push(ch, marks[i])
    return out


# Consecutive full-width punctuation (。” ），《《): the blank half of a corner mark or a
# bracket would leave a visible hole, so that mark is set half-width with the font's
# OpenType ``halt`` feature (clreq §3.1.6). Closing marks are halved before another mark,
# opening marks after a mark that was not halved itself (：“ → 1.5 em, ），《 → 2 em). Word and
# LibreOffice do the same with "compress punctuation".
SQUEEZE_CLOSING = "，。、”’）》】」』〉"
SQUEEZE_OPENING = "“‘（《【「『〈"
PUNCTUATION = SQUEEZE_CLOSING + SQUEEZE_OPENING + "：；！？"


def halt_positions(text: str) -> set[int]:
    """Indexes of the marks to set half-width in *text*."""
    out = set()
    for i, ch in enumerate(text):
        if ch in SQUEEZE_CLOSING and i + 1 < len(text) and text[i + 1] in PUNCTUATION:
            out.add(i)
        elif ch in SQUEEZE_OPENING and i > 0 and text[i - 1] in PUNCTUATION and i - 1 not in out:
            out.add(i)  # one half-width mark per pair is enough
    return out


#: words of an association's headlines that the general dictionary cuts in two
TERMS = ("科技工作者", "科学技术协会", "十件大事", "十大亮点", "十大事件", "全国科普日", "科技馆", "院士专家",
         "党史学习教育", "一带一路", "科创中国", "综合改革", "示范区", "青少年", "科技英才", "智博会", "百人会")


@functools.lru_cache(maxsize=1)
def segmenter():
    """jieba's dictionary in rjieba (jieba-rs: loaded in ≈ 0.2 s where Python jieba takes
    ≈ 1–1.5 s), taught :data:`TERMS`; one per process, loaded on first use (a headline, or
    extraction judging a text) and before a render's child is forked (``headlines.prepare``)."""
    import rjieba

    words = rjieba.Jieba()
    for term in TERMS:
        words.add_word(term, 10 ** 6, None)
    return words


def words(text: str, hmm: bool = True) -> list[str]:
    """*text* cut into words by :func:`segmenter` (*hmm*: unknown words found by jieba's HMM)."""
    return segmenter().cut(text, hmm)


# -- numbers as Chinese writing draws them (headings 一、, Word's list labels ①) ---------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for 一、二、 headings)."""
    n = int(n)
    if n < 0:
        raise ValueError("negative numbers have no 一、二、 form")
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                     ("一" + cn_number(rest) if rest < 20 else cn_number(rest)))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def circled(n: int) -> str:
    """1 → ①, …, 20 → ⑳; larger numbers in parentheses."""
    n = int(n)
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
