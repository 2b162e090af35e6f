"""The studio's form merged into a data file's content, edited in place.

What the form does not show of an item, an article or a section (its credits, metrics given
by hand, comments in the file …) stays as it was; what the form changed replaces it. The
data is ruamel.yaml's round-trip structure (or plain dicts and lists), never a model: the
merged document is validated as a whole afterwards (``documents.Folder.check``).
"""
from __future__ import annotations

from typing import Any

from ..yearly import DRAFT_TITLE


def entry_at(old: list, index: Any, default: Any = None) -> Any:
    """The entry the form's *index* names in *old* (what the file held there), or *default*
    for a new entry (no index, or one out of range)."""
    return old[index] if isinstance(index, int) and 0 <= index < len(old) else default


def merge_list(lst, entry: dict[str, Any]) -> None:
    """A list's name, note and items from the form, edited in place: what the form does not
    show of an item (its number, credits, metrics given by hand …) stays."""
    old_items = list(lst.get("items") or [])
    # numbers that only repeat the order (as extraction once wrote them) were never pinned:
    # after a delete or a move the list numbers itself again
    printed = [old.get("number") for old in old_items if isinstance(old, dict)]
    by_order = all(n is None or n == position for position, n in enumerate(printed, 1))
    items = []
    for item in entry.get("items", []):
        source = item.get("index")
        kept = entry_at(old_items, source, {})
        kept.pop("metrics", None)  # figures are detected again from the edited text
        if "number" in item:  # 固定编号: a number the user pinned, or "" (the list's order)
            pinned = str(item.get("number") or "").strip()
            if pinned:
                kept["number"] = int(pinned) if pinned.isdigit() else pinned  # else: 应为整数 beside it
            else:
                kept.pop("number", None)
        elif by_order:
            kept.pop("number", None)
        paragraphs = [str(p).strip() for p in item.get("paragraphs", []) if str(p).strip()]
        rewritten = kept.get("title") != item.get("title", "") or list(kept.get("paragraphs") or []) != paragraphs
        if rewritten and kept.get("draft") and item.get("title", "") != DRAFT_TITLE:
            kept.pop("draft")  # last year's item rewritten in the form: this year's now
        kept["title"] = item.get("title", "")
        if list(kept.get("paragraphs") or []) != paragraphs:
            kept["paragraphs"] = paragraphs
        if "dates" in item:
            dates = [str(d).strip() for d in item["dates"] if str(d).strip()]
            if dates != [str(d) for d in kept.get("dates") or []]:
                if dates:
                    kept["dates"] = dates
                else:
                    kept.pop("dates", None)
        if "images" in item:
            old_images = list(kept.get("images") or [])
            images = []
            for image in item["images"]:
                at = image.get("index")
                picture = entry_at(old_images, at, {})
                if image.get("path"):
                    picture["path"] = image["path"]
                picture["caption"] = image.get("caption", "")
                images.append(picture)
            if images:
                kept["images"] = images
            else:
                kept.pop("images", None)
        items.append(kept)
    if "name" in entry:
        lst["name"] = entry.get("name", "")
    if "heading" in entry:  # the line printed above the list ("" : the name, with the year)
        if str(entry.get("heading") or "").strip():
            lst["heading"] = str(entry["heading"]).strip()
        else:
            lst.pop("heading", None)
    lst["items"] = items
    if entry.get("ordering_note") or "ordering_note" in lst:
        lst["ordering_note"] = entry.get("ordering_note") or ""


def merge_signoff(data, given: dict[str, Any]) -> None:
    """The 落款 (issuing body and date) from the form; both left empty takes it away."""
    name = str(given.get("name") or "").strip()
    date = str(given.get("date") or "").strip()
    if not name and not date:
        data.pop("signoff", None)
        return
    signoff = data.setdefault("signoff", {})
    signoff["name"] = name
    if date:
        signoff["date"] = date
    else:
        signoff.pop("date", None)


def article_block(data, article, block):
    found = entry_at(data.get("articles") or [], article)
    return None if found is None else entry_at(found.get("body") or [], block)


def merge_article(data, entry: dict[str, Any]) -> None:
    """An article's head (引题, title, byline, source, date) and its body: paragraphs and
    subheadings edited, emptied paragraphs dropped, new paragraphs added; pictures keep their
    file (their caption is edited) and lists are edited with the lists."""
    article = entry_at(data.get("articles") or [], entry.get("index"))
    if article is None:
        return
    for key in ("kicker", "title", "subtitle", "byline", "source"):
        if key in entry and (entry[key] or key in article):
            article[key] = entry[key]
    if "date" in entry:
        if entry["date"]:
            article["date"] = entry["date"]
        else:
            article.pop("date", None)
    if "body" not in entry:
        return
    old = list(article.get("body") or [])
    body = []
    for block in entry["body"]:
        at, text = block.get("index"), str(block.get("text", ""))
        previous = entry_at(old, at)
        if previous is None or isinstance(previous, str):
            if text.strip():
                body.append(text.strip())
        elif "heading" in previous:
            if text.strip():
                previous["heading"] = text.strip()
                body.append(previous)
        elif "image" in previous:
            previous["image"]["caption"] = text
            body.append(previous)
        else:  # a list: edited with the lists
            body.append(previous)
    article["body"] = body


def merge_section(data, entry: dict[str, Any]) -> None:
    """A review section's keyword and headline and its points (lead and text)."""
    section = entry_at(data.get("sections") or [], entry.get("index"))
    if section is None:
        return
    for key in ("keyword", "headline"):
        if key in entry:
            section[key] = entry[key]
    if "points" not in entry:
        return
    old = list(section.get("points") or [])
    points = []
    for point in entry["points"]:
        at = point.get("index")
        kept = entry_at(old, at, {})
        lead, text = str(point.get("lead", "")).strip(), str(point.get("text", "")).strip()
        if not lead and not text:
            continue
        kept["lead"], kept["text"] = lead, text
        points.append(kept)
    section["points"] = points
