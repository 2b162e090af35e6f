"""A work report, summary, review or yearbook entry read as a 回眸 review.

An association's 工作总结, 工作报告, 回顾 or 年鉴 entry is written in numbered sections
(一、 or （一） or 1. as the outermost level) with their headlines; under each, the work
done: nested numbered points, a list, or paragraphs. The review keeps that shape:

- a section per heading of the outermost numbering style, its headline as written;
- a point per nested heading, list item or paragraph: its lead is the nested heading's or
  item's title, a paragraph's bold run, or a paragraph's first clause when it is short and
  ends in 。 ； or ： with text after it — else the point has no lead and keeps its whole text;
- the section's keyword (the large two characters of the 回眸 design) is a theme word its
  headline uses (思想, 科普, 人才 …), else left empty to fill in, with a warning.

Nothing is left out: text before the first section is the introduction, everything after
a section's heading is its points.
"""
from __future__ import annotations

import re

from .chrome import Para
from .clean import Findings, normalize, strip_bold
from .numbering import sentence_end
from .tree import RANK

#: what the title of a document read as a review says it is
REVIEW_TITLE = re.compile(r"回眸|回顾|回顧|盘点|盤點|总结|總結|综述|綜述|工作报告|工作報告|情况的报告|情況的報告|"
                          r"年鉴|年鑑|这一年|這一年|工作情况|工作情況")
#: theme words an association's sections are named by, the more specific first
THEMES = ("党建", "思想", "政治", "改革", "科普", "素质", "人才", "智库", "学术", "学会", "组织", "基层",
          "创新", "服务", "开放", "交流", "合作", "国际", "宣传", "文化", "决策", "咨询", "乡村", "振兴",
          "产业", "经济", "平台", "队伍", "作风", "纪律", "品牌", "数字", "信息", "安全", "治理", "青少年",
          "融合", "引领", "建设", "发展")
#: longer words a headline names a theme by, and the theme word they mean
SYNONYMS = {"科学普及": "科普", "科學普及": "科普", "党的建设": "党建", "黨的建設": "党建", "思想政治": "思想",
            "学术交流": "学术", "學術交流": "学术", "决策咨询": "智库", "決策諮詢": "智库"}
LEAD_MAX = 40       # a first sentence longer than this is text, not a lead


def keyword(headline: str) -> str:
    """The theme word a section's headline uses first, or ''."""
    for words, word in SYNONYMS.items():
        headline = headline.replace(words, word)
    found = [(headline.find(word), -len(word), word) for word in THEMES if word in headline]
    return min(found)[2] if found else ""


def split_lead(text: str) -> tuple[str, str]:
    """``(lead, text)`` of a paragraph: its bold run at the start, or its first clause up to
    。 ； or ： when short and followed by more text; else ``("", text)``."""
    bold = re.match(r"\s*\*\*(.+?)\*\*\s*[：:。；;]?\s*(.*)$", text, re.S)
    if bold and bold.group(2).strip():
        return strip_bold(bold.group(1))[0].strip().rstrip("。：:；;，,").strip(), bold.group(2).strip()
    plain = strip_bold(text)[0].strip()
    end = sentence_end(plain, "。；;：:！？", "“‘《（(【", "”’》）)】")
    if end and 2 <= end - 1 <= LEAD_MAX and plain[end:].strip():
        return plain[:end - 1].strip(), plain[end:].strip()
    return "", plain


