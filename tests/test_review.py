"""三审三校 (issue 30): users and roles in the folder's SQLite database, sign-offs bound to the
content hash, stages in order, stale signatures after an edit, the 审核表, backups, and the
studio's login, sessions, CSRF tokens and the lock on exports until 终审."""
from __future__ import annotations

import io
import shutil
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import DATA_2020
from reportgen.cli import main
from reportgen.review import Store, backup, content_hash, document_status, review_required
from reportgen.review.store import MAX_FAILURES, ReviewError
from reportgen.studio import create_app

NAME = DATA_2020.name
PASSWORDS = {"小王": "editor-pass-1", "李科长": "review-pass-1", "张主任": "approve-pass-1"}
ROLES = {"小王": "editor", "李科长": "reviewer", "张主任": "approver"}
BASE = "http://127.0.0.1:8765"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def folder(tmp_path):
    shutil.copy(DATA_2020, tmp_path / NAME)
    for name, role in ROLES.items():
        result = run("users", "add", name, "--role", role, "--folder", tmp_path, input=PASSWORDS[name] + "\n")
        assert result.exit_code == 0, result.output
    return tmp_path


def sign(folder, who, *extra):
    return run("review", "sign", folder / NAME, "--user", who, *extra, input=PASSWORDS[who] + "\n")


def test_users_are_kept_hashed_in_the_folders_database(folder):
    listed = run("users", "list", "--folder", folder)
    assert listed.exit_code == 0 and "小王\teditor\t编辑（初审）" in listed.output
    database = folder / ".reportgen" / "review.sqlite3"
    assert oct(database.stat().st_mode & 0o777) == "0o600"
    raw = database.read_bytes()
    assert not any(p.encode() in raw for p in PASSWORDS.values())
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert all(h.startswith("$argon2id$") for (h,) in db.execute("SELECT password FROM users"))
    assert run("users", "add", "短", "--role", "editor", "--folder", folder, input="short\n").exit_code == 1
    assert run("users", "add", "小王", "--role", "editor", "--folder", folder, input="another-pass\n").exit_code == 1
    assert run("users", "passwd", "小王", "--folder", folder, input="new-editor-pass\n").exit_code == 0
    with Store(folder) as store:
        assert store.authenticate("小王", "new-editor-pass").role == "editor"
    assert run("users", "remove", "小王", "--folder", folder).exit_code == 0
    assert "小王" not in run("users", "list", "--folder", folder).output


def test_an_older_database_is_migrated(tmp_path):
    from reportgen.review.store import MIGRATIONS

    (tmp_path / ".reportgen").mkdir()
    with sqlite3.connect(tmp_path / ".reportgen" / "review.sqlite3") as db:  # as version 1 left it
        db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        db.execute("INSERT INTO signatures (document, stage, content_hash, user_name, at) "
                   "VALUES ('a.yaml', '初审', 'h', '老王', '2024-01-01T00:00:00+00:00')")
    with Store(tmp_path) as store:
        assert [(s.user_name, s.channels) for s in store.signatures("a.yaml")] == [("老王", "")]
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_signature_can_record_the_channels_read_back(folder):
    import openpyxl

    assert sign(folder, "小王", "--channels", "wechat,docx").exit_code == 0
    assert run("review", "sheet", folder / NAME, "-o", folder / "s.xlsx").exit_code == 0
    cells = [str(c.value) for row in openpyxl.load_workbook(folder / "s.xlsx")["审核表"].iter_rows() for c in row]
    assert any("已与数据核对：公众号、Word" in c for c in cells)
    assert not any("未核对各渠道" in c for c in cells)


