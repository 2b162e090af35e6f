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
- ``strict images``: importing WeasyPrint turns on Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES``
  for the whole process, so that every later decode accepts a truncated or corrupt picture.
  :func:`import_weasyprint` puts the switch back off, and :func:`strict_image_decoding` (the
  image check of every channel) holds it off while it decodes, under one lock with the
  import — the same check whatever was imported before. Every picture is checked before a
  render, so WeasyPrint never needs the lenient decoding.

Each is installed only for the WeasyPrint majors it was tested with
(:data:`TESTED_WEASYPRINT`) and only when the names it replaces exist; otherwise the
library's own behaviour stays, and ``reportgen doctor`` says which are active. (The
parsed-stylesheet cache in ``render/pdf.py`` uses WeasyPrint's public ``stylesheets=``
argument and is not a patch.)
"""
from __future__ import annotations

import functools
import threading
import zlib
from contextlib import contextmanager
from typing import Any, Iterator

#: WeasyPrint major versions the patches were checked against (tests/test_typesetting.py)
TESTED_WEASYPRINT = range(61, 71)

#: zlib level for the PDF's streams (pydyf hard-codes 9)
PDF_ZLIB_LEVEL = 6

_ACTIVE: dict[str, str] = {}

#: held while WeasyPrint is imported and while a picture is decoded strictly
_IMAGE_SWITCH = threading.RLock()


def _strict_pillow() -> None:
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def import_weasyprint() -> Any:
    """``import weasyprint``, with Pillow's process-wide switch for truncated pictures put back."""
    with _IMAGE_SWITCH:
        import weasyprint

        _strict_pillow()
        _ACTIVE["strict images"] = "active"
    return weasyprint


@contextmanager
def strict_image_decoding() -> Iterator[None]:
    """While the body runs, Pillow refuses truncated and corrupt pictures (whatever any
    library set before); no import of WeasyPrint can turn it back meanwhile."""
    with _IMAGE_SWITCH:
        _strict_pillow()
        yield


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
        weasyprint = import_weasyprint()
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
