"""Where output formats and the built-in templates are found: one table, read by everyone.

Adding a format is one renderer module (a ``render(report, theme, ctx)`` function, and
optionally ``prepare()`` to load what it needs once per process), its templates under
``templates/<format>/`` if it has any, and one line in :data:`FORMATS`. The CLI's
``--format`` choices and help, ``build`` manifests and the studio all read this table.
The layouts are ``model.LAYOUTS``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Union

from .errors import RenderError
from .layouts import NAMES as LAYOUT_NAMES

if TYPE_CHECKING:
    from .model import Report
    from .theme import Theme
    from .render.context import Context

#: What a renderer returns: the bytes of one file, or several files as
#: ``{name suffix: bytes}`` (``{".png": …, "-2.png": …}``), each written as ``<stem><suffix>``.
Output = Union[bytes, dict[str, bytes]]


@dataclass(frozen=True)
class Format:
    name: str         # what --format says
    suffix: str       # the main output file: <stem><suffix>
    summary: str      # one line for --help and the studio
    module: str       # the renderer module (imported on first use)
    template: str = ""  # its template on the search path, by layout: "{layout}.html"
    # True when reportgen draws the glyphs itself (with the theme's fonts, bundled ones
    # last): a character no font covers is an error. False when the reader's Word,
    # browser or phone draws them: a warning.
    draws_glyphs: bool = False
    # what a proofreader reads back of it (reportgen.checks.channels): "pdf", "docx" or
    # "html" — the main output file, or what the module's ``proof_source`` returns (the
    # long image is read from the layout it is rasterised from)
    reads_as: str = "pdf"
    # what people call it (the studio's 导出 buttons) and what a download of it is; the
    # studio offers a format with a label
    label: str = ""
    media_type: str = "application/octet-stream"
    # how its templates escape what they print: "html" or "xml" (autoescaping: R&D → R&amp;D)
    # or "none" (a text or Markdown format prints R&D as it is)
    escape: str = "html"
    # the layouts it can render; any other is refused before rendering, by name
    layouts: tuple[str, ...] = LAYOUT_NAMES

    def template_for(self, layout: str) -> str:
        """The template this format renders *layout* with (looked up by format and layout)."""
        return self.template.format(layout=layout)

    @property
    def renderer(self) -> Callable[["Report", "Theme", "Context"], Output]:
        return importlib.import_module(self.module).render

    def prepare(self) -> None:
        """Load what the renderer needs, once per process (before forking limited renders)."""
        prepare = getattr(importlib.import_module(self.module), "prepare", None)
        if prepare is not None:
            prepare()


def learned() -> dict[str, object]:
    """What the renderer modules used in this process learned that a later render reuses
    (the PDF's headline breaks), by module: a limited child returns it to its parent, which
    hands it to :func:`learn`. A module takes part with ``learned()`` and ``learn(found)``."""
    import sys

    out = {}
    for name in sorted({fmt.module for fmt in FORMATS.values()}):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "learned"):
            out[name] = module.learned()
    return out


def learn(found: dict[str, object]) -> None:
    """Hand what a child :func:`learned` to its modules in this process."""
    for name, value in found.items():
        importlib.import_module(name).learn(value)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", ".pdf", "print PDF (WeasyPrint, bundled fonts embedded)", "reportgen.render.pdf",
           "{layout}.html", draws_glyphs=True, label="PDF", media_type="application/pdf"),
    Format("docx", ".docx", "Word file (a Word-authored template if there is one, else built)",
           "reportgen.render.docx", "docx/{layout}.docx", reads_as="docx", label="Word",
           media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document", escape="xml"),
    Format("html", ".html", "the HTML the PDF is laid out from", "reportgen.render.html", "{layout}.html",
           reads_as="html", media_type="text/html; charset=utf-8"),
    Format("wechat", ".wechat.html", "公众号 article: inline styles, images in <name>.wechat/, and a "
           "self-contained <name>.wechat-inline.html", "reportgen.render.wechat", "wechat/{layout}.html",
           reads_as="html", label="公众号", media_type="text/html; charset=utf-8"),
    Format("png", ".png", "长图: one 1080-px-wide image (numbered parts <name>-2.png … past 19 000 px)",
           "reportgen.render.image", "wechat/{layout}.html", label="长图", media_type="image/png"),
)}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise RenderError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None


def cannot_render(fmt: str, layout: str) -> str | None:
    """Why *fmt* cannot render *layout* (None: it can)."""
    chosen = get_format(fmt)
    if layout in chosen.layouts:
        return None
    return f"format {fmt} cannot render layout {layout} (it renders {', '.join(chosen.layouts)})"


def format_help() -> str:
    return "comma-separated formats. " + "; ".join(f"{f.name}: {f.summary}" for f in FORMATS.values())


def builtin_templates() -> Path:
    """The built-in templates, inside the package (``reportgen/templates``)."""
    folder = Path(str(resources.files("reportgen") / "templates"))
    if not (folder / "base.html").is_file():
        raise RenderError(f"built-in templates not found in {folder} (broken installation?)")
    return folder
