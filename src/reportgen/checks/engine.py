"""The engine: a Report's texts as :class:`Piece`\\ s with their places, the package's rules
loaded once from ``rules/*.yaml``, and one pass that turns matches into :class:`Finding`\\ s."""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any, Iterable, Iterator, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..io import field_path
from ..metrics import UNITS
from ..model import Heading, ListBlock, Photo, Report
from ..typography import HAN_RANGES

SEVERITIES = ("error", "warning", "note")
CHINESE_SEVERITY = {"error": "错误", "warning": "警告", "note": "提示"}
#: what a piece of text is: the kind decides which rules read it
Kind = Literal["title", "heading", "text", "short"]
KINDS: tuple[Kind, ...] = ("title", "heading", "text", "short")

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Piece:
    """One field's text: where it is (``loc`` for programs, ``place`` for people), what kind
    of text it is, and the group whose numbers must be written alike (a list, an article)."""

    loc: Loc
    place: str
    text: str
    kind: str = "text"
    group: str = ""

    @property
    def field(self) -> str:
        return field_path(self.loc)


@dataclass(frozen=True)
class Finding:
    """One thing the 初审 would mark: place, rule, what was written and the standard form."""

    rule: str
    name: str
    standard: str
    severity: str
    place: str
    field: str
    written: str
    suggestion: str
    message: str
    start: int = 0
    line: int | None = None

    def __str__(self) -> str:
        fix = f" → “{self.suggestion}”" if self.suggestion else ""
        return (f"{self.place}: {self.severity} [{self.standard} {self.name}] “{self.written}”{fix}: "
                f"{self.message} ({self.rule})")

    @property
    def said(self) -> str:
        """The finding in Chinese without its place (the studio shows it beside the field)."""
        fix = f"应为【{self.suggestion}】" if self.suggestion else ""
        return f"{CHINESE_SEVERITY[self.severity]}（{self.standard}·{self.name}）：【{self.written}】{fix}。{self.message}"

    @property
    def chinese(self) -> str:
        """The finding as the studio lists it."""
        return f"{self.place}：{self.said}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- the texts of a report ---------------------------------------------------------------

_PLACE_WORDS = {"title": "标题", "subtitle": "副标题", "heading": "标题行", "ordering_note": "说明",
                "caption": "图注", "credit": "署名", "kicker": "引题", "byline": "作者", "source": "发布单位",
                "headline": "标题", "lead": "要点", "text": "正文", "keyword": "关键词", "header": "页眉",
                "slogan": "口号", "notice": "温馨提示", "qr_label": "二维码说明", "label": "说明", "value": "数字",
                "name": "名称"}


def _word(name: str) -> str:
    return _PLACE_WORDS.get(name, name)


def pieces(report: Report) -> list[Piece]:
    """Every text of *report* that is printed, in reading order, with its place."""
    out: list[Piece] = []

    def add(loc: Loc, place: str, text: str | None, kind: str, group: str = "") -> None:
        if text:
            out.append(Piece(tuple(loc), place, text, kind, group))

    add(("title",), "标题", report.title, "title")
    add(("subtitle",), "副标题", report.subtitle, "title")
    add(("association", "name"), "单位全称", report.association.name, "short")
    add(("header",), "页眉", report.header, "heading")
    add(("slogan",), "口号", report.slogan, "heading")
    for i, text in enumerate(report.intro):
        add(("intro", i), f"活动简介 第{i + 1}段", text, "text", "intro")
    for i, lst in enumerate(report.lists):
        _list_pieces(add, ("lists", i), lst)
    if report.vote is not None:
        for i, text in enumerate(report.vote.rules):
            add(("vote", "rules", i), f"投票规则 第{i + 1}条", text, "text", "vote")
        add(("vote", "notice"), "温馨提示", report.vote.notice, "text", "vote")
        add(("vote", "qr_label"), "二维码说明", report.vote.qr_label, "short", "vote")
    for a, article in enumerate(report.articles):
        where, group = f"第{a + 1}篇", f"articles[{a}]"
        for name in ("kicker", "title", "subtitle", "byline", "source"):
            add(("articles", a, name), f"{where} {_word(name)}", getattr(article, name),
                "heading" if name == "kicker" else "title" if name in ("title", "subtitle") else "short", group)
        for b, block in enumerate(article.body):
            loc = ("articles", a, "body", b)
            if isinstance(block, str):
                add(loc, f"{where} 第{b + 1}段", block, "text", group)
            elif isinstance(block, Heading):
                add(loc + ("heading",), f"{where} 第{b + 1}段 小标题", block.heading, "heading", group)
            elif isinstance(block, Photo):
                add(loc + ("image", "caption"), f"{where} 第{b + 1}段 图注", block.image.caption, "short", group)
            elif isinstance(block, ListBlock):
                _list_pieces(add, loc + ("list",), block.list)
    for s, section in enumerate(report.sections):
        where, group = f"第{s + 1}节", f"sections[{s}]"
        add(("sections", s, "keyword"), f"{where} 关键词", section.keyword, "short", group)
        add(("sections", s, "headline"), f"{where} 标题", section.headline, "title", group)
        for p, point in enumerate(section.points):
            add(("sections", s, "points", p, "lead"), f"{where} 第{p + 1}点 要点", point.lead, "short", group)
            add(("sections", s, "points", p, "text"), f"{where} 第{p + 1}点", point.text, "text", group)
    for f, figure in enumerate(report.key_figures):
        add(("key_figures", f, "label"), f"数说 第{f + 1}个", figure.label, "short", "key_figures")
    if report.signoff is not None:
        add(("signoff", "name"), "落款", report.signoff.name, "short")
    return out


