"""One parser per kind of document; each turns lines into the data of a Report.

The parsers share the repairs of :mod:`.clean` and return plain dicts that the
caller validates as a :class:`reportgen.model.Report`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..typography import HAN_RANGES
from .clean import (
    Block, Findings, blocks_of, check_pairs, ends_sentence, merge_broken, normalize,
    remove_duplicates, flag_repeated_sentences, strip_bold, undouble, unpin, BYLINE, PHOTO_CREDIT,
)
from ..metrics import find_dates
from .sources import Line

PUNCT = "，。；：！？、,.;:!?"
ITEM_TITLE = re.compile(r"^(\d{1,2})(?:[.．、]\s*|\s+)(\S.*)$")
LIST_NAME = re.compile(rf"十(?:件|大|项)[{HAN_RANGES}]{{2}}")
ORDER_NOTE = re.compile(r"[（(]\s*(排[序名]不分先后)\s*[)）]")
DATE_LINE = re.compile(r"^(.*?)\s*\[(\d{4}-\d{2}-\d{2})\]\s*$")


@dataclass
class Parsed:
    """What a parser found: report fields, plus the designer's bold spans (``**``)."""

    data: dict
    marked: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


# -- helpers ----------------------------------------------------------------------------------

def no_punct(text: str) -> bool:
    return not any(ch in PUNCT for ch in text)


def short_line(block: Block, limit: int = 25) -> bool:
    return len(block.lines) == 1 and len(block.text) <= limit and no_punct(block.text)


def item_title(block: Block, expected: set[int]) -> tuple[int, str] | None:
    """``(number, title)`` if *block* is a numbered item title (title may span lines)."""
    match = ITEM_TITLE.match(block.lines[0].text)
    if not match or int(match.group(1)) not in expected:
        return None
    title = "".join([match.group(2)] + [line.text for line in block.lines[1:]]).strip()
    if len(title) > 80 or ends_sentence(title) or title.endswith(("，", "、")):
        return None
    return int(match.group(1)), title


def paragraphs_of(blocks: list[Block], findings: Findings, where: str) -> tuple[list[str], list[int]]:
    merged, moved = merge_broken(blocks, findings, where_of=lambda b: where)
    # text moved out of a sentence inside an item is a picture's text or a caption: dropped,
    # and said whole, so that nothing vanishes unreported
    for _, block in moved:
        findings.add(block.no, where, f"text moved out of a sentence is not part of the item's text and was "
                     f"dropped: {block.text!r}; put it back if it belongs", "flagged")
    texts, lines = [], []
    for block in merged:
        text, _ = strip_bold(block.text)  # figures bold in a DOCX are detected again on load
        texts.append(normalize(text, findings, block.no, where))
        lines.append(block.no)
    return texts, lines


def leading_dates(text: str, year: int) -> list[str]:
    """Dates an item is about, from the start of its text: 9月17日 / 10月20日至21日 / 2021年8月23日."""
    spans = find_dates(text[:24], year)
    if not spans or spans[0].start != 0 or spans[0].first is None:
        return []
    first, last = spans[0].first, spans[0].last
    return [first.isoformat()] + ([last.isoformat()] if last is not None and last != first else [])


def list_names(title: str) -> list[str]:
    return LIST_NAME.findall(title)


def year_in(text: str) -> int | None:
    match = re.search(r"(19|20)\d{2}", text)
    return int(match.group(0)) if match else None


def guess_year(text: str, findings: Findings) -> int | None:
    """The year a prose document is about: the most mentioned year that is not a target
    (到2025年) or a range bound; flagged, because it is a guess."""
    stated = re.search(r"((?:19|20)\d{2})\s*年是", text)
    years = Counter(int(m.group(1)) for m in re.finditer(r"(?<![到至\-—～~])((?:19|20)\d{2})\s*年(?![—\-])", text))
    if stated:
        years = Counter({int(stated.group(1)): 1})
    if not years:
        findings.add(None, "year", "the text does not state its year: the year is left empty; fill it in "
                     "(or pass --year)", "flagged")
        return None
    year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
    findings.add(None, "year", f"year {year} guessed from the text; pass --year to set it", "flagged")
    return year


