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
