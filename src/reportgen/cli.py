"""The ``reportgen`` command: a thin layer over the Python API.

Heavy modules (WeasyPrint, python-docx) are imported inside the commands that
need them, so ``reportgen --help`` stays instant.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .errors import ReportgenError
from .layouts import NAMES as LAYOUT_NAMES
from .formats import format_help
from .cli_common import EXIT_DATA, fail as _fail


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportgen")
def main() -> None:
    """Chinese year-end bulletins (十件大事 / 十大亮点) from data files to PDF and DOCX."""


@main.command()
@click.argument("data_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", default="pdf,docx", show_default=True, help=format_help())
@click.option("-o", "--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="output folder")
@click.option("--theme", default=None, help="built-in theme name or theme YAML file (default: the data's)")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(path_type=Path),
              help="folder searched for templates before the built-in ones (repeatable)")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="seconds one document may take to render (0: no limit)")
@click.option("--memory-mb", type=click.IntRange(min=0), default=1024, show_default=True,
              help="memory one render may add to what reportgen holds, in MB (0: no limit)")
@click.option("--no-embed-fonts", is_flag=True,
              help="DOCX without the bundled fonts (smaller; machines without the official faces substitute)")
def render(data_files, formats, out_dir, theme, template_dirs, timeout, memory_mb, no_embed_fonts) -> None:
    """Render DATA_FILES (YAML/JSON) to PDF and DOCX in OUT."""
    from .limits import Limits
    from .render import parse_formats, render_file, warm

    failed = 0
    try:
        chosen = parse_formats(formats)
    except ReportgenError as exc:
        _fail(exc)
    if len(data_files) > 1:  # compiled once here, not in each file's render; with many, a sample too
        warm(chosen, sample=len(data_files) >= 8)
    for data_file in data_files:
        try:
            result = render_file(data_file, out_dir, chosen, theme=theme, template_dirs=template_dirs,
                                 timeout=timeout or None, limits=Limits(memory_mb=memory_mb or None),
                                 embed_fonts=not no_embed_fonts)
        except ReportgenError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for output in result.outputs:
            click.echo(f"wrote {output}")
    if failed:
        sys.exit(EXIT_DATA)


@main.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="worker processes (default: the number of cores)")
@click.option("--force", is_flag=True, help="render everything, changed or not")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786) to run the build on a cluster")
@click.option("--quiet", is_flag=True, help="no progress bar and no table: the summary line and errors only")
@click.option("--allow-outside", is_flag=True,
              help="let the manifest name data, themes, templates and outputs outside its folder")
def build(manifest, jobs, force, scheduler, quiet, allow_outside) -> None:
    """Render every document of MANIFEST (YAML/TOML) into its output tree."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .batch import build as run_build, dask_executor, read_manifest

    console = Console(stderr=True)
    try:
        job_list = read_manifest(manifest, allow_outside=allow_outside)
        executor = dask_executor(scheduler) if scheduler else None
    except ReportgenError as exc:
        _fail(exc)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("rendering", total=len(job_list))
        report = run_build(job_list, executor=executor, jobs_n=jobs, force=force,
                           progress=lambda result: bar.advance(task))
    if not quiet:  # --quiet: the summary line and the errors only
        table = Table(title=f"reportgen build: {len(job_list)} documents in {report.seconds:.1f} s")
        for column in ("document", "status", "seconds", "outputs / error"):
            table.add_column(column)
        root = os.path.commonpath([str(job.out_dir) for job in job_list])
        for result in report.results:
            detail = result.error or ", ".join(p.name for p in result.outputs)
            name = os.path.relpath(result.job.key, root)
            style = {"failed": "red", "unchanged": "dim"}.get(result.status, "green")
            table.add_row(name, f"[{style}]{result.status}[/]",
                          f"{result.seconds:.2f}" if result.status == "rendered" else "", detail)
        Console(width=160).print(table)
    click.echo(f"{report.count('rendered')} rendered, {report.count('unchanged')} unchanged, "
               f"{len(report.failed)} failed")
    for result in report.results:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    for result in report.failed:
        click.echo(f"error: {result.error}", err=True)
        if result.removed:
            click.echo(f"note: removed the outputs of its last build, which no longer match the data: "
                       f"{', '.join(str(p) for p in result.removed)}", err=True)
    if report.failed:
        sys.exit(EXIT_DATA)