def sections(blocks: list, lists_named: bool = False) -> tuple[list[Para], list[dict]]:
    """``(introduction, sections)`` of the reading's blocks, or ``([], [])`` when the blocks
    are not numbered sections (or hold a list a heading names: that is a list, not a review)."""
    headings = [b for b in blocks if isinstance(b, dict) and b.get("_node") is not None and b["_node"].mark
                and b["_node"].mark.style in RANK]
    if lists_named:
        return [], []
    if not headings:
        return _entries(blocks)
    top = min(RANK[b["_node"].mark.style] for b in headings)
    intro: list[Para] = []
    out: list[dict] = []
    current: dict | None = None
    waiting: dict | None = None      # a nested heading's point until its text comes (else its words are its text)
    for block in blocks:
        node = block.get("_node") if isinstance(block, dict) else None
        if node is not None and node.mark and RANK.get(node.mark.style) == top:
            current = {"number": len(out) + 1, "keyword": "", "headline": block["_title"], "points": [],
                       "_no": node.no}
            out.append(current)
            waiting = None
            continue
        if current is None:
            if not isinstance(block, Para):
                return [], []        # a list or heading before any section: not this form
            intro.append(block)
            continue
        if isinstance(block, Para):
            if waiting is not None:
                waiting["lead"], waiting["text"] = waiting.pop("_lead"), strip_bold(block.text)[0]
                waiting = None
            else:
                lead, text = split_lead(block.text)
                current["points"].append({"lead": lead, "text": text, "_no": block.no})
        elif "list" in block:
            waiting = None
            for item in block["list"]["items"]:
                texts = [t for t in item["paragraphs"] if t.strip()]
                if texts:
                    current["points"].append({"lead": item["title"], "text": texts[0], "_no": None})
                else:
                    current["points"].append({"lead": "", "text": item["title"], "_no": None})
                current["points"].extend({"lead": "", "text": t, "_no": None} for t in texts[1:])
        else:                        # a nested heading: the lead of the point its text makes
            whole = strip_bold(node.title)[0].strip() if node is not None else block["heading"]
            waiting = {"lead": "", "text": whole, "_no": block.get("_no"),
                       "_lead": block.get("_title") or block["heading"]}
            current["points"].append(waiting)
    for section in out:
        if not section["points"]:    # a heading with nothing under it: its words are its point
            section["points"].append({"lead": "", "text": section["headline"], "_no": section["_no"]})
    return intro, out


def _bracketed(block) -> bool:
    return isinstance(block, dict) and block.get("_node") is not None and block["_node"].mark is not None \
        and block["_node"].mark.style == "bracket"


def yearbook(blocks: list) -> bool:
    """A 年鉴 entry: three or more 【…】 entries, the first 【概况】, and nothing else after it."""
    entries = [b for b in blocks if _bracketed(b)]
    return len(entries) >= 3 and re.sub(r"\s", "", entries[0]["_title"]) in ("概况", "概況") \
        and bool(_entries(blocks)[1])


def _entries(blocks: list) -> tuple[list[Para], list[dict]]:
    """A yearbook's 【…】 entries as sections (the entry's title its headline, its paragraphs its
    points), or nothing when the blocks are not all such entries after an introduction."""
    first = next((i for i, b in enumerate(blocks) if _bracketed(b)), None)
    if first is None or not all(isinstance(b, Para) for b in blocks[:first]):
        return [], []
    out: list[dict] = []
    for block in blocks[first:]:
        if _bracketed(block):
            out.append({"number": len(out) + 1, "keyword": "", "headline": re.sub(r"\s", "", block["_title"]),
                        "points": [], "_no": block.get("_no")})
        elif isinstance(block, Para):    # a yearbook's narrative: no lead taken from its first sentence
            out[-1]["points"].append({"lead": "", "text": strip_bold(block.text)[0], "_no": block.no})
        else:
            return [], []
    if len(out) < 3:
        return [], []
    for section in out:
        if not section["points"]:
            section["points"].append({"lead": "", "text": section["headline"], "_no": section["_no"]})
    return list(blocks[:first]), out


def finish(found: list[dict], findings: Findings) -> list[dict]:
    """The sections as data: text normalised, keywords chosen or left to fill in (flagged)."""
    out = []
    empty = []
    for section in found:
        where = f"section {section['number']}"
        headline = normalize(strip_bold(section["headline"])[0], findings, section["_no"], where)
        points = []
        for p, point in enumerate(section["points"], 1):
            place = f"{where} point {p}"
            points.append({"lead": normalize(point["lead"], findings, point["_no"], place),
                           "text": normalize(point["text"], findings, point["_no"], place)})
        word = keyword(headline)
        if not word:
            empty.append(str(section["number"]))
        out.append({"number": section["number"], "keyword": word, "headline": headline, "points": points})
    if empty:
        findings.add(None, "sections", f"no theme word in the headline of section {', '.join(empty)}: "
                     "its keyword is left empty; fill it in", "flagged")
    return out
