"""Images named by data: they must be readable images inside the data folder."""
from __future__ import annotations

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
    try:
        with warnings.catch_warnings():
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
    return file


def logo_file(report, theme, data_dir: Path) -> Path | None:
    """The logo to draw: the theme's (an absolute path, resolved when the theme was read)
    or the association's (relative to the data folder); checked like any image."""
    if theme.logo:
        logo = Path(theme.logo)
        return check_image(logo.parent, logo.name, "theme.logo")
    if report.association.logo:
        return check_image(data_dir, report.association.logo, "association.logo")
    return None