@main.command()
@click.argument("data_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", default="pdf,docx", show_default=True,
              help="the formats to check for (a character no bundled font has stops a PDF, not a DOCX)")
@click.option("--theme", default=None, help="built-in theme name or theme YAML file (default: the data's)")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(path_type=Path),
              help="folder searched for templates before the built-in ones (repeatable)")
@click.option("--metrics", is_flag=True, help="also list the figures detected in every item")
def validate(data_files, formats, theme, template_dirs, metrics) -> None:
    """Check DATA_FILES as 'render' would: every error with file, line and field, and warnings."""
    from .render import check_file

    bad = 0
    for data_file in data_files:
        try:
            checked = check_file(data_file, formats, theme=theme, template_dirs=template_dirs)
        except ReportgenError as exc:
            _fail(exc)
        for warning in checked.warnings:
            click.echo(f"warning: {warning}", err=True)
        for error in checked.errors:
            click.echo(f"error: {error}", err=True)
        report = checked.report
        if checked.errors or report is None:
            bad += 1
            continue
        findings = _language_findings(data_file)
        for finding in findings:
            line = f":{finding.line}" if finding.line else ""
            click.echo(f"check: {data_file}{line}: {finding}", err=True)
        items = sum(len(lst.items) for lst in report.all_lists())
        click.echo(f"{data_file}: ok ({report.association.short_name} {report.year}, "
                   f"{len(report.all_lists())} lists, {items} items"
                   + (f", {len(checked.warnings)} warnings" if checked.warnings else "")
                   + (f", {len(findings)} language findings: see 'reportgen check')" if findings else ")"))
        if metrics:
            for lst in report.all_lists():
                for position, item in enumerate(lst.items, 1):
                    found = "、".join(m.text for m in item.metrics or [])
                    click.echo(f"  {lst.name} 第{position}项: {found or '-'}")
    if bad:
        sys.exit(EXIT_DATA)


def _language_findings(data_file: Path) -> list:
    """``reportgen check``'s findings for validate (which stops only at what stops a render)."""
    from .checks import check_file

    try:
        return check_file(data_file)[1]
    except ReportgenError as exc:
        click.echo(f"warning: {exc} (language checks skipped)", err=True)
        return []


@main.command("new")
@click.option("--from", "source", required=True, type=click.Path(path_type=Path),
              help="last year's data file (.yaml) to start from")
@click.option("--year", type=click.IntRange(1949, 2200), required=True, help="the new document's year")
@click.option("-o", "--out", "target", required=True, type=click.Path(path_type=Path),
              help="data file to write (.yaml)")
@click.option("--empty", is_flag=True, help="empty item slots instead of last year's items as drafts")
@click.option("--force", is_flag=True, help="overwrite an existing data file")
def new(source, year, target, empty, force) -> None:
    """Start YEAR's document from last year's: years in titles and headings moved,
    last year's items kept as drafts to replace (or emptied), extraction notes cleared."""
    from .errors import OutputExistsError
    from .io import load_report, save_report
    from .yearly import consistency_warnings, next_year

    if target.exists() and not force:
        _fail(OutputExistsError(f"{target}: exists; use --force to overwrite it"))
    try:
        report = next_year(load_report(source), year, empty=empty)
        save_report(report, target, force=force)
    except ReportgenError as exc:
        _fail(exc)
    for warning in consistency_warnings(report):
        click.echo(f"note: {warning}", err=True)
    drafts = sum(item.draft for lst in report.all_lists() for item in lst.items)
    click.echo(f"wrote {target} ({report.title}; {drafts} items to replace)")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--out", "target", required=True, type=click.Path(path_type=Path),
              help="data file to write (.yaml or .json)")
@click.option("--force", is_flag=True, help="overwrite an existing data file")
@click.option("--strict", is_flag=True, help="treat every repair and suspicion as an error")
@click.option("--kind", type=click.Choice(LAYOUT_NAMES),
              help="kind of document (default: recognised from the text)")
