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

import datetime as dt
import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

# Units, longest first so that 万人次 wins over 万 + 人.
UNITS = sorted(
    """
    个百分点 百分点 人次 场次 余次 批次 条次 户次 项次 架次 省区市 省区 省市 省份
    个 项 场 次 名 人 位 家 所 篇 种 座 支 件 幅 期 条 台 处 批 册 本
    部 份 套 元 美元 年 天 小时 公里 千米 米 平方米 平方公里 亩 吨 户 村 棵 株 间 栋 辆 组 队 团 对 门
    节 课 堂 枚 张 倍 周年 届 例 个月 篇次 万字 字 封 所 颗 盏 块 级 秒 分钟 公顷
    """.split(),
    key=len,
    reverse=True,
)
MAGNITUDES = ("万亿", "亿", "万", "千", "百")
PREFIX_QUALIFIERS = ("超过", "逾", "近", "约", "超", "不足", "不到", "将近", "突破")
SUFFIX_QUALIFIERS = ("余", "多")

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = "|".join(map(re.escape, UNITS))
_MAG = "|".join(MAGNITUDES)
_PRE = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))

METRIC_RE = re.compile(
    rf"""
    (?P<pre>{_PRE})?
    (?<!\d)(?P<num>{_NUM})
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
    """One figure found in a text: the exact span and its parsed parts.

    ``upper`` is set for a range (3至5个, 10%—15%): ``value`` is then the lower bound.
    """

    text: str
    value: Decimal
    magnitude: str
    unit: str
    qualifier: str
    start: int
    end: int
    upper: Decimal | None = None

    @property
    def scaled(self) -> Decimal:
        """The value with its magnitude applied (1.396亿 → 139600000)."""
        factor = {"": 1, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000,
                  "万亿": 1_000_000_000_000}[self.magnitude]
        return self.value * factor


@dataclass(frozen=True)
class DateSpan:
    """A date or date range in a text (9月17日, 11月9日至24日, 2021年12月29日至2022年1月9日)."""

    text: str
    start: int
    end: int
    first: "dt.date | None"
    last: "dt.date | None"


@dataclass(frozen=True)
class Ratio:
    """Part of a whole stated in one breath: 21项深化改革任务已完成19项."""

    whole: Metric
    part: Metric

    @property
    def share(self) -> Decimal:
        return self.part.scaled / self.whole.scaled if self.whole.scaled else Decimal(0)


_DATE_PARTS = re.compile(
    r"(?:(?P<y1>\d{4})年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日"
    r"(?:\s*[至—\-–~]\s*(?:(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)?")


def find_dates(text: str, year: int | None = None) -> list[DateSpan]:
    """Dates in *text*; a missing year is *year* (None leaves the date unknown)."""
    out = []
    for match in _DATE_PARTS.finditer(text):
        g = match.groupdict()
        y1 = int(g["y1"]) if g["y1"] else year
        first = last = None
        try:
            if y1:
                first = dt.date(y1, int(g["m1"]), int(g["d1"]))
                last = first
                if g["d2"]:
                    y2 = int(g["y2"]) if g["y2"] else y1
                    last = dt.date(y2, int(g["m2"] or g["m1"]), int(g["d2"]))
        except ValueError:  # 2月30日 is not a date
            first = last = None
        out.append(DateSpan(match.group(0), match.start(), match.end(), first, last))
    return out


def date_spans(text: str) -> Spans:
    """Spans of dates and years in *text* (9月17日, 2021年12月29日至2022年1月9日)."""
    return Spans(m.span() for m in DATE_RE.finditer(text))


class Spans:
    """Character spans, asked in logarithmic time whether they cover a position or overlap
    a span (detection stays linear on texts with thousands of figures and dates)."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.reach, furthest = [], -1  # furthest end among the spans up to each one
        for _, b in self.spans:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def _reach_before(self, index: int) -> int:
        return self.reach[index - 1] if index else -1

    def covers(self, pos: int) -> bool:
        return self._reach_before(bisect.bisect_right(self.starts, pos)) > pos

    def overlaps(self, start: int, end: int) -> bool:
        return self._reach_before(bisect.bisect_left(self.starts, end)) > start


def _inside(pos: int, spans: Spans) -> bool:
    return spans.covers(pos)


_ANNIVERSARY = ("成立", "在党", "建党", "诞辰", "建国", "建校")
# a bare figure that a verb of reaching introduces: 影响因子突破20
_BARE_RE = re.compile(rf"(?P<pre>突破|超过)(?P<num>{_NUM})(?=[，。；、）]|$)")


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
        # ordinals: 第12位, 第22届; a rank threshold: 学科前5名, 排位前10%
        if m.group("pre") is None and before == "第":
            continue
        if m.group("pre") is None and before == "前" and (m.group("pct") or m.group("unit2") in ("名", "位")):
            continue
        unit = m.group("pct") or m.group("unit1") or m.group("unit2") or ""
        magnitude = m.group("mag") or ""
        if unit == "%" or unit == "％":
            unit = "%"
        # 2020年 as a year is a date; 35年 is a duration; an anniversary (成立20周年, 光荣在党50年,
        # 建党100年) is not an achievement
        if unit in ("年", "周年") and len(m.group("num")) == 4 and not magnitude:
            continue
        if unit == "周年" or (unit == "年" and text[max(0, m.start() - 2):m.start()] in _ANNIVERSARY):
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
    taken = Spans((f.start, f.end) for f in found)
    for m in _BARE_RE.finditer(text):
        if not taken.overlaps(m.start(), m.end()) and not _inside(m.start("num"), dates):
            found.append(Metric(m.group(0), Decimal(m.group("num").replace(",", "")), "", "", m.group("pre"),
                                m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


_RANGE_RE = re.compile(
    rf"(?<!\d)(?P<lo>{_NUM})\s*(?P<u0>[%％])?\s*(?:[-—–~～至到])\s*(?P<hi>{_NUM})\s*"
    rf"(?:(?P<pct>[%％])|(?P<mag>{_MAG})?(?P<unit>{_UNIT}))")

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
# units after which a Chinese numeral counts things (届, 次 and 大 are mostly ordinal or names)
CN_COUNT_UNITS = "个项名家场所支件座条类批位种篇部册本人"
_CN_MULTI_UNITS = ("人次", "场次", "条次", "篇次", "户次", "项次", "省区", "省市")
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"
_CN_RE = re.compile(rf"(?P<pre>{_PRE})?(?<![{_CN_NUMERAL}])(?P<num>[{_CN_NUMERAL}]+)(?P<q>[余多])?(?P<mag>万|亿)?"
                    rf"(?P<unit>{'|'.join(_CN_MULTI_UNITS)}|[{CN_COUNT_UNITS}])")
# a count that is part of a name: 十件大事, 数字经济百人会, 百名科技英才, 千人计划
_CN_NAME_AFTER = ("大事", "大亮点", "会", "科技英才", "英才", "计划", "工程")
# set phrases with small counts: 四个意识, 两个维护, 八个一, 三位一体
_CN_SET_PHRASE_AFTER = ("意识", "自信", "维护", "确立", "全面", "代表", "服务", "面向", "一")


def cn_to_int(numeral: str) -> int | None:
    """十二 → 12, 二十 → 20, 三百五十 → 350, 一〇五 → 105; None if not a number."""
    if all(ch in _CN_DIGIT for ch in numeral):
        return int("".join(str(_CN_DIGIT[ch]) for ch in numeral)) if len(numeral) > 1 else _CN_DIGIT[numeral]
    total, digit = 0, None
    for ch in numeral:
        if ch in _CN_DIGIT:
            if digit is not None:
                return None
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def find_ranges(text: str) -> list[Metric]:
    """Ranges (3至5个, 10%—15%): value is the lower bound, ``upper`` the upper one."""
    dates = date_spans(text)
    out = []
    for m in _RANGE_RE.finditer(text):
        if _inside(m.start(), dates) or (m.group("u0") and not m.group("pct")):
            continue
        unit = "%" if m.group("pct") else m.group("unit")
        if unit == "年" and len(m.group("hi")) == 4:
            continue  # 2021—2025年 is a period of years
        out.append(Metric(m.group(0), Decimal(m.group("lo").replace(",", "")), m.group("mag") or "",
                          unit, "", m.start(), m.end(), upper=Decimal(m.group("hi").replace(",", ""))))
    return out


def find_chinese_counts(text: str) -> list[Metric]:
    """Counts in Chinese numerals (十个方面, 二十余家); ordinals (第十二届, 五届八次) and
    small counts in set phrases (四个意识, 两个维护) are left alone."""
    out = []
    for m in _CN_RE.finditer(text):
        start = m.start("num")
        if start and text[start - 1] in "第每":
            continue
        value = cn_to_int(m.group("num"))
        qualified = bool(m.group("q") or m.group("pre"))
        after = text[m.end():m.end() + 4]
        if value is None or value < 2 or (value < 10 and (m.group("unit") not in "个项" or
                                                          after.startswith(_CN_SET_PHRASE_AFTER))):
            continue
        if not qualified and len(m.group("num")) == 1 and after.startswith(_CN_NAME_AFTER):
            continue
        out.append(Metric(m.group(0), Decimal(value), m.group("mag") or "", m.group("unit"),
                          m.group("pre") or m.group("q") or "", m.start(), m.end()))
    return out


def find_ratios(text: str, window: int = 16) -> list[Ratio]:
    """A whole and its part with the same unit close together: 21项…已完成19项, 共38个，其中12个."""
    metrics = find_metrics(text)
    out = []
    for whole, part in zip(metrics, metrics[1:]):
        between = text[whole.end:part.start]
        if whole.unit == part.unit and len(between) <= window and re.search(r"已完成|完成了|其中|已有|已建成", between) \
                and part.scaled <= whole.scaled:
            out.append(Ratio(whole, part))
    return out


def find_all(text: str) -> list[Metric]:
    """Arabic figures, ranges (replacing their bounds) and Chinese-numeral counts, in order."""
    ranges = find_ranges(text)
    covered = Spans((r.start, r.end) for r in ranges)
    figures = [m for m in find_metrics(text) if not covered.covers(m.start)]
    taken = Spans([(r.start, r.end) for r in ranges] + [(f.start, f.end) for f in figures])
    counts = [m for m in find_chinese_counts(text) if not taken.overlaps(m.start, m.end)]
    return sorted(figures + ranges + counts, key=lambda m: m.start)
