"""Theme tokens: colours, font stacks, page geometry, switches.

One YAML file of tokens is read by both renderers (the HTML/CSS for PDF and the
DOCX builder), so a colour or a margin is set in one place. Built-in themes live
in ``templates/themes/``; a user theme is any YAML file of the same shape and
may ``extends:`` a built-in one, overriding only what it names.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .errors import DataError
from .io import read_yaml, validate_data
from .model import Colors, Str, _Model

FontName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

# The bundled OFL faces every stack falls back to (see reportgen/fonts/README.md).
BUNDLED_SERIF = "Noto Serif SC"
BUNDLED_SANS = "Noto Sans SC"
#: the formal preset's 仿宋 and 楷体 (GB/T 9704): Zhuque Fangsong (朱雀仿宋), LXGW WenKai (霞鹜文楷)
BUNDLED_FANGSONG = "Zhuque Fangsong"
BUNDLED_KAI = "ReportGen Kai"  # a subset of LXGW WenKai, renamed (its names are reserved)
BUNDLED_FAMILIES = (BUNDLED_SERIF, BUNDLED_SANS, BUNDLED_FANGSONG, BUNDLED_KAI)


class FontStacks(_Model):
    """Font families in order of preference; official faces first, bundled ones last."""

    title: list[FontName] = Field(
        default_factory=lambda: ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", BUNDLED_SERIF])
    heading: list[FontName] = Field(
        default_factory=lambda: ["黑体", "SimHei", BUNDLED_SANS])
    body: list[FontName] = Field(
        default_factory=lambda: ["仿宋_GB2312", "仿宋", "FangSong", BUNDLED_SERIF])
    kai: list[FontName] = Field(
        default_factory=lambda: ["楷体_GB2312", "楷体", "KaiTi", BUNDLED_SERIF])
    latin: list[FontName] = Field(
        default_factory=lambda: ["Times New Roman", BUNDLED_SERIF],
        description="Latin letters and digits in DOCX (w:ascii / w:hAnsi)")
    number: list[FontName] = Field(
        default_factory=lambda: ["Times New Roman", BUNDLED_SERIF],
        description="page numbers (公文: 4号半角宋体阿拉伯数字)")


class Page(_Model):
    size: Literal["A4", "A5", "B5", "Letter"] = "A4"
    margin_top_mm: float = Field(25, ge=0, le=100)
    margin_bottom_mm: float = Field(25, ge=0, le=100)
    margin_left_mm: float = Field(22, ge=0, le=100)
    margin_right_mm: float = Field(22, ge=0, le=100)

    @property
    def size_mm(self) -> tuple[float, float]:
        return {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250), "Letter": (215.9, 279.4)}[self.size]


class Sizes(_Model):
    """Type sizes in points (2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt, 小4 = 12 pt)."""

    title_pt: float = Field(26, gt=4, le=96)
    heading_pt: float = Field(17, gt=4, le=72)
    item_title_pt: float = Field(13.5, gt=4, le=48)
    body_pt: float = Field(12, gt=4, le=48)
    small_pt: float = Field(9, gt=4, le=24)
    line_height: float = Field(1.75, ge=1, le=3)

    @property
    def scale(self) -> dict[str, float]:
        """The derived sizes of the type scale, in points, by role: read by the print
        stylesheet, the DOCX builder and the Word templates' roles alike."""
        return {
            "running": self.small_pt - 1,           # running footer
            "note": self.small_pt + 1,              # 排序不分先后, notices, units of a key figure
            "org": self.small_pt + 2,               # the association above the banner title
            "number": self.item_title_pt - 1,       # the item number's badge
            "label": self.item_title_pt + 1,        # 活动简介, vote-panel labels
            "candidate": self.body_pt + 0.5,        # a candidate's title in the two-column ballot
            "subheading": self.body_pt + 1,         # subheadings inside articles
            "subtitle": self.heading_pt - 3,        # banner subtitle
            "section": self.heading_pt - 2,         # a review's title line
            "article": self.heading_pt + 2,         # an article's title
            "slogan": self.heading_pt + 3,          # a review's slogan
            "figure": self.heading_pt + 5,          # a key figure's number in the 数说 panel
            "masthead": self.title_pt + 4,          # the formal preset's red masthead
            "display": self.title_pt + 10,          # a review's big header word
        }


class Grid(_Model):
    """A character grid (GB/T 9704: 22 lines × 28 characters): the renderer sets letter
    spacing and line pitch so that exactly this many fit the text block."""

    chars: int = Field(ge=5, le=80)
    lines: int = Field(ge=5, le=80)


