"""The typed data of a year-end report (pydantic v2).

One data file holds one association and one year. The shape::

    Report
      association: Association (name, short_name, colors, logo)
      year, title, subtitle, layout
      lists: [ItemList]          十件大事, 十大亮点, 候选大事 …
        items: [Item]            title, paragraphs, dates, images, metrics
      source: Source             where the data came from, what was repaired

Later layouts add optional top-level blocks (vote panel, review sections,
news articles, key figures) next to ``lists``; every block is optional so a
file written for one layout stays valid as the model grows. Unknown fields are
rejected so that a typo never passes silently.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Final, Literal, Union

from pydantic import (
    AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator,
)

from . import metrics as _metrics
from .layouts import LAYOUTS, NAMES as LAYOUT_NAMES

SCHEMA_VERSION: Final = 1

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(value: str) -> str:
    """Reject characters that no document format can hold (control characters, lone surrogates)."""
    bad = _CONTROL.search(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad.group(0)):04X} at position {bad.start()}")
    return value


Str = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_printable)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
                 AfterValidator(_printable)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                      AfterValidator(_printable)]
#: a title that may be left empty to fill in (an extraction that could not read one)
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_printable)]
HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Colors(_Model):
    """The association's colours: the banner is ``primary``, rules and numerals ``accent``."""

    primary: HexColor = Field("#B4141E", description="banner and headings (official red)")
    accent: HexColor = Field("#D4A53C", description="rules, numerals and banner text (gold)")
    text: HexColor = Field("#1A1A1A", description="body text")


class Association(_Model):
    name: Str = Field(description="full name, e.g. 重庆市科学技术协会 (empty: still to fill in)")
    short_name: Str = Field(description="short name used in titles, e.g. 市科协 (empty: still to fill in)")
    slug: Slug | None = Field(None, description="ASCII id used for output file names, e.g. cq-kx")
    colors: Colors = Field(default_factory=Colors)
    logo: str | None = Field(None, description="image file, relative to the data file")


class Metric(_Model):
    """A figure in an item's text, with the exact span it was found at."""

    text: ShortText = Field(description="the exact source text, e.g. 1800余万元")
    value: Decimal
    magnitude: Literal["", "百", "千", "万", "亿", "万亿"] = ""
    unit: Str = ""
    qualifier: Str = Field("", description="余, 多, 近, 超过 …")
    upper: Decimal | None = Field(None, description="upper bound of a range (3至5个)")
    paragraph: int = Field(ge=0, description="index of the paragraph in the item")
    start: int = Field(ge=0)
    end: int = Field(ge=1)


class Image(_Model):
    path: ShortText | None = Field(None, description="image file, relative to the data file; without "
                                   "one (a photo not yet supplied) nothing is printed and validate warns")
    caption: Str = ""
    credit: Str = Field("", description="photographer, e.g. 重庆日报记者 郑宇摄")


class Item(_Model):
    number: int | None = Field(None, ge=1, description="number shown; defaults to the position")
    title: ShortText
    paragraphs: list[Text] = Field(default_factory=list, description="body text; none yet is allowed "
                                   "(validate warns)")
    dates: list[dt.date] = Field(default_factory=list, description="dates the item is about")
    images: list[Image] = Field(default_factory=list)
    metrics: list[Metric] | None = Field(
        None, description="figures in the text; detected automatically when omitted")
    draft: bool = Field(False, description="last year's item or an empty slot, still to be replaced "
                        "(validate and render say so)")

    @model_validator(mode="after")
    def _metrics_match_text(self) -> "Item":
        if self.metrics is None:
            object.__setattr__(self, "metrics", detect_metrics(self.paragraphs))
            return self
        for i, m in enumerate(self.metrics):
            if m.paragraph >= len(self.paragraphs):
                raise ValueError(f"metrics[{i}]: paragraph {m.paragraph} does not exist")
            found = self.paragraphs[m.paragraph][m.start:m.end]
            if found != m.text:
                raise ValueError(f"metrics[{i}]: span {m.start}-{m.end} of paragraph "
                                 f"{m.paragraph} reads {found!r}, not {m.text!r}")
        return self


