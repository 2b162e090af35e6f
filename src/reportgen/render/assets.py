"""Pictures for the screen formats (公众号, long image): the data's photos made screen-sized
and upright, and the ballot's QR code as a PNG."""
from __future__ import annotations

import io
from dataclasses import dataclass

from ..model import Report
from ..theme import Theme
from .context import Context
from .filters import qr_png
from .images import check_image, fit_width, logo_file

#: a phone screen shows 1080 device pixels across; larger photos only weigh more
SCREEN_WIDTH_PX = 1080


@dataclass(frozen=True)
class Asset:
    key: str          # what templates look it up by: the image's path, "qr" or "logo"
    name: str         # file name: 1.jpg, qr.png …
    mime: str
    data: bytes


def screen_image(file, key: str, number: int) -> Asset:
    """A photo at most :data:`SCREEN_WIDTH_PX` wide, turned upright by its EXIF orientation."""
    from PIL import Image

    with Image.open(file) as img:
        kind = img.format
        img = fit_width(img, SCREEN_WIDTH_PX)
        buffer = io.BytesIO()
        if kind == "JPEG":
            img.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
            return Asset(key, f"{number}.jpg", "image/jpeg", buffer.getvalue())
        img.save(buffer, "PNG", optimize=True)
        return Asset(key, f"{number}.png", "image/png", buffer.getvalue())


def collect(report: Report, theme: Theme, ctx: Context) -> list[Asset]:
    """Every picture a screen format shows, once each, in document order."""
    out: list[Asset] = []
    seen: set[str] = set()
    logo = logo_file(report, theme, ctx.data_dir)
    if logo:
        out.append(screen_image(logo, "logo", 0))
        out[-1] = Asset("logo", "logo" + out[-1].name[1:], out[-1].mime, out[-1].data)
    for where, image in report.images():
        if image.path and image.path not in seen:
            seen.add(image.path)
            file = check_image(ctx.data_dir, image.path, where)
            ctx.inputs.append(str(file))
            out.append(screen_image(file, image.path, len(seen)))
    if report.vote is not None:
        colors = theme.colors or report.association.colors
        out.append(Asset("qr", "qr.png", "image/png", qr_png(report.vote.url, colors.text, scale=10)))
    return out
