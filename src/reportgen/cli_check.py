"""``reportgen check``: the 初审's language checks and the 三校 across channels, a thin command
over :mod:`reportgen.checks`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_common import fail as _fail
from .errors import ReportgenError



@click.command()
@click.argument("data_files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object per file with every finding, for tools")
@click.option("--strict", is_flag=True, help="warnings are errors too (exit 1)")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="the association's checks (default: checks.yaml beside each data file)")
@click.option("--channels", default="", metavar="FORMATS",
              help="also render these formats (pdf,docx,wechat,png or 'all') and check that each prints "
                   "the data's titles and figures as they are (三校)")
@click.option("--rendered", "rendered", type=click.Path(path_type=Path, file_okay=False),
              help="also read back the files 'render' wrote into this folder (<name>.pdf, .docx, .wechat.html, "
                   ".html) and check them against the data (三校)")
@click.option("--rules", "list_rules", is_flag=True, help="list the rules and exit")
def check(data_files, output, strict, config_file, channels, rendered, list_rules) -> None:
    """The 初审's language checks on DATA_FILES: 规范表述, GB/T 15834 punctuation, GB/T 15835
    numerals, privacy and banned words; with --channels, the rendered files against the data.
    Exit 0 with warnings and notes, 1 with errors (or warnings with --strict)."""
    from .checks import check_file, exit_status, load_config, rules
    from .formats import FORMATS

    if list_rules:
        for rule in rules():
            click.echo(f"{rule.id:32} {rule.severity:8} {rule.standard} · {rule.name}")
        return
    if not data_files:
        raise click.UsageError("name the data files to check (or --rules to list the rules)")
    config = None
    try:
        config = load_config(config_file) if config_file is not None else None
    except ReportgenError as exc:
        _fail(exc)
    formats = ("pdf", "docx", "wechat", "png") if channels.strip() == "all" else \
        tuple(f.strip() for f in channels.split(",") if f.strip())
    results, status = [], 0
    for data_file in data_files:
        try:
            report, findings = check_file(data_file, config)
            read = []
            if formats or rendered is not None:
                from .checks.channels import channel_findings
                from .render import proof_sources, rendered_sources

                sources = proof_sources(data_file, formats) if formats else {}
                if rendered is not None:
                    on_disk = rendered_sources(rendered, data_file.stem)
                    if not on_disk:
                        raise ReportgenError(f"{rendered}: no rendered file of {data_file.stem} to read back")
                    sources.update({f"{rendered / data_file.stem}{FORMATS[n].suffix}": v for n, v in on_disk.items()})
                read = list(sources)
                findings += channel_findings(report, sources)
        except ReportgenError as exc:
            _fail(exc)
        status = max(status, exit_status(findings, strict))
        results.append({"file": str(data_file), "findings": [f.as_dict() for f in findings]})
        if output == "text":
            for finding in findings:
                line = f":{finding.line}" if finding.line else ""
                click.echo(f"{data_file}{line}: {finding}")
            counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "note")}
            click.echo(f"{data_file}: {counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes"
                       + (f"; {', '.join(read)} checked against the data" if read else ""), err=True)
    if output == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    sys.exit(status)
