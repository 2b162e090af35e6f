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
from .questionnaire import NUMBER as Q_NUMBER, TIME as Q_TIME, VOTER as Q_VOTER, Vote, normalized as _normalized, respondent_votes

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
    questions: dict[str, str] = field(default_factory=dict)  # questionnaire: question → the list it votes on
    ignored: list[str] = field(default_factory=list)         # questionnaire: questions about no list
    rows: int = 0
    weight: float = 0.0


# -- reading exports ---------------------------------------------------------------------------------

#: an export: its size, and the rows and columns read from it (a vote of a year has a few
#: hundred thousand rows at most; one row per respondent has a column per question or option)
MAX_TABLE_BYTES = 100 * 1024 * 1024
MAX_TABLE_ROWS = 1_000_000
MAX_TABLE_COLUMNS = 1000


#: rows whose cells reach past MAX_TABLE_COLUMNS that are cut and read (a stray cell far to
#: the right of an honest export); more, or a header row that wide, and the table is refused
MAX_CUT_ROWS = 100


def _filled(row, width: int) -> int:
    """How many of the first *width* cells of *row* remain without the empty ones at its end."""
    while width and (row[width - 1] is None or not str(row[width - 1]).strip()):
        width -= 1
    return width


def _bounded(rows, path: Path) -> list[list]:
    """The rows that hold something, without their trailing empty cells and cut at
    :data:`MAX_TABLE_COLUMNS` — the same limits for CSV and XLSX. A table whose first rows
    (where the header is) are wider than that, one with many rows cut, or one of more than
    :data:`MAX_TABLE_ROWS` rows is refused."""
    out: list[list] = []
    cut = 0
    for number, row in enumerate(rows, start=1):
        width = _filled(row, len(row))
        if width > MAX_TABLE_COLUMNS:
            cut += 1
            if number <= 5 or cut > MAX_CUT_ROWS:
                raise DataError(path, f"row {number} has {width:,} columns (more than {MAX_TABLE_COLUMNS:,}); an "
                                "export has one column per question or option — is this the right file?")
            width = _filled(row, MAX_TABLE_COLUMNS)
        if not width:
            continue
        out.append(["" if v is None else v for v in row[:width]])
        if len(out) > MAX_TABLE_ROWS:
            raise DataError(path, f"more than {MAX_TABLE_ROWS:,} rows; split the export")
    return out


def _xlsx_rows(path: Path) -> list[list]:
    """The rows of the first sheet that hold something, streamed: the sheet's declared size
    (which can claim 16 384 × 1 048 576 cells for one real cell) is not trusted — rows are
    read as they are in the file (openpyxl pads every row to ``max_col`` when one is given,
    and a gap of empty rows to the declared width), then cut by :func:`_bounded`."""
    import openpyxl

    check_package(path, "XLSX")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.active
        sheet.reset_dimensions()  # read what is there, not what the file claims
        return _bounded(sheet.iter_rows(values_only=True), path)
    finally:
        book.close()


#: the roles of an export's columns and the headers each is known by (``--column`` adds one)
ROLES = {"voter": VOTER, "time": TIME, "item": ITEM, "list": LIST, "number": NUMBER, "votes": VOTES,
         "score": SCORE, "expert": EXPERT}
_KNOWN = {name for names in ROLES.values() for name in names} | set(Q_TIME) | set(Q_VOTER) | set(Q_NUMBER)


def read_table(path: Path, columns: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB 18030) or XLSX file as dicts keyed by
    lower-case header. The header is the first row (of the first five) that names a known
    column or one given in *columns*: a title row above it ("2021年评选投票数据") is skipped."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(path)
        else:
            text = decode_text(read_limited(path, MAX_TABLE_BYTES, "vote exports"), path)
            rows = _bounded(csv.reader(io.StringIO(text)), path)
    except DataError:
        raise
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    except Exception as exc:  # a corrupt XLSX or CSV
        raise DataError(path, f"cannot read this table ({type(exc).__name__}: {exc})") from None
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise DataError(path, "the table is empty")
    wanted = _KNOWN | {str(h).strip().lower() for h in (columns or {}).values()}
    start = next((i for i, row in enumerate(rows[:5]) if any(str(h).strip().lower() in wanted for h in row)), 0)
    header = [str(h).strip().lower() for h in rows[start]]
    return [dict(zip(header, row)) for row in rows[start + 1:]]


