"""Rendering: data file → one file per output format, each made by the renderer module
the format registry names (``reportgen/formats.py``).

``render_file`` is what the CLI, the batch workers and the studio call (within limits,
written all or none); ``render_bytes`` renders one format of a loaded report in memory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import DataError, RenderError, ReportgenError
from ..io import human_field, load_report, write_all
from ..limits import DEFAULT as DEFAULT_LIMITS, Limits, run_limited
from ..model import Report
from ..theme import Theme, load_theme
from .context import Context
from .images import check_image, logo_file
from ..formats import FORMATS, Output, builtin_templates, get_format


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


def preflight_problems(report: Report, theme: Theme, ctx: Context, formats: Iterable[str] = ("pdf",), *,
                       draft: bool = False) -> tuple[list[str], list[str]]:
    """Everything rendering *formats* would refuse, and what it would warn about:
    ``(errors, warnings)``, each message naming its place. Characters no font covers are
    errors when reportgen draws the glyphs (PDF, long image), warnings when only the
    reader's Word or phone does (DOCX, 公众号). Fields left empty to fill in stop a render;
    for a *draft* (``validate``) they are warnings, and the templates are read for names
    no template gets (a render finds those only on the branches it takes)."""
    from ..yearly import consistency_warnings
    from .fonts import coverage_problems

    from ..formats import cannot_render

    formats = tuple(formats)
    errors: list[str] = [said for said in (cannot_render(f, report.layout) for f in formats) if said]
    if draft and not errors:
        from .templating import template_problems

        errors += template_problems(report.layout, theme.style, ctx.search_path, formats)
    warnings: list[str] = []
    unfilled = [f"{human_field(tuple(int(p) if p.isdigit() else p for p in name.split('.')))}: empty; "
                "fill it in before rendering" for name in report.unfilled()]
    (warnings if draft else errors).extend(unfilled)
    texts = list(report.texts())
    if theme.banner_text:
        texts.append(("theme.banner_text", theme.banner_text))
    missing = coverage_problems(texts, theme)
    if any(get_format(f).draws_glyphs for f in formats):
        errors += missing
    else:
        warnings += [f"{problem} (the reader's fonts may not draw it either)" for problem in missing]
    for where, image in report.images():
        if image.path:
            try:
                check_image(ctx.data_dir, image.path, where)
            except RenderError as exc:
                errors.append(str(exc))
    try:
        logo_file(report, theme, ctx.data_dir)
    except RenderError as exc:
        errors.append(str(exc))
    warnings += consistency_warnings(report)
    return errors, warnings


def preflight(report: Report, theme: Theme, ctx: Context, formats: Iterable[str] = ("pdf",)) -> None:
    """Fail before rendering with the first problem :func:`preflight_problems` finds;
    its warnings go to ``ctx.warnings``."""
    from ..errors import FontCoverageError
    from .fonts import NO_FONT

    errors, warnings = preflight_problems(report, theme, ctx, formats)
    if errors:
        raise (FontCoverageError if NO_FONT in errors[0] else RenderError)(errors[0])
    ctx.warnings.extend(warnings)


@dataclass
class Checked:
    """What :func:`check_file` found: every error ``render`` would stop at, and its warnings."""

    source: Path
    errors: list[str]
    warnings: list[str]
    report: Report | None = None


def render_context(report: Report, data_dir: Path, template_dirs: Iterable[Path] = (), **options) -> Context:
    """The context a render of *report* works in: its data folder, the template search path
    (*template_dirs* first, then the data file's own ``templates:``, then the built-in ones)."""
    return Context(data_dir=data_dir,
                   template_dirs=tuple(Path(p).resolve() for p in template_dirs) + association_folders(report, data_dir),
                   builtin_dir=builtin_templates(), **options)


def _check(data_file: Path, formats: tuple[str, ...], theme: str | Path | None,
           template_dirs: tuple[Path, ...]) -> Checked:
    from ..errors import DataErrors

    try:
        report = load_report(data_file)
    except DataErrors as exc:
        return Checked(data_file, [str(error) for error in exc.errors], [])
    except ReportgenError as exc:
        return Checked(data_file, [str(exc)], [])
    data_dir = data_file.parent.resolve()
    try:
        ctx = render_context(report, data_dir, template_dirs)
        chosen = resolve_theme(report, ctx, theme)
    except DataError as exc:
        return Checked(data_file, [str(exc.at(data_file))], [], report)
    except ReportgenError as exc:
        return Checked(data_file, [f"{data_file}: {exc}"], [], report)
    errors, warnings = preflight_problems(report, chosen, ctx, formats, draft=True)
    return Checked(data_file, [f"{data_file}: {e}" for e in errors], [f"{data_file}: {w}" for w in warnings], report)


def check_file(data_file: Path | str, formats: Iterable[str] = ("pdf", "docx"), *,
               theme: str | Path | None = None, template_dirs: Iterable[Path] = (),
               limits: Limits | None = None) -> Checked:
    """The full preflight of one data file for *formats*: its data, its theme, its images
    and logo (decoded), the fonts for every character, and the consistency of its year,
    titles and lists — with the messages ``render`` gives, all of them, not only the first.
    Runs within *limits* like a render (images are decoded)."""
    data_file = Path(data_file)
    chosen = parse_formats(formats)
    return run_limited(_check, data_file, chosen, theme, tuple(template_dirs),
                       limits=(limits or DEFAULT_LIMITS).with_seconds(120), what=str(data_file))


def render_bytes(report: Report, theme: Theme, ctx: Context, fmt: str) -> Output:
    """One format of *report*, in memory: bytes, or ``{suffix: bytes}`` for several files."""
    return get_format(fmt).renderer(report, theme, ctx)


def _proof_sources(data_file: Path, formats: tuple[str, ...], theme: str | Path | None,
                   template_dirs: tuple[Path, ...]) -> dict[str, tuple[str, bytes]]:
    import importlib

    report = load_report(data_file)
    ctx = render_context(report, data_file.parent.resolve(), template_dirs, name=data_file.stem)
    chosen = resolve_theme(report, ctx, theme)
    preflight(report, chosen, ctx, formats)
    out = {}
    for name in formats:
        fmt = get_format(name)
        source = getattr(importlib.import_module(fmt.module), "proof_source", None)
        if source is not None:
            out[name] = (fmt.reads_as, source(report, chosen, ctx))
            continue
        output = render_bytes(report, chosen, ctx, name)
        out[name] = (fmt.reads_as, output if isinstance(output, bytes) else output[fmt.suffix])
    return out


def proof_sources(data_file: Path | str, formats: Iterable[str], *, theme: str | Path | None = None,
                  template_dirs: Iterable[Path] = (), limits: Limits | None = None) -> dict[str, tuple[str, bytes]]:
    """What a proofreader reads of each of *formats* rendered from *data_file*, in memory and
    within *limits*: ``{format: (kind, bytes)}`` with *kind* "pdf", "docx" or "html" (the
    format's ``reads_as``; the long image is read from the layout it is rasterised from)."""
    data_file = Path(data_file)
    return run_limited(_proof_sources, data_file, parse_formats(formats), theme, tuple(template_dirs),
                       limits=limits or DEFAULT_LIMITS, what=str(data_file))


#: a rendered file larger than this is not read back (no output of a real document comes near it)
MAX_READ_BACK_BYTES = 200 * 1024 * 1024


def rendered_sources(folder: Path | str, stem: str) -> dict[str, tuple[str, bytes]]:
    """The files ``render`` wrote for *stem* in *folder* that a proofreader can read:
    ``{format: (kind, bytes)}`` as :func:`proof_sources` gives (a long image is pixels: its
    text is checked with ``--channels png``, which lays it out again)."""
    folder = Path(folder).resolve()
    out = {}
    for name, fmt in FORMATS.items():
        path = folder / (stem + fmt.suffix)
        if fmt.suffix.endswith(".png") or not path.is_file() or path.is_symlink():
            continue
        if path.stat().st_size > MAX_READ_BACK_BYTES:
            raise RenderError(f"{path}: larger than {MAX_READ_BACK_BYTES >> 20} MB, not read back")
        out[name] = (fmt.reads_as, path.read_bytes())
    return out


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
    for fmt in formats:
        get_format(fmt).prepare()


#: what :func:`warm` renders once: a short bulletin in every face of the default theme
WARM_UP = {"association": {"name": "示例市科学技术协会", "short_name": "市科协"}, "year": 2021,
           "title": "2021年市科协十件大事", "subtitle": "（2021年12月）",
           "lists": [{"name": "十件大事", "items": [
               {"title": "召开第十次代表大会“科创中国”",
                "paragraphs": ["全年举办活动120余场次，参与人数超过3万人，同比增长12.5%。"]},
               {"title": "全国科普日", "paragraphs": ["ABC 2021"]}]}]}


def warm(formats: Iterable[str], sample: bool = True) -> None:
    """:func:`prepare`, compile the built-in templates and render a short sample once in
    this process: for a process that forks many renders (a batch worker, the studio,
    ``render`` of several files), whose children then inherit the fonts loaded by Pango,
    the parsed style sheets and the shaped glyphs instead of loading them each (≈ 0.4 s
    less per document; *sample* False leaves the sample out). Not for one render: it would
    only add the sample's time."""
    import tempfile

    from ..io import validate_data
    from .html import compile_builtin

    chosen = parse_formats(formats)
    prepare(chosen)
    compile_builtin()
    if not sample:
        return
    report = validate_data(Path("<warm-up>"), WARM_UP)
    ctx = Context(data_dir=Path(tempfile.gettempdir()).resolve(), builtin_dir=builtin_templates())
    for name in ("default", "formal"):
        theme = load_theme(name, builtin_dir=ctx.builtin_dir)
        for fmt in chosen:
            try:
                render_bytes(report, theme, ctx, fmt)
            except Exception:  # a machine that cannot render the sample renders nothing else either;
                pass               # the real render says why (and a batch worker must still start)
    from ..formats import learned

    learned()  # what the sample taught stays here, not sent on as news


def output_files(stem: str, fmt: str, output: Output) -> dict[str, bytes]:
    """``{file name: bytes}`` of one format's output for a document named *stem*."""
    if isinstance(output, bytes):
        return {stem + get_format(fmt).suffix: output}
    return {stem + suffix: blob for suffix, blob in output.items()}


@dataclass
class Inputs:
    """What a document's outputs depend on, besides the files a render reads through links
    (those are in :attr:`Rendered.inputs`)."""

    files: list[Path]                   # the data file, its images, logos
    folders: list[Path]                 # template folders, the built-in templates, the fonts
    theme_json: str = ""                # the theme as resolved (with what it extends)


def document_inputs(data_file: Path, *, theme: str | Path | None = None,
                    template_dirs: Iterable[Path] = ()) -> Inputs:
    """The one list of what rendering *data_file* reads; the batch build hashes it. A data
    file that does not load lists only itself (the render will fail and say why)."""
    from .fonts import FONT_DIR

    data_file = Path(data_file)
    inputs = Inputs([data_file], [])
    try:
        report = load_report(data_file)
    except ReportgenError:
        return inputs
    data_dir = data_file.parent.resolve()
    inputs.files += [data_dir / image.path for _, image in report.images() if image.path]
    if report.association.logo:
        inputs.files.append(data_dir / report.association.logo)
    own = tuple(data_dir / folder for folder in report.templates)
    inputs.folders += [Path(p) for p in template_dirs] + list(own) + [builtin_templates(), FONT_DIR]
    try:
        chosen = resolve_theme(report, Context(data_dir=data_dir), theme)
    except ReportgenError:
        return inputs
    inputs.theme_json = chosen.model_dump_json()
    if chosen.logo:
        inputs.files.append(Path(chosen.logo))
    return inputs


def _preview(report: Report, data_dir: Path, font_base: str, file_base: str,
             template_dirs: tuple[Path, ...] = ()) -> str:
    ctx = render_context(report, data_dir, template_dirs)
    chosen = resolve_theme(report, ctx)
    preflight(report, chosen, ctx)
    from .fonts import font_face_css
    from .html import render_html

    logo = logo_file(report, chosen, data_dir)
    logo_url = None
    if logo is not None and logo.is_relative_to(data_dir):
        logo_url = file_base + logo.relative_to(data_dir).as_posix()
    return render_html(report, chosen, ctx, extra={"font_faces": font_face_css(font_base), "logo_url": logo_url})


def preview_html(report: Report, data_dir: Path, *, font_base: str, file_base: str,
                 limits: Limits | None = None, template_dirs: Iterable[Path] = ()) -> str:
    """The HTML of *report* for a browser (the studio's live preview), within *limits*: the
    bundled fonts under *font_base*, the data folder's images under *file_base*."""
    return run_limited(_preview, report, Path(data_dir).resolve(), font_base, file_base, tuple(template_dirs),
                       limits=(limits or DEFAULT_LIMITS).with_seconds(30), what="preview")


def _report_bytes(report: Report, data_dir: Path, fmt: str, watermark: str = "",
                  template_dirs: tuple[Path, ...] = ()) -> bytes:
    ctx = render_context(report, data_dir, template_dirs, name="preview", watermark=watermark)
    chosen = resolve_theme(report, ctx)
    preflight(report, chosen, ctx, (fmt,))
    output = render_bytes(report, chosen, ctx, fmt)
    if not isinstance(output, bytes):
        raise RenderError(f"{fmt} makes several files; preview the PDF instead")
    return output


def preview_bytes(report: Report, data_dir: Path, fmt: str = "pdf", *, limits: Limits | None = None,
                  watermark: str = "", template_dirs: Iterable[Path] = ()) -> bytes:
    """*report* as it stands (not yet saved) rendered to *fmt*, its files read from
    *data_dir*, within *limits*: the studio's PDF preview (*watermark* across every page of a
    draft still under review)."""
    return run_limited(_report_bytes, report, Path(data_dir).resolve(), fmt, watermark, tuple(template_dirs),
                       limits=limits or DEFAULT_LIMITS, what="PDF preview")


def render_all(data_file: Path, formats: tuple[str, ...], theme: str | Path | None,
               template_dirs: tuple[Path, ...], embed_fonts: bool = True
               ) -> tuple[dict[str, bytes], list[str], list[str], dict]:
    """Load, check and render one data file into memory: ``({file name: bytes}, warnings,
    inputs, what the renderers learned)`` (``formats.learned``: it goes back to the parent
    for the next render).

    Every error names the data file. This is the work :func:`render_file` runs inside
    its limits; it writes nothing.
    """
    try:
        report = load_report(data_file)
        data_dir = data_file.parent.resolve()
        ctx = render_context(report, data_dir, template_dirs, name=data_file.stem, embed_fonts=embed_fonts)
        chosen = resolve_theme(report, ctx, theme)
        preflight(report, chosen, ctx, formats)
        files: dict[str, bytes] = {}
        for fmt in formats:
            files.update(output_files(data_file.stem, fmt, render_bytes(report, chosen, ctx, fmt)))
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
    from ..formats import learned

    return files, [f"{data_file}: {w}" for w in ctx.warnings], sorted(set(ctx.inputs)), learned()


def render_file(data_file: Path | str, out_dir: Path | str, formats: Iterable[str] = ("pdf", "docx"), *,
                theme: str | Path | None = None, template_dirs: Iterable[Path] = (),
                timeout: float | None = DEFAULT_TIMEOUT, limits: Limits | None = None,
                embed_fonts: bool = True) -> Rendered:
    """Load, check and render one data file; the outputs are written all or none.

    The work runs within *limits* (time, memory, output; ``timeout`` overrides their
    seconds) in a child process (``reportgen.limits``), and every format is rendered in
    memory before anything is written, so a failure leaves the output folder as it was.
    """
    data_file = Path(data_file)
    chosen = parse_formats(formats)
    limits = (limits or DEFAULT_LIMITS).with_seconds(timeout)
    prepare(chosen)
    files, warnings, inputs, found = run_limited(render_all, data_file, chosen, theme, tuple(template_dirs),
                                                 embed_fonts, limits=limits, what=str(data_file))
    from ..formats import learn

    learn(found)
    out_dir = Path(out_dir)
    targets = {out_dir / name: blob for name, blob in files.items()}
    write_all(targets)
    return Rendered(data_file, list(targets), warnings, inputs)
