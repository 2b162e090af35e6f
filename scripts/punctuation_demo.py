#!/usr/bin/env python3
"""Render docs/punctuation-squeeze.png: one sentence without and with punctuation squeezing.

    python scripts/punctuation_demo.py     (needs pdftoppm from poppler-utils)
"""
import subprocess
import tempfile
from pathlib import Path

from markupsafe import escape

from reportgen.render.filters import typeset
from reportgen.render.fonts import font_face_css
from reportgen.render.pdf import html_to_pdf

ROOT = Path(__file__).resolve().parents[1]
TEXT = "报道称：“会议圆满成功。”（见附件），《通知》《方案》均已印发。"

html = f"""<html><head><style>{font_face_css()}
@page {{ size: 180mm 62mm; margin: 4mm 6mm; }}
body {{ font-family: "Noto Serif SC"; font-size: 18pt; }}
p {{ margin: 0 0 2mm; }} .halt {{ font-feature-settings: "halt" 1; }}
.l {{ font: 8pt "Noto Sans SC"; color: #888; margin: 0; }}</style></head><body>
<p class="l">before: every mark full-width</p><p>{escape(TEXT)}</p>
<p class="l">after: a mark next to another is set half-width (OpenType halt)</p><p>{typeset(TEXT, [], bold=False)}</p>
</body></html>"""
with tempfile.TemporaryDirectory() as tmp:
    pdf = Path(tmp) / "demo.pdf"
    pdf.write_bytes(html_to_pdf(html, Path(tmp), (Path(tmp),)))
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf),
                    str(ROOT / "docs" / "punctuation-squeeze")], check=True)
print("wrote docs/punctuation-squeeze.png")
