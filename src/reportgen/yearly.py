"""This year from last year: moving a document to a new year, and checking that a
document's year, title and headings agree.

``reportgen new --from LAST.yaml --year 2021`` and ``extract --year`` use
:func:`next_year`; ``validate``, ``render`` and the studio report :func:`consistency_warnings`.
"""
from __future__ import annotations

import datetime as dt
import re

from .model import Item, ItemList, ListBlock, Report

#: lists that by their name hold ten items (十件大事, 十大亮点, 十大科普事件 …)
_TEN = re.compile(r"^十(?:件|大|项|个)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_STATED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?![—\-–～~至到])")

DRAFT_TITLE = "（待填写）"


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


def consistency_warnings(report: Report) -> list[str]:
    """What a reader would find wrong although each field is valid on its own: a title or
    heading of another year, a 十件大事 without ten items, last year's items still in."""
    warnings = []
    # a bulletin's or a ballot's title names its year; a news headline may name any year
    titled = [("title", report.title)] if report.layout in ("bulletin", "ballot") else []
    places = titled + [(f"{lst.name} heading", report.list_heading(lst)) for lst in report.all_lists()]
    for where, text in places:
        year = stated_year(text)
        if year is not None and year != report.year:
            warnings.append(f"{where}: says {year}年 but the document's year is {report.year}")
    if report.layout != "ballot":  # a ballot's candidate lists hold more than ten
        for lst in report.all_lists():
            if _TEN.match(lst.name) and len(lst.items) != 10:
                warnings.append(f"{lst.name}: a list named {lst.name} holds {len(lst.items)} items, not 10")
    for where, image in report.images():
        if not image.path and (image.caption or image.credit):
            warnings.append(f"{where}: the caption {image.caption[:20]!r} has no photo (image.path) and is "
                            "not printed; add the photo's file, or delete the caption")
    for lst in report.all_lists():
        for position, item in enumerate(lst.items, 1):
            if not item.paragraphs and not item.draft:
                warnings.append(f"{lst.name} 第{position}项: no text yet (only the title is printed)")
        drafts = [position for position, item in enumerate(lst.items, 1) if item.draft]
        if drafts:
            which = (f"all {len(drafts)} items are" if len(drafts) == len(lst.items) else
                     "、".join(f"第{p}项" for p in drafts[:10]) + ("…" if len(drafts) > 10 else "")
                     + (" is" if len(drafts) == 1 else " are"))
            warnings.append(f"{lst.name}: {which} last year's drafts to replace "
                            "(remove 'draft: true' from an item when it is this year's)")
    return warnings