NOT_PLACES = set("全我本各该城超省县区年度的在和与及为对从向到由被把将给跟同来")


def association_of(text: str) -> dict:
    """Full and short name of the association, from the text.

    Candidates are places named before 科学技术协会, 市科协/省科协, or (when the text
    says 市科协) before 市; the place named most often in the whole text wins.
    A local association wins over 中国科协, which local documents mention too.
    """
    # a 推荐单位 line names who nominated an item, not who publishes the document
    text = re.sub(r"(?m)^\s*(?:推荐单位|推薦單位|推荐单位|申报单位|申報單位)\s*[:：].*$", "", text)
    candidates: list[str] = []
    tiers = [[rf"([{HAN_RANGES}]{{2,8}}?(?:省|市|自治区|自治州|州|盟|县|区|縣|區))(?:科学技术协会|科學技術協會)"],
             [rf"([{HAN_RANGES}]{{2,4}}(?:省|市|自治区|自治州|州|盟|县|区|縣|區))(?:科协|科協)"]]
    if "市科协" in text or "省科协" in text:
        tiers[1].append(rf"([{HAN_RANGES}]{{2,3}}(?:市|省))")
    for patterns in tiers:  # a full name beats places named before 科协, 市 or 省
        for match in (m for pattern in patterns for m in re.finditer(pattern, text)):
            place = re.sub(r"^中共", "", match.group(1))
            while place and place[0] in NOT_PLACES:
                place = place[1:]
            place = re.split("[与和及同]", place)[-1]
            if len(place) >= 3 and (place[-2] not in NOT_PLACES or len(place) >= 3 and place[-3] not in NOT_PLACES
                                    and place[-2] == "城") and not place.startswith("中国"):
                candidates.append(place)
        if candidates:
            break
    if candidates:
        place = max(set(candidates), key=lambda p: (text.count(p[:-1]) + 2 * text.count(f"{p}科协"),
                                                    candidates.count(p), p))
        suffix = place[-1]
        short = f"{suffix}科协" if suffix in "市省" and f"{suffix}科协" in text else f"{place}科协"
        if text.count("協") > text.count("协"):  # a traditional-script text: its name stays so
            return {"name": f"{place}科學技術協會", "short_name": short.replace("科协", "科協")}
        return {"name": f"{place}科学技术协会", "short_name": short}
    if "中国科协" in text or "中国科学技术协会" in text:
        return {"name": "中国科学技术协会", "short_name": "中国科协"}
    if "中國科協" in text or "中國科學技術協會" in text:
        return {"name": "中國科學技術協會", "short_name": "中國科協"}
    return {"name": "", "short_name": ""}  # not stated: left to fill in, never invented


def clean_title(block: Block, findings: Findings) -> str:
    text = block.text
    fixed = undouble(text)
    if fixed:
        findings.add(block.no, "title", f"doubled characters (fake-bold text) undone: {text[:16]}… → {fixed}")
        return fixed
    return text.strip()


def make_items(numbered: list[tuple[int, str, list[Block]]], findings: Findings, list_name: str,
               year: int | None) -> list[dict]:
    items = []
    for number, title, body in numbered:
        where = f"{list_name} {number}"
        title = normalize(title, findings, None, f"{where} title")
        paragraphs, lines = paragraphs_of(body, findings, where)
        items.append({"number": number, "title": title, "paragraphs": paragraphs, "_lines": lines,
                      "_where": where, "_year": year})
    return items


