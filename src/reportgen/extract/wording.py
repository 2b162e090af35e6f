"""What extraction found, in Chinese: the studio's import page speaks to office staff.

Extraction reports its repairs and flags in English for the CLI and the data's
``source.repairs`` (where developers and scripts read them). :func:`chinese` gives the same
finding as the studio shows it — the place (``十件大事 3`` → 十件大事 第3项, ``page`` → 网页)
and the message — from one table of the finding texts extraction writes. Quoted text from
the document is kept as it was (in “…”); no English word of the table's reaches the page
(``tests/test_extract_wording.py`` runs every corpus text through it).
"""
from __future__ import annotations

import ast
import re

#: place names extraction uses → what people call them
_PLACES = {"page": "网页", "text": "正文", "title": "标题", "year": "年份", "association": "单位",
           "lists": "列表", "list": "列表", "sign-off": "落款", "vote": "投票", "sections": "各部分",
           "report": "正文"}
_PLACE_PATTERNS = (
    (re.compile(r"^section (\d+) point (\d+)$"), r"第\1部分 第\2点"),
    (re.compile(r"^section (\d+)$"), r"第\1部分"),
    (re.compile(r"^article (.*)$"), r"文章“\1”"),
    (re.compile(r"^(\d+) paragraphs$"), r"\1段"),
    (re.compile(r"^(.+) (\d+) title$"), r"\1 第\2项 标题"),
    (re.compile(r"^(.+) (\d+)$"), r"\1 第\2项"),
    (re.compile(r"^(.+) title$"), r"\1 标题"),
)

#: a quoted piece of the document as Python's repr writes it ('…' or "…")
_QUOTED = r"(?P<{0}>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_Q = _QUOTED.format


def _rule(pattern: str, words: str) -> tuple[re.Pattern, str]:
    return re.compile("^" + pattern + "$", re.S), words


