"""Reading and writing data files: YAML/JSON with line numbers, atomic writes.

Every error names the file, the line and the field (``data/x.yaml:12:
lists[0].items[3].title: Field required``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, DataErrors
from .files import atomic_write, write_all  # noqa: F401  (re-exported: the writing half of io)
from .model import Report, detect_metrics

MAX_FILE_BYTES = 5 * 1024 * 1024

Path_ = tuple[Any, ...]


def field_path(loc: Path_) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# how people count the members of each kind of list (the first is 第1, not [0])
_MEMBERS = {"items": "项", "paragraphs": "段", "body": "段", "articles": "篇", "sections": "节",
            "points": "点", "images": "张图", "intro": "段", "rules": "条", "key_figures": "个",
            "keywords": "个", "templates": "个", "dates": "个日期"}


def human_field(loc: Path_, data: Any = None) -> str:
    """A field's path as people say it: ``("lists", 0, "items", 1, "title")`` →
    ``十件大事 第2项 title`` (a list by its name when *data* has one), counting from 1."""
    words: list[str] = []
    node = data
    parent = None
    for part in loc:
        if isinstance(part, int):
            name = node[part].get("name") if isinstance(node, list) and 0 <= part < len(node) \
                and isinstance(node[part], dict) else None
            if parent == "lists" and isinstance(name, str) and name.strip():
                words[-1] = name.strip()
            elif parent == "lists":
                words[-1] = f"第{part + 1}个列表"
            elif parent in _MEMBERS and words:  # "items", 1 → 第2项
                words[-1] = f"第{part + 1}{_MEMBERS[str(parent)]}"
            else:
                words.append(f"第{part + 1}个")
        elif words and isinstance(parent, str) and parent not in _MEMBERS and parent != "lists":
            words[-1] += f".{part}"  # association.colors.primary
        else:
            words.append(str(part))
        parent = part
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return " ".join(words)


class _Lines:
    """Maps a field path to the line it was written on (or its nearest parent's)."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.count = 0  # values constructed so far (see MAX_NODES)

    def line_of(self, loc: Path_) -> int | None:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


MAX_NODES = 200_000  # aliases can expand a small file into billions of nodes ("billion laughs")


def _short(value, limit: int = 60) -> str:
    """A value for an error message: one line, at most *limit* characters."""
    text = repr(value) if not isinstance(value, str) or limit == 60 else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _construct(node: yaml.Node, loc: Path_, lines: _Lines, loader: yaml.SafeLoader, path: Path) -> Any:
    lines.count += 1
    if lines.count > MAX_NODES:
        raise DataError(path, f"more than {MAX_NODES} values (aliases expanding?); refusing",
                        line=node.start_mark.line + 1)
    lines.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                raise DataError(path, f"mapping key {key!r} is not a name",
                                line=key_node.start_mark.line + 1, field=field_path(loc) or None, label=human_field(loc) or None)
            if key in out:
                raise DataError(path, f"duplicate key {key!r}", line=key_node.start_mark.line + 1,
                                field=field_path(loc) or None, label=human_field(loc) or None)
            lines.lines[loc + (key,)] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, loc + (key,), lines, loader, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, loc + (i,), lines, loader, path) for i, child in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # e.g. 2021-02-30 matches the date pattern
        raise DataError(path, f"invalid value {_short(node.value)}: {_short(str(exc), 120)}",
                        line=node.start_mark.line + 1,
                        field=field_path(loc) or None, label=human_field(loc) or None) from None


# What a file is, from its first bytes, for errors that say what to do instead
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (Word .doc, WPS .wps or Excel .xls)"),
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


def file_kind(raw: bytes, path: Path) -> str | None:
    """What *raw* (a file's first bytes) is, when it is not text: "a Word document (.docx)" …"""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    if raw.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as package:
                names = package.namelist()
        except (zipfile.BadZipFile, OSError):
            return "a ZIP archive"
        if any(n.startswith("word/") for n in names):
            return "a Word document (.docx)"
        if any(n.startswith("xl/") for n in names):
            return "an Excel workbook (.xlsx)"
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint file (.pptx)"
        return "a ZIP archive"
    return None


