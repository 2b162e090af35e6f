"""Repair (or flag) what text extraction does to a document, and say where.

The artefacts handled, each reported as a :class:`Finding` with file, line and
place:

* mid-sentence line breaks of narrow columns (lines are joined; real paragraph
  ends, which close a sentence, are kept);
* blank-line page or column breaks inside a sentence (the parts are joined);
* text inserted into a sentence from elsewhere on the page (an image's text, a
  photo caption, a headline, a byline): moved out, and the sentence joined;
* runs of doubled characters (``20212021年…``) from fake-bold PDF text;
* a URL split over two lines;
* half-width punctuation in Chinese text, spaces between Han and digits;
* a stray English word (``工业和信息化部 and 重庆市政府``);
* a paragraph duplicated from another item (removed where the other item keeps
  it and this one has text of its own, flagged otherwise);
* unbalanced quotation marks or book-title marks (flagged, never guessed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..typography import HAN_RANGES
from .sources import Line

SENTENCE_END = "。！？!?；…"
CLOSERS = "”’）》」』】〉)"
OPENERS = "“‘（《「『【〈("
URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"

# Lower-case English words that extraction sometimes leaves between Chinese words.
ENGLISH_WORDS = {"and": "和", "or": "或", "with": "与", "of": "的", "to": "至"}


@dataclass
class Finding:
    file: str
    line: int | None
    where: str
    message: str
    action: str = "repaired"   # or "flagged"

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {self.message} ({self.action})"


@dataclass
class Findings:
    file: str
    items: list[Finding] = field(default_factory=list)

    def add(self, line: int | None, where: str, message: str, action: str = "repaired") -> None:
        self.items.append(Finding(self.file, line, where, message, action))

    # Repairs made all over a document are reported once, with every line they touched.
    ROUTINE = ("half-width punctuation replaced by full-width",
               "spaces between Han and Latin/digits removed (the renderer spaces them)",
               "spaces next to full-width punctuation removed")

    def summarized(self) -> list[Finding]:
        out: list[Finding] = []
        for message in self.ROUTINE:
            same = [f for f in self.items if f.message == message]
            if same:
                lines = sorted({f.line for f in same if f.line})
                places = list(dict.fromkeys(f.where for f in same))
                out.append(Finding(self.file, lines[0] if lines else None, f"{len(same)} paragraphs",
                                   f"{message}: {', '.join(places)}; lines {', '.join(map(str, lines))}"))
        return [f for f in self.items if f.message not in self.ROUTINE] + out


@dataclass
class Block:
    """Consecutive non-blank lines; ``no`` is the line number of the first. Its text is
    joined once (the lines are not changed after a block is made)."""

    lines: list[Line]
    joined: str | None = field(default=None, repr=False, compare=False)

    @property
    def no(self) -> int:
        return self.lines[0].no

    @property
    def text(self) -> str:
        if self.joined is None:
            self.joined = join_lines([line.text for line in self.lines])
        return self.joined

    def __len__(self) -> int:
        return len(self.text)


def blocks_of(lines: list[Line]) -> list[Block]:
    out: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if line.text.strip():
            current.append(Line(line.no, line.text.strip()))
        elif current:
            out.append(Block(current))
            current = []
    if current:
        out.append(Block(current))
    return out


#: how far back a URL may start (the check looks at that much of the text before a join)
URL_REACH = 2048


def join_lines(parts: list[str]) -> str:
    """Join the lines of a narrow column: no separator between Chinese text,
    nothing inside a URL, one space between two English words. Linear in the length
    (each join looks at a bounded tail of what came before)."""
    out: list[str] = []
    tail = ""
    for part in parts:
        if tail and tail[-1:].isascii() and tail[-1:].isalpha() and part[:1].isascii() and part[:1].isalpha() \
                and not re.search(r"https?://\S*$", tail):
            out.append(" ")
            tail += " "
        out.append(part)
        tail = (tail + part)[-URL_REACH:]
    return "".join(out)


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if not text:
        return True
    if text[-1] in SENTENCE_END:
        return True
    # 。” or 。） closes a sentence too
    stripped = text.rstrip(CLOSERS)
    return stripped != text and bool(stripped) and stripped[-1] in SENTENCE_END


def first_mark(text: str) -> str | None:
    """'open' or 'close': which kind of paired punctuation comes first in *text*."""
    for ch in text:
        if ch in OPENERS:
            return "open"
        if ch in CLOSERS:
            return "close"
    return None


def undouble(text: str) -> str | None:
    """``20212021年…年…`` → ``2021年…`` when the whole line is a run of doubled chunks, else None.

    Fake-bold PDF text draws every chunk twice; a line of real text almost never
    splits completely into chunks that each repeat at once.
    """
    text = text.strip()
    n = len(text)
    if n < 4:
        return None
    best: list[str | None] = [None] * (n + 1)  # best[i]: un-doubled text of text[:i]
    best[0] = ""
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for k in range(1, (n - i) // 2 + 1):
            if text[i:i + k] == text[i + k:i + 2 * k]:
                j = i + 2 * k
                candidate = prefix + text[i:i + k]
                known = best[j]
                if known is None or len(candidate) < len(known):
                    best[j] = candidate
    result = best[n]
    return result if result and len(result) * 2 == n else None


def normalize(text: str, findings: Findings, line: int | None, where: str) -> str:
    """Full-width punctuation, no spaces between Han and digits, stray English words."""
    original = text
    # half-width punctuation next to Chinese text (not inside numbers or URLs)
    text = re.sub(rf"(?<=[{HAN_RANGES}”’）》])\s*,\s*|\s*,\s*(?=[{HAN_RANGES}“‘（《])", "，", text)
    text = re.sub(rf"(?<=[{HAN_RANGES}”’）》])\s*;\s*|\s*;\s*(?=[{HAN_RANGES}“‘（《])", "；", text)
    text = re.sub(rf"(?<=[{HAN_RANGES}”’）》])\s*:\s*(?!//)|\s*:\s*(?=[{HAN_RANGES}“‘（《])", "：", text)
    text = re.sub(rf"(?<=[{HAN_RANGES}])\s*\?", "？", text)
    text = re.sub(r"\(([^()]*)\)", _full_width_parens, text)
    text = re.sub(r"(?<=%)\s*,\s*(?=[0-9])", "，", text)  # 前5%,14种 → 前5%，14种 (never 1,000)
    if text != original:
        findings.add(line, where, "half-width punctuation replaced by full-width")
    for match in re.finditer(rf"(?<=[{HAN_RANGES}])\s+([a-z]{{2,}})\s+(?=[{HAN_RANGES}])", text):
        word = match.group(1)
        if word in ENGLISH_WORDS:
            findings.add(line, where, f"stray English word {word!r} replaced by {ENGLISH_WORDS[word]}")
        else:
            findings.add(line, where, f"stray English word {word!r} between Chinese words", "flagged")
    text = re.sub(rf"(?<=[{HAN_RANGES}])\s+([a-z]{{2,}})\s+(?=[{HAN_RANGES}])",
                  lambda m: ENGLISH_WORDS.get(m.group(1), m.group(0)), text)
    spaced = text
    text = re.sub(rf"(?<=[{HAN_RANGES}])[ \u3000]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])[ \u3000]+(?=[{HAN_RANGES}])", "", text)
    if text != spaced:
        findings.add(line, where, "spaces between Han and Latin/digits removed (the renderer spaces them)")
    spaced = text
    # a full-width mark carries its own space: "本报讯 （记者", "（区） 15个"
    text = re.sub(r"[ \u3000]+(?=[（《“‘【「])|(?<=[）》”’】」，。；：！？、])[ \u3000]+", "", text)
    if text != spaced:
        findings.add(line, where, "spaces next to full-width punctuation removed")
    return text


def _full_width_parens(match: re.Match) -> str:
    """(…) → （…） when the parentheses are in Chinese text."""
    text = match.string
    around = text[max(match.start() - 1, 0):match.start()] + match.group(1) + text[match.end():match.end() + 1]
    return f"（{match.group(1)}）" if re.search(f"[{HAN_RANGES}]", around) else match.group(0)


def strip_bold(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove ``**…**`` marks; return the text and the spans that were marked."""
    spans = []
    out = ""
    pos = 0
    for match in re.finditer(r"\*\*(.+?)\*\*", text):
        out += text[pos:match.start()]
        start = len(out)
        out += match.group(1)
        spans.append((start, len(out)))
        pos = match.end()
    out += text[pos:]
    return out, spans


