"""The red team's attempts on the studio and the inputs behind it (issue 25), each kept as a
reproduction: DNS rebinding, lost updates, a blocked event loop, unbounded bodies, broken
pictures, quadratic extraction, special-file targets, hostile vote exports, tracebacks and
500s. Every test here failed before its fix."""
from __future__ import annotations

import asyncio
import csv
import json
import multiprocessing
import os
import shutil
import threading
import time
import urllib.parse

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import DATA, MINIMAL, serving, write
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.io import load_report
from reportgen.studio import create_app, serve
from reportgen.studio.documents import Conflict, Folder

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"origin": BASE}
NAME = "cq-kx-2020.yaml"


@pytest.fixture
def folder(tmp_path):
    for name in (NAME, "cq-kx-2021-ballot.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def client(folder):
    return TestClient(create_app(folder, port=PORT), base_url=BASE)


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    return message


# -- 1. DNS rebinding: only the studio's own Host names -------------------------------------------

@pytest.mark.parametrize("host", ["rebind.evil.example:8765", "rebind.evil.example", "127.0.0.1.evil.example:8765",
                                  "localhost:9999", "127.0.0.1:80", "", "127.0.0.1:8765@evil", "[::1"])
def test_a_foreign_host_name_gets_421_before_any_handler(client, folder, host):
    page = client.get(f"/doc/{NAME}", headers={"host": host})
    assert page.status_code in (400, 421) and "2020年" not in page.text
    before = sorted(p.name for p in folder.iterdir())
    created = client.post("/new", data={"layout": "bulletin", "year": "2030", "association": "x", "short_name": "x"},
                          headers={"host": host, "origin": f"http://{host}"})
    assert created.status_code in (400, 421)
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing was created


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST:8765"])
def test_the_loopback_names_with_the_studios_port_are_served(client, host):
    assert client.get("/", headers={"host": host}).status_code == 200


def test_allowed_host_names_a_reverse_proxy(folder):
    proxied = TestClient(create_app(folder, port=PORT, allowed_hosts=("studio.kx.example",)),
                         base_url="https://studio.kx.example")
    assert proxied.get("/").status_code == 200
    assert proxied.get("/", headers={"host": "other.kx.example"}).status_code == 421


def test_on_every_interface_addresses_are_served_but_names_are_not(folder):
    app = create_app(folder, port=PORT, bind="0.0.0.0", token="s3cret")
    wide = TestClient(app, base_url=f"http://192.0.2.7:{PORT}")
    assert wide.get("/?token=s3cret").status_code == 200
    assert wide.get("/?token=s3cret", headers={"host": f"rebind.evil.example:{PORT}"}).status_code == 421


def test_origin_must_be_the_studios_own_address(client, folder):
    report = load_report(folder / NAME)
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{PORT}.evil.example", "http://127.0.0.1:1"):
        answer = client.post(f"/doc/{NAME}/check", json={"title": report.title}, headers={"origin": origin})
        assert answer.status_code == 403, origin
    referer = client.post(f"/doc/{NAME}/check", json={"title": report.title},
                          headers={"referer": f"{BASE}/doc/{NAME}"})
    assert referer.status_code == 200


# -- 2. lost updates: compare and replace under one lock --------------------------------------------

def _slow_keep(monkeypatch):
    original = Folder.keep

    def keep(self, path, content):
        time.sleep(0.2)  # a slow disk: the window in which a second save used to slip through
        return original(self, path, content)

    monkeypatch.setattr(Folder, "keep", keep)


def _form(report, title):
    return {"title": title, "year": report.year,
            "association": {"name": report.association.name, "short_name": report.association.short_name}}


def _race(docs: Folder, version: str, titles: tuple[str, str], report) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(2)

    def save(title):
        barrier.wait()
        try:
            docs.save(NAME, _form(report, title), version)
            results.append("saved")
        except Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(title,)) for title in titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_saves_of_one_version_give_one_save_and_one_conflict(folder, monkeypatch):
    _slow_keep(monkeypatch)
    report = load_report(folder / NAME)
    for trial in range(3):
        docs = Folder(folder)
        _, version = docs.open(NAME)
        titles = (f"窗口{trial}-1", f"窗口{trial}-2")
        assert sorted(_race(docs, version, titles, report)) == ["conflict", "saved"]
        assert load_report(folder / NAME).title in titles


