"""One list of layouts and one table of formats, from which every other place derives."""
from __future__ import annotations

from click.testing import CliRunner

from reportgen import layouts
from reportgen.cli import main
from reportgen.extract import KINDS, PARSERS
from reportgen.formats import FORMATS, builtin_templates
from reportgen.model import LAYOUT_NEEDS, Report


def test_every_place_derives_the_layouts_from_one_list():
    assert tuple(LAYOUT_NEEDS) == layouts.NAMES
    assert tuple(PARSERS) == layouts.NAMES and KINDS == layouts.NAMES
    assert Report.model_json_schema()["properties"]["layout"]["enum"] == list(layouts.NAMES)
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    assert all(name in help_text for name in layouts.NAMES)


def test_every_layout_record_names_code_that_exists():
    from reportgen.render.docx.builder import DocxBuilder
    from reportgen.studio import LABELS as STUDIO_LABELS

    for layout in layouts.LAYOUTS.values():
        assert callable(layouts.load(layout.docx)) and PARSERS[layout.name] is layouts.load(layout.parser)
        assert set(layout.needs) <= set(Report.model_fields) and layout.label
    assert STUDIO_LABELS == layouts.LABELS and DocxBuilder  # the studio's names are the records'


def test_what_a_layout_record_says_is_what_the_report_does():
    """The 数说 panel's default, the year in the title and lists of ten come from the record."""
    from reportgen.io import load_report
    from reportgen.render.key_figures import panel
    from reportgen.theme import Theme
    from reportgen.yearly import consistency_findings
    from conftest import DATA

    for path in sorted(DATA.glob("*.yaml")):
        report = load_report(path)
        record = layouts.get(report.layout)
        assert bool(panel(report, Theme())) == record.key_figures, path.name
        wrong = report.model_copy(update={"title": "1999年" + report.title})
        said = any("标题写的是1999年" in f.chinese for f in consistency_findings(wrong))
        assert said == record.title_names_year, path.name


def test_every_html_format_has_a_builtin_template_for_every_layout():
    for fmt in FORMATS.values():
        if fmt.template.endswith(".html"):
            for layout in layouts.NAMES:
                assert (builtin_templates() / fmt.template_for(layout)).is_file(), (fmt.name, layout)


def test_cli_format_help_and_errors_come_from_the_registry(tmp_path):
    help_text = CliRunner().invoke(main, ["render", "--help"]).output
    assert all(f"{name}:" in " ".join(help_text.split()) for name in FORMATS)
    result = CliRunner().invoke(main, ["render", "x.yaml", "-f", "tiff", "-o", str(tmp_path)])
    assert result.exit_code == 1 and f"choose from {', '.join(FORMATS)}" in result.output


def test_every_renderer_module_has_a_render_function():
    for fmt in FORMATS.values():
        assert callable(fmt.renderer), fmt.name


def _text_format(**fields):
    """A Markdown export as a user would add it: one line in the table, a template per layout."""
    from reportgen.formats import Format

    return Format("md", ".md", "Markdown", "reportgen.render.html", "md/{layout}.md", escape="none", **fields)


def test_a_format_says_which_layouts_it_renders_and_validate_names_the_rest(tmp_path, monkeypatch):
    from conftest import DATA

    monkeypatch.setitem(FORMATS, "md", _text_format(layouts=("bulletin",)))
    news = DATA / "cast-2020-news.yaml"
    result = CliRunner().invoke(main, ["validate", "-f", "md", str(news)])
    assert result.exit_code == 1 and "format md cannot render layout news (it renders bulletin)" in result.output
    rendered = CliRunner().invoke(main, ["render", "-f", "md", "-o", str(tmp_path), str(news)])
    assert rendered.exit_code == 1 and "cannot render layout news" in rendered.output


def test_a_format_that_does_not_escape_prints_r_and_d_as_it_is(tmp_path, monkeypatch):
    from conftest import DATA_2020
    from reportgen.io import load_report
    from reportgen.render import render_context, resolve_theme
    from reportgen.render.html import render_html

    monkeypatch.setitem(FORMATS, "md", _text_format())
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "bulletin.md").write_text("# {{ report.title }}\n", encoding="utf-8")
    report = load_report(DATA_2020).model_copy(update={"title": "R&D <研发> 十件大事"})
    ctx = render_context(report, DATA_2020.parent.resolve(), [tmp_path])
    theme = resolve_theme(report, ctx)
    assert render_html(report, theme, ctx, fmt="md") == "# R&D <研发> 十件大事"
    assert "R&amp;D &lt;研发&gt;" in render_html(report, theme, ctx, fmt="html")


def test_the_studios_exports_and_their_media_types_come_from_the_table():
    from reportgen.studio import EXPORTS

    assert EXPORTS == {name: fmt.label for name, fmt in FORMATS.items() if fmt.label}
    assert set(EXPORTS) == {"pdf", "docx", "wechat", "png"}
    assert all(FORMATS[name].media_type != "application/octet-stream" for name in EXPORTS)
