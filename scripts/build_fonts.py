#!/usr/bin/env python3
"""Rebuild the bundled CJK font subsets from Debian's fonts-noto-cjk.

    apt-get install fonts-noto-cjk
    python scripts/build_fonts.py            # writes src/reportgen/fonts/*.otf

and the formal preset's 仿宋 and 楷体 (both OFL):

    apt-get install fonts-lxgw-wenkai
    git clone https://github.com/TrionesType/zhuque && (cd zhuque/src && pip install fontmake && bash build.sh)
    python scripts/build_fonts.py --formal --zhuque zhuque/fonts/ZhuqueFangsong-Regular.ttf

The character set (documented in src/reportgen/fonts/README.md) is:

* every character of GB 2312-80 (6763 Han characters plus its 682 symbols),
  enumerated from Python's own ``gb2312`` codec so no data file is needed;
* printable ASCII, Latin-1 punctuation, General Punctuation, CJK Symbols and
  Punctuation, Fullwidth Forms, circled and parenthesised numbers;
* every character listed in ``src/reportgen/fonts/charset-extra.txt``
  (characters of the 通用规范汉字表 common in names and places that GB 2312
  lacks, and anything an association needs; add yours there and re-run);
* every character that occurs in ``seeds/`` and ``data/``.

All OpenType layout features are kept (``halt``/``palt`` punctuation
squeezing, ``vert``, ``locl``), hinting is dropped, and the faces are renamed
"Noto Serif SC" / "Noto Sans SC" so that a PDF shows which font it embeds.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "src" / "reportgen" / "fonts"
SYSTEM_DIR = Path("/usr/share/fonts/opentype/noto")

# (output file, source collection, family, style)
FACES = [
    ("NotoSerifSC-Regular.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif SC", "Regular"),
    ("NotoSerifSC-Bold.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif SC", "Bold"),
    ("NotoSansSC-Regular.otf", "NotoSansCJK-Regular.ttc", "Noto Sans SC", "Regular"),
    ("NotoSansSC-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans SC", "Bold"),
]

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (·, ×, ÷, °)
    (0x2000, 0x2027),  # spaces (U+2005 Han–Latin gap), dashes, quotes, ellipsis
    (0x2030, 0x203B),  # per mille, primes, reference mark
    (0x2060, 0x2060),  # word joiner
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2160, 0x216B),  # Ⅰ–Ⅻ
    (0x2460, 0x2473),  # ①–⑳
    (0x2474, 0x2487),  # ⑴–⒇
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〈〉《》「」【】〇)
    (0x3220, 0x3229),  # ㈠–㈩
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE5),  # full-width signs
]


def gb2312_characters() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def character_set(extra_dirs: list[Path]) -> set[str]:
    chars = gb2312_characters()
    for lo, hi in RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    extra = FONT_DIR / "charset-extra.txt"
    if extra.exists():
        for line in extra.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                chars.update(line.strip())
    for folder in extra_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".txt", ".yaml", ".yml", ".json"}:
                chars.update(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def sc_face(collection: Path):
    for font in TTCollection(collection).fonts:
        if font["name"].getDebugName(1).endswith(" SC") and "Mono" not in font["name"].getDebugName(1):
            return font
    raise SystemExit(f"{collection}: no SC face found")


def rename(font, family: str, style: str) -> None:
    ps = family.replace(" ", "") + "-" + style
    names = {1: family, 2: style, 3: f"{ps};reportgen-subset", 4: f"{family} {style}", 6: ps,
             16: family, 17: style}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        top.FullName = f"{family} {style}"
        top.FamilyName = family


# Spaces the CJK faces lack: the renderer's Han–Latin gap is U+2005 FOUR-PER-EM SPACE. It
# gets a glyph of its own (a copy of the font's space, 0.256 em), not the space's glyph: a
# PDF maps each glyph to one text, and render/textlayer.py must tell gaps from real spaces.
EXTRA_SPACES = (0x2005,)


def _append_glyph(font, charstring, like: str, advance: tuple[int, int], fallback_name: str) -> str:
    """Add *charstring* to a CFF font as a new glyph whose FD, vertical metrics (and, for a
    name-keyed font, name) follow the glyph *like*; returns its name. The caller has read
    every table before (their glyph count changes here)."""
    top = font["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings
    order = font.getGlyphOrder()
    name = f"cid{len(order):05d}" if getattr(top, "ROS", None) else fallback_name
    charstrings.charStringsIndex.append(charstring)
    charstrings.charStrings[name] = len(charstrings.charStringsIndex) - 1
    if hasattr(top, "FDSelect"):
        top.FDSelect.append(top.FDSelect[order.index(like)])
    order = list(order) + [name]
    font.setGlyphOrder(order)
    top.charset = order  # the CFF's charset is the font's glyph order
    font["maxp"].numGlyphs = len(order)
    font["hmtx"][name] = advance
    if "vmtx" in font:
        font["vmtx"][name] = font["vmtx"][like]
    return name


def _append_tt_glyph(font, glyph, like: str, advance: tuple[int, int], name: str) -> str:
    """Add *glyph* to a TrueType (glyf) font under *name*, with *like*'s vertical metrics."""
    order = list(font.getGlyphOrder())
    font["glyf"].glyphs[name] = glyph
    font["glyf"].glyphOrder = order + [name]
    font.setGlyphOrder(order + [name])
    font["maxp"].numGlyphs = len(order) + 1
    font["hmtx"][name] = advance
    if "vmtx" in font:
        font["vmtx"][name] = font["vmtx"][like]
    return name


