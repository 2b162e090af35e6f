"""HTML → PDF with WeasyPrint, fetching only files from allowed folders."""
from __future__ import annotations

import functools
import hashlib
import io
import logging
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..errors import RenderError
from .fonts import FONT_DIR
from .images import logo_file, print_image, print_pixels
from . import headlines, textlayer

class ResourceRefused(RenderError):
    pass


def _is_within(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or root in path.parents for root in roots)


@functools.lru_cache(maxsize=1)
def _weasyprint():
    from .patches import import_weasyprint

    weasyprint = import_weasyprint()  # heavy: imported on first render only
    from weasyprint.text.fonts import FontConfiguration
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from .patches import install
    install()  # justification and zlib level, where this WeasyPrint was tested
    return weasyprint, FontConfiguration()


#: Files reach WeasyPrint under fixed, machine-independent URLs (``file:///reportgen-files/
#: data/photo.jpg``): WeasyPrint names an image in the PDF after the hash of its URL, so
#: real paths would make the PDF's bytes depend on where the data folder is.
VIRTUAL_ROOT = "/reportgen-files"


def virtual_url(kind: str, relative: str = "") -> str:
    """The URL of *relative* inside the folder that :func:`make_url_fetcher` calls *kind*."""
    return f"file://{VIRTUAL_ROOT}/{kind}/{quote(relative)}"


def prepare() -> None:
    from .html import prepare as prepare_templates

    _weasyprint()
    prepare_templates()
    headlines.prepare()


def pdf_urls(report, theme, ctx) -> dict[str, str | None]:
    """What a template laid out here gets instead of this machine's ``file:`` URLs: the logo
    and the bundled fonts under :func:`virtual_url`, which :func:`lay_out` serves."""
    from .fonts import font_face_css

    logo = logo_file(report, theme, ctx.data_dir)
    return {"logo_url": virtual_url("logo", logo.name) if logo else None,
            "font_faces": font_face_css(virtual_url("fonts"))}


def render(report, theme, ctx) -> bytes:
    """The ``pdf`` format: the layout's HTML template laid out by WeasyPrint."""
    from .html import render_html

    return lay_out(render_html(report, theme, ctx, extra=pdf_urls(report, theme, ctx)), report, theme, ctx)


def lay_out(html: str, report, theme, ctx) -> bytes:
    """*html* made for the PDF (with :func:`pdf_urls`) laid out with the files of a
    render: the data folder, the logo's folder, the template search path."""
    logo = logo_file(report, theme, ctx.data_dir)
    folders = {"data": ctx.data_dir, **({"logo": logo.parent} if logo else {})}
    page = theme.page
    text_width = page.size_mm[0] - page.margin_left_mm - page.margin_right_mm
    return html_to_pdf(html, folders, allowed=(ctx.data_dir,) + ctx.search_path, served=ctx.inputs,
                       image_px=print_pixels(text_width))


def make_url_fetcher(allowed: tuple[Path, ...], virtual: dict[str, Path] | None = None,
                     image_px: int | None = None):
    """A WeasyPrint URL fetcher that serves ``file:`` URLs under *allowed* only; photos are
    served upright and at most *image_px* wide (``images.print_image``), not as stored.

    ``file:///reportgen-files/KIND/…`` is read from ``virtual[KIND]`` (``fonts`` is the
    bundled fonts). Symlinks are resolved before the check, so a link out of an allowed
    folder is refused; ``http(s):``, ``ftp:`` and every other scheme are refused.
    """
    weasyprint, _ = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    folders = {"fonts": FONT_DIR, **(virtual or {})}
    folders = {kind: Path(folder).resolve() for kind, folder in folders.items()}
    roots = tuple(Path(p).resolve() for p in allowed) + tuple(folders.values())

    class Refused(FatalURLFetchingError, ResourceRefused):
        pass

    class SafeFetcher(URLFetcher):
        """Refusals are also kept in ``refused``: WeasyPrint skips a failed image or
        stylesheet with a warning, and the render must fail instead."""

        def __init__(self):
            super().__init__()
            self.refused: list[str] = []
            self.served: list[str] = []  # files read: what an incremental build must watch
            self.roots = roots  # resolved folders it serves: part of a parsed sheet's cache key

        def fetch(self, url, headers=None):
            try:
                return self._fetch(url, headers)
            except Refused as exc:
                self.refused.append(str(exc))
                raise

        def _fetch(self, url, headers):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise Refused(f"resource {url[:200]!r} refused: only local files in the data and "
                              "template folders may be used")
            path = Path(unquote(parts.path))
            kind, _, rest = path.as_posix().removeprefix(VIRTUAL_ROOT + "/").partition("/")
            if path.as_posix().startswith(VIRTUAL_ROOT + "/") and kind in folders:
                path = folders[kind] / rest
            path = path.resolve()
            if not _is_within(path, roots):
                raise Refused(f"resource {path} refused: outside the data and template folders")
            mime = _mime(path)
            served_url = path.as_uri()
            try:
                if image_px and mime in ("image/jpeg", "image/png", "image/gif"):
                    body, mime = print_image(path, image_px)
                    # not the file's own URL: WeasyPrint would read the file again from disk
                    # (LazyLocalImage) and embed it as stored, not as served
                    served_url = url
                else:
                    body = path.read_bytes()
            except OSError as exc:
                raise Refused(f"resource {path}: {exc.strerror or exc}") from None
            self.served.append(str(path))
            return URLFetcherResponse(served_url, body, {"Content-Type": mime})

    return SafeFetcher()