def check_pairs(text: str, findings: Findings, line: int | None, where: str) -> None:
    """Flag unbalanced “” and 《》 (an extraction or an original typo: never guessed)."""
    for open_, close, name in (("“", "”", "quotation marks"), ("《", "》", "book-title marks")):
        if text.count(open_) != text.count(close):
            findings.add(line, where, f"unbalanced {name} {open_}{close} "
                         f"({text.count(open_)} opening, {text.count(close)} closing); check the original",
                         "flagged")


# -- joining paragraphs split by page breaks, moving inserted text out ----------------------

PHOTO_CREDIT = re.compile(r"(记者|通讯员|摄影)\s*\S{2,4}\s*摄$|摄$")
BYLINE = re.compile(rf"^(?:本报|[{HAN_RANGES}]{{2,6}}报)?[{HAN_RANGES}]{{0,6}}记者\s*[{HAN_RANGES}]{{2,4}}$")


def is_insert(block: Block) -> bool:
    """Could *block* be text set apart on the page (caption, headline, byline, image text)?"""
    text = block.text
    if PHOTO_CREDIT.search(block.lines[-1].text) or BYLINE.match(text):
        return True
    if any(ch in text for ch in "。！？"):
        return False  # it ends (or holds) a sentence: the continuation, not an insert
    return len(block.lines) == 1 and len(text) <= 40 and first_mark(text) != "close"


