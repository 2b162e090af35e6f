"""reportgen: Chinese year-end bulletins from structured data to PDF and DOCX.

The data's path through the package::

    model (+ metrics, theme, io)  →  extract  →  render (html → pdf, docx)  →  batch  →  cli

Python API::

    from reportgen import load_report, render_file
    render_file("data/cq-kx-2020.yaml", "out", ["pdf", "docx"])
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load_report", "render_file", "Report", "ReportgenError"]


def __getattr__(name: str):
    # Lazy: importing reportgen must not pull in WeasyPrint.
    if name == "load_report":
        from .io import load_report
        return load_report
    if name == "render_file":
        from .render import render_file
        return render_file
    if name == "Report":
        from .model import Report
        return Report
    if name == "ReportgenError":
        from .errors import ReportgenError
        return ReportgenError
    raise AttributeError(name)
