"""Bad data files give one-line errors naming the file, the line and the field."""
from __future__ import annotations

import pytest

from conftest import MINIMAL, write
from reportgen.errors import DataError
from reportgen.io import load_report


def error_of(tmp_path, text: str, name: str = "bad.yaml") -> DataError:
    path = write(tmp_path, name, text)
    with pytest.raises(DataError) as info:
        load_report(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return info.value


def test_missing_title(tmp_path):
    text = MINIMAL.replace("      - title: 第一件事\n", "      - paragraphs: [x]\n")
    err = error_of(tmp_path, text.replace("        paragraphs:\n          - 全年举办活动120余场次，参与人数超过3万人。\n", ""))
    assert err.field == "lists[0].items[0].title"
    assert err.line == 9
    assert "Field required" in str(err)


def test_unknown_field_names_its_line(tmp_path):
    err = error_of(tmp_path, MINIMAL.replace("year: 2021", "year: 2021\ntitel: typo"))
    assert (err.line, err.field) == (5, "titel")
    assert "unknown field" in str(err)


def test_wrong_type(tmp_path):
    err = error_of(tmp_path, MINIMAL.replace("year: 2021", "year: twenty"))
    assert (err.line, err.field) == (4, "year")


def test_syntax_error_line(tmp_path):
    err = error_of(tmp_path, MINIMAL.replace("title: 2021年市科协十件大事", "title: [unclosed"))
    assert err.line is not None and err.line >= 5
    assert "invalid YAML" in str(err)


def test_duplicate_key(tmp_path):
    err = error_of(tmp_path, MINIMAL + "year: 2022\n")
    assert "duplicate key 'year'" in str(err)
    assert err.line == 12


def test_empty_file(tmp_path):
    assert "empty" in str(error_of(tmp_path, ""))


def test_top_level_not_a_mapping(tmp_path):
    assert "expected a mapping" in str(error_of(tmp_path, "- a\n- b\n"))


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(MINIMAL.encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_report(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="No such file"):
        load_report(tmp_path / "nope.yaml")


def test_empty_list_of_items(tmp_path):
    err = error_of(tmp_path, MINIMAL.split("    items:")[0] + "    items: []\n")
    assert err.field == "lists[0].items"
    assert "at least 1 item" in str(err)


def test_bad_colour(tmp_path):
    err = error_of(tmp_path, MINIMAL.replace("  short_name: 市科协", "  short_name: 市科协\n  colors: {primary: red}"))
    assert err.field == "association.colors.primary"
    assert err.line == 4


def test_invalid_json(tmp_path):
    err = error_of(tmp_path, '{"year": 2021,\n "title": }', name="bad.json")
    assert err.line == 2


def test_several_errors_counted(tmp_path):
    err = error_of(tmp_path, "association: {name: x, short_name: y}\nyear: 1800\n")
    assert "more; run 'reportgen validate'" in str(err)