def merge_broken(blocks: list[Block], findings: Findings, where_of=lambda block: "text",
                 stop=lambda block: False) -> tuple[list[Block], list[tuple[int, Block]]]:
    """Join blocks that a page or column break split inside a sentence.

    Returns the merged blocks and the blocks moved out of a sentence (inserted
    text), each with the index of the merged block it was found in. *stop* marks
    blocks that never join (titles, labels).
    """
    out: list[Block] = []
    moved: list[tuple[int, Block]] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        lines = list(block.lines)  # the joined block's lines, and its text in parts (linear)
        parts, tail = [block.text], block.text[-URL_REACH:]
        while not stop(block) and not ends_sentence(tail) and i < len(blocks):
            # find the continuation: skip inserted text up to 4 blocks ahead
            j = i
            skipped = []
            while j < len(blocks) and j < i + 4 and not stop(blocks[j]) and is_insert(blocks[j]) \
                    and first_mark(blocks[j].text) != "close" and _looks_inserted(blocks, j):
                skipped.append(blocks[j])
                j += 1
            if j >= len(blocks) or stop(blocks[j]):
                break
            nxt = blocks[j]
            where = where_of(block)
            if skipped:
                texts = " / ".join(b.text for b in skipped)
                findings.add(skipped[0].no, where, f"text inserted into a sentence ({texts}) moved out, "
                             "the sentence joined")
                moved.extend((len(out), b) for b in skipped)
            else:
                findings.add(nxt.no, where, "page or column break inside a sentence joined "
                             f"(…{tail[-6:]} | {nxt.text[:6]}…)")
            joined = join_lines([tail, nxt.text])[len(tail):]  # the space a join of two words takes
            lines.extend(nxt.lines)
            parts.append(joined)
            tail = (tail + joined)[-URL_REACH:]
            i = j + 1
        out.append(block if len(parts) == 1 else Block(lines, "".join(parts)))
    return out, moved


