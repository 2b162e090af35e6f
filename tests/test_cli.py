"""The reportgen command, run as a user would."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import DATA_2020, MINIMAL, write
from reportgen.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def reportgen_command() -> str:
    """The installed console script (next to this interpreter, in a virtualenv)."""
    beside = Path(sys.executable).parent / "reportgen"
    return str(beside) if beside.exists() else shutil.which("reportgen")


def test_render_writes_pdf_and_docx(tmp_path):
    result = subprocess.run([reportgen_command(), "render", str(DATA_2020), "--format", "pdf,docx",
                             "-o", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cq-kx-2020.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "cq-kx-2020.docx").read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cq-kx-2020.docx", "cq-kx-2020.pdf"]


def test_validate_ok():
    result = run("validate", DATA_2020)
    assert result.exit_code == 0
    assert "ok (市科协 2020, 2 lists, 20 items, 5 language findings: see 'reportgen check')" in result.output


def test_validate_lists_every_error_with_line(tmp_path):
    bad = write(tmp_path, "bad.yaml", MINIMAL.replace("year: 2021", "year: 1800").replace(
        "title: 2021年市科协十件大事", "title: " + "长" * 201))
    result = run("validate", bad)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"error: {bad}:4: year: Input should be greater than or equal to 1949" in lines
    assert any(line.startswith(f"error: {bad}:5: title:") for line in lines)


def test_render_bad_data_one_line_error_and_no_output(tmp_path):
    bad = write(tmp_path, "bad.yaml", MINIMAL.replace("year: 2021", "year: 20x1"))
    result = run("render", bad, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and f"{bad}:4: year:" in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_format(tmp_path):
    result = run("render", DATA_2020, "--format", "odt", "-o", tmp_path)
    assert result.exit_code == 1 and "unknown format odt" in result.output


def test_schema_is_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "lists" in schema["properties"]
    theme = json.loads(run("schema", "--theme").output)
    assert "fonts" in theme["properties"]


def test_schema_never_overwrites_a_different_file_without_force(tmp_path):
    target = tmp_path / "report.schema.json"
    target.write_text("{}\n", encoding="utf-8")
    result = run("schema", "-o", target)
    assert result.exit_code == 1 and "use --force" in result.output
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert run("schema", "--force", "-o", target).exit_code == 0
    assert "lists" in json.loads(target.read_text(encoding="utf-8"))["properties"]
    assert run("schema", "-o", target).exit_code == 0          # the same text again: nothing to lose


def test_doctor_reports_harfbuzz_subset():
    result = run("doctor")
    assert "HarfBuzz subsetter" in result.output
    assert "bundled font Noto Serif SC: regular and bold present" in result.output


def test_help_does_not_import_weasyprint():
    code = "import sys; from reportgen.cli import main; assert 'weasyprint' not in sys.modules; print('ok')"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "ok\n"


def test_doctor_says_when_harfbuzz_subset_is_missing(monkeypatch):
    from weasyprint.text import ffi

    from reportgen.doctor import run_checks

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    (check,) = [c for c in run_checks() if c.name == "HarfBuzz subsetter"]
    assert not check.ok and check.required
    assert "apt-get install libharfbuzz-subset0" in check.detail


def test_unexpected_failures_are_one_line(tmp_path, monkeypatch):
    import reportgen.render as render

    def broken(*args, **kwargs):
        raise ZeroDivisionError("inside the layout engine")

    monkeypatch.setattr(render, "render_bytes", broken)
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = run("render", data, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip() == (f"error: {data}: rendering failed (ZeroDivisionError: inside the layout "
                                     "engine); REPORTGEN_DEBUG=1 shows the traceback")
