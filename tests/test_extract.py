"""Extraction of the five seeds (and of DOCX/PDF) into the data files in data/."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import DATA, SEEDS, seed_2020_titles, squash
from reportgen.cli import main
from reportgen.extract import classify, extract
from reportgen.extract.sources import read_lines
from reportgen.io import load_report
from reportgen.model import Photo, Heading

SEED_DATA = {
    "000_3c47ada3094104d4.txt": ("bulletin", "cq-kx-2020.yaml"),
    "001_1dc7a3f8c94a7fc8.txt": ("report", "cq-kx-2021-report.yaml"),
    "002_f23057a27dc72643.txt": ("ballot", "cq-kx-2021-ballot.yaml"),
    "003_49d197ff665d3f42.txt": ("news", "cast-2020-news.yaml"),
    "004_6e9226e2f0851d1c.txt": ("review", "cd-kx-review.yaml"),
}


#: the publisher of the seeds whose text never names it in full (a 十件大事 page headed 市科协, a
#: newspaper report): the user gives it, as `reportgen extract --name … --short-name …` does
GIVEN = {"000_3c47ada3094104d4.txt": {"name": "重庆市科学技术协会", "short_name": "市科协"},
         "001_1dc7a3f8c94a7fc8.txt": {"name": "重庆市科学技术协会", "short_name": "市科协"}}


@pytest.fixture(scope="module")
def extracted():
    return {seed: extract(f"seeds/{seed}", association=GIVEN.get(seed)) for seed in SEED_DATA}


@pytest.mark.parametrize("seed", sorted(GIVEN))
def test_a_publisher_the_text_does_not_name_is_left_empty(seed):
    """市科协 alone, or 重庆市科协 named in a report's body, is not a statement of who publishes:
    the name is left empty and flagged rather than guessed."""
    result = extract(f"seeds/{seed}", limits=None)
    assert result.report.association.name == ""
    assert any(f.where == "association" and f.action == "flagged" for f in result.findings)


@pytest.mark.parametrize("seed", sorted(SEED_DATA))
def test_seed_extracts_to_the_committed_data_file(seed, extracted, monkeypatch):
    kind, data_file = SEED_DATA[seed]
    assert classify(read_lines(SEEDS / seed)) == kind
    assert extracted[seed].kind == kind
    assert extracted[seed].report == load_report(DATA / data_file)


def test_bulletin_titles(extracted):
    report = extracted["000_3c47ada3094104d4.txt"].report
    assert [i.title for lst in report.lists for i in lst.items] == seed_2020_titles()
    assert report.association.name == "重庆市科学技术协会"


BALLOT_EVENTS = [
    "扎实开展党史学习教育", "举行庆祝建党百年系列活动", "开启“十四五”科协事业发展新征程",
    "举办2021重庆英才大会科协专项活动", "举办第四届数字经济百人会", "召开2021重庆市科协年会",
    "举办首期科技英才研修班", "召开市老科协成立20周年座谈会",
    "举办2021年重庆市全国科普日活动暨首届西部（重庆）科学城科技节", "启动实施科技助力乡村振兴行动",
    "持续深化川渝科协战略合作", "不断拓展民间科技交流渠道",
]
BALLOT_HIGHLIGHTS = [
    "“为科技工作者办实事、助科技工作者作贡献”行动取得实效", "科技工作者思想政治引领工作不断创新",
    "培养引进推荐表彰科技人才实现新突破", "重庆市领导干部科技讲堂成为品牌", "“科创中国”建设纵深推进",
    "全市基层科协组织建设迈出新步伐", "中国科协“十大”相关工作卓有成效",
    "重庆市高水平科技社团和高品质科技期刊建设务实推进", "全市公民科学素质建设成果丰硕",
    "碳达峰碳中和科普宣传广泛开展", "科协智库工作开启新篇", "科协自身建设更加坚强有力",
]


def test_ballot(extracted):
    result = extracted["002_f23057a27dc72643.txt"]
    report = result.report
    assert report.title == "2021年重庆市科学技术协会“十件大事”“十大亮点”评选"
    events, highlights = report.lists
    assert [i.title for i in events.items] == BALLOT_EVENTS
    assert [i.title for i in highlights.items] == BALLOT_HIGHLIGHTS
    assert (events.name, events.heading, events.ordering_note) == ("候选大事", "2021年市科协候选“大事”", "排序不分先后")
    assert highlights.name == "候选亮点"
    vote = report.vote
    assert (str(vote.start), str(vote.end)) == ("2021-12-29", "2022-01-09")
    assert vote.url == "https://www.wenjuan.com/s/UZBZJvkIPP/"
    assert vote.per_day_limit == 5
    assert vote.notice.startswith("投票期间严禁刷票行为！")
    assert len(report.intro) == 3 and report.intro[0].startswith("2021年是中国共产党成立100年。")
    # a body split by a column break is one paragraph again
    assert "宋永端等10位院士专家分别发表主旨报告或主题演讲。会议发布了《新一代人工智能白皮书" in events.items[4].paragraphs[0]


def test_news(extracted):
    report = extracted["003_49d197ff665d3f42.txt"].report
    first, second = report.articles
    assert first.title == "中国科协党组传达学习近期中央有关重要会议和指示精神"
    assert (first.source, str(first.date)) == ("中国科协调研宣传部", "2021-01-29")
    assert second.title == "“2020年度科协十大事件”揭晓"
    assert (second.source, str(second.date)) == ("中国科协调研宣传部、信息中心", "2021-02-01")
    (events,) = second.lists()
    # the lead paragraph says （排名不分先后）: the list does not print it a second time
    assert (events.name, events.heading, events.ordering_note) == ("十大事件", "2020年度科协十大事件", "")
    assert second.body[0].count("排名不分先后") == 1
    assert [i.title for i in events.items][:3] == [
        "贯彻习近平总书记重要回信精神，产学研融合服务高质量发展",
        "突出铸魂塑形，科学家精神引领时代风尚底色更加浓厚", "应急科普服务抗疫主战场"]
    assert events.items[9].title == "第22届中国科协年会彰显“一体两翼”组织赋能优势"
    assert len(events.items) == 10
    assert "贯彻落实习近平总书记给袁隆平、钟南山" in events.items[0].paragraphs[0]
    assert "回答了“怎么看”“怎么办”等重大问题" in first.body[1]
    assert report.year == 2020


def test_review(extracted):
    result = extracted["004_6e9226e2f0851d1c.txt"]
    report = result.report
    assert report.title == "成都市科学技术协会八大以来工作回眸"
    assert (report.header, report.header_latin) == ("工作回眸", "GONG ZUO HUI MOU")
    assert [s.keyword for s in report.sections] == ["思想", "资源", "创新", "科普", "建设"]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5]
    assert sum(len(s.points) for s in report.sections) == 21
    assert report.sections[4].points[-1].lead == "健全激励机制"
    assert report.sections[0].headline.startswith("坚决贯彻落实中央和省委、市委各项决策部署")
    assert report.slogan == "勇担使命 创新争先"
    assert report.keywords == ["科普", "建设", "思想", "资源", "创新"]
    assert "**" not in str(report.model_dump())
    assert report.association.name == "成都市科学技术协会"


def test_newspaper_report(extracted):
    report = extracted["001_1dc7a3f8c94a7fc8.txt"].report
    first, second = report.articles
    assert first.kicker == "关注市科协五届八次全会"
    assert first.title == "2025年重庆将建成 全国地方科协综合改革示范区"
    assert first.byline == "重庆日报记者 张亦筑"
    assert second.kicker == "纵深"
    assert second.title == "“十四五”开局之年 市科协要这么干"
    assert second.byline == "重庆日报记者 张亦筑"
    headings = [b.heading for b in second.body if isinstance(b, Heading)]
    assert headings == ["打造科技工作者的价值共同体", "制定综合改革示范区实施方案", "推动“科创中国”行动计划落地",
                        "构建全域科普新格局", "打造“智汇中国”重庆样板", "促进科技开放合作",
                        "建立高素质专业化科协机关干部队伍"]
    (figure,) = [b for b in second.body if isinstance(b, Photo)]
    assert (figure.image.caption, figure.image.credit) == ("孩子们在重庆科技馆了解科学知识。", "重庆日报记者 郑宇摄")
    # the sentence the headline, byline and caption were inserted into is whole again
    assert any("做好《“科创中国”三年行动计划（2021-2023年）》落地" in b for b in second.body if isinstance(b, str))
    assert report.year == 2021 and report.association.name == "重庆市科学技术协会"


@pytest.mark.parametrize("seed, line, where, words", [
    ("002_f23057a27dc72643.txt", 1, "title", "doubled characters"),
    ("002_f23057a27dc72643.txt", 308, "投票网址", "URL split over 2 lines"),
    ("002_f23057a27dc72643.txt", 117, "候选大事 5", "column break inside a sentence"),
    ("000_3c47ada3094104d4.txt", 55, "十件大事 8", "paragraph duplicated from 十件大事 10"),
    ("000_3c47ada3094104d4.txt", 121, "十大亮点 8", "text inserted into a sentence (中国科协部门发文"),
    ("000_3c47ada3094104d4.txt", 37, "十件大事 5", "stray English word 'and' replaced by 和"),
    ("000_3c47ada3094104d4.txt", 25, "十件大事 3", "page or column break inside a sentence"),
    ("001_1dc7a3f8c94a7fc8.txt", 43, "report", "重庆日报记者 郑宇摄) moved out"),
    ("004_6e9226e2f0851d1c.txt", 15, "section 1 point 2", "sentence also in section 1 point 1"),
    ("004_6e9226e2f0851d1c.txt", 17, "section 1 point 3", "unbalanced quotation marks"),
])
def test_every_artefact_is_reported_with_its_place(extracted, seed, line, where, words):
    findings = extracted[seed].findings
    assert any(f.line == line and f.where == where and words in f.message for f in findings), \
        "\n".join(map(str, findings))
    assert all(str(f).startswith(f"seeds/{seed}") for f in findings)


def test_cli_warnings_and_strict(tmp_path):
    runner = CliRunner()
    target = tmp_path / "ballot.yaml"
    result = runner.invoke(main, ["extract", "seeds/002_f23057a27dc72643.txt", "-o", str(target), "--strict"])
    assert result.exit_code == 1
    assert "error: seeds/002_f23057a27dc72643.txt:308: 投票网址: URL split over 2 lines joined" in result.output
    assert not target.exists()
    result = runner.invoke(main, ["extract", "seeds/002_f23057a27dc72643.txt", "-o", str(target)])
    assert result.exit_code == 0
    assert "warning: seeds/002_f23057a27dc72643.txt:1: title: doubled characters" in result.output
    assert runner.invoke(main, ["validate", str(target)]).exit_code == 0


def test_extract_never_overwrites_without_force(tmp_path):
    runner = CliRunner()
    target = tmp_path / "mine.yaml"
    target.write_text("my own data\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", "seeds/000_3c47ada3094104d4.txt", "-o", str(target)])
    assert result.exit_code == 1 and "use --force" in result.output
    assert target.read_text(encoding="utf-8") == "my own data\n"
    assert runner.invoke(main, ["extract", "seeds/000_3c47ada3094104d4.txt", "-o", str(target),
                                "--force"]).exit_code == 0
    assert load_report(target).title == "2020年市科协十件大事十大亮点"


def test_a_document_of_no_known_form_is_kept_whole_with_warnings(tmp_path):
    """Unsure what a text is: the most general structure that keeps it, never an error;
    what could not be read is left empty and said, and --strict refuses it."""
    path = tmp_path / "x.txt"
    path.write_text("随便写的一段话。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 0, result.output
    report = load_report(tmp_path / "x.yaml")
    assert report.layout == "report" and report.articles[0].body == ["随便写的一段话。"]
    assert (report.title, report.year, report.association.name) == ("", None, "")
    for what in ("no numbered items", "does not begin with a title", "does not state its year",
                 "does not name the association"):
        assert what in result.output, what
    strict = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "y.yaml"), "--strict"])
    assert strict.exit_code != 0 and not (tmp_path / "y.yaml").exists()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_round_trip_through_rendered_documents(rendered, fmt):
    """Last year's bulletin as Word or PDF extracts to the same items."""
    result = extract(rendered[fmt], kind="bulletin")
    original = load_report(DATA / "cq-kx-2020.yaml")
    assert [squash(i.title) for i in result.report.lists[0].items] == \
        [squash(i.title) for i in original.lists[0].items]
    assert [squash(i.title) for i in result.report.lists[1].items] == \
        [squash(i.title) for i in original.lists[1].items]
    for got, want in zip(result.report.lists[0].items, original.lists[0].items):
        assert squash("".join(got.paragraphs)) == squash("".join(want.paragraphs))


