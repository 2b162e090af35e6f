"""This year from last year: moving a document to a new year, and checking that a
document's year, title and headings agree.

``reportgen new --from LAST.yaml --year 2021`` and ``extract --year`` use
:func:`next_year`; ``validate``, ``render`` and the studio report :func:`consistency_warnings`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .layouts import get as get_layout
from .model import Item, ItemList, ListBlock, Report

#: lists that by their name hold ten items (十件大事, 十大亮点, 十大科普事件 …)
_TEN = re.compile(r"^十(?:件|大|项|个)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_STATED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?![—\-–～~至到])")

DRAFT_TITLE = "（待填写）"
#: how the studio's new documents begin the text they leave to be written
PLACEHOLDER_TEXT = "在这里写"


def _move_years(text: str, old: int, new: int) -> str:
    """*text* with the years around *old* (the year before, itself, the year after)
    moved by ``new - old``: "2020年" → "2021年", "2019—2020学年" → "2020—2021学年"."""
    delta = new - old

    def move(match: re.Match) -> str:
        year = int(match.group(1))
        return str(year + delta) if abs(year - old) <= 1 else match.group(1)

    return _YEAR.sub(move, text)


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _moved_list(lst: ItemList, old: int, new: int, empty: bool) -> ItemList:
    if empty:
        items = [Item(title=DRAFT_TITLE, paragraphs=[], draft=True) for _ in lst.items]
    else:
        items = [item.model_copy(update={"draft": True}) for item in lst.items]
    heading = _move_years(lst.heading, old, new) if lst.heading else lst.heading
    return lst.model_copy(update={"items": items, "heading": heading})


def next_year(report: Report, year: int, *, empty: bool = False) -> Report:
    """Last year's *report* as the start of *year*'s.

    Every year in the title, subtitle, running header and list headings moves with the
    document (so do the vote's dates); last year's items stay as drafts to replace
    (``draft: true``, which ``validate`` and ``render`` point out), or, with *empty*,
    become as many empty slots; the extraction notes (``source``) are cleared.
    """
    old = report.year if report.year is not None else year  # a year left empty: nothing to move
    data = {
        "year": year,
        "title": _move_years(report.title, old, year),
        "subtitle": _move_years(report.subtitle, old, year),
        "header": _move_years(report.header, old, year),
        "lists": [_moved_list(lst, old, year, empty) for lst in report.lists],
        "source": None,
    }
    if report.vote is not None:
        data["vote"] = report.vote.model_copy(update={"start": _shift(report.vote.start, year - old),
                                                      "end": _shift(report.vote.end, year - old)})
    if report.signoff is not None and report.signoff.date is not None:  # 落款 a year on, as the vote's dates
        data["signoff"] = report.signoff.model_copy(update={"date": _shift(report.signoff.date, year - old)})
    if report.articles:
        articles = []
        for article in report.articles:
            body = [block.model_copy(update={"list": _moved_list(block.list, old, year, empty)})
                    if isinstance(block, ListBlock) else block for block in article.body]
            articles.append(article.model_copy(update={"body": body}))
        data["articles"] = articles
    # validated as a whole, as a data file would be
    return Report.model_validate(report.model_copy(update=data).model_dump())


def stated_year(text: str) -> int | None:
    """The first year a title states as "2020年" (not the start of a range such as 2021—2025年)."""
    match = _STATED_YEAR.search(text)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Warning_:
    """One thing a reader would find wrong: the field it is about (a data path such as
    ``lists[0].heading``; "" for the document or an article's list), in English for the CLI
    and in Chinese for the studio."""

    field: str
    message: str
    chinese: str


def consistency_findings(report: Report) -> list[Warning_]:
    """What a reader would find wrong although each field is valid on its own: a title or
    heading of another year, a 十件大事 without ten items, last year's items still in."""
    found: list[Warning_] = []
    paths = {id(lst): f"lists[{i}]" for i, lst in enumerate(report.lists)}
    # a bulletin's or a ballot's title names its year; a news headline may name any year
    layout = get_layout(report.layout)
    if layout.title_names_year:
        year = stated_year(report.title)
        if year is not None and year != report.year:
            found.append(Warning_("title", f"title: says {year}年 but the document's year is {report.year}",
                                  f"标题写的是{year}年，但文件的年份是{report.year}年"))
    for lst in report.all_lists():
        path = paths.get(id(lst), "")
        heading = report.list_heading(lst)
        year = stated_year(heading)
        if year is not None and year != report.year:
            found.append(Warning_(f"{path}.heading" if path else "",
                                  f"{lst.name} heading: says {year}年 but the document's year is {report.year}",
                                  f"列表“{lst.name}”的标题行“{heading}”写的是{year}年，但文件的年份是{report.year}年"))
    if layout.lists_of_ten:  # a ballot's candidate lists hold more than ten
        for lst in report.all_lists():
            if _TEN.match(lst.name) and len(lst.items) != 10:
                found.append(Warning_(f"{paths[id(lst)]}.name" if id(lst) in paths else "",
                                      f"{lst.name}: a list named {lst.name} holds {len(lst.items)} items, not 10",
                                      f"列表名为“{lst.name}”，却有{len(lst.items)}项，不是10项"))
    for where, image in report.images():
        if not image.path and (image.caption or image.credit):
            found.append(Warning_("", f"{where}: the caption {image.caption[:20]!r} has no photo (image.path) and is "
                                  "not printed; add the photo's file, or delete the caption",
                                  f"{where}：图注“{image.caption[:20]}”没有照片，不会印出；请上传照片或删除图注"))
    for lst in report.all_lists():
        path = paths.get(id(lst), "")
        for position, item in enumerate(lst.items, 1):
            if not item.paragraphs and not item.draft:
                found.append(Warning_(f"{path}.items[{position - 1}].paragraphs" if path else "",
                                      f"{lst.name} 第{position}项: no text yet (only the title is printed)",
                                      f"{lst.name} 第{position}项还没有正文（只印标题）"))
        drafts = [position for position, item in enumerate(lst.items, 1) if item.draft]
        if drafts:
            which = (f"all {len(drafts)} items are" if len(drafts) == len(lst.items) else
                     "、".join(f"第{p}项" for p in drafts[:10]) + ("…" if len(drafts) > 10 else "")
                     + (" is" if len(drafts) == 1 else " are"))
            places = "、".join(f"第{p}项" for p in drafts[:10]) + ("…" if len(drafts) > 10 else "")
            found.append(Warning_(f"{path}.items[{drafts[0] - 1}].title" if path else "",
                                  f"{lst.name}: {which} last year's drafts to replace "
                                  "(remove 'draft: true' from an item when it is this year's)",
                                  f"{lst.name}：{places}还是去年的草稿（draft），请换成今年的内容"))
        pinned = [item.number for item in lst.items]
        if any(n is not None for n in pinned) and \
                [n if n is not None else p for p, n in enumerate(pinned, 1)] != list(range(1, len(pinned) + 1)):
            shown = " ".join(str(n) for n, _ in lst.numbered()[:20])
            found.append(Warning_(f"{path}.items" if path else "",
                                  f"{lst.name}: pinned numbers print as {shown}, not in the list's order",
                                  f"列表“{lst.name}”有固定编号，印出来是 {shown}，与顺序不一致；"
                                  "不需要固定时请按顺序重新编号"))
    for where, text in report.texts():
        if text.startswith(PLACEHOLDER_TEXT):
            found.append(Warning_("", f"{where}: still the placeholder text {text[:20]!r}",
                                  f"{where}：还是占位文字“{text[:20]}”，请改写"))
    return found


def consistency_warnings(report: Report) -> list[str]:
    """:func:`consistency_findings` as the CLI's one-line warnings."""
    return [w.message for w in consistency_findings(report)]
