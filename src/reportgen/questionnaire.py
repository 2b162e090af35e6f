"""Questionnaire exports as the platforms give them: one row per respondent.

问卷星 (wjx.cn), 问卷网 (wenjuan.com) and 腾讯问卷 export a row per submitted questionnaire: an
answer number (序号/编号), the submission time (提交答卷时间/提交时间/结束答题时间), the respondent's
IP (来自IP/IP地址), then a column per question such as
"1、请选出您心目中的“十件大事”（最多选10项）". A multi-select answer is either one cell with the
chosen options joined by ┋ (问卷星; texts or option numbers, "|" elsewhere), or one column per
option holding 1/0 (or the option's text when chosen). :func:`respondent_votes` turns such a table
into one vote per chosen option, which ``reportgen.tally`` then counts under the brochure's rules.

A question belongs to a list when its text names the list (大事 → 候选大事, 亮点 → 候选亮点); an
option is a candidate when its text is the candidate's title, whatever the punctuation and the
width of its characters, or when it is the candidate's option number.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

TIME = ("提交答卷时间", "提交时间", "结束答题时间", "答题结束时间", "提交答卷的时间", "submit time", "submitted at",
        "end time", "completion time", "结束时间", "时间")
VOTER = ("来自ip", "ip地址", "ip", "ip address", "openid", "微信openid", "用户id", "user id", "respondent id")
NUMBER = ("序号", "编号", "答卷编号", "答题序号", "id", "no.", "response id")
CHOSEN = {"1", "1.0", "是", "√", "✓", "true", "yes", "选中", "已选"}
SPLIT = re.compile(r"\s*[┋|\n]\s*")
OPTION_PREFIX = re.compile(r"^(?:[A-Za-z][.、．)]|\d{1,3}[.、．)])\s*")


def normalized(text) -> str:
    """For matching an option to a title: full/half width folded, punctuation and spaces out."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(ch for ch in text if not (unicodedata.category(ch)[0] in "PZS" or ch.isspace()))


@dataclass
class Vote:
    voter: str
    when: dt.datetime | None
    candidate: object | None      # a tally.Candidate, or None for an option that is no candidate
    label: str                    # what the export said (for the audit)


@dataclass
class Respondents:
    shape: str
    votes: list[Vote] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)   # header → list name
    ignored: list[str] = field(default_factory=list)          # questions about no list


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in header:
            return name
    return None


def respondent_votes(rows: list[dict], report, candidates, parse_time) -> Respondents | None:
    """The votes of a one-row-per-respondent export, or None when *rows* are not one."""
    if not rows:
        return None
    header = list(rows[0])
    time_col = _column(header, TIME)
    if time_col is None:
        return None
    voter_col = _column(header, VOTER) or _column(header, NUMBER)
    by_title = {normalized(c.item.title): c for c in candidates}
    lists = [(index, lst) for index, lst in enumerate(report.lists)]

    def list_of(text: str) -> int | None:
        """The list a question names: the longest list keyword found in it."""
        best, length = None, 0
        for index, lst in lists:
            for word in {lst.name, lst.name.removeprefix("候选"), (lst.heading or "")}:
                word = normalized(word)
                if word and word in normalized(text) and len(word) > length:
                    best, length = index, len(word)
        return best

    option_columns: dict[str, Any] = {}      # column → the candidate it is the option of
    question_columns: dict[str, int] = {}    # column → the list its answers choose from
    ignored = []
    for column in header:
        if column in (time_col, voter_col) or column in NUMBER or column in TIME:
            continue
        folded = normalized(column)
        hit = next((c for title, c in by_title.items() if title and title in folded), None)
        if hit is not None:
            option_columns[column] = hit
            continue
        index = list_of(column)
        if index is not None:
            question_columns[column] = index
        elif re.match(r"^(?:q?\d+[、.．:：)]|第\d+题)", column):
            ignored.append(column)
    if not option_columns and not question_columns:
        return None
    shape = "每份问卷一行（" + ("每个选项一列" if option_columns and not question_columns else "多选答案在一格") + "）"
    out = Respondents(shape, questions={c: report.lists[i].name for c, i in question_columns.items()},
                      ignored=ignored)
    for number, row in enumerate(rows, 1):
        voter = str(row.get(voter_col, "") if voter_col else "").strip() or f"#{number}"
        when = parse_time(row.get(time_col, ""))
        for column, candidate in option_columns.items():
            value = str(row.get(column, "")).strip()
            if value and (value.lower() in CHOSEN or normalized(value) == normalized(candidate.item.title)):
                out.votes.append(Vote(voter, when, candidate, value))
        for column, index in question_columns.items():
            cell = str(row.get(column, "")).strip()
            if not cell or cell in ("(跳过)", "(空)", "-3", "-2"):
                continue
            in_list = [c for c in candidates if c.list_index == index]
            for part in SPLIT.split(cell):
                part = part.strip()
                if not part:
                    continue
                if part.isdigit():  # 问卷星 "按序号" exports: the option's number, in the list's order
                    position = int(part)
                    chosen = in_list[position - 1] if 1 <= position <= len(in_list) else None
                else:
                    key = normalized(OPTION_PREFIX.sub("", part))
                    chosen = next((c for c in in_list if normalized(c.item.title) == key), None) \
                        or by_title.get(key)
                out.votes.append(Vote(voter, when, chosen, part))
    return out
