"""What the studio shows is what is published (issue 26): item numbers follow the list's order
unless pinned, every heading is in the form, validate's warnings beside their fields, a Word
bulletin's letterhead, ordering note and sign-off read as such, exports named by their title,
the studio's own pages readable without Chinese system fonts."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import DATA
from reportgen.cli import main
from reportgen.extract import extract
from reportgen.io import load_report
from reportgen.studio import create_app

BASE = "http://127.0.0.1:8765"
ORIGIN = {"origin": BASE}
NAME = "cq-kx-2020.yaml"


@pytest.fixture
def folder(tmp_path):
    shutil.copy(DATA / NAME, tmp_path / NAME)
    return tmp_path


@pytest.fixture
def client(folder):
    return TestClient(create_app(folder, port=8765), base_url=BASE)


def _version(client, name=NAME):
    return client.get(f"/doc/{name}").text.split('data-version="')[1].split('"')[0]


def _form(report, items, **list_fields):
    lst = report.lists[0]
    entry = {"index": 0, "name": lst.name, "ordering_note": lst.ordering_note, "items": items, **list_fields}
    return {"title": report.title, "year": report.year,
            "association": {"name": report.association.name, "short_name": report.association.short_name},
            "lists": [entry] + [{"index": i, "name": other.name, "items": [
                {"index": j, "title": item.title, "paragraphs": item.paragraphs} for j, item in enumerate(other.items)]}
                for i, other in enumerate(report.lists) if i > 0]}


def _items(report, order, numbers=None):
    lst = report.lists[0]
    out = []
    for position, j in enumerate(order):
        entry = {"index": j, "title": lst.items[j].title, "paragraphs": lst.items[j].paragraphs}
        if numbers is not None:
            entry["number"] = numbers[position]
        out.append(entry)
    return out


def _legacy(folder):
    """The bulletin as extraction used to write it: every item's printed number kept."""
    path = folder / NAME
    text = path.read_text(encoding="utf-8")
    count = iter(range(1, 100))
    text = re.sub(r"(?m)^  - title: ", lambda m: f"  - number: {next(count)}\n    title: ", text)
    path.write_text(text, encoding="utf-8")
    assert load_report(path).lists[0].items[9].number == 10


def test_delete_and_move_renumber_the_list_in_every_format(client, folder):
    _legacy(folder)
    report = load_report(folder / NAME)
    order = [0, 1, 2, 4, 3, 5, 6, 7, 9]  # 第9项 deleted, 第5项 moved up
    answer = client.post(f"/doc/{NAME}/save", json={"form": _form(report, _items(report, order)),
                                                    "version": _version(client)}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / NAME)
    assert [n for n, _ in saved.lists[0].numbered()] == list(range(1, 10))
    assert saved.lists[0].items[3].title == report.lists[0].items[4].title
    preview = client.post(f"/doc/{NAME}/check", json=_form(saved, _items(saved, range(9))), headers=ORIGIN)
    html = preview.json()["html"]
    assert "10" not in re.findall(r'class="[^"]*num[^"]*"[^>]*>\s*(\d+)', html)


def test_a_pinned_number_stays_and_renumbering_drops_it(client, folder):
    report = load_report(folder / NAME)
    numbers = [""] * 10
    numbers[0] = "11"
    answer = client.post(f"/doc/{NAME}/save", json={"form": _form(report, _items(report, range(10), numbers)),
                                                    "version": _version(client)}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / NAME)
    assert saved.lists[0].items[0].number == 11 and saved.lists[0].items[1].number is None
    page = client.get(f"/doc/{NAME}").text
    assert 'data-item="number"' in page and 'value="11"' in page and "按顺序重新编号" in page
    warnings = client.post(f"/doc/{NAME}/check", json=_form(saved, _items(saved, range(10), numbers)),
                           headers=ORIGIN).json()["warnings"]
    assert any("固定编号" in w["message"] for w in warnings)
    again = client.post(f"/doc/{NAME}/save", json={"form": _form(saved, _items(saved, range(10), [""] * 10)),
                                                   "version": _version(client)}, headers=ORIGIN)
    assert again.status_code == 200 and load_report(folder / NAME).lists[0].items[0].number is None


def test_extraction_does_not_pin_numbers():
    from conftest import SEED_2020

    report = extract(SEED_2020).report
    assert all(item.number is None for lst in report.lists for item in lst.items)


