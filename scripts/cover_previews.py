#!/usr/bin/env python3
"""README picture of the 公众号 covers made from each layout's banner (what 推送到草稿箱 uploads
when the data names no ``cover``): docs/covers.png, one 2.35:1 cover per data file of DATA.

    python scripts/cover_previews.py [DATA]
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

from reportgen.io import load_report
from reportgen.publish.draft import banner_cover
from reportgen.render import render_context, resolve_theme

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data"
    covers = []
    for path in sorted(data.glob("*.yaml")):
        report = load_report(path)
        theme = resolve_theme(report, render_context(report, path.parent.resolve()))
        covers.append(Image.open(io.BytesIO(banner_cover(report, theme).data)).resize((450, 192)))
    sheet = Image.new("RGB", (2 * 450 + 30, ((len(covers) + 1) // 2) * 202 + 10), "white")
    for i, cover in enumerate(covers):
        sheet.paste(cover, (10 + (i % 2) * 460, 10 + (i // 2) * 202))
    sheet.save(ROOT / "docs" / "covers.png", optimize=True)
    print(f"wrote docs/covers.png ({len(covers)} covers)")


if __name__ == "__main__":
    main()
