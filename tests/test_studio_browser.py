"""The studio in a real browser (Debian's chromium driven by Playwright): the user's paths."""
from __future__ import annotations

import shutil

import pytest

from conftest import DATA, SEED_2020, serving
from reportgen.io import load_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (tests extra)")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    for name in ("cq-kx-2020.yaml", "cq-kx-2021-ballot.yaml"):
        shutil.copy(DATA / name, folder / name)
    with serving(folder) as url:
        yield url, folder


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


#: the live preview's text, without the headline's phrase spans and the layout characters
PREVIEW_TEXT = r"document.getElementById('preview').srcdoc.replace(/<[^>]+>|[\u2060\u2005\u200b]/g, '')"


def test_open_edit_save_export(studio, browser):
    url, folder = studio
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.click("text=2020年市科协十件大事十大亮点")
    page.wait_for_selector("#preview")
    title = page.locator("li.item").first.locator("[data-item=title]")
    title.fill("深入学习贯彻全会精神（浏览器里改的）")
    page.wait_for_function(PREVIEW_TEXT + ".includes('浏览器里改的')")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
    assert load_report(folder / "cq-kx-2020.yaml").lists[0].items[0].title == "深入学习贯彻全会精神（浏览器里改的）"
    # the seed's unclosed 《 is still there: the page asks before exporting, and the user goes on
    page.once("dialog", lambda dialog: dialog.accept() if "仍要导出吗" in dialog.message else dialog.dismiss())
    with page.expect_download() as download:
        page.click("text=导出 PDF")
    import pdfplumber

    with pdfplumber.open(download.value.path()) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\u2005", "").replace(" ", "")
    assert "浏览器里改的" in text
    page.close()


def test_a_validation_error_shows_beside_its_field(studio, browser):
    url, _ = studio
    page = browser.new_page()
    page.goto(url + "/doc/cq-kx-2020.yaml")
    second = page.locator("li.item").nth(1)
    second.locator("[data-item=title]").fill("")
    page.wait_for_function("document.querySelectorAll('li.item')[1].querySelector('[data-error-item=title]')"
                           ".textContent === '不能为空'")
    page.close()


def test_a_language_finding_shows_beside_its_field_as_you_type(studio, browser):
    url, _ = studio
    page = browser.new_page()
    page.goto(url + "/doc/cq-kx-2020.yaml")
    title = page.locator("li.item").nth(1).locator("[data-item=title]")
    title.fill("截止2020年底，" + title.input_value())
    beside = "document.querySelectorAll('li.item')[1].querySelector('p.warning')"
    page.wait_for_function(f"{beside} && {beside}.textContent.startsWith('警告（规范表述·截至与截止）：【截止】应为【截至】')")
    # the seed's unclosed 《 is an error beside the first item's text, in the summary too
    assert "《”没有配对的“》" in page.locator("li.item").first.locator("p.warning.error").first.inner_text()
    assert "十件大事 第1项 第1段：错误" in page.locator("#warnings").inner_text()
    page.close()


def test_two_tabs_and_a_conflict(studio, browser):
    url, folder = studio
    first, second = browser.new_page(), browser.new_page()
    for tab in (first, second):
        tab.goto(url + "/doc/cq-kx-2021-ballot.yaml")
        tab.wait_for_selector("[data-field=title]")
    first.fill("[data-field=subtitle]", "第一个窗口")
    first.click("#save")
    first.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
    second.fill("[data-field=subtitle]", "第二个窗口")
    messages = []
    second.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    second.click("#save")
    second.wait_for_function("document.getElementById('status').textContent.includes('已被修改')")
    assert load_report(folder / "cq-kx-2021-ballot.yaml").subtitle == "第一个窗口"
    assert messages and "已被修改" in messages[0]


def test_import_last_years_document(studio, browser):
    url, folder = studio
    page = browser.new_page()
    page.goto(url)
    page.set_input_files("input[type=file]", str(SEED_2020))
    page.click("button:has-text('导入')")
    page.wait_for_selector("text=导入结果")
    page.click("button:has-text('接受并保存')")
    page.wait_for_selector("li.item")
    assert page.locator("li.item").count() == 20  # 十件大事 and 十大亮点
    page.close()


def test_phone_width_screenshot(studio, browser, tmp_path):
    url, _ = studio
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(url)
    page.screenshot(path=str(tmp_path / "phone.png"))
    assert page.locator("text=新建").first.is_visible()
    page.close()