def finish_items(lists: list[dict], findings: Findings) -> None:
    """Cross-item checks (duplicates, unbalanced marks), then drop the helper keys."""
    owners = [(item["_where"], item["paragraphs"], item["_lines"]) for lst in lists for item in lst["items"]]
    remove_duplicates(owners, findings)
    flag_repeated_sentences(owners, findings)
    for lst in lists:
        for item in lst["items"]:
            for text, line in zip(item["paragraphs"], item["_lines"]):
                check_pairs(text, findings, line, item["_where"])
            if not item["paragraphs"]:
                findings.add(None, item["_where"], "item has no text", "flagged")
            elif item["_year"]:
                dates = leading_dates(item["paragraphs"][0], item["_year"])
                if dates:
                    item["dates"] = dates
            del item["_lines"], item["_where"], item["_year"]
        unpin(lst["items"], findings, lst.get("name", ""))



def split_numbered(blocks: list[Block], stop=lambda b: False):
    """Group blocks into runs of numbered items; a run restarts when the numbering does.

    Yields ``(runs, rest)`` where runs is a list of lists of (number, title, body
    blocks) and rest the blocks that belong to no item, with their positions.
    """
    runs: list[list[tuple[int, str, list[Block]]]] = []
    rest: list[tuple[int, Block]] = []
    current: tuple | None = None
    for index, block in enumerate(blocks):
        expected = {1} | ({runs[-1][-1][0] + 1} if runs and runs[-1] else set())
        title = item_title(block, expected)
        if title:
            number, text = title
            if number == 1 or not runs:
                runs.append([])
            current = (number, text, [])
            runs[-1].append(current)
        elif stop(block):
            current = None
            rest.append((index, block))
        elif current is not None:
            current[2].append(block)
        else:
            rest.append((index, block))
    return runs, rest


# -- 十件大事 / 十大亮点 bulletin ---------------------------------------------------------------

#: a closing date of a sign-off (落款): the whole line is the date
SIGNOFF_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _letterhead(blocks: list[Block]) -> bool:
    """The first line is only the association's name (a letterhead) and the next one the
    document's heading (a year and a list name): the heading is the title."""
    if len(blocks) < 2 or LIST_NAME.search(blocks[0].text) or year_in(blocks[0].text):
        return False
    name = association_of(blocks[0].text)["name"]
    return bool(name) and blocks[0].text.strip() == name and bool(LIST_NAME.search(blocks[1].text)) \
        and year_in(blocks[1].text) is not None and short_line(blocks[1], 40)


def take_signoff(name: str, date: str, line: int, findings: Findings) -> dict | None:
    """``{"name", "date"}`` when *name* is a whole association's name and *date* a sign-off's
    date (2024年1月5日) — the two closing lines of a document (落款, from *line* on), which are
    the document's and not an item's text; the finding says so."""
    name, date = name.strip(), date.strip()
    if not SIGNOFF_DATE.match(date) or association_of(name)["name"] != name:
        return None
    year, month, day = (int(n) for n in re.findall(r"\d+", date))
    try:
        found = {"name": name, "date": dt.date(year, month, day)}
    except ValueError:
        return None
    findings.add(line, "sign-off", f"the closing sign-off (落款) {name} / {date} is kept as the document's sign-off, "
                 "not an item's text", "repaired")
    return found


def _signoff(blocks: list[Block], findings: Findings) -> tuple[list[Block], dict | None]:
    """*blocks* without a closing sign-off (落款: the association's name and a date, on the
    last two lines of the last block or as its last two blocks), and the sign-off."""
    if not blocks:
        return blocks, None
    last = blocks[-1]
    if len(last.lines) >= 2:
        name, date, no = last.lines[-2].text, last.lines[-1].text, last.lines[-2].no
        rest = blocks[:-1] + ([Block(last.lines[:-2])] if len(last.lines) > 2 else [])
    elif len(blocks) >= 2:
        name, date, no, rest = blocks[-2].text, last.text, blocks[-2].no, blocks[:-2]
    else:
        return blocks, None
    found = take_signoff(name, date, no, findings)
    return (rest, found) if found is not None else (blocks, None)


