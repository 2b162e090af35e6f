"""Images named by data: they must be readable images inside the data folder."""
from __future__ import annotations

from pathlib import Path

from ..errors import RenderError


def check_image(data_dir: Path, path: str, where: str) -> Path:
    """The image *path* (relative to the data folder) as a checked absolute path.

    Refused: a path (or a symlink) leading out of the data folder, a missing file, a
    file that is not an image. WeasyPrint would skip a broken image silently.
    """
    from PIL import Image, UnidentifiedImageError

    file = (data_dir / path).resolve()
    if not file.is_relative_to(data_dir.resolve()):
        raise RenderError(f"{where}: image {path!r} is outside the data folder {data_dir}; refused")
    if not file.is_file():
        raise RenderError(f"{where}: image {path!r} not found in {data_dir}")
    try:
        with Image.open(file) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
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
