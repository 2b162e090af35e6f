"""Templates are untrusted: they see plain data, call nothing but helpers, read no file
outside their folder (red-team findings of issue 20, each kept as a reproduction)."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import docx
import pytest
from click.testing import CliRunner
from markupsafe import Markup

from conftest import DATA, MINIMAL, write, text_of
from reportgen.cli import main
from reportgen.errors import RenderError
from reportgen.io import load_report
from reportgen.render import Context, render_file, resolve_theme
from reportgen.render.docx.template import TemplateRenderer, template_context as word_context
from reportgen.render.html import template_context as html_context
from reportgen.render.view import PLAIN_TYPES, Helper, Record, walk

PICKLE = "cos\\nsystem\\n(S'touch {marker}'\\ntR0(d."
EXPLOIT = '{{% set _ = colors.parse_raw("{payload}", proto="pickle", allow_pickle=True) %}}'


def _assert_plain(context: dict) -> None:
    for name, value in context.items():
        for path, obj in walk(value, name):
            assert isinstance(obj, (Record, tuple) + PLAIN_TYPES) or \
                (isinstance(obj, Helper) and path in ("qr", "picture")), f"{path}: {type(obj).__name__}"


@pytest.mark.parametrize("data", sorted(DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_object_a_template_can_reach_is_plain_data(data, tmp_path):
    report = load_report(data)
    ctx = Context(data_dir=data.parent.resolve())
    theme = resolve_theme(report, ctx)
    _assert_plain(html_context(report, theme, ctx))
    _assert_plain(word_context(TemplateRenderer(report, theme, ctx), tpl=None))


def _html_template(tmp_path, body: str):
    folder = tmp_path / "tpl"
    write(folder, "bulletin.html", body)
    return folder


def test_pickle_exploit_from_a_user_template_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    folder = _html_template(tmp_path, EXPLOIT.format(payload=PICKLE.format(marker=marker)))
    data = write(tmp_path, "r.yaml", MINIMAL)
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(tmp_path / "out"), "-f", "html",
                                       "--templates", str(folder)])
    assert result.exit_code == 1 and not marker.exists()
    assert result.output.count("\n") == 1 and "parse_raw" in result.output
    assert not (tmp_path / "out").exists()


def test_pickle_exploit_from_a_word_template_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    folder = tmp_path / "tpl" / "docx"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph(EXPLOIT.format(payload=PICKLE.format(marker=marker)))
    document.save(folder / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL + "templates: [tpl]\n")
    with pytest.raises(RenderError, match="parse_raw"):
        render_file(data, tmp_path / "out", ["docx"])
    assert not marker.exists()


ESCAPES = [
    "{{ report.__class__ }}",
    "{{ report.title.__class__.__mro__ }}",
    "{{ report.model_dump() }}",
    "{{ report.title.upper() }}",
    "{{ report.lists.count(1) }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ (report | attr('__class__')) }}",
    "{{ report.title.format }}",
    "{% set d = dict(a=1) %}{{ d.clear() }}",
    "{{ theme.model_copy }}",
    "{{ colors.parse_raw }}",
    "{{ '%s' % report.title.__class__ }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_no_attribute_or_method_outside_the_data(body, tmp_path):
    folder = _html_template(tmp_path, body)
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError) as error:
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])
    assert "\n" not in str(error.value)


def test_plain_data_still_renders_what_templates_need(tmp_path):
    folder = _html_template(tmp_path, (
        "{% for lst in report.lists %}{{ lst.heading }}|{% for n, item in lst.numbered %}{{ n }}={{ item.title }}"
        "{% if not loop.last %},{% endif %}{% endfor %}{% endfor %}|{{ report.year }}|{{ theme.page.size }}|"
        "{% set ns = namespace(k=0) %}{% for i in range(3) %}{% set ns.k = ns.k + i %}{% endfor %}{{ ns.k }}|"
        "{{ loop_test if false else 'ok' }}"))
    data = write(tmp_path, "r.yaml", MINIMAL)
    html = render_file(data, tmp_path / "out", ["html"], template_dirs=[folder]).outputs[0].read_text()
    assert html == "2021年市科协十件大事|1=第一件事|2021|A4|3|ok"


def test_extends_and_super_still_work(tmp_path):
    folder = _html_template(tmp_path, '{% extends "builtin/bulletin.html" %}'
                                      '{% block content %}<p>前言</p>{{ super() }}{% endblock %}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    html = render_file(data, tmp_path / "out", ["html"], template_dirs=[folder]).outputs[0].read_text()
    assert "<p>前言</p>" in html and "第一件事" in text_of(html)


def test_old_method_calls_get_a_hint(tmp_path):
    folder = _html_template(tmp_path, "{% for lst in report.lists %}{{ report.list_heading(lst) }}{% endfor %}")
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="lst.heading"):
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])


def test_repetition_bomb_is_refused_before_it_is_built(tmp_path):
    folder = _html_template(tmp_path, '{% set x = "十" * 1000000000 %}{{ x }}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="longer than"):
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])


def test_output_bomb_stops_at_the_output_limit(tmp_path):
    folder = _html_template(tmp_path, '{% set x = "十" * 1000000 %}{% for i in range(100000) %}{{ x }}{% endfor %}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="template output passed"):
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])


def test_power_bomb_is_refused(tmp_path):
    folder = _html_template(tmp_path, "{{ 10 ** 100000000 }}")
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="too large"):
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])


# -- files: templates and Word templates stay inside their folders -------------------------------

def test_include_through_a_symlink_out_of_the_folder_is_refused(tmp_path):
    secret = write(tmp_path / "private", "secret.txt", "机密内容")
    folder = _html_template(tmp_path, '{% include "leak.html" %}')
    os.symlink(secret, folder / "leak.html")
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="outside its folder"):
        render_file(data, tmp_path / "out", ["html", "pdf"], template_dirs=[folder])
    assert not (tmp_path / "out").exists()


def test_include_with_dot_dot_is_refused(tmp_path):
    write(tmp_path, "secret.html", "机密内容")
    folder = _html_template(tmp_path, '{% include "../secret.html" %}')
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="not found"):
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder])


def test_symlinked_word_template_is_refused(tmp_path):
    private = tmp_path / "private.docx"
    docx.Document().save(private)
    folder = tmp_path / "tpl" / "docx"
    folder.mkdir(parents=True)
    os.symlink(private, folder / "bulletin.docx")
    data = write(tmp_path, "r.yaml", MINIMAL)
    with pytest.raises(RenderError, match="outside its folder"):
        render_file(data, tmp_path / "out", ["docx"], template_dirs=[tmp_path / "tpl"])


def test_data_text_cannot_become_a_word_template_tag(tmp_path):
    data = write(tmp_path, "r.yaml", MINIMAL.replace("第一件事", "第一件事{_{ report.year }_}"))
    out = render_file(data, tmp_path / "out", ["docx"]).outputs[0]
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "第一件事{_{ report.year }_}" in text


def test_plain_values_are_the_allowed_leaf_types():
    assert {str, Markup, int, float, bool, Decimal, dt.date, type(None)} == set(PLAIN_TYPES)