def parse_bulletin(lines: list[Line], findings: Findings, year: int | None) -> Parsed:
    blocks = blocks_of(lines)
    start = 1 if _letterhead(blocks) else 0
    if start:
        findings.add(blocks[0].no, "title", f"the first line ({blocks[0].text}) is the association's name, above "
                     f"the heading: the title is the heading ({blocks[1].text})", "repaired")
    title = clean_title(blocks[start], findings)
    year = year or year_in(title) or guess_year(" ".join(l.text for l in lines), findings)
    names = list_names(title)
    headings = {}
    body_blocks: list[Block] = []
    notes: dict[int, str] = {}  # （排序不分先后） on a line of its own: the next list's note
    kept, signoff = _signoff(blocks[start + 1:], findings)
    for block in kept:
        on_its_own = ORDER_NOTE.fullmatch(block.text.strip())
        if on_its_own:
            notes[len(body_blocks)] = on_its_own.group(1)
            continue
        found = LIST_NAME.search(block.text)
        if short_line(block, 40) and found and not ITEM_TITLE.match(block.text):
            headings[found.group(0)] = block.text
            if found.group(0) not in names:
                names.append(found.group(0))
            continue
        body_blocks.append(block)
    runs, rest = split_numbered(body_blocks)
    for _, block in rest:
        findings.add(block.no, "text", f"text outside any item dropped: {block.text!r}", "flagged")
    lists = []
    for index, run in enumerate(runs):
        name = names[index] if index < len(names) else f"第{index + 1}部分"
        if index >= len(names):
            findings.add(run[0][2][0].no if run[0][2] else None, name,
                         "list name not found in the title; named by position", "flagged")
        lst = {"name": name, "items": make_items(run, findings, name, year)}
        heading = headings.get(name) or (title if start and index == 0 and name in title else None)
        if heading and heading != f"{year}年{association_of(title + heading)['short_name']}{name}":
            lst["heading"] = heading
        lists.append(lst)
    # a note belongs to the list whose first item comes after it
    firsts = [body_blocks.index(run[0][2][0]) if run and run[0][2] and run[0][2][0] in body_blocks else None
              for run in runs]
    for at, words in notes.items():
        target = next((i for i, first in enumerate(firsts) if first is not None and first >= at), None)
        if target is None and lists:
            target = 0
        if target is not None:
            lists[target]["ordering_note"] = words
    finish_items(lists, findings)
    data: dict = {"layout": "bulletin", "year": year, "title": title, "lists": lists}
    if signoff is not None:
        data["signoff"] = signoff
    return Parsed(data)


# -- 评选 ballot brochure ------------------------------------------------------------------------

BALLOT_LABELS = {"活动简介": "intro", "投票时间": "time", "投票规则": "rules", "投票网址": "url",
                 "温馨提示": "notice", "投票二维码": "qr"}


def split_labels(blocks: list[Block], labels) -> list[Block]:
    """Every line that is a label (投票时间 …), or starts one (温馨提示 投票期间…), becomes a
    block of its own: a label may share its block with its content and with other labels."""
    out: list[Block] = []
    for block in blocks:
        current: list[Line] = []
        for line in block.lines:
            text = line.text.replace("**", "")  # a label set in bold in a DOCX
            label = next((name for name in labels if text == name or text.startswith(name + " ")), None)
            if label is None:
                current.append(line)
                continue
            if current:
                out.append(Block(current))
            out.append(Block([Line(line.no, label)]))
            rest = text[len(label):].strip()
            current = [Line(line.no, rest)] if rest else []
        if current:
            out.append(Block(current))
    return out


