"""The "数说" key-figures panel: the few figures that tell a report's story.

Built from the metrics detected in the text (or given explicitly in the data as
``key_figures``): shares (%, 个百分点) first, then large counts, each with a short
label taken from the clause it stands in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import metrics as _metrics
from ..layouts import get as get_layout
from ..model import Report

CLAUSE_BREAK = "，。；：！？,;:!?\n"
TRAILING_VERBS = ("达到", "提高到", "提高了", "提高", "超过", "达", "为", "至", "到", "共", "约", "近", "逾", "累计")
LEADING_FILLER = re.compile(r"^(?:为了|为|其中|同时|此外|并且|确保|力争|预计到|预计|截至)+")


@dataclass(frozen=True)
class KeyFigure:
    value: str     # as written: 10.2%, 3100名, 5.46个百分点
    label: str     # what it counts: 全市公民具备科学素质比例
    qualifier: str = ""

    @property
    def parts(self) -> tuple[str, str]:
        """(number, unit) for setting the number large: ("5.46", "个百分点")."""
        match = re.match(r"^([\d.,]+(?:[余多])?(?:万亿|亿|万|千)?)(.*)$", self.value)
        return (match.group(1), match.group(2)) if match else (self.value, "")


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    left = start
    while left > 0 and text[left - 1] not in CLAUSE_BREAK:
        left -= 1
    right = end
    while right < len(text) and text[right] not in CLAUSE_BREAK + "、":
        right += 1
    return text[left:start], text[end:right]


# a clause that states a goal, not a result: 确保2025年…超过15%, 力争, 预计到
TARGET = re.compile(r"确保|力争|预计|目标|计划到|争取到|将达到|(?:到|至)(?:19|20)\d{2}年")
# where an enumeration of what was counted ends: 3100名院长、校长、站长担任…
_ENUM_END = re.compile(r"担任|参加|参与|成为|获得|获评|被|进入|受到|加入|组成")


def is_target(text: str, metric: _metrics.Metric) -> bool:
    """The figure is a goal: its sentence, up to the figure, says so."""
    start = max(text.rfind(mark, 0, metric.start) for mark in "。；！？") + 1
    return TARGET.search(text[start:metric.start]) is not None


def _enumerated(text: str, end: int) -> str | None:
    """What a figure counts when an enumeration follows it: 3100名医院（卫生院）院长、学校校长、
    农技站站长（…）担任… → 院长、校长、站长; None without one."""
    right = end
    while right < len(text) and text[right] not in CLAUSE_BREAK:
        right += 1
    clause = re.sub(r"（[^（）]*）|\([^()]*\)", "", text[end:right])
    cut = _ENUM_END.search(clause)
    clause = clause[:cut.start()] if cut else clause
    items = [item for item in clause.split("、") if item]
    if len(items) < 2 or any(len(item) < 2 for item in items):
        return None
    return "、".join(item[-2:] for item in items)


def label_for(text: str, metric: _metrics.Metric, limit: int = 14) -> str:
    before, after = _clause(text, metric.start, metric.end)
    before = LEADING_FILLER.sub("", before.strip())
    before = re.sub(r"^(?:(?:19|20)\d{2}年[，]?)", "", before)
    keep_verb = metric.unit in ("个百分点", "百分点")  # 提高5.46个百分点: the verb is the point
    changed = not keep_verb
    while changed:
        changed = False
        for verb in TRAILING_VERBS:
            if before.endswith(verb) and len(before) > len(verb):
                before, changed = before[: -len(verb)], True
    after = after.strip()
    enumerated = _enumerated(text, metric.end) if len(before) < 6 else None
    if metric.unit in ("%", "个百分点", "百分点") or len(before) >= 6:
        label = before
    elif enumerated:
        label = enumerated
    else:
        label = (before + after) if len(before) <= 3 else before
        label = after if len(after) >= 4 and len(before) <= 3 else label
    label = label.strip("，、 的")
    if len(label) > limit:
        label = label[-limit:]
        cut = next((i + 1 for i, ch in enumerate(label[:6]) if ch in "的”）年末"), 0)
        label = label[cut:]
    return label


def _rank(metric: _metrics.Metric) -> tuple:
    share = metric.unit in ("%", "个百分点", "百分点")
    big = metric.scaled >= 1000 or metric.magnitude in ("万", "亿", "万亿")
    return (0 if share else 1 if big else 2,)


def paragraphs_of(report: Report):
    """Every running-text paragraph of a report, whatever its layout."""
    yield from report.intro
    for lst in report.all_lists():
        for item in lst.items:
            yield from item.paragraphs
    for article in report.articles:
        for block in article.body:
            if isinstance(block, str):
                yield block
    for section in report.sections:
        for point in section.points:
            yield point.text


def key_figures(report: Report, limit: int = 4) -> list[KeyFigure]:
    """The report's explicit ``key_figures``, or the *limit* most telling detected ones."""
    if report.key_figures:
        return [KeyFigure(f.value, f.label) for f in report.key_figures][:limit]
    candidates = []
    order = 0
    for text in paragraphs_of(report):
        for metric in _metrics.find_all(text):
            if is_target(text, metric):  # a goal is not a result: left out of the panel
                continue
            if not re.search(r"\d", metric.text):  # 七个方面: a count in words, not a figure to set large
                continue
            label = label_for(text, metric)
            if len(label) < 2:
                continue
            leading = metric.qualifier if metric.qualifier and metric.text.startswith(metric.qualifier) else ""
            value = metric.text[len(leading):]  # 余/多 stay in the value: 1300多名
            candidates.append((_rank(metric), order, KeyFigure(value, label, leading)))
            order += 1
    chosen: list[KeyFigure] = []
    seen = set()
    for _, _, figure in sorted(candidates, key=lambda c: (c[0], c[1])):
        if figure.value in seen:
            continue
        seen.add(figure.value)
        chosen.append(figure)
        if len(chosen) == limit:
            break
    return chosen



def panel(report: Report, theme) -> list[KeyFigure]:
    """The figures of the 数说 panel for *report* under *theme*; empty when the panel is off
    (the theme decides; by default it is on only for the newspaper report layout)."""
    show = theme.key_figures if theme.key_figures is not None else get_layout(report.layout).key_figures
    return key_figures(report, theme.key_figures_count) if show else []