def test_the_list_heading_is_in_the_form_and_a_year_mismatch_is_shown(client, folder):
    report = load_report(folder / NAME)
    page = client.get(f"/doc/{NAME}").text
    assert 'data-list="heading"' in page and report.lists[0].heading in page
    form = _form(report, _items(report, range(10)), heading="2023年市科协十件大事")
    form["year"] = 2024
    form["title"] = "2024年市科协十件大事十大亮点"
    answer = client.post(f"/doc/{NAME}/check", json=form, headers=ORIGIN).json()
    heading = [w for w in answer["warnings"] if w["field"] == "lists[0].heading"]
    assert heading and "2023年" in heading[0]["message"] and "2024年" in heading[0]["message"]
    saved = client.post(f"/doc/{NAME}/save", json={"form": form, "version": _version(client)}, headers=ORIGIN)
    assert saved.status_code == 200
    assert load_report(folder / NAME).lists[0].heading == "2023年市科协十件大事"
    page = client.get(f"/doc/{NAME}").text
    assert 'id="warnings"' in page and "请检查" in page and "2023年" in page


def test_nine_items_in_a_ten_list_and_drafts_are_warned_in_chinese(client, folder):
    report = load_report(folder / NAME)
    answer = client.post(f"/doc/{NAME}/check", json=_form(report, _items(report, range(9))), headers=ORIGIN).json()
    assert any("9项" in w["message"] and w["field"] == "lists[0].name" for w in answer["warnings"])


