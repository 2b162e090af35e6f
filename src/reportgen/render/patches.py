"""Every place reportgen replaces a library's internals by name, in one module.

- ``justification``: WeasyPrint's ``layout.inline.justify_line`` is wrapped so that Chinese
  lines are justified between characters (``render/justify.py``); WeasyPrint only
  stretches spaces. With it, ``layout.inline.text_align`` (a line that a trailing Han–Latin
  gap makes look full is justified too) and a subclass of ``text.line_break.Layout`` that
  keeps numbers solid.

Read, not replaced: ``render/headlines.py`` reads the laid-out boxes of each page
(``Page._page_box``) to balance headlines; where that attribute is missing, headlines keep
WeasyPrint's own breaks (between phrases still).
- ``zlib level``: pydyf's module-level ``zlib`` is replaced by one that compresses at
  level 6 instead of 9 (the font subsets: 26 ms → 11 ms per PDF, 0.4 % larger).

Each is installed only for the WeasyPrint majors it was tested with
(:data:`TESTED_WEASYPRINT`) and only when the names it replaces exist; otherwise the
library's own behaviour stays, and ``reportgen doctor`` says which are active. (The
parsed-stylesheet cache in ``render/pdf.py`` uses WeasyPrint's public ``stylesheets=``
argument and is not a patch.)
"""
from __future__ import annotations

import functools
import zlib

#: WeasyPrint major versions the patches were checked against (tests/test_typesetting.py)
TESTED_WEASYPRINT = range(61, 71)

#: zlib level for the PDF's streams (pydyf hard-codes 9)
PDF_ZLIB_LEVEL = 6

_ACTIVE: dict[str, str] = {}


class LeveledZlib:
    """The ``zlib`` that pydyf sees: every compressor at :data:`PDF_ZLIB_LEVEL`."""

    def compressobj(self, level=None, *args, **kwargs):
        return zlib.compressobj(PDF_ZLIB_LEVEL, *args, **kwargs)

    def compress(self, data, level=None, **kwargs):
        return zlib.compress(data, PDF_ZLIB_LEVEL)

    def __getattr__(self, name):
        return getattr(zlib, name)


def weasyprint_major() -> int | None:
    try:
        import weasyprint
    except ImportError:
        return None
    try:
        return int(str(weasyprint.__version__).split(".")[0])
    except ValueError:
        return None


@functools.lru_cache(maxsize=1)
def install() -> dict[str, str]:
    """Install the patches that fit this WeasyPrint; ``{name: "active" or why not}``."""
    major = weasyprint_major()
    if major not in TESTED_WEASYPRINT:
        reason = f"off: WeasyPrint {major} is outside the tested {TESTED_WEASYPRINT.start}–{TESTED_WEASYPRINT.stop - 1}"
        _ACTIVE.update(justification=reason, **{"zlib level": reason})
        return dict(_ACTIVE)
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:  # pydyf calls zlib.compressobj(level=9)
        pydyf.zlib = LeveledZlib()
        _ACTIVE["zlib level"] = f"active: level {PDF_ZLIB_LEVEL}"
    else:
        _ACTIVE["zlib level"] = "off: pydyf has no module-level zlib"
    from .justify import install as install_justification

    _ACTIVE["justification"] = "active" if install_justification() else \
        "off: WeasyPrint's layout internals differ (its own justification is used)"
    return dict(_ACTIVE)
