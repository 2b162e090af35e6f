"""Batch builds from a manifest: workers, incremental hashing, failures, executors, Dask."""
from __future__ import annotations

import concurrent.futures as cf
import time

import pytest
from click.testing import CliRunner

from conftest import MINIMAL, ROOT, write
from reportgen.batch import build, read_manifest
from reportgen.cli import main
from reportgen.errors import DataError


@pytest.fixture
def workspace(tmp_path):
    """Two associations' data files and a manifest building both."""
    data = tmp_path / "data"
    data.mkdir()
    write(data, "a-2021.yaml", MINIMAL)
    write(data, "b-2021.yaml", MINIMAL.replace("测试市", "样例市"))
    manifest = write(tmp_path, "build.yaml", "out: out\nformats: [pdf, docx]\ndocuments:\n  - glob: data/*.yaml\n")
    return tmp_path, manifest


def test_manifest_jobs(workspace):
    root, manifest = workspace
    jobs = read_manifest(manifest)
    assert [j.data.name for j in jobs] == ["a-2021.yaml", "b-2021.yaml"]
    assert all(j.out_dir == (root / "out").resolve() and j.formats == ("pdf", "docx") for j in jobs)


def test_manifest_toml(tmp_path):
    write(tmp_path, "d.yaml", MINIMAL)
    manifest = write(tmp_path, "build.toml", 'out = "o"\nformats = ["pdf"]\n[[documents]]\ndata = "d.yaml"\ntheme = "formal"\n')
    (job,) = read_manifest(manifest)
    assert (job.theme, job.formats, job.out_dir.name) == ("formal", ("pdf",), "o")


@pytest.mark.parametrize("text, message", [
    ("documents: []\n", "needs a non-empty 'documents' list"),
    ("documents:\n  - glob: nothing/*.yaml\n", "matches no file"),
    ("documents:\n  - {data: a.yaml, glob: '*.yaml'}\n", "exactly one of 'data' or 'glob'"),
    ("outt: x\ndocuments: [a.yaml]\n", "outt: unknown field"),
    ("documents: [a.yaml, a.yaml]\n", "two documents would write"),
])
def test_bad_manifests(tmp_path, text, message):
    write(tmp_path, "a.yaml", MINIMAL)
    with pytest.raises(DataError, match=message):
        read_manifest(write(tmp_path, "m.yaml", text))


def test_incremental_build(workspace):
    root, manifest = workspace
    first = build(read_manifest(manifest), jobs_n=2)
    assert [r.status for r in first.results] == ["rendered", "rendered"]
    assert sorted(p.name for p in (root / "out").iterdir()) == [
        ".reportgen-build.json", "a-2021.docx", "a-2021.pdf", "b-2021.docx", "b-2021.pdf"]
    again = build(read_manifest(manifest), jobs_n=2)
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    # changing one data file renders that one again
    path = root / "data" / "b-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("第一件事", "第一件大事"), encoding="utf-8")
    assert [r.status for r in build(read_manifest(manifest)).results] == ["unchanged", "rendered"]
    # a deleted output is rendered again
    (root / "out" / "a-2021.pdf").unlink()
    assert [r.status for r in build(read_manifest(manifest)).results] == ["rendered", "unchanged"]
    # --force renders everything
    assert [r.status for r in build(read_manifest(manifest), force=True).results] == ["rendered", "rendered"]


def test_template_or_theme_change_renders_again(workspace):
    root, manifest = workspace
    templates = root / "tpl"
    templates.mkdir()
    write(templates, "bulletin.html", '{% extends "builtin/bulletin.html" %}')
    manifest.write_text("out: out\nformats: [pdf]\ntemplates: [tpl]\ndocuments:\n  - glob: data/*.yaml\n",
                        encoding="utf-8")
    build(read_manifest(manifest))
    assert {r.status for r in build(read_manifest(manifest)).results} == {"unchanged"}
    time.sleep(0.01)
    write(templates, "bulletin.html", '{% extends "builtin/bulletin.html" %}{# changed #}')
    assert {r.status for r in build(read_manifest(manifest)).results} == {"rendered"}


def test_one_failure_does_not_stop_the_others(workspace):
    root, manifest = workspace
    write(root / "data", "c-2021.yaml", MINIMAL.replace("year: 2021", "year: nope"))
    result = CliRunner().invoke(main, ["build", str(manifest), "-j", "2", "--quiet"])
    assert result.exit_code == 1
    assert "2 rendered, 0 unchanged, 1 failed" in result.output
    assert "c-2021.yaml:4: year: Input should be a valid integer" in result.output
    assert (root / "out" / "a-2021.pdf").exists() and (root / "out" / "b-2021.pdf").exists()
    assert not (root / "out" / "c-2021.pdf").exists()


def test_any_executor(workspace):
    root, manifest = workspace
    with cf.ThreadPoolExecutor(2) as pool:
        report = build(read_manifest(manifest), executor=pool)
    assert [r.status for r in report.results] == ["rendered", "rendered"]