def _column(rows: list[dict], names: tuple[str, ...], role: str = "", columns: dict[str, str] | None = None,
            path: Path | None = None) -> str | None:
    if not rows:
        return None
    if columns and role in columns:
        given = columns[role].strip().lower()
        if given not in rows[0]:
            raise DataError(path, f"--column {role}={columns[role]}: the table has no such column "
                            f"(its columns: {', '.join(h for h in rows[0] if h)})")
        return given
    for name in names:
        if name in rows[0]:
            return name
    return None


def parse_columns(values) -> dict[str, str]:
    """``("item=投票选项", …)`` → ``{"item": "投票选项"}``; an unknown role is an error naming the roles."""
    out = {}
    for value in values or ():
        role, sep, header = str(value).partition("=")
        role = role.strip().lower()
        if not sep or not header.strip() or role not in ROLES:
            raise DataError(None, f"--column {value!r}: write ROLE=HEADER with ROLE one of {', '.join(ROLES)}",
                            field="--column")
        out[role] = header.strip()
    return out


def _known(role: str) -> str:
    return f"{', '.join(ROLES[role])}; or name yours with --column {role}=<header>"


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
          burst_votes: int = 30, burst_seconds: int = 60, columns: dict[str, str] | None = None) -> Tally:
    if report.vote is None or not report.lists:
        raise DataError(None, "the candidates file needs 'vote' (period and rules) and 'lists'", field="vote")
    if not 0 <= weight <= 1:
        raise DataError(None, f"expert weight {weight} is not between 0 and 1", field="--expert-weight")
    if experts_path is None:
        weight = 0.0
    vote = report.vote
    candidates = [Candidate(i, number, item) for i, lst in enumerate(report.lists) for number, item in lst.numbered()]
    for index, lst in enumerate(report.lists):
        seen: dict[str, int] = {}
        for position, item in enumerate(lst.items, 1):
            first = seen.setdefault(_normalized(item.title), position)
            if first != position:
                raise DataError(None, f"{lst.name}: 第{first}项 and 第{position}项 have the same title "
                                f"{item.title!r}; a vote for it could not be counted for one of them",
                                field=f"lists.{index}.items")
    resolve = Resolver(candidates, report)
    rows = read_table(votes_path, columns)
    result = Tally(report, candidates, [], rows=len(rows), weight=weight)

    def col(role: str) -> str | None:
        return _column(rows, ROLES[role], role, columns, votes_path)

    respondents = None if columns and "item" in columns else \
        respondent_votes(rows, report, candidates, _parse_time)
    item_col, list_col, number_col, votes_col = (None, None, None, None) if respondents else \
        (col("item"), col("list"), col("number"), col("votes"))
    if respondents is None and item_col is None and not (list_col and number_col):
        raise DataError(votes_path, f"no item column (known: {_known('item')}; or list and number columns; "
                        "or a questionnaire export with a question naming a list, e.g. “十件大事”)")
    unreadable = Rule("无法读取的行（缺投票人、选项或时间，或票数不是数字）不计")
    unknown = Rule("投给非候选事项的票不计")
    unknown_ids: Counter = Counter()
    if votes_col:  # per-item totals
        result.shape = "按事项汇总的票数"
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
                        Rule("汇总票数无法核对投票时间和每人每天限投次数：未执行")]
    else:
        period = Rule(f"投票时间（{vote.start}至{vote.end}）以外的票不计")
        limit = Rule(f"同一投票人每天对同一事项投票超过{vote.per_day_limit}次的，超出的票不计")
        entries: list[Vote] = []
        if respondents is not None:
            result.shape = respondents.shape
            entries = respondents.votes
            result.questions = respondents.questions
            result.ignored = respondents.ignored
        else:
            result.shape = "每票一行"
            voter_col, time_col = col("voter"), col("time")
            if voter_col is None or time_col is None:
                missing = [role for role, found in (("voter", voter_col), ("time", time_col)) if found is None]
                raise DataError(votes_path, "per-vote rows need a voter and a time column, or a votes column for "
                                "per-item totals; missing " + " and ".join(f"{r} (known: {_known(r)})" for r in missing))
            for row in rows:
                said = str(row.get(item_col or "", "") or row.get(number_col or "", "")).strip()
                label = str(row.get(item_col or "", "") or f"{row.get(list_col or '')}-{row.get(number_col or '')}")
                entries.append(Vote(str(row.get(voter_col, "")).strip(), _parse_time(row.get(time_col, "")),
                                    resolve.find(row, item_col, list_col, number_col) if said else None,
                                    label if said else ""))
        valid: list[tuple[dt.datetime, str, Candidate]] = []
        for entry in entries:
            voter, when, candidate = entry.voter, entry.when, entry.candidate
            if not voter or when is None or not entry.label:
                unreadable.removed += 1
                continue
            if not isinstance(candidate, Candidate):
                unknown.removed += 1
                unknown_ids[entry.label] += 1
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
        stuffing = Rule("疑似刷票的票" + ("不计" if drop_suspicious else "仅报告，仍计入"))
        for _when, voter, candidate in kept:
            if drop_suspicious and voter in flagged:
                stuffing.removed += 1
                continue
            candidate.votes += 1
        result.rules = [unreadable, unknown, period, limit, stuffing]
    if unknown_ids:
        unknown.text += "（" + "，".join(f"{k!r}: {n}" for k, n in unknown_ids.most_common(5)) + "）"
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
            findings.append(f"集中投票：{times[first]:%Y-%m-%d %H:%M:%S}至{times[last]:%H:%M:%S}，"
                            f"{len(voters)}个投票人给{_name(report, window[0][2])}投了{len(window)}票")
            flagged |= voters
    for voter, times in by_voter.items():
        if len(times) < 10:
            continue
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
        mean = statistics.mean(gaps)
        if mean > 0 and statistics.pstdev(gaps) / mean < 0.05:
            findings.append(f"规律投票：投票人{voter}每隔{mean:.0f}秒（±{statistics.pstdev(gaps):.1f}秒）"
                            f"投一票，共{len(times)}票")
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
                how = "专家评分" if (last_in.expert or 0) != (first_out.expert or 0) else "候选顺序"
                result.ties.append(f"{lst.name}：{_name(report, last_in)}与{_name(report, first_out)}在入选线上同分"
                                   f"（{last_in.combined:.4f}），按{how}决定")
        scores = Counter(round(c.combined, 9) for c in group)
        for score, n in scores.items():
            if n > 1:
                tied = [c for c in group if round(c.combined, 9) == score]
                result.ties.append(f"{lst.name}：{n}个候选同分{score:.4f}"
                                   f"（第{min(t.rank for t in tied)}–{max(t.rank for t in tied)}名）")


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


