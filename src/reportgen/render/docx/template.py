"""Word-authored DOCX templates (docxtpl): Jinja tags typed in Word, data rendered into them.

A template is any ``.docx`` with docxtpl tags (``{{ report.title }}``,
``{%p for item in lst.items %}``, ``{{r item.title | runs("item_title") }}``);
``reportgen templates export docx/bulletin.docx DIR`` gives a starting point.
``{{r … | runs(role) }}`` produces runs with the role's fonts (East Asian font
set explicitly), size, colour and bold figures, all from the theme.

Word often splits a tag over several runs when it is edited (spell check,
formatting); such tags are reported as warnings before rendering.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from ...errors import RenderError
from ...io import check_package
from ...model import Report
from ...theme import Theme
from .styles import apply_page_and_styles
from .chinese import finish
from .ooxml import MissingStyle, normalize_zip
from .styles import FIGURE, ItemNumbering, define_styles, real_metadata, restart_numbering
from ..context import Context, template_data
from ..filters import figure_spans, hex_rgb, qr_png, segments
from ..images import check_image, logo_file, print_image, print_pixels
from ..templating import template_errors, word_environment
from ..view import Helper

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
# docxtpl turns "{_{", "}_}", "{_%" and "%_}" in its output into "{{" … (its escape for
# literal tags); in data text they must stay as written, so their "_" goes out as &#95;
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{%])_|_(?=[}%])")


def xml_text(text) -> str:
    """*text* escaped for WordprocessingML text, immune to docxtpl's tag escapes."""
    return _DOCXTPL_ESCAPES.sub("&#95;", str(escape(text)))


def _finalize(value):
    """Every ``{{ … }}`` value of a Word template: data text escaped as :func:`xml_text`."""
    if hasattr(value, "__html__"):
        return value
    return Markup(xml_text(value if value is not None else ""))


@dataclass(frozen=True)
class Role:
    font: str          # which stack: body, title, heading, kai
    size: float
    color: str
    bold: bool = False


class Runs:
    """Runs of WordprocessingML, inserted by ``{{r … }}``; text is XML-escaped."""

    def __init__(self, xml: str):
        self.xml = xml

    def __str__(self) -> str:
        return self.xml

    __html__ = __str__


