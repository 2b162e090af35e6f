"""Extraction: last year's document (text, DOCX, PDF) → validated report data.

    from reportgen.extract import extract
    result = extract("seeds/000_3c47ada3094104d4.txt")
    result.report          # a reportgen.model.Report
    result.findings        # every repair and suspicion, with file, line and place

The kind of document (bulletin, ballot, news, review, report) is recognised
from its text; :mod:`.clean` repairs the extraction artefacts and
:mod:`.parsers` reads the structure of each kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..typography import HAN
from ..errors import DataError
from ..io import save_report, validate_data
from ..layouts import LAYOUTS, NAMES as LAYOUT_NAMES, load
from ..limits import Limits, run_limited
from ..model import Report
from ..yearly import next_year, stated_year
from . import generic, parsers
from .chrome import furniture
from .clean import Finding, Findings
from .publisher import publisher
from .sources import Line, read_lines

KINDS = LAYOUT_NAMES  # a document's kind is the layout it becomes


@dataclass
class Extraction:
    kind: str
    report: Report
    findings: list[Finding]
    marked: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def seed_form(lines: list[Line]) -> str | None:
    """The kind whose exact form the lines have (the forms :mod:`.parsers` reads with every
    repair): a ballot's labelled panel, a news page's dated releases, a review's numbered
    keywords, a newspaper's 本报讯 page, a bulletin of numbered item blocks — else None."""
    text = "\n".join(line.text for line in lines)
    head = "".join(line.text for line in lines[:8])
    if re.search(r"回眸|回顾", head) and re.search(rf"^- |^[A-Z]{{2,}}( [A-Z]{{2,}})+$|^0?\d{{1,2}} ?{HAN}{{2,4}}$",
                                                    text, re.M):
        return "review"
    if "投票" in text and re.search(r"https?://", text) and "候选" in text and re.search(r"投票(时间|规则)", text):
        return "ballot"
    if re.search(r"^.*\[\d{4}-\d{2}-\d{2}\]\s*$", text, re.M):
        return "news"
    if "本报讯" in text and not re.search(r"十件大事|十大亮点", head) \
            and generic.parse_generic(lines, Findings(""), None).kind == "report":
        return "report"
    blocks = parsers.blocks_of(lines)
    numbered = sum(1 for b in blocks if len(b.lines) == 1 and parsers.ITEM_TITLE.match(b.text)
                   and len(b.text) <= 80)
    first = next((i for i, b in enumerate(blocks) if parsers.ITEM_TITLE.match(b.text)), len(blocks))
    # the seed's form: a title naming the lists, list names, then the numbered items — nothing
    # else above them (a running header, an introduction: read from the structure instead)
    above = blocks[:first]
    if re.search(r"十件大事|十大亮点", head) and numbered >= 5 and above \
            and any(re.search(r"十件大事|十大亮点", b.text) for b in above) \
            and all(len(b.text) <= 40 and "。" not in b.text and "：" not in b.text for b in above):
        return "bulletin"
    return None


def classify(lines: list[Line]) -> str:
    """Which kind of document the lines are: a seed form, else what their structure reads as."""
    lines = furniture(lines, Findings(""))
    return seed_form(lines) or generic.parse_generic(lines, Findings(""), None).kind


#: each layout's parser of its own printed form (named by its record in reportgen/layouts.py)
PARSERS = {name: load(layout.parser) for name, layout in LAYOUTS.items()}


#: extraction of one document: a broken PDF can make pdfminer loop or grow for ever
EXTRACT_LIMITS = Limits(seconds=120, memory_mb=1024, output_mb=64)


def extract(path: Path | str, *, kind: str | None = None, year: int | None = None,
            association: dict | None = None, source_name: str | None = None,
            limits: Limits | None = EXTRACT_LIMITS) -> Extraction:
    """Read *path* and return the validated report data with every finding.

    The work runs within *limits* (time, memory) in a child process; ``None`` runs it here.
    """
    args = (Path(path), kind, year, association, source_name)
    if limits is None:
        return _extract(*args)
    return run_limited(_extract, *args, limits=limits, what=str(path))


def _parse(kind: str | None, lines: list[Line], findings: Findings, year: int | None) -> parsers.Parsed:
    """Parse with the seed parser of *kind* when the lines have its exact form (a ballot
    always), else read them from their structure as *kind* (or as what they are)."""
    form = seed_form(lines)
    if kind == "ballot" or form is not None and kind in (None, form):
        return PARSERS[kind or form or "ballot"](lines, findings, year)
    read = generic.parse_generic(lines, findings, year, kind)
    return parsers.Parsed(read.data)