def _mime(path: Path) -> str:
    return {
        ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
        ".svg": "image/svg+xml", ".webp": "image/webp", ".css": "text/css", ".otf": "font/otf",
        ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")


_STYLE_CACHE: dict[tuple, object] = {}
_STYLE_CACHE_SIZE = 32


def _parsed_style(text: str, base_url: str, fetcher, font_config):
    """A parsed ``weasyprint.CSS`` for one ``<style>`` text, reused across renders.

    Parsing and validating the theme's stylesheet costs ≈ 25 ms per document, and in a
    batch it is the same text every time. The key holds everything the parse depends on:
    the text, the base URL and the folders that ``@font-face``/``@import`` may read."""
    key = (text, base_url, fetcher.roots)
    css = _STYLE_CACHE.get(key)
    if css is None:
        weasyprint, _ = _weasyprint()
        css = weasyprint.CSS(string=text, base_url=base_url, url_fetcher=fetcher,
                             font_config=font_config)
        if fetcher.refused:  # not cached: the next render must refuse again
            raise RenderError(fetcher.refused[0])
        if len(_STYLE_CACHE) >= _STYLE_CACHE_SIZE:
            _STYLE_CACHE.pop(next(iter(_STYLE_CACHE)))
        _STYLE_CACHE[key] = css
    return css


def _cacheable(text: str) -> bool:
    # kept in the document: rules whose effect depends on the sheet being the author's
    # own (``!important`` against style attributes) or on per-document state
    lowered = text.lower()
    return "important" not in lowered and "@counter-style" not in lowered


def _take_styles(document, fetcher, font_config) -> list:
    """Move the document's ``<style>`` sheets out of its tree, parsed through the cache.

    They are given back to WeasyPrint as ``stylesheets=``, in document order, where they
    cascade as the user origin: above the user-agent sheet and below style attributes,
    as before (sheets with ``!important`` stay, see ``_cacheable``). A document that links
    stylesheets keeps all its sheets, so that their order is not changed."""
    root = document.etree_element
    if any(el.get("rel", "").lower().split().count("stylesheet") for el in root.iter("link")):
        return []
    sheets = []
    for parent in list(root.iter()):
        for element in list(parent):
            if element.tag != "style" or element.get("media", "all").strip().lower() not in ("all", "print", ""):
                continue
            if element.get("type", "text/css").split(";")[0].strip().lower() != "text/css" or len(element):
                continue
            text = element.text or ""
            if not _cacheable(text):
                continue
            sheets.append(_parsed_style(text, document.base_url, fetcher, font_config))
            parent.remove(element)
    return sheets


#: headline breaks chosen for a page's HTML (by its hash), newest last
_BREAKS: dict[bytes, dict[int, list[int]]] = {}
_NEW_BREAKS: dict[bytes, dict[int, list[int]]] = {}


def remember_breaks(found: dict[bytes, dict[int, list[int]]]) -> None:
    """Keep headline breaks found (here, or in a render's child process) for the next render."""
    for key, decisions in found.items():
        if key not in _BREAKS and len(_BREAKS) >= 64:
            _BREAKS.pop(next(iter(_BREAKS)))
        _BREAKS[key] = decisions


def new_breaks() -> dict[bytes, dict[int, list[int]]]:
    """The headline breaks found since the last call (a render's child sends them back)."""
    found = dict(_NEW_BREAKS)
    _NEW_BREAKS.clear()
    return found


#: what a limited child learned that the next render in the parent reuses (``formats.Format.learned``)
learned, learn = new_breaks, remember_breaks


def _lay_out(weasyprint, html: str, fetcher, font_config):
    document = weasyprint.HTML(string=html, base_url=virtual_url("data"), url_fetcher=fetcher)
    sheets = _take_styles(document, fetcher, font_config)
    laid_out = document.render(font_config=font_config, stylesheets=sheets)
    laid_out.etree_element = document.etree_element  # which element each box belongs to
    return laid_out


def html_to_pdf(html: str, folders: dict[str, Path], allowed: tuple[Path, ...],
                served: list[str] | None = None, image_px: int | None = None) -> bytes:
    """Lay out *html* and return the PDF bytes; the files it read are added to *served*.

    *folders* names the folders behind :func:`virtual_url` (``data``: the data folder,
    against which relative URLs resolve; ``logo``: the theme logo's folder …)."""
    weasyprint, font_config = _weasyprint()
    fetcher = make_url_fetcher(allowed, folders, image_px)
    buffer = io.BytesIO()
    try:
        # headlines broken where phrases end, in even lines: measured in a small layout of the
        # page's headlines alone (headlines.measuring_html), then the page laid out once with
        # the breaks (those found for the same page are reused: a re-render measures nothing)
        key = hashlib.sha256(html.encode()).digest()
        known = _BREAKS.get(key)
        if known is None and 'class="hl"' in html:
            measured = _lay_out(weasyprint, headlines.measuring_html(html), fetcher, font_config)
            known = headlines.balance(measured, measured.etree_element)
            del measured  # (gone before the page is laid out: half the peak memory)
            remember_breaks({key: known})
            _NEW_BREAKS[key] = known
        laid_out = _lay_out(weasyprint, headlines.apply(html, known) if known else html, fetcher, font_config)
        # a fixed identifier and no dates: the same input gives byte-identical PDFs
        laid_out.write_pdf(buffer, custom_metadata=False, pdf_identifier=b"reportgen", finisher=textlayer.finisher)
    except ResourceRefused as exc:
        raise RenderError(str(exc)) from None
    if fetcher.refused:
        raise RenderError(fetcher.refused[0])
    if served is not None:
        served.extend(fetcher.served)
    return buffer.getvalue()