@click.option("--year", type=int, help="the report's year (default: from the text)")
@click.option("--name", help="association's full name (default: from the text)")
@click.option("--short-name", help="association's short name (default: from the text)")
def extract(source, target, force, strict, kind, year, name, short_name) -> None:
    """Read SOURCE (.txt, .docx, text .pdf) and write report data that 'validate' accepts."""
    from .errors import OutputExistsError
    from .extract import extract as run_extract
    from .io import save_report

    if target.exists() and not force:
        _fail(OutputExistsError(f"{target}: exists; use --force to overwrite it"))
    association = {k: v for k, v in (("name", name), ("short_name", short_name)) if v}
    try:
        result = run_extract(source, kind=kind, year=year, association=association or None)
    except ReportgenError as exc:
        _fail(exc)
    level = "error" if strict else "warning"
    for finding in result.findings:
        click.echo(f"{level}: {finding}", err=True)
    if strict and result.findings:
        click.echo(f"error: {len(result.findings)} findings with --strict; nothing written", err=True)
        sys.exit(EXIT_DATA)
    try:
        save_report(result.report, target, force=force)
    except ReportgenError as exc:
        _fail(exc)
    report = result.report
    click.echo(f"wrote {target} ({result.kind}: {report.association.short_name or '(association?)'} "
               f"{report.year or '(year?)'}, "
               f"{len(result.findings)} findings)")


@main.command()
@click.option("--theme", "which", flag_value="theme", help="the schema of theme files instead")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), help="write to a file instead of stdout")
@click.option("--force", is_flag=True, help="overwrite an existing file")
def schema(which, out, force) -> None:
    """Print the JSON Schema of data files (for editor autocompletion)."""
    if which == "theme":
        from .theme import Theme

        data = Theme.model_json_schema()
    else:
        from .model import json_schema

        data = json_schema()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out:
        from .files import atomic_write, check_target

        try:
            check_target(out, force=True)          # a device, a system file or a folder: refused first
            same = out.is_file() and _same_text(out, text)
            with atomic_write(out, "w", force=force or same) as handle:
                handle.write(text)
        except ReportgenError as exc:
            _fail(exc)
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)


def _same_text(path: Path, text: str) -> bool:
    """Whether the regular file *path* holds exactly *text* (read only when the sizes agree)."""
    data = text.encode("utf-8")
    return path.stat().st_size == len(data) and path.read_bytes() == data


@main.command()
@click.argument("candidates", type=click.Path(path_type=Path))
@click.option("--votes", "votes_path", required=True, type=click.Path(path_type=Path),
              help="vote export: CSV or XLSX, one row per vote or per-item totals")
@click.option("--experts", "experts_path", type=click.Path(path_type=Path), help="expert scores (CSV or XLSX)")
@click.option("--expert-weight", type=float, default=0.5, show_default=True,
              help="share of the expert score in the combined score (0 to 1)")
@click.option("--top", type=click.IntRange(1, 100), default=10, show_default=True, help="items kept per list")
@click.option("--names", help="final list names, comma-separated (default: 候选大事 → 十件大事, 候选亮点 → 十大亮点)")
@click.option("--drop-suspicious", is_flag=True, help="drop the votes of suspected ballot stuffing")
@click.option("-o", "--out", "target", required=True, type=click.Path(path_type=Path), help="final data file")
@click.option("--audit", type=click.Path(path_type=Path),
              help="audit report, .xlsx or .csv (default: <out>-audit.xlsx)")
@click.option("--column", "column_map", multiple=True, metavar="ROLE=HEADER",
              help="which column of the export is what, for headers reportgen does not know "
                   "(e.g. --column item=投票选项; roles: voter, time, item, list, number, votes)")
@click.option("--force", is_flag=True, help="overwrite existing files")
def tally(candidates, votes_path, experts_path, expert_weight, top, names, drop_suspicious, target, audit,
          column_map, force) -> None:
    """Count the vote on CANDIDATES, add expert scores, write the final bulletin data and an audit."""
    from .errors import DataError
    from .io import load_report, report_to_yaml, write_all
    from .limits import Limits, run_limited
    from .tally import audit_csv, audit_xlsx, parse_columns, tally as run_tally

    audit = audit or target.with_name(target.stem + "-audit.xlsx")
    try:
        if audit.suffix.lower() not in (".xlsx", ".csv"):
            raise DataError(None, f"--audit {audit}: name an .xlsx or a .csv file", field="--audit")
        columns = parse_columns(column_map)
        report = load_report(candidates)
        result = run_limited(run_tally, report, votes_path, experts_path, limits=Limits(seconds=300),
                             what=str(votes_path), weight=expert_weight, top=top,
                             names=[n.strip() for n in names.split(",")] if names else None,
                             drop_suspicious=drop_suspicious, columns=columns)
        assert result.final is not None  # tally() raises when there is nothing to publish
        audit_bytes = (audit_xlsx(result) if audit.suffix.lower() == ".xlsx"
                       else ("\ufeff" + audit_csv(result)).encode("utf-8"))  # the BOM: Excel reads UTF-8
        write_all({target: report_to_yaml(result.final).encode("utf-8"), audit: audit_bytes}, force=force)
    except DataError as exc:
        _fail(exc.at(candidates))
    except ReportgenError as exc:
        _fail(exc)
    for question, list_name in result.questions.items():
        click.echo(f"   问题  “{question}” → {list_name}")
    for question in result.ignored:
        click.echo(f"   问题  “{question}” 不是投票题，未计")
    for rule in result.rules:
        click.echo(f"{rule.removed:>7}  {rule.text}")
    for line in result.ties + result.suspicious:
        click.echo(f"   note  {line}")
    click.echo(f"wrote {target} and {audit}")


