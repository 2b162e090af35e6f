"""The ``wechat`` format: an article that pastes into the 公众号 editor and keeps its look.

The 公众号 editor keeps inline styles and a small set of tags and drops the rest, so the
layout's phone template (``templates/wechat/<layout>.html``, the same one the long image
uses) goes through css-inline, which writes every rule of its ``<style>`` onto the
elements, and then through :func:`clean`. The output obeys these rules (checked by
``tests/test_channels.py`` with an HTML parser):

1. tags only from :data:`ALLOWED_TAGS`; no ``<style>``, ``<script>``, ``<link>``;
2. attributes only ``style``, and ``src``/``alt`` on images (``charset``, ``name``,
   ``content``, ``lang`` in the head); no ``class``, no ``id``;
3. no CSS property from :data:`FORBIDDEN_PROPERTIES` (``position``, ``float`` …), no
   ``url(…)`` and no web font: font stacks of the faces phones have (PingFang SC,
   Microsoft YaHei …);
4. nothing wider than the phone: widths in % or at most 375 px;
5. pictures are files in ``<name>.wechat/`` beside the article (photos at most 1080 px
   wide, upright; the ballot's QR code as PNG); ``<name>.wechat-inline.html`` is the same
   article with the pictures as ``data:`` URIs, for pasting in one go.
"""
from __future__ import annotations

import base64
import re

from ..model import Report
from ..theme import Theme
from ..typography import WORD_JOINER
from . import assets as _assets
from .context import Context
from .view import Record

ALLOWED_TAGS = frozenset({"html", "head", "meta", "title", "body", "section", "p", "span", "strong",
                          "em", "img", "br"})
ALLOWED_ATTRIBUTES = {"img": {"style", "src", "alt"}, "meta": {"charset", "name", "content"},
                      "html": {"lang"}}
FORBIDDEN_PROPERTIES = frozenset({"position", "float", "z-index", "top", "left", "right", "bottom",
                                  "font-face", "transform", "animation", "transition"})
PHONE_WIDTH_PX = 375
_PLACEHOLDER = "reportgen-asset:"
_WIDTH = re.compile(r"(?:^|;)\s*(?:max-|min-)?width\s*:\s*(\d+(?:\.\d+)?)px", re.I)


def prepare() -> None:
    import css_inline  # noqa: F401
    import lxml.html  # noqa: F401


#: what an element shows without saying it: written out, these only lengthen the article (the
#: platform takes less than 20 000 characters of it, styles included)
DEFAULTS = {"strong": {("font-weight", "bold"), ("font-weight", "700")}, "span": {("display", "inline")},
            "em": {("font-style", "italic")}}


def _clean_style(style: str, tag: str = "") -> str:
    kept = []
    implied = DEFAULTS.get(tag, set())
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not name or not value or name in FORBIDDEN_PROPERTIES or "url(" in value.lower():
            continue
        if (name, value.lower()) in implied:
            continue
        kept.append(f"{name}:{value}")
    return ";".join(kept)


def clean(html: str) -> str:
    """Inline the styles and keep only what the 公众号 editor keeps (the rules above)."""
    import css_inline
    import lxml.html

    document = lxml.html.document_fromstring(css_inline.inline(html))
    for element in list(document.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            element.drop_tree()
            continue
        if element.tag not in ALLOWED_TAGS:
            element.drop_tree() if element.tag in ("script", "style", "link") else element.drop_tag()
            continue
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, {"style"})
        for name in list(element.attrib):
            if name not in allowed:
                del element.attrib[name]
        if "style" in element.attrib:
            style = _clean_style(element.attrib["style"], element.tag)
            if style:
                element.attrib["style"] = style
            else:
                del element.attrib["style"]
        if element.tag == "span" and element.attrib.get("style") == "white-space:nowrap" and len(element) == 0:
            # a headline's word kept whole: word joiners inside it (one invisible character
            # between two letters) instead of 41 characters of markup around it
            element.text = WORD_JOINER.join((element.text or "").replace(WORD_JOINER, ""))
            del element.attrib["style"]
        if element.tag == "span" and not element.attrib:
            element.drop_tag()  # a span that says nothing
    return "<!DOCTYPE html>\n" + lxml.html.tostring(document, encoding="unicode")


def render(report: Report, theme: Theme, ctx: Context) -> dict[str, bytes]:
    from .html import render_html

    pictures = _assets.collect(report, theme, ctx)
    keys = Record({a.key: f"{_PLACEHOLDER}{i}" for i, a in enumerate(pictures)})
    html = clean(render_html(report, theme, ctx, fmt="wechat", extra={
        "channel": "wechat", "assets": keys, "font_faces": "",
        "logo_url": keys["logo"] if "logo" in keys else None}))

    def with_sources(source) -> str:
        return re.sub(re.escape(_PLACEHOLDER) + r"(\d+)", lambda m: source(pictures[int(m.group(1))]), html)

    folder = f"{ctx.name}.wechat"
    files = with_sources(lambda a: f"{folder}/{a.name}")
    inline = with_sources(lambda a: f"data:{a.mime};base64,{base64.b64encode(a.data).decode('ascii')}")
    out = {".wechat.html": files.encode("utf-8"), ".wechat-inline.html": inline.encode("utf-8")}
    out.update({f".wechat/{a.name}": a.data for a in pictures})
    return out