def _list_pieces(add, loc: Loc, lst) -> None:
    group = field_path(loc)
    add(loc + ("heading",), f"{lst.name} 标题行", lst.heading, "heading", group)
    add(loc + ("ordering_note",), f"{lst.name} 说明", lst.ordering_note, "short", group)
    for j, item in enumerate(lst.items):
        where = f"{lst.name} 第{j + 1}项"
        add(loc + ("items", j, "title"), f"{where} 标题", item.title, "title", group)
        for k, text in enumerate(item.paragraphs):
            add(loc + ("items", j, "paragraphs", k), f"{where} 第{k + 1}段", text, "text", group)
        for m, image in enumerate(item.images):
            add(loc + ("items", j, "images", m, "caption"), f"{where} 第{m + 1}张图 图注", image.caption, "short", group)


# -- rules ---------------------------------------------------------------------------------

#: placeholders a rule's pattern may use
PLACEHOLDERS = {"HAN": f"[{HAN_RANGES}]", "UNIT": "|".join(map(re.escape, UNITS)),
                "CN": "[零〇一二两三四五六七八九十百千]"}


class Rule(BaseModel):
    """One rule as written in ``rules/*.yaml`` or an association's ``checks.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=60)
    name: str = Field(min_length=1, max_length=40, description="the rule in a few Chinese words")
    standard: str = Field(min_length=1, max_length=40, description="规范表述, GB/T 15834-2011 …")
    severity: Literal["error", "warning", "note"] = "warning"
    kinds: tuple[Kind, ...] = KINDS
    pattern: str | None = Field(None, max_length=2000, description="a regular expression ({HAN}, {UNIT}, {CN})")
    replace: str | None = Field(None, max_length=200, description="the standard form: a match.expand template")
    function: str | None = Field(None, description="a check of checks/functions.py instead of a pattern")
    options: dict[str, Any] = Field(default_factory=dict)
    in_links: bool = Field(False, description="also inside web addresses and e-mail addresses")
    message: str = Field(min_length=1, max_length=300)
    example: str = Field(min_length=1, description="written right: no finding")
    counter_example: str = Field(min_length=1, description="written wrong: at least one finding of this rule")
    example_config: dict[str, Any] = Field(default_factory=dict, description="checks.yaml used for the examples")

    @model_validator(mode="after")
    def _one_way(self) -> "Rule":
        from .functions import FUNCTIONS

        if (self.pattern is None) == (self.function is None):
            raise ValueError(f"rule {self.id}: give either 'pattern' or 'function'")
        if self.function is not None and self.function not in FUNCTIONS:
            raise ValueError(f"rule {self.id}: no check function {self.function!r}; choose from {', '.join(FUNCTIONS)}")
        if self.pattern is not None:
            try:
                self.regex()
            except (re.error, KeyError, IndexError) as exc:
                raise ValueError(f"rule {self.id}: the pattern is not a regular expression ({exc})") from None
        return self

    def regex(self) -> re.Pattern:
        return _compile(self.pattern or "")


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern:
    text = pattern
    for name, value in PLACEHOLDERS.items():
        text = text.replace("{" + name + "}", value)
    return re.compile(text)


@functools.lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The package's rules, in the order of their files."""
    out: list[Rule] = []
    folder = resources.files("reportgen.checks") / "rules"
    for name in ("wording.yaml", "punctuation.yaml", "numerals.yaml", "privacy.yaml"):
        for entry in yaml.safe_load((folder / name).read_text(encoding="utf-8")):
            out.append(Rule.model_validate(entry))
    ids = [rule.id for rule in out]
    assert len(set(ids)) == len(ids), "two package rules have the same id"
    return tuple(out)