@main.group()
def templates() -> None:
    """List the templates and themes, or copy one out to customise it."""


def _template_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                  and not p.name.startswith(".") and p.suffix in (".html", ".css", ".docx", ".yaml", ".yml"))


@templates.command("list")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(path_type=Path),
              help="your template folders, searched before the built-in ones")
def templates_list(template_dirs) -> None:
    """Show every template: yours (overriding) and the built-in ones."""
    from .formats import builtin_templates as builtin_templates_dir

    builtin = builtin_templates_dir()
    shadowed: set[str] = set()
    for folder in template_dirs:
        if not folder.is_dir():
            _fail(ReportgenError(f"{folder}: template folder does not exist"))
        for name in _template_files(folder):
            note = " (overrides built-in)" if (builtin / name).exists() and name not in shadowed else ""
            click.echo(f"{folder}/{name}{note}")
            shadowed.add(name)
    for name in _template_files(builtin):
        click.echo(f"builtin/{name}{' (overridden)' if name in shadowed else ''}")


@templates.command("export")
@click.argument("name")
@click.argument("target", type=click.Path(path_type=Path), default="templates", required=False)
@click.option("--force", is_flag=True, help="overwrite an existing file")
def templates_export(name, target, force) -> None:
    """Copy built-in template NAME (e.g. bulletin.html, docx/bulletin.docx, themes/formal.yaml) into
    TARGET (default: templates/, the office's own templates, searched first by make examples and
    make studio)."""
    from .io import atomic_write
    from .formats import builtin_templates as builtin_templates_dir

    builtin = builtin_templates_dir()
    source = (builtin / name).resolve()
    if not source.is_relative_to(builtin.resolve()) or not source.is_file():
        _fail(ReportgenError(f"{name}: no such built-in template; 'reportgen templates list' shows them"))
    destination = target / name
    try:
        with atomic_write(destination, "wb", force=force) as handle:
            handle.write(source.read_bytes())
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"wrote {destination}")


@main.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on; anything but loopback needs --token")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="port (default: a free one)")
@click.option("--token", default=None, help="a secret every request must carry (for a team on a network)")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="another name the studio answers to, e.g. a reverse proxy's (repeatable); other "
                   "Host names are refused")
@click.option("--no-browser", is_flag=True, help="do not open the browser")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(path_type=Path),
              help="folder searched for templates and themes before the built-in ones (repeatable), "
                   "e.g. the office's templates/")
def serve(folder, host, port, token, allowed_hosts, no_browser, template_dirs) -> None:
    """Start the studio (a web page in Chinese) on the data files of FOLDER."""
    from .studio import serve as run_studio

    try:
        run_studio(folder, host=host, port=port, token=token, open_browser=not no_browser,
                   allowed_hosts=tuple(allowed_hosts), template_dirs=tuple(template_dirs))
    except ReportgenError as exc:
        _fail(exc)


@main.command()
def doctor() -> None:
    """Check the libraries and fonts rendering depends on."""
    from .doctor import run_checks

    failed = False
    for check in run_checks():
        mark = "ok  " if check.ok else ("FAIL" if check.required else "note")
        click.echo(f"{mark}  {check.name}: {check.detail}")
        failed |= check.required and not check.ok
    if failed:
        sys.exit(EXIT_DATA)


def _people_commands() -> None:
    from .cli_check import check
    from .cli_publish import publish
    from .cli_review import backup, review, users

    main.add_command(check)
    main.add_command(publish)
    main.add_command(users)
    main.add_command(review)
    main.add_command(backup)


_people_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
