"""From candidates to the final ten: vote rules, expert review, ties, stuffing, the final bulletin."""
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
DAY = dt.datetime(2021, 12, 30, 9, 0, 0)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def spread_votes(counts: dict[str, int], start=DAY):
    """counts: item id → votes, each from a different voter, one a minute apart per item."""
    rows = []
    for item, n in counts.items():
        for i in range(n):
            rows.append([f"{item}-v{i}", (start + dt.timedelta(minutes=7 * i + len(rows) % 5)).isoformat(" "), item])
    return rows


@pytest.fixture(scope="module")
def ballot():
    return load_report(BALLOT)


def test_rules_and_their_counts(tmp_path, ballot):
    rows = spread_votes({f"候选大事-{n}": 20 - n for n in range(1, 13)} | {f"候选亮点-{n}": 30 - n for n in range(1, 13)})
    rows += [["late", "2022-01-10 08:00:00", "候选大事-1"]] * 3                     # after the period
    rows += [["early", "2021-12-28 23:59:59", "候选大事-1"]] * 2                    # before it
    rows += [["eager", f"2021-12-31 10:0{i}:00", "候选大事-12"] for i in range(8)]  # 8 votes, limit 5
    rows += [["eager", "2022-01-01 10:00:00", "候选大事-12"]]                        # a new day: counts
    rows += [["x", "2021-12-31 10:00:00", "候选大事-13"], ["y", "2021-12-31", "不存在的事项"]]
    rows += [["", "2021-12-31 10:00:00", "候选大事-1"], ["z", "yesterday", "候选大事-1"]]
    votes = write_csv(tmp_path / "votes.csv", ["voter", "time", "item"], rows)
    result = tally(ballot, votes)
    assert [r.removed for r in result.rules] == [2, 2, 5, 3, 0]
    assert "'候选大事-13': 1" in result.rules[1].text
    item12 = next(c for c in result.candidates if c.list_index == 0 and c.number == 12)
    assert item12.votes == 8 + 5 + 1  # spread votes + 5 of 8 on one day + 1 the next day
    events, highlights = result.final.lists
    assert (events.name, highlights.name) == ("十件大事", "十大亮点")
    assert len(events.items) == len(highlights.items) == 10
    # without experts the votes decide: 候选亮点 1..10 have the most votes
    assert [i.title for i in highlights.items] == [i.title for i in ballot.lists[1].items[:10]]
    assert result.final.title == "2021年市科协十件大事十大亮点"


def test_experts_weighted_in(tmp_path, ballot):
    votes = write_csv(tmp_path / "v.csv", ["item", "votes"],
                      [[f"候选大事-{n}", 100] for n in range(1, 13)] + [[f"候选亮点-{n}", 100] for n in range(1, 13)])
    experts = write_csv(tmp_path / "e.csv", ["expert", "item", "score"],
                        [[e, f"候选大事-{n}", 50 + n * 4 + e] for e in (0, 2) for n in range(1, 13)]
                        + [[0, f"候选亮点-{n}", 90 - n] for n in range(1, 13)])
    result = tally(ballot, votes, experts, weight=0.4)
    events = [c for c in result.candidates if c.list_index == 0]
    assert next(c for c in events if c.number == 12).expert == pytest.approx(50 + 48 + 1)
    assert {c.number for c in events if c.selected} == set(range(3, 13))  # equal votes: experts decide
    assert result.shape == "按事项汇总的票数"
    assert result.rules[2].text.startswith("汇总票数无法核对投票时间和每人每天限投次数")


def test_exact_tie_at_the_cut_off_is_reported(tmp_path, ballot):
    counts = {f"候选大事-{n}": 50 - n for n in range(1, 10)} | {"候选大事-10": 30, "候选大事-11": 30, "候选大事-12": 1}
    counts |= {f"候选亮点-{n}": 5 for n in range(1, 13)}
    votes = write_csv(tmp_path / "v.csv", ["item", "votes"], [[k, v] for k, v in counts.items()])
    result = tally(ballot, votes)
    assert any("候选大事-10「启动实施科技助力乡村振兴行动」与候选大事-11「持续深化川渝科协战略合作」在入选线上同分"
               in t and "按候选顺序决定" in t for t in result.ties), result.ties
    assert any("候选亮点：12个候选同分" in t for t in result.ties)