def _word_bulletin(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.add_paragraph("江北区科学技术协会")
    document.add_paragraph("2023年区科协十件大事").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("（排序不分先后）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i in range(1, 11):
        document.add_paragraph(style="List Number").add_run(f"举办第{i}届江北区科技活动周").bold = True
        document.add_paragraph(f"2023年5月{i}日，区科协组织开展科技活动周，参与群众{i}000余人次。")
    for line in ("江北区科学技术协会", "2024年1月5日"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(path)
    return path


def test_a_word_bulletins_letterhead_note_and_sign_off(tmp_path):
    result = extract(_word_bulletin(tmp_path / "jb.docx"))
    report = result.report
    assert report.title == "2023年区科协十件大事" and report.year == 2023
    assert report.association.name == "江北区科学技术协会"
    lst = report.lists[0]
    assert lst.ordering_note == "排序不分先后" and len(lst.items) == 10
    assert lst.items[9].paragraphs == ["2023年5月10日，区科协组织开展科技活动周，参与群众10000余人次。"]
    assert all(item.dates[0].year == 2023 for item in lst.items)
    said = " ".join(f.message for f in result.findings)
    assert "江北区科学技术协会 / 2024年1月5日" in said and "sign-off" in said
    # the 落款 is the document's: kept as such and printed after the text in every format
    assert report.signoff is not None and report.signoff.name == "江北区科学技术协会"
    assert report.signoff.date == dt.date(2024, 1, 5)


def test_exports_are_named_by_the_title(client):
    answer = client.get(f"/doc/{NAME}/export/docx")
    assert answer.status_code == 200
    disposition = urllib.parse.unquote(answer.headers["content-disposition"])
    assert disposition.endswith("2020年市科协十件大事十大亮点.docx")


def test_every_character_of_the_studios_pages_is_in_the_bundled_interface_font():
    from fontTools.ttLib import TTFont

    import reportgen.studio as studio

    here = Path(studio.__file__).parent
    text = "".join(p.read_text(encoding="utf-8") for p in here.rglob("*") if p.suffix in (".html", ".js", ".py"))
    css = (here / "static" / "studio.css").read_text(encoding="utf-8")
    assert '"ReportGen Sans"' in css and "/fonts/NotoSansSC-Regular.otf" in css
    from reportgen.render.fonts import FONT_DIR

    for face in ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"):
        cmap = TTFont(FONT_DIR / face).getBestCmap()
        missing = sorted({ch for ch in text if "\u3000" <= ch <= "\u9fff" and ord(ch) not in cmap})
        assert not missing, f"{face} lacks {''.join(missing)}"


def test_validate_warns_about_pinned_numbers_out_of_order(tmp_path):
    path = tmp_path / NAME
    text = (DATA / NAME).read_text(encoding="utf-8")
    path.write_text(text.replace("  - title: ", "  - number: 11\n    title: ", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "pinned numbers print as 11 2 3 4 5 6 7 8 9 10, not in the list's order" in result.output


def test_the_signoff_is_a_form_field_saved_as_data(client, folder):
    report = load_report(folder / NAME)
    form = _form(report, _items(report, range(10)))
    form["signoff"] = {"name": "重庆市科学技术协会", "date": "2021-01-05"}
    answer = client.post(f"/doc/{NAME}/save", json={"form": form, "version": _version(client)}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / NAME)
    assert saved.signoff.name == "重庆市科学技术协会" and saved.signoff.date == dt.date(2021, 1, 5)
    assert 'data-signoff="name" value="重庆市科学技术协会"' in client.get(f"/doc/{NAME}").text
    form["signoff"] = {"name": "", "date": ""}  # both emptied: no sign-off
    answer = client.post(f"/doc/{NAME}/save", json={"form": form, "version": _version(client)}, headers=ORIGIN)
    assert answer.status_code == 200 and load_report(folder / NAME).signoff is None


def test_the_import_page_says_in_chinese_what_it_did(client, tmp_path):
    source = _word_bulletin(tmp_path / "去年的公报.docx")
    with source.open("rb") as handle:
        page = client.post("/import", files={"file": ("去年的公报.docx", handle)}, headers=ORIGIN).text
    assert "标题：2023年区科协十件大事" in page and "年份：2023年" in page and "单位：江北区科学技术协会" in page
    assert "列表“十件大事”：10 项，说明“排序不分先后”" in page
    assert "落款：江北区科学技术协会 2024年1月5日" in page
    assert 'value="2023年区科协十件大事.yaml"' in page  # named by its title, not the uploaded file
    shown = re.sub(r"“[^”]*”|（[^）]*）", "", re.sub(r"<[^>]+>", " ", page.split("<main>")[1]))
    assert not re.findall(r"[A-Za-z]{3,}", shown), re.findall(r"[A-Za-z]{3,}", shown)


def test_next_year_from_a_document_in_the_studio(client, folder):
    answer = client.post(f"/doc/{NAME}/next-year", data={"year": "2021"}, headers=ORIGIN, follow_redirects=False)
    assert answer.status_code == 303
    new = urllib.parse.unquote(answer.headers["location"].split("/doc/")[1].split("?")[0])
    assert new == "2021年市科协十件大事十大亮点.yaml"
    report = load_report(folder / new)
    assert report.year == 2021 and report.title.startswith("2021年")
    assert all(item.draft for lst in report.lists for item in lst.items)
    assert load_report(folder / NAME).year == 2020  # last year's stays as it was
    page = client.get(answer.headers["location"]).text
    assert "去年的事项保留为草稿" in page and "还是去年的草稿" in page
    # rewriting a draft item in the form makes it this year's: its warning goes
    items = _items(report, range(10))
    items[0]["title"], items[0]["paragraphs"] = "2021年的第一件大事", ["今年的正文。"]
    version = _version(client, new)
    saved = client.post(f"/doc/{urllib.parse.quote(new)}/save", json={"form": _form(report, items), "version": version},
                        headers=ORIGIN)
    assert saved.status_code == 200, saved.text
    after = load_report(folder / new)
    assert not after.lists[0].items[0].draft and after.lists[0].items[1].draft
    same = client.post(f"/doc/{NAME}/next-year", data={"year": "2020"}, headers=ORIGIN)
    assert same.status_code == 422 and "已经是2020年的" in same.text


def test_a_document_is_renamed_with_its_history(client, folder):
    report = load_report(folder / NAME)
    client.post(f"/doc/{NAME}/save", json={"form": _form(report, _items(report, range(10))),
                                           "version": _version(client)}, headers=ORIGIN)
    answer = client.post(f"/doc/{NAME}/rename", data={"stem": "2020年公报"}, headers=ORIGIN, follow_redirects=False)
    assert answer.status_code == 303
    assert (folder / "2020年公报.yaml").is_file() and not (folder / NAME).exists()
    assert list((folder / ".reportgen" / "history" / "2020年公报").glob("*.yaml"))
    shutil.copy(DATA / NAME, folder / NAME)
    taken = client.post(f"/doc/{NAME}/rename", data={"stem": "2020年公报"}, headers=ORIGIN)
    assert taken.status_code == 422 and "已有名为 2020年公报.yaml 的文件" in taken.text
    escape = client.post(f"/doc/{NAME}/rename", data={"stem": "../../etc/x"}, headers=ORIGIN, follow_redirects=False)
    assert escape.status_code == 303 and (folder / "etc-x.yaml").is_file()  # cleaned to a name in the folder


@pytest.mark.parametrize(("form", "field", "said"), [
    ({"vote": {"start": "2021-13-01"}}, "vote.start", "日期不对，请写成 2024-01-05 这样的年-月-日"),
    ({"vote": {"url": "http://example.org/x"}}, "vote.url", "http://example.org/x 是示例地址"),
    ({"vote": {"url": "ftp://x"}}, "vote.url", "网址应以 http:// 或 https:// 开头"),
    ({"vote": {"start": "2029-01-01"}}, "vote", "投票截止日期（2022-01-09）早于开始日期（2029-01-01）"),
    ({"association": {"colors": {"primary": "red"}}}, "association.colors.primary", "颜色应写成 #B4141E"),
    ({"year": "abc"}, "year", "应为整数"),
    ({"signoff": {"name": "", "date": "2021-01-05"}}, "signoff.name", "不能为空"),
])
def test_form_errors_are_said_in_chinese(tmp_path, form, field, said):
    from reportgen.studio.documents import Folder

    shutil.copy(DATA / "cq-kx-2021-ballot.yaml", tmp_path)
    _, errors = Folder(tmp_path).check("cq-kx-2021-ballot.yaml", form)
    assert said in errors[field], errors
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"https?://\S*", "", errors[field]))
