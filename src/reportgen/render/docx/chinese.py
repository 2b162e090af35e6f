"""A Word file that says it is Chinese and carries its fonts.

python-docx's base template is Japanese underneath (``themeFontLang eastAsia="ja-JP"``,
ＭＳ 明朝 / ＭＳ ゴシック in the font table and theme, document language en-US); Word uses
these for line breaking, punctuation and font fallback. :func:`make_chinese` sets zh-CN
throughout and lists the official faces the document names with their charset (GB 2312)
and the stock-Windows family Word should take in their place (仿宋_GB2312 → 仿宋 …).

:func:`embed_fonts` embeds the bundled Noto faces, subset to the characters each one
draws and converted to TrueType outlines (Word embeds only TrueType), as obfuscated font
parts (ECMA-376 Part 1, §17.8.1): a machine without the official faces shows the bundled
ones instead of boxes. The same functions run for the builder and for Word templates.
"""
from __future__ import annotations

import hashlib
import io
import uuid
from functools import lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...theme import BUNDLED_FAMILIES, BUNDLED_SERIF, Theme
from .ooxml import RPR_ORDER, child, retarget, set_blob

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
#: the family Word on a stock Windows has for each official face
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "方正小标宋_GBK": "宋体",
             "黑体": "SimHei", "仿宋": "FangSong", "楷体": "KaiTi"}
_SETTINGS_ORDER = ("writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
                   "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
                   "embedTrueTypeFonts embedSystemFonts saveSubsetFonts").split()
_JAPANESE = ("ＭＳ 明朝", "ＭＳ ゴシック", "MS Mincho", "MS Gothic")


def _settings_child(settings, tag: str):
    """``w:<tag>`` of the settings, created in schema order."""
    found = settings.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    element = OxmlElement(f"w:{tag}")
    before = set(_SETTINGS_ORDER[:_SETTINGS_ORDER.index(tag)])
    for existing in settings:
        if existing.tag.split("}")[-1] not in before:  # the first element the schema puts after it
            existing.addprevious(element)
            return element
    settings.append(element)
    return element


def _font_table(document) -> XmlPart:
    """The font table as an XML part (python-docx loads it as a plain part: it is replaced
    by one whose XML can be changed, under the same relationship)."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            part = rel.target_part
            if not isinstance(part, XmlPart):
                part = XmlPart.load(part.partname, part.content_type, part.blob, part.package)
                retarget(rel, part)
            return part
    raise ValueError("the document has no font table")


def make_chinese(document, theme: Theme) -> None:
    """zh-CN language and theme-font language; official faces in the font table with charset
    and alternative name; no Japanese faces left."""
    lang = document.settings.element.find(qn("w:themeFontLang"))  # python-docx's template has one
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        element = child(defaults, "lang", RPR_ORDER)
        element.set(qn("w:val"), "zh-CN")
        element.set(qn("w:eastAsia"), "zh-CN")
    table = _font_table(document).element
    for font in list(table):
        if font.get(qn("w:name")) in _JAPANESE:
            table.remove(font)
    stacks = theme.fonts
    for name in dict.fromkeys([stacks.title[0], stacks.heading[0], stacks.body[0], stacks.kai[0]]):
        _font_entry(table, name, alt=ALT_NAMES.get(name))
    for part in document.part.package.iter_parts():  # the theme names Japanese faces too
        if str(part.partname).startswith("/word/theme/"):
            xml = part.blob.decode("utf-8")
            for japanese in _JAPANESE:
                xml = xml.replace(f'script="Jpan" typeface="{japanese}"', 'script="Jpan" typeface=""')
            set_blob(part, xml.encode("utf-8"))


def _font_entry(table, name: str, alt: str | None = None):
    for font in table:
        if font.get(qn("w:name")) == name:
            return font
    font = OxmlElement("w:font")
    font.set(qn("w:name"), name)
    if alt:
        child = OxmlElement("w:altName")
        child.set(qn("w:val"), alt)
        font.append(child)
    for tag, value in (("charset", "86"), ("family", "auto"), ("pitch", "variable")):  # 86: GB 2312
        child = OxmlElement(f"w:{tag}")
        child.set(qn("w:val"), value)
        font.append(child)
    table.append(font)
    return font


# -- embedding ----------------------------------------------------------------------------------

def _faces(theme: Theme) -> dict[str, str]:
    """Each East Asian face a run may name → the bundled family that stands in for it."""
    stacks = theme.fonts
    faces: dict[str, str] = {}
    for stack in (stacks.title, stacks.heading, stacks.body, stacks.kai, stacks.latin, stacks.number):
        # the first bundled face of the stack stands in (仿宋 → Zhuque Fangsong, not the Noto
        # face after it that covers what Zhuque lacks)
        bundled = next((name for name in stack if name in BUNDLED_FAMILIES), BUNDLED_SERIF)
        for name in stack:
            faces.setdefault(name, bundled)
    return faces


def _style_fonts(document) -> dict[str, tuple[str | None, bool | None]]:
    """Each style's East Asian face and boldness, with what it inherits (``w:basedOn``)."""
    own: dict[str, tuple[str | None, bool | None, str | None]] = {}
    for style in document.styles.element.iter(qn("w:style")):
        props = style.find(qn("w:rPr"))
        name = bold = None
        if props is not None:
            name, bold = _run_props(props)
        based = style.find(qn("w:basedOn"))
        own[style.get(qn("w:styleId"))] = (name, bold, based.get(qn("w:val")) if based is not None else None)
    resolved: dict[str, tuple[str | None, bool | None]] = {}

    def resolve(style_id: str | None, depth: int = 0) -> tuple[str | None, bool | None]:
        if style_id is None or style_id not in own or depth > 20:
            return None, None
        if style_id not in resolved:
            name, bold, based = own[style_id]
            parent_name, parent_bold = resolve(based, depth + 1)
            resolved[style_id] = (name or parent_name, parent_bold if bold is None else bold)
        return resolved[style_id]

    for style_id in own:
        resolve(style_id)
    return resolved


