"""The document as a tree of numbered runs: lines into paragraphs, a run-on paragraph cut
at its embedded numbers, each paragraph's list marker (:mod:`.numbering`) placing it in a run
(one numbering style counted from one), lower-ranked styles nested (（一） under 一、, ① under 1.),
lists written inside a paragraph (分别是：A；B；C) made runs too. :mod:`.generic` reads the tree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..typography import HAN_RANGES
from .chrome import CHROME, Para, is_meta
from .clean import Findings, blocks_of, ends_sentence
from .numbering import Marker, inline_items, marker
from .sources import Line

#: numbering styles from the outermost inwards
RANK = {"cn": 1, "cn-paren": 2, "ordinal": 2, "num": 3, "num-paren": 4, "circled": 5}
TEN = re.compile(r"十[大件项項]|[0-9]{1,2}\s*[项項件个個位名部大]|榜")


# -- 1. paragraphs ----------------------------------------------------------------------------

def paragraphs(lines: list[Line]) -> list[Para]:
    """Blank lines always part paragraphs; inside a block a line break parts them unless
    the line above runs to the column's full width mid-sentence (a narrow column)."""
    out: list[Para] = []
    for block in blocks_of(lines):
        full = max(len(line.text) for line in block.lines)
        current = Para(block.lines[0].no, block.lines[0].text)
        previous = block.lines[0].text
        for line in block.lines[1:]:
            wrapped = (not ends_sentence(previous) and len(previous) >= max(12, 0.9 * full)
                       and not is_meta(previous) and not CHROME.search(previous)
                       and marker(line.text) is None and not previous.endswith(("：", ":"))
                       and not (marker(previous) is not None and len(previous) < 30))
            if wrapped:
                joiner = " " if re.search(r"[A-Za-z]$", current.text) and re.match(r"[A-Za-z]", line.text) else ""
                current = Para(current.no, current.text + joiner + line.text)
            else:
                out.append(current)
                current = Para(line.no, line.text)
            previous = line.text
        out.append(current)
    return [piece for para in out for piece in split_run_on(para)]


RUN_ON = re.compile(r"(?<=[。！？；：:])\s*"
                    r"(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|[0-9]{1,2}[、.．](?![0-9]))")


def split_run_on(para: Para) -> list[Para]:
    """A page that lost its line breaks runs the numbered parts into one paragraph
    ("…成效。一、科普服务稳步提升1、巩固成果。…"): split it where a sentence ends and a
    numbering that counts on (1、 2、 or 一、 二、) begins."""
    if len(para.text) < 120:
        return [para]
    points: dict[str, list[tuple[int, int]]] = {}
    # a first sub-point may follow its heading with no mark between: "…稳步提升1、巩固…"
    firsts = re.finditer(rf"(?<=[{HAN_RANGES}])(?=(?:1|[（(]一[)）])[、.．](?![0-9]))", para.text)
    for match in sorted([*RUN_ON.finditer(para.text), *firsts], key=lambda m: m.end()):
        found = marker(para.text[match.end():])
        if found is not None and found.number:
            points.setdefault(found.style, []).append((match.end(), found.number))
    cuts: set[int] = set()
    for places in points.values():
        counted = [places[0]] if places[0][1] in (1, 2) else []
        for position, number in places[1:]:
            if counted and number == counted[-1][1] + 1:
                counted.append((position, number))
        if len(counted) >= 2:
            cuts.update(position for position, _ in counted)
    if not cuts:
        return [para]
    bounds = [0, *sorted(cuts), len(para.text)]
    return [Para(para.no, para.text[a:b].strip()) for a, b in zip(bounds, bounds[1:]) if para.text[a:b].strip()]


# -- 4. the tree of numbered runs ---------------------------------------------------------------

@dataclass
class Node:
    no: int
    mark: Marker | None
    title: str
    body: list = field(default_factory=list)   # Para or Run, in order


