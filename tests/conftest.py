from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import settings

# property tests check behaviour, never speed: no per-example deadline (CI machines vary)
settings.register_profile("reportgen", deadline=None)
settings.load_profile("reportgen")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "fixtures"  # the five documents as shipped; never the office's data/ (the studio edits that)
SEED_2020 = SEEDS / "000_3c47ada3094104d4.txt"
DATA_2020 = DATA / "cq-kx-2020.yaml"


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """argon2id with the smallest cost in tests (the studio's default costs ≈ 0.1 s a hash, and
    the tests make hundreds): the same algorithm and code path, only cheaper."""
    from argon2 import PasswordHasher

    from reportgen.review import store

    monkeypatch.setattr(store, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def seed_2020_titles() -> list[str]:
    """Item titles of seed 000, read straight from the seed: lines '<n> <title>'."""
    titles = []
    for line in SEED_2020.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(\d{1,2}) (\S.{3,60})", line.strip())
        if match:
            titles.append(match.group(2))
    return titles


def text_of(html: str) -> str:
    """An HTML page's text without its markup (a headline is set phrase by phrase in spans)."""
    import re

    return re.sub(r"<[^>]+>", "", html)


def squash(text: str) -> str:
    """Text with all white space, word joiners and Han–Latin gaps removed."""
    return re.sub(r"[\s\u2005\u2060]+", "", text)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """The 2020 bulletin rendered once per test session to PDF and DOCX."""
    from reportgen.render import render_file

    out = tmp_path_factory.mktemp("out")
    result = render_file(DATA_2020, out, ["pdf", "docx", "html"])
    return {p.suffix[1:]: p for p in result.outputs}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
association:
  name: 测试市科学技术协会
  short_name: 市科协
year: 2021
title: 2021年市科协十件大事
lists:
  - name: 十件大事
    items:
      - title: 第一件事
        paragraphs:
          - 全年举办活动120余场次，参与人数超过3万人。
"""


@pytest.fixture(scope="session")
def all_pdfs(tmp_path_factory):
    """Every data file rendered to PDF with its own theme, and the bulletin with the formal preset."""
    from reportgen.render import render_file

    out = tmp_path_factory.mktemp("all")
    pdfs = {}
    for data in sorted(DATA.glob("*.yaml")):
        pdfs[data.stem] = render_file(data, out, ["pdf"]).outputs[0]
    formal = render_file(DATA_2020, out / "formal", ["pdf", "docx"], theme="formal").outputs
    pdfs["cq-kx-2020-formal"], pdfs["cq-kx-2020-formal-docx"] = formal
    return pdfs


@contextlib.contextmanager
def serving_app(make_app):
    """``make_app(port)`` served by uvicorn on a free loopback port, in a thread: its address."""
    import socket
    import threading
    import time

    import uvicorn

    # the listening socket is made here and handed over: no other process can take the port
    # between finding it free and listening on it (a race that made parallel runs flaky)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(make_app(port), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@contextlib.contextmanager
def serving(folder: Path):
    """The studio on *folder*, served on a free loopback port: its address."""
    from reportgen.studio import create_app

    with serving_app(lambda port: create_app(folder, port=port)) as url:
        yield url