def _run_props(props) -> tuple[str | None, bool | None]:
    fonts = props.find(qn("w:rFonts"))
    name = fonts.get(qn("w:eastAsia")) if fonts is not None else None
    bold_element = props.find(qn("w:b"))
    bold = None if bold_element is None else bold_element.get(qn("w:val")) not in ("0", "false")
    return name or None, bold


def _used_characters(document, theme: Theme) -> dict[tuple[str, bool], set[str]]:
    """Characters drawn under each East Asian face name, regular or bold: the run's own
    font, else its character style's, else its paragraph style's (runs of the named styles
    carry no direct formatting), else the body's; and the item numbers' (numbering)."""
    body = theme.fonts.body[0]
    styles = _style_fonts(document)
    default_name, default_bold = styles.get("Normal", (None, None))
    used: dict[tuple[str, bool], set[str]] = {}
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None:
            continue
        if element.tag == qn("w:numbering"):
            for level in element.iter(qn("w:lvl")):
                props = level.find(qn("w:rPr"))
                name, bold = _run_props(props) if props is not None else (None, None)
                used.setdefault((name or default_name or body, bool(bold)), set()).update(
                    "0123456789（）().、一二三四五六七八九十百")
            continue
        for paragraph in element.iter(qn("w:p")):
            ppr = paragraph.find(qn("w:pPr"))
            pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
            p_name, p_bold = styles.get(pstyle.get(qn("w:val")), (None, None)) if pstyle is not None else (None, None)
            for run in paragraph.iter(qn("w:r")):
                text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                if not text:
                    continue
                props = run.find(qn("w:rPr"))
                name, bold = _run_props(props) if props is not None else (None, None)
                rstyle = props.find(qn("w:rStyle")) if props is not None else None
                r_name, r_bold = styles.get(rstyle.get(qn("w:val")), (None, None)) if rstyle is not None else (None, None)
                face = name or r_name or p_name or default_name or body
                strong = next((b for b in (bold, r_bold, p_bold, default_bold) if b is not None), False)
                used.setdefault((face, strong), set()).update(text)
    return used


@lru_cache(maxsize=32)
def truetype_subset(path: str, characters: str) -> bytes:
    """The font at *path* cut down to *characters* (and what shaping needs), with its
    PostScript outlines converted to TrueType quadratic ones."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, lazy=True, recalcTimestamp=False)  # no save time: byte-identical output
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []  # Word shapes horizontal Chinese without the font's layout tables
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " ")
    subsetter.subset(font)
    if "CFF " in font:
        glyph_set = font.getGlyphSet()
        glyphs = {}
        for name in font.getGlyphOrder():
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyphs[name] = pen.glyph()
        del font["CFF "]
        glyf = font["glyf"] = newTable("glyf")
        glyf.glyphOrder = font.getGlyphOrder()
        glyf.glyphs = glyphs
        font["loca"] = newTable("loca")
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attribute in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                          "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, attribute, 0)
        maxp.maxZones = 1
        font["head"].glyphDataFormat = 0
        post = font["post"]  # glyph names kept: LibreOffice's PDF export maps glyphs to text by them
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        font.sfntVersion = "\0\1\0\0"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: the first 32 bytes XOR the GUID *key*'s bytes, reversed."""
    digits = key.strip("{}").replace("-", "")
    xor = bytes(int(digits[i:i + 2], 16) for i in range(30, -1, -2))
    head = bytes(b ^ xor[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def finish(document, theme: Theme, embed: bool = True) -> None:
    """What every DOCX gets before it is saved, built or from a Word template."""
    make_chinese(document, theme)
    if embed:
        embed_fonts(document, theme)


def embed_fonts(document, theme: Theme) -> int:
    """Embed, under each face name the runs use, the bundled face that stands in for it;
    returns the bytes embedded.

    The font-table entry keeps the official name the runs ask for (仿宋_GB2312): Word and
    LibreOffice use the installed face where there is one and the embedded one elsewhere.
    Each bundled face and weight is subset once, to every character drawn with it, and
    shared by the names it stands in for.
    """
    from ..fonts import face_file

    faces = _faces(theme)
    used = _used_characters(document, theme)
    by_face: dict[tuple[str, bool], set[str]] = {}
    for (name, bold), characters in used.items():
        by_face.setdefault((faces.get(name, BUNDLED_SERIF), bold), set()).update(characters)
    table_part = _font_table(document)
    table = table_part.element
    package = document.part.package
    embedded: dict[tuple[str, bool], tuple[str, str]] = {}
    total = 0
    for number, ((family, bold), characters) in enumerate(sorted(by_face.items()), 1):
        data = truetype_subset(str(face_file(family, bold)), "".join(sorted(characters)))
        key = "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), FONT_CONTENT_TYPE, obfuscate(data, key), package)
        embedded[(family, bold)] = (table_part.relate_to(part, RT.FONT), key)
        total += len(data)
    for name, bold in sorted(used):
        rid, key = embedded[(faces.get(name, BUNDLED_SERIF), bold)]
        entry = _font_entry(table, name, alt=ALT_NAMES.get(name))
        embed = OxmlElement("w:embedBold" if bold else "w:embedRegular")
        embed.set(qn("r:id"), rid)
        embed.set(qn("w:fontKey"), key)
        embed.set(qn("w:subsetted"), "1")
        entry.append(embed)
    settings = document.settings.element
    _settings_child(settings, "embedTrueTypeFonts")
    _settings_child(settings, "saveSubsetFonts")
    return total
