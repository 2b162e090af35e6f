"""Read a document (plain text, DOCX, text-based PDF) into numbered lines.

Every format becomes the same thing: a list of :class:`Line` with the line (or
paragraph, or PDF line) number it came from, blank lines marking paragraph or
page boundaries. Bold text of DOCX is kept as ``**…**`` so the parsers see the
designer's emphasis the way the plain-text seeds mark it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..io import check_package, decode_text, file_kind, read_limited


@dataclass(frozen=True)
class Line:
    no: int          # 1-based line (txt), paragraph (docx) or line-on-page counter (pdf)
    text: str


#: an input document: bytes, and PDF pages (a year's bulletin has a few dozen)
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300


def read_lines(path: Path) -> list[Line]:
    suffix = path.suffix.lower()
    try:
        raw = read_limited(path, MAX_INPUT_BYTES, "documents to extract")
        kind = file_kind(raw[:16], path)
        expected = {".docx": "a Word document (.docx)", ".pdf": "a PDF"}.get(suffix)
        if expected and kind != expected:
            what = kind or "text"
            raise DataError(path, f"named {suffix} but this is {what}"
                            + ("; open it in Word or WPS and save it as .docx (Word 文档)" if "Office" in what else ""))
        if suffix == ".docx":
            check_package(path, "DOCX")
            from .word import docx_lines

            return docx_lines(path)
        if suffix == ".pdf":
            from .pdf import pdf_lines

            return pdf_lines(path)
    except DataError:
        raise
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    except Exception as exc:  # a corrupt DOCX/PDF raises many kinds of errors
        raise DataError(path, f"cannot read this {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from None
    text = decode_text(raw, path).replace("\r\n", "\n").replace("\r", "\n")
    return [Line(i, line.rstrip()) for i, line in enumerate(text.split("\n"), 1)]