@pytest.mark.slow
def test_dask_local_cluster(workspace):
    distributed = pytest.importorskip("distributed")
    root, manifest = workspace
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        result = CliRunner().invoke(main, ["build", str(manifest), "--scheduler", cluster.scheduler_address,
                                           "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 rendered, 0 unchanged, 0 failed" in result.output
    assert (root / "out" / "b-2021.docx").exists()


@pytest.mark.slow
def test_unreachable_scheduler(workspace):
    pytest.importorskip("distributed")
    _, manifest = workspace
    result = CliRunner().invoke(main, ["build", str(manifest), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output


def test_examples_manifest_builds_every_data_file(tmp_path):
    # every data file of data/ (whatever the office keeps there: the test does not read it)
    assert "- glob: ../data/*.yaml" in (ROOT / "examples" / "all.yaml").read_text(encoding="utf-8")
    jobs = read_manifest(ROOT / "examples" / "all.yaml", allow_outside=True)
    assert all(set(j.formats) == {"pdf", "docx", "wechat", "png"} for j in jobs)  # every channel


def test_association_template_change_renders_again(tmp_path):
    write(tmp_path / "own", "bulletin.html", '{% extends "builtin/bulletin.html" %}')
    write(tmp_path, "a.yaml", MINIMAL + "templates: [own]\n")
    manifest = write(tmp_path, "m.yaml", "formats: [html]\ndocuments: [a.yaml]\n")
    build(read_manifest(manifest))
    assert [r.status for r in build(read_manifest(manifest)).results] == ["unchanged"]
    write(tmp_path / "own", "bulletin.html", '{% extends "builtin/bulletin.html" %}{# v2 #}')
    assert [r.status for r in build(read_manifest(manifest)).results] == ["rendered"]


def test_build_speaks_one_vocabulary_and_quiet_prints_no_table(workspace):
    root, manifest = workspace
    CliRunner().invoke(main, ["build", str(manifest), "--quiet"])
    again = CliRunner().invoke(main, ["build", str(manifest)])
    assert "unchanged" in again.output and "skipped" not in again.output
    quiet = CliRunner().invoke(main, ["build", str(manifest), "--quiet"])
    assert quiet.exit_code == 0 and quiet.output.strip() == "0 rendered, 2 unchanged, 0 failed"


def test_a_failed_documents_last_outputs_do_not_stay_to_look_current(workspace):
    root, manifest = workspace
    assert CliRunner().invoke(main, ["build", str(manifest), "--quiet"]).exit_code == 0
    assert (root / "out" / "b-2021.pdf").exists()
    path = root / "data" / "b-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2021", "year: nope"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(manifest), "--quiet"])
    assert result.exit_code == 1 and "1 failed" in result.output
    assert "removed the outputs of its last build" in result.output and "b-2021.pdf" in result.output
    assert not (root / "out" / "b-2021.pdf").exists() and not (root / "out" / "b-2021.docx").exists()
    assert (root / "out" / "a-2021.pdf").exists()
    # a file of the user's own that no build made is never removed
    (root / "out" / "c-2021.pdf").write_bytes(b"%PDF-mine")
    write(root / "data", "c-2021.yaml", MINIMAL.replace("year: 2021", "year: nope"))
    CliRunner().invoke(main, ["build", str(manifest), "--quiet"])
    assert (root / "out" / "c-2021.pdf").read_bytes() == b"%PDF-mine"


def test_html_is_portable(tmp_path):
    """--format html: fonts and images beside the page, referenced relatively; no file:// URL."""
    import re as _re
    import shutil

    from reportgen.render import render_file

    data = tmp_path / "data"
    data.mkdir()
    from PIL import Image
    Image.new("RGB", (40, 30), "red").save(data / "现场 照片.png")
    text = MINIMAL.replace("          - 全年举办活动120余场次，参与人数超过3万人。\n",
                           "          - 全年举办活动120余场次，参与人数超过3万人。\n"
                           "        images:\n          - path: 现场 照片.png\n            caption: 活动现场\n")
    source = write(data, "a-2021.yaml", text)
    out = tmp_path / "out"
    outputs = render_file(source, out, ["html"]).outputs
    page = (out / "a-2021.html").read_text(encoding="utf-8")
    assert "file://" not in page and "/reportgen-files/" not in page
    referenced = _re.findall(r'(?:src="|url\(")([^"]+)"', page)
    assert any(r.endswith(".woff") for r in referenced) and any(r.endswith(".png") for r in referenced)
    moved = tmp_path / "elsewhere"
    shutil.copytree(out, moved)
    for ref in referenced:
        assert (moved / ref).is_file(), ref
    assert {p.name for p in outputs} >= {"a-2021.html"}
    # the fonts hold the page's characters (subset), not the whole 7 000
    from fontTools.ttLib import TTFont
    font = TTFont(moved / "a-2021.files" / "NotoSerifSC-Regular.woff")
    assert "十" in "".join(map(chr, font.getBestCmap())) and len(font.getBestCmap()) < 500