def decode_text(raw: bytes, path: Path) -> str:
    """Text of a .txt or .csv file as Chinese offices save it: UTF-8 (with or without BOM),
    else GB 18030 (GBK, GB 2312); one line error otherwise."""
    kind = file_kind(raw[:16], path)
    if kind is not None:
        raise DataError(path, f"this is {kind}, not text{_advice(kind)}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError(path, "neither UTF-8 nor GB 18030 text (save it as UTF-8 text, or as .docx)") from None


def _advice(kind: str) -> str:
    if "old Office" in kind:
        return "; open it in Word or WPS and save it as .docx (Word 文档), then try again"
    if "image" in kind:
        return "; extraction reads text: use the .docx or .pdf the text came from"
    if "Excel" in kind:
        return "; a vote export goes to 'reportgen tally --votes'"
    return ""


_FULL_WIDTH_KEY = re.compile(r"^[ \t\u3000]*(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：")


def _keyboard_hint(text: str, line: int | None) -> tuple[int, str] | None:
    """A mistake a Chinese keyboard makes, on or just before the line YAML stumbled on:
    a full-width colon after a field name, a full-width space in the indentation."""
    if line is None:
        return None
    lines = text.splitlines()
    for number in range(min(line, len(lines)), max(line - 3, 0), -1):
        content = lines[number - 1]
        key = _FULL_WIDTH_KEY.match(content)
        if key:
            return number, (f"'{key.group(1)}：' has a full-width colon (：); type a half-width colon and a "
                            f"space instead: '{key.group(1)}: '")
        indent = content[: len(content) - len(content.lstrip(" \t\u3000"))]
        if "\u3000" in indent:
            return number, "the indentation holds a full-width space (全角空格); indent with ordinary spaces"
        if "\t" in indent:
            return number, "the indentation holds a tab; indent with spaces"
    return None


def read_limited(path: Path, limit: int, kind: str) -> bytes:
    """The bytes of the regular file *path*, refused past *limit* (also for a file that
    grows or lies about its size, such as a link to ``/dev/zero``)."""
    try:
        if not path.is_file():
            raise DataError(path, "not a regular file" if path.exists() else "No such file or directory")
        size = path.stat().st_size
        if size > limit:
            raise DataError(path, f"file is {size / 1e6:.1f} MB; {kind} are limited to {limit / 1e6:.0f} MB")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise DataError(path, exc.strerror or str(exc)) from None
    if len(raw) > limit:
        raise DataError(path, f"file is larger than {limit / 1e6:.0f} MB; {kind} are limited to that")  # it grew
    return raw


#: what an Office file (DOCX, XLSX: a ZIP package) may unpack to, in all
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PACKAGE_PARTS = 10_000
#: a part that unpacks to more than this many times its packed size is a bomb, not a document
MAX_PACKING_RATIO = 1000


def check_package(path: Path, kind: str) -> None:
    """Refuse an Office file whose parts would expand past a sane size, before unpacking it.

    The sizes checked are the ones the package declares; Python's ``zipfile`` (which
    python-docx, docxtpl and openpyxl read through) never unpacks a part past its declared
    size, so a package that lies stops with a CRC error instead of growing.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(path, f"not a readable {kind} file ({exc}); save it again as {kind}") from None
    if len(parts) > MAX_PACKAGE_PARTS:
        raise DataError(path, f"{kind} file has {len(parts)} parts (more than {MAX_PACKAGE_PARTS}); refused")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        raise DataError(path, f"{kind} file would unpack to {total / 1e6:.0f} MB (limit "
                        f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB); refused")
    for part in parts:
        if part.file_size > 1_000_000 and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1):
            raise DataError(path, f"{kind} part {part.filename} expands {part.file_size // max(part.compress_size, 1)}"
                            f" times (a compression bomb?); refused")


def read_yaml(path: Path) -> tuple[Any, _Lines]:
    """Parse a YAML (or JSON) file, keeping the line of every field."""
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES, "data files")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(path, "not UTF-8 text (save the file as UTF-8)", line=line) from None
    lines = _Lines()
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
        except RecursionError:
            raise DataError(path, "nested too deeply (more than a few hundred levels)") from None
        # JSON is YAML: compose it too, for line numbers (tabs etc. may defeat this)
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            if node is not None:
                _construct(node, (), lines, yaml.SafeLoader(""), path)
        except (yaml.YAMLError, DataError, RecursionError):
            pass
        return data, lines
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except RecursionError:
        raise DataError(path, "nested too deeply (more than a few hundred levels)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else None
        hint = _keyboard_hint(text, where)
        if hint:
            raise DataError(path, hint[1], line=hint[0]) from None
        raise DataError(path, f"invalid YAML: {exc.problem or exc.context}", line=where) from None
    except yaml.YAMLError as exc:
        raise DataError(path, f"invalid YAML: {exc}") from None
    if node is None:
        raise DataError(path, "the file is empty")
    try:
        data = _construct(node, (), lines, yaml.SafeLoader(""), path)
    except RecursionError:
        raise DataError(path, "nested too deeply (more than a few hundred levels)") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise DataError(path, f"invalid YAML value: {exc.problem}",
                        line=mark.line + 1 if mark else None) from None
    return data, lines


def _node(data: Any, loc: Path_) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _union_branches(errors: list[dict], data: Any) -> list[dict]:
    """Of the errors pydantic reports for every member of a union (an article's body block:
    a paragraph, ``heading``, ``image`` or ``list``), those of the member the data meant —
    the one whose fields it has — with the member's name taken out of the path."""
    tags = {"str", "Heading", "Photo", "ListBlock"}
    grouped: dict[Path_, dict[str, list[dict]]] = {}
    plain = []
    for err in errors:
        loc = err["loc"]
        at = next((i for i, p in enumerate(loc) if isinstance(p, str) and p in tags), None)
        if at is None:
            plain.append(err)
            continue
        grouped.setdefault(loc[:at], {}).setdefault(loc[at], []).append({**err, "loc": loc[:at] + loc[at + 1:]})
    for prefix, branches in grouped.items():
        node = _node(data, prefix)
        chosen = "str" if isinstance(node, str) else next(
            (tag for tag, errs in branches.items() if tag != "str" and isinstance(node, dict) and any(
                len(e["loc"]) > len(prefix) and e["loc"][len(prefix)] in node and e["type"] != "extra_forbidden"
                for e in errs)), None)
        if chosen is None or chosen not in branches:
            plain.append({**next(iter(branches.values()))[0], "loc": prefix,
                          "msg": "expected a paragraph (text), or one of heading, image, list",
                          "type": "union"})
        else:
            plain.extend(branches[chosen])
    return plain


def _errors(path: Path, exc: ValidationError, lines: _Lines, data: Any = None) -> list[DataError]:
    out = []
    for err in _union_branches([dict(e) for e in exc.errors(include_url=False)], data):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; 'reportgen schema' lists the fields)"
        out.append(DataError(path, message, line=lines.line_of(loc), field=field_path(loc) or None,
                             label=human_field(loc, data) or None))
    return out