def test_a_newer_database_is_refused(folder):
    with sqlite3.connect(folder / ".reportgen" / "review.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(ReviewError, match="更新的 reportgen"):
        with Store(folder):
            pass


def test_the_sign_off_chain_and_a_stale_signature_after_an_edit(folder):
    status = run("review", "status", folder / NAME)
    assert status.exit_code == 3 and "waiting for 初审" in status.output
    refused = sign(folder, "李科长")
    assert refused.exit_code == 1 and "复审要在初审之后" in refused.output
    other = sign(folder, "小王", "--stage", "终审")
    assert other.exit_code == 1 and "只能签署初审" in other.output
    wrong = run("review", "sign", folder / NAME, "--user", "小王", input="not-the-password\n")
    assert wrong.exit_code == 1 and "用户名或密码不对" in wrong.output
    for who in ("小王", "李科长", "张主任"):
        assert sign(folder, who, "--comment", f"{who}已审").exit_code == 0
    status = run("review", "status", folder / NAME)
    assert status.exit_code == 0 and "approved" in status.output and "小王已审" in status.output
    # saving the same content in another form (a comment, other quoting) keeps the signatures
    path = folder / NAME
    path.write_text("# 说明：格式不同，内容相同\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("review", "status", path).exit_code == 0
    # any change of what is published makes it unsigned again, naming the stale stages
    path.write_text(path.read_text(encoding="utf-8").replace("召开", "举行", 1), encoding="utf-8")
    status = run("review", "status", path)
    assert status.exit_code == 3 and status.output.count("STALE") == 3
    assert document_status(folder, NAME).stale == ["初审", "复审", "终审"]


def test_a_picture_is_part_of_the_content(folder):
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(folder / "photo.png")
    path = folder / NAME
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    paragraphs:", "    images:\n    - path: photo.png\n    paragraphs:", 1),
                    encoding="utf-8")
    before = content_hash(path)
    Image.new("RGB", (40, 30), "blue").save(folder / "photo.png")
    assert content_hash(path) != before


def test_the_review_sheet_in_excel_and_pdf(folder):
    import openpyxl
    import pdfplumber

    for who in ("小王", "李科长"):
        sign(folder, who, "--comment", "同意")
    (folder / NAME).write_text((folder / NAME).read_text(encoding="utf-8").replace("召开", "举行", 1), encoding="utf-8")
    sign(folder, "小王", "--comment", "改后复核")
    assert run("review", "sheet", folder / NAME, "-o", folder / "审核表.xlsx").exit_code == 0
    book = openpyxl.load_workbook(folder / "审核表.xlsx")
    cells = [str(c.value) for row in book["审核表"].iter_rows() for c in row if c.value]
    assert "信息发布审核表" in cells and "小王" in cells and "李科长" in cells and "改后复核" in cells
    assert any("已过期" in c for c in cells)
    assert any(row[0].value == "初审" for row in book["检查结果"].iter_rows())  # the checks at each signature
    changed = [row for row in book["三校修改"].iter_rows(values_only=True) if row[0] and "→" in row[0]]
    assert changed and changed[0][0] == "复审（李科长）→ 初审（小王）" and "[-召开-]{+举行+}" in changed[0][2]
    assert run("review", "sheet", folder / NAME, "-o", folder / "审核表.pdf").exit_code == 0
    with pdfplumber.open(folder / "审核表.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "信息发布审核表" in text and "谁上传谁负责" in text and "李科长" in text
    again = run("review", "sheet", folder / NAME, "-o", folder / "审核表.pdf")
    assert again.exit_code == 1 and "--force" in again.output


def test_a_consistent_backup(folder, tmp_path_factory):
    sign(folder, "小王")
    history = folder / ".reportgen" / "history" / "cq-kx-2020" / "20240101-000000-000000.yaml"
    history.parent.mkdir(parents=True)
    history.write_text("kept: true\n", encoding="utf-8")
    target = tmp_path_factory.mktemp("backups") / "backup.zip"
    assert run("backup", folder, "-o", target).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert {NAME, ".reportgen/review.sqlite3", "BACKUP.txt",
                ".reportgen/history/cq-kx-2020/20240101-000000-000000.yaml"} <= names
        copy = tmp_path_factory.mktemp("restored") / "review.sqlite3"
        copy.write_bytes(archive.read(".reportgen/review.sqlite3"))
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 3
        assert db.execute("SELECT count(*) FROM signatures").fetchone()[0] == 1
    with pytest.raises(ReviewError):
        backup(folder, folder / "inside.zip")


def test_repeated_wrong_passwords_lock_the_account(folder):
    with Store(folder) as store:
        for _ in range(MAX_FAILURES):
            with pytest.raises(ReviewError, match="用户名或密码不对"):
                store.authenticate("李科长", "guess")
        with pytest.raises(ReviewError, match="锁定"):
            store.authenticate("李科长", PASSWORDS["李科长"])
        assert any(action == "登录失败" and "锁定" in detail for _, _, action, _, detail in store.audit())
        with pytest.raises(ReviewError, match="用户名或密码不对"):
            store.authenticate("nobody", "whatever-pass")


# -- the studio ------------------------------------------------------------------------------

def _client(folder):
    return TestClient(create_app(folder, port=8765), base_url=BASE, follow_redirects=False)


def _login(client, who, password=None):
    answer = client.post("/login", data={"name": who, "password": password or PASSWORDS[who]},
                         headers={"origin": BASE})
    assert answer.status_code == 303, answer.text
    csrf = client.get("/").text.split('<meta name="csrf" content="')[1].split('"')[0]
    return csrf


def test_with_users_the_studio_needs_a_login_for_everything(folder):
    client = _client(folder)
    assert review_required(folder)
    answer = client.get(f"/doc/{NAME}")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    assert client.post(f"/doc/{NAME}/check", json={}, headers={"origin": BASE}).status_code == 401
    assert client.get("/static/studio.css").status_code == 200
    page = client.get("/login")
    assert page.status_code == 200 and "登录" in page.text
    wrong = client.post("/login", data={"name": "小王", "password": "nope-nope"}, headers={"origin": BASE})
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.text
    _login(client, "小王")
    assert client.get(f"/doc/{NAME}").status_code == 200
    assert "小王（初审）" in client.get("/").text


def test_a_login_never_keeps_a_session_it_was_handed(folder):
    client = _client(folder)
    _login(client, "小王")
    planted = client.cookies.get("reportgen_session")
    other = _client(folder)
    other.cookies.set("reportgen_session", planted)  # an attacker's known session, then the victim logs in
    client.post("/logout", headers={"origin": BASE, "x-csrf-token": _login(client, "小王")})
    assert other.get("/").status_code == 303  # the planted key is gone
    fresh = _client(folder)
    fresh.cookies.set("reportgen_session", "chosen-by-attacker")
    answer = fresh.post("/login", data={"name": "李科长", "password": PASSWORDS["李科长"]}, headers={"origin": BASE})
    cookie = [h for k, h in answer.headers.multi_items() if k == "set-cookie"][0]
    assert cookie.startswith("reportgen_session=") and "chosen-by-attacker" not in cookie
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()


def _posts():
    """Every route of the studio that takes a POST (the list follows the app: a new route is tested)."""
    from starlette.routing import Route

    from reportgen.studio import create_app

    app = create_app(DATA_2020.parent, port=8765)
    return sorted(r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ()) and r.path != "/login")


@pytest.mark.parametrize("path", _posts())
def test_every_state_change_needs_the_sessions_csrf_token(folder, path):
    client = _client(folder)
    csrf = _login(client, "小王")
    url = path.replace("{name}", NAME)
    for headers in ({"origin": BASE}, {"origin": BASE, "x-csrf-token": "wrong" + csrf}):
        answer = client.post(url, headers=headers, data={"x": "1"})
        assert answer.status_code == 403 and "安全令牌" in answer.text, path
    answer = client.post(url, headers={"origin": BASE, "x-csrf-token": csrf}, data={"x": "1"})
    assert answer.status_code != 403 or "安全令牌" not in answer.text, path
    assert "/logout" in _posts() and "/doc/{name}/sign" in _posts() and "/doc/{name}/publish/wechat" in _posts()


def test_export_is_locked_until_the_final_sign_off_of_the_current_content(folder):
    client = _client(folder)
    csrf = _login(client, "小王")
    refused = client.get(f"/doc/{NAME}/export/pdf")
    assert refused.status_code == 403 and "还没有通过终审" in refused.text
    draft = client.post(f"/doc/{NAME}/pdf-preview", json=_form(folder), headers={"origin": BASE, "x-csrf-token": csrf})
    assert draft.status_code == 200 and "审核稿" in _pdf_text(draft.content)  # a draft is previewed, marked
    # a user signs only their role's stage, in order
    assert client.post(f"/doc/{NAME}/sign", data={"comment": "好"}, headers={"origin": BASE, "x-csrf-token": csrf}
                       ).status_code == 303
    for who in ("李科长", "张主任"):
        other = _client(folder)
        token = _login(other, who)
        assert other.post(f"/doc/{NAME}/sign", data={"comment": "同意"},
                          headers={"origin": BASE, "x-csrf-token": token}).status_code == 303
    exported = client.get(f"/doc/{NAME}/export/docx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    approved = client.post(f"/doc/{NAME}/pdf-preview", json=_form(folder), headers={"origin": BASE, "x-csrf-token": csrf})
    assert "审核稿" not in _pdf_text(approved.content)
    review = client.get(f"/doc/{NAME}/review").text
    assert "终审已签发" in review and "张主任" in review and "导出" in review
    sheet = client.get(f"/doc/{NAME}/sheet/xlsx")
    assert sheet.status_code == 200 and zipfile.ZipFile(io.BytesIO(sheet.content)).namelist()
    with Store(folder) as store:
        actions = [(who, action) for _, who, action, _, _ in store.audit(NAME)]
    assert ("小王", "签署初审") in actions and ("张主任", "签署终审") in actions and ("小王", "导出") in actions


def test_the_history_says_who_saved_each_version(folder):
    client = _client(folder)
    csrf = _login(client, "小王")
    page = client.get(f"/doc/{NAME}").text
    version = page.split('data-version="')[1].split('"')[0]
    form = _form(folder)
    form["title"] = form["title"] + "（修订）"
    answer = client.post(f"/doc/{NAME}/save", json={"form": form, "version": version},
                         headers={"origin": BASE, "x-csrf-token": csrf})
    assert answer.status_code == 200, answer.text
    assert "那次保存由小王完成" in client.get(f"/doc/{NAME}").text
    with Store(folder) as store:
        assert [(who, action) for _, who, action, _, _ in store.audit(NAME)][-1] == ("小王", "保存")


def test_an_approver_cannot_sign_before_the_review(folder):
    client = _client(folder)
    token = _login(client, "张主任")
    answer = client.post(f"/doc/{NAME}/sign", data={}, headers={"origin": BASE, "x-csrf-token": token})
    assert answer.status_code == 422 and "终审要在复审之后" in answer.text


def test_the_database_is_never_served(folder):
    client = _client(folder)
    _login(client, "小王")
    for path in ("/files/.reportgen/review.sqlite3", "/files/..%2F.reportgen/review.sqlite3",
                 "/static/../.reportgen/review.sqlite3", "/fonts/../../.reportgen/review.sqlite3"):
        answer = client.get(path)
        assert answer.status_code == 404 and b"SQLite" not in answer.content


def _form(folder):
    from reportgen.io import load_report

    report = load_report(folder / NAME)
    return {"title": report.title, "year": report.year,
            "association": {"name": report.association.name, "short_name": report.association.short_name},
            "lists": [{"index": i, "name": lst.name, "items": [
                {"index": j, "title": item.title, "paragraphs": item.paragraphs} for j, item in enumerate(lst.items)]}
                for i, lst in enumerate(report.lists)]}


def _pdf_text(data: bytes) -> str:
    from reportgen.checks.channels import normalise, pdf_text

    return normalise(pdf_text(data))
