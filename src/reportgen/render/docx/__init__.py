"""Data + theme → DOCX: a Word-authored template (docxtpl) when the search path has one for
the layout, else the python-docx builder.

- ``ooxml.py``: WordprocessingML helpers (schema order, East Asian fonts, fields, zip);
- ``builder.py``: the builder, one method per block and one per layout;
- ``template.py``: Word-authored templates rendered in the sandbox.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...model import Report
    from ...theme import Theme
    from ..html import Context


def prepare() -> None:
    import docx  # noqa: F401
    import docxtpl  # noqa: F401


def render(report: "Report", theme: "Theme", ctx: "Context") -> bytes:
    from .builder import build_docx
    from ..templating import find_docx_template
    from .template import TemplateRenderer

    template = find_docx_template(report.layout, theme.style, ctx.search_path)
    if template is not None:  # a Word-authored template
        blob, warnings = TemplateRenderer(report, theme, ctx).render(template, embed=ctx.embed_fonts)
        ctx.warnings.extend(warnings)
        return blob
    return build_docx(report, theme, ctx.data_dir, embed=ctx.embed_fonts)