def test_all_votes_invalid(tmp_path, ballot):
    votes = write_csv(tmp_path / "v.csv", ["voter", "time", "item"],
                      [["a", "2020-01-01 10:00:00", "候选大事-1"], ["b", "2021-12-30 10:00:00", "没有这一项"]])
    with pytest.raises(DataError, match="no valid vote remains .*1 by: 投给非候选事项的票不计"):
        tally(ballot, votes)


def test_unknown_columns(tmp_path, ballot):
    votes = write_csv(tmp_path / "v.csv", ["who", "when", "what"], [["a", "b", "c"]])
    with pytest.raises(DataError, match="no item column"):
        tally(ballot, votes)


def test_burst_and_regular_voting_are_reported_and_can_be_dropped(tmp_path, ballot):
    rows = spread_votes({f"候选大事-{n}": 3 for n in range(1, 13)} | {f"候选亮点-{n}": 3 for n in range(1, 13)})
    burst = dt.datetime(2022, 1, 2, 3, 0, 0)
    rows += [[f"bot{i}", (burst + dt.timedelta(seconds=i)).isoformat(" "), "候选大事-7"] for i in range(40)]
    rows += [["metronome", (DAY + dt.timedelta(minutes=10 * i)).isoformat(" "), f"候选亮点-{1 + i % 12}"]
             for i in range(24)]
    votes = write_csv(tmp_path / "v.csv", ["voter", "time", "item"], rows)
    result = tally(ballot, votes)
    assert any(s.startswith("集中投票：") and "40个投票人给候选大事-7「举办首期科技英才研修班」投了40票" in s
               for s in result.suspicious), result.suspicious
    assert any(s.startswith("规律投票：投票人metronome每隔600秒") and s.endswith("共24票") for s in result.suspicious)
    assert next(c for c in result.candidates if c.list_index == 0 and c.number == 7).votes == 43
    dropped = tally(ballot, votes, drop_suspicious=True)
    assert dropped.rules[-1].removed == 40 + 24
    assert next(c for c in dropped.candidates if c.list_index == 0 and c.number == 7).votes == 3


def test_xlsx_export(tmp_path, ballot):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["投票人", "投票时间", "类别", "序号"])
    for i in range(12):
        sheet.append([f"u{i}", dt.datetime(2021, 12, 30, 10, i), "候选大事", i + 1])
        sheet.append([f"u{i}", dt.datetime(2021, 12, 30, 11, i), "候选亮点", i + 1])
    sheet.append(["u0", dt.datetime(2021, 12, 30, 12, 0), "候选亮点", 3])
    book.save(tmp_path / "votes.xlsx")
    result = tally(ballot, tmp_path / "votes.xlsx")
    assert sum(c.votes for c in result.candidates) == 25
    assert next(c for c in result.candidates if c.list_index == 1 and c.number == 3).rank == 1


