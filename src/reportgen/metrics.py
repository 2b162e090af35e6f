"""Detect figures ("metrics") in Chinese prose: 1.396亿次, 1800余万元, 10.2%, 3100多名.

Pure text analysis with no dependency on the rest of the package, so the data
model, the extractor and the Jinja filters can all use it.

A metric is a number with an optional magnitude (万/亿), an optional
approximation qualifier before (近, 超过, 约 …) or after the number (余, 多) and
a unit (次, 万元, 人次, %, 个百分点 …). Dates (2021年12月29日, 9月17日),
years (2020年), ordinals (第12位, 第22届) and numbers glued to Latin letters
(COVID-19, 5A级) are not metrics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Units, longest first so that 万人次 wins over 万 + 人.
UNITS = sorted(
    """
    个百分点 百分点 人次 场次 余次 批次 个 项 场 次 名 人 位 家 所 篇 种 座 支 件 幅 期 条 台 处 批 册 本
    部 份 套 元 美元 年 天 小时 公里 千米 米 平方米 平方公里 亩 吨 户 村 棵 株 间 栋 辆 组 队 团 对 门
    节 课 堂 枚 张 倍 周年 届 例 个月 篇次 万字 字 封 所 颗 盏 块 级 秒 分钟 公顷
    """.split(),
    key=len,
    reverse=True,
)
MAGNITUDES = ("万亿", "亿", "万", "千", "百")
PREFIX_QUALIFIERS = ("超过", "逾", "近", "约", "超", "不足", "不到", "将近")
SUFFIX_QUALIFIERS = ("余", "多")

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = "|".join(map(re.escape, UNITS))
_MAG = "|".join(MAGNITUDES)
_PRE = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))

METRIC_RE = re.compile(
    rf"""
    (?P<pre>{_PRE})?
    (?P<num>{_NUM})
    \s?(?P<q1>[余多])?
    (?:
        (?P<pct>[%％])
      | (?P<mag>{_MAG})(?P<q2>[余多])?(?P<unit1>{_UNIT})?
      | (?P<unit2>{_UNIT})
    )
    """,
    re.VERBOSE,
)

# Dates and date ranges: kept apart from metrics.
DATE_RE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\s*[至—\-–~]\s*(?:(?:\d{4}年)?\d{1,2}月)?\d{1,2}日)?"
    r"|\d{4}年\d{1,2}月(?!\d)"
    r"|\d{1,2}月\d{1,2}[—\-–]\d{1,2}日"
    r"|\d{4}年"
    r"|\d{4}[—\-–]\d{4}年?"
)


@dataclass(frozen=True)
class Metric:
    """One figure found in a text: the exact span and its parsed parts."""

    text: str
    value: Decimal
    magnitude: str
    unit: str
    qualifier: str
    start: int
    end: int

    @property
    def scaled(self) -> Decimal:
        """The value with its magnitude applied (1.396亿 → 139600000)."""
        factor = {"": 1, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000,
                  "万亿": 1_000_000_000_000}[self.magnitude]
        return self.value * factor


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of dates and years in *text* (9月17日, 2021年12月29日至2022年1月9日)."""
    return [m.span() for m in DATE_RE.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def find_metrics(text: str) -> list[Metric]:
    """All metrics in *text*, in order, with their exact spans."""
    dates = date_spans(text)
    found: list[Metric] = []
    for m in METRIC_RE.finditer(text):
        num_start = m.start("num")
        if _inside(num_start, dates):
            continue
        before = text[num_start - 1] if num_start > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        # COVID-19, 5A级, 3.0版: glued to Latin letters or part of a longer token
        if before and before.isascii() and (before.isalnum() or before in "-_./"):
            continue
        if after and after.isascii() and after.isalpha():
            continue
        # ordinals: 第12位, 第22届
        if m.group("pre") is None and before == "第":
            continue
        unit = m.group("pct") or m.group("unit1") or m.group("unit2") or ""
        magnitude = m.group("mag") or ""
        if unit == "%" or unit == "％":
            unit = "%"
        # 2020年 as a year is a date; 35年 is a duration
        if unit in ("年", "周年") and len(m.group("num")) == 4 and not magnitude:
            continue
        qualifier = m.group("pre") or m.group("q1") or m.group("q2") or ""
        found.append(
            Metric(
                text=m.group(0),
                value=Decimal(m.group("num").replace(",", "")),
                magnitude=magnitude,
                unit=unit,
                qualifier=qualifier,
                start=m.start(),
                end=m.end(),
            )
        )
    return found
