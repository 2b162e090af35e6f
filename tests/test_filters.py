"""Named Jinja filters: numbering, dates, spacing, squeezing."""
from __future__ import annotations

import datetime as dt

from reportgen.render.filters import (
    bracket_date, circled, cn_date, cn_number, date_range, halt_positions, segments, typeset,
)


def test_chinese_numbering():
    assert [cn_number(n) for n in (1, 2, 10, 11, 20, 21, 99, 100, 101, 110)] == [
        "一", "二", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零一", "一百一十"]
    assert [circled(n) for n in (1, 10, 20, 21)] == ["①", "⑩", "⑳", "(21)"]


def test_dates():
    day = dt.date(2021, 12, 29)
    assert cn_date(day) == "2021年12月29日" and cn_date(day, year=False) == "12月29日"
    assert cn_date("2021-02-01") == "2021年2月1日"
    assert date_range(day, dt.date(2022, 1, 9)) == "2021年12月29日至2022年1月9日"
    assert date_range(dt.date(2021, 9, 11), dt.date(2021, 9, 17)) == "2021年9月11日至9月17日"
    assert bracket_date(dt.date(2021, 2, 1)) == "[2021-02-01]"


def test_han_latin_gap_never_inside_numbers_or_at_punctuation():
    pieces = segments("共50场次，2020年COVID-19。", [])
    text = "".join(p for p, _ in pieces)
    assert text == "共\u200550\u2005场次，2020\u2005年\u2005COVID-19。"


def test_squeeze_positions():
    assert halt_positions("好。”然后") == {1}
    assert halt_positions("（见附件），《甲》") == {4, 5}
    assert halt_positions("说：“好”") == {2}
    assert 'class="halt"' in str(typeset("成功。”", []))


def test_typeset_escapes_and_bolds():
    html = str(typeset("<b>共3100多名</b>"))
    assert html.startswith("&lt;b&gt;共") and '<strong class="fig">3100' in html


def test_one_segmenter_keeps_the_associations_terms_whole():
    from reportgen.typography import TERMS, words

    for term in TERMS:
        assert term in words(f"我们举办{term}活动"), term
    assert words("深入学习贯彻党的十九届五中全会精神")[:3] == ["深入", "学习", "贯彻"]


def test_warm_renders_its_sample_and_keeps_what_it_learned_to_itself():
    from reportgen.formats import learned
    from reportgen.render import pdf, warm
    from reportgen.render.html import environment
    from reportgen.formats import builtin_templates

    warm(("pdf",))
    assert environment((builtin_templates(),)).cache  # the built-in templates compiled
    assert pdf._BREAKS  # the sample's headlines measured here …
    assert learned() == {"reportgen.render.pdf": {}}  # … and not sent on as news