def parse_ballot(lines: list[Line], findings: Findings, year: int | None) -> Parsed:
    blocks = blocks_of(lines)
    # the title is the first line that names the vote; a letterhead line above it is skipped
    start = next((i for i, b in enumerate(blocks[:3]) if re.search(r"评选|十件大事|十大", b.text)), 0)
    title_block = blocks[start]
    title_lines = title_block.lines if undouble(title_block.lines[0].text) is None else title_block.lines[:1]
    title = normalize(clean_title(Block(title_lines), findings), findings, title_block.no, "title")
    first = Block(title_block.lines[len(title_lines):]) if len(title_block.lines) > len(title_lines) else None
    rest_blocks = ([first] if first else []) + blocks[start + 1:]
    year = year or year_in(title) or guess_year(" ".join(l.text for l in lines), findings)
    heads: list[tuple[str, str]] = []
    content: list[Block] = []
    for block in split_labels(rest_blocks, BALLOT_LABELS):
        note_only = re.fullmatch(r"[（(]\s*(排[序名]不分先后)\s*[)）]", block.text)
        if note_only and content and short_line(content[-1], 40):
            heads.append((normalize(content.pop().text, findings, block.no, "list heading"), note_only.group(1)))
            continue
        if ORDER_NOTE.search(block.text) and not ITEM_TITLE.match(block.text):
            for part in re.finditer(r"(\S+?)\s*[（(]\s*(排[序名]不分先后)\s*[)）]", block.text):
                heads.append((part.group(1), part.group(2)))
            continue
        content.append(block)
    is_label = lambda b: b.text in BALLOT_LABELS  # noqa: E731
    runs, rest = split_numbered(content, stop=is_label)
    lists = []
    for index, run in enumerate(runs):
        heading, note = heads[index] if index < len(heads) else (f"候选{index + 1}", "")
        name = re.sub(rf"^(?:\d{{4}}年)?[{HAN_RANGES}]{{0,6}}?(?=候选)", "", heading).replace("“", "").replace("”", "")
        lst = {"name": name, "heading": heading, "items": make_items(run, findings, name, year)}
        if note:
            lst["ordering_note"] = note
        lists.append(lst)
    finish_items(lists, findings)
    sections: dict[str, list[Block]] = {}
    label = None
    for _, block in rest:
        if is_label(block):
            label = BALLOT_LABELS[block.text]
            sections[label] = []
        elif label:
            sections[label].append(block)
        else:
            findings.add(block.no, "text", f"text outside any item or section dropped: {block.text!r}", "flagged")
    data: dict = {"layout": "ballot", "year": year, "title": title, "lists": lists}
    intro, _ = paragraphs_of(sections.get("intro", []), findings, "活动简介")
    if intro:
        data["intro"] = intro
    data["vote"] = _vote(sections, findings)
    return Parsed(data)


def _vote(sections: dict[str, list[Block]], findings: Findings) -> dict:
    vote: dict = {}
    time_text = "".join(b.text for b in sections.get("time", []))
    match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*[至—\-~]\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", time_text)
    if match:
        y1, m1, d1, y2, m2, d2 = match.groups()
        vote["start"] = f"{int(y1):04d}-{int(m1):02d}-{int(d1):02d}"
        vote["end"] = f"{int(y2 or y1):04d}-{int(m2):02d}-{int(d2):02d}"
    else:
        findings.add(None, "投票时间", "no voting period found", "flagged")
    url_blocks = sections.get("url", [])
    if url_blocks:
        block = url_blocks[0]
        url = "".join(line.text.strip() for line in block.lines)
        if len(block.lines) > 1:
            findings.add(block.no, "投票网址", f"URL split over {len(block.lines)} lines joined: {url}")
        vote["url"] = url
    rules, _ = paragraphs_of(sections.get("rules", []), findings, "投票规则")
    vote["rules"] = rules
    limit = re.search(r"每天.{0,20}?(\d+)\s*次", "".join(rules))
    if limit:
        vote["per_day_limit"] = int(limit.group(1))
    notice, _ = paragraphs_of(sections.get("notice", []), findings, "温馨提示")
    if notice:
        vote["notice"] = "".join(notice)
    return vote


