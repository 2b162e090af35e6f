"""The bulletin PDF: content, fonts, emphasis, coverage errors."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pdfplumber
import pytest

from conftest import DATA_2020, MINIMAL, ROOT, seed_2020_titles, squash, write
from reportgen.errors import FontCoverageError, RenderError
from reportgen.render import render_file
from reportgen.render.fonts import BUNDLED, system_font_files


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def embedded_fonts(path) -> set[str]:
    with pdfplumber.open(path) as pdf:
        return {ch["fontname"] for page in pdf.pages for ch in page.chars}


def bundled_postscript_names() -> set[str]:
    from fontTools.ttLib import TTFont

    names = set()
    for weights in BUNDLED.values():
        for path in weights.values():
            names.add(TTFont(path, lazy=True)["name"].getDebugName(6))
    return names


def test_pdf_contains_every_title(rendered):
    text = squash(pdf_text(rendered["pdf"]))
    for title in seed_2020_titles():
        assert squash(title) in text, title
    assert "2020年市科协十件大事十大亮点" in text
    assert "重庆市科学技术协会" in text


def test_pdf_embeds_only_subset_fonts_from_the_package_or_system(rendered):
    fonts = embedded_fonts(rendered["pdf"])
    assert fonts
    bundled = {n.replace("-", "") for n in bundled_postscript_names()}
    for name in fonts:
        prefix, _, base = name.partition("+")
        assert re.fullmatch(r"[A-Z]{6}", prefix), f"{name} is not a subset font"
        # WeasyPrint writes the family as Noto-Serif-SC(-Bold): compare without dashes
        if base.replace("-", "").replace("Regular", "") in {b.replace("Regular", "") for b in bundled}:
            continue
        family = base.split("-Bold")[0].replace("-", " ")
        assert system_font_files(family), f"{name} is neither bundled nor installed"


def test_figures_are_bold(rendered):
    """13名 in item 1 is drawn with a bold face, the text around it is not."""
    with pdfplumber.open(rendered["pdf"]) as pdf:
        chars = [c for c in pdf.pages[0].chars]
    line = "".join(c["text"] for c in chars)
    start = line.index("13")
    assert "Bold" in chars[start]["fontname"] and "Bold" in chars[start + 1]["fontname"]
    before = line.index("把学习贯彻")
    assert "Bold" not in chars[before]["fontname"]


def test_pdf_has_a4_pages_and_metadata(rendered):
    with pdfplumber.open(rendered["pdf"]) as pdf:
        assert len(pdf.pages) >= 4
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        assert pdf.metadata["Title"] == "2020年市科协十件大事十大亮点"
        assert pdf.metadata["Author"] == "重庆市科学技术协会"


def test_paragraphs_have_2em_indent(rendered):
    """The first line of a body paragraph starts two body characters right of the others."""
    with pdfplumber.open(rendered["pdf"]) as pdf:
        page = pdf.pages[0]
        words = page.extract_text_lines()
    starts = {}
    for line in words:
        starts.setdefault(line["text"][:4], line["x0"])
    first = next(x for t, x in starts.items() if t.startswith("把学习贯"))
    follow = next(x for t, x in starts.items() if t.startswith("取党组会"))
    assert first - follow == pytest.approx(24, abs=0.6)  # 2em at 12 pt


def test_uncovered_character_is_an_error_naming_it(tmp_path):
    path = write(tmp_path, "r.yaml", MINIMAL.replace("第一件事", "第一件事\U00030000"))
    with pytest.raises(FontCoverageError) as info:
        render_file(path, tmp_path / "out", ["pdf"])
    assert "U+30000" in str(info.value) and "十件大事 第1项 title" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_missing_image_is_an_error(tmp_path):
    text = MINIMAL + "        images:\n          - {path: photo.png, caption: 图}\n"
    with pytest.raises(RenderError, match="十件大事 第1项: image 'photo.png' not found"):
        render_file(write(tmp_path, "r.yaml", text), tmp_path / "out", ["pdf", "docx"])


def test_image_with_caption_is_rendered(tmp_path):
    from PIL import Image

    Image.new("RGB", (60, 40), (200, 30, 30)).save(tmp_path / "photo.png")
    text = MINIMAL + "        images:\n          - {path: photo.png, caption: 孩子们在科技馆, credit: 记者 摄}\n"
    result = render_file(write(tmp_path, "r.yaml", text), tmp_path / "out", ["pdf", "docx"])
    pdf = result.outputs[0]
    with pdfplumber.open(pdf) as doc:
        assert doc.pages[0].images, "the image is drawn"
    assert "孩子们在科技馆" in squash(pdf_text(pdf))


def test_renders_without_any_system_font(tmp_path):
    """With fontconfig pointed at no fonts at all, Chinese still renders from the bundled faces."""
    conf = write(tmp_path, "fonts.conf", textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig><dir>{tmp_path}/no-fonts</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>
        """))
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    code = ("import sys; from reportgen.render import render_file; "
            f"render_file({str(DATA_2020)!r}, {str(tmp_path / 'out')!r}, ['pdf'])")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    pdf = tmp_path / "out" / "cq-kx-2020.pdf"
    text = squash(pdf_text(pdf))
    for title in seed_2020_titles():
        assert squash(title) in text
    fonts = {name.split("+")[1] for name in embedded_fonts(pdf)}
    assert fonts <= {"Noto-Serif-SC", "Noto-Serif-SC-Bold", "Noto-Sans-SC", "Noto-Sans-SC-Bold"}, fonts


