"""Customising: template search path, theme tokens in both renderers, Word-authored templates."""
from __future__ import annotations

import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from conftest import MINIMAL, ROOT, squash, write, text_of
from reportgen.cli import main
from reportgen.render import render_file


def html_of(path, tmp_path, **kw):
    return render_file(path, tmp_path / "out", ["html"], **kw).outputs[0].read_text(encoding="utf-8")


def test_override_one_block_with_extends(tmp_path):
    templates = tmp_path / "mine"
    write(templates, "bulletin.html",
          '{% extends "builtin/bulletin.html" %}{% block footer %}<p class="mine">本会自制</p>{% endblock %}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    html = html_of(data, tmp_path, template_dirs=[templates])
    assert '<p class="mine">本会自制</p>' in html and "第一件事" in text_of(html)  # the rest is the built-in


def test_per_association_template_folder(tmp_path):
    write(tmp_path / "assoc-templates", "bulletin.html",
          '{% extends "builtin/bulletin.html" %}{% block footer %}<p>协会模板</p>{% endblock %}')
    data = write(tmp_path, "r.yaml", MINIMAL + "templates: [assoc-templates]\n")
    assert "<p>协会模板</p>" in html_of(data, tmp_path)
    # --templates comes first on the search path
    write(tmp_path / "cli", "bulletin.html",
          '{% extends "builtin/bulletin.html" %}{% block footer %}<p>命令行模板</p>{% endblock %}')
    html = html_of(data, tmp_path, template_dirs=[tmp_path / "cli"])
    assert "<p>命令行模板</p>" in html and "协会模板" not in html


def test_theme_tokens_reach_both_renderers(tmp_path):
    theme = write(tmp_path, "t.yaml", "extends: default\ncolors: {primary: '#0A5C36', accent: '#EEEEEE'}\n"
                  "page: {margin_left_mm: 30}\nbanner_text: 绿色主题\nbold_figures: false\n")
    data = write(tmp_path, "r.yaml", MINIMAL)
    outputs = {p.suffix: p for p in render_file(data, tmp_path / "out", ["html", "docx"], theme=theme).outputs}
    pdf_html, document = outputs[".html"], outputs[".docx"]
    html = pdf_html.read_text(encoding="utf-8")
    assert "#0A5C36" in html and "30.0mm" in html and 'class="fig"' not in html
    assert "绿色主题" in squash(text_of(html))  # the banner line, set phrase by phrase
    xml = zipfile.ZipFile(document).read("word/document.xml").decode()
    assert 'w:fill="0A5C36"' in xml and "绿色主题" in xml and "<w:b/>" not in xml.split("全年举办")[1][:200]
    section = docx.Document(str(document)).sections[0]
    assert round(section.left_margin.mm) == 30


def test_templates_list_and_export(tmp_path):
    runner = CliRunner()
    mine = tmp_path / "mine"
    write(mine, "bulletin.html", "{% extends 'builtin/bulletin.html' %}")
    listing = runner.invoke(main, ["templates", "list", "--templates", str(mine)]).output
    assert f"{mine}/bulletin.html (overrides built-in)" in listing
    assert "builtin/bulletin.html (overridden)" in listing and "builtin/docx/bulletin.docx" in listing
    result = runner.invoke(main, ["templates", "export", "docx/bulletin.docx", str(tmp_path / "start")])
    assert result.exit_code == 0
    assert (tmp_path / "start" / "docx" / "bulletin.docx").read_bytes()[:2] == b"PK"
    again = runner.invoke(main, ["templates", "export", "docx/bulletin.docx", str(tmp_path / "start")])
    assert again.exit_code == 1 and "use --force" in again.output


def test_word_template_renders_and_keeps_east_asian_fonts(tmp_path):
    template_dir = tmp_path / "tpl" / "docx"
    template_dir.mkdir(parents=True)
    doc = docx.Document()
    doc.add_paragraph("{{ report.title }}")
    doc.add_paragraph("{%p for lst in report.lists %}")
    doc.add_paragraph("{%p for number, item in lst.numbered %}")
    doc.add_paragraph('{{ number }}. {{r item.title | runs("item_title") }}')
    doc.add_paragraph("{%p for text in item.paragraphs %}")
    doc.add_paragraph('{{r text | runs("body", item.metrics, loop.index0) }}')
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(template_dir / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL.replace("第一件事", "第一件事 <&>"))
    (out,) = render_file(data, tmp_path / "out", ["docx"], template_dirs=[tmp_path / "tpl"]).outputs
    result = docx.Document(str(out))
    texts = [p.text for p in result.paragraphs]
    assert texts[0] == "2021年市科协十件大事"
    assert "1. 第一件事 <&>" in texts
    body = next(p for p in result.paragraphs if p.text.startswith("全年举办"))
    assert [r.text for r in body.runs if r.bold] == ["120余场次", "超过3万人"]
    assert all(r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312" for r in body.runs if r.text)
    normal = result.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"  # the theme applies to a Word template too


def test_word_split_tag_is_warned(tmp_path):
    template_dir = tmp_path / "tpl" / "docx"
    template_dir.mkdir(parents=True)
    doc = docx.Document()
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ report.")   # Word split this tag when the user edited it
    paragraph.add_run("title }}").bold = True
    doc.save(template_dir / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = CliRunner().invoke(main, ["render", str(data), "-f", "docx", "-o", str(tmp_path / "out"),
                                       "--templates", str(tmp_path / "tpl")])
    assert result.exit_code == 0
    assert "warning:" in result.output and "tag '{{ report.title }}' is split over 2 runs" in result.output
    assert "2021年市科协十件大事" in docx.Document(str(tmp_path / "out" / "r.docx")).paragraphs[0].text


def test_word_template_errors_are_one_line(tmp_path):
    template_dir = tmp_path / "tpl" / "docx"
    template_dir.mkdir(parents=True)
    doc = docx.Document()
    doc.add_paragraph("{% for x in %}")
    doc.save(template_dir / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = CliRunner().invoke(main, ["render", str(data), "-f", "docx", "-o", str(tmp_path / "out"),
                                       "--templates", str(tmp_path / "tpl")])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "bulletin.docx: template syntax error" in result.output


def test_the_customised_example_builds(tmp_path):
    data = ROOT / "examples" / "custom" / "example-2021.yaml"
    pdf, document = render_file(data, tmp_path, ["pdf", "docx"]).outputs
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        text = squash(page.extract_text())
        assert doc.pages[0].images  # the logo
    assert "示例市科学技术协会·年度亮点" in text and "数说" in text  # theme: banner text, key figures
    assert "2021年12月" in text                                      # the overridden block
    word = docx.Document(str(document))
    assert word.paragraphs[0].text == "示例市科学技术协会 专用模板"       # its own Word template
    assert len(word.inline_shapes) == 1                                # the logo
    assert 'w:fill="12468C"' in zipfile.ZipFile(document).read("word/document.xml").decode()


def test_theme_logo_overrides_the_association_logo(tmp_path):
    from PIL import Image

    theme = write(tmp_path / "themes", "t.yaml", "extends: default\nlogo: theme-logo.png\n")
    Image.new("RGB", (30, 30), (10, 200, 10)).save(tmp_path / "themes" / "theme-logo.png")
    data = write(tmp_path / "data", "r.yaml", MINIMAL)
    pdf, document = render_file(data, tmp_path / "out", ["pdf", "docx"], theme=theme).outputs
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[0].images) == 1
    assert len(docx.Document(str(document)).inline_shapes) == 1
    missing = write(tmp_path / "themes", "m.yaml", "extends: default\nlogo: nope.png\n")
    with pytest.raises(Exception, match="theme.logo: image 'nope.png' not found"):
        render_file(data, tmp_path / "out2", ["pdf"], theme=missing)
    outside = write(tmp_path / "themes", "o.yaml", "extends: default\nlogo: ../data/secret.png\n")
    with pytest.raises(Exception, match="o.yaml:2: logo: logo '../data/secret.png' is outside the theme's folder"):
        render_file(data, tmp_path / "out3", ["pdf"], theme=outside)


def _saved_elsewhere(tmp_path, rename) -> "object":
    """The shipped bulletin template with its built-in styles renamed as another program saves
    them (*rename*: (style id, w:name) → (new id, new name) or None to delete the style)."""
    from reportgen.formats import builtin_templates

    doc = docx.Document(str(builtin_templates() / "docx" / "bulletin.docx"))
    root = doc.styles.element
    ids = {}
    for style in list(root.iterchildren(qn("w:style"))):
        name = style.find(qn("w:name"))
        old = (style.get(qn("w:styleId")), name.get(qn("w:val")) if name is not None else None)
        new = rename(*old)
        if new is None:
            root.remove(style)
        elif new != old:
            style.set(qn("w:styleId"), new[0])
            name.set(qn("w:val"), new[1])
            ids[old[0]] = new[0]
    for ref in root.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
        ref.set(qn("w:val"), ids.get(ref.get(qn("w:val")), ref.get(qn("w:val"))))
    folder = tmp_path / "tpl" / "docx"
    folder.mkdir(parents=True)
    doc.save(folder / "bulletin.docx")
    return tmp_path / "tpl"


@pytest.mark.parametrize("program", ["libreoffice", "wps"])
def test_a_word_template_saved_by_another_program_renders(tmp_path, program):
    """LibreOffice names the headings "Heading 1" (Word: "heading 1"); WPS and a Chinese Word
    keep the names under numeric ids ("1", "2"): styles are found by identity, not label."""
    numbers = {"Normal": "1", "Heading1": "2", "Heading2": "3", "Heading3": "4", "Title": "5"}

    def rename(ident, name):
        if program == "libreoffice" and name and name.startswith("heading "):
            return ident, name.title()
        if program == "wps" and ident in numbers:
            return numbers[ident], name
        return ident, name

    folder = _saved_elsewhere(tmp_path, rename)
    data = ROOT / "tests" / "fixtures" / "cq-kx-2020.yaml"
    result = CliRunner().invoke(main, ["render", str(data), "-f", "docx", "-o", str(tmp_path / "out"),
                                       "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    out = docx.Document(str(tmp_path / "out" / "cq-kx-2020.docx"))
    assert "“市会合作”迈上新台阶" in squash(" ".join(p.text for p in out.paragraphs))
    heading = next(s for s in out.styles if s.element.name_val.lower() == "heading 1")
    assert heading.element.rPr.rFonts.get(qn("w:eastAsia"))  # the theme's heading face reached it


def test_a_word_template_without_the_normal_style_is_one_chinese_line(tmp_path):
    folder = _saved_elsewhere(tmp_path, lambda ident, name: None if ident == "Normal" else (ident, name))
    data = ROOT / "tests" / "fixtures" / "cq-kx-2020.yaml"
    result = CliRunner().invoke(main, ["render", str(data), "-f", "docx", "-o", str(tmp_path / "out"),
                                       "--templates", str(folder)])
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "Word 模板 bulletin.docx 缺少样式“正文（Normal）”" in result.output
    assert not (tmp_path / "out" / "cq-kx-2020.docx").exists()


def test_the_offices_templates_folder_comes_first_in_the_studio_and_templates_export(tmp_path, monkeypatch):
    """The top-level templates/ (issue 33 item 6): `templates export` copies into it by default,
    and the studio started with --templates renders every preview and export through it."""
    import shutil

    from starlette.testclient import TestClient

    from conftest import DATA_2020
    from reportgen.checks.channels import pdf_text
    from reportgen.studio import create_app

    monkeypatch.chdir(tmp_path)
    exported = CliRunner().invoke(main, ["templates", "export", "bulletin.html"])
    assert exported.exit_code == 0 and (tmp_path / "templates" / "bulletin.html").is_file()
    (tmp_path / "templates" / "bulletin.html").write_text(
        '{% extends "base.html" %}{% block banner %}<h1>本会自己的版头</h1>{% endblock %}', encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA_2020, folder / DATA_2020.name)
    client = TestClient(create_app(folder, port=8765, template_dirs=(tmp_path / "templates",)),
                        base_url="http://127.0.0.1:8765")
    exported_pdf = client.get(f"/doc/{DATA_2020.name}/export/pdf")
    assert exported_pdf.status_code == 200 and "本会自己的版头" in pdf_text(exported_pdf.content).replace(" ", "")
    plain = TestClient(create_app(folder, port=8765), base_url="http://127.0.0.1:8765")
    assert "本会自己的版头" not in pdf_text(plain.get(f"/doc/{DATA_2020.name}/export/pdf").content)
    missing = CliRunner().invoke(main, ["serve", str(folder), "--no-browser", "--templates", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no such folder" in missing.output
