"""The 初审's language checks (issue 29): every rule on its own example and counter-example,
true and false cases written for the project, the five documents' real errors and nothing
else, an association's checks.yaml, the CLI's exit codes and JSON, validate and the studio
showing the same findings, and 三校 across the rendered channels."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import DATA, DATA_2020
from reportgen.checks import CheckConfig, check_report, check_text, load_config, rules
from reportgen.checks.channels import channel_findings, compare, expected, normalise, read_back
from reportgen.checks.functions import id_checksum_ok, luhn_ok
from reportgen.cli import main
from reportgen.errors import DataError
from reportgen.io import load_report
from reportgen.studio import create_app


def _ids(text, kind="text", config=None):
    return [f.rule for f in check_text(text, kind, config)]


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.id)
def test_every_rule_finds_its_counter_example_and_passes_its_example(rule):
    config = CheckConfig.model_validate(rule.example_config) if rule.example_config else None
    kind = "text" if "text" in rule.kinds else rule.kinds[0]
    found = [f for f in check_text(rule.counter_example, kind, config) if f.rule == rule.id]
    assert found, f"{rule.id} misses its counter-example {rule.counter_example!r}"
    assert all(f.written and f.place and f.message and f.severity == rule.severity for f in found)
    assert check_text(rule.example, kind, config) == [], f"{rule.id}'s example is not clean"


def test_the_issues_examples_do_not_pass_any_more():
    found = check_text("截止2020年底，全市深入学习贯彻党的十九届5中全会精神")
    by_rule = {f.rule: f for f in found}
    assert by_rule["wording.jiezhi"].written == "截止" and by_rule["wording.jiezhi"].suggestion == "截至"
    assert by_rule["wording.congress-numerals"].suggestion == "党的十九届五中全会"


@pytest.mark.parametrize("text, rule, suggestion", [
    ("截止到目前，已举办30场", "wording.jiezhi", "截至"),
    ("中国科学技术协会第10次全国代表大会", "wording.congress-numerals", "第十次全国代表大会"),
    ("市科协5届8次全委会", "wording.congress-numerals", "五届八次全委会"),
    ("学习党的20大精神", "wording.congress-numerals", "党的二十大"),
    ("印发《关于印发《科普法》实施办法的通知》", "punct.nested-book-title", "〈科普法〉"),
    ("规划期为2021～2025年，参加者10-20人", "punct.range-dash-number", "10～20"),
    ("全年举办讲座二十三场", "numerals.measure", "23场"),
    ("身份证号码11010519491231002x", "privacy.id-number", "110105********002x"),
    ("电话 138-1234-5678", "privacy.mobile", "138****5678"),
    ("共有“两个坚决维护”", "wording.fixed-phrases", "两个维护"),
    ("《“十四五”规划》在“14五”期间", "wording.fixed-phrases", "十四五"),
])
def test_true_examples(text, rule, suggestion):
    found = [f for f in check_text(text) if f.rule == rule]
    assert found and found[0].suggestion.endswith(suggestion), [str(f) for f in check_text(text)]


@pytest.mark.parametrize("text", [
    "报名截止日期为10月31日，逾期不再受理",                      # 截止 without a time after it
    "学习贯彻党的十九届五中全会精神",                            # already right
    "中国科学技术协会第十次全国代表大会，第22届中国科协年会",           # 届 of an event in Arabic figures is right
    "网址 https://vote.example.org/a,b;c?x=1 与邮箱外的文字",    # marks inside a link
    "上午9:30开始，比分3:2",                                      # a time and a score
    "2020-09-17发布，热线023-63862121",                           # an ISO date and a landline
    "评出十件大事、十大亮点，二十多所学校、十几个学会参与",       # names and 概数 in Chinese
    "百场报告进基层，千名专家下乡",                                # round counts read as phrases
    "（1）加强党建；2）做好服务",                                  # an item's own number
    "“科学家精神进校园”活动在《人民日报》〈科技〉版刊发",
    "订单号1234567890123456",                                     # 16 digits failing the Luhn check
    "身份证号码110105194912310022",                               # wrong check character: not an ID number
])
def test_false_examples_are_left_alone(text):
    assert check_text(text) == [], [str(f) for f in check_text(text)]


def test_check_digits():
    assert id_checksum_ok("11010519491231002X") and not id_checksum_ok("110105194912310023")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_titles_take_no_full_stop_but_a_question_mark():
    assert _ids("科技工作者之家建设迈上新台阶。", "title") == ["punct.title-end"]
    assert _ids("科技为民，我们做了什么？", "title") == []
    assert _ids("科技工作者之家建设迈上新台阶。", "text") == []


def test_a_quotation_over_paragraphs_opens_each_and_closes_the_last():
    report = load_report(DATA_2020)
    item = report.lists[0].items[0]
    quoted = ["“第一段引文，", "“第二段引文。”"]
    changed = report.model_copy(update={"lists": [report.lists[0].model_copy(update={"items": [
        item.model_copy(update={"paragraphs": quoted, "metrics": None})] + report.lists[0].items[1:]})]
        + report.lists[1:]})
    assert not [f for f in check_report(changed) if f.field.startswith("lists[0].items[0].")]
    alone = changed.model_copy(update={"lists": [changed.lists[0].model_copy(update={"items": [
        item.model_copy(update={"paragraphs": ["“第一段引文，没有后文"], "metrics": None})] + changed.lists[0].items[1:]})]
        + changed.lists[1:]})
    assert [f.rule for f in check_report(alone) if f.field.startswith("lists[0].items[0].")] == ["punct.balanced"]


def test_one_numeral_style_within_a_list_but_the_common_convention_passes():
    assert "numerals.one-style" in _ids("第3届科普大赛；第十二届创新大赛；第5届科技节")
    assert "numerals.one-style" not in _ids("第二届创新争先奖；第22届中国科协年会；第四届创客营")


# -- the five documents ------------------------------------------------------------------------

# every finding on the five documents as shipped: each a real error of its source text (README)
REAL = {
    "cast-2020-news.yaml": [],
    "cd-kx-review.yaml": [("wording.qita", "第1节 第1点"), ("wording.qita", "第1节 第2点"),
                          ("punct.balanced", "第1节 第3点"), ("wording.first-mention", "第5节 第1点")],
    "cq-kx-2020.yaml": [("punct.balanced", "十件大事 第1项 第1段"), ("wording.first-mention", "十件大事 第2项 第1段"),
                        ("wording.first-mention", "十件大事 第8项 第1段"), ("punct.balanced", "十大亮点 第6项 第1段"),
                        ("punct.balanced", "十大亮点 第8项 第1段")],
    "cq-kx-2021-ballot.yaml": [("wording.first-mention", "活动简介 第1段")],
    "cq-kx-2021-report.yaml": [("wording.first-mention", "第1篇 第2段"), ("punct.range-dash", "第2篇 第10段")],
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_the_five_documents_give_their_real_errors_and_nothing_else(name):
    found = check_report(load_report(DATA / name))
    assert [(f.rule, f.place) for f in found] == REAL[name], [str(f) for f in found]


def test_the_seed_bulletins_unclosed_book_title_is_reported():
    found = check_report(load_report(DATA_2020))
    first = next(f for f in found if f.place == "十件大事 第1项 第1段")
    assert first.severity == "error" and first.written.startswith("《重庆市科协事业发展“十四五”规划")
    assert "》" in first.message and first.field == "lists[0].items[0].paragraphs[0]"


def test_the_bulletin_is_checked_fast_enough_to_run_on_every_keystroke():
    """Not a timing: the work is linear — one pass per rule, no quadratic rescans — so a long
    paragraph of marks is checked without blowing up (the bound is the 20 000-character field)."""
    text = "（" * 5000 + "《" * 5000 + "，" * 5000 + "1-2" * 1000
    found = check_text(text)
    assert found and all(f.rule for f in found)


# -- an association's checks.yaml --------------------------------------------------------------

def test_an_associations_names_leaders_banned_words_and_preferences(tmp_path):
    (tmp_path / "checks.yaml").write_text(
        "names:\n  重庆市科学技术协会: [重庆市科协]\n"
        "leaders:\n  - {name: 王一, title: 党组书记、主席}\n  - {name: 赵二, title: 副主席}\n"
        "banned: [绝对领先, 最高级]\nprefer: {科协党组: 市科协党组}\ndisable: [wording.qita]\n", encoding="utf-8")
    config = load_config(tmp_path / "checks.yaml")
    text = "副主席王一、赵二出席。产品绝对领先，科协党组研究，其它事项另议"
    found = {f.rule: f for f in check_text(text, config=config)}
    assert found["wording.leaders"].suggestion == "党组书记、主席王一"
    assert found["privacy.banned"].written == "绝对领先" and found["privacy.banned"].severity == "error"
    assert found["wording.prefer"].suggestion == "市科协党组"
    assert "wording.qita" not in found
    order = [f for f in check_text("赵二、王一出席", config=config) if f.rule == "wording.leaders"]
    assert order and order[0].suggestion == "王一、赵二"


def test_the_checks_yaml_beside_a_data_file_is_used_by_check_validate_and_the_studio(tmp_path):
    shutil.copy(DATA_2020, tmp_path / DATA_2020.name)
    (tmp_path / "checks.yaml").write_text("banned: [科技工作者]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / DATA_2020.name)])
    assert result.exit_code == 1 and "privacy.banned" in result.output
    result = CliRunner().invoke(main, ["validate", str(tmp_path / DATA_2020.name)])
    assert result.exit_code == 0 and "“科技工作者”在本单位的禁用词表中" in result.output
    client = TestClient(create_app(tmp_path, port=8765), base_url="http://127.0.0.1:8765")
    page = client.get(f"/doc/{DATA_2020.name}").text
    data = json.loads(page.split('id="warnings-data">')[1].split("</script>")[0])
    banned = [w for w in data if "禁用词" in w["message"]]
    assert banned and banned[0]["field"].startswith("lists[") and banned[0]["severity"] == "error"
    assert banned[0]["beside"].startswith("错误（敏感词·禁用词）：【科技工作者】。")


@pytest.mark.parametrize("content, says", [
    ("leaders: [{name: 王}]\n", "leaders"),
    ("rules:\n  - id: mine.x\n    name: 我的\n    standard: 本会\n    pattern: '('\n    message: m\n"
     "    example: a\n    counter_example: b\n", "not a regular expression"),
    ("rules:\n  - id: punct.balanced\n    name: 我的\n    standard: 本会\n    pattern: 'x'\n    message: m\n"
     "    example: a\n    counter_example: x\n", "already a rule"),
    ("banned: 绝对\n", "banned"),
])
def test_a_bad_checks_yaml_is_one_line_naming_the_file_and_field(tmp_path, content, says):
    path = tmp_path / "checks.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_config(path)
    assert "checks.yaml" in str(caught.value) and says in str(caught.value)
    result = CliRunner().invoke(main, ["check", "--config", str(path), str(DATA_2020)])
    assert result.exit_code == 1 and result.output.startswith("error: ") and "checks.yaml" in result.output


def test_an_associations_own_rule_runs_beside_the_packages(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("rules:\n  - id: mine.kexie\n    name: 本会简称\n    standard: 本会规定\n    severity: error\n"
                    "    pattern: '市科协'\n    replace: '重庆市科协'\n    message: 对外稿件写“重庆市科协”\n"
                    "    example: 重庆市科学技术协会\n    counter_example: 市科协召开会议\n", encoding="utf-8")
    found = [f for f in check_text("市科协召开会议", config=load_config(path)) if f.rule == "mine.kexie"]
    assert found and found[0].suggestion == "重庆市科协" and found[0].standard == "本会规定"


# -- the command -----------------------------------------------------------------------------

def test_check_exit_codes_strict_and_lines(tmp_path):
    clean = tmp_path / "clean.yaml"
    shutil.copy(DATA / "cast-2020-news.yaml", clean)
    result = CliRunner().invoke(main, ["check", str(clean)])
    assert result.exit_code == 0 and "0 errors, 0 warnings, 0 notes" in result.output
    report_file = DATA / "cq-kx-2021-report.yaml"  # one warning, one note
    assert CliRunner().invoke(main, ["check", str(report_file)]).exit_code == 0
    strict = CliRunner().invoke(main, ["check", "--strict", str(report_file)])
    assert strict.exit_code == 1
    assert f"{report_file}:30: 第2篇 第10段: warning [GB/T 15834-2011 连接号] “2021-2023” → “2021—2023”" in strict.output
    assert CliRunner().invoke(main, ["check", str(DATA_2020)]).exit_code == 1  # its unclosed 《


def test_check_json_for_tools():
    result = CliRunner().invoke(main, ["check", "--format", "json", str(DATA_2020)])
    data = json.loads(result.stdout)
    assert data[0]["file"] == str(DATA_2020)
    first = data[0]["findings"][0]
    assert set(first) >= {"rule", "standard", "severity", "place", "field", "written", "suggestion", "message", "line"}
    assert first["line"] == 13 and first["field"] == "lists[0].items[0].paragraphs[0]"


def test_check_lists_its_rules_and_refuses_nothing_to_check():
    listed = CliRunner().invoke(main, ["check", "--rules"])
    assert listed.exit_code == 0 and all(rule.id in listed.output for rule in rules())
    assert CliRunner().invoke(main, ["check"]).exit_code == 2


def test_validate_shows_the_same_findings_and_still_passes_a_renderable_file():
    result = CliRunner().invoke(main, ["validate", str(DATA_2020)])
    assert result.exit_code == 0
    assert "5 language findings" in result.output and "check: " in result.output and "punct.balanced" in result.output


# -- the studio -------------------------------------------------------------------------------

def test_the_studio_shows_findings_beside_their_fields_as_you_type(tmp_path):
    shutil.copy(DATA_2020, tmp_path / DATA_2020.name)
    client = TestClient(create_app(tmp_path, port=8765), base_url="http://127.0.0.1:8765")
    report = load_report(tmp_path / DATA_2020.name)
    form = {"title": report.title, "year": report.year,
            "association": {"name": report.association.name, "short_name": report.association.short_name},
            "lists": [{"index": i, "name": lst.name, "items": [
                {"index": j, "title": ("截止2020年底，" + item.title) if (i, j) == (0, 1) else item.title,
                 "paragraphs": item.paragraphs} for j, item in enumerate(lst.items)]}
                for i, lst in enumerate(report.lists)]}
    answer = client.post(f"/doc/{DATA_2020.name}/check", json=form, headers={"origin": "http://127.0.0.1:8765"})
    assert answer.status_code == 200, answer.text
    mine = [w for w in answer.json()["warnings"] if w["field"] == "lists[0].items[1].title"]
    assert any("截至" in w["message"] and w["message"].startswith("十件大事 第2项 标题：警告") for w in mine)
    assert any(w.get("beside", "").startswith("警告（规范表述·截至与截止）：【截止】应为【截至】。") for w in mine)


def test_every_character_of_the_rules_is_in_the_studios_interface_font():
    from fontTools.ttLib import TTFont

    import reportgen.checks as checks
    from reportgen.render.fonts import FONT_DIR
    from pathlib import Path

    here = Path(checks.__file__).parent
    text = "".join(p.read_text(encoding="utf-8") for p in here.rglob("*") if p.suffix in (".yaml", ".py"))
    for face in ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"):
        cmap = TTFont(FONT_DIR / face).getBestCmap()
        missing = sorted({ch for ch in text if "\u3000" <= ch <= "\u9fff" and ord(ch) not in cmap})
        assert not missing, f"{face} lacks {''.join(missing)}"


# -- 三校 across channels ----------------------------------------------------------------------

def test_a_channel_that_prints_other_words_or_figures_is_a_finding():
    report = load_report(DATA_2020)
    wanted = list(expected(report))
    assert any(e.what == "数字" for e in wanted) and any(e.field == "lists[0].items[0].title" for e in wanted)
    full = "\n".join(e.text for e in wanted)
    assert compare(report, {"pdf": full, "docx": full.replace("\n", " \u2005")}) == []
    title = report.lists[0].items[2].title
    figure = next(e for e in wanted if e.what == "数字")
    digit = next(ch for ch in figure.text if ch.isdigit())
    misprinted = figure.text.replace(digit, "9" if digit != "9" else "8")
    found = compare(report, {"wechat": full.replace(title, title[:-1] + "。").replace(figure.text, misprinted)})
    assert [(f.field, f.severity, f.standard) for f in found] == [  # in reading order
        (figure.field, "error", "三校"), ("lists[0].items[2].title", "error", "三校")]
    assert "公众号文章里找不到这个数字" in found[0].message and "公众号文章里找不到这个标题" in found[1].message


@pytest.mark.slow
def test_every_channel_of_a_document_prints_the_datas_titles_and_figures(tmp_path):
    from reportgen.render import proof_sources

    data_file = DATA / "cq-kx-2021-report.yaml"
    sources = proof_sources(data_file, ["pdf", "docx", "wechat", "png"])
    assert {kind for kind, _ in sources.values()} == {"pdf", "docx", "html"}
    report = load_report(data_file)
    assert channel_findings(report, sources) == []
    for kind, data in sources.values():  # the readers read: each channel holds the document's title
        assert normalise(report.title) in normalise(read_back(kind, data))
    # the same files against data changed since they were rendered: every channel disagrees
    changed = report.model_copy(update={"title": report.title + "（修订）"})
    found = channel_findings(changed, sources)
    assert sorted(f.message.split("里")[0] for f in found if f.field == "title") == sorted(
        ["PDF", "Word 文件", "公众号文章", "长图"])


def test_check_channels_on_the_command_line(tmp_path):
    data_file = tmp_path / "doc.yaml"
    shutil.copy(DATA / "cast-2020-news.yaml", data_file)
    result = CliRunner().invoke(main, ["check", "--channels", "pdf", str(data_file)])
    assert result.exit_code == 0, result.output
    assert "pdf checked against the data" in result.output


def test_check_reads_back_what_render_wrote(tmp_path):
    from reportgen.render import render_file

    data_file = tmp_path / "doc.yaml"
    shutil.copy(DATA / "cast-2020-news.yaml", data_file)
    render_file(data_file, tmp_path / "out", ["wechat", "html"])
    result = CliRunner().invoke(main, ["check", "--rendered", str(tmp_path / "out"), str(data_file)])
    assert result.exit_code == 0, result.output
    assert "doc.wechat.html" in result.output and "doc.html" in result.output
    # the data changed after the files were made: what would be published no longer says it
    report = load_report(data_file)
    title = report.all_lists()[0].items[0].title
    data_file.write_text(data_file.read_text(encoding="utf-8").replace(title, title + "（更正）"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--rendered", str(tmp_path / "out"), str(data_file)])
    assert result.exit_code == 1
    assert result.output.count("里找不到这个标题，与数据不一致 (consistency.channel)") == 2
    empty = CliRunner().invoke(main, ["check", "--rendered", str(tmp_path), str(data_file)])
    assert empty.exit_code == 1 and "no rendered file of doc to read back" in empty.output
