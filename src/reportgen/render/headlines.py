"""Headlines that wrap between phrases, in balanced lines.

A headline — a banner title, a list heading, an item title, an article's headline, a
review's section headline — goes through the ``headline`` filter: its text is cut into
phrases by jieba's dictionary (a closing mark stays with the phrase before it, an opening
mark with the phrase after it, a number with its unit), each phrase set in a
``<span class="w">`` that does not wrap inside (``white-space: nowrap``), so a line can only
break between phrases.

WeasyPrint fills lines greedily: a two-line headline gets a full first line and a short
second one ("…高峰论坛" / "坛" before, "…高峰" / "论坛" with phrases). :func:`balance` reads
the first layout — each phrase's width as laid out, each line's measure — and chooses the
breaks that give the same number of lines with the most even lengths, preferring a break
after punctuation or between two quoted names, never leaving one or two characters alone
on the last line; :func:`apply` writes them into the HTML as ``<br>``. What is read is a
small layout of the headlines alone (:func:`measuring_html`: the page without its body
paragraphs), so a document is laid out in full once.
"""
from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from ..typography import HAN_LATIN_GAP, gap_positions, halt_positions, is_han, segmenter, words

OPENING = "“‘（《【「『〈"
CLOSING = "，。、；：！？”’）》】」』〉…·"
#: what a break right after it is worth (in characters of imbalance it may cost)
BREAK_BONUS = {"\u3000": 3.0, "，": 3.0, "、": 2.5, "：": 3.0, "；": 3.0, "”": 2.0, "》": 2.0, "·": 2.0, "）": 1.5}


def prepare() -> None:
    """Load the dictionary before a render's process forks, once."""
    segmenter()