def _looks_inserted(blocks: list[Block], j: int) -> bool:
    """The short block ``blocks[j]`` is inserted text only if a real continuation follows it."""
    for k in range(j + 1, min(j + 4, len(blocks))):
        following = blocks[k]
        if not is_insert(following) or first_mark(following.text) == "close":
            return True
    return False


# -- duplicated paragraphs ------------------------------------------------------------------

def remove_duplicates(owners: list[tuple[str, list[str], list[int]]], findings: Findings,
                      min_chars: int = 40) -> None:
    """*owners* are ``(where, paragraphs, line numbers)``; edits the paragraph lists in place.

    A paragraph that appears in two places is removed from the place that has
    other text of its own; when neither has, both are kept and flagged.
    """
    seen: dict[str, int] = {}
    for index, (where, paragraphs, lines) in enumerate(owners):
        for p, text in enumerate(paragraphs):
            key = re.sub(r"\s", "", text)
            if len(key) < min_chars:
                continue
            if key not in seen:
                seen[key] = index
                continue
            first = seen[key]
            other_where, other_paragraphs, other_lines = owners[first]
            if len(paragraphs) > 1:
                victim, victim_where, line = index, where, lines[p]
            elif len(other_paragraphs) > 1:
                victim, victim_where, line = first, other_where, other_lines[other_paragraphs.index(text)]
            else:
                findings.add(lines[p], where, f"same text as {other_where}; one of them is probably "
                             "an extraction error — check the original", "flagged")
                continue
            victim_paragraphs = owners[victim][1]
            k = [re.sub(r"\s", "", t) for t in victim_paragraphs].index(key)
            del victim_paragraphs[k]
            del owners[victim][2][k]
            other = other_where if victim == index else where
            findings.add(line, victim_where, f"paragraph duplicated from {other} ({text[:14]}…) removed")
            seen[key] = index if victim == first else first


SENTENCE_SPLIT = re.compile(r"(?<=[。！？])")


def flag_repeated_sentences(owners: list[tuple[str, list[str], list[int]]], findings: Findings,
                            min_chars: int = 30) -> None:
    """Flag a long sentence that stands in two places (whole duplicated paragraphs are
    handled by :func:`remove_duplicates`; which copy of a sentence is wrong cannot be told)."""
    seen: dict[str, str] = {}
    for where, paragraphs, lines in owners:
        for text, line in zip(paragraphs, lines):
            # split after each end mark (linear; a findall of [^。！？]+[。！？] is quadratic on a
            # long text without one)
            for sentence in SENTENCE_SPLIT.split(text):
                if len(sentence) < 2 or sentence[-1] not in "。！？":
                    continue
                key = re.sub(r"\s", "", sentence)
                if len(key) < min_chars:
                    continue
                if key in seen and seen[key] != where:
                    findings.add(line, where, f"sentence also in {seen[key]} ({sentence[:14]}…); one copy is "
                                 "probably an extraction error — check the original", "flagged")
                seen.setdefault(key, where)


def unpin(items: list[dict], findings: Findings, name: str) -> None:
    """Item numbers follow the order of the list: the numbers the document printed are not
    kept (a pinned number is the user's decision, not extraction's). Numbers that did not
    follow their order are said."""
    printed = [item.pop("number", None) for item in items]
    positions = list(range(1, len(items) + 1))
    if any(n is not None for n in printed) and printed != positions:
        shown = " ".join("?" if n is None else str(n) for n in printed[:20]) + (" …" if len(printed) > 20 else "")
        findings.add(None, name or "list", f"the document numbered its items {shown}; they are numbered by "
                     "their order here (1, 2, 3 …) — pin a number in the data (number:) only where it must "
                     "stay", "flagged")
