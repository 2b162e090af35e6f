"""The Word file says it is Chinese and carries its fonts: what a machine without the
official faces (or without any Chinese font) shows is the bundled faces, never boxes."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from fontTools.ttLib import TTFont

from conftest import DATA, DATA_2020, squash
from reportgen.io import load_report
from reportgen.render import render_file
from reportgen.render.docx.chinese import obfuscate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENTS = sorted(DATA.glob("*.yaml"))


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    files = {data.stem: render_file(data, out, ["docx"]).outputs[0] for data in DOCUMENTS}
    files["formal"] = render_file(DATA_2020, out / "formal", ["docx"], theme="formal").outputs[0]
    return files


def _xml(path, part) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(part).decode("utf-8")


@pytest.mark.parametrize("name", [d.stem for d in DOCUMENTS] + ["formal"])
def test_the_document_is_chinese_and_names_no_japanese_face(docx_files, name):
    path = docx_files[name]
    settings, styles, fonts = (_xml(path, f"word/{p}.xml") for p in ("settings", "styles", "fontTable"))
    assert 'w:eastAsia="zh-CN"' in settings.split("themeFontLang")[1][:80]
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', styles)
    with zipfile.ZipFile(path) as package:
        everything = "".join(package.read(n).decode("utf-8", "ignore") for n in package.namelist() if n.endswith(".xml"))
    for japanese in ("ＭＳ 明朝", "ＭＳ ゴシック", "ja-JP"):
        assert japanese not in everything
    assert re.search(r'<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>', fonts)


@pytest.mark.parametrize("name", [d.stem for d in DOCUMENTS] + ["formal"])
def test_the_fonts_it_needs_are_embedded_as_truetype_subsets(docx_files, name):
    path = docx_files[name]
    fonts = _xml(path, "word/fontTable.xml")
    rels = _xml(path, "word/_rels/fontTable.xml.rels")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    embeds = re.findall(r'<w:embed(Regular|Bold) r:id="(rId\d+)" w:fontKey="(\{[0-9A-F-]+\})"', fonts)
    assert embeds, "no font embedded"
    covered: set[int] = set()
    with zipfile.ZipFile(path) as package:
        types = package.read("[Content_Types].xml").decode()
        assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
        document = package.read("word/document.xml").decode("utf-8")
        for _, rid, key in embeds:
            font = TTFont(io.BytesIO(obfuscate(package.read("word/" + targets[rid]), key)))
            assert "glyf" in font and "CFF " not in font  # TrueType outlines: Word embeds only those
            covered |= set(font.getBestCmap())
    drawn = {ord(ch) for ch in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document)) if ord(ch) > 0x2e7f}
    assert drawn <= covered, "".join(sorted(chr(c) for c in drawn - covered))[:50]
    settings = _xml(path, "word/settings.xml")
    assert "<w:embedTrueTypeFonts/>" in settings and "<w:saveSubsetFonts/>" in settings


def test_the_bulletin_with_fonts_stays_small(docx_files):
    assert docx_files["cq-kx-2020"].stat().st_size <= 3 * 1024 * 1024


def test_no_embed_fonts_leaves_them_out(tmp_path):
    from click.testing import CliRunner

    from reportgen.cli import main

    result = CliRunner().invoke(main, ["render", str(DATA_2020), "-f", "docx", "-o", str(tmp_path), "--no-embed-fonts"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "cq-kx-2020.docx") as package:
        assert not any(n.startswith("word/fonts/") for n in package.namelist())
        assert "zh-CN" in package.read("word/settings.xml").decode()


def _as_seen_without_chinese_fonts(docx, out):
    """LibreOffice with only DejaVu visible (as shared/tools/docx-as-seen-without-fonts does)."""
    dejavu = "/usr/share/fonts/truetype/dejavu"
    conf = out / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{dejavu}</dir>'
                    f"<cachedir>{out / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(out / "home")}
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   env=env, check=True, capture_output=True, timeout=300)
    return out / (docx.stem + ".pdf")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
@pytest.mark.parametrize("name", [d.stem for d in DOCUMENTS])
def test_libreoffice_without_chinese_fonts_draws_every_title(docx_files, name, tmp_path):
    import pdfplumber

    pdf = _as_seen_without_chinese_fonts(docx_files[name], tmp_path)
    faces = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto" in faces
    assert not re.search(r"Droid|WenQuanYi|Unifont|AR ?PL", faces)
    # poppler's reading order follows the two columns of the ballot and the report
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    with pdfplumber.open(pdf) as document:
        pages = len(document.pages)
        for page in document.pages:  # and column by column, where a title wraps inside its column
            half = page.width / 2
            text += "|" + squash(page.crop((0, 0, half, page.height)).extract_text() or "")
            text += "|" + squash(page.crop((half, 0, page.width, page.height)).extract_text() or "")
    report = load_report(DATA / f"{name}.yaml")
    for lst in report.all_lists():
        for item in lst.items:
            assert squash(item.title) in text, item.title
    with pdfplumber.open(render_file(DATA / f"{name}.yaml", tmp_path / "pdf", ["pdf"]).outputs[0]) as ours:
        assert abs(len(ours.pages) - pages) <= 1, (len(ours.pages), pages)
