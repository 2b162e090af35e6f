"""Everyday correctness (issue 19): this year from last year, ``validate`` as the full
preflight, places counted from 1."""
from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import DATA, DATA_2020, MINIMAL, SEED_2020, write
from reportgen.cli import main
from reportgen.io import load_report
from reportgen.yearly import consistency_warnings, next_year


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


# -- this year from last year ------------------------------------------------------------------

def test_new_from_last_year_moves_every_year_bearing_title(tmp_path):
    target = tmp_path / "cq-kx-2021.yaml"
    result = run("new", "--from", DATA_2020, "--year", 2021, "-o", target)
    assert result.exit_code == 0, result.output
    assert "20 items to replace" in result.output
    report, last = load_report(target), load_report(DATA_2020)
    assert report.year == 2021 and report.title == "2021年市科协十件大事十大亮点"
    assert [report.list_heading(lst) for lst in report.lists] == ["2021年市科协十件大事", "2021年市科协十大亮点"]
    assert [i.title for i in report.lists[0].items] == [i.title for i in last.lists[0].items]
    assert all(item.draft for lst in report.lists for item in lst.items)
    assert report.source is None and last.source is not None and last.source.repairs
    # validate: the same document, and the drafts pointed out
    checked = run("validate", target)
    assert checked.exit_code == 0
    assert "十件大事: all 10 items are last year's drafts to replace" in checked.output
    # never over a file without --force
    again = run("new", "--from", DATA_2020, "--year", 2022, "-o", target)
    assert again.exit_code == 1 and "exists; use --force" in again.output
    assert load_report(target).year == 2021


def test_new_empty_keeps_the_slots_and_moves_the_vote(tmp_path):
    ballot = load_report(DATA / "cq-kx-2021-ballot.yaml")
    moved = next_year(ballot, 2022, empty=True)
    assert moved.title.startswith("2022年") and "2021" not in moved.title
    assert [len(lst.items) for lst in moved.lists] == [len(lst.items) for lst in ballot.lists]
    assert all(item.paragraphs == [] and item.draft for lst in moved.lists for item in lst.items)
    assert (moved.vote.start.year, moved.vote.end.year) == (ballot.vote.start.year + 1, ballot.vote.end.year + 1)
    assert all("2021" not in moved.list_heading(lst) for lst in moved.lists)


def test_ranges_move_with_the_year():
    from reportgen.yearly import _move_years

    assert _move_years("2019—2020学年 2020年 1998年", 2020, 2021) == "2020—2021学年 2021年 1998年"


def test_extract_with_another_year_moves_titles_consistently(tmp_path):
    target = tmp_path / "from-seed.yaml"
    result = run("extract", SEED_2020, "--year", 2021, "-o", target)
    assert result.exit_code == 0, result.output
    report = load_report(target)
    assert report.year == 2021 and report.title.startswith("2021年")
    assert all(report.list_heading(lst).startswith("2021年") for lst in report.lists)
    # the items are last year's: their dates stay in 2020
    assert {d.year for lst in report.lists for item in lst.items for d in item.dates} == {2020}
    assert not [w for w in consistency_warnings(report) if "says" in w]


def test_validate_warns_when_year_title_and_lists_disagree(tmp_path):
    text = MINIMAL.replace("title: 2021年市科协十件大事", "title: 2020年市科协十件大事")
    result = run("validate", write(tmp_path, "mixed.yaml", text))
    assert result.exit_code == 0
    assert "title: says 2020年 but the document's year is 2021" in result.output
    assert "十件大事: a list named 十件大事 holds 1 items, not 10" in result.output


# -- validate is the full preflight --------------------------------------------------------------

def _with_image(tmp_path, path: str) -> str:
    return MINIMAL.replace("          - 全年举办活动120余场次，参与人数超过3万人。\n",
                           "          - 全年举办活动120余场次，参与人数超过3万人。\n"
                           f"        images:\n          - path: '{path}'\n            caption: 图\n")


@pytest.mark.parametrize("path, make, words", [
    ("missing.png", None, "image 'missing.png' not found"),
    ("C:\\Users\\kx\\photo.jpg", None, "is a Windows path; write it relative to the data file with /"),
    ("images\\photo.jpg", None, "is a Windows path"),
    ("notes.png", b"this is text, not a picture", "is not a readable image"),
])
def test_validate_reports_what_render_refuses_with_the_same_words(tmp_path, path, make, words):
    if make is not None:
        (tmp_path / path).write_bytes(make)
    data = write(tmp_path, "doc.yaml", _with_image(tmp_path, path))
    checked = run("validate", data)
    rendered = run("render", data, "-o", tmp_path / "out", "-f", "pdf")
    assert checked.exit_code == 1 and rendered.exit_code == 1
    assert words in checked.output and words in rendered.output
    error = next(line for line in checked.output.splitlines() if line.startswith("error:"))
    assert error in rendered.output  # the very same line
    assert "十件大事 第1项" in error
    assert not (tmp_path / "out").exists()


