"""What each saved version changed, in words an office reads: 改了标题；十件大事 第3、5项；落款.

A history entry (``.reportgen/history/<stem>/<time>.yaml``) is the content a save replaced;
what that save changed is the difference between the entry and the next newer one (or the
file as it is now). Entries never change, so each is parsed once per studio process.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..errors import ReportgenError
from ..io import read_yaml

#: top-level fields by the name the form gives them
FIELDS = {"title": "标题", "subtitle": "副标题", "year": "年份", "association": "单位", "theme": "样式",
          "intro": "活动简介", "vote": "投票", "signoff": "落款", "articles": "文章", "sections": "各部分",
          "header": "页眉", "slogan": "口号", "keywords": "关键词", "key_figures": "数说"}


@functools.lru_cache(maxsize=256)
def _entry(path: Path, stamp: tuple[int, int]) -> Any:
    return read_yaml(path)[0]


def _data(path: Path) -> Any:
    try:
        info = path.stat()
        return _entry(path, (info.st_mtime_ns, info.st_size))
    except (OSError, ReportgenError):
        return None


def _lists(data: Any) -> dict[str, list]:
    lists = data.get("lists") if isinstance(data, dict) else None
    return {str(lst.get("name", "")): list(lst.get("items") or []) for lst in lists or [] if isinstance(lst, dict)}


def describe(old: Any, new: Any) -> str:
    """What changed from *old* to *new* (plain data of two versions), in a line."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return "无法读出这一版的内容"
    said = [words for key, words in FIELDS.items() if old.get(key) != new.get(key)]
    before, after = _lists(old), _lists(new)
    for name in after:
        if name not in before:
            said.append(f"新增列表“{name}”")
            continue
        was, now = before[name], after[name]
        if len(was) != len(now):
            said.append(f"{name} 由{len(was)}项变为{len(now)}项")
        else:
            changed = [str(i) for i, (a, b) in enumerate(zip(was, now), 1) if a != b]
            if changed:
                said.append(f"{name} 第{'、'.join(changed[:8])}{'…' if len(changed) > 8 else ''}项")
    said += [f"删去列表“{name}”" for name in before if name not in after]
    if not said and [lst.get("heading") for lst in old.get("lists") or []] != \
            [lst.get("heading") for lst in new.get("lists") or []]:
        said.append("列表标题行")
    return "改了" + "；".join(said) if said else "内容没有变化"


def changes(entries: list[Path], current: Path) -> list[str]:
    """For each history entry (newest first), what the save that replaced it changed."""
    newer = [current] + entries[:-1]
    return [describe(_data(entry), _data(after)) for entry, after in zip(entries, newer)]
