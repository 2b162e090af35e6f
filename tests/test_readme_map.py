"""The README's "where things are" map names files that exist."""
from __future__ import annotations

import re

from conftest import ROOT


def test_every_file_the_map_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Where things are"):]
    named = set(re.findall(r"`((?:src|tests)/[^`<>]+?\.(?:py|html|yaml))`", section))
    assert len(named) >= 12
    missing = sorted(n for n in named if not (ROOT / n).is_file())
    assert not missing, missing


def test_every_file_the_readme_names_exists():
    """Not only the map: a path in backquotes anywhere in the README (``render/pdf.py``, counted
    from the package, or ``scripts/…``, ``tests/…``, ``deploy/…`` from the repository) exists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w./-]+/[\w.-]+\.(?:py|html|yaml|css|service|txt|docx))`", text))
    assert len(named) >= 20
    bases = (ROOT, ROOT / "src", ROOT / "src" / "reportgen")
    missing = sorted(n for n in named if not any((base / n).is_file() for base in bases)
                     and not n.startswith(".reportgen/"))  # a file of the office's folder, not of this repository
    assert not missing, missing