#: (the English message, its Chinese); ``{name}`` in the Chinese takes the group of that name
RULES = (
    _rule(r"the text does not name the association: its name is left empty; fill it in",
          "文中没有写明发布单位：单位名称留空，请填写"),
    _rule(r"the document is about (?P<old>\d+): titles and headings moved to (?P<new>\d+), its items kept as "
          r"drafts to replace", "原文是{old}年的：标题和列表标题已改为{new}年，事项保留为待替换的草稿"),
    _rule(r"the first block \((?P<n>\d+) characters\) is too long for a title: kept " + _Q("head") +
          r"… as the title, the rest moved to (?P<moved>.+); check both",
          "开头一段有{n}个字，太长，不像标题：取{head}…作标题，其余移到{moved}；请核对两处"),
    _rule(r"the vote panel is incomplete \(no (?P<missing>.+)\): read as a bulletin, the panel's text kept in "
          r"the introduction; add the vote to make it a ballot",
          "投票信息不完整（缺少{missing}）：按公报读入，投票部分的文字放在简介里；补上投票信息后才是评选手册"),
    _rule(r"no numbered items were found: the lists are empty; check the document's form \(or pass --kind\)",
          "没有找到带编号的事项：列表为空；请检查原文的格式"),
    _rule(r"article information read and dropped: " + _Q("text"), "文章信息已读出，原行去掉：{text}"),
    _rule(r"page chrome dropped: " + _Q("text") + r" \(the site's name\)", "网站名称已去掉：{text}"),
    _rule(r"page chrome dropped: " + _Q("text"), "网页的栏目、导航等文字已去掉：{text}"),
    _rule(r"a footnote kept out of the text: " + _Q("text") + r"; place it where it belongs if it matters",
          "脚注没有放进正文：{text}；如有需要，请放到合适的位置"),
    _rule(r"a forum's category tag dropped from the title: " + _Q("text"), "标题前的论坛栏目标签已去掉：{text}"),
    _rule(r"the opening 【 of a bracketed title, lost in copying, restored: " + _Q("text"),
          "方括号标题缺了前半个“【”，已补上：{text}"),
    _rule(r"advertising or spam line dropped: " + _Q("text"), "广告或无关文字已去掉：{text}"),
    _rule(r"image tag or page markup dropped: " + _Q("text"), "图片标记或网页代码已去掉：{text}"),
    _rule(r"mojibake \(text decoded with the wrong encoding\): " + _Q("text") + r"; it reads " + _Q("fixed") +
          r" when decoded as UTF-8; take the text from the original file",
          "乱码（文字编码读错了）：{text}，正确的文字应是{fixed}；请从原文件重新复制"),
    _rule(r"mojibake \(text decoded with the wrong encoding\): " + _Q("text") + r"(?:; take the text from the "
          r"original file)?", "乱码（文字编码读错了）：{text}；请从原文件重新复制"),
    _rule(r"a file name in the text: " + _Q("text"), "正文里有文件名：{text}"),
    _rule(r"a placeholder left in the text: " + _Q("text"), "正文里留有占位符：{text}，请填上实际内容"),
    _rule(r"foreign text run into the Chinese \(injected or scrambled\): " + _Q("text") + r"…",
          "中文里夹杂外文（可能是插入的或乱码）：{text}…"),
    _rule(r"scrambled sentence \(its words do not read\): " + _Q("text"), "语句不通（可能是乱码或错序）：{text}"),
    _rule(r"half-width punctuation replaced by full-width(?P<rest>: .*)?", "半角标点已改为全角{rest}"),
    _rule(r"stray English word " + _Q("word") + r" replaced by (?P<by>.+)",
          "夹在中文里的英文词{word}已改为“{by}”"),
    _rule(r"stray English word " + _Q("word") + r" between Chinese words", "中文之间夹着英文词{word}，请核对"),
    _rule(r"spaces between Han and Latin/digits removed \(the renderer spaces them\)(?P<rest>: .*)?",
          "汉字与字母、数字之间的空格已去掉（排版时自动留出）{rest}"),
    _rule(r"spaces next to full-width punctuation removed(?P<rest>: .*)?", "全角标点旁的空格已去掉{rest}"),
    _rule(r"unbalanced quotation marks “” \((?P<a>\d+) opening, (?P<b>\d+) closing\); check the original",
          "引号“”不成对（前引号{a}个、后引号{b}个）；请对照原文"),
    _rule(r"unbalanced book-title marks 《》 \((?P<a>\d+) opening, (?P<b>\d+) closing\); check the original",
          "书名号《》不成对（前书名号{a}个、后书名号{b}个）；请对照原文"),
    _rule(r"text inserted into a sentence \((?P<text>.*)\) moved out, the sentence joined",
          "插在句子中间的文字（{text}）已移出，句子已接上"),
    _rule(r"page or column break inside a sentence joined \((?P<text>.*)\)", "被分页或分栏断开的句子已接上（{text}）"),
    _rule(r"same text as (?P<other>.+?); one of them is probably an extraction error — check the original",
          "与{other}的文字相同，其中一处可能是读取错误；请对照原文"),
    _rule(r"paragraph duplicated from (?P<other>.+?) \((?P<text>.*)\) removed", "从{other}重复过来的段落（{text}）已删除"),
    _rule(r"sentence also in (?P<other>.+?) \((?P<text>.*)\); one copy is probably an extraction error — check "
          r"the original", "这句话在{other}也有（{text}），其中一处可能是读取错误；请对照原文"),
    _rule(r"the document numbered its items (?P<shown>.+?); they are numbered by their order here \(1, 2, 3 …\) — "
          r"pin a number in the data \(number:\) only where it must stay",
          "原文的编号是 {shown}；这里按顺序编号（1、2、3……），只有必须保留原编号的项目才填“固定编号”"),
    _rule(r"a list written inside a paragraph read as (?P<n>\d+) items \((?P<text>.*)\)",
          "写在段落里的列表已读成{n}项（{text}）"),
    _rule(r"a title of (?P<n>\d+) characters: the text after " + _Q("head") + r"… is its body; check both",
          "标题有{n}个字：{head}…之后的文字作为正文；请核对"),
    _rule(r"no list name found in its heading or lead sentence; named by position",
          "标题行和引语里没有列表名称，按位置命名；请填写列表名称"),
    _rule(r"the detailed sections of its (?P<n>\d+) items \((?P<name>.+)\) merged into the summary list",
          "后面逐项展开的{n}项（{name}）已并入前面的概要列表"),
    _rule(r"the title is the document's line (?P<k>\d+); the (?P<n>\d+) lines above it \(a notice, 主送 or 红头\) are kept "
          r"as text before it", "标题在第{k}行；它上面的{n}行（通知、主送或红头）作为正文保留在标题之前"),
    _rule(r"the text does not begin with a title: the title is left empty; fill it in", "原文开头不是标题：标题留空，请填写"),
    _rule(r"doubled characters \(fake-bold text\) undone: (?P<text>.*)", "重复的字（仿粗体造成）已还原：{text}"),
    _rule(r"asked for a bulletin, but no numbered items were found: read as a report instead",
          "指定按公报读入，但没有找到带编号的事项：改按报道读入"),
    _rule(r"the text does not state its year: the year is left empty; fill it in \(or pass --year\)",
          "原文没有写明年份：年份留空，请填写"),
    _rule(r"no numbered items were found: read as a report of headings and paragraphs",
          "没有找到带编号的事项：按小标题和段落读成报道"),
    _rule(r"asked for a review, but no numbered sections were found: read as a report instead",
          "指定按回眸读入，但没有找到带编号的部分：改按报道读入"),
    _rule(r"no theme word in the headline of section (?P<n>[0-9, ]+): its keyword is left empty; fill it in",
          "第{n}部分的标题里没有主题词：关键词留空，请填写（两个字，如 思想）"),
    _rule(r"text moved out of a sentence is not part of the item's text and was dropped: " + _Q("text") +
          r"; put it back if it belongs", "从句子中移出的文字不属于事项正文，已去掉：{text}；如属正文请补回"),
    _rule(r"year (?P<year>\d+) guessed from the text; pass --year to set it", "年份{year}是从正文推测的，请核对"),
    _rule(r"item has no text", "这一项没有正文"),
    _rule(r"the closing sign-off \(落款\) (?P<text>.+) is kept as the document's sign-off, not an item's text",
          "文末的落款（{text}）已作为落款保存，不算事项正文"),
    _rule(r"the first line \((?P<first>.+)\) is the association's name, above the heading: the title is the "
          r"heading \((?P<title>.+)\)", "第一行（{first}）是单位名称，标题取下面的标题行（{title}）"),
    _rule(r"text outside any item dropped: " + _Q("text"), "不属于任何事项的文字已去掉：{text}"),
    _rule(r"list name not found in the title; named by position", "标题里没有列表名称，按位置命名；请填写列表名称"),
    _rule(r"text outside any item or section dropped: " + _Q("text"), "不属于任何事项或部分的文字已去掉：{text}"),
    _rule(r"no voting period found", "没有找到投票时间"),
    _rule(r"URL split over (?P<n>\d+) lines joined: (?P<url>.+)", "分成{n}行的网址已接上：{url}"),
    _rule(r"date (?P<date>.+) with no article before it dropped", "前面没有文章的日期 {date} 已去掉"),
    _rule(r"a line after the last dated article, with no text of its own, dropped: " + _Q("text"),
          "最后一篇文章之后、没有正文的一行已去掉：{text}"),
    _rule(r"text after the last dated article kept as an undated article", "最后一篇文章之后的文字保留为一篇没有日期的文章"),
    _rule(r"points before any section dropped", "第一部分之前的要点已去掉"),
    _rule(r"text outside any section dropped: (?P<text>.*)", "不属于任何部分的文字已去掉：{text}"),
    _rule(r"no headline found; the first subheading is used", "没有找到标题，用第一个小标题代替"),
)
_LINES = re.compile(r": (?P<places>.*); lines (?P<lines>[\d, ]+)$")