def detect_metrics(paragraphs: list[str]) -> list[Metric]:
    return [
        Metric(text=m.text, value=m.value, magnitude=m.magnitude, unit=m.unit, qualifier=m.qualifier,
               upper=m.upper, paragraph=p, start=m.start, end=m.end)
        for p, text in enumerate(paragraphs)
        for m in _metrics.find_all(text)
    ]


class ItemList(_Model):
    name: ShortText = Field(description="十件大事, 十大亮点, 候选大事 …")
    heading: Str | None = Field(None, description="heading shown; defaults to '<year>年<short_name><name>'")
    ordering_note: Str = Field("", description="e.g. 排序不分先后")
    items: list[Item] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _unique_numbers(cls, items: list[Item]) -> list[Item]:
        seen: dict[int, int] = {}
        for position, item in enumerate(items, 1):
            number = item.number or position
            if number in seen:
                raise ValueError(f"items {seen[number]} and {position} both have number {number}")
            seen[number] = position
        return items

    def numbered(self) -> list[tuple[int, Item]]:
        return [(item.number or i, item) for i, item in enumerate(self.items, 1)]


class Repair(_Model):
    """An extraction artefact that was repaired (or only flagged) by hand or by ``extract``."""

    where: ShortText = Field(description="item or place, e.g. 十件大事 8")
    what: Text
    action: Literal["repaired", "flagged"] = "repaired"


class Source(_Model):
    file: ShortText = Field(description="document the data was taken from")
    repairs: list[Repair] = Field(default_factory=list)


class Heading(_Model):
    """A subheading inside an article's body."""

    heading: ShortText


class Photo(_Model):
    """A photo (or only its caption) inside an article's body: the block `{image: …}` (not a
    "figure": that word is for the numbers in the text, see metrics)."""

    image: Image


class ListBlock(_Model):
    """A numbered list inside an article (e.g. the 十大事件 of a news release)."""

    list: "ItemList"


# A body block is written in YAML as a plain string (a paragraph) or a one-key mapping.
Block = Annotated[Union[Text, Heading, Photo, ListBlock], Field(union_mode="left_to_right")]


class Article(_Model):
    """A news item or newspaper report."""

    kicker: Str = Field("", description="引题 or column name above the title, e.g. 关注市科协五届八次全会")
    title: Title = Field(
        description="headline (empty: still to fill in)")
    subtitle: Str = ""
    byline: Str = Field("", description="e.g. 重庆日报记者 张亦筑")
    source: Str = Field("", description="issuing department, e.g. 中国科协调研宣传部")
    date: dt.date | None = None
    body: list[Block] = Field(min_length=1)

    def lists(self) -> list["ItemList"]:
        return [block.list for block in self.body if isinstance(block, ListBlock)]


class VotePanel(_Model):
    """The public vote of a 评选 brochure."""

    start: dt.date = Field(description="first day of voting")
    end: dt.date = Field(description="last day of voting")
    url: Annotated[str, StringConstraints(pattern=r"^(?:https?://[^\s/$.?#][^\s]*)?$", max_length=500)] = Field(
        "", description="vote page (also encoded in the QR code); empty until the platform's page exists "
                        "(a document without it is not rendered)")
    per_day_limit: int = Field(ge=1, le=1000, description="votes per participant per item per day")
    rules: list[Text] = Field(min_length=1, description="投票规则 as published")
    notice: Str = Field("", description="温馨提示")
    qr_label: Str = Field("投票二维码", description="caption of the QR code")

    @field_validator("url")
    @classmethod
    def _real_url(cls, url: str) -> str:
        """A placeholder address must never become a printed QR code."""
        host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0].lower()
        if url and (re.search(r"(?:^|\.)example\.(?:org|com|net)$", host) or host in ("localhost", "127.0.0.1")
                    or re.search(r"x{3,}|\*{2,}", url, re.I)):
            raise ValueError(f"{url} is a placeholder address, not the vote's page; give the questionnaire "
                             "platform's address (or leave it empty until there is one)")
        return url

    @model_validator(mode="after")
    def _period(self) -> "VotePanel":
        if self.end < self.start:
            raise ValueError(f"vote ends ({self.end}) before it starts ({self.start})")
        return self