# -- running -------------------------------------------------------------------------------

_LINKS = re.compile(r"(?:https?://|www\.)[^\s，。；、）)“”]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


@dataclass(frozen=True)
class Hit:
    """What a check found in one text: the span, what was written, the standard form and,
    when it says more than the rule's message, its own."""

    start: int
    end: int
    written: str
    suggestion: str = ""
    message: str = ""


def _pattern_hits(rule: Rule, text: str) -> Iterator[Hit]:
    for match in rule.regex().finditer(text):
        if match.end() == match.start():
            continue
        yield Hit(match.start(), match.end(), match.group(0), match.expand(rule.replace) if rule.replace else "")


def run_rules(chosen: Iterable[Rule], texts: list[Piece], config) -> list[tuple[Piece, Rule, Hit]]:
    """Every hit of every rule in *chosen* on *texts*, links left alone unless a rule reads them."""
    from .functions import FUNCTIONS

    links = {id(p): [(m.start(), m.end()) for m in _LINKS.finditer(p.text)] for p in texts}
    out = []
    for rule in chosen:
        readable = [p for p in texts if p.kind in rule.kinds]
        if rule.function is not None:
            found: Iterable[tuple[Piece, Hit]] = FUNCTIONS[rule.function](readable, rule.options, config)
        else:
            found = ((p, hit) for p in readable for hit in _pattern_hits(rule, p.text))
        for piece, hit in found:
            if not rule.in_links and any(a < hit.end and hit.start < b for a, b in links[id(piece)]):
                continue
            out.append((piece, rule, hit))
    return out


def check_pieces(texts: list[Piece], config=None, *, lines=None) -> list[Finding]:
    """The findings of the package's rules and the association's on *texts*."""
    from .config import CheckConfig

    config = config or CheckConfig()
    chosen = [rule for rule in rules() if rule.id not in config.disable] + list(config.rules)
    order = {id(p): i for i, p in enumerate(texts)}
    rank = {name: i for i, name in enumerate(SEVERITIES)}
    found: dict[tuple, tuple[tuple[int, int, int], Finding]] = {}
    for piece, rule, hit in run_rules(chosen, texts, config):
        key = (rule.id, piece.loc, hit.start, hit.end)
        finding = Finding(rule.id, rule.name, rule.standard, rule.severity, piece.place, piece.field,
                          hit.written, hit.suggestion, hit.message or rule.message, hit.start,
                          lines.line_of(piece.loc) if lines is not None else None)
        found.setdefault(key, ((order[id(piece)], hit.start, rank[rule.severity]), finding))
    return [finding for _, finding in sorted(found.values(), key=lambda pair: pair[0])]


def check_report(report: Report, config=None, *, lines=None) -> list[Finding]:
    """Every finding on *report*, in reading order (``lines`` from ``io.read_yaml`` adds line numbers)."""
    return check_pieces(pieces(report), config, lines=lines)


def check_text(text: str, kind: str = "text", config=None) -> list[Finding]:
    """The findings on one text (a rule's examples, a quick check in a test or a shell)."""
    return check_pieces([Piece(("text",), "文本", text, kind, "文本")], config)


def exit_status(findings: Iterable[Finding], strict: bool = False) -> int:
    """0 with warnings and notes, 1 with errors (``strict``: warnings too)."""
    stopping = {"error", "warning"} if strict else {"error"}
    return 1 if any(f.severity in stopping for f in findings) else 0