def validate_data(path: Path, data: Any, lines: _Lines | None = None, model: type[BaseModel] = Report):
    lines = lines or _Lines()
    if not isinstance(data, dict):
        raise DataError(path, f"expected a mapping of fields at the top, found {type(data).__name__}",
                        line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataErrors(_errors(path, exc, lines, data)) from None


def load_report(path: Path | str) -> Report:
    """Read and validate a report data file (YAML or JSON)."""
    path = Path(path)
    if path.suffix.lower() in (".docx", ".doc", ".wps", ".pdf", ".txt", ".xlsx", ".xls"):
        raise DataError(path, f"this is a {path.suffix.lower()[1:].upper()} file, not a data file: make one "
                        f"with 'reportgen extract {path.name} -o data.yaml' first"
                        if path.suffix.lower() in (".docx", ".pdf", ".txt") else
                        f"this is a {path.suffix.lower()[1:].upper()} file, not a data file (.yaml)")
    data, lines = read_yaml(path)
    return validate_data(path, data, lines)


# -- writing (reportgen.files: atomic, confined to regular files) --------------------------

def report_to_yaml(report: Report) -> str:
    data = report.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": report.schema_version, **data}
    for lst_model, lst in zip(report.lists, data.get("lists", [])):
        for item_model, item in zip(lst_model.items, lst["items"]):
            if item_model.metrics == detect_metrics(item_model.paragraphs):
                item.pop("metrics", None)  # derived from the text; re-detected on load
    return yaml.dump(data, allow_unicode=True, sort_keys=False, width=100)


def save_report(report: Report, target: Path | str, *, force: bool = False) -> Path:
    target = Path(target)
    text = report_to_yaml(report) if target.suffix.lower() != ".json" else \
        report.model_dump_json(indent=2, exclude_defaults=True)
    with atomic_write(target, "w", force=force) as handle:
        handle.write(text)
    return target