class Point(_Model):
    """One point of a review section: a bold lead-in and its text."""

    lead: Title = Field("", description="bold lead-in; empty: a point of text only")
    text: Text


class Section(_Model):
    """A themed section of a 回眸 review."""

    number: int = Field(ge=1)
    keyword: Title = Field(description="two-character theme shown large, e.g. 思想 (empty: still to fill in)")
    headline: Text
    points: list[Point] = Field(min_length=1)


class Signoff(_Model):
    """The closing sign-off (落款): who issues the document and when, set flush right after
    the text (never an item's text)."""

    name: ShortText = Field(description="issuing body as signed, e.g. 江北区科学技术协会")
    date: dt.date | None = Field(None, description="date of issue, printed as 2024年1月5日")


class KeyFigureData(_Model):
    """A figure for the 数说 panel, given by hand instead of detected."""

    value: ShortText = Field(description="as shown, e.g. 10.2%")
    label: ShortText = Field(description="what it counts, e.g. 公民具备科学素质比例")


Layout = Literal[LAYOUT_NAMES]  # type: ignore[valid-type]  # the one list: reportgen/layouts.py

#: what each layout needs besides the common fields (its record in reportgen/layouts.py)
LAYOUT_NEEDS = {name: layout.needs for name, layout in LAYOUTS.items()}