def test_a_character_no_bundled_font_has_blocks_a_pdf_not_a_docx(tmp_path):
    data = write(tmp_path, "rare.yaml", MINIMAL.replace("第一件事", "第一件事𰀀"))
    pdf = run("validate", data, "-f", "pdf")
    assert pdf.exit_code == 1 and "十件大事 第1项 title: no font covers '𰀀' (U+30000)" in pdf.output
    docx_only = run("validate", data, "-f", "docx")
    assert docx_only.exit_code == 0 and "warning:" in docx_only.output and "U+30000" in docx_only.output
    rendered = run("render", data, "-f", "docx", "-o", tmp_path / "out")
    assert rendered.exit_code == 0 and (tmp_path / "out" / "rare.docx").exists()
    assert "U+30000" in rendered.output


def test_validate_lists_every_problem_not_only_the_first(tmp_path):
    text = _with_image(tmp_path, "a.png").replace("第一件事", "第一件事𰀀")
    result = run("validate", write(tmp_path, "many.yaml", text), "-f", "pdf")
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and any("U+30000" in e for e in errors) and any("'a.png' not found" in e for e in errors)


# -- places counted from 1 ---------------------------------------------------------------------

def test_error_paths_count_from_one_and_name_the_list(tmp_path):
    text = MINIMAL + "      - title: ''\n        paragraphs: [正文]\n"
    result = run("validate", write(tmp_path, "blank.yaml", text))
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if line.startswith("error:"))
    assert re.search(r"blank\.yaml:\d+: 十件大事 第2项 title: ", line), line


# -- content printed once, as the data says ---------------------------------------------------------

def test_a_caption_without_its_photo_is_warned_about_not_printed(tmp_path):
    data = DATA / "cq-kx-2021-report.yaml"
    checked = run("validate", data)
    assert checked.exit_code == 0
    assert "the caption '孩子们在重庆科技馆了解科学知识。' has no photo (image.path) and is not printed" in checked.output


def test_extraction_repairs_stray_spaces_and_commas():
    from reportgen.extract.clean import Findings, normalize

    findings = Findings("x")
    assert normalize("本报讯 （记者 张三）创建示范县（区） 15个，前5%,14种，共1,000人", findings, 1, "p") == \
        "本报讯（记者 张三）创建示范县（区）15个，前5%，14种，共1,000人"
    assert {f.message for f in findings.items} == {"spaces next to full-width punctuation removed",
                                                   "half-width punctuation replaced by full-width"}


# -- photos: upright everywhere, at print resolution ---------------------------------------------

def _phone_photo(path):
    """A 12-megapixel photo (4000×3000, with a photo's texture) stored sideways, as phones do:
    EXIF orientation 6 (turn 90° clockwise)."""
    import os

    img = Image.frombytes("RGB", (160, 120), os.urandom(160 * 120 * 3)).resize((4000, 3000), Image.Resampling.BICUBIC)
    exif = img.getexif()
    exif[0x0112] = 6
    img.save(path, quality=92, exif=exif)
    return path


def test_phone_photos_are_upright_and_print_sized_in_pdf_and_docx(tmp_path):
    import zipfile

    import pypdfium2 as pdfium

    from reportgen.render import render_file

    photo = _phone_photo(tmp_path / "phone.jpg")
    original = photo.read_bytes()
    data = write(tmp_path, "doc.yaml", _with_image(tmp_path, "phone.jpg"))
    outputs = {p.suffix: p for p in render_file(data, tmp_path / "out", ["pdf", "docx"]).outputs}
    assert photo.read_bytes() == original  # the data folder's photo is kept as it is
    # DOCX: the picture stored upright (portrait) and no wider than 120 mm at 300 dpi
    with zipfile.ZipFile(outputs[".docx"]) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        (picture,) = [Image.open(io.BytesIO(package.read(n))) for n in media if n.endswith((".jpg", ".jpeg"))]
    assert picture.height > picture.width and picture.width <= round(120 / 25.4 * 300)
    assert picture.getexif().get(0x0112, 1) == 1
    assert outputs[".docx"].stat().st_size < len(original)
    # PDF: the placed image is portrait too, and the PDF is smaller than the photo
    pdf = pdfium.PdfDocument(str(outputs[".pdf"]))
    images = [obj for page in pdf for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    (image,) = images
    width, height = image.get_px_size()
    assert height > width and width <= round((210 - 20 - 20) / 25.4 * 300) + 1
    assert outputs[".pdf"].stat().st_size < len(original)