def _read_all_tables(font) -> None:
    for tag in font.keys():  # read every table while the glyph count is still the old one
        font[tag]


def add_spaces(font) -> None:
    """Give each of :data:`EXTRA_SPACES` its own blank glyph (again on a built font: idempotent)."""
    _read_all_tables(font)
    cmap = font.getBestCmap()
    space = cmap[0x20]
    for code in EXTRA_SPACES:
        if cmap.get(code) not in (None, space):
            continue
        if "glyf" in font:
            from fontTools.ttLib.tables._g_l_y_f import Glyph

            name = _append_tt_glyph(font, Glyph(), space, font["hmtx"][space], f"uni{code:04X}")
        else:
            charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
            name = _append_glyph(font, copy_charstring(charstrings[space]), space, font["hmtx"][space],
                                 f"uni{code:04X}")
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[code] = name


TWO_EM_DASH = "twoemdash"


def add_two_em_dash(font) -> None:
    """"——" (two U+2014) drawn as one unbroken line two ems long: a glyph made from the
    em dash's stroke and a 'ccmp' ligature to it. The text stays two U+2014 (the PDF maps
    the ligature back to them), and no justification spacing can open a gap inside it.
    Idempotent."""
    from fontTools.otlLib.builder import buildLigatureSubstSubtable, buildLookup
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.ttLib.tables import otTables

    _read_all_tables(font)
    order = font.getGlyphOrder()
    dash = font.getBestCmap()[0x2014]
    gsub = font["GSUB"].table
    for lookup in gsub.LookupList.Lookup:  # already there
        for table in lookup.SubTable:
            if table.LookupType == 4 and any(first == dash and any(lig.Component == [dash] for lig in ligs)
                                             for first, ligs in getattr(table, "ligatures", {}).items()):
                return
    glyph_set = font.getGlyphSet()
    bounds = BoundsPen(glyph_set)
    glyph_set[dash].draw(bounds)
    _, y_min, _, y_max = bounds.bounds
    width = 2 * font["head"].unitsPerEm

    def draw(pen) -> None:
        pen.moveTo((0, y_min))
        pen.lineTo((width, y_min))
        pen.lineTo((width, y_max))
        pen.lineTo((0, y_max))
        pen.closePath()

    if "glyf" in font:  # a TrueType face (the formal preset's 仿宋 and 楷体)
        from fontTools.pens.ttGlyphPen import TTGlyphPen

        tt_pen = TTGlyphPen(glyph_set)
        draw(tt_pen)
        name = _append_tt_glyph(font, tt_pen.glyph(), dash, (width, 0), TWO_EM_DASH)
    else:
        top = font["CFF "].cff.topDictIndex[0]
        pen = T2CharStringPen(width, glyph_set)
        draw(pen)
        private = top.FDArray[top.FDSelect[order.index(dash)]].Private if hasattr(top, "FDArray") else top.Private
        charstring = pen.getCharString(private=private, globalSubrs=top.GlobalSubrs)
        name = _append_glyph(font, charstring, dash, (width, 0), TWO_EM_DASH)
    lookup = buildLookup([buildLigatureSubstSubtable({(dash, dash): name})])
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    feature = otTables.FeatureRecord()
    # 'ccmp', not 'liga': shaping engines drop 'liga' from letter-spaced text, and justified
    # Chinese lines are letter-spaced
    feature.FeatureTag = "ccmp"
    feature.Feature = otTables.Feature()
    feature.Feature.FeatureParams = None
    feature.Feature.LookupListIndex = [len(gsub.LookupList.Lookup) - 1]
    feature.Feature.LookupCount = 1
    gsub.FeatureList.FeatureRecord.append(feature)
    gsub.FeatureList.FeatureCount = len(gsub.FeatureList.FeatureRecord)
    index = len(gsub.FeatureList.FeatureRecord) - 1
    for script in gsub.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]
        for system in systems:
            if system is not None:
                system.FeatureIndex.append(index)
                system.FeatureCount = len(system.FeatureIndex)


