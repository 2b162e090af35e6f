"""What every ``reportgen`` command shares: its exit codes and its one-line error."""
from __future__ import annotations

import sys

import click

EXIT_DATA = 1      # bad input: data, theme, template
EXIT_USAGE = 2     # click's own usage errors


def fail(error: Exception) -> None:
    """Say *error* in one line on standard error and stop with :data:`EXIT_DATA`."""
    click.echo(f"error: {error}", err=True)
    sys.exit(EXIT_DATA)