def test_docx_with_word_auto_numbering(tmp_path):
    """Word draws item numbers that are not in the text (List Number style); they are counted."""
    import docx

    document = docx.Document()
    document.add_paragraph("2021年某市科协十件大事")
    document.add_paragraph("2021年某市科协十件大事")
    for title, body in (("第一件事情办得好", "全年举办活动120余场次。"), ("第二件事情也不错", "参与人数超过3万人。")):
        document.add_paragraph(title, style="List Number")
        document.add_paragraph(body)
    path = tmp_path / "numbered.docx"
    document.save(path)
    result = extract(path)
    assert result.kind == "bulletin"
    (events,) = result.report.lists
    # numbered by their order, not pinned to the numbers the document printed
    assert [(n, i.title) for n, i in events.numbered()] == [(1, "第一件事情办得好"), (2, "第二件事情也不错")]
    assert all(i.number is None for i in events.items)
    assert events.items[1].paragraphs == ["参与人数超过3万人。"]


def render_both(name: str, tmp_path_factory):
    from reportgen.render import render_file

    return render_file(DATA / f"{name}.yaml", tmp_path_factory.mktemp(name), ["pdf", "docx"]).outputs


@pytest.fixture(scope="module")
def rendered_ballot(tmp_path_factory):
    return render_both("cq-kx-2021-ballot", tmp_path_factory)


