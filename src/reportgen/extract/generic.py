"""Any association's document, read from its structure.

The seed forms of :mod:`.parsers` (a ballot's labels, a news page's dated releases, a
review's numbered keywords) are exact; everything else comes here:

1. lines become paragraphs (:mod:`.tree`: a narrow column's broken lines joined, a single
   newline after a title or a finished sentence kept as a paragraph break);
2. :func:`.chrome.sift` drops the page around the article, reads its source and date,
   flags what needs a look;
3. the title (:mod:`.frame`) is the first short line, or a later one saying what the document
   is when red-head, 主送 or a site's name stands above it — or nothing, with a warning;
4. (:mod:`.tree`) every paragraph's list marker (:mod:`.numbering`) puts it in a tree of runs: a run is
   one numbering style counted from one; a style of a lower rank (（一） under 一、, ①
   under 1.) nests; lists written inside a paragraph (分别是：A；B；C) are runs too;
5. runs whose items are short, or that a heading names (十大…), become lists; a run of
   headings over lists names them; other runs are the document's section headings;
6. a summary list followed by detailed sections of the same items is merged;
7. the kind follows: lists with a news frame (source, date, 记者, a 十大新闻 name) →
   news; lists alone → bulletin; numbered sections under a 回眸/总结/报告/年鉴 title, or a
   yearbook's 【概况】 entries → review (:mod:`.review`);
   otherwise a report — the most general structure that keeps every paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..typography import HAN_RANGES
from . import review
from .chrome import Meta, Para, sift
from .clean import Findings, check_pairs, normalize, strip_bold, unpin
from .frame import TITLE_MAX, stated, take_title
from .numbering import sentence_end
from .parsers import take_signoff
from .review import REVIEW_TITLE
from .sources import Line
from .tree import TEN, Node, Run, build_tree, paragraphs

SHORT_TITLE = 200       # model.ShortText
#: what names a list: 十大… first, else a word such lists are called by
LIST_WORDS = (re.compile(rf"十[大件项項](?:[{HAN_RANGES}“”「」『』]{{1,14}})"),
              re.compile(rf"[{HAN_RANGES}]{{0,4}}(?:大事|亮点|亮點|榜单|榜單|辟谣榜|新闻|新聞|人物|作品|事件)"))
NEWS_FRAME = re.compile(r"记者|記者|本报讯|本報訊|新华社|新華社|[网網]讯|[网網]訊|日电|日電|日讯|日訊|通讯员|通訊員|"
                        r"发布会|發布會|揭晓|揭曉|出炉|出爐")
NEWS_LIST = re.compile(r"新闻|新聞|科普|人物|作品|辟谣|闢謠|谣言|謠言|传播|傳播|进展|進展|典赞|典贊")
BULLETIN_TITLE = re.compile(r"十件大事|十大亮点|十大亮點|大事记|大事記|十大事件")


# -- 5. runs into lists, headings and text -------------------------------------------------------

@dataclass
class Reading:
    """The document as ordered blocks: text, {"heading": …}, {"list": …}."""

    blocks: list = field(default_factory=list)
    lists: list[dict] = field(default_factory=list)


def split_title(text: str, findings: Findings, line: int, where: str) -> tuple[str, list[str]]:
    """``1.标题。正文`` → title and body; a bold lead (``**标题**正文``) likewise."""
    text = text.strip()
    bold = re.match(r"\*\*(.+?)\*\*\s*[：:。]?\s*(.*)$", text)
    if bold:
        title = bold.group(1).strip().rstrip("。：:；;，,").strip()      # **标题。**正文: the mark ends the title
        return title, [strip_bold(bold.group(2))[0]] if bold.group(2).strip() else []
    text = strip_bold(text)[0]
    end = _first_sentence(text)
    if 0 < end < len(text) and end <= TITLE_MAX + 1:
        return text[:end].rstrip("。").strip(), [text[end:].strip()]
    title = text.rstrip("：:；;").strip()        # ；: the mark between one-line items
    if title.endswith("。") and "。" not in title[:-1]:
        title = title[:-1]
    if len(title) > SHORT_TITLE:
        comma = max(title.rfind(mark, 4, 60) for mark in "，、；")
        cut = comma if comma > 0 else 60
        findings.add(line, where, f"a title of {len(title)} characters: the text after "
                     f"{title[:cut][:16]!r}… is its body; check both", "flagged")
        return title[:cut], [title[cut + (1 if comma > 0 else 0):]]
    return title, []


def _first_sentence(text: str) -> int:
    """Where a title's first sentence ends (。！？ outside quotes and brackets), 0 if it does not."""
    return sentence_end(text, "。！？", "“‘《（(【", "”’》）)】") or 0


