"""The one list of layouts: one :class:`Layout` record each, read by every other place (the
model's ``layout`` field and what it requires, extraction's kinds and seed parsers, the
CLI's ``--kind``, the studio's names and 新建, the 数说 panel's default, the yearly checks,
the built DOCX). No heavy imports, so the CLI can read it for ``--help``: code is named by
``"module:function"`` and imported when it is used (:func:`load`).

A new layout is one record here, its templates (``templates/<layout>.html``,
``templates/wechat/<layout>.html``) and its DOCX builder function.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Layout:
    name: str                 # what ``layout:`` says in a data file
    label: str                # what the studio calls it
    summary: str              # what it shows (``--help``, the schema)
    needs: tuple[str, ...]    # the fields it cannot render without (besides the common ones)
    docx: str                 # the function that builds its Word file: "module:function"
    parser: str               # extraction's parser of the layout's own printed form: "module:function"
    key_figures: bool = False  # the 数说 panel shown unless the theme says otherwise
    title_names_year: bool = False  # its title states its year (checked against ``year``)
    lists_of_ten: bool = True  # a list named 十件大事/十大… holds ten items (a ballot's candidates more)
    creatable: bool = False   # the studio's 新建 makes one from nothing (the others are imported)


_DOCX = "reportgen.render.docx.layouts"
_PARSERS = "reportgen.extract.parsers"

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("bulletin", "十件大事公报", "十件大事 / 十大亮点 bulletin: banner and numbered lists", ("lists",),
           f"{_DOCX}:bulletin", f"{_PARSERS}:parse_bulletin", title_names_year=True, creatable=True),
    Layout("ballot", "评选手册", "评选 brochure: introduction, vote panel with QR code, candidate lists",
           ("lists", "vote"), f"{_DOCX}:ballot", f"{_PARSERS}:parse_ballot", title_names_year=True,
           lists_of_ten=False, creatable=True),
    Layout("news", "新闻稿", "news release: articles with an embedded 十大事件 list", ("articles",),
           f"{_DOCX}:news", f"{_PARSERS}:parse_news"),
    Layout("review", "工作回眸", "工作回眸 review: themed sections with large numerals and bold figures",
           ("sections",), f"{_DOCX}:review", f"{_PARSERS}:parse_review"),
    Layout("report", "报纸报道", "newspaper report: headline, byline, columns, photos, 数说 panel", ("articles",),
           f"{_DOCX}:report", f"{_PARSERS}:parse_report", key_figures=True),
)}
NAMES: tuple[str, ...] = tuple(LAYOUTS)
#: what the studio calls them
LABELS: dict[str, str] = {name: layout.label for name, layout in LAYOUTS.items()}


def get(name: str) -> Layout:
    """The record of layout *name* (a data file's layout is validated against :data:`NAMES`)."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; choose from {', '.join(NAMES)}") from None


def load(reference: str) -> Callable[..., Any]:
    """The function a record names as ``"module:function"``."""
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(module), function)
