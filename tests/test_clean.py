"""The repairs of extraction artefacts, on hand-written tricky cases."""
from __future__ import annotations

from hypothesis import given, strategies as st

from reportgen.extract.clean import (
    Block, Findings, ends_sentence, join_lines, merge_broken, normalize, strip_bold, undouble,
)
from reportgen.extract.sources import Line


def blocks(*texts):
    return [Block([Line(i * 3 + j + 1, line) for j, line in enumerate(t.split("\n"))]) for i, t in enumerate(texts)]


def test_undouble():
    assert undouble("20212021年重庆市科协年重庆市科协““十件大事十件大事””") == "2021年重庆市科协“十件大事”"
    assert undouble("评选评选") == "评选"
    assert undouble("谢谢大家") is None          # a real doubled character is not an artefact
    assert undouble("常常来看看") is None


@given(st.text(alphabet="十件大事亮点评选2021年“”", min_size=1, max_size=12).filter(lambda s: len(s) >= 2))
def test_undouble_inverts_chunk_doubling(text):
    doubled = "".join(ch * 2 for ch in text)
    restored = undouble(doubled)
    assert restored is not None and len(restored) == len(text)
    assert undouble(text + "x") is None or len(text) >= 2


def test_ends_sentence():
    assert ends_sentence("活动圆满结束。")
    assert ends_sentence("他说：“好。”")
    assert not ends_sentence("回答了“怎么看”")
    assert not ends_sentence("科技工作者，")


def test_join_lines():
    assert join_lines(["https://www.wenjuan.", "com/s/UZBZJvkIPP/"]) == "https://www.wenjuan.com/s/UZBZJvkIPP/"
    assert join_lines(["扎实开展党史学习", "教育"]) == "扎实开展党史学习教育"
    assert join_lines(["Cell", "Research"]) == "Cell Research"


def test_normalize_punctuation_and_english():
    f = Findings("x.txt")
    assert normalize("西部(重庆)科学城,重点", f, 1, "a") == "西部（重庆）科学城，重点"
    assert normalize("数据库(COVID-19)知识", f, 1, "a") == "数据库（COVID-19）知识"
    assert normalize("共1,000人", f, 1, "a") == "共1,000人"
    assert normalize("见 https://a.b/c:d 网站", f, 1, "a") == "见https://a.b/c:d网站"
    assert normalize("工业和信息化部 and 重庆市政府", f, 1, "a") == "工业和信息化部和重庆市政府"
    assert normalize("乡村 e 站", f, 1, "a") == "乡村e站"
    messages = [x.message for x in f.items]
    assert any("stray English word 'and'" in m for m in messages)


def test_page_break_joined_but_paragraph_end_kept():
    f = Findings("x.txt")
    merged, moved = merge_broken(blocks("第一段结束。", "第二段在这里被分页打断，科普资", "讯177万余次。"), f)
    assert [b.text for b in merged] == ["第一段结束。", "第二段在这里被分页打断，科普资讯177万余次。"]
    assert not moved and len(f.items) == 1 and f.items[0].line == 7


def test_inserted_caption_moved_out():
    f = Findings("x.txt")
    merged, moved = merge_broken(blocks("市科协将做好《“科", "“十四五”开局之年 市科协要这么干", "重庆日报记者 张亦筑",
                                        "孩子们在科技馆。\n重庆日报记者 郑宇摄", "创中国”三年行动计划》落地。"), f)
    assert [b.text for b in merged] == ["市科协将做好《“科创中国”三年行动计划》落地。"]
    assert [b.text for _, b in moved] == ["“十四五”开局之年 市科协要这么干", "重庆日报记者 张亦筑",
                                          "孩子们在科技馆。重庆日报记者 郑宇摄"]


def test_short_continuation_is_not_mistaken_for_an_insert():
    f = Findings("x.txt")
    merged, moved = merge_broken(blocks("为党和政府科学决策服务的职责定位，", "加快推动重庆建设科技创新中心。",
                                        "预计到2025年，重庆将建成示范区。"), f)
    assert merged[0].text == "为党和政府科学决策服务的职责定位，加快推动重庆建设科技创新中心。"
    assert not moved


def test_strip_bold():
    assert strip_bold("达 **1.396** 亿次，**21** 项") == ("达 1.396 亿次，21 项", [(2, 7), (11, 13)])