@dataclass
class Run:
    style: str
    nodes: list[Node] = field(default_factory=list)
    lead: list[Para] = field(default_factory=list)   # text that introduced it (for its name)
    before: str = ""                                  # the paragraph before it, when no lead

    @property
    def last(self) -> int:
        return self.nodes[-1].mark.number if self.nodes and self.nodes[-1].mark else 0


def build_tree(paras: list[Para], findings: Findings) -> Node:
    root = Node(0, None, "")
    stack: list[tuple[Run, Node]] = []   # open runs and the node each belongs to
    inline_count = 0

    def current() -> Node:
        return stack[-1][0].nodes[-1] if stack else root

    def start_run(style: str, parent: Node, previous: Run | None = None) -> Run:
        run = Run(style)
        # a short line, or a line ending in ：, just above the run introduces it
        while parent.body and isinstance(parent.body[-1], Para) and _is_lead(parent.body[-1].text):
            run.lead.insert(0, parent.body[-1])
            if len(run.lead) >= 2:
                break
            break
        if not run.lead and parent.body and isinstance(parent.body[-1], Para):
            run.before = parent.body[-1].text[-60:]  # "…现将全年十件大事公布如下。"
        if not run.lead and previous is not None:
            # the lead may sit at the end of the previous item's body (十大亮点 after 十件大事)
            last = previous.nodes[-1]
            if last.body and isinstance(last.body[-1], Para) and _is_lead(last.body[-1].text):
                moved = last.body.pop()
                parent.body.append(moved)
                run.lead.append(moved)
        parent.body.append(run)
        return run

    for para in paras:
        found = marker(para.text)
        if found is not None and found.style == "bracket" and not found.mark:
            findings.add(para.no, "text", f"the opening 【 of a bracketed title, lost in copying, restored: "
                         f"{para.text[:para.text.index('】') + 1]!r}")
        if found is None and not stack:
            named = bool(TEN.search(para.text[:80]))
            inline = inline_items(para.text, named)
            if inline:
                inline_count += 1
                lead = [Para(para.no, inline.lead)] if inline.lead else []
                root.body.extend(lead)
                run = Run(f"inline{inline_count}", lead=lead)
                run.nodes = [Node(para.no, Marker(run.style, k, mark, title), title)
                             for k, (title, mark) in enumerate(zip(inline.items, inline.marks), 1)]
                root.body.append(run)
                if inline.tail:
                    root.body.append(Para(para.no, inline.tail))
                findings.add(para.no, "list", f"a list written inside a paragraph read as {len(inline.items)} "
                             f"items ({inline.items[0][:12]}…)")
                continue
        if found is None:
            current().body.append(para)
            continue
        placed = False
        for depth in range(len(stack) - 1, -1, -1):
            run, parent = stack[depth]
            if run.style != found.style:
                continue
            if found.number == 0 or found.number == run.last + 1:
                del stack[depth + 1:]
                run.nodes.append(_node(para, found))
                placed = True
            elif found.number == 1:
                del stack[depth:]
                new = start_run(found.style, parent, run)
                new.nodes.append(_node(para, found))
                stack.append((new, parent))
                placed = True
            break
        if placed:
            continue
        if found.number not in (0, 1):
            current().body.append(para)       # "3、" inside a sentence's flow: text
            continue
        rank = RANK.get(found.style)
        popped = None
        while stack and rank is not None and RANK.get(stack[-1][0].style, 99) >= rank:
            popped = stack.pop()[0]           # 一、 after a run of 1. : not nested in it
        parent = current()
        run = start_run(found.style, parent, popped)
        run.nodes.append(_node(para, found))
        stack.append((run, parent))
    return root


def _node(para: Para, found: Marker) -> Node:
    return Node(para.no, found, found.rest, [])


def _is_lead(text: str) -> bool:
    return len(text) <= 60 and (text.endswith(("：", ":")) or not re.search(r"[。！？；]", text)) \
        and marker(text) is None


