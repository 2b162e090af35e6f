"""Files of the wrong kind get words that say what they are and what to do (issue 19, item 7)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import DATA_2020
from reportgen.cli import main

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


def _error(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    return message


@pytest.mark.parametrize("name", ["old.doc", "old.wps", "renamed.docx"])
def test_old_office_files_are_named_and_the_fix_given(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(OLE)
    message = _error("extract", path, "-o", tmp_path / "x.yaml")
    assert "old Office file" in message and "save it as .docx" in message


def test_an_excel_workbook_given_to_extract(tmp_path):
    import openpyxl

    openpyxl.Workbook().save(tmp_path / "votes.xlsx")
    message = _error("extract", tmp_path / "votes.xlsx", "-o", tmp_path / "x.yaml")
    assert "Excel workbook" in message and "tally --votes" in message


def test_an_image_given_to_extract(tmp_path):
    Image.new("RGB", (10, 10)).save(tmp_path / "scan.png")
    assert "a PNG image, not text" in _error("extract", tmp_path / "scan.png", "-o", tmp_path / "x.yaml")


def test_a_document_given_to_render_points_to_extract(tmp_path):
    document = tmp_path / "去年.docx"
    document.write_bytes(b"PK")
    message = _error("render", document, "-o", tmp_path / "out")
    assert "not a data file" in message and "reportgen extract 去年.docx -o data.yaml" in message


def test_a_pdf_named_docx(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"%PDF-1.7\n")
    assert "named .docx but this is a PDF" in _error("extract", path, "-o", tmp_path / "x.yaml")


def test_the_data_files_still_load():
    result = CliRunner().invoke(main, ["validate", str(DATA_2020)])
    assert result.exit_code == 0, result.output