def copy_charstring(charstring):
    import copy

    charstring.decompile()
    new = copy.copy(charstring)
    new.program = list(charstring.program)
    new.bytecode = None
    return new


def _subset_and_save(font, out_dir: Path, out_name: str, family: str, style: str, chars: set[str]) -> None:
    """Subset *font* to *chars* (layout features kept, hinting dropped), add reportgen's own
    glyphs, rename it *family* *style* and write it to *out_dir*/*out_name* (temp file, then rename)."""
    options = subset.Options()
    options.layout_features = ["kern", "halt", "palt", "chws", "vert", "vhal", "vpal", "vrt2", "fwid", "hwid", "pwid"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars if ord(c) not in EXTRA_SPACES))
    subsetter.subset(font)
    add_spaces(font)
    if "GSUB" in font:  # (every Noto face has one)
        add_two_em_dash(font)
    rename(font, family, style)
    target = out_dir / out_name
    tmp = target.with_suffix(".tmp")
    font.save(tmp)
    tmp.replace(target)
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"{shown}: {len(font.getBestCmap())} characters, "
          f"{target.stat().st_size / 1024:.0f} KiB")


def build(source_dir: Path, out_dir: Path, chars: set[str]) -> None:
    for out_name, source, family, style in FACES:
        _subset_and_save(sc_face(source_dir / source), out_dir, out_name, family, style, chars)


# The formal preset's faces (GB/T 9704: body 仿宋, （一） headings 楷体), both SIL OFL 1.1:
# LXGW WenKai (Debian fonts-lxgw-wenkai) and Zhuque Fangsong (朱雀仿宋, TrionesType/zhuque on
# GitHub, built from its sources with fontmake: no distribution packages it).
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
FORMAL_FACES = [
    ("ZhuqueFangsong-Regular.ttf", "Zhuque Fangsong", "Regular"),
    # LXGW WenKai reserves its names ("霞鹜", "LXGW") for unmodified fonts: the subset is renamed
    ("ReportGenKai-Regular.ttf", "ReportGen Kai", "Regular"),
]


def build_formal(sources: dict[str, Path], out_dir: Path, chars: set[str]) -> None:
    for out_name, family, style in FORMAL_FACES:
        _subset_and_save(TTFont(sources[family]), out_dir, out_name, family, style, chars)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SYSTEM_DIR,
                        help="folder holding Noto*CJK-*.ttc (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=FONT_DIR)
    parser.add_argument("--formal", action="store_true",
                        help="build the formal preset's faces instead (--zhuque, --wenkai)")
    parser.add_argument("--zhuque", type=Path, help="ZhuqueFangsong-Regular.ttf, built with fontmake from "
                        "github.com/TrionesType/zhuque (src/build.sh)")
    parser.add_argument("--wenkai", type=Path, default=WENKAI, help="LXGWWenKai-Regular.ttf (default: %(default)s, "
                        "apt-get install fonts-lxgw-wenkai)")
    parser.add_argument("--spaces-only", action="store_true",
                        help="only add reportgen's own glyphs to the built fonts in --out: the gap "
                             "space (add_spaces) and the two-em dash ligature (add_two_em_dash)")
    args = parser.parse_args(argv)
    if args.spaces_only:
        for out_name, *_ in FACES:
            target = args.out / out_name
            font = TTFont(target)
            add_spaces(font)
            add_two_em_dash(font)
            tmp = target.with_suffix(".tmp")
            font.save(tmp)
            tmp.replace(target)
            print(f"{target}: U+2005 → {font.getBestCmap()[0x2005]}")
        return 0
    if args.formal:
        sources = {"Zhuque Fangsong": args.zhuque, "ReportGen Kai": args.wenkai}
        absent = [f"{family} ({path})" for family, path in sources.items() if path is None or not path.exists()]
        if absent:
            print(f"error: missing {', '.join(absent)}", file=sys.stderr)
            return 1
        chars = character_set([ROOT / "seeds", ROOT / "data"])
        build_formal(sources, args.out, chars)
        return 0
    missing = [f for _, f, _, _ in FACES if not (args.source / f).exists()]
    if missing:
        print(f"error: {args.source}: missing {', '.join(missing)} "
              "(apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 1
    chars = character_set([ROOT / "seeds", ROOT / "data"])
    print(f"character set: {len(chars)} characters")
    build(args.source, args.out, chars)
    return 0


if __name__ == "__main__":
    sys.exit(main())
