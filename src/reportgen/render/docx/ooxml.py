"""WordprocessingML helpers shared by the DOCX builder and the Word-template renderer:
elements in schema order, fonts with the East Asian face set explicitly, borders, fields,
and a deterministic zip."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from ..filters import hex_rgb

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

#: Word's built-in styles by their names in the file, as the Chinese interface shows them
BUILTIN_LABELS = {"Normal": "正文（Normal）", "heading 1": "标题 1（Heading 1）", "heading 2": "标题 2（Heading 2）",
                  "heading 3": "标题 3（Heading 3）", "Title": "标题（Title）"}


class MissingStyle(LookupError):
    """A built-in style a document does not define (its Chinese label is the message)."""


def builtin_style(document, name: str):
    """The built-in style *name* (``Normal``, ``heading 1``, ``Title``) found by its identity,
    not its display name: Word writes "heading 1", LibreOffice "Heading 1", a Chinese Word or
    WPS the same names under numeric ids ("1", "2"). The file's own ``w:name`` is compared
    without case, then the English style id (``Heading1``); :class:`MissingStyle` if none."""
    wanted = name.lower()
    styles = list(document.styles)
    for style in styles:
        raw = style.element.name_val  # the name as written in the file (python-docx shows a UI name)
        if raw is not None and raw.lower() == wanted:
            return style
    ident = name.title().replace(" ", "")
    for style in styles:
        if style.style_id == ident:
            return style
    raise MissingStyle(BUILTIN_LABELS.get(name, name))


# Child order of <w:pPr> and <w:rPr> in the OOXML schema; Word rejects other orders.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
    "sectPrChange").split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()


def child(parent, tag: str, order: list[str]):
    """The child ``w:<tag>`` of *parent*, created at its schema position if missing."""
    existing = parent.find(qn(f"w:{tag}"))
    if existing is not None:
        return existing
    element = OxmlElement(f"w:{tag}")
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1:]}
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def rgb(color: str) -> RGBColor:
    return RGBColor(*hex_rgb(color))


def set_fonts(target, east_asia: str, latin: str) -> None:
    """Set the Latin and the East Asian font of a run or a style."""
    target.font.name = latin
    fonts = child(target._element.get_or_add_rPr(), "rFonts", RPR_ORDER)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def shade(element, color: str) -> None:
    """Background shading of a table cell or a run."""
    if element.tag == qn("w:tc"):
        shading = OxmlElement("w:shd")
        element.get_or_add_tcPr().append(shading)  # nothing after w:shd is ever set here
    else:
        shading = child(element.get_or_add_rPr(), "shd", RPR_ORDER)
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color.lstrip("#").upper())


def border(paragraph, side: str, color: str, size_eighths: int = 12) -> None:
    borders = child(paragraph._p.get_or_add_pPr(), "pBdr", PPR_ORDER)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), "4")
    edge.set(qn("w:color"), color.lstrip("#").upper())
    borders.append(edge)


def first_line_chars(paragraph, chars: int, body_pt: float) -> None:
    """2em first-line indent, in characters (Word) and twips (other readers)."""
    ind = child(paragraph._p.get_or_add_pPr(), "ind", PPR_ORDER)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * body_pt * 20)))


def field(paragraph, instruction: str):
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    return run


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps and order, for byte-identical output."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# -- python-docx's elements behind its objects (its private attributes, only here) ---------------

def sect_pr(section):
    """The ``w:sectPr`` of a python-docx section."""
    return section._sectPr


def tc(cell):
    """The ``w:tc`` of a table cell."""
    return cell._tc


def run_element(run):
    """The ``w:r`` of a run."""
    return run._r


def paragraph_element(paragraph):
    """The ``w:p`` of a paragraph."""
    return paragraph._p


def retarget(relationship, part) -> None:
    """Point a package relationship at another part."""
    relationship._target = part


def set_blob(part, data: bytes) -> None:
    """Replace the bytes of a plain (non-XML) package part."""
    part._blob = data