@functools.lru_cache(maxsize=4096)
def phrases(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each unbreakable phrase of *text*."""
    bounds = {0, len(text)}
    position = 0
    for word in words(text):
        position += len(word)
        bounds.add(position)
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after in CLOSING or before in OPENING:          # marks stay with their words
            bounds.discard(i)
        elif before in "0123456789%" and is_han(after):   # a number with its unit
            bounds.discard(i)
        elif before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            bounds.discard(i)
    cuts = sorted(bounds)
    return tuple(zip(cuts, cuts[1:]))


def headline(text: str, web: bool = False) -> Markup:
    """The headline filter: escaped, Han–Latin gaps and half-width marks as in ``plain``
    (none of either for screens, *web*: phone fonts and the 公众号 editor do not keep them),
    one no-wrap span per phrase."""
    text = str(text)
    gaps, halves = (set(), set()) if web else (gap_positions(text), halt_positions(text))
    out = ['<span class="hl">']
    for start, end in phrases(text):
        if start and text[start - 1] in CLOSING and text[start] in OPENING:
            # ”“ 》《: Unicode forbids a break between two quotation marks (both class QU),
            # which a headline of two quoted names needs; a zero-width space allows it
            out.append("\u200b")
        out.append('<span class="w">')
        for i in range(start, end):
            if i in gaps and i != start:
                out.append(HAN_LATIN_GAP)
            ch = str(escape(text[i]))
            out.append(f'<span class="halt">{ch}</span>' if i in halves else ch)
        if end in gaps:
            out.append(HAN_LATIN_GAP)  # the gap before the next phrase ends this one
        out.append("</span>")
    out.append("</span><!--/hl-->")
    return Markup("".join(out))


# -- balancing ------------------------------------------------------------------------------------

def _boxes_of(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes_of(child)


def _text_of(box) -> str:
    return "".join(getattr(b, "text", "") or "" for b in _boxes_of(box))


def balance(document, root) -> dict[int, list[int]]:
    """For each headline (by its order in *root*, the parsed HTML) laid out in more than
    one line, the phrase indexes after which to break instead — or nothing when the
    greedy lines are already the balanced ones."""
    order = {el: i for i, el in enumerate(e for e in root.iter() if "hl" in (e.get("class") or "").split())}
    found: dict[int, dict] = {}
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)  # WeasyPrint's laid-out tree (as of 70)
        if page_box is None:
            return {}
        for block in _boxes_of(page_box):
          for box in getattr(block, "children", ()):
            if type(box).__name__ != "LineBox":
                continue
            for child in _boxes_of(box):
                element = getattr(child, "element", None)
                if element in order and getattr(child, "element_tag", "") == "span":
                    entry = found.setdefault(order[element], {"lines": [], "widths": []})
                    words = [w for w in child.children if "w" in (getattr(w, "element", None) is not None
                                                                 and (w.element.get("class") or "").split() or [])]
                    if not words:
                        continue
                    if block.style["text_align_all"] == "justify":
                        continue  # a heading set as text (公文's （一）…): it fills its lines
                    centred = block.style["text_align_all"] in ("center", "right", "end")
                    offset = 0.0 if centred else words[0].position_x - box.position_x
                    entry["lines"].append((offset, block.width))
                    entry["widths"].extend((w.width, _text_of(w)) for w in words)
                    entry["per_line"] = entry.get("per_line", []) + [len(words)]
    decisions = {}
    for index, entry in found.items():
        if len(entry["lines"]) < 2:
            continue
        chosen = _best_breaks(entry["widths"], entry["lines"])
        greedy = _greedy_breaks(entry)
        if chosen is not None and chosen != greedy:
            decisions[index] = chosen
    return decisions


def _greedy_breaks(entry) -> list[int]:
    """The breaks WeasyPrint made (after which phrase each line ended)."""
    breaks, total = [], 0
    for count in entry.get("per_line", [])[:-1]:
        total += count
        breaks.append(total - 1)
    return breaks


def _best_breaks(widths: list[tuple[float, str]], lines: list[tuple[float, float]]) -> list[int] | None:
    """Breaks (phrase indexes, after which a line ends) in the fewest lines the measure
    allows, as even as they can be."""
    measure = max(m for _, m in lines)
    # what each line can hold: the measure less what stands before its text (an item's number)
    offsets = [offset for offset, _ in lines]
    prefix = [0.0]
    for width, _ in widths:
        prefix.append(prefix[-1] + width)
    size = max(prefix[-1] / max(sum(len(t) for _, t in widths), 1), 1.0)

    for n in range(max(1, int(prefix[-1] // measure)), len(lines) + 2):  # the fewest lines first
        capacity = [measure - (offsets[k] if k < len(offsets) else offsets[-1]) + 0.5 for k in range(n)]
        found = _even(widths, prefix, capacity, size)
        if found is not None:
            return found
    return None


def lines_of(text: str, width_of, measure: float, max_lines: int = 3) -> list[str]:
    """*text* set as a headline in lines no wider than *measure* (``width_of(s)`` measures a
    string): broken between phrases, as even as they can be, in the fewest lines — what the
    PDF does, for a picture (the 公众号 cover). Falls back to one line a phrase at a time."""
    pieces = [text[a:b] for a, b in phrases(text)]
    widths = [(width_of(piece), piece) for piece in pieces]
    found = _best_breaks(widths, [(0.0, measure)] * max_lines)
    if found is None:
        found = list(range(len(pieces) - 1))
    out, start = [], 0
    for end in found + [len(pieces) - 1]:
        out.append("".join(pieces[start:end + 1]))
        start = end + 1
    return [line for line in out if line]


def _even(widths, prefix, capacity, size) -> list[int] | None:
    n, count = len(capacity), len(widths)

    @functools.lru_cache(maxsize=None)
    def best(start: int, line: int) -> tuple[float, tuple[int, ...]] | None:
        if line == n - 1:
            width = prefix[count] - prefix[start]
            chars = sum(len(re.sub(r"[\s\u2005]", "", t)) for _, t in widths[start:])
            if width > capacity[line] or chars < 3 and count - start < count:
                return None
            return (0.0, ())
        options = []
        for end in range(start + 1, count):
            width = prefix[end] - prefix[start]
            if width > capacity[line]:
                break
            rest = best(end, line + 1)
            if rest is None:
                continue
            last_char = widths[end - 1][1].rstrip("\u2005")[-1:]
            bonus = BREAK_BONUS.get(last_char, 0.0) * size  # in points
            options.append((rest[0], width, bonus, (end - 1,) + rest[1]))
        if not options:
            return None
        # even lines: the squared difference between this line and the average of the rest
        scored = []
        average = prefix[count] / n
        for rest_cost, width, bonus, breaks in options:
            scored.append(((width - average) ** 2 + rest_cost - bonus ** 2, breaks))
        return min(scored)

    result = best(0, 0)
    return list(result[1]) if result else None


_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.S)
#: columns filled in order in the measuring layout: WeasyPrint balancing nearly empty columns
#: takes seconds, and the order changes no column's width
_FILL_IN_ORDER = "<style>* { column-fill: auto !important; }</style>"


def measuring_html(html: str) -> str:
    """*html* with only what a headline's measure depends on: every paragraph that holds no
    headline dropped (a paragraph holds no block, so nothing that contains a headline goes),
    columns filled in order. Each headline keeps its box, its width and what stands before it
    on its line (an item's number), so :func:`balance` reads what the full layout would give."""
    kept = _PARAGRAPH.sub(lambda m: m.group(0) if 'class="hl"' in m.group(0) else "", html)
    head = kept.find("</head>")
    return kept[:head] + _FILL_IN_ORDER + kept[head:] if head >= 0 else _FILL_IN_ORDER + kept


PHRASE = re.compile(r'(<span class="w">(?:[^<]|<span class="halt">[^<]*</span>)*</span>)')


def apply(html: str, decisions: dict[int, list[int]]) -> str:
    """*html* with a ``<br>`` after the chosen phrases of each headline."""
    if not decisions:
        return html
    parts = re.split(r'(<span class="hl">)', html)
    out, index = [parts[0]], -1
    for piece in parts[1:]:
        if piece == '<span class="hl">':
            index += 1
            out.append(piece)
            continue
        if index in decisions:
            head, sep, tail = piece.partition("<!--/hl-->")  # the headline's own end
            words = PHRASE.split(head)  # text between phrases, phrase, text between, …
            for k, position in enumerate(range(1, len(words), 2)):
                if k in decisions[index]:
                    words[position] += '<br class="hb">'
            piece = "".join(words) + sep + tail
        out.append(piece)
    return "".join(out)