def _unquote(value: str) -> str:
    """A repr'd piece of the document ('…') as people quote it (“…”)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = value[1:-1]
        return f"“{value}”"
    return value


def _rest(value: str) -> str:
    """The summary's tail (": 十件大事 3, 十件大事 4; lines 12, 15") in Chinese."""
    match = _LINES.fullmatch(value)
    if not match:
        return value.replace(": ", "：", 1)
    places = "、".join(place(p.strip()) for p in match.group("places").split(", ") if p.strip())
    lines = "、".join(match.group("lines").replace(" ", "").split(","))
    return f"：{places}（第{lines}行）"


def place(where: str) -> str:
    """The place of a finding as people name it: ``十件大事 3`` → 十件大事 第3项."""
    where = where.strip()
    if where in _PLACES:
        return _PLACES[where]
    for pattern, words in _PLACE_PATTERNS:
        if pattern.match(where):
            return pattern.sub(words, where)
    return where


def message(text: str) -> str:
    """A finding's message in Chinese (the English one when no rule knows it: a test keeps
    every message extraction writes in the table)."""
    for pattern, words in RULES:
        match = pattern.match(text)
        if match:
            groups = {name: (_rest(value) if name == "rest" else place(value) if name in ("other", "moved")
                             else _unquote(value)) if value else ""
                      for name, value in match.groupdict().items()}
            return words.format(**groups)
    return text


def chinese(finding) -> tuple[str, str]:
    """``(place, message)`` of an extraction finding, in Chinese."""
    return place(finding.where), message(finding.message)
