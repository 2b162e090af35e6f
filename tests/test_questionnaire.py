"""Vote exports as questionnaire platforms give them (issue 15 item 7): one row per respondent.

The files are written here in the shapes 问卷星, 问卷网 and 腾讯问卷 export (their column names,
their separators, their encodings); the candidates are the 2021 ballot's.
"""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import DATA
from reportgen.cli import main
from reportgen.errors import DataError
from reportgen.io import load_report
from reportgen.tally import tally

BALLOT = DATA / "cq-kx-2021-ballot.yaml"
QUESTION_EVENTS = "1、请选出您心目中的“十件大事”（最多选10项）"
QUESTION_HIGHLIGHTS = "2、请选出您心目中的“十大亮点”（最多选10项）"


@pytest.fixture(scope="module")
def ballot():
    return load_report(BALLOT)


def _when(n: int) -> str:
    return (dt.datetime(2021, 12, 30, 8) + dt.timedelta(minutes=3 * n)).strftime("%Y/%m/%d %H:%M:%S")


def _respondents(ballot, count=30):
    """Respondent n chooses the first 1 + n % 12 candidates of each list (so the first wins)."""
    events, highlights = ballot.lists
    for n in range(count):
        k = 1 + n % 12
        yield n, [i.title for i in events.items[:k]], [i.title for i in highlights.items[:k]]


def test_wjx_csv_options_joined_by_the_pipe_mark_with_a_title_row_in_gbk(tmp_path, ballot):
    path = tmp_path / "问卷星.csv"
    with open(path, "w", newline="", encoding="gbk", errors="strict") as handle:
        writer = csv.writer(handle)
        writer.writerow(["2021年市科协“十件大事”“十大亮点”评选 答卷数据"])
        writer.writerow(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", QUESTION_EVENTS,
                         QUESTION_HIGHLIGHTS, "3、您的年龄段"])
        for n, events, highlights in _respondents(ballot):
            # full-width/half-width and quote differences an export may have
            events = [t.replace("“", '"').replace("”", '"') for t in events]
            writer.writerow([n + 1, _when(n), "35秒", "微信", "N/A", f"10.0.0.{n}(重庆-重庆)",
                             "┋".join(events), "┋".join(highlights), "26-35岁"])
    result = tally(ballot, path, weight=0)
    assert result.shape.startswith("每份问卷一行")
    first = next(c for c in result.candidates if c.list_index == 0 and c.number == ballot.lists[0].numbered()[0][0])
    assert first.votes == 30 and first.rank == 1
    assert result.questions == {QUESTION_EVENTS.lower(): "候选大事", QUESTION_HIGHLIGHTS.lower(): "候选亮点"}
    assert result.ignored == ["3、您的年龄段"]
    assert [r.removed for r in result.rules][:2] == [0, 0]  # every option is a candidate


def test_wjx_option_numbers_and_an_unknown_option(tmp_path, ballot):
    path = tmp_path / "问卷星-序号.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "来自IP", QUESTION_EVENTS])
        for n in range(12):
            writer.writerow([n + 1, _when(n), f"10.1.0.{n}", "┋".join(str(k) for k in range(1, n + 2))])
        writer.writerow([13, _when(13), "10.1.0.99", "1┋其他（请注明）"])
    result = tally(ballot, path, weight=0)
    events = [c for c in result.candidates if c.list_index == 0]
    assert [c.votes for c in events] == [13] + [12 - k for k in range(1, 12)]
    assert result.rules[1].removed == 1 and "其他（请注明）" in result.rules[1].text


def test_tencent_xlsx_one_column_per_option(tmp_path, ballot):
    events = ballot.lists[0].items
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "开始答题时间", "结束答题时间", "IP"] + [f"Q1:{item.title}" for item in events])
    for n in range(20):
        chosen = [1 if k <= n % 12 else 0 for k in range(len(events))]
        sheet.append([n + 1, _when(n), dt.datetime(2021, 12, 30, 9) + dt.timedelta(minutes=n), f"10.2.0.{n}"]
                     + chosen)
    path = tmp_path / "腾讯问卷.xlsx"
    book.save(path)
    result = tally(ballot, path, weight=0)
    assert "每个选项一列" in result.shape
    counts = [c.votes for c in result.candidates if c.list_index == 0]
    assert counts[0] == 20 and counts == sorted(counts, reverse=True)


def test_wenjuan_english_headers_and_bar_separator(tmp_path, ballot):
    path = tmp_path / "wenjuan.csv"
    titles = [i.title for i in ballot.lists[1].items]
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Response ID", "Submit Time", "IP Address", "Q2. Vote for the 十大亮点"])
        for n in range(10):
            writer.writerow([n + 1, _when(n), f"10.3.0.{n}", " | ".join(titles[: 1 + n])])
    result = tally(ballot, path, weight=0)
    highlights = [c for c in result.candidates if c.list_index == 1]
    assert highlights[0].votes == 10 and highlights[9].votes == 1


def test_the_brochures_rules_apply_per_respondent(tmp_path, ballot):
    """The same IP submitting six times a day for one candidate: the per-day limit (5) keeps 5."""
    path = tmp_path / "repeat.csv"
    title = ballot.lists[0].items[0].title
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "来自IP", QUESTION_EVENTS])
        for n in range(6):
            writer.writerow([n + 1, f"2021/12/30 10:0{n}:00", "10.9.9.9", title])
        writer.writerow([7, "2022/02/01 10:00:00", "10.9.9.8", title])  # after the vote closed
    result = tally(ballot, path, weight=0)
    assert next(c for c in result.candidates if c.list_index == 0).votes == 5
    assert result.rules[3].removed == 1 and result.rules[2].removed == 1


def test_a_questionnaire_about_no_list_is_refused_clearly(tmp_path, ballot):
    path = tmp_path / "other.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "来自IP", "1、您对本次活动满意吗"])
        writer.writerow([1, _when(1), "10.0.0.1", "满意"])
    with pytest.raises(DataError, match="questionnaire export with a question naming a list"):
        tally(ballot, path)
    result = CliRunner().invoke(main, ["tally", str(BALLOT), "--votes", str(path), "-o", str(tmp_path / "f.yaml")])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and not (tmp_path / "f.yaml").exists()


def test_a_candidate_listed_twice_is_refused_before_counting(tmp_path, ballot):
    """Two candidates of one list with the same title (a copy-paste slip): a vote for that title
    could go to either, so the tally stops with one clear line and writes nothing."""
    events = ballot.lists[0]
    twice = events.model_copy(update={"items": [*events.items, events.items[2]]})
    data = ballot.model_copy(update={"lists": [twice, ballot.lists[1]]})
    path = tmp_path / "votes.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "来自IP", QUESTION_EVENTS])
        writer.writerow([1, _when(1), "10.0.0.1", events.items[2].title])
    with pytest.raises(DataError, match=r"第3项 and 第13项 have the same title"):
        tally(data, path)
