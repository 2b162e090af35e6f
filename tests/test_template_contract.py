"""One template contract for every format (Datasette tests its template context this way):
every template gets the same plain data with strict names, Word templates included, and
``validate`` names a template's unknown names before any render."""
from __future__ import annotations

import docx
import pytest
from click.testing import CliRunner

from conftest import DATA, MINIMAL, write
from reportgen import layouts
from reportgen.cli import main
from reportgen.errors import RenderError
from reportgen.formats import FORMATS, builtin_templates
from reportgen.io import load_report
from reportgen.render import Context, render_file, resolve_theme
from reportgen.render.context import COMMON_NAMES, template_data, template_names
from reportgen.render.docx.template import TemplateRenderer, template_context as word_context
from reportgen.render.html import template_context as html_context
from reportgen.render.templating import template_problems


def _word_template(folder, *paragraphs):
    (folder / "docx").mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(folder / "docx" / "bulletin.docx")
    return folder


@pytest.mark.parametrize("style", ["bulletin", "formal"])
@pytest.mark.parametrize("layout", layouts.NAMES)
def test_every_builtin_template_uses_only_names_its_context_has(layout, style):
    assert template_problems(layout, style, (builtin_templates(),), tuple(FORMATS), builtin_too=True) == []


def test_html_and_word_templates_get_the_same_data():
    report = load_report(DATA / "cq-kx-2020.yaml")
    ctx = Context(data_dir=DATA.resolve())
    theme = resolve_theme(report, ctx)
    common = template_data(report, theme, ctx)
    assert tuple(common) == COMMON_NAMES
    html = html_context(report, theme, ctx)
    word = word_context(TemplateRenderer(report, theme, ctx), tpl=None)
    assert set(html) <= template_names("html") and set(word) == template_names("docx")
    for name in COMMON_NAMES:  # show_key_figures, watermark … in Word as in HTML
        assert repr(html[name]) == repr(word[name]) or name == "logo_url", name


def test_a_misspelt_name_is_an_error_in_word_as_in_html(tmp_path):
    folder = _word_template(tmp_path / "tpl", "{{ reprot }}")
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match=r"bulletin\.docx: 'reprot' is undefined"):
        render_file(data, tmp_path / "out", ["docx"], template_dirs=[folder])
    assert not (tmp_path / "out").exists()


def test_validate_names_the_unknown_name_of_a_word_template_with_its_paragraph(tmp_path):
    folder = _word_template(tmp_path / "tpl", "{{ report.title }}", "{%p if report.subtitle %}",
                            "{{ reprot.title }}", "{%p endif %}")
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = CliRunner().invoke(main, ["validate", "-f", "docx", "--templates", str(folder), str(data)])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "reprot" in line)
    assert "bulletin.docx, paragraph 3: unknown name 'reprot'" in line
    assert "a template may use: colors, key_figures, logo, logo_url, picture, qr, report, show_key_figures" in line
    # the render itself passes: the branch with the typo is not taken for this data
    assert render_file(data, tmp_path / "out", ["docx"], template_dirs=[folder]).outputs


def test_validate_names_an_unknown_name_on_a_branch_the_data_does_not_take(tmp_path):
    folder = tmp_path / "tpl"
    write(folder, "bulletin.html", '{% extends "builtin/bulletin.html" %}\n'
          '{% block content %}{{ super() }}\n{% if report.subtitle %}{{ sub_title }}{% endif %}{% endblock %}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = CliRunner().invoke(main, ["validate", "-f", "pdf", "--templates", str(folder), str(data)])
    assert result.exit_code == 1
    assert f"{(folder / 'bulletin.html').resolve()}:3: unknown name 'sub_title'" in result.output
    # what templates define themselves is not unknown: set, for, macros, imports
    write(folder, "bulletin.html", '{% extends "builtin/bulletin.html" %}\n{% from "_macros.html" import item_list %}\n'
          '{% block content %}{% set n = 1 %}{% for x in report.lists %}{{ item_list(report, x, theme, index=n) }}'
          '{% endfor %}{% endblock %}')
    ok = CliRunner().invoke(main, ["validate", "-f", "pdf", "--templates", str(folder), str(data)])
    assert ok.exit_code == 0, ok.output


def test_a_word_template_sees_show_key_figures_and_the_watermark(tmp_path):
    folder = _word_template(tmp_path / "tpl", "{{ report.title }}",
                            "{%p if show_key_figures %}", "数说", "{%p endif %}",
                            "[{{ watermark }}]")
    data = write(tmp_path, "r.yaml", MINIMAL)
    (out,) = render_file(data, tmp_path / "out", ["docx"], template_dirs=[folder]).outputs
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[0] == "2021年市科协十件大事" and "[]" in texts and "数说" not in texts
