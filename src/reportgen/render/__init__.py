"""Rendering: data file → HTML → PDF (WeasyPrint), and data file → DOCX (python-docx).

``render_file`` is what the CLI calls; ``render_bytes`` renders one format of an
already loaded report in memory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import DataError, RenderError
from ..io import load_report, write_all
from ..limits import DEFAULT as DEFAULT_LIMITS, Limits, run_limited
from ..model import Report
from ..theme import Theme, load_theme
from .html import Context, builtin_templates_dir
from .images import check_image, logo_file

FORMATS = ("pdf", "docx", "html")


@dataclass
class Rendered:
    source: Path
    outputs: list[Path]
    warnings: list[str]
    inputs: list[str] = field(default_factory=list)  # files read besides data, theme and templates


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def resolve_theme(report: Report, ctx: Context, theme: str | Path | None = None) -> Theme:
    """The theme named on the command line, else the data file's, else 'default'."""
    if theme is not None:
        return load_theme(theme, builtin_dir=ctx.builtin_dir, relative_to=Path.cwd())
    return load_theme(report.theme, builtin_dir=ctx.builtin_dir, relative_to=ctx.data_dir, confine=True)


def preflight(report: Report, theme: Theme, ctx: Context) -> None:
    """Fail before rendering: characters no font has, images that are missing."""
    from .fonts import check_coverage

    texts = list(report.texts())
    if theme.banner_text:
        texts.append(("theme.banner_text", theme.banner_text))
    check_coverage(texts, theme)
    for where, image in report.images():
        if image.path:
            check_image(ctx.data_dir, image.path, where)
    logo_file(report, theme, ctx.data_dir)


def render_bytes(report: Report, theme: Theme, ctx: Context, fmt: str) -> bytes:
    if fmt in ("pdf", "html"):
        from .html import render_html

        html = render_html(report, theme, ctx, for_pdf=fmt == "pdf")
        if fmt == "html":
            return html.encode("utf-8")
        from .pdf import html_to_pdf

        logo = logo_file(report, theme, ctx.data_dir)
        folders = {"data": ctx.data_dir, **({"logo": logo.parent} if logo else {})}
        return html_to_pdf(html, folders, allowed=(ctx.data_dir,) + ctx.search_path, served=ctx.inputs)
    if fmt == "docx":
        from .docx_template import TemplateRenderer, find_docx_template

        template = find_docx_template(report.layout, theme.style, ctx.search_path)
        if template is not None:  # a Word-authored template
            blob, warnings = TemplateRenderer(report, theme, ctx.data_dir).render(template)
            ctx.warnings.extend(warnings)
            return blob
        from .docx import render_docx

        return render_docx(report, theme, ctx.data_dir)
    raise RenderError(f"unknown format {fmt!r}")


DEFAULT_TIMEOUT = DEFAULT_LIMITS.seconds


def association_folders(report: Report, data_dir: Path) -> tuple[Path, ...]:
    """The data file's own template folders (``templates:``), each inside the data folder."""
    folders = []
    for name in report.templates:
        folder = (data_dir / name).resolve()
        if not folder.is_relative_to(data_dir):
            raise DataError(None, f"template folder {name!r} is outside the data folder {data_dir}; "
                            "put it beside the data file or name it with --templates", field="templates")
        folders.append(folder)
    return tuple(folders)


def prepare(formats: Iterable[str]) -> None:
    """Import and set up the renderers *formats* need, so that every limited child
    process starts warm instead of importing WeasyPrint again."""
    if "pdf" in formats:
        from .pdf import _weasyprint

        _weasyprint()
    if "docx" in formats:
        import docx  # noqa: F401
        import docxtpl  # noqa: F401


def render_all(data_file: Path, formats: tuple[str, ...], theme: str | Path | None,
               template_dirs: tuple[Path, ...]) -> tuple[dict[str, bytes], list[str], list[str]]:
    """Load, check and render one data file into memory: ``({format: bytes}, warnings, inputs)``.

    Every error names the data file. This is the work :func:`render_file` runs inside
    its limits; it writes nothing.
    """
    try:
        report = load_report(data_file)
        data_dir = data_file.parent.resolve()
        ctx = Context(data_dir=data_dir,
                      template_dirs=tuple(Path(p).resolve() for p in template_dirs)
                      + association_folders(report, data_dir),
                      builtin_dir=builtin_templates_dir())
        chosen = resolve_theme(report, ctx, theme)
        preflight(report, chosen, ctx)
        blobs = {fmt: render_bytes(report, chosen, ctx, fmt) for fmt in formats}
    except DataError as exc:
        raise exc.at(data_file) from None  # say which data file it was about
    except RenderError as exc:
        raise type(exc)(f"{data_file}: {exc}") from None
    except RecursionError:
        raise DataError(data_file, "nested too deeply to render") from None
    except MemoryError:
        raise  # reportgen.limits says which limit it was
    except Exception as exc:  # a failure inside WeasyPrint or python-docx: still one line
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        raise RenderError(f"{data_file}: rendering failed ({type(exc).__name__}: {exc}); "
                          "REPORTGEN_DEBUG=1 shows the traceback") from None
    return blobs, ctx.warnings, sorted(set(ctx.inputs))


def render_file(data_file: Path | str, out_dir: Path | str, formats: Iterable[str] = ("pdf", "docx"), *,
                theme: str | Path | None = None, template_dirs: Iterable[Path] = (),
                timeout: float | None = DEFAULT_TIMEOUT, limits: Limits | None = None) -> Rendered:
    """Load, check and render one data file; the outputs are written all or none.

    The work runs within *limits* (time, memory, output; ``timeout`` overrides their
    seconds) in a child process (``reportgen.limits``), and every format is rendered in
    memory before anything is written, so a failure leaves the output folder as it was.
    """
    data_file = Path(data_file)
    chosen = parse_formats(formats)
    limits = (limits or DEFAULT_LIMITS).with_seconds(timeout)
    prepare(chosen)
    blobs, warnings, inputs = run_limited(render_all, data_file, chosen, theme, tuple(template_dirs),
                                  limits=limits, what=str(data_file))
    out_dir = Path(out_dir)
    targets = {out_dir / f"{data_file.stem}.{fmt}": blob for fmt, blob in blobs.items()}
    write_all(targets)
    return Rendered(data_file, list(targets), warnings, inputs)