def _save_in_child(folder, version, title, queue):
    try:
        Folder(folder).save(NAME, _form(load_report(folder / NAME), title), version)
        queue.put("saved")
    except Conflict:
        queue.put("conflict")


def test_two_studios_on_one_folder_exclude_each_other(folder, monkeypatch):
    _slow_keep(monkeypatch)  # inherited by the forked children
    _, version = Folder(folder).open(NAME)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_save_in_child, args=(folder, version, f"进程{n}", queue)) for n in (1, 2)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
    assert sorted(queue.get(timeout=5) for _ in children) == ["conflict", "saved"]


def test_two_http_saves_of_one_version(client, folder, monkeypatch):
    _slow_keep(monkeypatch)
    report = load_report(folder / NAME)
    version = client.get(f"/doc/{NAME}").text.split('data-version="')[1].split('"')[0]
    codes: list[int] = []

    def post(title):
        with TestClient(client.app, base_url=BASE) as own:
            codes.append(own.post(f"/doc/{NAME}/save", json={"form": _form(report, title), "version": version},
                                  headers=ORIGIN).status_code)

    threads = [threading.Thread(target=post, args=(f"同事{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]


# -- 3. nothing blocks the event loop ---------------------------------------------------------------

@pytest.fixture
def live(folder):
    """The studio served by uvicorn on a free loopback port."""
    with serving(folder) as url:
        yield url


@pytest.mark.parametrize("path", ["/", f"/doc/{NAME}"])
def test_a_slow_parse_does_not_hold_up_a_stylesheet(live, monkeypatch, path):
    from reportgen.studio import documents

    release = threading.Event()
    parsing = threading.Event()
    real = documents.load_report

    def slow_load(target):
        parsing.set()
        release.wait(20)  # a 2.6 MB document
        return real(target)

    monkeypatch.setattr(documents, "load_report", slow_load)
    slow = threading.Thread(target=lambda: httpx.get(live + path, timeout=30))
    slow.start()
    try:
        assert parsing.wait(10)
        css = httpx.get(live + "/static/studio.css", timeout=5)  # was held until the parse ended
        assert css.status_code == 200
    finally:
        release.set()
        slow.join()


def test_the_home_page_parses_a_file_only_when_it_changed(client, folder, monkeypatch):
    from reportgen.studio import documents

    calls = []
    real = documents.load_report
    monkeypatch.setattr(documents, "load_report", lambda path: calls.append(path.name) or real(path))
    client.get("/")
    assert sorted(calls) == sorted([NAME, "cq-kx-2021-ballot.yaml"])
    calls.clear()
    client.get("/")
    assert calls == []
    path = folder / NAME
    path.write_text(path.read_text(encoding="utf-8").replace("十件大事", "十件要事", 1), encoding="utf-8")
    assert "十件要事" in client.get("/").text and calls == [NAME]


# -- 4. bodies are bounded before they are read -------------------------------------------------------

def _asgi(app, path, headers, chunks):
    """One POST straight through ASGI: (status, bytes the application pulled)."""
    pulled = 0
    status = []
    parts = iter(chunks)

    async def receive():
        nonlocal pulled
        chunk = next(parts, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", f"127.0.0.1:{PORT}".encode()), (b"origin", BASE.encode())] + headers,
             "scheme": "http", "server": ("127.0.0.1", PORT), "client": ("127.0.0.1", 5000), "http_version": "1.1",
             "root_path": "", "asgi": {"version": "3.0"}}
    asyncio.run(app(scope, receive, send))
    return status[0], pulled


MB = 1024 * 1024


@pytest.mark.parametrize("path,kind", [(f"/doc/{NAME}/check", b"application/json"),
                                       (f"/doc/{NAME}/save", b"application/json"),
                                       ("/new", b"application/x-www-form-urlencoded"),
                                       ("/import", b"multipart/form-data; boundary=x")])
def test_a_declared_200_mb_body_is_refused_unread(folder, path, kind):
    app = create_app(folder, port=PORT)
    status, pulled = _asgi(app, path, [(b"content-type", kind), (b"content-length", str(200 * MB).encode())],
                           (b"x" * MB for _ in range(200)))
    assert status == 413 and pulled == 0


def test_a_streamed_body_is_cut_off_at_the_limit(folder):
    app = create_app(folder, port=PORT)
    status, pulled = _asgi(app, f"/doc/{NAME}/check", [(b"content-type", b"application/json")],
                           (b"x" * MB for _ in range(200)))
    assert status == 413 and pulled <= 8 * MB


def test_an_ordinary_form_still_fits(client, folder):
    report = load_report(folder / NAME)
    assert client.post(f"/doc/{NAME}/check", json={"title": report.title}, headers=ORIGIN).status_code == 200


# -- 5. broken pictures, whatever was imported before --------------------------------------------------

def _half_png() -> bytes:
    """A PNG whose pixel data stops half-way, every chunk's checksum right: Pillow's
    ``verify()`` passes it; only a strict decode refuses it (a lenient one fills the rest)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"".join(b"\0" + bytes((200, 30, 30)) * 64 for _ in range(64)))
    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels[:len(pixels) // 2]) + \
        chunk(b"IEND", b"")

def test_a_truncated_picture_is_refused_after_weasyprint_is_loaded(tmp_path):
    from reportgen.render.images import check_image
    from reportgen.render.pdf import _weasyprint

    _weasyprint()  # turns on Pillow's lenient decoding for the whole process, as a render does
    (tmp_path / "photo.png").write_bytes(_half_png())
    with pytest.raises(ReportgenError, match="not a readable image"):
        check_image(tmp_path, "photo.png", "图片")
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_studio_refuses_a_truncated_upload_after_a_render(client):
    from reportgen.render.pdf import _weasyprint

    _weasyprint()
    data = _half_png()
    answer = client.post("/images", files={"file": ("photo.png", data, "image/png")}, headers=ORIGIN)
    assert answer.status_code == 400 and "not a readable image" in answer.json()["error"]


def test_render_refuses_a_truncated_picture_in_the_same_process(tmp_path):
    from reportgen.render import render_file
    from reportgen.render.pdf import _weasyprint

    _weasyprint()
    (tmp_path / "photo.png").write_bytes(_half_png())
    data = write(tmp_path, "r.yaml", MINIMAL + "        images: [{path: photo.png}]\n")
    with pytest.raises(ReportgenError, match="not a readable image"):
        render_file(data, tmp_path / "out", ["pdf"])


# -- 6. extraction is linear in its input -------------------------------------------------------------

SEPARATORS = "-—=*_·•.、：:~#+|/\\…─━＝－。，；！？>》】）【（《“”0一①"


def _adversarial() -> list[str]:
    head = "2023年区科协十件大事\n\n"
    texts = []
    for sep in SEPARATORS:
        texts += [head + sep * 20000 + "x\n", head + sep * 20000 + "标题\n", head + (sep + "汉") * 10000 + "\n"]
    texts += [head + "".join(f"{i}、事件标题\n\n" for i in range(1, 20001)),
              head + "".join(f"{i}. 标题{i}\n" for i in range(1, 20001)),
              head + "".join(f"（{i}）事件标题。\n" for i in range(1, 20001)),
              head + "".join(f"事件{i}：标题。\n" for i in range(1, 20001)),
              head + "十大事件分别是：" + "；".join(f"事件{i}" for i in range(20000)) + "。\n"]
    return texts


def _extract_all(folder: str) -> int:
    from pathlib import Path

    from reportgen.extract import _extract

    done = 0
    for n, text in enumerate(_adversarial()):
        path = Path(folder) / f"{n}.txt"
        path.write_text(text, encoding="utf-8")
        try:
            _extract(path, None, None, None, None)
        except ReportgenError:
            pass  # a one-line refusal is a fine answer; only the time matters here
        done += 1
    return done


@pytest.mark.slow
def test_adversarial_lines_of_every_separator_extract_in_linear_time(tmp_path):
    from reportgen.limits import Limits, run_limited

    # about 10 s here; one quadratic pattern took 120 s on a single 50 KB line of dashes
    done = run_limited(_extract_all, str(tmp_path), limits=Limits(seconds=120, memory_mb=2000), what="extract")
    assert done == len(_adversarial())


def test_a_line_of_dashes_ending_in_a_word_is_read_at_once(tmp_path):
    from reportgen.extract import _extract
    from reportgen.limits import Limits, run_limited

    path = write(tmp_path, "dash.txt", "2023年区科协十件大事\n\n" + "-" * 50000 + "x\n")
    with pytest.raises(ReportgenError, match="at most 20000 characters"):  # the paragraph's limit, not the time's
        run_limited(_extract, path, None, None, None, None, limits=Limits(seconds=20), what="dash")


# -- 7. targets that are not regular files --------------------------------------------------------------

def test_an_output_linked_to_standard_output_is_refused(tmp_path):
    link = tmp_path / "schema.json"
    link.symlink_to("/proc/self/fd/1")
    message = one_line_error(CliRunner().invoke(main, ["schema", "-o", str(link)]))
    assert "device or system file" in message
    assert link.is_symlink()  # not replaced by a regular file


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/null", "/proc/self/fd/1"])
def test_system_nodes_are_never_replaced(target):
    from reportgen.files import check_target

    with pytest.raises(ReportgenError, match="device or system file"):
        check_target(__import__("pathlib").Path(target), True)


def test_schema_onto_a_pipe_or_a_full_disk_is_one_line(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(CliRunner().invoke(main, ["schema", "-o", str(fifo)]))
    if os.path.exists("/dev/full"):
        link = tmp_path / "full.json"
        link.symlink_to("/dev/full")
        one_line_error(CliRunner().invoke(main, ["schema", "-o", str(link)]))


# -- 8. hostile vote exports ----------------------------------------------------------------------------

def _read(path):
    from reportgen.tally import read_table

    return read_table(path)


def _sheet(tmp_path, far_cell):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["投票人", "投票时间", "投票选项"])
    sheet.append(["v1", "2021-12-30 09:00:00", "候选大事-1"])
    sheet[far_cell] = "x"
    path = tmp_path / "votes.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("far_cell,rows", [("XFD1048576", 1), ("A1048576", 2)])
def test_a_stray_cell_far_away_costs_seconds_and_gives_the_right_rows(tmp_path, far_cell, rows):
    from reportgen.limits import Limits, run_limited

    path = _sheet(tmp_path, far_cell)
    read = run_limited(_read, path, limits=Limits(seconds=20, memory_mb=700), what="read")
    assert read[0]["投票选项"] == "候选大事-1" and len(read) == rows


def test_a_csv_wider_than_the_column_limit_is_refused_like_an_xlsx(tmp_path):
    path = tmp_path / "votes.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["投票人", "投票选项"] + [f"c{i}" for i in range(10002)])
        out.writerow(["v1", "候选大事-1"] + ["1"] * 10002)
    with pytest.raises(ReportgenError, match="more than 1,000"):
        _read(path)


# -- 9. tracebacks become one line ------------------------------------------------------------------

def test_a_toml_manifest_nested_3000_deep_is_one_line(tmp_path):
    manifest = write(tmp_path, "m.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n")
    assert "nested too deeply" in one_line_error(CliRunner().invoke(main, ["build", str(manifest)]))


@pytest.mark.parametrize("address", ["http://127.0.0.1:8786", "inproc://x", "tcp://"])
def test_a_scheduler_address_dask_does_not_know_is_one_line(tmp_path, address):
    manifest = write(tmp_path, "m.yaml", "documents:\n  - data: r.yaml\n")
    write(tmp_path, "r.yaml", MINIMAL)
    message = one_line_error(CliRunner().invoke(main, ["build", str(manifest), "--scheduler", address]))
    assert "not a Dask scheduler address" in message


# -- 10. no 500s in the studio --------------------------------------------------------------------------

def test_a_non_ascii_token_works(folder):
    app = create_app(folder, port=PORT, token="科协令牌")
    guarded = TestClient(app, base_url=BASE)
    assert guarded.get("/").status_code == 401
    first = guarded.get("/?token=" + urllib.parse.quote("科协令牌"))
    assert first.status_code == 200 and "科协令牌" not in first.headers.get("set-cookie", "")
    assert guarded.get("/").status_code == 200  # the cookie (a digest of the token)
    assert TestClient(app, base_url=BASE).get("/?token=wrong").status_code == 401


def test_malformed_json_is_a_chinese_400(client):
    for body in (b"{not json", b"\xff\xfe", b"[1, 2]", b"[" * 100000):
        answer = client.post(f"/doc/{NAME}/check", content=body, headers={**ORIGIN, "content-type": "application/json"})
        assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    answer = client.post(f"/doc/{NAME}/save", content=b"{", headers={**ORIGIN, "content-type": "application/json"})
    assert answer.status_code == 400


def test_exporting_a_document_that_does_not_exist_is_a_404_page(client):
    answer = client.get("/doc/nowhere.yaml/export/pdf")
    assert answer.status_code == 404 and "找不到" in answer.text
    assert client.get("/doc/nowhere.yaml").status_code == 404


def test_an_import_with_a_very_long_name_is_saved_under_a_shorter_one(client, folder):
    from conftest import SEED_2020

    name = "甲" * 300 + ".txt"
    page = client.post("/import", files={"file": (name, SEED_2020.read_bytes(), "text/plain")}, headers=ORIGIN)
    assert page.status_code == 200
    token = page.text.split('name="token" value="')[1].split('"')[0]
    accepted = client.post("/import/accept", data={"token": token, "name": "甲" * 300 + ".yaml"},
                           headers=ORIGIN, follow_redirects=False)
    assert accepted.status_code == 303
    created = [p for p in folder.glob("*.yaml") if p.name.startswith("甲")]
    assert len(created) == 1 and len(created[0].name.encode()) < 255


# -- 11. limits that hold everywhere ---------------------------------------------------------------------

def test_an_empty_host_does_not_pass_the_loopback_check(folder):
    with pytest.raises(ReportgenError, match="--host"):
        serve(folder, host="", open_browser=False)
    message = one_line_error(CliRunner().invoke(main, ["serve", str(folder), "--host", "", "--no-browser"]))
    assert "--host" in message


# -- the guarantees, under a bounded local flood --------------------------------------------------------

@pytest.mark.slow
def test_a_flood_of_local_requests_is_answered(live):
    """120 requests from 12 loopback clients with previews among them: every static file and
    page answered, none refused or failed (the p95 is printed by benchmarks/studio_load.py)."""
    report = load_report(DATA / NAME)
    body = json.dumps({"title": report.title}).encode()

    def client_loop(results):
        with httpx.Client(base_url=live, timeout=60, headers={"origin": live}) as http:
            for n in range(10):
                if n % 5 == 0:
                    results.append(http.post(f"/doc/{NAME}/check", content=body,
                                             headers={"content-type": "application/json"}).status_code)
                else:
                    results.append(http.get("/static/studio.css").status_code)

    results: list[int] = []
    threads = [threading.Thread(target=client_loop, args=(results,)) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(results) == 120 and set(results) == {200}
