"""Rendering: data file → HTML → PDF (WeasyPrint), and data file → DOCX (python-docx).

``render_file`` is what the CLI calls; ``render_bytes`` renders one format of an
already loaded report in memory.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import DataError, RenderError, RenderTimeout
from ..io import atomic_write, load_report
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
    return load_theme(report.theme, builtin_dir=ctx.builtin_dir, relative_to=ctx.data_dir)


def preflight(report: Report, theme: Theme, ctx: Context) -> None:
    """Fail before rendering: characters no font has, images that are missing."""
    from .fonts import check_coverage

    check_coverage(report.texts(), theme)
    for where, image in report.images():
        if image.path:
            check_image(ctx.data_dir, image.path, where)
    logo_file(report, theme, ctx.data_dir)


def render_bytes(report: Report, theme: Theme, ctx: Context, fmt: str) -> bytes:
    if fmt in ("pdf", "html"):
        from .html import render_html

        html = render_html(report, theme, ctx)
        if fmt == "html":
            return html.encode("utf-8")
        from .pdf import html_to_pdf

        logo = logo_file(report, theme, ctx.data_dir)
        extra = (logo.parent,) if logo else ()
        return html_to_pdf(html, ctx.data_dir, allowed=(ctx.data_dir,) + ctx.search_path + extra)
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


DEFAULT_TIMEOUT = 300.0


@contextmanager
def time_limit(seconds: float | None, what: str):
    """Stop the body with :class:`RenderTimeout` after *seconds* (main thread only: SIGALRM)."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"{what}: rendering took longer than {seconds:g} s "
                            "(a template that never ends?); stopped")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_file(data_file: Path | str, out_dir: Path | str, formats: Iterable[str] = ("pdf", "docx"), *,
                theme: str | Path | None = None, template_dirs: Iterable[Path] = (),
                timeout: float | None = DEFAULT_TIMEOUT) -> Rendered:
    """Load, check and render one data file; each output is written atomically.

    Every format is rendered in memory before anything is written, so a failure
    leaves the output folder as it was.
    """
    data_file = Path(data_file)
    report = load_report(data_file)
    own = tuple((data_file.parent / t).resolve() for t in report.templates)  # the association's own
    ctx = Context(data_dir=data_file.parent.resolve(),
                  template_dirs=tuple(Path(p).resolve() for p in template_dirs) + own,
                  builtin_dir=builtin_templates_dir())
    try:
        chosen = resolve_theme(report, ctx, theme)
        preflight(report, chosen, ctx)
        with time_limit(timeout, "render"):
            blobs = {fmt: render_bytes(report, chosen, ctx, fmt) for fmt in parse_formats(formats)}
    except DataError as exc:
        raise exc.at(data_file) from None  # say which data file it was about
    except RenderError as exc:
        raise type(exc)(f"{data_file}: {exc}") from None
    except Exception as exc:  # a failure inside WeasyPrint or python-docx: still one line
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        raise RenderError(f"{data_file}: rendering failed ({type(exc).__name__}: {exc}); "
                          "REPORTGEN_DEBUG=1 shows the traceback") from None
    out_dir = Path(out_dir)
    outputs = []
    for fmt, blob in blobs.items():
        target = out_dir / f"{data_file.stem}.{fmt}"
        with atomic_write(target) as handle:
            handle.write(blob)
        outputs.append(target)
    return Rendered(data_file, outputs, ctx.warnings)
