"""The checks a regular expression cannot say: pairs of marks, first mentions, check digits,
one numeral style within a list. A rule of ``rules/*.yaml`` names one of :data:`FUNCTIONS`.

Each function takes the pieces a rule reads, the rule's ``options`` and the association's
:class:`~.config.CheckConfig`, and yields ``(piece, Hit)``.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from typing import Callable, Iterable, Iterator

from ..metrics import cn_to_int, find_chinese_counts, find_metrics
from .engine import PLACEHOLDERS, Hit, Piece

Found = Iterator[tuple[Piece, Hit]]
FUNCTIONS: dict[str, Callable[[list[Piece], dict, object], Iterable[tuple[Piece, Hit]]]] = {}

HAN = PLACEHOLDERS["HAN"]
CN = PLACEHOLDERS["CN"]


def document(function):
    """A check that reads all the pieces at once (first mentions, one style within a list)."""
    FUNCTIONS[function.__name__] = function
    return function


def per_text(function):
    """A check of one text at a time: ``function(text, options) -> Hit…``."""
    def run(texts: list[Piece], options: dict, config) -> Found:
        for piece in texts:
            for hit in function(piece.text, options):
                yield piece, hit
    FUNCTIONS[function.__name__] = run
    return function


def chinese_numeral(number: int) -> str:
    """19 → 十九 (cn2an, imported when a finding needs it: it takes a third of a second)."""
    import cn2an

    return str(cn2an.an2cn(str(number)))


def _excerpt(text: str, start: int, length: int = 16) -> str:
    end = min(len(text), start + length)
    return text[start:end] + ("…" if end < len(text) else "")


# -- GB/T 15834-2011 punctuation ----------------------------------------------------------------

PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "〈": "〉", "【": "】", "「": "」", "『": "』", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
# an item's own number: 1） 2） (an opener is not missing there)
_ENUMERATOR = re.compile(r"(?:^|[；;。\s])[0-9a-zA-Z一二三四五六七八九十]{1,3}）")


@document
def balanced_marks(texts: list[Piece], options: dict, config) -> Found:
    """Quotation marks, brackets and book-title marks each closed by their own partner, in
    order (GB/T 15834 4.1, 4.9, 4.15). A quotation over several paragraphs opens each and
    closes only the last (4.1.3.4): an unclosed “ at the start of a paragraph that another
    follows is right."""
    present = {p.loc for p in texts}
    for piece in texts:
        text = piece.text
        enumerators = {m.end() - 1 for m in _ENUMERATOR.finditer(text)}
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch in PAIRS:
                stack.append(i)
            elif ch in CLOSERS:
                if stack and text[stack[-1]] == CLOSERS[ch]:
                    stack.pop()
                elif i in enumerators:
                    continue
                elif stack and not any(text[j] == CLOSERS[ch] for j in stack):  # 《……” : closed by another mark
                    j = stack.pop()
                    yield piece, Hit(j, i + 1, _excerpt(text[j:i + 1], 0, 24), "",
                                     f"“{text[j]}”由“{ch}”收尾，应为“{PAIRS[text[j]]}”")
                elif stack:  # crossed: 《……“……》……”
                    while text[stack[-1]] != CLOSERS[ch]:
                        j = stack.pop()
                        yield piece, Hit(j, j + 1, _excerpt(text, j), "",
                                         f"“{text[j]}”在“{ch}”之前没有配对的“{PAIRS[text[j]]}”，标号不能交叉")
                    stack.pop()
                else:
                    yield piece, Hit(i, i + 1, text[max(0, i - 12):i + 1], "", f"“{ch}”前面没有配对的“{CLOSERS[ch]}”")
        last = piece.loc[-1]
        goes_on = isinstance(last, int) and piece.loc[:-1] + (last + 1,) in present
        for j in stack:
            if text[j] == "“" and j == 0 and goes_on:
                continue  # a quotation that goes on in the next paragraph
            yield piece, Hit(j, j + 1, _excerpt(text, j, 20), "", f"“{text[j]}”没有配对的“{PAIRS[text[j]]}”")


def _book_titles(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, depth)`` of each 《…》 closed by its own 》 (an unclosed one is left to
    balanced_marks)."""
    stack: list[int] = []
    pairs = []
    for i, ch in enumerate(text):
        if ch == "《":
            stack.append(i)
        elif ch == "》" and stack:
            j = stack.pop()
            pairs.append((j, i + 1))
    return [(a, b, sum(1 for c, d in pairs if c < a and b < d)) for a, b in pairs]


