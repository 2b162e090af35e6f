"""From the candidates to the final ten: count the public vote, add the experts, pick the top K.

    reportgen tally data/cq-kx-2021-ballot.yaml --votes votes.csv --experts experts.csv -o final.yaml

Vote exports come in two common shapes, recognised by their header row:

* one row per vote: ``voter, time, item`` (any order; also 投票人, 时间, 事项/编号);
* one row per item: ``item, votes`` (totals already counted by the vote platform).

An item is named by its title, or ``<list name>-<number>`` (候选大事-3), or by ``list`` and
``number`` columns. Expert scores come as ``item, score`` (or ``expert, item, score``: the
mean is taken). The published rules are applied in order and the audit report says how many
votes each removed:

1. rows that cannot be read (no voter, no item, a time that is not a time) are dropped;
2. votes for items that are not candidates are dropped;
3. votes outside the voting period (vote.start to vote.end, whole days) are dropped;
4. beyond ``vote.per_day_limit`` votes by one voter for one item on one day, the later votes are
   dropped.

Combined score = (1 − w) × votes / most votes in the list + w × expert score / 100, with w the
expert weight. The top K of each list (by combined score; ties broken by expert score, then by
the candidate order, and reported) make the final bulletin. Suspected ballot stuffing — bursts of
votes for one item in a short window, or a voter voting at regular intervals — is reported, and
removed only with ``drop_suspicious``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .errors import DataError
from .io import check_package, decode_text, read_limited
from .model import Item, ItemList, Report

VOTER = ("voter", "voter_id", "user", "user_id", "openid", "ip", "投票人", "用户", "用户id", "ip地址")
TIME = ("time", "timestamp", "datetime", "voted_at", "时间", "投票时间", "提交时间")
ITEM = ("item", "item_id", "candidate", "title", "option", "事项", "编号", "候选", "选项", "标题")
LIST = ("list", "category", "类别", "类型")
NUMBER = ("number", "no", "序号")
VOTES = ("votes", "count", "total", "票数", "得票", "得票数")
SCORE = ("score", "评分", "得分", "分数")
EXPERT = ("expert", "expert_id", "专家")


@dataclass
class Candidate:
    list_index: int
    number: int
    item: Item
    votes: int = 0
    expert: float | None = None
    combined: float = 0.0
    rank: int = 0
    selected: bool = False


@dataclass
class Rule:
    text: str
    removed: int = 0


@dataclass
class Tally:
    report: Report
    candidates: list[Candidate]
    rules: list[Rule]
    ties: list[str] = field(default_factory=list)
    suspicious: list[str] = field(default_factory=list)
    final: Report | None = None
    shape: str = ""
    rows: int = 0
    weight: float = 0.0


# -- reading exports ---------------------------------------------------------------------------------

#: an export: its size, and the rows and columns read from it (a vote of a year has a few
#: hundred thousand rows at most; one row per respondent has a column per question or option)
MAX_TABLE_BYTES = 100 * 1024 * 1024
MAX_TABLE_ROWS = 1_000_000
MAX_TABLE_COLUMNS = 1000


def _xlsx_rows(path: Path) -> list[list]:
    """The rows of the first sheet that hold something, streamed: the sheet's declared size
    (which can claim 16 384 × 1 048 576 cells for one real cell) is not trusted."""
    import openpyxl

    check_package(path, "XLSX")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.active
        sheet.reset_dimensions()  # read what is there, not what the file claims
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_TABLE_COLUMNS):
            if any(v is not None and str(v).strip() for v in row):
                rows.append(["" if v is None else v for v in row])
                if len(rows) > MAX_TABLE_ROWS:
                    raise DataError(path, f"more than {MAX_TABLE_ROWS:,} rows; split the export")
        return rows
    finally:
        book.close()


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GB 18030) or XLSX file as dicts keyed by lower-case header."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(path)
        else:
            text = decode_text(read_limited(path, MAX_TABLE_BYTES, "vote exports"), path)
            rows = list(csv.reader(io.StringIO(text)))
    except DataError:
        raise
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    except Exception as exc:  # a corrupt XLSX or CSV
        raise DataError(path, f"cannot read this table ({type(exc).__name__}: {exc})") from None
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise DataError(path, "the table is empty")
    header = [str(h).strip().lower() for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def _column(rows: list[dict], names: tuple[str, ...]) -> str | None:
    if not rows:
        return None
    for name in names:
        if name in rows[0]:
            return name
    return None


def _parse_time(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip().replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if match:
        y, m, d, hh, mm, ss = match.groups()
        try:
            return dt.datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0))
        except ValueError:  # month 13, hour 25: an unreadable row
            return None
    return None


class Resolver:
    """Maps the ways an export names an item to a candidate."""

    def __init__(self, candidates: list[Candidate], report: Report):
        self.by_key: dict[str, Candidate] = {}
        for c in candidates:
            lst = report.lists[c.list_index]
            for key in (c.item.title, f"{lst.name}-{c.number}", f"{lst.name}{c.number}",
                        f"{lst.name} {c.number}", f"{lst.name}:{c.number}"):
                self.by_key[self._norm(key)] = c

    @staticmethod
    def _norm(text) -> str:
        return re.sub(r"\s+", "", str(text)).replace("“", "").replace("”", "").replace('"', "")

    def find(self, row: dict, item_col: str | None, list_col: str | None, number_col: str | None):
        if list_col and number_col and row.get(list_col) and row.get(number_col):
            return self.by_key.get(self._norm(f"{row[list_col]}-{str(row[number_col]).split('.')[0]}"))
        if item_col:
            return self.by_key.get(self._norm(row.get(item_col, "")))
        return None


# -- the count ---------------------------------------------------------------------------------------

def tally(report: Report, votes_path: Path, experts_path: Path | None = None, *, weight: float = 0.5,
          top: int = 10, names: list[str] | None = None, drop_suspicious: bool = False,
          burst_votes: int = 30, burst_seconds: int = 60) -> Tally:
    if report.vote is None or not report.lists:
        raise DataError(None, "the candidates file needs 'vote' (period and rules) and 'lists'", field="vote")
    if not 0 <= weight <= 1:
        raise DataError(None, f"expert weight {weight} is not between 0 and 1", field="--expert-weight")
    if experts_path is None:
        weight = 0.0
    vote = report.vote
    candidates = [Candidate(i, number, item) for i, lst in enumerate(report.lists) for number, item in lst.numbered()]
    resolve = Resolver(candidates, report)
    rows = read_table(votes_path)
    result = Tally(report, candidates, [], rows=len(rows), weight=weight)
    item_col, list_col, number_col = _column(rows, ITEM), _column(rows, LIST), _column(rows, NUMBER)
    votes_col = _column(rows, VOTES)
    if item_col is None and not (list_col and number_col):
        raise DataError(votes_path, f"no item column (one of: {', '.join(ITEM)}; or list and number)")
    unreadable = Rule("rows that cannot be read (no voter, item or time, or a bad vote count) are dropped")
    unknown = Rule("votes for items that are not candidates are dropped")
    unknown_ids: Counter = Counter()
    if votes_col:  # per-item totals
        result.shape = "per-item totals"
        for row in rows:
            candidate = resolve.find(row, item_col, list_col, number_col)
            try:
                count = int(float(str(row.get(votes_col, "")).strip()))
                if count < 0:
                    raise ValueError
            except (ValueError, OverflowError):  # "abc", "inf", "nan", "-3"
                unreadable.removed += 1
                continue
            if candidate is None:
                unknown.removed += count
                unknown_ids[str(row.get(item_col or "", ""))] += count
                continue
            candidate.votes += count
        result.rules = [unreadable, unknown,
                        Rule("per-voter limits and the voting period cannot be checked on totals: not applied")]
    else:
        result.shape = "one row per vote"
        voter_col, time_col = _column(rows, VOTER), _column(rows, TIME)
        if voter_col is None or time_col is None:
            raise DataError(votes_path, "per-vote rows need a voter and a time column "
                            f"(voter: {', '.join(VOTER[:3])}…; time: {', '.join(TIME[:3])}…), "
                            f"or a votes column for per-item totals")
        period = Rule(f"votes outside the voting period {vote.start} to {vote.end} are dropped")
        limit = Rule(f"more than {vote.per_day_limit} votes by one voter for one item on one day: "
                     "the later ones are dropped")
        valid: list[tuple[dt.datetime, str, Candidate]] = []
        for row in rows:
            voter = str(row.get(voter_col, "")).strip()
            when = _parse_time(row.get(time_col, ""))
            if not voter or when is None or not str(row.get(item_col or "", "") or row.get(number_col or "", "")).strip():
                unreadable.removed += 1
                continue
            candidate = resolve.find(row, item_col, list_col, number_col)
            if candidate is None:
                unknown.removed += 1
                unknown_ids[str(row.get(item_col or "", "") or f"{row.get(list_col or '')}-{row.get(number_col or '')}")] += 1
                continue
            if not vote.start <= when.date() <= vote.end:
                period.removed += 1
                continue
            valid.append((when, voter, candidate))
        valid.sort(key=lambda v: v[0])
        per_day: Counter = Counter()
        kept: list[tuple[dt.datetime, str, Candidate]] = []
        for when, voter, candidate in valid:
            key = (voter, id(candidate), when.date())
            per_day[key] += 1
            if per_day[key] > vote.per_day_limit:
                limit.removed += 1
            else:
                kept.append((when, voter, candidate))
        result.suspicious, flagged = suspicious_activity(kept, report, burst_votes, burst_seconds)
        stuffing = Rule("votes of suspected ballot stuffing are " + ("dropped" if drop_suspicious else
                                                                     "reported, not dropped"))
        for _when, voter, candidate in kept:
            if drop_suspicious and voter in flagged:
                stuffing.removed += 1
                continue
            candidate.votes += 1
        result.rules = [unreadable, unknown, period, limit, stuffing]
    if unknown_ids:
        unknown.text += " (" + ", ".join(f"{k!r}: {n}" for k, n in unknown_ids.most_common(5)) + ")"
    if experts_path is not None:
        read_experts(experts_path, candidates, resolve)
    elif not any(c.votes for c in candidates):
        removed = "; ".join(f"{r.removed} by: {r.text}" for r in result.rules if r.removed)
        raise DataError(votes_path, f"no valid vote remains ({removed or 'the export has no votes'})")
    score_and_select(result, top, weight)
    result.final = final_report(report, candidates, top, names)
    return result


def suspicious_activity(votes, report: Report, burst_votes: int, burst_seconds: int):
    """Bursts for one item, voters voting at regular intervals; returns (findings, flagged voters)."""
    findings: list[str] = []
    flagged: set[str] = set()
    by_item: dict[int, list] = defaultdict(list)
    by_voter: dict[str, list[dt.datetime]] = defaultdict(list)
    for when, voter, candidate in votes:
        by_item[id(candidate)].append((when, voter, candidate))
        by_voter[voter].append(when)
    for entries in by_item.values():
        times = [e[0] for e in entries]
        bursts: list[list[int]] = []  # [first, last] indexes of merged windows of burst_votes in burst_seconds
        start = 0
        for end in range(len(times)):
            while (times[end] - times[start]).total_seconds() > burst_seconds:
                start += 1
            if end - start + 1 >= burst_votes:
                if bursts and start <= bursts[-1][1]:
                    bursts[-1][1] = end
                else:
                    bursts.append([start, end])
        for first, last in bursts:
            window = entries[first:last + 1]
            voters = {e[1] for e in window}
            findings.append(f"burst: {len(window)} votes for {_name(report, window[0][2])} between "
                            f"{times[first]:%Y-%m-%d %H:%M:%S} and {times[last]:%H:%M:%S} from {len(voters)} voters")
            flagged |= voters
    for voter, times in by_voter.items():
        if len(times) < 10:
            continue
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
        mean = statistics.mean(gaps)
        if mean > 0 and statistics.pstdev(gaps) / mean < 0.05:
            findings.append(f"regular: voter {voter} cast {len(times)} votes every {mean:.0f} s "
                            f"(±{statistics.pstdev(gaps):.1f} s)")
            flagged.add(voter)
    return findings, flagged


def read_experts(path: Path, candidates: list[Candidate], resolve: Resolver) -> None:
    rows = read_table(path)
    item_col, list_col, number_col = _column(rows, ITEM), _column(rows, LIST), _column(rows, NUMBER)
    score_col = _column(rows, SCORE)
    if score_col is None or (item_col is None and not (list_col and number_col)):
        raise DataError(path, f"expert scores need an item column and a score column ({', '.join(SCORE)})")
    scores: dict[int, list[float]] = defaultdict(list)
    for line, row in enumerate(rows, 2):
        candidate = resolve.find(row, item_col, list_col, number_col)
        if candidate is None:
            raise DataError(path, f"unknown item {row.get(item_col or '')!r}", line=line)
        try:
            score = float(str(row[score_col]).strip())
        except ValueError:
            raise DataError(path, f"score {row[score_col]!r} is not a number", line=line) from None
        if not 0 <= score <= 100:
            raise DataError(path, f"score {score} is not between 0 and 100", line=line)
        scores[id(candidate)].append(score)
    for candidate in candidates:
        if id(candidate) in scores:
            candidate.expert = statistics.mean(scores[id(candidate)])


def score_and_select(result: Tally, top: int, weight: float) -> None:
    report = result.report
    for index, lst in enumerate(report.lists):
        group = [c for c in result.candidates if c.list_index == index]
        most = max((c.votes for c in group), default=0) or 1
        for c in group:
            c.combined = (1 - weight) * c.votes / most + weight * (c.expert or 0) / 100
        ordered = sorted(group, key=lambda c: (-round(c.combined, 9), -(c.expert or 0), c.number))
        for rank, c in enumerate(ordered, 1):
            c.rank = rank
            c.selected = rank <= top
        if len(ordered) > top:
            last_in, first_out = ordered[top - 1], ordered[top]
            if round(last_in.combined, 9) == round(first_out.combined, 9):
                how = ("the expert score" if (last_in.expert or 0) != (first_out.expert or 0)
                       else "the candidate order")
                result.ties.append(f"{lst.name}: {_name(report, last_in)} and {_name(report, first_out)} tie at "
                                   f"the cut-off (score {last_in.combined:.4f}); decided by {how}")
        scores = Counter(round(c.combined, 9) for c in group)
        for score, n in scores.items():
            if n > 1:
                tied = [c for c in group if round(c.combined, 9) == score]
                result.ties.append(f"{lst.name}: {n} candidates tie at score {score:.4f} "
                                   f"(ranks {min(t.rank for t in tied)}–{max(t.rank for t in tied)})")


FINAL_NAMES = {"候选大事": "十件大事", "候选亮点": "十大亮点", "候选事件": "十大事件"}


def final_report(report: Report, candidates: list[Candidate], top: int, names: list[str] | None) -> Report:
    lists = []
    for index, lst in enumerate(report.lists):
        chosen = [c for c in candidates if c.list_index == index and c.selected]
        chosen.sort(key=lambda c: c.number)  # the bulletin keeps the candidates' order: 排序不分先后
        if names and index < len(names):
            name = names[index]
        else:
            name = FINAL_NAMES.get(lst.name, lst.name.replace("候选", "十大"))
        items = [c.item.model_copy(update={"number": n}) for n, c in enumerate(chosen, 1)]
        if items:
            try:
                lists.append(ItemList(name=name, ordering_note=lst.ordering_note, items=items))
            except ValidationError as exc:
                raise DataError(None, f"list name {name!r}: {exc.errors()[0]['msg']}", field="--names") from None
    if not lists:
        raise DataError(None, "no candidate received a valid vote or an expert score; nothing to publish")
    title = f"{report.year}年{report.association.short_name}{''.join(l.name for l in lists)}"
    try:
        return Report(layout="bulletin", association=report.association, year=report.year, title=title[:200],
                      theme=report.theme, lists=lists)
    except ValidationError as exc:
        raise DataError(None, f"the final lists: {exc.errors()[0]['msg']}", field="--names") from None


def _name(report: Report, candidate: Candidate) -> str:
    return f"{report.lists[candidate.list_index].name}-{candidate.number}「{candidate.item.title}」"


# -- the audit report ----------------------------------------------------------------------------------

class _SafeCells:
    """A csv writer whose text cells cannot start a spreadsheet formula (=, +, -, @, tab,
    CR): such a cell is prefixed with an apostrophe, as OWASP advises against CSV injection."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r")
                              else c for c in row])


def audit_csv(result: Tally) -> str:
    buffer = io.StringIO()
    out = _SafeCells(csv.writer(buffer))
    out.writerow(["section", "what", "count"])
    out.writerow(["input", f"vote export read as {result.shape}", result.rows])
    for rule in result.rules:
        out.writerow(["rule", rule.text, rule.removed])
    out.writerow(["rule", f"combined score = {1 - result.weight:g} × votes / most votes in the list + "
                          f"{result.weight:g} × expert score / 100; top K per list; ties broken by expert score, "
                          "then candidate order", ""])
    for tie in result.ties:
        out.writerow(["tie", tie, ""])
    for finding in result.suspicious:
        out.writerow(["suspicious", finding, ""])
    out.writerow([])
    out.writerow(["list", "number", "title", "valid votes", "expert score", "combined", "rank", "selected"])
    for c in result.candidates:
        out.writerow([result.report.lists[c.list_index].name, c.number, c.item.title, c.votes,
                      "" if c.expert is None else f"{c.expert:.2f}", f"{c.combined:.4f}", c.rank,
                      "yes" if c.selected else "no"])
    return buffer.getvalue()
