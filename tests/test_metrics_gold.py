"""Figures against a hand-checked gold (issue 19 item 5): what is bold must be a figure, whole.

``tests/gold/figures.yaml`` lists, for every running-text paragraph of the five seeds' data,
the figures as they should be spanned (超千万人次, not 千万人; 近百名, not 百名) and, as
context, look-alikes that must not be bold (数字经济百人会, 成立20周年, 学科前5名 …).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import DATA
from reportgen.io import load_report
from reportgen.metrics import find_all

GOLD = Path(__file__).parent / "gold" / "figures.yaml"


@pytest.fixture(scope="module")
def texts():
    out = {}
    for data in sorted(DATA.glob("*.yaml")):
        for where, text in load_report(data).texts():
            if re.search(r"第\d+段|intro|第\d+点", where):
                out[f"{data.name} | {where}"] = text
    return out


def test_precision_and_recall_on_the_gold(texts):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    assert set(gold["figures"]) <= set(texts), set(gold["figures"]) - set(texts)
    found = expected = matched = 0
    wrong, missed = [], []
    for key, text in texts.items():
        detected = Counter(m.text for m in find_all(text))
        want = Counter(gold["figures"].get(key, []))
        found += sum(detected.values())
        expected += sum(want.values())
        matched += sum((detected & want).values())
        wrong += [f"{key}: {t}" for t in (detected - want).elements()]
        missed += [f"{key}: {t}" for t in (want - detected).elements()]
    negatives = sum(len(v) for v in gold["not"].values())
    assert expected + negatives >= 300, "the gold holds at least 300 spans"
    precision, recall = matched / found, matched / expected
    print(f"figures: {expected} in the gold, {found} detected, precision {precision:.1%}, recall {recall:.1%}")
    assert precision >= 0.95 and recall >= 0.95, (wrong[:10], missed[:10])


def test_look_alikes_are_not_bold(texts):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    for key, contexts in gold["not"].items():
        text = texts[key]
        for context in contexts:
            plain = context.replace("[", "").replace("]", "")
            at = text.index(plain) + context.index("[")
            span = (at, at + context.index("]") - context.index("[") - 1)
            bold = [m.text for m in find_all(text) if m.start < span[1] and span[0] < m.end]
            assert not bold, f"{key}: {context} is set in bold as {bold}"


def test_key_figures_say_what_they_count_and_leave_goals_out():
    from reportgen.render.key_figures import key_figures

    figures = {f.value: f.label for f in key_figures(load_report(DATA / "cq-kx-2021-report.yaml"), 6)}
    assert figures["3100名"] == "院长、校长、站长"  # 医院院长、学校校长、农技站站长, not only 院长
    assert "15%" not in figures  # 确保2025年…超过15%: a goal
    assert figures["10.2%"] == "全市公民具备科学素质比例"
