"""HTML → PDF with WeasyPrint, fetching only files from allowed folders."""
from __future__ import annotations

import functools
import io
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import RenderError
from .fonts import FONT_DIR

class ResourceRefused(RenderError):
    pass


def _is_within(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or root in path.parents for root in roots)


@functools.lru_cache(maxsize=1)
def _weasyprint():
    import weasyprint  # heavy: imported on first render only
    from weasyprint.text.fonts import FontConfiguration
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint, FontConfiguration()


def make_url_fetcher(allowed: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves ``file:`` URLs under *allowed* only.

    Symlinks are resolved before the check, so a link out of an allowed folder
    is refused; ``http(s):``, ``ftp:`` and every other scheme are refused.
    """
    weasyprint, _ = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = tuple(Path(p).resolve() for p in allowed) + (FONT_DIR.resolve(),)

    class Refused(FatalURLFetchingError, ResourceRefused):
        pass

    class SafeFetcher(URLFetcher):
        """Refusals are also kept in ``refused``: WeasyPrint skips a failed image or
        stylesheet with a warning, and the render must fail instead."""

        def __init__(self):
            super().__init__()
            self.refused: list[str] = []

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
            path = Path(unquote(parts.path)).resolve()
            if not _is_within(path, roots):
                raise Refused(f"resource {path} refused: outside the data and template folders")
            try:
                body = path.read_bytes()
            except OSError as exc:
                raise Refused(f"resource {path}: {exc.strerror or exc}") from None
            return URLFetcherResponse(path.as_uri(), body, {"Content-Type": _mime(path)})

    return SafeFetcher()


def _mime(path: Path) -> str:
    return {
        ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
        ".svg": "image/svg+xml", ".webp": "image/webp", ".css": "text/css", ".otf": "font/otf",
        ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")


def html_to_pdf(html: str, base_dir: Path, allowed: tuple[Path, ...]) -> bytes:
    """Lay out *html* (relative URLs resolve against *base_dir*) and return the PDF bytes."""
    weasyprint, font_config = _weasyprint()
    fetcher = make_url_fetcher(allowed)
    document = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                               url_fetcher=fetcher)
    buffer = io.BytesIO()
    try:
        # a fixed identifier and no dates: the same input gives byte-identical PDFs
        document.write_pdf(buffer, font_config=font_config, custom_metadata=False,
                           pdf_identifier=b"reportgen")
    except ResourceRefused as exc:
        raise RenderError(str(exc)) from None
    if fetcher.refused:
        raise RenderError(fetcher.refused[0])
    return buffer.getvalue()