class Theme(_Model):
    name: str = "default"
    extends: str | None = Field(None, description="built-in theme this one overrides")
    colors: Colors | None = Field(None, description="overrides the association's colours")
    fonts: FontStacks = Field(default_factory=FontStacks)
    page: Page = Field(default_factory=Page)
    sizes: Sizes = Field(default_factory=Sizes)
    banner_text: Str | None = Field(None, description="small text above the title (default: association name)")
    logo: str | None = Field(None, description="logo image (relative to the theme file); "
                             "overrides the association's logo")
    style: Literal["bulletin", "formal"] = Field(
        "bulletin", description="bulletin: coloured banner and numbered badges; formal: GB/T 9704 公文 "
        "look (red masthead rule, 一、 headings in 黑体, （一） items in 楷体)")
    grid: Grid | None = Field(None, description="character grid of the body text")
    page_number_position: Literal["center", "outside"] = Field(
        "center", description="outside: right on odd pages, left on even pages, one character in")
    page_number_pt: float = Field(10, gt=4, le=24)
    bold_figures: bool = Field(True, description="set detected figures in bold")
    key_figures: bool | None = Field(None, description="show the 数说 key-figures panel "
                                     "(default: only in the newspaper report layout)")
    key_figures_count: int = Field(4, ge=1, le=12)
    page_numbers: bool = True

    @property
    def text_width_mm(self) -> float:
        return self.page.size_mm[0] - self.page.margin_left_mm - self.page.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        return self.page.size_mm[1] - self.page.margin_top_mm - self.page.margin_bottom_mm

    @property
    def chars_per_line(self) -> int:
        """Whole body characters per line: the text block is a grid of em squares, so a
        line of Han characters fills it exactly, with no justification spacing at all."""
        if self.grid:
            return self.grid.chars
        return int(self.text_width_mm / 25.4 * 72 / self.sizes.body_pt)

    @property
    def char_pitch_pt(self) -> float:
        """Advance of one body character: the font size, or the grid's cell width."""
        if self.grid:
            return self.text_width_mm / 25.4 * 72 / self.grid.chars
        return self.sizes.body_pt

    @property
    def letter_spacing_pt(self) -> float:
        """Tracking that makes a character advance one grid cell; rounded down a little, or
        rounding makes the last character of a full line overflow to the next line."""
        return math.floor((self.char_pitch_pt - self.sizes.body_pt) * 1000) / 1000 - 0.001

    @property
    def line_pitch_pt(self) -> float:
        """Distance between body baselines."""
        if self.grid:
            return self.text_height_mm / 25.4 * 72 / self.grid.lines
        return self.sizes.body_pt * self.sizes.line_height


def themes_dir(templates_dir: Path) -> Path:
    return templates_dir / "themes"


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_theme(name_or_path: str | Path | None, *, builtin_dir: Path, relative_to: Path | None = None,
               confine: bool = False, _seen: tuple[str, ...] = ()) -> Theme:
    """Load a built-in theme by name or a user theme file (which may ``extends:`` another).

    With *confine* (a theme named by a data file) the file must lie inside *relative_to*.
    A theme's own ``extends:`` file and ``logo:`` must lie beside it or below, so that a
    data file cannot make a render read (and print in an error) any file of the machine.
    """
    name_or_path = str(name_or_path or "default")
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json"):
        path = candidate if candidate.is_absolute() or relative_to is None else relative_to / candidate
        if confine and relative_to is not None and not path.resolve().is_relative_to(relative_to.resolve()):
            raise DataError(None, f"theme file {name_or_path!r} is outside {relative_to.resolve()}; refused "
                            "(put the theme beside the data file or name it with --theme)", field="theme")
    else:
        path = themes_dir(builtin_dir) / f"{name_or_path}.yaml"
        if not path.exists():
            known = sorted(p.stem for p in themes_dir(builtin_dir).glob("*.yaml"))
            raise DataError(None, f"unknown theme {name_or_path!r} (built-in themes: {', '.join(known)})",
                            field="theme")
    if str(path) in _seen:
        raise DataError(path, "theme extends itself", field="extends")
    data, lines = read_yaml(path)
    own_logo = data.get("logo") if isinstance(data, dict) else None  # not one inherited from extends
    if isinstance(data, dict) and data.get("extends"):
        base = load_theme(data["extends"], builtin_dir=builtin_dir, relative_to=path.parent, confine=True,
                          _seen=_seen + (str(path),))
        data = _merge(base.model_dump(exclude_unset=True), data)
    theme = validate_data(path, data, lines, model=Theme)
    if theme.logo and theme.logo == own_logo:
        logo = (path.parent / theme.logo).resolve()  # relative to the theme file that names it
        if not logo.is_relative_to(path.parent.resolve()):
            raise DataError(path, f"logo {theme.logo!r} is outside the theme's folder; refused",
                            line=lines.line_of(("logo",)), field="logo")
        theme = theme.model_copy(update={"logo": str(logo)})
    return theme