def _is_heading(text: str, name: str) -> bool:
    return bool(name) and name in text and len(text) <= 40 and not re.search(r"[。！？；，：:]", text)


def list_name(texts: list[str]) -> str:
    """The list's name from its heading or lead sentence: 十大科普事件, 年度十大科普人物."""
    for text in texts:
        if not text:
            continue
        quoted = re.findall(r"[“「『]([^”」』]{2,30})[”」』]", text)
        for candidate in quoted + [text]:
            found = _name_in(candidate)
            if found:
                return found
    return ""


def _name_in(text: str) -> str:
    for match in [m for pattern in LIST_WORDS for m in pattern.finditer(text)]:
        name = match.group(0)
        start = match.start()
        before = text[:start]
        # the words in front of 十 that belong to the name: after the last verb or particle
        prefix = re.findall(rf"[{HAN_RANGES}]{{0,6}}$", before)[0]
        prefix = re.split(r"科协|科協|协会|協會|年(?!度)|[的了出选選布为為是有和与與及将將现現]", prefix)[-1]
        if re.search(r"\d$", before[:len(before) - len(prefix)]) or re.search(r"\d年度?$", before):
            prefix = re.sub(r"^年度?", "", prefix)
        # the name ends where the sentence goes on: "…新闻在省会发布", "…人物日前揭晓"
        head = name[:2]
        name = prefix + head + re.split(r"在|于|於|日前|近日|正式|由|经|經|被|将|將|已|获|獲|入选|入選|评出|評出|"
                                        r"共有|共计|名单|名單", name[2:])[0]
        if re.search(r"\d$", before[:len(before) - len(prefix)]):
            name = re.sub(r"^年度?", "", name)
        name = re.sub(r"(?:评选结果|評選結果|评选活动|评选|評選|揭晓|揭曉|发布|發布|出炉|出爐|公布|名单|名單|结果|"
                      r"分别|分別|依次|包括|如下|盛典|颁奖|頒獎|为|為|是|有|的|等)+$", "", name)
        if len(name) >= 3 and TEN.search(name) or len(name) >= 4:
            return name
    return ""


def read(root: Node, title: str, findings: Findings, eager: bool = False) -> Reading:
    """The tree as blocks; *eager* (a bulletin or news asked for) takes any run of two or
    more items as a list."""
    reading = Reading()
    _walk(root.body, [title], reading, findings, 0, eager)
    return reading


