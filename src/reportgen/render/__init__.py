"""Rendering: data file → HTML → PDF (WeasyPrint), and data file → DOCX (python-docx).

``render_file`` is what the CLI calls; ``render_bytes`` renders one format of an
already loaded report in memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import RenderError
from ..io import atomic_write, load_report
from ..model import Report
from ..theme import Theme, load_theme
from .html import Context, builtin_templates_dir

FORMATS = ("pdf", "docx", "html")


@dataclass
class Rendered:
    source: Path
    outputs: list[Path]


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
    logo = report.association.logo
    if logo and not (ctx.data_dir / logo).is_file():
        raise RenderError(f"association.logo: image {logo!r} not found in {ctx.data_dir}")
    for where, image in report.images():
        if image.path and not (ctx.data_dir / image.path).is_file():
            raise RenderError(f"{where}: image {image.path!r} not found in {ctx.data_dir}")


def render_bytes(report: Report, theme: Theme, ctx: Context, fmt: str) -> bytes:
    if fmt in ("pdf", "html"):
        from .html import render_html

        html = render_html(report, theme, ctx)
        if fmt == "html":
            return html.encode("utf-8")
        from .pdf import html_to_pdf

        return html_to_pdf(html, ctx.data_dir, allowed=(ctx.data_dir,) + ctx.search_path)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(report, theme, ctx.data_dir)
    raise RenderError(f"unknown format {fmt!r}")


def render_file(data_file: Path | str, out_dir: Path | str, formats: Iterable[str] = ("pdf", "docx"), *,
                theme: str | Path | None = None, template_dirs: Iterable[Path] = ()) -> Rendered:
    """Load, check and render one data file; each output is written atomically."""
    data_file = Path(data_file)
    report = load_report(data_file)
    ctx = Context(data_dir=data_file.parent.resolve(),
                  template_dirs=tuple(Path(p).resolve() for p in template_dirs),
                  builtin_dir=builtin_templates_dir())
    chosen = resolve_theme(report, ctx, theme)
    preflight(report, chosen, ctx)
    blobs = {fmt: render_bytes(report, chosen, ctx, fmt) for fmt in parse_formats(formats)}
    out_dir = Path(out_dir)
    outputs = []
    for fmt, blob in blobs.items():
        target = out_dir / f"{data_file.stem}.{fmt}"
        with atomic_write(target) as handle:
            handle.write(blob)
        outputs.append(target)
    return Rendered(data_file, outputs)