@pytest.mark.parametrize("index", [0, 1], ids=["pdf", "docx"])
def test_round_trip_of_a_two_column_ballot(rendered_ballot, index):
    """The rendered brochure — intro, vote panel, two-column candidate lists — reads back whole."""
    result = extract(rendered_ballot[index])
    original = load_report(DATA / "cq-kx-2021-ballot.yaml")
    assert result.kind == "ballot"
    report = result.report
    assert report.title == original.title and report.vote == original.vote and report.intro == original.intro
    for got, want in zip(report.lists, original.lists):
        assert (got.name, got.heading, got.ordering_note) == (want.name, want.heading, want.ordering_note)
        assert [squash(i.title) for i in got.items] == [squash(i.title) for i in want.items]
        assert [squash("".join(i.paragraphs)) for i in got.items] == [squash("".join(i.paragraphs)) for i in want.items]


@pytest.fixture(scope="module")
def rendered_review(tmp_path_factory):
    return render_both("cd-kx-review", tmp_path_factory)


@pytest.mark.parametrize("index", [0, 1], ids=["pdf", "docx"])
def test_round_trip_of_the_review(rendered_review, index):
    """Large numerals and keywords, bold lead-ins, slogan and index read back from PDF and DOCX."""
    result = extract(rendered_review[index])
    original = load_report(DATA / "cd-kx-review.yaml")
    report = result.report
    assert result.kind == "review"
    assert (report.title, report.header, report.header_latin, report.slogan, report.keywords) == (
        original.title, original.header, original.header_latin, original.slogan, original.keywords)
    assert [(s.number, s.keyword, s.headline) for s in report.sections] == \
        [(s.number, s.keyword, s.headline) for s in original.sections]
    assert [(p.lead, p.text) for s in report.sections for p in s.points] == \
        [(p.lead, p.text) for s in original.sections for p in s.points]
    # the bold figures of the rendered review are read back as the designer's emphasis
    assert result.marked["section 1 point 1"]


def test_an_over_long_first_block_is_split_not_fatal(tmp_path):
    """A page whose first block is a whole paragraph: the extraction keeps going (it used to
    stop with "title: String should have at most 200 characters"); a paragraph is not a
    title, so the title is left empty to fill in, the paragraph is introduction text, and the
    user is told."""
    lead = "本报讯 " + "科协组织开展了多项活动，成效显著，" * 20 + "。"
    source = tmp_path / "long.txt"
    source.write_text("\n\n".join([lead, "1. 第一件事", "这是第一件事的正文，共举办活动12场。",
                                   "2. 第二件事", "这是第二件事的正文。"]), encoding="utf-8")
    result = extract(source, kind="bulletin", year=2021,
                     association={"name": "测试市科学技术协会", "short_name": "市科协"})
    report = result.report
    assert report.title == ""
    assert squash("".join(report.intro)) == squash(lead)  # nothing lost
    assert any("does not begin with a title" in f.message and f.action == "flagged" for f in result.findings)
    assert [i.title for i in report.lists[0].items] == ["第一件事", "第二件事"]