def _walk(body: list, context: list[str], reading: Reading, findings: Findings, depth: int,
          eager: bool) -> None:
    for element in body:
        if isinstance(element, Para):
            reading.blocks.append(element)
            continue
        run = element
        if _headings_over_lists(run):
            for node in run.nodes:
                runs = [b for b in node.body if isinstance(b, Run)]
                if len(runs) == 1 and len(node.body) == 1 and list_name([node.title]):
                    # （一）十件大事 over its items: the list's own heading, not a section
                    runs[0].lead = [Para(node.no, _marked(node))] + runs[0].lead
                    reading.blocks.append(runs[0].lead[0])
                else:
                    title = split_title(node.title, Findings(""), node.no, "heading")[0]
                    reading.blocks.append({"heading": _marked(node), "_no": node.no, "_node": node, "_title": title})
                _walk(node.body, [node.title] + context, reading, findings, depth + 1, eager)
            continue
        leads = [p.text for p in run.lead] + ([run.before] if run.before else [])
        name = list_name(leads + context[:1] if depth else leads + context)
        if _is_item_list(run, name) or eager and len(run.nodes) >= 2:
            after = _text_after(run)
            lst = _make_list(run, name, reading, findings)
            last = reading.blocks[-1] if reading.blocks else None
            if isinstance(last, Para) and last in run.lead and _is_heading(last.text, name):
                reading.blocks.pop()             # "十大亮点" standing above its list: its heading
                if last.text != name:
                    lst["heading"] = last.text
            reading.blocks.append({"list": lst})
            reading.lists.append(lst)
            reading.blocks.extend(after)
        else:
            for node in run.nodes:
                # "二、学会工作扎实推进。学会活动丰富。": the heading, then its text
                title, first = split_title(node.title, findings, node.no, "heading")
                mark = node.mark.mark if node.mark and node.mark.style not in ("dash", "bracket") else ""
                shown = f"【{title}】" if node.mark and node.mark.style == "bracket" else f"{mark}{title}".strip()
                reading.blocks.append({"heading": shown, "_no": node.no, "_node": node,
                                       "_title": title})
                reading.blocks.extend(Para(node.no, text) for text in first)
                _walk(node.body, context, reading, findings, depth + 1, eager)


def _text_after(run: Run) -> list[Para]:
    """The paragraphs under the last of three or more one-line items: the text after the list,
    not the last item's (——神舟十号…；——…；——3D打印走进公众视野。 and the report goes on)."""
    *first, last = run.nodes
    if len(first) < 2 or any(node.body for node in first) or not last.body \
            or not all(isinstance(b, Para) for b in last.body):
        return []
    after, last.body = list(last.body), []
    return after


def _marked(node: Node) -> str:
    if node.mark and node.mark.style == "bracket":
        return f"【{split_title(node.title, Findings(''), node.no, '')[0]}】"
    mark = node.mark.mark if node.mark else ""
    return f"{mark}{node.title}".strip() if node.mark and node.mark.style != "dash" else node.title


def _headings_over_lists(run: Run) -> bool:
    """一、年度十大科普人物 / ①… ②…: each node a short heading that holds a list."""
    return all(len(node.title) <= 40 and any(isinstance(b, Run) and len(b.nodes) >= 2 for b in node.body)
               for node in run.nodes)


def _is_item_list(run: Run, name: str) -> bool:
    if run.style.startswith("inline"):
        return True
    if len(run.nodes) == 1:          # a list cut short after its first item: named 十大…, announced with ：
        return bool(name and TEN.search(name) and run.lead and run.lead[-1].text.rstrip().endswith(("：", ":")))
    if len(run.nodes) < 2:
        return False
    if run.style == "bracket" and re.sub(r"\s", "", run.nodes[0].title.split("。")[0]) in ("概况", "概況"):
        return False             # 【概况】 opens a yearbook entry: its 【…】 are the entry's points
    if name and TEN.search(name) or run.style.startswith("word:"):
        return True              # 事件1 … 事件2: numbered by the word for an item
    paragraphs = [sum(1 for b in node.body if isinstance(b, Para)) for node in run.nodes]
    titles = [len(node.title) for node in run.nodes]
    # 一、 numbers a report's sections unless a name or short bodies make it a list; so does
    # any numbering that nothing names, unless three or more items with short bodies
    if run.style == "cn" and not name and any(isinstance(b, Run) for node in run.nodes for b in node.body):
        return False             # 一、… over its （一）… points: a report's sections
    most = 1 if run.style == "cn" or not name else 3
    if not name and len(run.nodes) < 3:
        return False
    return sum(paragraphs) / len(paragraphs) <= most and max(titles) <= 120


def _make_list(run: Run, name: str, reading: Reading, findings: Findings) -> dict:
    auto = not name
    if auto:
        name = f"列表{len(reading.lists) + 1}"
    items = []
    for position, node in enumerate(run.nodes, 1):
        where = f"{name} 第{position}项"
        title, first = split_title(node.title, findings, node.no, where)
        texts = list(first)
        for element in node.body:
            texts.extend(_flatten(element))
        item: dict = {"title": title, "paragraphs": [t for t in texts if t.strip()], "_no": node.no}
        if node.mark and node.mark.number and not node.mark.style.startswith("inline"):
            item["number"] = node.mark.number
        items.append(item)
    unpin(items, findings, name)
    return {"name": name, "items": items, "_auto": (run.nodes[0].no,) if auto else None}