def _extract(path: Path, kind: str | None, year: int | None, association: dict | None,
             source_name: str | None) -> Extraction:
    lines = read_lines(path)
    if not any(line.text.strip() for line in lines):
        raise DataError(path, "the document has no text")
    if kind is not None and kind not in PARSERS:
        raise DataError(path, f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    name = source_name or path.as_posix()
    findings = Findings(name)
    lines = furniture(lines, findings)          # a PDF's running header, page numbers, watermark, footnotes
    moved_from = None
    try:
        if year is not None:
            # last year's document read for this year: its dates and items are of the year
            # it states; the document then moves to *year* as `reportgen new` does
            own = _parse(kind, lines, Findings(name), None)
            stated = stated_year(str(own.data.get("title", "")))
            if stated is not None and stated != year and own.data.get("year") == stated:
                moved_from = stated
        parsed = _parse(kind, lines, findings, moved_from or year)
    except (ValueError, IndexError, KeyError) as exc:  # a document too broken for its kind
        raise DataError(path, f"cannot read this as a {kind or 'document'}: {exc or type(exc).__name__}; "
                        "pass --kind if it is another kind of document") from None
    data = parsed.data
    kind = data["layout"]
    articles = data.get("articles") or [{}]
    opening = [b for b in (data.get("intro") or []) + list(articles[0].get("body") or []) if isinstance(b, str)]
    found = publisher([line.text for line in lines], str(data.get("title") or ""),
                      str((data.get("signoff") or {}).get("name") or ""), str(articles[0].get("source") or ""),
                      opening[0] if opening else "")
    if not found["name"] and not association:
        findings.add(None, "association", "the text does not name the association: its name is left "
                     "empty; fill it in", "flagged")
    data["association"] = {**found, **(association or {})}
    _degrade(data, findings)
    data["source"] = {
        "file": name,
        "repairs": [{"where": f.where if f.line is None else f"{f.where} (line {f.line})",
                     "what": f.message, "action": f.action} for f in findings.summarized()],
    }
    ordered = {key: data[key] for key in ("layout", "association", "year", "title") if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    report = validate_data(path, ordered)
    if moved_from is not None and year is not None:
        report = next_year(report, year).model_copy(update={"source": report.source})
        findings.add(None, "year", f"the document is about {moved_from}: titles and headings moved to "
                     f"{year}, its items kept as drafts to replace", "repaired")
    return Extraction(report.layout, report, findings.summarized(), parsed.marked)


TITLE_LIMIT = 200  # model.ShortText


def _degrade(data: dict, findings: Findings) -> None:
    """What would make the data invalid, degraded instead, each step reported: a "title"
    longer than a title can be (a page's first block was a whole paragraph) is split into a
    title — its first sentence, or its first 60 characters — and introduction text; a
    document with no numbered items says so."""
    title = str(data.get("title", "")).strip()
    if len(title) > TITLE_LIMIT:
        end = next((i + 1 for i, ch in enumerate(title[:TITLE_LIMIT]) if ch in "。！？"), 0)
        comma = max(title.rfind(mark, 4, 60) for mark in "，、；")
        cut = end if 4 <= end <= 80 else comma if comma > 0 else 60
        head, rest = title[:cut].rstrip("。"), title[cut:].strip()
        data["title"] = head
        if rest:
            if data.get("layout") in ("bulletin", "ballot"):
                data["intro"] = [rest] + list(data.get("intro") or [])
                moved = "the introduction"
            elif data.get("articles"):
                data["articles"][0]["body"] = [rest] + list(data["articles"][0].get("body") or [])
                moved = "the first article"
            else:
                data["intro"] = [rest] + list(data.get("intro") or [])
                moved = "the introduction"
            findings.add(None, "title", f"the first block ({len(title)} characters) is too long for a title: "
                         f"kept {head[:20]!r}… as the title, the rest moved to {moved}; check both", "flagged")
    vote = data.get("vote")
    needed = ("start", "end", "url", "rules", "per_day_limit")
    if data.get("layout") == "ballot" and (not vote or any(not vote.get(key) for key in needed)):
        # a ballot without a complete vote panel cannot be printed as one: its lists and text
        # become a bulletin, what the panel had becomes introduction text
        missing = [key for key in needed if not (vote or {}).get(key)]
        kept = list((vote or {}).get("rules") or []) + ([vote["notice"]] if vote and vote.get("notice") else [])
        if vote and vote.get("url"):
            kept.append(vote["url"])
        data["layout"] = "bulletin"
        data.pop("vote", None)
        data["intro"] = list(data.get("intro") or []) + kept
        findings.add(None, "vote", f"the vote panel is incomplete (no {', '.join(missing)}): read as a bulletin, "
                     "the panel's text kept in the introduction; add the vote to make it a ballot", "flagged")
    lists = list(data.get("lists") or []) + [block["list"] for article in data.get("articles") or []
                                             for block in article.get("body") or []
                                             if isinstance(block, dict) and "list" in block]
    if data.get("layout") in ("bulletin", "ballot", "news") and not any(lst.get("items") for lst in lists):
        findings.add(None, "lists", "no numbered items were found: the lists are empty; check the "
                     "document's form (or pass --kind)", "flagged")


def extract_to_file(path: Path | str, target: Path | str, *, force: bool = False, **options) -> Extraction:
    """Extract *path* and write the data file *target* (never over an existing file without force)."""
    result = extract(path, **options)
    save_report(result.report, target, force=force)
    return result