@per_text
def nested_book_titles(text: str, options: dict) -> Iterator[Hit]:
    """A title inside a title takes 〈〉 (GB/T 15834 4.15.3): 《关于印发〈…〉的通知》."""
    for start, end, depth in _book_titles(text):
        if depth:
            inner = text[start:end]
            yield Hit(start, end, inner, "〈" + inner[1:-1] + "〉")


_TITLE_END = "，。、；：,.;:"


@per_text
def title_end(text: str, options: dict) -> Iterator[Hit]:
    """No mark at the end of a title or heading but ？！ and closing marks (GB/T 15834 5.1.3)."""
    stripped = text.rstrip()
    if stripped and stripped[-1] in _TITLE_END and not stripped.endswith("..."):
        start = max(0, len(stripped) - 8)
        yield Hit(len(stripped) - 1, len(stripped), stripped[start:], stripped[start:-1])


_HALF = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_HALF_MARK = re.compile(rf"(?<={HAN})[,;:!?]|[,;:!?](?=\s?{HAN})")
_HALF_PAREN = re.compile(rf"\(([^()]*{HAN}[^()]*)\)|(?<={HAN})\(([^()]*)\)")
_HALF_QUOTE = re.compile(rf'"([^"]*{HAN}[^"]*)"')
_HALF_STOP = re.compile(rf"(?<={HAN})\.(?=\s*$|\s*{HAN})")


