"""Images named by data: they must be readable images inside the data folder."""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from ..errors import RenderError


#: formats that both the PDF (WeasyPrint) and Word can place; EPS, TIFF, WebP … are not
PLACEABLE = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF"}
#: pixels of one image (a 20-megapixel photo has 20 million); more is a decompression bomb
MAX_PIXELS = 80_000_000


def check_image(data_dir: Path, path: str, where: str) -> Path:
    """The image *path* (relative to the data folder) as a checked absolute path.

    Refused: a path (or a symlink) leading out of the data folder, a missing file, a
    file that is not an image, an image in a format one of the outputs cannot place
    (EPS, TIFF …), a truncated or corrupt image (decoded in full here), an image of more
    than :data:`MAX_PIXELS`. WeasyPrint would skip a broken image silently.
    """
    import warnings

    from PIL import Image, UnidentifiedImageError

    if "\\" in path or re.match(r"^[A-Za-z]:", path):
        raise RenderError(f"{where}: image {path!r} is a Windows path; write it relative to the data file "
                          "with / (e.g. images/photo.jpg) and put the image in the data folder")
    file = (data_dir / path).resolve()
    if not file.is_relative_to(data_dir.resolve()):
        raise RenderError(f"{where}: image {path!r} is outside the data folder {data_dir}; refused")
    if not file.is_file():
        raise RenderError(f"{where}: image {path!r} not found in {data_dir}")
    stat = file.stat()
    key = (str(file), stat.st_mtime_ns, stat.st_size)
    if key in _CHECKED:
        return file  # decoded once per process while the file stays as it was
    from .patches import strict_image_decoding

    try:
        with warnings.catch_warnings(), strict_image_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=None) as img:
                kind = img.format
                if kind not in PLACEABLE:
                    raise RenderError(f"{where}: image {path!r} is {kind or 'an unknown format'}, which the "
                                      "PDF and Word cannot both place; save it as PNG or JPEG")
                if img.width * img.height > MAX_PIXELS:
                    raise RenderError(f"{where}: image {path!r} has {img.width}×{img.height} pixels (more "
                                      f"than {MAX_PIXELS // 1_000_000} million); make it smaller")
                img.verify()
            with Image.open(file) as img:
                img.load()  # decodes every pixel: a truncated file fails here, not in the PDF
    except RenderError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise RenderError(f"{where}: image {path!r} is not a readable image ({exc})") from None
    if len(_CHECKED) >= 512:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[key] = True
    return file


#: images decoded in full and found good, by (file, modification time, size): a render names
#: the logo in its preflight, its template context and its layout, and decodes it once
_CHECKED: dict[tuple[str, int, int], bool] = {}


def logo_file(report, theme, data_dir: Path) -> Path | None:
    """The logo to draw: the theme's (an absolute path, resolved when the theme was read)
    or the association's (relative to the data folder); checked like any image."""
    if theme.logo:
        logo = Path(theme.logo)
        return check_image(logo.parent, logo.name, "theme.logo")
    if report.association.logo:
        return check_image(data_dir, report.association.logo, "association.logo")
    return None


#: print resolution: what a photo needs at its placed size, and no more
PRINT_DPI = 300


def print_pixels(width_mm: float) -> int:
    """The pixels across that an image placed *width_mm* wide needs at :data:`PRINT_DPI`."""
    return max(1, round(width_mm / 25.4 * PRINT_DPI))


def print_image(file: Path, max_width_px: int) -> tuple[bytes, str]:
    """The image *file* as the PDF and the DOCX place it: turned upright by its EXIF
    orientation (phones save photos sideways with a note to turn them) and scaled down to
    *max_width_px* across; ``(bytes, MIME type)``. An image that needs neither is passed
    through untouched; the file in the data folder is never changed."""
    stat = file.stat()
    return _print_image(str(file), stat.st_mtime_ns, stat.st_size, max_width_px)


def fit_width(img, max_width_px: int):
    """*img* turned upright by its EXIF orientation and, when wider, scaled down to
    *max_width_px* (LANCZOS): the one resizing of pictures, for print and for screens."""
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(img)
    if img.width > max_width_px:
        img = img.resize((max_width_px, max(1, round(img.height * max_width_px / img.width))),
                         Image.Resampling.LANCZOS)
    return img


@functools.lru_cache(maxsize=64)
def _print_image(path: str, _mtime: int, _size: int, max_width_px: int) -> tuple[bytes, str]:
    from PIL import Image

    raw = Path(path).read_bytes()
    with Image.open(io.BytesIO(raw)) as img:
        kind = img.format
        mime = Image.MIME.get(kind or "", "application/octet-stream")
        turned = img.getexif().get(0x0112, 1) not in (0, 1)  # Orientation
        if not turned and img.width <= max_width_px:
            return raw, mime
        img = fit_width(img, max_width_px)
        buffer = io.BytesIO()
        if kind == "JPEG":
            img.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True)
            return buffer.getvalue(), "image/jpeg"
        if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            img = img.convert("RGBA")
        img.save(buffer, "PNG", optimize=True)
        return buffer.getvalue(), "image/png"
