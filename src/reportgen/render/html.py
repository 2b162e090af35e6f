"""Data + theme → HTML, through sandboxed Jinja templates on a search path.

The search path is the user's template folders first, then the built-in ones,
so a user overrides one file (or one block, with ``{% extends
"builtin/bulletin.html" %}``) without copying the rest.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..model import Report
from ..theme import Theme
from .fonts import font_face_css
from .images import logo_file
from .context import Context, template_data
from .templating import environment, template_errors
from ..formats import get_format


def template_context(report: Report, theme: Theme, ctx: Context) -> dict:
    """What an HTML template sees: :func:`~.context.template_data` and the bundled fonts'
    ``@font-face`` rules, files named by ``file:`` URLs of this machine (the PDF passes its
    machine-independent URLs instead: ``pdf.pdf_urls``)."""
    logo = logo_file(report, theme, ctx.data_dir)
    return template_data(report, theme, ctx, logo_url=logo.as_uri() if logo else None, font_faces=font_face_css())


def prepare() -> None:
    """Read the bundled fonts' character maps once per process, before a limited child is
    forked for each render or preview."""
    from ..theme import FontStacks
    from .fonts import coverage

    stacks = FontStacks()  # the official faces looked up once (fontconfig), the bundled ones read
    coverage(stacks.body + stacks.title + stacks.heading + stacks.latin + stacks.kai)


def compile_builtin() -> None:
    """Compile every built-in template (our own, trusted) in a process that forks many renders
    (a batch worker, the studio), so that each child starts warm (≈ 250 ms less per studio
    preview); a single render compiles only the few it uses, in its child. User templates are
    always compiled in the child."""
    from ..formats import builtin_templates

    builtin = builtin_templates()
    env = environment((builtin,))
    for path in sorted(builtin.rglob("*")):
        if path.suffix in (".html", ".css"):
            env.get_template(path.relative_to(builtin).as_posix())


def render(report: Report, theme: Theme, ctx: Context) -> dict[str, bytes]:
    """The ``html`` format: the HTML the PDF is laid out from, portable — the bundled fonts
    (subset to the document's characters, WOFF), the logo and the images are copied into
    ``<name>.files/`` beside it and referenced relatively, never by a ``file://`` URL of
    the machine that rendered it."""
    from .fonts import BUNDLED

    folder = f"{ctx.name}.files"
    files: dict[str, bytes] = {}
    logo = logo_file(report, theme, ctx.data_dir)
    logo_url = None
    if logo is not None:
        logo_url = f"{folder}/logo{logo.suffix.lower()}"
        files[f".files/logo{logo.suffix.lower()}"] = logo.read_bytes()
    placeholder = "/*reportgen-font-faces*/"
    html = render_html(report, theme, ctx, extra={"font_faces": placeholder, "logo_url": logo_url})
    html = _copy_images(html, ctx.data_dir, folder, files)
    characters = "".join(sorted(set(html)))
    rules = []
    for family, weights in BUNDLED.items():
        for weight, path in weights.items():
            name = path.with_suffix(".woff").name
            files[f".files/{name}"] = woff_subset(str(path), characters)
            rules.append(f"@font-face {{ font-family: \"{family}\"; font-weight: {weight}; "
                         f"src: url(\"{folder}/{name}\") format(\"woff\"); }}")
    html = html.replace(placeholder, "\n".join(rules), 1)
    return {".html": html.encode("utf-8"), **files}


_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])([^"']*)\2""", re.IGNORECASE)


def _copy_images(html: str, data_dir: Path, folder: str, files: dict[str, bytes]) -> str:
    """Each ``<img src>`` naming a file of the data folder, copied to *folder* (``files``) and
    referenced there; other sources (``data:``, the web) are left as they are."""
    from html import escape, unescape
    from urllib.parse import unquote, urlsplit

    from .images import check_image

    copied: dict[str, str] = {}

    def local(match: re.Match) -> str:
        source = unescape(match.group(3))
        parts = urlsplit(source)
        if parts.scheme or parts.netloc or source.startswith("/") or not parts.path:
            return match.group(0)
        path = unquote(parts.path)
        if path not in copied:
            file = check_image(data_dir, path, "image")
            name = f"{len(copied) + 1}-{re.sub(r'[^0-9A-Za-z._-]', '_', file.name)}"
            files[f".files/{name}"] = file.read_bytes()
            copied[path] = f"{folder}/{name}"
        return f"{match.group(1)}{match.group(2)}{escape(copied[path])}{match.group(2)}"

    return _SRC.sub(local, html)


@functools.lru_cache(maxsize=16)
def woff_subset(path: str, characters: str) -> bytes:
    """The font at *path* cut down to *characters*, as WOFF (zlib: no extra library)."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # the bounding boxes stay the full font's: recomputing them triples the time
    font = TTFont(path, lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.layout_features = ["*"]  # halt, vert … as in the PDF
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def render_html(report: Report, theme: Theme, ctx: Context, fmt: str = "html", extra: dict | None = None) -> str:
    """*report* through the template that format *fmt* names for its layout; *extra* adds
    to (or replaces in) the template context what that format needs."""
    chosen = get_format(fmt)
    env = environment(ctx.search_path, chosen.escape != "none")
    name = chosen.template_for(report.layout)
    context = {**template_context(report, theme, ctx), **(extra or {})}
    with template_errors(name, ctx.search_path):
        return env.get_template(name).render(context)