@per_text
def half_width(text: str, options: dict) -> Iterator[Hit]:
    """Half-width , ; : ! ? ( ) " . in Chinese text take their full-width forms (GB/T 15834 3.1)."""
    for m in _HALF_MARK.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if m.group() == ":" and before.isdigit() and after.isdigit():
            continue  # 9:30
        yield Hit(m.start(), m.end(), text[max(0, m.start() - 4):m.end() + 2],
                  text[max(0, m.start() - 4):m.start()] + _HALF[m.group()] + text[m.end():m.end() + 2].lstrip())
    for m in _HALF_PAREN.finditer(text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        yield Hit(m.start(), m.end(), m.group(), f"（{inner}）")
    for m in _HALF_QUOTE.finditer(text):
        yield Hit(m.start(), m.end(), _excerpt(m.group(), 0, 20), f"“{m.group(1)}”")
    for m in _HALF_STOP.finditer(text):
        yield Hit(m.start(), m.end(), text[max(0, m.start() - 6):m.end()], text[max(0, m.start() - 6):m.start()] + "。")


# -- 规范表述: names, fixed phrases, leaders ------------------------------------------------------

_NUMBER = rf"(\d{{1,2}}|{CN}{{1,3}})"
_PLENUM = re.compile(rf"(党的|中共)?{_NUMBER}届(?:中央委员会第?)?{_NUMBER}中全会")
_COMMITTEE = re.compile(rf"{_NUMBER}届{_NUMBER}次(全委会|全体会议|全会|常委会)")
_CONGRESS = re.compile(r"第(\d{1,2})次(全国|全市|全省|全区|全县|市|省|区|县)?(会员)?(代表大会)")
_PARTY_CONGRESS = re.compile(r"(党的|中共)(\d{1,2})大|(?<![\d.])(\d{2})大(?=精神|报告|以来|代表|胜利|召开|期间|主题|部署|会议)")


@per_text
def congress_numerals(text: str, options: dict) -> Iterator[Hit]:
    """Plenums and congresses in Chinese numerals: 党的十九届五中全会, 五届八次全会,
    中国科协第十次全国代表大会, 党的二十大 (GB/T 15835 5.2.1: 概数、惯用语、固定名称)."""
    def cn(number: str) -> str:
        return chinese_numeral(int(number)) if number.isdigit() else number

    for m in _PLENUM.finditer(text):
        if not (m.group(2).isdigit() or m.group(3).isdigit()):
            continue
        yield Hit(m.start(), m.end(), m.group(), f"{m.group(1) or '党的'}{cn(m.group(2))}届{cn(m.group(3))}中全会")
    for m in _COMMITTEE.finditer(text):
        if not (m.group(1).isdigit() or m.group(2).isdigit()):
            continue
        yield Hit(m.start(), m.end(), m.group(), f"{cn(m.group(1))}届{cn(m.group(2))}次{m.group(3)}")
    for m in _CONGRESS.finditer(text):
        yield Hit(m.start(), m.end(), m.group(), f"第{cn(m.group(1))}次{m.group(2) or ''}{m.group(3) or ''}{m.group(4)}")
    for m in _PARTY_CONGRESS.finditer(text):
        number = int(m.group(2) or m.group(3))
        yield Hit(m.start(), m.end(), m.group(), f"{m.group(1) or '党的'}{chinese_numeral(number)}大")


_PARTY_NAME = re.compile(rf"(?:{CN}+届{CN}中全会|(?<![\d〇零一二三四五六七八九十]){CN}{{2,3}}大"
                         r"(?=精神|报告|以来|胜利|召开|期间|主题|部署|会议))")


@document
def party_prefix(texts: list[Piece], options: dict, config) -> Found:
    """The first mention of a party plenum or congress in the text says 党的 (or 中共)."""
    seen: set[str] = set()
    for piece in texts:
        for m in _PARTY_NAME.finditer(piece.text):
            name = m.group()
            if cn_to_int(name.split("届")[0].rstrip("大")) is None or name in seen:
                continue
            seen.add(name)
            before = piece.text[max(0, m.start() - 2):m.start()]
            if before not in ("党的", "中共") and piece.kind == "text":
                yield piece, Hit(m.start(), m.end(), name, "党的" + name)


@per_text
def fixed_phrases(text: str, options: dict) -> Iterator[Hit]:
    """Political phrases verbatim: no other wording (``wrong``) and their members in the
    official order (四个自信: 道路自信、理论自信、制度自信、文化自信)."""
    phrases = options.get("phrases", ())
    right_of = {wrong: phrase["phrase"] for phrase in phrases for wrong in phrase.get("wrong", ())}
    for start, end, wrong in _word_hits(text, tuple(right_of)):
        yield Hit(start, end, wrong, right_of[wrong])
    for phrase in phrases:
        members = phrase.get("members")
        if not members or members[0] not in text:
            continue
        spots = [(text.find(member), member) for member in members]
        if all(at >= 0 for at, _ in spots):
            order = [member for _, member in sorted(spots)]
            first, last = min(at for at, _ in spots), max(at + len(m) for at, m in spots)
            if order != list(members) and last - first <= sum(map(len, members)) + 2 * len(members):
                yield Hit(first, last, text[first:last], "、".join(members),
                          f"“{phrase['phrase']}”的内容及顺序是固定的")


@document
def first_mention(texts: list[Piece], options: dict, config) -> Found:
    """An organisation's full name before its short name (中国科学技术协会, then 中国科协).
    Titles and headings may use the short name; the association's own name printed on the
    document (its banner) counts as a mention."""
    names: dict[str, tuple[str, ...]] = {full: tuple(short) for full, short in options.get("names", {}).items()}
    names.update(getattr(config, "names", {}) or {})
    introduced: set[str] = set()
    reported: set[str] = set()
    for piece in texts:
        for full, shorts in names.items():
            at = piece.text.find(full)
            for short in shorts:
                if full in introduced or short in reported or piece.kind != "text":
                    continue
                spot = _find_outside(piece.text, short, full)
                if spot >= 0 and (at < 0 or spot < at):
                    reported.add(short)
                    yield piece, Hit(spot, spot + len(short), short, f"{full}（{short}）",
                                     f"首次出现时应使用全称“{full}”，之后可简称“{short}”")
            if at >= 0:
                introduced.add(full)


def _find_outside(text: str, short: str, full: str) -> int:
    """The first *short* in *text* that is not part of *full*."""
    start = 0
    while True:
        at = text.find(short, start)
        if at < 0:
            return -1
        if not any(text.startswith(full, at - k) for k in range(0, len(full)) if at - k >= 0):
            return at
        start = at + 1


_TITLE_WORD = re.compile(r"(?:党组|党委)?(?:副)?(?:书记|主席|部长|主任|院长|理事长|秘书长|局长|会长|市长|区长|县长"
                         r"|巡视员|调研员|校长)$")
_BEFORE_NAME = re.compile(r"[^，。；：、“”（）\s]{0,16}$")


def _same_title(written: str, title: str) -> bool:
    """副主席 is one of 党组副书记、常务副主席; 主席 is not 副主席."""
    return any(part.endswith(written) and ("副" in part) == ("副" in written) for part in title.split("、"))


@document
def leaders(texts: list[Piece], options: dict, config) -> Found:
    """Leaders with their current titles and in protocol order (the association's list)."""
    people = list(getattr(config, "leaders", ()) or ())
    if not people:
        return
    rank = {leader.name: i for i, leader in enumerate(people)}
    for piece in texts:
        if piece.kind == "short":
            continue
        firsts = []
        for leader in people:
            at = piece.text.find(leader.name)
            if at < 0:
                continue
            firsts.append((at, leader.name))
            for m in re.finditer(re.escape(leader.name), piece.text):
                context = _BEFORE_NAME.search(piece.text[:m.start()])
                said = context.group() if context else ""
                title = _TITLE_WORD.search(said)
                if title and not _same_title(title.group(), leader.title):
                    yield piece, Hit(m.start() - len(title.group()), m.end(), title.group() + leader.name,
                                     leader.title + leader.name, f"{leader.name}的现任职务是“{leader.title}”")
        named = [name for _, name in sorted(firsts)]
        if len(named) > 1 and named != sorted(named, key=rank.__getitem__):
            start = min(at for at, _ in firsts)
            end = max(at + len(name) for at, name in firsts)
            yield piece, Hit(start, end, "、".join(named), "、".join(sorted(named, key=rank.__getitem__)),
                             "领导同志的排序应与本单位的排序一致")


@functools.lru_cache(maxsize=16)
def _automaton(words: tuple[str, ...]):
    """An Aho–Corasick automaton of *words* (pyahocorasick): one pass over a text finds all."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _word_hits(text: str, words: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """The longest of overlapping matches, left to right."""
    if not words:
        return
    matches = sorted(((end - len(word) + 1, end + 1, word) for end, word in _automaton(words).iter(text)),
                     key=lambda m: (m[0], -len(m[2])))
    taken = -1
    for start, end, word in matches:
        if start >= taken:
            taken = end
            yield start, end, word


@document
def banned_words(texts: list[Piece], options: dict, config) -> Found:
    """The association's banned words (``banned:`` in checks.yaml), anywhere in the text."""
    words = tuple(getattr(config, "banned", ()) or ()) + tuple(options.get("words", ()))
    for piece in texts:
        for start, end, word in _word_hits(piece.text, words):
            yield piece, Hit(start, end, word, "", f"“{word}”在本单位的禁用词表中，不能刊发")


@document
def preferred_words(texts: list[Piece], options: dict, config) -> Found:
    """The association's own wording (``prefer:`` in checks.yaml): 旧说法 → 新说法."""
    prefer = {**options.get("prefer", {}), **(getattr(config, "prefer", {}) or {})}
    words = tuple(sorted(prefer))
    for piece in texts:
        for start, end, word in _word_hits(piece.text, words):
            if piece.text.startswith(prefer[word], start):
                continue  # the right form contains the wrong one
            yield piece, Hit(start, end, word, prefer[word])


# -- GB/T 15835-2011 numerals -----------------------------------------------------------------

def _round(count: str) -> bool:
    """十个, 百场, 千人: a round count of one numeral reads as a phrase, not a measurement."""
    numeral = re.match(f"{CN}*", count.lstrip("超过逾近约不足到将突破"))
    return numeral is None or len(numeral.group()) < 2


@per_text
def measure_numerals(text: str, options: dict) -> Iterator[Hit]:
    """A counted quantity of ten or more in Arabic figures (GB/T 15835 5.1.1); 概数 (二十多,
    十几) and names (十件大事) stay in Chinese."""
    for m in find_chinese_counts(text):
        if m.qualifier or m.value < options.get("from", 10) or _round(m.text):
            continue
        yield Hit(m.start, m.end, m.text, f"{m.value}{m.magnitude}{m.unit}")


_ORDINAL = re.compile(rf"第(\d+|{CN}+)(届|次|批|期|名|位|轮|季|号|章|条|款|部分|个)"
                      r"(?!(?:全国|全市|全省|全区)?(?:会员)?代表大会|全会|全体会议|中全会)")


@document
def numeral_style(texts: list[Piece], options: dict, config) -> Found:
    """One style within a list or an article (GB/T 15835 5.1.2 同类别同形式): 第3届 and 第五届,
    12项 and 十三项 side by side; the style used less is marked. Ordinals and counts under ten
    in Chinese beside larger ones in Arabic figures (第二届 … 第22届) follow the common
    convention and pass."""
    seen: dict[tuple[str, str], list[tuple[Piece, int, int, str, int, str]]] = defaultdict(list)
    for piece in texts:
        if not piece.group:
            continue
        for m in _ORDINAL.finditer(piece.text):
            number = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
            if number is not None:
                seen[(piece.group, "第" + m.group(2))].append(
                    (piece, m.start(), m.end(), "arabic" if m.group(1).isdigit() else "chinese", number, m.group(2)))
        for count in find_chinese_counts(piece.text):
            if count.value >= 10 and not count.qualifier and not _round(count.text):
                seen[(piece.group, count.unit)].append(
                    (piece, count.start, count.end, "chinese", int(count.value), count.magnitude + count.unit))
        for figure in find_metrics(piece.text):
            if figure.value >= 10 and figure.unit and not figure.magnitude and not figure.qualifier:
                seen[(piece.group, figure.unit)].append(
                    (piece, figure.start, figure.end, "arabic", int(figure.value), figure.unit))
    for (_, what), found in seen.items():
        scripts = Counter(script for _, _, _, script, _, _ in found)
        if len(scripts) < 2 or all((script == "chinese") == (number < 10) for _, _, _, script, number, _ in found):
            continue
        minority = "chinese" if scripts["chinese"] <= scripts["arabic"] else "arabic"
        said = "阿拉伯数字" if minority == "chinese" else "汉字数字"
        for piece, start, end, script, number, unit in found:
            if script != minority:
                continue
            other = str(number) if script == "chinese" else chinese_numeral(number)
            suggestion = f"第{other}{unit}" if what.startswith("第") else f"{other}{unit}"
            yield piece, Hit(start, end, piece.text[start:end], suggestion,
                             f"同一列表（文章）中的“{what}”多用{said}，体例应一致")


# -- privacy -------------------------------------------------------------------------------------

_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")


def id_checksum_ok(number: str) -> bool:
    """A valid 18-character 居民身份证号码: birth date and check character (GB 11643-1999,
    ISO 7064 MOD 11-2), by python-stdnum (imported when a text holds such a number)."""
    from stdnum.cn import ric

    return bool(ric.is_valid(number))


@per_text
def id_numbers(text: str, options: dict) -> Iterator[Hit]:
    """A 居民身份证号码 (with a valid check character) in published text."""
    for m in _ID.finditer(text):
        if id_checksum_ok(m.group()):
            yield Hit(m.start(), m.end(), m.group(), m.group()[:6] + "*" * 8 + m.group()[-4:])


_CARD = re.compile(r"(?<![\d-])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![\d-])")


def luhn_ok(digits: str) -> bool:
    """The Luhn check of a card number (python-stdnum)."""
    from stdnum import luhn

    return bool(luhn.is_valid(digits))


@per_text
def bank_cards(text: str, options: dict) -> Iterator[Hit]:
    """A bank card number (16–19 digits passing the Luhn check, not a 身份证号)."""
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not (len(digits) == 18 and _ID.fullmatch(digits)):
            yield Hit(m.start(), m.end(), m.group(), "**** **** **** " + digits[-4:])