def _flatten(element) -> list[str]:
    """A nested run inside an item is part of its text: each sub-point a paragraph, as written."""
    if isinstance(element, Para):
        return [element.text]
    out = []
    for node in element.nodes:
        if node.mark and node.mark.style == "bracket":     # 【镜头】5月1日，…: the label and its text
            title, first = split_title(node.title, Findings(""), node.no, "")
            out.append(f"【{title}】" + "".join(first))
        else:
            out.append(_marked(node))
        for sub in node.body:
            out.extend(_flatten(sub))
    return out


def merge_summary(reading: Reading, findings: Findings) -> None:
    """A summary list (titles only) followed by detailed sections of the same items: each
    section's text goes to its item, and the second list goes."""
    def key(text: str) -> str:
        return re.sub(rf"[^{HAN_RANGES}A-Za-z0-9]", "", text)

    for first in list(reading.lists):
        for second in reading.lists:
            if second is first or len(second["items"]) != len(first["items"]):
                continue
            if any(item["paragraphs"] for item in first["items"]):
                continue
            pairs = list(zip(first["items"], second["items"]))
            same = sum(1 for a, b in pairs if key(a["title"]) and key(b["title"])
                       and (key(a["title"]) in key(b["title"]) or key(b["title"]) in key(a["title"])))
            if same < max(2, len(pairs) * 0.6):
                continue
            for a, b in pairs:
                # a section's own wording of the title stays as text when the summary's differs
                kept = [b["title"]] if key(b["title"]) not in key(a["title"]) else []
                a["paragraphs"] = kept + b["paragraphs"]
            reading.lists.remove(second)
            reading.blocks = [b for b in reading.blocks if not (isinstance(b, dict) and b.get("list") is second)]
            findings.add(None, first["name"], f"the detailed sections of its {len(pairs)} items "
                         f"({second['name']}) merged into the summary list")
            return


# -- 2, 3, 7. the whole document -------------------------------------------------------------------

@dataclass
class Generic:
    kind: str
    data: dict


def parse_generic(lines: list[Line], findings: Findings, year: int | None, kind: str | None = None) -> Generic:
    paras, meta = sift(paragraphs(lines), findings)
    signoff = take_signoff(paras[-2].text, paras[-1].text, paras[-2].no, findings) if len(paras) >= 3 else None
    if signoff is not None:  # 落款: the document's, not the last item's text
        paras = paras[:-2]
    title, subtitle, body = take_title(paras, findings)
    title = normalize(title, findings, paras[0].no if paras else None, "title") if title else title
    root = build_tree(body, findings)
    reading = read(root, title, findings, eager=kind in ("bulletin", "news"))
    merge_summary(reading, findings)
    year = year or stated(title, reading, findings)
    if kind == "bulletin" and not reading.lists:
        findings.add(None, "lists", "asked for a bulletin, but no numbered items were found: read as a "
                     "report instead", "flagged")
        kind = "report"
    kind = kind or _kind(title, meta, reading)
    intro, sections = review.sections(reading.blocks, _named_lists(reading)) if kind == "review" else ([], [])
    if kind == "review" and not sections:
        findings.add(None, "sections", "asked for a review, but no numbered sections were found: read as a "
                     "report instead", "flagged")
        kind = "report"
    if kind == "review":
        reading = Reading(blocks=intro)   # the sections hold everything after the introduction
    for para in (b for b in reading.blocks if isinstance(b, Para)):
        para.text = normalize(strip_bold(para.text)[0], findings, para.no, "text")
        check_pairs(para.text, findings, para.no, "text")
    for lst in reading.lists:
        _finish_list(lst, findings, year)
    if kind == "review":
        data = _review(title, subtitle, reading, review.finish(sections, findings))
    else:
        builder = {"bulletin": _bulletin, "news": _news, "report": _report}.get(kind, _news)
        data = builder(title, subtitle, meta, reading, findings)
    data["year"] = year
    if signoff is not None:
        data["signoff"] = signoff
    return Generic(data["layout"], data)


