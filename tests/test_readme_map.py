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