# -- 十大事件 news page --------------------------------------------------------------------------

def parse_news(lines: list[Line], findings: Findings, year: int | None) -> Parsed:
    blocks = blocks_of(lines)
    articles = []
    current: list[Block] = []
    for block in blocks:
        match = DATE_LINE.match(block.lines[-1].text)
        if match:
            source_lines = [line.text for line in block.lines[:-1]] + [match.group(1)]
            source = "".join(t.strip() for t in source_lines if t.strip())
            if not source and len(current) > 1 and short_line(current[-1], 40):
                source = current.pop().text
            if current:
                articles.append(_news_article(current, source, match.group(2), findings))
            else:
                findings.add(block.no, "text", f"date {match.group(2)} with no article before it dropped",
                             "flagged")
            current = []
        else:
            current.append(block)
    if len(current) == 1 and articles:
        # one line after the last release (a page footer, a lone headline): it has no body
        findings.add(current[0].no, "text", f"a line after the last dated article, with no text of its own, "
                     f"dropped: {current[0].text!r}", "flagged")
    elif current:
        findings.add(current[0].no, "text", "text after the last dated article kept as an undated article",
                     "flagged")
        articles.append(_news_article(current, "", None, findings))
    if not articles:
        raise ValueError("no dated articles found")
    featured = next((a for a in articles if any("list" in b for b in a["body"] if isinstance(b, dict))),
                    articles[0])
    heading = next((b["list"].get("heading", "") for b in featured["body"] if isinstance(b, dict)), "")
    year = year or year_in(heading) or int(featured.get("date", "0000")[:4]) or guess_year(
        " ".join(l.text for l in lines), findings)
    return Parsed({"layout": "news", "year": year, "title": featured["title"], "articles": articles})


def _news_article(blocks: list[Block], source: str, date: str | None, findings: Findings) -> dict:
    title = blocks[0].text.strip()
    where = f"article {title[:12]}"
    body_blocks = blocks[1:]
    runs, rest = split_numbered(body_blocks)
    intro_blocks = [b for _, b in rest]
    intro, _ = paragraphs_of(intro_blocks, findings, where)
    body: list = list(intro)
    year = int(date[:4]) if date else dt.date.today().year
    for run in runs:
        match = re.search(r"“([^”]*" + LIST_NAME.pattern + r"[^”]*)”\s*(?:[（(](排[名序]不分先后)[)）])?",
                          "".join(intro))
        heading = match.group(1) if match else ""
        name_match = LIST_NAME.search(heading)
        name = name_match.group(0) if name_match else "列表"
        list_year = year_in(heading) or year
        lst = {"name": name, "items": make_items(run, findings, name, list_year)}
        if heading:
            lst["heading"] = heading
        # a note in the lead paragraph ("评选出“…十大事件”（排名不分先后）") is printed there
        # already: the list does not repeat it (ordering_note is for a note on its own line)
        finish_items([lst], findings)
        body.append({"list": lst})
    article = {"title": title, "body": body}
    if source:
        article["source"] = source
    if date:
        article["date"] = date
    for text in intro:
        check_pairs(text, findings, None, where)
    return article


# -- 工作回眸 review -----------------------------------------------------------------------------