def _finish_list(lst: dict, findings: Findings, year: int | None) -> None:
    from .parsers import leading_dates

    auto = lst.pop("_auto", None)
    if auto is not None:
        findings.add(auto[0], lst["name"], "no list name found in its heading or lead sentence; named by position",
                     "flagged")
    for position, item in enumerate(lst["items"], 1):
        where = f"{lst['name']} 第{position}项"
        item["title"] = normalize(item["title"], findings, item["_no"], f"{where} title")
        item["paragraphs"] = [normalize(strip_bold(p)[0], findings, item["_no"], where) for p in item["paragraphs"]]
        for text in item["paragraphs"]:
            check_pairs(text, findings, item["_no"], where)
        if item["paragraphs"] and year:
            dates = leading_dates(item["paragraphs"][0], year)
            if dates:
                item["dates"] = dates
        del item["_no"]


def _named_lists(reading: Reading) -> bool:
    return any(lst.get("_auto") is None for lst in reading.lists)


def _kind(title: str, meta: Meta, reading: Reading) -> str:
    if (REVIEW_TITLE.search(title) or review.yearbook(reading.blocks)) \
            and review.sections(reading.blocks, _named_lists(reading))[1]:
        return "review"
    if reading.lists:
        framed = bool(meta.source or meta.date or meta.author) or any(
            NEWS_FRAME.search(b.text) for b in reading.blocks if isinstance(b, Para))
        newsy_lists = any(NEWS_LIST.search(lst["name"]) for lst in reading.lists)
        only_before = _only_text_before_lists(reading)
        if BULLETIN_TITLE.search(title) and only_before and not framed:
            return "bulletin"
        if (framed or newsy_lists) or not only_before:
            return "news"
        return "bulletin"
    return "report"


def _only_text_before_lists(reading: Reading) -> bool:
    seen_list = False
    for block in reading.blocks:
        if isinstance(block, dict) and "list" in block:
            seen_list = True
        elif seen_list or isinstance(block, dict):
            return False
    return True


def _blocks_out(reading: Reading) -> list:
    out: list = []
    for block in reading.blocks:
        if isinstance(block, Para):
            out.append(block.text)
        elif "list" in block:
            out.append({"list": block["list"]})
        else:
            out.append({"heading": block["heading"]})
    return out


def _bulletin(title, subtitle, meta, reading, findings) -> dict:
    data: dict = {"layout": "bulletin", "title": title, "lists": reading.lists}
    if subtitle:
        data["subtitle"] = subtitle
    intro = [b.text for b in reading.blocks if isinstance(b, Para)]
    if intro:
        data["intro"] = intro
    return data


def _article(title, subtitle, meta, reading) -> dict:
    article: dict = {"title": title, "body": _blocks_out(reading)}
    if subtitle:
        article["subtitle"] = subtitle
    if meta.source:
        article["source"] = meta.source
    if meta.date:
        article["date"] = meta.date
    if meta.author:
        article["byline"] = meta.author
    return article


def _news(title, subtitle, meta, reading, findings) -> dict:
    return {"layout": "news", "title": title, "articles": [_article(title, subtitle, meta, reading)]}


def _report(title, subtitle, meta, reading, findings) -> dict:
    if not reading.lists:
        findings.add(None, "lists", "no numbered items were found: read as a report of headings and "
                     "paragraphs", "flagged")
    return {"layout": "report", "title": title, "articles": [_article(title, subtitle, meta, reading)]}


def _review(title, subtitle, reading, sections) -> dict:
    data: dict = {"layout": "review", "title": title, "sections": sections}
    if subtitle:
        data["subtitle"] = subtitle
    intro = [b.text for b in reading.blocks if isinstance(b, Para)]
    if intro:
        data["intro"] = intro
    header = re.search(r"(工作回眸|回眸|回顾|回顧)$", title)
    if header:
        data["header"] = header.group(1)
    return data
