"""Language checks an association's 初审 makes by hand today, run on the data.

Four sets of rules, each a YAML file in ``rules/`` (an id, the standard it comes from, a
severity, a pattern or the name of a function, a message, an example and a
counter-example): 规范表述 (``wording.yaml``), GB/T 15834-2011 punctuation
(``punctuation.yaml``), GB/T 15835-2011 numerals (``numerals.yaml``) and privacy
(``privacy.yaml``). An association adds its own names, leaders, banned words and rules in a
``checks.yaml`` beside its data files (:mod:`.config`). :func:`check_report` walks a Report
field by field and returns :class:`Finding`\\ s, each with its place, the rule, what was
written and the standard form; :mod:`.channels` compares what the rendered files say with
the data (三校).

Used by ``reportgen check`` and ``validate``, the studio (beside each field) and the
review's 审核表. Uses only the model, ``metrics`` and ``typography``.
"""
from __future__ import annotations

from pathlib import Path

from ..io import read_yaml, validate_data
from ..model import Report
from .config import CheckConfig, config_beside, load_config
from .engine import SEVERITIES, Finding, Piece, check_report, check_text, exit_status, pieces, rules

__all__ = ["SEVERITIES", "CheckConfig", "Finding", "Piece", "check_file", "check_report", "check_text",
           "config_beside", "exit_status", "load_config", "pieces", "rules"]


def check_file(path: Path | str, config: CheckConfig | None = None) -> tuple[Report, list[Finding]]:
    """Load the data file *path* (a DataError if it does not validate) and check it with
    *config*, else the ``checks.yaml`` beside it; findings carry the file's line numbers."""
    path = Path(path)
    data, lines = read_yaml(path)
    report = validate_data(path, data, lines)
    return report, check_report(report, config if config is not None else config_beside(path), lines=lines)