def test_html_output_is_escaped(tmp_path):
    path = write(tmp_path, "r.yaml", MINIMAL.replace("第一件事", "'<b>&{{ x }}'"))
    out = {p.suffix: p for p in render_file(path, tmp_path / "out", ["html", "pdf"]).outputs}
    html = out[".html"].read_text(encoding="utf-8")
    # (a headline is set phrase by phrase: its text is read without the phrase spans)
    text = re.sub(r'</?span[^>]*>|<!--/hl-->|<br class="hb">', "", html)
    assert "&lt;b&gt;&amp;{{ x }}" in text and "<b>" not in html
    assert "<b>&{{x}}" in squash(pdf_text(out[".pdf"]))


def test_output_is_deterministic(rendered, tmp_path):
    again = render_file(DATA_2020, tmp_path, ["pdf", "docx"])
    assert again.outputs[0].read_bytes() == rendered["pdf"].read_bytes()
    assert again.outputs[1].read_bytes() == rendered["docx"].read_bytes()


def test_logo_in_banner(tmp_path):
    from PIL import Image

    Image.new("RGB", (40, 40), (250, 200, 0)).save(tmp_path / "logo.png")
    text = MINIMAL.replace("  short_name: 市科协", "  short_name: 市科协\n  logo: logo.png")
    result = render_file(write(tmp_path, "r.yaml", text), tmp_path / "out", ["pdf", "docx"])
    with pdfplumber.open(result.outputs[0]) as doc:
        (image,) = doc.pages[0].images
        assert image["top"] < 120  # in the banner
    import docx

    document = docx.Document(str(result.outputs[1]))
    assert len(document.inline_shapes) == 1
    missing = write(tmp_path, "m.yaml", text.replace("logo.png", "nope.png"))
    with pytest.raises(RenderError, match="association.logo: image 'nope.png' not found"):
        render_file(missing, tmp_path / "out2", ["pdf"])


def test_parsed_stylesheets_are_reused_and_change_nothing(tmp_path, monkeypatch):
    """The <style> sheets are parsed once and reused; the PDF is byte-identical to a
    render that leaves them in the document for WeasyPrint to parse. (In-process: the
    cache lives as long as the process that renders, see reportgen.limits.)"""
    from reportgen.render import pdf, render_all

    def pdf_bytes():
        return render_all(DATA_2020, ("pdf",), None, ())[0]["cq-kx-2020.pdf"]

    pdf._STYLE_CACHE.clear()
    cached = pdf_bytes()
    assert len(pdf._STYLE_CACHE) == 1
    pdf_bytes()
    assert len(pdf._STYLE_CACHE) == 1  # the same text: no second parse
    monkeypatch.setattr(pdf, "_take_styles", lambda *args, **kwargs: [])
    uncached = pdf_bytes()
    assert cached == uncached


@pytest.mark.parametrize("rule", ['.banner { background-image: url("file:///etc/hostname"); }',
                                  '@font-face { font-family: X; src: url("file:///etc/hostname"); }'])
def test_refused_stylesheet_resources_are_refused_every_time(tmp_path, rule):
    templates = tmp_path / "tpl"
    write(templates, "bulletin.html", "{% extends 'builtin/bulletin.html' %}"
                                      "{% block extra_style %}" + rule + "{% endblock %}")
    data = write(tmp_path, "r.yaml", MINIMAL)
    for _attempt in range(2):  # a refusal is never cached as a parsed sheet
        with pytest.raises(RenderError, match="refused: outside the data and template folders"):
            render_file(data, tmp_path / "out", ["pdf"], template_dirs=[templates])
    assert not (tmp_path / "out" / "r.pdf").exists()


def test_important_rules_stay_in_the_document(tmp_path):
    """A sheet with !important keeps the author origin (it must still beat style attributes)."""
    from reportgen.render import pdf

    templates = tmp_path / "tpl"
    write(templates, "bulletin.html", "{% extends 'builtin/bulletin.html' %}{% block extra_style %}"
                                      ".item-title-text { color: #00ff00 !important; }{% endblock %}")
    pdf._STYLE_CACHE.clear()
    out = render_file(write(tmp_path, "r.yaml", MINIMAL), tmp_path / "out", ["pdf"],
                      template_dirs=[templates]).outputs[0]
    assert not pdf._STYLE_CACHE
    with pdfplumber.open(out) as doc:
        colours = {tuple(c["non_stroking_color"]) for c in doc.pages[0].chars if c["text"] == "第"}
    assert (0, 1, 0) in colours