class Report(_Model):
    """One association's report for one year."""

    schema_version: Literal[1] = SCHEMA_VERSION
    layout: Layout = Field("bulletin", description="which template family renders it")
    association: Association
    year: int | None = Field(ge=1949, le=2200, description="the year reported on (null: still to fill in)")
    title: Title = Field(
        description="the document's title (empty: still to fill in)")
    subtitle: Str = ""
    theme: str | None = Field(None, description="theme name or YAML file (relative to the data file)")
    templates: list[ShortText] = Field(default_factory=list, description="the association's own template "
                                       "folders (relative to the data file), searched after --templates")
    header: Str = Field("", description="running header, e.g. 工作回眸")
    header_latin: Str = Field("", description="its Latin line, e.g. GONG ZUO HUI MOU")
    intro: list[Text] = Field(default_factory=list, description="introduction, e.g. 活动简介")
    lists: list[ItemList] = Field(default_factory=list)
    vote: VotePanel | None = None
    articles: list[Article] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    slogan: Str = Field("", description="e.g. 勇担使命 创新争先")
    keywords: list[ShortText] = Field(default_factory=list, description="keyword index of a review")
    key_figures: list[KeyFigureData] = Field(
        default_factory=list, description="the 数说 panel; detected from the text when empty")
    signoff: Signoff | None = Field(None, description="落款: the issuing body and date after the text")
    digest: Str = Field("", description="公众号 摘要 (≤ 128 characters; default: the first sentence)")
    author: Str = Field("", description="公众号 作者 (≤ 16 characters; default: the association's short name)")
    cover: ShortText | None = Field(None, description="公众号 cover picture, relative to the data file "
                                    "(default: one made from the banner, 2.35:1)")
    source: Source | None = None

    @field_validator("lists")
    @classmethod
    def _unique_list_names(cls, lists: list[ItemList]) -> list[ItemList]:
        names = [lst.name for lst in lists]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"two lists are named {name!r}")
        return lists

    @model_validator(mode="after")
    def _layout_has_content(self) -> "Report":
        for need in LAYOUT_NEEDS[self.layout]:
            if not getattr(self, need):
                raise ValueError(f"a {self.layout} needs '{need}'")
        numbers = [section.number for section in self.sections]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two sections have the same number")
        return self

    def all_lists(self) -> list[ItemList]:
        """The report's lists and the lists inside its articles."""
        return self.lists + [lst for article in self.articles for lst in article.lists()]

    def images(self):
        """``(where, Image)`` for every image of the report."""
        for lst in self.all_lists():
            for position, item in enumerate(lst.items, 1):
                for image in item.images:
                    yield f"{lst.name} 第{position}项", image
        for a, article in enumerate(self.articles, 1):
            for b, block in enumerate(article.body, 1):
                if isinstance(block, Photo):
                    yield f"第{a}篇 第{b}段", block.image

    def unfilled(self) -> list[str]:
        """Fields left empty to fill in (an extraction that could not read them): valid
        data, but nothing to print yet."""
        missing = [name for name, value in (("title", self.title), ("year", self.year),
                                            ("association.name", self.association.name),
                                            ("association.short_name", self.association.short_name))
                   if value in ("", None)]
        missing += [f"articles.{a}.title" for a, article in enumerate(self.articles) if not article.title]
        missing += [f"sections.{s}.keyword" for s, section in enumerate(self.sections) if not section.keyword]
        if self.vote is not None and not self.vote.url:
            missing.append("vote.url")
        return missing

    def list_heading(self, lst: ItemList) -> str:
        return lst.heading or f"{self.year}年{self.association.short_name}{lst.name}"

    def texts(self):
        """Every piece of text that will be typeset, with where it comes from."""
        yield "title", self.title
        if self.subtitle:
            yield "subtitle", self.subtitle
        yield "association.name", self.association.name
        for name in ("header", "header_latin", "slogan"):
            yield name, getattr(self, name)
        for i, text in enumerate(self.intro, 1):
            yield f"intro 第{i}段", text
        yield "keywords", "".join(self.keywords)
        for figure in self.key_figures:
            yield "key_figures", figure.value + figure.label
        for lst in self.all_lists():
            yield from _list_texts(lst, self.list_heading(lst))
        if self.vote:
            vote = self.vote
            yield "vote", " ".join([vote.url, vote.notice, vote.qr_label, *vote.rules])
        for a, article in enumerate(self.articles, 1):
            where = f"第{a}篇"
            yield f"{where} title", " ".join([article.kicker, article.title, article.subtitle,
                                              article.byline, article.source])
            for b, block in enumerate(article.body, 1):
                if isinstance(block, str):
                    yield f"{where} 第{b}段", block
                elif isinstance(block, Heading):
                    yield f"{where} 第{b}段 heading", block.heading
                elif isinstance(block, Photo):
                    yield f"{where} 第{b}段 caption", block.image.caption + block.image.credit
        if self.signoff is not None:
            yield "signoff", self.signoff.name
        for s, section in enumerate(self.sections, 1):
            where = f"第{s}节"
            yield f"{where} headline", section.keyword + section.headline
            for p, point in enumerate(section.points, 1):
                yield f"{where} 第{p}点", point.lead + point.text


def _list_texts(lst: "ItemList", heading: str):
    yield f"{lst.name}", heading + lst.ordering_note
    for position, item in enumerate(lst.items, 1):
        where = f"{lst.name} 第{position}项"
        yield f"{where} title", item.title
        for p, para in enumerate(item.paragraphs, 1):
            yield f"{where} 第{p}段", para
        for i, image in enumerate(item.images, 1):
            yield f"{where} 第{i}张图 caption", image.caption + image.credit


ListBlock.model_rebuild()
Article.model_rebuild()


def json_schema() -> dict:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "reportgen report data"
    return schema