def test_cli_writes_final_data_that_renders_and_an_audit(tmp_path):
    rows = spread_votes({f"候选大事-{n}": n for n in range(1, 13)} | {f"候选亮点-{n}": 13 - n for n in range(1, 13)})
    votes = write_csv(tmp_path / "v.csv", ["voter", "time", "item"], rows)
    final = tmp_path / "final.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "-o", str(final)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "final-audit.xlsx")
    assert book.sheetnames == ["排名", "规则"]
    ranking = [list(row) for row in book["排名"].iter_rows(values_only=True)]
    assert ranking[0] == ["列表", "编号", "标题", "有效票数", "专家评分", "综合得分", "排名", "入选"]
    assert ["候选大事", 12, "不断拓展民间科技交流渠道", 12, None, 1, 1, "是"] in ranking
    rules = [row[1] for row in book["规则"].iter_rows(values_only=True)]
    assert "同一投票人每天对同一事项投票超过5次的，超出的票不计" in rules
    # the CSV, on request, starts with a BOM so that Excel reads it as UTF-8
    csv_run = runner.invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "-o", str(tmp_path / "f2.yaml"),
                                   "--audit", str(tmp_path / "audit.csv")])
    assert csv_run.exit_code == 0, csv_run.output
    raw = (tmp_path / "audit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "候选大事,12,不断拓展民间科技交流渠道,12,,1.0000,1,是" in raw.decode("utf-8-sig")
    assert runner.invoke(main, ["validate", str(final)]).exit_code == 0
    rendered = runner.invoke(main, ["render", str(final), "-o", str(tmp_path / "out")])
    assert rendered.exit_code == 0, rendered.output
    report = load_report(final)
    assert [i.title for i in report.lists[0].items][0] == "开启“十四五”科协事业发展新征程"  # 候选大事 3..12
    again = runner.invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "-o", str(final)])
    assert again.exit_code == 1 and "use --force" in again.output


def test_cli_error_without_a_file_names_the_candidates_file(tmp_path):
    votes = write_csv(tmp_path / "v.csv", ["item", "votes"], [["候选大事-1", 3]])
    experts = write_csv(tmp_path / "e.csv", ["item", "score"], [["候选大事-1", 80]])
    result = CliRunner().invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "--experts", str(experts),
                                       "--expert-weight", "2", "-o", str(tmp_path / "f.yaml")])
    assert result.exit_code == 1
    assert result.output == f"error: {BALLOT}: --expert-weight: expert weight 2.0 is not between 0 and 1\n"
    assert not (tmp_path / "f.yaml").exists()


def test_title_row_above_the_header_is_skipped_and_columns_can_be_named(tmp_path, ballot):
    rows = spread_votes({f"候选大事-{n}": n for n in range(1, 13)})
    path = tmp_path / "export.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # Excel's UTF-8 with BOM
        writer = csv.writer(handle)
        writer.writerow(["2021年市科协十件大事评选投票数据（导出）"])
        writer.writerow(["微信昵称", "提交时间", "投票选项"])
        writer.writerows(rows)
    with pytest.raises(DataError) as info:
        tally(ballot, path)
    message = str(info.value)
    assert "no item column" in message and "--column item=<header>" in message and "选项" in message
    result = tally(ballot, path, columns={"item": "投票选项", "voter": "微信昵称"})
    assert result.rows == len(rows) and sum(c.votes for c in result.candidates) == len(rows)
    # a name that the table does not have: the error lists the table's columns
    with pytest.raises(DataError, match="--column item=选票: the table has no such column .*投票选项"):
        tally(ballot, path, columns={"item": "选票", "voter": "微信昵称"})


def test_column_option_on_the_command_line(tmp_path):
    votes = write_csv(tmp_path / "v.csv", ["投票选项", "票数"], [[f"候选大事-{n}", n] for n in range(1, 13)])
    runner = CliRunner()
    bad = runner.invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "-o", str(tmp_path / "f.yaml"),
                               "--column", "choice=投票选项"])
    assert bad.exit_code == 1 and "ROLE one of voter, time, item" in bad.output
    ok = runner.invoke(main, ["tally", str(BALLOT), "--votes", str(votes), "-o", str(tmp_path / "f.yaml"),
                              "--column", "item=投票选项"])
    assert ok.exit_code == 0, ok.output


def test_xlsx_audit_keeps_formula_like_text_as_text(tmp_path, ballot):
    from reportgen.tally import audit_xlsx

    votes = write_csv(tmp_path / "v.csv", ["item", "votes"], [["=HYPERLINK(\"http://x\")", 5], ["候选大事-1", 3]])
    book = openpyxl.load_workbook(__import__("io").BytesIO(audit_xlsx(tally(ballot, votes))))
    cells = [c for row in book["规则"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
