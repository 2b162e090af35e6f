"""Figures in Chinese prose."""
from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.metrics import find_metrics


@pytest.mark.parametrize("text, expected", [
    ("阅读总量达 1.396 亿次", [("1.396 亿次", "1.396", "亿", "次", "")]),
    ("开展疫情排查1.2万人次", [("1.2万人次", "1.2", "万", "人次", "")]),
    ("捐助1800余万元人民币", [("1800余万元", "1800", "万", "元", "余")]),
    ("比例达到10.2%，", [("10.2%", "10.2", "", "%", "")]),
    ("提高5.46个百分点", [("5.46个百分点", "5.46", "", "个百分点", "")]),
    ("3100多名学校校长", [("3100多名", "3100", "", "名", "多")]),
    ("主场活动吸引近30万市民参与", [("近30万", "30", "万", "", "近")]),
    ("超过10%的目标", [("超过10%", "10", "", "%", "超过")]),
    ("6.7万余人次参加", [("6.7万余人次", "6.7", "万", "人次", "余")]),
])
def test_metric_parts(text, expected):
    got = [(m.text, str(m.value), m.magnitude, m.unit, m.qualifier) for m in find_metrics(text)]
    assert got == expected
    for m in find_metrics(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text", [
    "9月17日，市委副书记", "11月9日至24日", "2021年12月29日至2022年1月9日", "2020年，中国科协",
    "第十二届重庆市", "排名第12位", "第22届中国科协年会", "COVID-19知识", "5A级社会组织",
    "2020重庆英才大会", "《中国科技人力资源发展研究报告(2018)》",
])
def test_not_metrics(text):
    assert find_metrics(text) == []


def test_scaled_value():
    (m,) = find_metrics("1.396亿次")
    assert m.scaled == Decimal("139600000")
