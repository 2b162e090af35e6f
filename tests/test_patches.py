"""The replacements of library internals (render/patches.py) are gated, and rendering works
without them: the library's own behaviour is the fallback."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import DATA_2020, ROOT


def _run(code: str) -> str:
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / 'src')!r})
    """) + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                          timeout=300).stdout


def test_patches_are_active_on_the_tested_weasyprint():
    out = _run("""
        import zlib, pydyf
        from reportgen.render.patches import install
        state = install()
        print(state["justification"], state["zlib level"].split(":")[0], pydyf.zlib is zlib)
    """)
    assert out.split() == ["active", "active", "False"]


def test_an_untested_weasyprint_renders_with_its_own_behaviour(tmp_path):
    out = _run(f"""
        import zlib, pydyf, weasyprint
        from weasyprint.layout import inline
        original = inline.justify_line
        weasyprint.__version__ = "99.0"
        from reportgen.render.patches import install
        state = install()
        from reportgen.render import render_file
        pdf = render_file({str(DATA_2020)!r}, {str(tmp_path)!r}, ["pdf"]).outputs[0]
        print(state["justification"].split(":")[0], pydyf.zlib is zlib, inline.justify_line is original,
              pdf.read_bytes()[:5].decode())
    """)
    assert out.split() == ["off", "True", "True", "%PDF-"]