def test_vote_tally_to_the_final_bulletin(studio, browser, tmp_path):
    import csv
    import datetime as dt

    url, folder = studio
    ballot = load_report(folder / "cq-kx-2021-ballot.yaml")
    votes = tmp_path / "腾讯问卷导出.csv"
    with open(votes, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["voter", "time", "item"])
        start = dt.datetime.combine(ballot.vote.start, dt.time(10))
        for lst in ballot.lists:
            for n, item in enumerate(lst.items, 1):
                for v in range(n):
                    writer.writerow([f"{lst.name}{n}-{v}", (start + dt.timedelta(minutes=5 * v + n)).isoformat(" "),
                                     item.title])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "/doc/cq-kx-2021-ballot.yaml")
    page.click("text=投票统计 →")
    page.set_input_files("input[name=votes]", str(votes))
    page.click("button:has-text('计票')")
    page.wait_for_selector("text=计票规则和各规则去掉的票数")
    assert page.locator("table.ranking tr.in").count() == 20  # ten of each list
    page.click("button:has-text('生成最终公报')")
    page.wait_for_selector("li.item")
    assert "已生成" in page.content()
    final = load_report(folder / "2021-final.yaml")
    assert [len(lst.items) for lst in final.lists] == [10, 10]
    page.close()


def test_upload_a_picture_and_copy_the_wechat_article(studio, browser, tmp_path):
    from PIL import Image

    url, folder = studio
    Image.new("RGB", (120, 80), "teal").save(tmp_path / "现场.png")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.goto(url + "/doc/cq-kx-2020.yaml")
    first = page.locator("li.item").first
    first.locator("input[data-upload=image]").set_input_files(str(tmp_path / "现场.png"))
    first.locator(".image [data-image=caption]").last.fill("活动现场")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
    image = load_report(folder / "cq-kx-2020.yaml").lists[0].items[0].images[-1]
    assert image.caption == "活动现场" and (folder / image.path).is_file()
    page.click("#copy-wechat")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已复制')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "深入学习贯彻" in copied
    context.close()


def test_edit_a_news_release_article_and_its_list(studio, browser):
    url, folder = studio
    shutil.copy(DATA / "cast-2020-news.yaml", folder / "cast-2020-news.yaml")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/doc/cast-2020-news.yaml")
    article = page.locator("fieldset.article").nth(1)
    article.locator("[data-article=title]").fill("“2020年度科协十大事件”揭晓（浏览器）")
    nested = page.locator("fieldset.article-list li.item").first.locator("[data-item=title]")
    nested.fill("第一件事（浏览器）")
    article.locator("button[data-act=add-paragraph]").click()
    article.locator(".block textarea").last.fill("浏览器里加的一段。")
    page.wait_for_function(PREVIEW_TEXT + ".includes('浏览器里加的一段')")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
    saved = load_report(folder / "cast-2020-news.yaml").articles[1]
    assert saved.title.endswith("（浏览器）") and saved.body[-1] == "浏览器里加的一段。"
    assert saved.lists()[0].items[0].title == "第一件事（浏览器）"
    assert not errors
    page.close()


def test_pdf_preview_on_request_shows_the_unsaved_form(studio, browser):
    url, folder = studio
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "/doc/cq-kx-2020.yaml")
    page.fill("[data-field=subtitle]", "未保存的副标题")
    with page.expect_response(lambda r: r.url.endswith("/pdf-preview")) as answer:
        page.click("#pdf-preview")
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    page.wait_for_function("document.getElementById('preview').src.startsWith('blob:')")
    assert page.get_attribute("#pdf-preview", "aria-pressed") == "true"
    page.click("#pdf-preview")
    page.wait_for_function(PREVIEW_TEXT + ".includes('未保存的副标题')")
    assert "未保存的副标题" not in (folder / "cq-kx-2020.yaml").read_text(encoding="utf-8")
    page.close()


@pytest.mark.parametrize("doc", ["cq-kx-2020.yaml", "cq-kx-2021-ballot.yaml"])
def test_the_editor_fits_a_phone(studio, browser, doc):
    url, _ = studio
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(url + "/doc/" + doc)
    page.wait_for_selector("li.item")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing to scroll sideways
    assert page.locator("#save").is_visible()
    page.close()