def parse_review(lines: list[Line], findings: Findings, year: int | None) -> Parsed:
    blocks = blocks_of(lines)
    # the title is the longest of the opening lines that ends in 回眸; a shorter one is the header
    opening = [b for b in blocks[:4] if re.search(r"(回眸|回顾)$", b.text)] or blocks[:1]
    title_block = max(opening, key=len)
    title = clean_title(title_block, findings)
    data: dict = {"layout": "review", "title": title}
    header = re.search(r"(工作回眸|回眸|回顾)$", title)
    if header:
        data["header"] = header.group(1)
    blocks = [b for b in blocks if b is title_block or not (b in opening and len(b) < len(title_block))]
    blocks.remove(title_block)
    blocks.insert(0, title_block)
    sections: list[dict] = []
    keywords: list[str] = []
    slogans = []
    marked: dict[str, list[tuple[int, int]]] = {}
    i = 1
    pending: dict = {}
    while i < len(blocks):
        block = blocks[i]
        text = block.text
        i += 1
        mark = re.fullmatch(rf"0?(\d{{1,2}})\s*((?:[{HAN_RANGES}]\s?){{2,4}})", text)
        if re.fullmatch(r"[A-Z][A-Z ]{3,}", text):
            data["header_latin"] = text
        elif mark:  # 01 思想: the number and the keyword set together
            pending = {"number": int(mark.group(1)), "keyword": re.sub(r"\s", "", mark.group(2))}
        elif re.fullmatch(r"0?\d{1,2}", text):
            pending["number"] = int(text)
        elif re.fullmatch(rf"[{HAN_RANGES}]{{2,4}}", text) and (pending or (i < len(blocks)
                                                          and re.fullmatch(r"\d{1,2}", blocks[i].text))):
            pending["keyword"] = text
        elif all(line.text.startswith(("· ", "·", "• ")) for line in block.lines):
            keywords.extend(word.strip() for line in block.lines for word in re.split(r"[·•]", line.text)
                            if word.strip())
        elif block.lines[0].text.startswith(("- ", "**")) and sections and "keyword" not in pending:
            if not sections:
                findings.add(block.no, "text", "points before any section dropped", "flagged")
                continue
            section = sections[-1]
            for point in _points(block):
                where = f"section {section['number']} point {len(section['points']) + 1}"
                lead, _ = strip_bold(point[1])
                body, spans = strip_bold(point[2])
                body = normalize(body, findings, point[0], where) if not spans else _normalize_marked(
                    body, spans, findings, point[0], where, marked)
                section["points"].append({"lead": lead.strip(), "text": body, "_line": point[0]})
        elif "number" in pending and "keyword" in pending:
            sections.append({"number": pending["number"], "keyword": pending["keyword"],
                             "headline": normalize(text, findings, block.no, f"section {pending['number']}"),
                             "points": []})
            pending = {}
        elif short_line(block, 20):
            slogans.append(text)
        else:
            findings.add(block.no, "text", f"text outside any section dropped: {text[:20]}…", "flagged")
    owners = [(f"section {s['number']} point {k}", [p["text"]], [p["_line"]])
              for s in sections for k, p in enumerate(s["points"], 1)]
    remove_duplicates(owners, findings)
    flag_repeated_sentences(owners, findings)
    for s in sections:
        for k, p in enumerate(s["points"], 1):
            check_pairs(p["text"], findings, p["_line"], f"section {s['number']} point {k}")
            del p["_line"]
    data["sections"] = sections
    if slogans:
        data["slogan"] = slogans[0]
    if keywords:
        data["keywords"] = keywords
    data["year"] = year or guess_year(" ".join(l.text for l in lines), findings)
    return Parsed(data, marked)


def _normalize_marked(text: str, spans, findings, line, where, marked) -> str:
    """normalize() while keeping the designer's bold spans aligned with the text."""
    sentinel_open, sentinel_close = "\ue000", "\ue001"
    pieces, pos = [], 0
    for a, b in spans:
        pieces += [text[pos:a], sentinel_open, text[a:b], sentinel_close]
        pos = b
    pieces.append(text[pos:])
    joined = normalize("".join(pieces), findings, line, where)
    # the sentinels are not Han: spaces next to them survive; drop spaces around figures
    joined = re.sub(rf"(?<=[{HAN_RANGES}])\s+{sentinel_open}", sentinel_open, joined)
    joined = re.sub(rf"{sentinel_close}\s+(?=[{HAN_RANGES}])", sentinel_close, joined)
    out, new_spans = "", []
    for ch in joined:
        if ch == sentinel_open:
            start = len(out)
        elif ch == sentinel_close:
            new_spans.append((start, len(out)))
        else:
            out += ch
    marked[where] = new_spans
    return out