AUDIT_HEADER = ["类别", "说明", "数量"]
RANKING_HEADER = ["列表", "编号", "标题", "有效票数", "专家评分", "综合得分", "排名", "入选"]


def audit_rows(result: Tally) -> tuple[list[list], list[list]]:
    """The audit as two tables with Chinese headers: the rules applied (with how many votes
    each removed), ties and suspicions; and every candidate's votes, scores and rank."""
    rules: list[list] = [AUDIT_HEADER, ["输入", f"投票数据（{result.shape}）的行数", result.rows]]
    rules += [["规则", rule.text, rule.removed] for rule in result.rules]
    rules.append(["规则", f"综合得分 = {1 - result.weight:g} × 票数 ÷ 本组最高票数 + {result.weight:g} × 专家评分 ÷ 100；"
                        "每组取前K名；同分先比专家评分，再按候选顺序", ""])
    rules += [["问题", f"“{question}” → {name}", ""] for question, name in result.questions.items()]
    rules += [["问题", f"“{question}” 不是投票题，未计", ""] for question in result.ignored]
    rules += [["同分", tie, ""] for tie in result.ties]
    rules += [["疑似刷票", finding, ""] for finding in result.suspicious]
    ranking: list[list] = [RANKING_HEADER]
    for c in result.candidates:
        ranking.append([result.report.lists[c.list_index].name, c.number, c.item.title, c.votes,
                        "" if c.expert is None else round(c.expert, 2), round(c.combined, 4), c.rank,
                        "是" if c.selected else "否"])
    return rules, ranking


def audit_csv(result: Tally) -> str:
    """The audit as CSV (write it with a UTF-8 BOM so that Excel reads the Chinese)."""
    buffer = io.StringIO()
    out = _SafeCells(csv.writer(buffer))
    rules, ranking = audit_rows(result)
    for row in rules:
        out.writerow(row)
    out.writerow([])
    for row in ranking:
        out.writerow([f"{v:.4f}" if isinstance(v, float) and i == 5 else v for i, v in enumerate(row)])
    return buffer.getvalue()


def audit_xlsx(result: Tally) -> bytes:
    """The audit as an Excel workbook: sheets 排名 and 规则, text cells never formulas."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    ranking_sheet = book.active
    ranking_sheet.title = "排名"
    rules_sheet = book.create_sheet("规则")
    rules, ranking = audit_rows(result)
    for sheet, rows, widths in ((ranking_sheet, ranking, [12, 6, 60, 10, 10, 10, 6, 6]),
                                (rules_sheet, rules, [10, 90, 8])):
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # "=1+1" from an export stays text
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
