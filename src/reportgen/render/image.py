"""The ``png`` format: the whole document as one long image (长图), 1080 px wide.

The layout's phone template (the same as the 公众号 article's) is laid out by WeasyPrint
on pages 375 CSS px wide with the bundled fonts — so it looks the same on every machine —
and each page is rasterised by PDFium (pypdfium2) at 1080 px across. A page is
:data:`PAGE_HEIGHT_PX` tall, so a document longer than one page (≈ 19 000 px of image)
becomes numbered parts: ``<name>.png``, ``<name>-2.png`` …; the last part is cut below
the content. Rasterising a PDF keeps one layout engine for print and image, and needs no
browser: a headless browser would bring its own fonts and a second layout of the page.
"""
from __future__ import annotations

import base64
import io

from ..model import Report
from ..theme import Theme
from . import assets as _assets
from .context import Context
from .view import Record

#: the image's width in pixels, and the layout's width in CSS px (a phone's)
IMAGE_WIDTH_PX = 1080
LAYOUT_WIDTH_PX = 375
#: one page of layout in CSS px at most: 6900 × 1080 / 375 ≈ 19 900 px of image per part
PAGE_HEIGHT_PX = 6900
#: blank space kept below the content of the last part, in image pixels
BOTTOM_MARGIN_PX = 24


def prepare() -> None:
    from .pdf import _weasyprint

    _weasyprint()
    import pypdfium2  # noqa: F401


def laid_out(report: Report, theme: Theme, ctx: Context) -> bytes:
    """The PDF the image is rasterised from: pages of a phone's width, parts of even length."""
    from .html import render_html
    from .pdf import lay_out, pdf_urls

    pictures = _assets.collect(report, theme, ctx)
    sources = Record({a.key: f"data:{a.mime};base64,{base64.b64encode(a.data).decode('ascii')}"
                      for a in pictures})

    def layout(page_height: int) -> bytes:  # the PDF's fonts and logo URLs, screen pictures
        html = render_html(report, theme, ctx, fmt="png", extra={
            **pdf_urls(report, theme, ctx), "channel": "image", "assets": sources, "page_height_px": page_height})
        return lay_out(html, report, theme, ctx)

    pdf = layout(PAGE_HEIGHT_PX)
    pages, last = _measure(pdf)
    if pages > 1:  # parts of even length instead of full parts and a short tail
        pdf = layout(min(PAGE_HEIGHT_PX, int(((pages - 1) * PAGE_HEIGHT_PX + last) / pages * 1.04) + 40))
    return pdf


#: what a proofreader reads of the image: the text of the layout it is rasterised from
proof_source = laid_out


def render(report: Report, theme: Theme, ctx: Context) -> dict[str, bytes]:
    parts = rasterise(laid_out(report, theme, ctx))
    return {(".png" if i == 0 else f"-{i + 1}.png"): part for i, part in enumerate(parts)}


def _content_bottom(image) -> int:
    """The lowest row of *image* that differs from its bottom-left pixel (the page colour)."""
    from PIL import Image, ImageChops

    background = Image.new("RGB", image.size, image.getpixel((0, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    return box[3] if box else 1


def _measure(pdf: bytes) -> tuple[int, float]:
    """(pages, height of the last page's content in CSS px), from a coarse rendering."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[len(document) - 1]
        scale = 0.25
        image = page.render(scale=scale).to_pil().convert("RGB")
        css_px_per_pixel = LAYOUT_WIDTH_PX / image.width
        return len(document), _content_bottom(image) * css_px_per_pixel
    finally:
        document.close()


def rasterise(pdf: bytes) -> list[bytes]:
    """Each page of *pdf* as a PNG :data:`IMAGE_WIDTH_PX` wide; the last one cut below its content."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    out = []
    try:
        for index in range(len(document)):
            page = document[index]
            scale = IMAGE_WIDTH_PX / page.get_width()
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            if index == len(document) - 1:
                bottom = min(image.height, _content_bottom(image) + BOTTOM_MARGIN_PX)
                image = image.crop((0, 0, image.width, bottom))
            buffer = io.BytesIO()
            # a palette keeps anti-aliased text and flat colours at a quarter of the size of
            # RGB; the octree quantizer is 6× faster than median cut for the same file
            image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
                buffer, "PNG", compress_level=3)  # level 6: 15 % smaller, 0.17 s slower
            out.append(buffer.getvalue())
    finally:
        document.close()
    return out
