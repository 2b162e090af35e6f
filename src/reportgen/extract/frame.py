"""The frame of a document: its title (never page chrome, a site's name or the 红头 above it)
and the year it states for itself (in its title or the period its opening names, never a
sign-off's or a birth date)."""
from __future__ import annotations

import re

from ..yearly import stated_year
from .chrome import Para
from .clean import Findings, strip_bold, undouble
from .numbering import marker
from .publisher import whole_name

TITLE_MAX = 80          # a first line longer than this is text, not a title


#: what a document's title says it is (a line above it is front matter: 主送, 红头, a notice)
DOCUMENT_WORDS = re.compile(r"报告|報告|总结|總結|回顾|回顧|回眸|盘点|盤點|大事|亮点|亮點|十大|通知|意见|意見|方案|纪要|"
                            r"紀要|年鉴|年鑑|综述|綜述|要点|要點|计划|計劃|规划|規劃|名单|名單|公告|公示|决定|決定|简报|簡報")
#: lines that stand above a title: 主送 or salutation (…：), a 红头 (…文件), a 发文字号, a date
FRONT_MATTER = re.compile(r"[：:]$|文件$|〔(?:19|20)\d{2}〕|^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


#: a site's or forum's name standing above the article (家长易论坛, 武大资讯, XX新闻网)
SITE_NAME = re.compile(r"^[^\s，。：:；;！？]{2,10}(?:论坛|論壇|社区|社區|在线|在線|频道|頻道|门户|門戶|资讯|資訊|官网|官網|"
                       r"网|網)$")


def _title_like(text: str) -> bool:
    text = strip_bold(text)[0].strip()
    return 0 < len(text) <= TITLE_MAX and marker(text) is None and not FRONT_MATTER.search(text) \
        and not re.search("[。；;！？]", text.rstrip("。"))


def title_at(paras: list[Para]) -> int:
    """Where the title is: the first paragraph, unless that is front matter or a notice and a
    title saying what the document is (…工作报告, 关于…的通知) follows within a few lines."""
    if not paras or _title_like(paras[0].text) and not whole_name(paras[0].text) \
            and not SITE_NAME.match(paras[0].text.strip()) \
            and (len(paras[0].text.strip()) >= 5 or DOCUMENT_WORDS.search(paras[0].text)):
        return 0                     # (a line of four characters or fewer is a label: 其他, 查看原文)
    for index, para in enumerate(paras[1:8], 1):
        if _title_like(para.text) and DOCUMENT_WORDS.search(para.text) and not whole_name(para.text) \
                and not re.search(r"[。，,]", para.text):
            return index
    return 0


def take_title(paras: list[Para], findings: Findings) -> tuple[str, str, list[Para]]:
    """``(title, subtitle, the rest)``; an empty title (with a warning) when the first
    paragraph is not one. Lines above the title (主送, 红头, the notice that issues a report)
    stay text before it."""
    if not paras:
        return "", "", paras
    at = title_at(paras)
    if at and SITE_NAME.match(paras[0].text.strip()):
        findings.add(paras[0].no, "text", f"page chrome dropped: {paras[0].text.strip()!r} (the site's name)")
        paras, at = paras[1:], at - 1
    if at:
        findings.add(paras[at].no, "title", f"the title is the document's line {at + 1}; the {at} lines "
                     "above it (a notice, 主送 or 红头) are kept as text before it")
        title, subtitle, rest = take_title(paras[at:], findings)
        return title, subtitle, paras[:at] + rest
    first = paras[0]
    text = strip_bold(first.text)[0].strip()
    found = marker(text)
    if len(paras) == 1 or found is not None and found.style != "bracket" or len(text) > TITLE_MAX \
            or re.search("。", text.rstrip("。")) or (text.endswith("。") and len(text) > 40):
        findings.add(first.no, "title", "the text does not begin with a title: the title is left empty; "
                     "fill it in", "flagged")
        return "", "", paras
    tag = re.match(r"^[\[【]([^\]】]{2,8})[\]】]\s*(?=\S)", text)
    if tag and len(text) - tag.end() >= 6:
        findings.add(first.no, "title", f"a forum's category tag dropped from the title: {tag.group(0).strip()!r}")
        text = text[tag.end():]
    fixed = undouble(text)
    if fixed:
        findings.add(first.no, "title", f"doubled characters (fake-bold text) undone: {text[:16]}… → {fixed}")
        text = fixed
    rest = paras[1:]
    subtitle = ""
    if rest and re.match(r"^(?:——|—)\s*\S", rest[0].text) and len(rest[0].text) <= 60:
        subtitle = rest[0].text.strip()
        rest = rest[1:]
    return text.rstrip("。"), subtitle, rest



def stated(title: str, reading, findings: Findings) -> int | None:
    """The year the text states for itself: in its title, or in a list's heading or lead
    ("2020年度十大…"); never today's, never a year found somewhere in the prose."""
    candidates = [title] + [lst.get("heading", "") for lst in reading.lists] + \
        [b.text for b in reading.blocks[:3] if isinstance(b, Para)]
    for text in candidates:
        match = re.search(r"((?:19|20)\d{2})\s*年度?(?:[^。]{0,20}?十[大件项項]|[^。]{0,8}$)", text) \
            or re.match(r"((?:19|20)\d{2})\s*年(?:是|度?[，,]|以来)", text)     # 2017年，区科协…: its period
        if match:
            return int(match.group(1))
        if text is title:
            # "回眸2022：…": a title's one year, however it is written
            years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", title))
            year = stated_year(title) or (int(years.pop()) if len(years) == 1 else None)
            if year:
                return year
    findings.add(None, "year", "the text does not state its year: the year is left empty; fill it in "
                 "(or pass --year)", "flagged")
    return None


