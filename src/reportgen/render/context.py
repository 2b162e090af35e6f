"""What one render reads (:class:`Context`) and what every template sees (:func:`template_data`).

HTML, PDF, WeChat and Word templates all receive the same plain data (``render/view.py``):
``report``, ``theme``, ``colors``, ``key_figures``, ``show_key_figures``, ``logo`` (the
logo's file path, for Word's ``picture(logo)``) and ``logo_url`` (for ``<img src>``), plus
what one format adds (``font_faces`` for HTML, the ``qr``/``picture`` helpers for Word).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Report
from ..theme import Theme
from .images import logo_file
from .key_figures import panel
from ..formats import builtin_templates
from .view import plain, report_view


#: the names every template gets (:func:`template_data`)
COMMON_NAMES = ("report", "theme", "colors", "key_figures", "show_key_figures", "logo", "logo_url", "watermark")
#: what the templates of each kind get besides: HTML (HTML, PDF, 公众号 and long image) and Word
ADDED_NAMES: dict[str, tuple[str, ...]] = {
    "html": ("font_faces", "channel", "assets", "page_height_px"),
    "docx": ("qr", "picture"),
}


def template_names(kind: str) -> set[str]:
    """Every name a template of *kind* ("html" or "docx") may use."""
    return set(COMMON_NAMES) | set(ADDED_NAMES[kind])


@dataclass(frozen=True)
class Context:
    """Where a render reads from: the data folder and the template search path."""

    data_dir: Path
    template_dirs: tuple[Path, ...] = ()
    builtin_dir: Path = field(default_factory=builtin_templates)
    warnings: list[str] = field(default_factory=list, compare=False)
    inputs: list[str] = field(default_factory=list, compare=False)  # files the render read (images …)
    name: str = "document"  # the output files' stem, for formats whose files refer to each other
    embed_fonts: bool = True  # DOCX: carry the bundled faces (--no-embed-fonts leaves them out)
    watermark: str = ""  # across every page of a draft under review (审核稿): the studio's previews

    @property
    def search_path(self) -> tuple[Path, ...]:
        return tuple(self.template_dirs) + (self.builtin_dir,)


def template_data(report: Report, theme: Theme, ctx: Context, *, logo_url: str | None = None,
                  **extra: Any) -> dict[str, Any]:
    """The context of every template: plain data, and *extra* for one format."""
    figures = panel(report, theme)
    logo = logo_file(report, theme, ctx.data_dir)
    return {"report": report_view(report), "theme": plain(theme),
            "colors": plain(theme.colors or report.association.colors),
            "key_figures": plain(figures), "show_key_figures": bool(figures),
            "logo": str(logo) if logo else "", "logo_url": logo_url if logo else None,
            "watermark": ctx.watermark, **extra}
