"""推送到草稿箱 (issue 31) against a fake of the 公众号 platform (tests/wechat_fake.py, never the
internet): every layout fits and is pushed, the preflight stops before any request, the
platform's errors in plain Chinese, the token cached and renewed, retries only when the platform
says so, nothing half-sent unreported, credentials kept out of sight, the lock until 终审."""
from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import DATA, DATA_2020, serving_app
from reportgen.cli import main
from reportgen.publish import Credentials, TokenCache, WechatError, prepare, push_wechat
from wechat_fake import APPID, SECRET, Fake

CREDENTIALS = Credentials(APPID, SECRET)
DOCUMENTS = sorted(DATA.glob("*.yaml"))


@pytest.fixture(scope="module")
def platform():
    fake = Fake()
    with serving_app(lambda port: fake.app()) as url:
        yield fake, url


@pytest.fixture
def fresh(platform, tmp_path):
    fake, base = platform
    fake.__init__()  # a clean account for each test
    return fake, base, TokenCache(tmp_path / "tokens.json")


@pytest.mark.parametrize("data", DOCUMENTS, ids=lambda p: p.stem)
def test_every_layout_fits_and_is_pushed(fresh, data, tmp_path):
    fake, base, cache = fresh
    shutil.copy(data, tmp_path / data.name)
    pushed = push_wechat(tmp_path / data.name, credentials=CREDENTIALS, api_base=base, cache=cache)
    articles = fake.drafts[pushed.media_id]
    assert all(len(a["content"]) < 20_000 and len(a["title"]) <= 32 for a in articles)
    assert articles[0]["author"] and articles[0]["digest"] and articles[0]["thumb_media_id"] in fake.materials
    assert pushed.pictures == len(fake.pictures)
    text = "".join(a["content"] for a in articles)
    from reportgen.io import load_report

    report = load_report(data)
    titles = [item.title for lst in report.all_lists() for item in lst.items]
    assert all(title in text.replace("\u2060", "") for title in titles)


def test_the_ballot_becomes_a_two_article_draft_with_its_qr_code(fresh, tmp_path):
    fake, base, cache = fresh
    shutil.copy(DATA / "cq-kx-2021-ballot.yaml", tmp_path / "ballot.yaml")
    pushed = push_wechat(tmp_path / "ballot.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    articles = fake.drafts[pushed.media_id]
    assert [a["title"][-3:] for a in articles] == ["（一）", "（二）"]
    qr = next(iter(fake.pictures.values()))
    assert qr[:8] == b"\x89PNG\r\n\x1a\n"  # the QR code stays PNG (JPEG would blur its modules)


def test_a_png_photo_goes_up_as_a_jpeg_under_1_mb(fresh, tmp_path):
    import random

    from PIL import Image

    fake, base, cache = fresh
    noise = random.Random(1).randbytes(1800 * 1400 * 3)  # a photo PNG cannot compress
    Image.frombytes("RGB", (1800, 1400), noise).save(tmp_path / "photo.png")
    assert (tmp_path / "photo.png").stat().st_size > 1_000_000
    text = DATA_2020.read_text(encoding="utf-8")
    (tmp_path / "doc.yaml").write_text(text.replace("    paragraphs:", "    images:\n    - path: photo.png\n    paragraphs:", 1),
                                       encoding="utf-8")
    push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    photo = next(iter(fake.pictures.values()))
    assert photo[:3] == b"\xff\xd8\xff" and len(photo) < 1_000_000


def test_the_preflight_stops_before_any_request(fresh, tmp_path):
    fake, base, cache = fresh
    text = DATA_2020.read_text(encoding="utf-8")
    long_author = "schema_version: 1\nauthor: 重庆市科学技术协会宣传部新媒体中心编辑组"
    (tmp_path / "doc.yaml").write_text(text.replace("title: 2020年市科协十件大事十大亮点", "title: " + "很长的标题" * 8, 1)
                                       .replace("schema_version: 1", long_author, 1), encoding="utf-8")
    with pytest.raises(WechatError) as caught:
        push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    said = str(caught.value)
    assert "标题（title）" in said and "最多 32 个字" in said and "作者（author）" in said
    assert fake.calls == []


@pytest.mark.parametrize("setting, code, words", [
    ("whitelisted", 40164, "IP白名单"), ("certified", 48001, "认证"),
])
def test_the_platforms_errors_in_plain_chinese(fresh, tmp_path, setting, code, words):
    fake, base, cache = fresh
    setattr(fake, setting, False)
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    with pytest.raises(WechatError) as caught:
        push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    assert f"错误码 {code}" in str(caught.value) and words in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_wrong_secret_is_named_without_showing_it(fresh, tmp_path):
    fake, base, cache = fresh
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    with pytest.raises(WechatError) as caught:
        push_wechat(tmp_path / "doc.yaml", credentials=Credentials(APPID, "wrong-secret"), api_base=base, cache=cache)
    assert "AppSecret 不正确" in str(caught.value) and "wrong-secret" not in str(caught.value)
    assert "什么也没有上传" in str(caught.value)


def test_the_token_is_cached_and_renewed_when_the_platform_says_it_expired(fresh, tmp_path):
    fake, base, cache = fresh
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    assert fake.calls.count("stable_token") == 1
    assert oct(cache.path.stat().st_mode & 0o777) == "0o600" and SECRET not in cache.path.read_text()
    fake.expire_tokens = True
    push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    assert fake.calls.count("stable_token") == 2


def test_busy_is_retried_with_backoff_and_nothing_else_is(fresh, tmp_path):
    fake, base, cache = fresh
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    fake.busy = 2
    waits = []
    pushed = push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache, sleep=waits.append)
    assert pushed.media_id and waits == [1, 2]
    fake.refuse_draft = (45166, "invalid content")
    with pytest.raises(WechatError) as caught:
        push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache, sleep=waits.append)
    assert fake.calls.count("draft_add") == 4 and waits == [1, 2]
    # nothing half-sent goes unreported: the cover went up, the draft did not
    assert "正文含有微信不接受的内容（错误码 45166）" in str(caught.value) and "和封面" in str(caught.value) \
        and "草稿没有建成" in str(caught.value)


