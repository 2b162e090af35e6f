"""The numbering and list forms of Chinese official and news writing.

:func:`marker` reads the number a paragraph starts with, in any of the forms
一、 （一） 1. 1、 1． 1） (1) ① 第一， 事件1 【…】 ——…; :func:`inline_items` finds
the lists written inside a paragraph: an enumeration after 分别是/为/包括/还有：
(one item per clause, separated by ；or 、) and 一是…二是…三是….
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..typography import HAN_RANGES

CN_DIGITS = "零一二三四五六七八九"
CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
#: words that name an item before its number: 事件1、亮点二
ITEM_WORDS = "事件|亮点|大事|人物|作品|新闻|新聞|案例|项目|項目|成果|进展|進展|榜单|谣言|謠言|事项|事項|关键词|關鍵詞"


def cn_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23."""
    if not text or any(ch not in CN for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS.index(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


@dataclass(frozen=True)
class Marker:
    style: str      # which form: the list a paragraph belongs to is the run of one style
    number: int     # 0 for forms without numbers (【…】, ——)
    mark: str       # the marker as written, kept for the text it belongs to
    rest: str       # the paragraph after the marker


_NUM = r"[0-9０-９]{1,2}"
_FORMS: list[tuple[str, re.Pattern]] = [
    ("cn-paren", re.compile(rf"^([（(]\s*([{CN}]{{1,3}})\s*[)）])\s*")),
    ("num-paren", re.compile(rf"^([（(]\s*({_NUM})\s*[)）])\s*")),
    ("cn", re.compile(rf"^(([{CN}]{{1,3}})\s*[、，,．.]\s*)")),
    ("circled", re.compile(rf"^(([{CIRCLED}]))\s*")),
    ("ordinal", re.compile(rf"^(第([{CN}]{{1,3}})(?:[，,、：:]|是)\s*)")),
    ("word", re.compile(rf"^((?:{ITEM_WORDS})\s*({_NUM}|[{CN}]{{1,3}})\s*(?:[：:、，,．.]|\s+)\s*)")),
    # 1. 1． 1、 1） and "1 标题" are one style: a list typed by hand mixes them
    ("num", re.compile(rf"^(({_NUM})\s*[)）]\s*)")),
    ("num", re.compile(rf"^(({_NUM})\s*[.．](?![0-9０-９])\s*)")),
    # 4.2022世界机器人大会…: an item that begins with a year, typed after its number
    ("num", re.compile(rf"^(({_NUM})[.．])(?=(?:19|20)\d{{2}}(?![亿万千百元个人次名项家所件余多])[{HAN_RANGES}“《])")),
    ("num", re.compile(rf"^(({_NUM})\s*、\s*)")),
    ("num", re.compile(rf"^(({_NUM})\s+)(?=[{HAN_RANGES}“《【A-Za-z])")),
]


def marker(text: str) -> Marker | None:
    """The list marker *text* starts with, if any."""
    for style, pattern in _FORMS:
        match = pattern.match(text)
        if not match or not text[match.end():].strip():
            continue
        raw = match.group(2)
        if style == "circled":
            number = CIRCLED.index(raw) + 1
        elif raw.translate(FULL_DIGITS).isdigit():
            number = int(raw.translate(FULL_DIGITS))
        else:
            number = cn_number(raw) or 0
        if number < 1:
            continue
        if style == "word":
            style = "word:" + text[:2]  # 事件1 … 事件2: one list per word
        return Marker(style, number, match.group(1), text[match.end():].strip())
    # 【标题】正文 — or 标题】正文, its opening 【 lost in copying
    bracket = re.match(r"^(【([^】]{2,60})】)\s*", text) or re.match(r"^(([^【】\s。，；]{2,30})】)\s*(?=\S)", text)
    if bracket and not re.search(r"[：:]", bracket.group(2)):
        # 【标题】正文: the brackets mark the title as a number would; what follows is its text
        rest = text[bracket.end():].strip()
        return Marker("bracket", 0, "【" if text.startswith("【") else "",
                      bracket.group(2) + ("。" + rest if rest else ""))
    dash = re.match(r"^((?:——|—|－－|--)\s*)(?=\S)", text)
    if dash:
        return Marker("dash", 0, dash.group(1), text[dash.end():].strip())
    bullet = re.match(r"^([•·●▪■◆◇○□√]\s*)(?=\S)", text)
    if bullet:
        return Marker("bullet", 0, bullet.group(1), text[bullet.end():].strip())
    return None


# -- lists inside a paragraph ------------------------------------------------------------------

#: the lead of an inline enumeration: "…十大科普事件分别是：" / "入选的有：" / "包括："
LEAD = re.compile(r"(?:分别是|分別是|分别为|分別為|依次是|依次为|依次為|包括|包含|还有|還有|如下|有|为|為|是)\s*[：:]"
                  r"|(?:分别是|分別是|分别为|分別為|依次是|依次为|依次為)")
ORDINAL_IS = re.compile(rf"(?:^|(?<=[，。；：,;:\s]))([{CN}]{{1,2}})是")


@dataclass(frozen=True)
class Inline:
    lead: str              # the text before the items (kept as a paragraph)
    items: list[str]       # one title per clause, as written
    marks: list[str]       # what separated or numbered them (、 ；一是 …), for the record
    tail: str              # the text after the list (kept as a paragraph)


def _split_clauses(text: str, separator: str) -> list[str]:
    """Split at *separator* outside quotation marks, brackets and book titles."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "“‘《（(【「『":
            depth += 1
        elif ch in "”’》）)】」』" and depth:
            depth -= 1
        if ch == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def inline_items(text: str, named: bool) -> Inline | None:
    """The list written inside paragraph *text*, if it holds one.

    An enumeration after a lead (分别是：A；B；C。) needs three clauses; with 、 as the
    separator each clause must be short (a list of names, not a sentence). *named* says the
    lead names a list (十大…, 10项…): only then is a 、-list of short names taken.
    """
    found = _after_lead(text, named)
    return found or _ordinals(text)


def _after_lead(text: str, named: bool) -> Inline | None:
    lead = LEAD.search(text)
    if not lead or lead.start() < 4:
        return None
    body = text[lead.end():]
    end = _sentence_end(body)
    main, tail = body[:end], body[end:]
    for separator in "；;、":
        if separator == "、" and not named:
            break
        parts = _split_clauses(main, separator)
        if len(parts) < 3:
            continue
        cleaned = [p.strip() for p in parts]
        last = re.sub(r"(?:等|等等)?\s*[。.]?$", "", cleaned[-1]).strip()
        closing = cleaned[-1][len(last):]
        cleaned[-1] = last
        if not all(cleaned) or (separator == "、" and max(len(p) for p in cleaned) > 40):
            continue
        if max(len(p) for p in cleaned) > 200:
            return None
        return Inline(text[:lead.end()].strip(), cleaned, [separator] * (len(parts) - 1) + [closing],
                      tail.strip())
    return None


def sentence_end(text: str, marks: str = "。", opening: str = "“‘《（(", closing: str = "”’》）)") -> int | None:
    """Where the first sentence of *text* ends (after the first of *marks* outside the pairs
    *opening*/*closing*), or None when no sentence ends."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing and depth:
            depth -= 1
        elif ch in marks and depth == 0:
            return i + 1
    return None


def _sentence_end(text: str) -> int:
    """Where an enumeration's sentence ends (after its 。): the rest of the paragraph is its tail."""
    end = sentence_end(text)
    return len(text) if end is None else end


def _ordinals(text: str) -> Inline | None:
    """一是…；二是…；三是…。 — at least three, counted from one."""
    found = list(ORDINAL_IS.finditer(text))
    numbers = [cn_number(m.group(1)) for m in found]
    run: list[re.Match] = []
    for match, number in zip(found, numbers):
        if number == len(run) + 1:
            run.append(match)
    if len(run) < 3:
        return None
    items, marks = [], []
    for k, match in enumerate(run):
        stop = run[k + 1].start() if k + 1 < len(run) else len(text)
        piece = text[match.end():stop]
        if k + 1 == len(run):
            end = _sentence_end(piece)
            piece, tail = piece[:end], text[match.end() + end:]
        clause = piece.rstrip().rstrip("；;，,。")
        items.append(clause.strip())
        marks.append(match.group(0))
    if not all(items):
        return None
    return Inline(text[:run[0].start()].strip(), items, marks, tail.strip())