def split_tags(document) -> list[str]:
    """Warnings for template tags that Word split over several runs."""
    warnings = []
    body = document.element.body
    for number, paragraph in enumerate(body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"), 1):
        runs = ["".join(t.text or "" for t in r.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
                for r in paragraph.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")]
        text = "".join(runs)
        if "{" not in text:
            continue
        bounds, pos = [], 0
        for run in runs:
            bounds.append((pos, pos + len(run)))
            pos += len(run)
        for match in TAG.finditer(text):
            inside = [b for b in bounds if b[0] < match.end() and match.start() < b[1] and b[0] != b[1]]
            if len(inside) > 1:
                warnings.append(f"paragraph {number}: tag {match.group(0)!r} is split over {len(inside)} runs "
                                "by Word (docxtpl joins it; retype the tag in one go to keep its formatting)")
    return warnings


class TemplateRenderer:
    """Renders one report into one Word template."""

    def __init__(self, report: Report, theme: Theme, ctx: Context):
        self.report, self.theme, self.ctx, self.data_dir = report, theme, ctx, ctx.data_dir
        self.colors = theme.colors or report.association.colors
        self.logo = logo_file(report, theme, ctx.data_dir)  # checked once, used by picture() and the context
        fonts, sizes, c = theme.fonts, theme.sizes, self.colors
        self.latin = fonts.latin[0]
        self.stacks = {"body": fonts.body[0], "title": fonts.title[0], "heading": fonts.heading[0],
                       "kai": fonts.kai[0]}
        self.roles = {
            "body": Role("body", sizes.body_pt, c.text),
            "title": Role("title", sizes.title_pt, c.accent, True),
            "org": Role("heading", sizes.scale["org"], c.accent),
            "heading": Role("heading", sizes.heading_pt, c.primary, True),
            "note": Role("kai", sizes.scale["note"], "#666666"),
            "number": Role("heading", sizes.scale["number"], c.accent, True),
            "item_title": Role("heading", sizes.item_title_pt, c.primary, True),
            "caption": Role("kai", sizes.small_pt, "#555555"),
            "figure": Role("heading", sizes.scale["figure"], c.primary, True),
            "masthead": Role("title", sizes.title_pt, c.primary, True),
            "article_title": Role("title", sizes.scale["article"], c.text, True),
            "subheading": Role("heading", sizes.scale["subheading"], c.primary, True),
            "dateline": Role("kai", sizes.body_pt, c.text),
        }

    def run_xml(self, text: str, role: Role, bold: bool, shade: str | None = None) -> str:
        font = self.stacks[role.font]
        r, g, b = hex_rgb(role.color)
        props = (f'<w:rFonts w:ascii="{escape(self.latin)}" w:hAnsi="{escape(self.latin)}" '
                 f'w:cs="{escape(self.latin)}" w:eastAsia="{escape(font)}" w:hint="eastAsia"/>')
        if bold or role.bold:
            props += "<w:b/>"
        props += f'<w:color w:val="{r:02X}{g:02X}{b:02X}"/>'
        half_points = round(role.size * 2)
        props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        if shade:
            props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade.lstrip("#").upper()}"/>'
        return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'

    def runs(self, text, role: str = "body", metrics=None, paragraph: int | None = None,
             shade: str | None = None) -> Runs:
        """``{{r text | runs("body", item.metrics, loop.index0) }}``: the text as styled runs,
        its figures in bold (detected when *metrics* is None, for body text)."""
        text = str(text)
        chosen = self.roles.get(role)
        if chosen is None:
            raise RenderError(f"runs: unknown role {role!r} (known: {', '.join(self.roles)})")
        spans = figure_spans(text, metrics, paragraph, role == "body" and self.theme.bold_figures)
        return Runs("".join(self.run_xml(piece, chosen, strong, shade)
                            for piece, strong in segments(text, spans, spacing=False)))

    def styled(self, text, metrics=None, paragraph: int | None = None) -> Runs:
        """``{{r text | styled(item.metrics, loop.index0) }}``: the text in its paragraph's
        style with no direct formatting; the figures take the character style 数字强调."""
        text = str(text)
        spans = figure_spans(text, metrics, paragraph, self.theme.bold_figures)
        figure = f'<w:rPr><w:rStyle w:val="{FIGURE}"/></w:rPr>'
        return Runs("".join(f'<w:r>{figure if strong else ""}<w:t xml:space="preserve">{xml_text(piece)}</w:t></w:r>'
                            for piece, strong in segments(text, spans, spacing=False)))

    def environment(self):
        """The sandbox a Word template renders in, with this render's ``runs`` and ``styled``."""
        return word_environment(_finalize, runs=self.runs, styled=self.styled,
                                nohash=lambda color: str(color).lstrip("#"))

    def qr(self, tpl, url: str, width_mm: float = 30):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, io.BytesIO(qr_png(url, self.colors.text)), width=Mm(width_mm))

    def picture(self, tpl, path: str, width_mm: float | None = None, height_mm: float | None = None):
        """``{{ picture(image.path, width_mm=120) }}``: an image of the data folder, or ``logo``."""
        from docx.shared import Mm
        from docxtpl import InlineImage

        logo = self.logo
        file = logo if logo and str(path) == str(logo) else check_image(self.data_dir, path, "template picture")
        placed_mm = width_mm or 160  # no width: Word places it at its size, at most the page's
        data, _ = print_image(file, print_pixels(placed_mm))  # upright, at print resolution
        return InlineImage(tpl, io.BytesIO(data), width=Mm(width_mm) if width_mm else None,
                           height=Mm(height_mm) if height_mm else None)

    def render(self, template: Path, embed: bool = True) -> tuple[bytes, list[str]]:
        from docxtpl import DocxTemplate

        check_package(template, "DOCX")
        try:
            tpl = DocxTemplate(str(template))
            tpl.init_docx()
        except Exception as exc:
            raise RenderError(f"{template}: not a readable DOCX template ({exc})") from None
        warnings = [f"{template}: {w}" for w in split_tags(tpl.docx)]
        env = self.environment()
        with template_errors(str(template), word=True):
            tpl.render(template_context(self, tpl), jinja_env=env, autoescape=True)
        try:
            apply_page_and_styles(tpl.docx, self.report, self.theme)
            define_styles(tpl.docx, self.theme, self.colors)  # the theme's tokens in the named styles
        except MissingStyle as exc:
            raise RenderError(f"Word 模板 {template.name} 缺少样式“{exc}”：请用 Word 或 WPS 打开模板，"
                              "恢复这个内置样式后再保存（或重新导出 reportgen templates export）") from None
        restart_numbering(tpl.docx, ItemNumbering(tpl.docx, self.theme, self.colors))
        warnings += [f"{template}: removed {what}: Word would fetch it from elsewhere when the file is opened"
                     for what in strip_external(tpl.docx)]
        finish(tpl.docx, self.theme, embed)
        buffer = io.BytesIO()
        tpl.save(buffer)
        return normalize_zip(real_metadata(buffer.getvalue())), warnings


# Field instructions that make Word fetch a file or a link when the document is opened
_FETCHING_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT|RD)\b", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def strip_external(document) -> list[str]:
    """Remove from a third-party Word template what Word would fetch from elsewhere when
    the output is opened: external relationships other than hyperlinks (an attached
    template, linked images, OLE links, frames), the ``attachedTemplate`` setting and
    fields such as INCLUDEPICTURE; returns one warning per thing removed."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    removed: list[str] = []
    for part in document.part.package.iter_parts():
        dropped = set()
        for rid, rel in list(part.rels.items()):
            if rel.is_external and rel.reltype != RT.HYPERLINK:
                removed.append(f"external {rel.reltype.rsplit('/', 1)[-1]} {rel.target_ref[:80]!r}")
                del part.rels[rid]
                dropped.add(rid)
        element = getattr(part, "element", None)
        if element is None:
            continue
        for node in element.iter():
            for attr in (f"{_R}link", f"{_R}id"):
                if node.get(attr) in dropped:
                    del node.attrib[attr]
            if node.tag == f"{_W}attachedTemplate":
                node.getparent().remove(node)
                removed.append("attached template")
            elif node.tag == f"{_W}instrText" and node.text and _FETCHING_FIELDS.match(node.text):
                removed.append(f"field {node.text.split()[0].upper()}")
                node.text = ""
            elif node.tag == f"{_W}fldSimple" and _FETCHING_FIELDS.match(node.get(f"{_W}instr", "")):
                removed.append(f"field {node.get(f'{_W}instr').split()[0].upper()}")
                node.set(f"{_W}instr", "")
    return removed


def template_context(renderer: "TemplateRenderer", tpl) -> dict:
    """What a Word template sees: the context of every template (``context.template_data``)
    and two helpers that make pictures (see ``render/view.py``)."""
    return template_data(renderer.report, renderer.theme, renderer.ctx,
                         qr=Helper("qr", lambda url, width_mm=30: renderer.qr(tpl, url, width_mm)),
                         picture=Helper("picture", lambda path, width_mm=None, height_mm=None:
                                        renderer.picture(tpl, path, width_mm, height_mm)))


def word_template_problems(template: Path, known: set[str]) -> list[str]:
    """Names a Word template uses that no template gets (``{{ reprot.title }}``), each with
    the first paragraph that uses it and the names it may use (docxtpl reads the body,
    headers and footers)."""
    from docxtpl import DocxTemplate

    check_package(template, "DOCX")
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
        env = word_environment(_finalize, runs=str, styled=str, nohash=str)
        unknown = tpl.get_undeclared_template_variables(env, dict.fromkeys(known)) - set(env.globals)
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f"{template}: not a readable DOCX template ({type(exc).__name__}: {exc})") from None
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tpl.docx.element.body.iter(f"{_W}p")]
    problems = []
    for name in sorted(unknown):
        uses = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        where = next((f", paragraph {n}" for n, text in enumerate(paragraphs, 1)
                      if any(uses.search(tag.group(0)) for tag in TAG.finditer(text))), "")
        problems.append(f"{template}{where}: unknown name {name!r} (a template may use: {', '.join(sorted(known))})")
    return problems
