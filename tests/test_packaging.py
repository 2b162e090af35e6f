"""A wheel carries the templates and fonts, and an installed wheel renders."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import DATA_2020, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True)
    (path,) = out.glob("reportgen-*.whl")
    return path


@pytest.mark.slow
def test_wheel_contains_templates_and_fonts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("reportgen/templates/base.html", "reportgen/templates/bulletin.html",
                 "reportgen/templates/style.css", "reportgen/templates/themes/default.yaml",
                 "reportgen/templates/themes/formal.yaml", "reportgen/templates/docx/bulletin.docx",
                 "reportgen/templates/docx/news.docx",
                 "reportgen/fonts/NotoSerifSC-Regular.otf", "reportgen/fonts/NotoSansSC-Bold.otf",
                 "reportgen/fonts/OFL.txt", "reportgen/checks/rules/wording.yaml",
                 "reportgen/checks/rules/punctuation.yaml", "reportgen/checks/rules/numerals.yaml",
                 "reportgen/checks/rules/privacy.yaml"):
        assert name in names, name


@pytest.mark.slow
def test_installed_wheel_renders(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import reportgen.render as r; "
            "from reportgen.formats import builtin_templates as b; "
            "assert str(b()).startswith(sys.argv[1]), b(); "
            "r.render_file(sys.argv[2], sys.argv[3], ['pdf', 'docx'])")
    subprocess.run([sys.executable, "-c", code, str(target), str(DATA_2020), str(tmp_path / "out")],
                   check=True, cwd=tmp_path)
    assert (tmp_path / "out" / "cq-kx-2020.pdf").stat().st_size > 10_000
