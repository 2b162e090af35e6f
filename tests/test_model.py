"""The data model and the 2020 data file taken from seed 000."""
from __future__ import annotations

import json

import pytest

from conftest import DATA_2020, MINIMAL, SEED_2020, seed_2020_titles, write
from reportgen.errors import DataErrors
from reportgen.io import load_report, report_to_yaml, save_report
from reportgen.model import Report, json_schema


def test_2020_titles_exactly_as_in_seed():
    report = load_report(DATA_2020)
    titles = [item.title for lst in report.lists for item in lst.items]
    seed_titles = seed_2020_titles()
    assert len(seed_titles) == 20
    assert titles == seed_titles
    assert [lst.name for lst in report.lists] == ["十件大事", "十大亮点"]
    assert [len(lst.items) for lst in report.lists] == [10, 10]


def test_2020_bodies_are_from_the_seed_and_repaired():
    report = load_report(DATA_2020)
    seed = SEED_2020.read_text(encoding="utf-8")
    seed_flat = seed.replace("\n", "")
    for half, full in zip(",();:", "，（）；："):
        seed_flat = seed_flat.replace(half, full)
    events = report.lists[0].items
    highlights = report.lists[1].items
    # stray English word repaired
    assert " and " in seed and all(" and " not in p for i in events + highlights for p in i.paragraphs)
    # the paragraph that item 8 duplicated from item 10 is gone from item 8 only
    dup = "召开重庆市科技助力精准扶贫工程视频会议"
    assert not any(p.startswith(dup) for p in events[7].paragraphs)
    assert events[9].paragraphs[0].startswith(dup)
    # page-break splits joined into one sentence
    assert "重庆市青少年科技创新市长奖颁奖活动" in events[2].paragraphs[0]
    assert "科普资讯177万余次" in highlights[2].paragraphs[0]
    assert "最美科技工作者" in highlights[4].paragraphs[0]
    # text from an inserted image is removed, the sentence around it joined
    assert "中国科协部门发文" not in "".join(highlights[7].paragraphs)
    assert "《中央和地方科协工作指导和联动机制研究”课题" in highlights[7].paragraphs[0]
    # every body paragraph (after the repairs) still comes from the seed
    for item in events + highlights:
        for paragraph in item.paragraphs:
            for sentence in filter(None, paragraph.split("。")):
                sentence = sentence.replace("工业和信息化部和重庆市政府", "工业和信息化部 and 重庆市政府")
                assert sentence in seed_flat or item is highlights[7], sentence
    # the repairs are documented in the file
    where = {r.where.split(" (line")[0] for r in report.source.repairs}
    assert {"十件大事 3", "十件大事 5", "十件大事 8", "十大亮点 3", "十大亮点 5", "十大亮点 8"} <= where


def test_metrics_detected_with_exact_spans():
    report = load_report(DATA_2020)
    item = report.lists[0].items[6]  # 广泛开展2020年重庆市全国科普日活动
    texts = [m.text for m in item.metrics]
    assert texts == ["近30万", "360余万", "8482项", "16家"]
    for m in item.metrics:
        assert item.paragraphs[m.paragraph][m.start:m.end] == m.text
    near = item.metrics[0]
    assert (near.qualifier, near.magnitude, str(near.value)) == ("近", "万", "30")


def test_stale_metric_span_is_rejected(tmp_path):
    text = MINIMAL + """\
        metrics:
          - {text: 120余场次, value: 120, unit: 场次, qualifier: 余, paragraph: 0, start: 0, end: 6}
"""
    with pytest.raises(DataErrors, match="span 0-6 of paragraph 0 reads '全年举办活动'"):
        load_report(write(tmp_path, "m.yaml", text))


def test_duplicate_item_numbers_rejected(tmp_path):
    text = MINIMAL + """\
      - number: 1
        title: 第二件事
        paragraphs: [正文。]
"""
    with pytest.raises(DataErrors) as info:
        load_report(write(tmp_path, "d.yaml", text))
    assert "items 1 and 2 both have number 1" in str(info.value)
    assert info.value.field == "lists[0].items"


def test_yaml_round_trip(tmp_path):
    report = load_report(DATA_2020)
    target = save_report(report, tmp_path / "copy.yaml")
    again = load_report(target)
    assert again == report
    assert "metrics:" not in report_to_yaml(report)  # derived data is not written


def test_save_refuses_to_overwrite_without_force(tmp_path):
    from reportgen.errors import OutputExistsError

    report = load_report(DATA_2020)
    target = write(tmp_path, "mine.yaml", "hand written\n")
    with pytest.raises(OutputExistsError, match="use --force"):
        save_report(report, target)
    assert target.read_text(encoding="utf-8") == "hand written\n"
    save_report(report, target, force=True)
    assert load_report(target) == report


def test_json_data_file(tmp_path):
    report = load_report(DATA_2020)
    path = tmp_path / "r.json"
    path.write_text(report.model_dump_json(), encoding="utf-8")
    assert load_report(path) == report


def test_json_schema_describes_the_data():
    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"association", "year", "title", "lists"} <= set(schema["properties"])
    assert set(schema["required"]) == {"association", "year", "title"}
    json.dumps(schema)  # serialisable
    Report.model_validate(load_report(DATA_2020).model_dump())


def _choices(node) -> list:
    """The enum and const values anywhere under *node* (a stale list of layouts is a stale schema)."""
    found = []
    if isinstance(node, dict):
        found += [str(v) for v in node.get("enum", [])] + ([str(node["const"])] if "const" in node else [])
        for value in node.values():
            found += _choices(value)
    elif isinstance(node, list):
        for value in node:
            found += _choices(value)
    return found


def schema_shape(schema: dict) -> dict:
    """Every object's fields, required fields and each field's allowed values (what editors
    complete), leaving out details that change with the pydantic version (the pattern of a
    Decimal's string form)."""
    objects = {"(root)": schema, **schema.get("$defs", {})}
    return {name: (sorted(obj.get("properties", {})), sorted(obj.get("required", [])),
                   {field: sorted(_choices(value)) for field, value in obj.get("properties", {}).items()},
                   sorted(map(str, obj.get("enum", []))))
            for name, obj in objects.items()}


def test_committed_schemas_are_current():
    """schema/*.json (for editors' YAML autocompletion) match the model; regenerate with
    `reportgen schema --force -o schema/report.schema.json` and `reportgen schema --theme --force -o schema/theme.schema.json`."""
    from conftest import ROOT
    from reportgen.theme import Theme

    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert schema_shape(committed) == schema_shape(json_schema())
    committed = json.loads((ROOT / "schema" / "theme.schema.json").read_text(encoding="utf-8"))
    assert schema_shape(committed) == schema_shape(Theme.model_json_schema())