def test_a_years_path_from_last_years_word_bulletin(tmp_path, browser):
    """Issue 26 end to end, as an office does it: import last year's Word bulletin, see what was
    read, delete 第9项, move 第5项 up, move the year, save, export — and read the PDF back."""
    import re

    import pdfplumber

    from test_studio_trust import _word_bulletin

    folder = tmp_path / "office"
    folder.mkdir()
    source = _word_bulletin(tmp_path / "去年的公报.docx")
    with serving(folder) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("dialog", lambda dialog: dialog.accept())  # every question the studio asks: yes
        page.goto(url)
        # this machine has no Chinese fonts: the studio's own pages draw with the bundled face
        loaded = page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                               ".filter(f => f.status === 'loaded').map(f => f.family))")
        assert any("ReportGen Sans" in family for family in loaded), loaded
        page.set_input_files("input[name=file]", str(source))
        page.click("form[action='/import'] button[type=submit]")
        page.wait_for_selector("text=接受并保存")
        said = page.inner_text("main")
        assert "年份：2023年" in said and "单位：江北区科学技术协会" in said and "说明“排序不分先后”" in said
        assert "落款：江北区科学技术协会 2024年1月5日" in said
        page.click("button:has-text('接受并保存')")
        page.wait_for_selector("#preview")
        items = page.locator("fieldset.list li.item")
        assert items.count() == 10
        # the bold-figures hint follows the typing
        body = items.nth(0).locator("[data-item=paragraphs]")
        body.fill(body.input_value() + "新增科普阵地25个。")
        page.wait_for_function("document.querySelector('li.item .figures span').textContent.includes('25个')")
        # the preview follows the item being edited (its own window scrolls, not the form)
        items.nth(7).locator("[data-item=title]").focus()
        page.wait_for_function("document.getElementById('preview').contentWindow.scrollY > 200")
        items.nth(8).locator("[data-act=delete]").click()
        items.nth(4).locator("[data-act=up]").click()
        assert page.locator("li.item .num").nth(3).inner_text() == "第4项"
        year = page.locator('[data-field="year"]')
        year.fill("2024")
        year.press("Tab")  # the studio offers to move the years of the title and dates: accepted
        page.wait_for_function("document.querySelector('[data-field=title]').value === '2024年区科协十件大事'")
        page.keyboard.press("Control+s")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
        page.wait_for_selector("#warnings:not([hidden])")  # nine items in a 十件大事: said at the top
        assert "却有9项" in page.inner_text("#warnings")
        with page.expect_download() as download:
            page.click("text=导出 PDF")  # the studio asks first (nine items): accepted
        assert download.value.suggested_filename == "2024年区科协十件大事.pdf"
        with pdfplumber.open(download.value.path()) as pdf:
            text = re.sub(r"[\s\u2005\u2060]", "", "".join(p.extract_text() or "" for p in pdf.pages))
        page.close()
    assert "2024年区科协十件大事" in text and "2023年区科协" not in text
    order = [int(n) for n in re.findall(r"(\d+)举办第(\d+)届", text) for n in n[1:]]
    numbers = [int(n) for n, _ in re.findall(r"(\d+)举办第(\d+)届", text)]
    assert order == [1, 2, 3, 5, 4, 6, 7, 8, 10] and numbers == list(range(1, 10))
    assert text.endswith("江北区科学技术协会2024年1月5日") or "江北区科学技术协会2024年1月5日" in text[-60:]


def test_three_people_sign_off_and_only_then_export(tmp_path, browser):
    """三审 in the browser: login, a refused export, the chain of three users, a stale signature
    after an edit, the 审核表 download."""
    from click.testing import CliRunner

    from reportgen.cli import main

    shutil.copy(DATA / "cq-kx-2020.yaml", tmp_path / "cq-kx-2020.yaml")
    people = {"小王": ("editor", "editor-pass-1"), "李科长": ("reviewer", "review-pass-1"),
              "张主任": ("approver", "approve-pass-1")}
    for name, (role, password) in people.items():
        assert CliRunner().invoke(main, ["users", "add", name, "--role", role, "--folder", str(tmp_path)],
                                  input=password + "\n").exit_code == 0
    with serving(tmp_path) as url:
        page = browser.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "还有 N 处需要检查，仍要导出吗？" — yes

        def login(name):
            page.goto(url + "/doc/cq-kx-2020.yaml")
            page.fill("input[name=name]", name)
            page.fill("input[name=password]", people[name][1])
            page.click("button[type=submit]")
            page.wait_for_selector("#preview")

        def sign(name):
            login(name)
            page.click("text=审核")
            page.fill("textarea[name=comment]", f"{name}同意")
            if name != "张主任":  # 终审 reads every channel back against the data (the default); the others skip it
                page.uncheck("input[name=channels]")
            page.click(f"text=签署{ {'editor': '初审', 'reviewer': '复审', 'approver': '终审'}[people[name][0]] }")
            page.wait_for_selector("text=已签署（")
            page.click("text=退出")
            page.wait_for_selector("input[name=password]")

        login("小王")
        page.goto(url + "/doc/cq-kx-2020.yaml/export/pdf")
        assert "还没有通过终审" in page.content()
        page.click("text=退出")
        for name in people:
            sign(name)
        login("小王")
        with page.expect_download() as download:
            page.click("text=导出 PDF")
        assert download.value.path().read_bytes()[:4] == b"%PDF"
        # an edit after 终审: the stages are stale and the export is refused again
        title = page.locator("li.item").first.locator("[data-item=title]")
        title.fill(title.input_value() + "（改）")
        page.keyboard.press("Control+s")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')")
        page.click("text=审核")
        assert page.locator("text=已过期：签署后内容改过").count() == 3
        with page.expect_download() as sheet:
            page.click("text=下载审核表（Excel）")
        assert sheet.value.suggested_filename.endswith("（审核表）.xlsx")
        page.goto(url + "/doc/cq-kx-2020.yaml/export/pdf")
        assert "还没有通过终审" in page.content()
        page.close()
