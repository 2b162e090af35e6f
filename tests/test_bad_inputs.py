"""A corpus of bad inputs (tests/bad/): each gives a one-line error naming the file and the line or
field, a non-zero exit code, and no output file (or only a complete one)."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import MINIMAL, write
from reportgen.cli import main

BAD = Path(__file__).parent / "bad"


def cases():
    out = []
    for path in sorted(BAD.glob("*.yaml")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        expect = re.search(r"^# expect: (.*)$", text, re.M)
        args = re.search(r"^# args: (.*)$", text, re.M)
        if expect is None:  # files that cannot carry a comment say what to expect in cases.txt
            table = dict(line.split("\t") for line in (BAD / "cases.txt").read_text("utf-8").splitlines())
            expected = table[path.name]
        else:
            expected = expect.group(1)
        out.append(pytest.param(path, expected, args.group(1) if args else "", id=path.stem))
    return out


def test_the_corpus_is_large():
    assert len(cases()) >= 50


@pytest.mark.parametrize("path, expected, args", cases())
def test_bad_input(path, expected, args, tmp_path):
    out = tmp_path / "out"
    extra = shlex.split(args.replace("{here}", str(BAD)))
    if "-o" not in extra:
        extra += ["-o", str(out)]
    result = CliRunner().invoke(main, ["render", str(path), "--format", "pdf,docx,html", *extra])
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert "\n" not in message, message
    assert message.startswith("error: ")
    assert expected in message, message
    # it names the file at fault (the data file, or the theme or template it uses) and a line or field
    assert re.match(r"error: /\S+?(:\d+)?: ", message), message
    if out.exists():  # nothing half-written: no temporary files and no partial documents
        assert list(out.iterdir()) == []


def test_huge_string_file(tmp_path):
    path = write(tmp_path, "huge.yaml", MINIMAL.replace("第一件事", "长" * 4_000_000))
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"error: {path}: file is 12.0 MB; data files are limited to 5 MB" in result.output
    assert not (tmp_path / "out").exists()


def test_missing_and_directory_data_file(tmp_path):
    for target in (tmp_path / "nope.yaml", tmp_path):
        result = CliRunner().invoke(main, ["render", str(target), "-o", str(tmp_path / "out")])
        assert result.exit_code == 1 and result.output.startswith(f"error: {target}")


def test_failed_render_keeps_the_previous_output(tmp_path):
    """An existing output is replaced only by a complete new one."""
    good = write(tmp_path, "r.yaml", MINIMAL)
    runner = CliRunner()
    assert runner.invoke(main, ["render", str(good), "-o", str(tmp_path / "out")]).exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    good.write_text(MINIMAL.replace("第一件事", "第一件事\U00030000"), encoding="utf-8")
    assert runner.invoke(main, ["render", str(good), "-o", str(tmp_path / "out")]).exit_code == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = write(tmp_path, "good.yaml", MINIMAL)
    bad = write(tmp_path, "bad.yaml", "year: [\n")
    result = CliRunner().invoke(main, ["render", str(bad), str(good), "-f", "pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good.pdf").exists() and not (tmp_path / "out" / "bad.pdf").exists()


def test_special_characters_render_literally_in_pdf_and_docx(tmp_path):
    import docx
    import pdfplumber

    from conftest import squash

    nasty = "<b>&amp; {{ 1+1 }} {% if %} ]]> \"'</b>"
    quoted = "'" + nasty.replace("'", "''") + "'"
    path = write(tmp_path, "r.yaml", MINIMAL.replace("全年举办活动120余场次，参与人数超过3万人。", quoted))
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "out" / "r.pdf") as pdf:
        assert squash(nasty) in squash(pdf.pages[0].extract_text())
    document = docx.Document(str(tmp_path / "out" / "r.docx"))
    assert any(nasty in p.text for p in document.paragraphs)


# -- property-based: the model and the extractor never fail with anything but a DataError ------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUE = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                     lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
                     max_leaves=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["association", "year", "title", "lists", "layout", "vote", "x"]),
                       VALUE, max_size=5))
def test_model_accepts_or_explains(data):
    from reportgen.errors import DataError
    from reportgen.io import validate_data

    try:
        validate_data(Path("prop.yaml"), data)
    except DataError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("prop.yaml")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(TEXT, st.sampled_from(["", "1 标题", "2. 标题", "十件大事", "[2021-01-01]",
                                                 "- **要点**", "投票网址", "https://a.b/", "本报讯"])),
                max_size=25))
def test_extractor_accepts_or_explains(tmp_path, lines):
    from reportgen.errors import DataError
    from reportgen.extract import extract

    path = tmp_path / "doc.txt"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        extract(path)
    except DataError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