def test_credentials_from_a_private_file_outside_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("REPORTGEN_WECHAT_APPID", raising=False)
    monkeypatch.delenv("REPORTGEN_WECHAT_SECRET", raising=False)
    with pytest.raises(WechatError, match="REPORTGEN_WECHAT_APPID"):
        Credentials.find()
    secret_file = tmp_path / "private" / "wechat.json"
    secret_file.parent.mkdir()
    secret_file.write_text(json.dumps({"appid": APPID, "secret": SECRET}), encoding="utf-8")
    secret_file.chmod(0o644)
    with pytest.raises(WechatError, match="chmod 600"):
        Credentials.find(secret_file)
    secret_file.chmod(0o600)
    assert Credentials.find(secret_file) == CREDENTIALS and SECRET not in repr(Credentials.find(secret_file))
    with pytest.raises(WechatError, match="不能放在数据文件夹里"):
        Credentials.find(secret_file, data_folder=tmp_path)
    monkeypatch.setenv("REPORTGEN_WECHAT_APPID", APPID)
    monkeypatch.setenv("REPORTGEN_WECHAT_SECRET", SECRET)
    assert Credentials.find() == CREDENTIALS


def test_the_command_line_dry_run_and_push(fresh, tmp_path, monkeypatch):
    fake, base, _ = fresh
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("REPORTGEN_WECHAT_APPID", APPID)
    monkeypatch.setenv("REPORTGEN_WECHAT_SECRET", SECRET)
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    dry = CliRunner().invoke(main, ["publish", "wechat", "--dry-run", str(tmp_path / "doc.yaml")])
    assert dry.exit_code == 0 and "nothing sent" in dry.output and fake.calls == []
    pushed = CliRunner().invoke(main, ["publish", "wechat", "--api-base", base, str(tmp_path / "doc.yaml")])
    assert pushed.exit_code == 0, pushed.output
    assert "draft made: media_id DRAFT" in pushed.output and SECRET not in pushed.output
    bad = CliRunner().invoke(main, ["publish", "wechat", "--api-base", base + "/cgi-bin", str(tmp_path / "doc.yaml")])
    assert bad.exit_code == 1 and "只写协议和主机" in bad.output


def test_a_push_waits_for_the_final_sign_off_and_is_logged(fresh, tmp_path, monkeypatch):
    from reportgen.review import Store

    fake, base, cache = fresh
    shutil.copy(DATA_2020, tmp_path / "doc.yaml")
    people = {"小王": "editor", "李科长": "reviewer", "张主任": "approver"}
    for name, role in people.items():
        CliRunner().invoke(main, ["users", "add", name, "--role", role, "--folder", str(tmp_path)], input="password-1\n")
    with pytest.raises(WechatError, match="还没有通过终审"):
        push_wechat(tmp_path / "doc.yaml", credentials=CREDENTIALS, api_base=base, cache=cache)
    assert fake.calls == []
    for name in people:
        assert CliRunner().invoke(main, ["review", "sign", str(tmp_path / "doc.yaml"), "--user", name],
                                  input="password-1\n").exit_code == 0
    monkeypatch.setenv("REPORTGEN_WECHAT_APPID", APPID)
    monkeypatch.setenv("REPORTGEN_WECHAT_SECRET", SECRET)
    monkeypatch.setenv("REPORTGEN_WECHAT_API_BASE", base)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    client = TestClient(__import__("reportgen.studio", fromlist=["create_app"]).create_app(tmp_path, port=8765),
                        base_url="http://127.0.0.1:8765", follow_redirects=False)
    client.post("/login", data={"name": "小王", "password": "password-1"}, headers={"origin": "http://127.0.0.1:8765"})
    csrf = client.get("/").text.split('<meta name="csrf" content="')[1].split('"')[0]
    answer = client.post("/doc/doc.yaml/publish/wechat", headers={"origin": "http://127.0.0.1:8765", "x-csrf-token": csrf,
                                                                  "accept": "application/json"})
    assert answer.status_code == 200, answer.text
    media_id = answer.json()["media_id"]
    assert media_id in fake.drafts and "草稿箱" in answer.json()["message"] and SECRET not in answer.text
    with Store(tmp_path) as store:
        assert ("小王", "推送到草稿箱", media_id) in [(who, action, detail) for _, who, action, _, detail in store.audit()]
    assert "推送到草稿箱" in client.get("/doc/doc.yaml").text  # the button


def test_a_cover_from_the_banner(tmp_path):
    from PIL import Image

    draft = prepare(DATA_2020)
    with Image.open(io.BytesIO(draft.cover.data)) as cover:
        assert cover.size == (900, 383) and cover.format == "JPEG"
        assert cover.getpixel((5, 5))[0] > 150  # the banner's red
    assert os.path.basename(draft.cover.name) == "cover.jpg"
