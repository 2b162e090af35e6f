#!/usr/bin/env python3
"""README pictures of the publishing channels, from what `make examples` wrote to out/:

- docs/wechat-NAME.png: the 公众号 article in Debian's chromium at a phone's 375 × 812;
- docs/long-NAME.png: the top of the 1080-px long image, at the same scale.

    python scripts/channel_previews.py [OUT]

Chromium draws the article with the faces the machine has; a phone has PingFang SC or
Microsoft YaHei, so here a private fontconfig offers the bundled Noto Sans SC in their place.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "src" / "reportgen" / "fonts"
PHONE = (375, 812)


def fontconfig(folder: Path) -> Path:
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{FONTS}</dir>
  <cachedir>{folder / 'cache'}</cachedir>
  <alias><family>sans-serif</family><prefer><family>Noto Sans SC</family></prefer></alias>
</fontconfig>
""", encoding="utf-8")
    return conf


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out")
    docs = ROOT / "docs"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"FONTCONFIG_FILE": str(fontconfig(Path(tmp))), "HOME": tmp, "PATH": "/usr/bin:/bin"}
        for article in sorted(out.glob("*.wechat.html")):
            name = article.name.removesuffix(".wechat.html")
            if browser:
                subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                f"--user-data-dir={tmp}/profile", "--hide-scrollbars",
                                f"--window-size={PHONE[0]},{PHONE[1]}", f"--screenshot={docs / f'wechat-{name}.png'}",
                                article.resolve().as_uri()], env=env, check=True, capture_output=True, timeout=120)
                print(f"wrote docs/wechat-{name}.png")
            long_image = out / f"{name}.png"
            if long_image.exists():
                with Image.open(long_image) as image:
                    top = image.convert("RGB").crop((0, 0, image.width, round(image.width * PHONE[1] / PHONE[0])))
                    top.resize(PHONE, Image.Resampling.LANCZOS).save(docs / f"long-{name}.png", optimize=True)
                print(f"wrote docs/long-{name}.png")
    if not browser:
        print("chromium not installed: no 公众号 pictures (apt-get install chromium)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
