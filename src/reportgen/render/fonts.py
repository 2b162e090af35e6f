"""Bundled fonts, @font-face rules and the check that every character has a glyph."""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from ..errors import FontCoverageError
from ..theme import BUNDLED_FANGSONG, BUNDLED_KAI, BUNDLED_SANS, BUNDLED_SERIF, Theme
from ..typography import GAP_CHARS
from .filters import css_string

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

BUNDLED: dict[str, dict[str, Path]] = {
    BUNDLED_SERIF: {"normal": FONT_DIR / "NotoSerifSC-Regular.otf", "bold": FONT_DIR / "NotoSerifSC-Bold.otf"},
    BUNDLED_SANS: {"normal": FONT_DIR / "NotoSansSC-Regular.otf", "bold": FONT_DIR / "NotoSansSC-Bold.otf"},
    # one weight each: 公文 sets neither 仿宋 nor 楷体 in bold
    BUNDLED_FANGSONG: {"normal": FONT_DIR / "ZhuqueFangsong-Regular.ttf"},
    BUNDLED_KAI: {"normal": FONT_DIR / "ReportGenKai-Regular.ttf"},
}


def face_file(family: str, bold: bool) -> Path:
    """The bundled file of *family* in that weight (the regular one where it has no bold)."""
    weights = BUNDLED[family]
    return weights.get("bold" if bold else "normal", weights["normal"])


def font_face_css(base: str | None = None) -> str:
    """@font-face rules for the bundled faces: file URLs the URL fetcher allows, or
    *base* + file name (the PDF's machine-independent ``virtual_url("fonts")``)."""
    rules = []
    for family, weights in BUNDLED.items():
        for weight, path in weights.items():
            url = base + path.name if base else path.as_uri()
            kind = "truetype" if path.suffix == ".ttf" else "opentype"
            rules.append(
                f"@font-face {{ font-family: {css_string(family)}; font-weight: {weight}; "
                f"src: url({css_string(url)}) format(\"{kind}\"); }}")
    return "\n".join(rules)


@functools.lru_cache(maxsize=None)
def _cmap(path: str, number: int = 0) -> frozenset[int]:
    font = TTFont(path, fontNumber=number, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@functools.lru_cache(maxsize=None)
def system_font_files(family: str) -> tuple[str, ...]:
    """Files of an installed font family named *family* (via fontconfig), if any."""
    if not shutil.which("fc-list"):
        return ()
    try:
        out = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()}))


def coverage(families: list[str]) -> frozenset[int]:
    """Code points drawn by at least one family of a stack (bundled or installed)."""
    points: set[int] = set()
    for family in families:
        if family in BUNDLED:
            points |= _cmap(str(BUNDLED[family]["normal"]))
            continue
        for file in system_font_files(family):
            try:
                points |= _cmap(file)
            except Exception:  # an unreadable system font covers nothing
                continue
    return frozenset(points)


# Characters that are layout, not glyphs.
_IGNORABLE = set(" \t\n\r\u00a0\u200b\u200c\u200d\ufeff") | set(GAP_CHARS)


NO_FONT = "no font covers"


def coverage_problems(texts, theme: Theme) -> list[str]:
    """One message per place holding a character that no font of *theme* can draw.

    *texts* yields ``(where, text)`` pairs, e.g. ``("十件大事 第3项 第1段", "…")``.
    """
    stacks = theme.fonts
    covered = coverage(stacks.body + stacks.title + stacks.heading + stacks.latin)
    problems = []
    for where, text in texts:
        missing = dict.fromkeys(ch for ch in text if ch not in _IGNORABLE and ord(ch) not in covered)
        if missing:
            chars = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
            problems.append(
                f"{where}: {NO_FONT} {chars}; install a font that has it "
                f"and add it to the theme's font stacks, or add the character to "
                f"fonts/charset-extra.txt and rebuild the bundled fonts")
    return problems


def check_coverage(texts, theme: Theme) -> None:
    """Raise :class:`FontCoverageError` naming the first place with a character no font can draw."""
    problems = coverage_problems(texts, theme)
    if problems:
        raise FontCoverageError(problems[0])
