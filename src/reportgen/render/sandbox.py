"""The Jinja sandbox every template runs in (HTML and Word alike): deny by default.

- Attributes: only the fields of template data (:class:`~.view.Record`), the loop
  variable's, a ``namespace()``'s, a ``cycler``'s and a date's year/month/day. No
  attribute of a string, list, dict, function or class, so no method of any library.
- Calls: only macros, blocks (``super()``), the loop's helpers, Jinja's own safe
  globals (``range`` is capped by Jinja), and the project's :class:`~.view.Helper`\\ s.
  Filters and tests are not reachable as objects, only through ``|`` and ``is``.
- Sizes: ``*`` and ``**`` are checked before they run (``"十" * 10**9`` is refused, not
  computed), and a template's output is counted while it is generated.
- Files: :class:`ConfinedLoader` resolves every template (symlinks included) and refuses
  one that leaves its folder.

Time and memory are limited from outside, by the process the render runs in
(:mod:`reportgen.limits`).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner, Namespace

from ..errors import RenderError
from .view import Helper, Record

#: characters one template may output (a 10+10 bulletin's HTML is ≈ 120 000)
MAX_OUTPUT_CHARS = 20_000_000
#: length of a string or list that ``*`` may make
MAX_REPEAT = 1_000_000
#: bits of an integer that ``*`` or ``**`` may make (a 300-digit number has ≈ 1000)
MAX_INT_BITS = 100_000
#: bytes of one template file
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024

_LOOP = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                   "depth0", "previtem", "nextitem", "cycle", "changed"})
_CYCLER = frozenset({"next", "current", "reset"})
_DATE = frozenset({"year", "month", "day"})


class OutputLimit(RenderError):
    """A template that produces more than :data:`MAX_OUTPUT_CHARS`."""


class CappedTemplate(jinja2.Template):
    """``render()`` streams and stops at the environment's output limit (docxtpl calls
    ``render`` itself, so the cap must live in the template class)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        limit = getattr(self.environment, "max_output", MAX_OUTPUT_CHARS)
        parts, size = [], 0
        for chunk in self.generate(*args, **kwargs):
            size += len(chunk)
            if size > limit:
                raise OutputLimit(f"template output passed {limit:,} characters (a loop that never "
                                  "ends, or repeats a long text?); stopped")
            parts.append(chunk)
        return "".join(parts)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class PlainSandbox(SandboxedEnvironment):
    """Autoescaping, deny-by-default sandbox over plain template data."""

    template_class = CappedTemplate
    intercepted_binops = frozenset({"*", "**"})
    max_output = MAX_OUTPUT_CHARS

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("autoescape", True)
        super().__init__(*args, **kwargs)
        self._safe_globals = {id(v) for v in self.globals.values()}  # range, dict, lipsum, cycler …

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format`` / ``format_map`` either: string methods are not data."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, Record):
            return attr in obj
        if isinstance(obj, LoopContext):
            return attr in _LOOP
        if isinstance(obj, Namespace):
            return True  # its attributes are the values the template set
        if isinstance(obj, Cycler):
            return attr in _CYCLER
        if isinstance(obj, dt.date):
            return attr in _DATE
        return False

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, (Macro, BlockReference, Helper, Joiner, Cycler, LoopContext)):
            return True
        if isinstance(obj, jinja2.Undefined):
            return True  # calling it raises its own error, which names the missing attribute
        if id(obj) in self._safe_globals or obj is Namespace:
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        return (isinstance(owner, LoopContext) and name in _LOOP) or \
            (isinstance(owner, Cycler) and name in _CYCLER)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_REPEAT:
                    raise SecurityError(f"a repeated text or list of {size * times:,} would be longer "
                                        f"than {MAX_REPEAT:,}")
            if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError("the product is too large")
        elif operator == "**":
            if _is_int(left) and _is_int(right) and right > 0 and \
                    max(left.bit_length() - 1, 0) * right > MAX_INT_BITS:
                raise SecurityError(f"the power (a number of {left.bit_length()} bits to the {right}) is too large")
        return super().call_binop(context, operator, left, right)


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from *folders*, in order; a name or symlink leading out of its folder is refused.

    ``builtin/NAME`` always reads the last folder (the built-in templates), so a user
    template can ``{% extends "builtin/bulletin.html" %}`` and override one block.
    """

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = tuple(Path(f).resolve() for f in folders)

    def get_source(self, environment, template: str):
        pieces = jinja2.loaders.split_template_path(template)  # refuses ".." pieces
        folders = self.folders
        if pieces and pieces[0] == "builtin" and len(pieces) > 1:
            folders, pieces = folders[-1:], pieces[1:]
        for folder in folders:
            candidate = folder.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            file = candidate.resolve()
            if not file.is_relative_to(folder):
                raise RenderError(f"template {template!r}: {candidate} leads outside its folder "
                                  f"{folder} (a symbolic link?); refused")
            if not file.is_file():
                continue
            if file.stat().st_size > MAX_TEMPLATE_BYTES:
                raise RenderError(f"template {file} is larger than {MAX_TEMPLATE_BYTES // 1024 // 1024} MB; "
                                  "refused")
            try:
                source = file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise RenderError(f"template {file} is not UTF-8 text") from None
            mtime = file.stat().st_mtime_ns
            return source, str(file), lambda f=file, m=mtime: f.exists() and f.stat().st_mtime_ns == m
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({str(p.relative_to(f)) for f in self.folders for p in f.rglob("*") if p.is_file()})


def confined_file(folder: Path, relative: str | Path, what: str) -> Path:
    """``folder/relative`` resolved; refused when it (or a link on the way) leaves *folder*."""
    folder = Path(folder).resolve()
    file = (folder / relative).resolve()
    if not file.is_relative_to(folder):
        raise RenderError(f"{what} {str(relative)!r} leads outside {folder}; refused")
    return file
