"""The studio (reportgen serve): its paths as a user takes them, through the HTTP API its
pages call (Starlette's TestClient), and its safety rules."""
from __future__ import annotations

import shutil
import urllib.parse

import pytest
from starlette.testclient import TestClient

from conftest import DATA, SEED_2020
from reportgen.errors import ReportgenError
from reportgen.io import load_report
from reportgen.studio import create_app, serve

BASE = "http://127.0.0.1:8765"  # the studio's own address (the Host it answers to)
ORIGIN = {"origin": BASE}


@pytest.fixture
def folder(tmp_path):
    for name in ("cq-kx-2020.yaml", "cq-kx-2021-ballot.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def client(folder):
    return TestClient(create_app(folder, port=8765), base_url=BASE)


def _form(report, **changes):
    form = {"title": report.title, "subtitle": report.subtitle, "year": report.year,
            "association": {"name": report.association.name, "short_name": report.association.short_name},
            "lists": [{"index": i, "name": lst.name, "ordering_note": lst.ordering_note,
                       "items": [{"index": j, "title": item.title, "paragraphs": item.paragraphs}
                                 for j, item in enumerate(lst.items)]}
                      for i, lst in enumerate(report.lists)]}
    form.update(changes)
    return form


def _version(client, name):
    page = client.get(f"/doc/{name}").text
    return page.split('data-version="')[1].split('"')[0]


def test_home_lists_every_document_by_title(client):
    page = client.get("/").text
    assert "2020年市科协十件大事十大亮点" in page and "评选" in page and "新建" in page and "导入去年的文件" in page


def test_edit_an_item_title_save_and_find_it_on_disk_with_the_old_version_kept(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    form = _form(report)
    form["lists"][0]["items"][0]["title"] = "深入学习贯彻全会精神（修改）"
    version = _version(client, "cq-kx-2020.yaml")
    answer = client.post("/doc/cq-kx-2020.yaml/save", json={"form": form, "version": version}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / "cq-kx-2020.yaml")
    assert saved.lists[0].items[0].title == "深入学习贯彻全会精神（修改）"
    assert saved.lists[0].items[0].images == report.lists[0].items[0].images  # what the form does not show stays
    history = list((folder / ".reportgen" / "history" / "cq-kx-2020").glob("*.yaml"))
    assert len(history) == 1 and load_report(history[0]).lists[0].items[0].title == report.lists[0].items[0].title


def test_a_second_tab_gets_a_conflict_not_an_overwrite(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    version = _version(client, "cq-kx-2020.yaml")
    first = client.post("/doc/cq-kx-2020.yaml/save", json={"form": _form(report, title="第一个窗口"),
                                                         "version": version}, headers=ORIGIN)
    assert first.status_code == 200
    second = client.post("/doc/cq-kx-2020.yaml/save", json={"form": _form(report, title="第二个窗口"),
                                                          "version": version}, headers=ORIGIN)
    assert second.status_code == 409 and "已被修改" in second.json()["conflict"]
    assert load_report(folder / "cq-kx-2020.yaml").title == "第一个窗口"


def test_a_validation_error_is_in_chinese_beside_its_field_and_nothing_is_saved(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    form = _form(report)
    form["lists"][0]["items"][1]["title"] = ""
    before = (folder / "cq-kx-2020.yaml").read_bytes()
    answer = client.post("/doc/cq-kx-2020.yaml/check", json=form, headers=ORIGIN)
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"lists[0].items[1].title": "不能为空"}
    saved = client.post("/doc/cq-kx-2020.yaml/save", json={"form": form, "version": _version(client, "cq-kx-2020.yaml")},
                        headers=ORIGIN)
    assert saved.status_code == 422 and (folder / "cq-kx-2020.yaml").read_bytes() == before


def test_live_preview_uses_the_layout_template_and_the_studios_fonts(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    answer = client.post("/doc/cq-kx-2020.yaml/check", json=_form(report, title="预览里的新标题"), headers=ORIGIN)
    html = answer.json()["html"]
    assert "预览里的新标题" in html and "/fonts/NotoSerifSC-Regular.otf" in html and "file://" not in html
    assert client.get("/fonts/NotoSansSC-Regular.otf").status_code == 200


def test_export_pdf_and_read_the_title_back(client):
    import io

    import pdfplumber

    answer = client.get("/doc/cq-kx-2020.yaml/export/pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(answer.content)) as document:
        assert "市科协十件大事" in document.pages[0].extract_text().replace("\u2005", "").replace(" ", "")
    word = client.get("/doc/cq-kx-2020.yaml/export/docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_import_last_years_document_shows_every_finding_before_editing(client, folder):
    with open(SEED_2020, "rb") as handle:
        answer = client.post("/import", files={"file": ("2020年十件大事.txt", handle, "text/plain")}, headers=ORIGIN)
    assert answer.status_code == 200 and "导入结果" in answer.text and "接受并保存" in answer.text
    assert "已修复" in answer.text or "请核对" in answer.text
    documents = {"cq-kx-2020.yaml", "cq-kx-2021-ballot.yaml"}
    assert {p.name for p in folder.glob("*.yaml")} == documents  # nothing saved before 接受
    token = answer.text.split('name="token" value="')[1].split('"')[0]
    accepted = client.post("/import/accept", data={"token": token, "name": "2020年十件大事.yaml"}, headers=ORIGIN,
                           follow_redirects=False)
    assert accepted.status_code == 303
    imported = [p for p in folder.glob("*.yaml") if p.name not in documents]
    assert len(imported) == 1 and len(load_report(imported[0]).lists[0].items) == 10
    assert urllib.parse.unquote(accepted.headers["location"]) == f"/doc/{imported[0].name}"
    # a token that is not this studio's own is refused; 放弃 removes the pending file
    refused = client.post("/import/accept", data={"token": "../../cq-kx-2020"}, headers=ORIGIN)
    assert "重新导入" in refused.text
    with open(SEED_2020, "rb") as handle:
        again = client.post("/import", files={"file": ("x.txt", handle, "text/plain")}, headers=ORIGIN)
    token = again.text.split('name="token" value="')[1].split('"')[0]
    client.post("/import/accept", data={"token": token, "discard": "1"}, headers=ORIGIN)
    assert not list((folder / ".reportgen" / "imports").glob("*.yaml"))
    assert len([p for p in folder.glob("*.yaml") if p.name not in documents]) == 1


def test_new_bulletin_from_scratch(client, folder):
    answer = client.post("/new", data={"layout": "bulletin", "year": "2022", "association": "示例市科学技术协会",
                                       "short_name": "示例科协"}, headers=ORIGIN, follow_redirects=False)
    assert answer.status_code == 303
    assert urllib.parse.unquote(answer.headers["location"]) == "/doc/2022年示例科协十件大事.yaml"  # by its title
    assert load_report(folder / "2022年示例科协十件大事.yaml").association.short_name == "示例科协"


def test_requests_from_elsewhere_are_refused(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    answer = client.post("/doc/cq-kx-2020.yaml/save", json={"form": _form(report), "version": "x"},
                         headers={"origin": "http://evil.example"})
    assert answer.status_code == 403
    assert client.post("/doc/cq-kx-2020.yaml/check", json={}).status_code == 403  # no origin at all


@pytest.mark.parametrize("path", ["/doc/..%2Fsecret.yaml", "/doc/secret.txt", "/files/../secret.yaml",
                                  "/files/cq-kx-2020.yaml"])
def test_names_stay_inside_the_folder_and_only_images_are_served(client, path):
    assert client.get(path).status_code in (200, 404) and "机密" not in client.get(path).text
    assert client.get(path).status_code != 200 or "出错了" in client.get(path).text


def test_uploads_are_limited_in_type(client):
    answer = client.post("/import", files={"file": ("photo.exe", b"MZ", "application/octet-stream")}, headers=ORIGIN)
    assert "只能导入" in answer.text


def test_a_token_is_required_when_set(folder):
    guarded = TestClient(create_app(folder, token="s3cret"), base_url=BASE)
    assert guarded.get("/").status_code == 401
    assert guarded.get("/?token=s3cret").status_code == 200
    assert guarded.get("/").status_code == 200  # the cookie it set


def test_other_hosts_need_a_token(folder):
    with pytest.raises(ReportgenError, match="--token"):
        serve(folder, host="0.0.0.0", open_browser=False)


def test_saving_keeps_the_users_comments_and_order(client, folder):
    path = folder / "cq-kx-2020.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text("# 2020年的公报：办公室维护\n" + original.replace("year: 2020", "year: 2020  # 年份"),
                    encoding="utf-8")
    report = load_report(path)
    form = _form(report)
    form["lists"][0]["items"][0]["title"] = "改过的标题"
    answer = client.post("/doc/cq-kx-2020.yaml/save", json={"form": form, "version": _version(client, "cq-kx-2020.yaml")},
                         headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("# 2020年的公报：办公室维护\n") and "year: 2020  # 年份" in saved
    keys = [line.split(":")[0] for line in saved.splitlines() if line and line[0].isalpha()]
    assert keys == [line.split(":")[0] for line in original.splitlines() if line and line[0].isalpha()]
    again = load_report(path)  # the same data but the one title (ruamel may fold long lines elsewhere)
    assert again.lists[0].items[0].title == "改过的标题"
    assert again.model_dump(exclude={"lists"}) == report.model_dump(exclude={"lists"})
    assert [i.paragraphs for i in again.lists[0].items] == [i.paragraphs for i in report.lists[0].items]


def test_the_form_edits_dates_images_vote_theme_colours_and_logo(client, folder):
    from PIL import Image

    Image.new("RGB", (60, 40), "navy").save(folder / "photo.png")
    upload = client.post("/images", files={"file": ("现场.png", (folder / "photo.png").read_bytes(), "image/png")},
                         headers=ORIGIN)
    assert upload.status_code == 200
    picture = upload.json()["path"]
    assert picture.startswith("images/") and (folder / picture).is_file()
    report = load_report(folder / "cq-kx-2021-ballot.yaml")
    form = _form(report, theme="formal",
                 vote={"start": "2022-12-29", "end": "2023-01-09", "url": "https://www.wjx.cn/vm/kx2022.aspx",
                       "per_day_limit": 3, "rules": ["规则一", "", "规则二"], "notice": "注意事项"})
    form["association"].update({"colors": {"primary": "#123456", "accent": "#abcdef", "text": "#222222"},
                                "logo": picture})
    item = form["lists"][0]["items"][0]
    item["dates"] = ["2021-03-01", "", "2021-03-05"]
    item["images"] = [{"index": None, "path": picture, "caption": "活动现场"}]
    version = _version(client, "cq-kx-2021-ballot.yaml")
    answer = client.post("/doc/cq-kx-2021-ballot.yaml/save", json={"form": form, "version": version}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / "cq-kx-2021-ballot.yaml")
    assert saved.theme == "formal" and saved.association.logo == picture
    assert (saved.association.colors.primary, saved.association.colors.accent) == ("#123456", "#ABCDEF")
    assert saved.vote.url == "https://www.wjx.cn/vm/kx2022.aspx" and saved.vote.per_day_limit == 3
    assert saved.vote.rules == ["规则一", "规则二"] and str(saved.vote.end) == "2023-01-09"
    first = saved.lists[0].items[0]
    assert [str(d) for d in first.dates] == ["2021-03-01", "2021-03-05"]
    assert [(i.path, i.caption) for i in first.images] == [(picture, "活动现场")]
    # a bad date is shown beside its field, and nothing is saved
    item["dates"] = ["2021-02-30"]
    bad = client.post("/doc/cq-kx-2021-ballot.yaml/check", json=form, headers=ORIGIN)
    assert bad.status_code == 422 and any(k.startswith("lists[0].items[0].dates") for k in bad.json()["errors"])


def _votes_csv(folder, ballot):
    import csv
    import datetime as dt

    path = folder / "问卷星导出.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["2021年评选投票数据"])  # a title row above the header
        writer.writerow(["voter", "time", "item"])
        start = dt.datetime.combine(ballot.vote.start, dt.time(9))
        for n, item in enumerate(ballot.lists[0].items, 1):
            for v in range(n):
                writer.writerow([f"u{n}-{v}", (start + dt.timedelta(minutes=7 * v + n)).isoformat(" "), item.title])
    return path


def test_vote_tally_page_ranks_and_creates_the_final_bulletin(client, folder):
    ballot = load_report(folder / "cq-kx-2021-ballot.yaml")
    votes = _votes_csv(folder, ballot)
    page = client.get("/doc/cq-kx-2021-ballot.yaml/tally")
    assert page.status_code == 200 and "投票统计" in page.text
    answer = client.post("/doc/cq-kx-2021-ballot.yaml/tally", headers=ORIGIN, data={"weight": "0", "top": "10"},
                         files={"votes": ("问卷星导出.csv", votes.read_bytes(), "text/csv")})
    assert answer.status_code == 200, answer.text
    assert "计票规则" in answer.text and "排名" in answer.text and "生成最终公报" in answer.text
    assert ballot.lists[0].items[-1].title in answer.text
    kept = answer.text.split('name="votes" value="')[1].split('"')[0]
    final = client.post("/doc/cq-kx-2021-ballot.yaml/tally/final", headers=ORIGIN, follow_redirects=False,
                        data={"votes": kept, "experts": "", "weight": "0", "top": "10"})
    assert final.status_code == 303 and final.headers["location"].startswith("/doc/2021-final.yaml")
    report = load_report(folder / "2021-final.yaml")
    assert [lst.name for lst in report.lists][0] == "十件大事" and len(report.lists[0].items) == 10
    assert (folder / "2021-final-audit.xlsx").is_file()
    # the audit is downloaded from the final bulletin's page; the upload can be deleted
    assert "下载投票统计说明" in client.get("/doc/2021-final.yaml").text
    audit = client.get("/doc/2021-final.yaml/audit")
    assert audit.status_code == 200 and audit.content[:2] == b"PK"
    assert client.get("/doc/cq-kx-2020.yaml/audit").status_code == 404
    page = client.get("/doc/cq-kx-2021-ballot.yaml/tally").text
    assert "已上传的投票数据" in page and "30 天" in page
    kept_file = folder / ".reportgen" / "votes" / kept
    assert kept_file.is_file()
    forgot = client.post("/doc/cq-kx-2021-ballot.yaml/tally/forget", headers=ORIGIN, data={"id": kept},
                         follow_redirects=False)
    assert forgot.status_code == 303 and not kept_file.exists()
    # an upload that is not a table is refused with a clear word, nothing written
    wrong = client.post("/doc/cq-kx-2021-ballot.yaml/tally", headers=ORIGIN,
                        files={"votes": ("votes.pdf", b"%PDF-1.4", "application/pdf")})
    assert "只能是 .csv 或 .xlsx" in wrong.text
    tampered = client.post("/doc/cq-kx-2021-ballot.yaml/tally/final", headers=ORIGIN,
                           data={"votes": "../../cq-kx-2020.yaml"})
    assert "重新上传" in tampered.text


def test_exports_are_kept_while_nothing_they_read_has_changed(client, folder):
    """导出 twice gives the same file without a second render; a change to the data or to a
    picture it shows renders again."""
    from PIL import Image

    Image.new("RGB", (80, 60), "red").save(folder / "p.png")
    path = folder / "cq-kx-2020.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n    paragraphs:\n" in text
    path.write_text(text.replace("\n    paragraphs:\n", "\n    images:\n    - path: p.png\n      caption: 图\n"
                                 "    paragraphs:\n", 1), encoding="utf-8")
    assert load_report(path).lists[0].items[0].images[0].path == "p.png"
    first = client.get("/doc/cq-kx-2020.yaml/export/docx")
    assert first.status_code == 200 and urllib.parse.unquote(first.headers["content-disposition"]).endswith(
        "2020年市科协十件大事十大亮点.docx")  # named by its title
    again = client.get("/doc/cq-kx-2020.yaml/export/docx")
    assert again.content == first.content
    Image.new("RGB", (80, 60), "blue").save(folder / "p.png")  # the picture changes, the data does not
    changed = client.get("/doc/cq-kx-2020.yaml/export/docx")
    assert changed.content != first.content
    path.write_text(path.read_text(encoding="utf-8").replace("十件大事十大亮点", "十件大事十大亮点（改）", 1), encoding="utf-8")
    import io

    import docx

    latest = docx.Document(io.BytesIO(client.get("/doc/cq-kx-2020.yaml/export/docx").content))
    assert any("（改）" in p.text for t in latest.tables for row in t.rows for c in row.cells for p in c.paragraphs) \
        or any("（改）" in p.text for p in latest.paragraphs)


def test_articles_their_lists_and_review_sections_are_edited_in_the_form(client, folder):
    for name in ("cast-2020-news.yaml", "cd-kx-review.yaml"):
        shutil.copy(DATA / name, folder / name)
    page = client.get("/doc/cast-2020-news.yaml").text
    assert "第2篇文章" in page and 'data-article="1" data-block="1"' in page and "贯彻习近平总书记重要回信精神" in page
    news = load_report(folder / "cast-2020-news.yaml")
    second = news.articles[1]
    block = next(b for b, part in enumerate(second.body) if hasattr(part, "list"))
    body = [{"index": b, "text": part if isinstance(part, str) else getattr(part, "heading", "")}
            for b, part in enumerate(second.body)]
    body[0]["text"] = "导语改过了。"
    body.append({"index": None, "text": "新加的一段。"})
    items = [{"index": j, "title": item.title, "paragraphs": item.paragraphs}
             for j, item in enumerate(second.body[block].list.items)]
    items[0]["title"] = "第一件事（改）"
    form = {"articles": [{"index": 1, "title": second.title + "（改）", "date": "2021-02-02", "body": body}],
            "article_lists": [{"article": 1, "block": block, "name": second.body[block].list.name, "items": items}]}
    version = _version(client, "cast-2020-news.yaml")
    answer = client.post("/doc/cast-2020-news.yaml/save", json={"form": form, "version": version}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved = load_report(folder / "cast-2020-news.yaml").articles[1]
    assert saved.title.endswith("（改）") and str(saved.date) == "2021-02-02"
    assert saved.body[0] == "导语改过了。" and saved.body[-1] == "新加的一段。"
    assert saved.lists()[0].items[0].title == "第一件事（改）"
    assert saved.lists()[0].items[1].title == second.body[block].list.items[1].title
    # an error in an article's list is named by its place
    items[1]["title"] = ""
    bad = client.post("/doc/cast-2020-news.yaml/check", json=form, headers=ORIGIN)
    assert bad.status_code == 422 and f"articles[1].body[{block}].list.items[1].title" in bad.json()["errors"]
    # review sections: keyword, headline and points
    review = load_report(folder / "cd-kx-review.yaml")
    section = review.sections[0]
    points = [{"index": p, "lead": point.lead, "text": point.text} for p, point in enumerate(section.points)]
    points[0]["lead"] = "改过的要点"
    points.append({"index": None, "lead": "新的一点", "text": "新增的内容，共举办活动12场。"})
    form = {"sections": [{"index": 0, "keyword": section.keyword, "headline": section.headline, "points": points}]}
    version = _version(client, "cd-kx-review.yaml")
    answer = client.post("/doc/cd-kx-review.yaml/save", json={"form": form, "version": version}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    saved_section = load_report(folder / "cd-kx-review.yaml").sections[0]
    assert saved_section.points[0].lead == "改过的要点" and saved_section.points[-1].lead == "新的一点"
    assert len(saved_section.points) == len(section.points) + 1


def test_pdf_preview_renders_the_form_as_it_stands(client, folder):
    import io

    import pdfplumber

    report = load_report(folder / "cq-kx-2020.yaml")
    before = (folder / "cq-kx-2020.yaml").read_bytes()
    answer = client.post("/doc/cq-kx-2020.yaml/pdf-preview", json=_form(report, subtitle="未保存的副标题"), headers=ORIGIN)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(answer.content)) as pdf:
        assert "未保存的副标题" in (pdf.pages[0].extract_text() or "").replace(" ", "")
    assert (folder / "cq-kx-2020.yaml").read_bytes() == before
    bad = client.post("/doc/cq-kx-2020.yaml/pdf-preview", json=_form(report, title=""), headers=ORIGIN)
    assert bad.status_code == 422 and bad.json()["errors"]["title"]


def test_uploaded_votes_are_kept_only_as_long_as_the_folder_says(client, folder):
    import os
    import time

    votes = folder / ".reportgen" / "votes"
    votes.mkdir(parents=True)
    old, new = votes / "aaaaaaaaaaaa.csv", votes / "bbbbbbbbbbbb.csv"
    old.write_text("voter,time,item\n", encoding="utf-8")
    new.write_text("voter,time,item\n", encoding="utf-8")
    os.utime(old, (time.time() - 31 * 86400,) * 2)
    client.get("/doc/cq-kx-2021-ballot.yaml/tally")
    assert not old.exists() and new.exists()
    (folder / ".reportgen" / "settings.yaml").write_text("vote_uploads_days: 0\n", encoding="utf-8")
    os.utime(new, (time.time() - 60,) * 2)
    client.get("/doc/cq-kx-2021-ballot.yaml/tally")
    assert not new.exists()


def test_a_new_ballot_has_no_placeholder_address_and_its_introduction_in_the_form(client, folder):
    answer = client.post("/new", headers=ORIGIN, follow_redirects=False,
                         data={"layout": "ballot", "year": "2025", "association": "江北区科学技术协会",
                               "short_name": "区科协"})
    assert answer.status_code == 303
    name = urllib.parse.unquote(answer.headers["location"].rsplit("/", 1)[1])
    report = load_report(folder / name)
    assert report.title == "2025年区科协十件大事评选" and report.vote.url == "" and report.intro
    page = client.get(f"/doc/{name}").text
    assert "活动简介" in page and "data-intro" in page
    preview = client.post(f"/doc/{name}/check", json={"title": report.title}, headers=ORIGIN)
    assert preview.status_code == 422 and "vote.url" in preview.json()["errors"]


@pytest.mark.parametrize("url", ["https://example.org/vote", "https://vote.example.com/x", "http://localhost/v",
                                 "https://www.wjx.cn/vm/xxxx.aspx"])
def test_a_ballot_with_a_placeholder_address_is_refused(tmp_path, url):
    from reportgen.errors import DataErrors, DataError

    path = tmp_path / "b.yaml"
    path.write_text((DATA / "cq-kx-2021-ballot.yaml").read_text(encoding="utf-8").replace(
        "url: https://www.wenjuan.com/s/UZBZJvkIPP/", f"url: {url}"), encoding="utf-8")
    with pytest.raises((DataErrors, DataError), match="placeholder address"):
        load_report(path)


def test_restoring_asks_first_and_says_it_did(client, folder):
    report = load_report(folder / "cq-kx-2020.yaml")
    version = _version(client, "cq-kx-2020.yaml")
    client.post("/doc/cq-kx-2020.yaml/save", json={"form": _form(report, title="改过的标题"), "version": version},
                headers=ORIGIN)
    page = client.get("/doc/cq-kx-2020.yaml").text
    assert "confirm(" in page and "保存之前的版本" in page and ".yaml</label>" not in page
    assert "（那次保存改了标题）" in page  # what that save changed, in words
    entry = page.split('name="version" value="')[1].split('"')[0]
    done = client.post("/doc/cq-kx-2020.yaml/restore", headers=ORIGIN, data={"version": entry})
    assert "已恢复" in done.text and load_report(folder / "cq-kx-2020.yaml").title == report.title
