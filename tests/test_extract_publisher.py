"""The association a document states as its publisher — and no other (issue 27, item 4): a
name is taken from the title, a banner, the sign-off, a 来源 line or the opening clause's
subject, and only when it is a whole name; else it is left empty."""
from __future__ import annotations

import pytest

from reportgen.extract.publisher import in_title, lead_subject, names_in, publisher, whole_name


@pytest.mark.parametrize("text, name", [
    ("江北区科学技术协会", "江北区科学技术协会"),
    ("江北区科协", "江北区科学技术协会"),
    ("新疆维吾尔自治区科协", "新疆维吾尔自治区科学技术协会"),
    ("黔东南州科协", "黔东南州科学技术协会"),
    ("中国科协", "中国科学技术协会"),
    ("松林縣科協", "松林縣科學技術協會"),
    ("中国化学会", "中国化学会"),
    ("重庆市老科学技术工作者协会", "重庆市老科学技术工作者协会"),
])
def test_whole_names(text, name):
    assert whole_name(text)["name"] == name


@pytest.mark.parametrize("text", [
    "市科协", "全市科协", "自治区科学技术协会", "科学技术协会", "学技术协会", "科技节市科学技术协会",
    "材料上报自治区科学技术协会", "教师参加市科学技术协会", "科协受省科学技术协会",
])
def test_phrases_that_are_not_names(text):
    assert whole_name(text) is None


@pytest.mark.parametrize("text", [
    "市科协受省科学技术协会的委托", "材料上报自治区科学技术协会", "教师参加市科学技术协会",
])
def test_running_text_that_names_no_publisher(text):
    assert list(names_in(text, text)) == []


def test_a_name_never_begins_inside_a_verb():
    assert [n["name"] for n in names_in("召开江北区科协会议")] == ["江北区科学技术协会"]


def test_titles():
    assert in_title("2023年江北区科协十件大事")["name"] == "江北区科学技术协会"
    assert in_title("中国化学会2023年工作报告")["name"] == "中国化学会"
    # 市科协 alone is no name, whatever city the text mentions (it may be a visitor's)
    assert in_title("市科协2023年十件大事", "市科协2023年十件大事\n丹霞市科学技术协会来访。") is None


def test_lead_subject_is_one_clause_subject():
    assert lead_subject("3月18日，春城市科学技术协会发布年度报告。")["name"] == "春城市科学技术协会"
    assert lead_subject("市科协受省科学技术协会的委托，开展调查。") is None


def test_publisher_order_and_nothing_invented():
    lines = ["关于2022年工作情况的报告", "今年，县里的教师参加市科学技术协会的培训。", "上报自治区科学技术协会。"]
    assert publisher(lines, lines[0]) == {"name": "", "short_name": ""}
    lines = ["通州区科学技术协会文件", "关于2022年工作情况的报告", "正文。"]
    assert publisher(lines, lines[1])["name"] == "通州区科学技术协会"
    lines = ["关于2022年工作情况的报告", "正文。", "平原县科学技术协会", "2023年1月5日"]
    assert publisher(lines, lines[0], signoff="平原县科学技术协会")["name"] == "平原县科学技术协会"
    assert publisher(["报告", "正文。"], "报告", source="中国科协调研宣传部")["name"] == "中国科学技术协会"