def _points(block: Block):
    """``(line, lead, text)`` for each point of a block: '- **lead**' lines followed by the
    text (the seeds), or a paragraph that opens with its bold lead (DOCX, PDF)."""
    points: list[list] = []
    for line in block.lines:
        if line.text.startswith("- "):
            points.append([line.no, line.text[2:].strip(), ""])
        elif line.text.startswith("**") and not points:
            match = re.match(r"\*\*(.+?)\*\*\s*(.*)$", line.text)
            if match:
                points.append([line.no, f"**{match.group(1).strip()}**", match.group(2).strip()])
        elif points:
            points[-1][2] += line.text.strip()
    return points


# -- newspaper report ----------------------------------------------------------------------------

def parse_report(lines: list[Line], findings: Findings, year: int | None) -> Parsed:
    blocks = blocks_of(lines)
    heading_ids = set()
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        if short_line(block) and (previous is None or ends_sentence(previous.text)
                                  or id(previous) in heading_ids):
            heading_ids.add(id(block))
    merged, moved = merge_broken(blocks, findings, where_of=lambda b: "report",
                                 stop=lambda b: id(b) in heading_ids)
    moved_at: dict[int, list[Block]] = {}
    for index, block in moved:
        moved_at.setdefault(index, []).append(block)
    articles: list[dict] = []
    article: dict | None = None
    start = 0
    if merged and id(merged[0]) in heading_ids and len(merged) > 1 and id(merged[1]) in heading_ids:
        article = {"kicker": merged[0].text, "title": merged[1].text, "body": []}
        start = 2
    elif merged and id(merged[0]) in heading_ids:
        article = {"title": merged[0].text, "body": []}
        start = 1
    for index in range(start, len(merged)):
        block = merged[index]
        if id(block) in heading_ids and len(block.text) <= 4:
            if article:
                articles.append(article)
            article = {"kicker": block.text, "title": "", "body": []}
            continue
        if article is None:
            article = {"title": "", "body": []}
        if id(block) in heading_ids:
            article["body"].append({"heading": block.text})
        else:
            text = normalize(block.text, findings, block.no, "report")
            byline = re.match(r"^本报讯\s*[（(]([^）)]*记者[^）)]*)[）)]", text)
            if byline and not article.get("byline"):
                article["byline"] = byline.group(1).strip()
            article["body"].append(text)
            check_pairs(text, findings, block.no, "report")
        for inserted in moved_at.get(index, []):
            _place_insert(article, inserted, findings)
    if article:
        articles.append(article)
    for a in articles:
        if not a["title"]:
            first_heading = next((b["heading"] for b in a["body"] if isinstance(b, dict) and "heading" in b), None)
            a["title"] = first_heading or a.get("kicker") or "（无题）"
            findings.add(None, f"article {a['title']}", "no headline found; the first subheading is used",
                         "flagged")
        if not a.get("kicker"):
            a.pop("kicker", None)
    title = articles[0]["title"] if articles else "报道"
    data = {"layout": "report", "title": title, "articles": articles,
            "year": year or guess_year(" ".join(l.text for l in lines), findings)}
    return Parsed(data)


def _place_insert(article: dict, block: Block, findings: Findings) -> None:
    """Put text found inside a sentence where it belongs: a photo caption, a byline, a headline."""
    texts = [line.text.strip() for line in block.lines]
    if PHOTO_CREDIT.search(texts[-1]):
        caption = "".join(texts[:-1]) if len(texts) > 1 else ""
        article["body"].append({"image": {"caption": caption, "credit": texts[-1]}})
    elif BYLINE.match(block.text):
        article["byline"] = block.text
    elif not article["title"]:
        article["title"] = block.text
    else:
        article["body"].append({"heading": block.text})
