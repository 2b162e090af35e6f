"""The studio's work on a folder of data files, as a Python API the web layer calls.

Everything here goes through the same functions as the CLI (``io``, ``extract``, ``render``);
the web pages only translate forms and clicks. Paths are names inside the folder: a name
that leads out of it, or to something that is not a data file, is refused.

Saving never loses work: the file's content hash when it was opened (``version``) must
still be the file's hash on disk (else :class:`Conflict`), and the previous content is
kept in ``.reportgen/history/<name>/`` before the new one replaces it atomically. The
compare, the history copy and the rename happen under one lock per file
(``.reportgen/locks/<name>.lock``, ``files.file_lock``), held against other threads and
other processes (two studios on one folder): of two saves of one version, one wins and
the other gets the conflict.

The folder's listing is kept per file and read again only for a file whose size, time or
inode changed, so the home page costs a ``stat`` per file, not a parse.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, DataErrors, ReportgenError
from ..files import file_lock
from ..io import atomic_write, load_report, read_yaml, report_to_yaml, validate_data
from ..layouts import LAYOUTS
from ..model import Report

HISTORY = Path(".reportgen") / "history"
LOCKS = Path(".reportgen") / "locks"
STEM_LIMIT = 80  # characters of a new file's name (a file system takes 255 bytes: 3 per 汉字)
DATA_SUFFIXES = (".yaml", ".yml")
NAME = re.compile(r"^\w[\w.\-]{0,100}\.(?:yaml|yml)$")  # \w: letters of every script, 汉字 included

#: pydantic's words → what the studio shows beside the field
_MESSAGES = (
    (re.compile(r"^Field required"), "必填"),
    (re.compile(r"^String should have at least 1 character"), "不能为空"),
    (re.compile(r"^String should have at most (\d+) characters"), r"不能超过\1个字"),
    (re.compile(r"^List should have at least 1 item"), "至少要有一项"),
    (re.compile(r"^Input should be a valid integer"), "应为整数"),
    (re.compile(r"^Input should be greater than or equal to (\d+)"), r"不能小于\1"),
    (re.compile(r"^Input should be less than or equal to (\d+)"), r"不能大于\1"),
    (re.compile(r"^contains the control character (U\+[0-9A-F]+)"), r"含有不可见的控制字符 \1，请删除"),
    (re.compile(r"^a (\w+) needs '(\w+)'"), r"这种版式需要“\2”"),
    (re.compile(r"^two lists are named (.*)"), r"两个列表同名：\1"),
    (re.compile(r"^items (\d+) and (\d+) both have number (\d+)"), r"第\1项和第\2项的编号都是 \3，请改一个或按顺序重新编号"),
)


class Conflict(ReportgenError):
    """The file changed on disk since it was opened (another tab, another person)."""


@dataclass
class Document:
    name: str
    title: str
    layout: str
    year: int | None
    modified: dt.datetime
    error: str = ""


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


class Folder:
    """The data files of one folder."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._plain: dict[str, Any] = {}  # the last file version that passed read_yaml: its data
        self._listed: dict[str, tuple[tuple[int, int, int], Document]] = {}  # name → (stat, entry)

    def path(self, name: str) -> Path:
        """The data file *name* inside the folder; refused when it is not a plain data-file name."""
        if not NAME.match(name):
            raise DataError(None, f"{name!r} is not the name of a data file (.yaml) in this folder")
        path = (self.root / name).resolve()
        if path.parent != self.root:
            raise DataError(None, f"{name!r} is outside the studio's folder")
        return path

    def documents(self) -> list[Document]:
        """The folder's data files with their titles (a file is parsed again only when its
        size, modification time or inode changed since the last listing)."""
        out = [entry for entry in map(self._listing, sorted(self.root.glob("*"))) if entry is not None]
        for gone in set(self._listed) - {entry.name for entry in out}:
            del self._listed[gone]
        return out

    def entry(self, name: str) -> Document | None:
        """The listing's entry of *name* (its title …), parsed only if the file changed."""
        return self._listing(self.path(name))

    def _listing(self, path: Path) -> Document | None:
        if path.suffix.lower() not in DATA_SUFFIXES or path.is_symlink():
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        known = self._listed.get(path.name)
        if known is None or known[0] != stamp:
            known = (stamp, self._entry(path, dt.datetime.fromtimestamp(info.st_mtime)))
            self._listed[path.name] = known
        return known[1]

    @staticmethod
    def _entry(path: Path, modified: dt.datetime) -> Document:
        try:
            report = load_report(path)
        except ReportgenError as exc:
            return Document(path.name, path.stem, "?", None, modified, str(exc))
        return Document(path.name, report.title, report.layout, report.year, modified)

    def lock(self, name: str):
        """The lock held while *name* is compared and replaced (threads and processes)."""
        return file_lock(self.root / LOCKS / f"{self.path(name).name}.lock")

    def open(self, name: str) -> tuple[Report, str]:
        """The report and its version (hash of the file as it is now)."""
        path = self.path(name)
        return load_report(path), version_of(path.read_bytes())

    # -- editing -------------------------------------------------------------------------
    def merge(self, name: str, form: dict[str, Any], *, round_trip: bool = True):
        """The data file's content with what the form edits replaced in place; everything
        the form does not show (vote panel, articles, images, dates …) stays as it was.

        *round_trip*: a ruamel.yaml round-trip document (comments and key order kept), for
        saving; else a copy of the file's plain data, parsed once per version of the file
        (a preview runs per keystroke, and ruamel's pure-Python parse would hold the server's
        interpreter for tens of milliseconds each time)."""
        path = self.path(name)
        raw = path.read_bytes()
        version = version_of(raw)
        if version not in self._plain:  # once per version of the file
            # the same checks as every data file (size, regular file, alias bombs)
            self._plain = {version: read_yaml(path)[0]}
        data = _yaml().load(raw.decode("utf-8-sig")) if round_trip else copy.deepcopy(self._plain[version])
        for key in ("title", "subtitle", "year"):
            if key in form and (form[key] != "" or key in data):
                data[key] = form[key]
        association = data.setdefault("association", {})
        given = form.get("association") or {}
        for key in ("name", "short_name"):
            if key in given:
                association[key] = given[key]
        if "logo" in given:  # a picture uploaded into the folder, or "" to take it away
            if given["logo"]:
                association["logo"] = given["logo"]
            else:
                association.pop("logo", None)
        colors = given.get("colors") or {}
        if colors:
            current = association.setdefault("colors", {})
            for key in ("primary", "accent", "text"):
                if colors.get(key) and str(colors[key]).upper() != str(current.get(key, "")).upper():
                    current[key] = str(colors[key]).upper()
        if "theme" in form:
            if form["theme"]:
                data["theme"] = form["theme"]
            else:
                data.pop("theme", None)
        if isinstance(form.get("signoff"), dict):  # 落款: both empty takes it away
            name = str(form["signoff"].get("name") or "").strip()
            date = str(form["signoff"].get("date") or "").strip()
            if name or date:
                signoff = data.setdefault("signoff", {})
                signoff["name"] = name
                if date:
                    signoff["date"] = date
                else:
                    signoff.pop("date", None)
            else:
                data.pop("signoff", None)
        if isinstance(form.get("intro"), list):  # 活动简介 of a ballot
            intro = [str(p).strip() for p in form["intro"] if str(p).strip()]
            if intro:
                data["intro"] = intro
            else:
                data.pop("intro", None)
        if isinstance(form.get("vote"), dict) and "vote" in data:
            vote = data["vote"]
            for key in ("start", "end", "url", "notice", "qr_label"):
                if key in form["vote"]:
                    vote[key] = form["vote"][key]
            if "per_day_limit" in form["vote"]:
                vote["per_day_limit"] = form["vote"]["per_day_limit"]
            if "rules" in form["vote"]:
                vote["rules"] = [str(r).strip() for r in form["vote"]["rules"] if str(r).strip()]
        # the lists inside articles (a news release's 十大事件), edited in place first: the
        # article bodies below are rebuilt around the same block objects
        for entry in form.get("article_lists") or []:
            block = _article_block(data, entry.get("article"), entry.get("block"))
            if block is not None and isinstance(block, dict) and isinstance(block.get("list"), dict):
                _merge_list(block["list"], entry)
        for entry in form.get("articles") or []:
            _merge_article(data, entry)
        for entry in form.get("sections") or []:
            _merge_section(data, entry)
        if "lists" in form:
            old_lists = list(data.get("lists") or [])
            lists = []
            for entry in form["lists"]:
                index = entry.get("index")
                lst = old_lists[index] if isinstance(index, int) and 0 <= index < len(old_lists) else {}
                _merge_list(lst, entry)
                lists.append(lst)
            data["lists"] = lists
        return data

    def check(self, name: str, form: dict[str, Any]) -> tuple[Report | None, dict[str, str]]:
        """The edited report ready to preview, or the errors by field path in Chinese (a field
        left empty to fill in may be saved, but not previewed)."""
        _, report, errors = self._checked(name, form, round_trip=False)
        if report is not None and report.unfilled():
            return None, {field: "请填写（不能为空）" for field in report.unfilled()}
        return report, errors

    def _checked(self, name: str, form: dict[str, Any], *, round_trip: bool = True):
        """(the merged document, the edited report or None, the errors by field path)."""
        data = self.merge(name, form, round_trip=round_trip)
        try:
            return data, validate_data(self.path(name), data), {}
        except DataErrors as exc:
            return data, None, {e.field or "": chinese(e.message) for e in exc.errors}
        except DataError as exc:
            return data, None, {exc.field or "": chinese(exc.message)}

    def save(self, name: str, form: dict[str, Any], version: str) -> str:
        """Write the edited report; the previous file goes to the history. Returns the new version."""
        data, report, errors = self._checked(name, form)
        if report is None:
            field, message = next(iter(errors.items()))
            raise DataError(None, message, field=field or None)
        path = self.path(name)
        buffer = io.StringIO()
        _yaml().dump(data, buffer)  # the document that was checked, comments and all
        text = buffer.getvalue()
        with self.lock(name):  # compare, keep and replace as one step
            current = path.read_bytes()
            if version_of(current) != version:
                raise Conflict(f"{name} 已被修改（另一个窗口或其他人保存过）。为避免覆盖，请先复制你的修改，"
                               "重新打开文件后再保存。")
            self.keep(path, current)
            with atomic_write(path, "w") as handle:
                handle.write(text)
        return version_of(text.encode("utf-8"))

    def keep(self, path: Path, content: bytes) -> Path:
        """A copy of *content* in the history folder, named by the time it was replaced."""
        folder = self.root / HISTORY / path.stem
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{stamp}{path.suffix}"
        with atomic_write(target, "wb", force=False) as handle:
            handle.write(content)
        return target

    def history(self, name: str) -> list[Path]:
        folder = self.root / HISTORY / self.path(name).stem
        return sorted(folder.glob("*.y*ml"), reverse=True) if folder.is_dir() else []

    def restore(self, name: str, version_file: str) -> None:
        """Put an earlier version back (the current one goes to the history first)."""
        path = self.path(name)
        chosen = next((p for p in self.history(name) if p.name == version_file), None)
        if chosen is None:
            raise DataError(None, f"no earlier version {version_file!r} of {name}")
        validate_data(path, read_yaml(chosen)[0])
        with self.lock(name):
            self.keep(path, path.read_bytes())
            with atomic_write(path, "wb") as handle:
                handle.write(chosen.read_bytes())

    @staticmethod
    def clean_stem(stem: str) -> str:
        """A file-name stem of letters (汉字 included), digits, - and _ only, at most
        :data:`STEM_LIMIT` characters."""
        clean = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem).strip("-")
        return clean[:STEM_LIMIT].rstrip("-") or "imported"

    def free_name(self, stem: str) -> str:
        """``<stem>.yaml``, or ``<stem>-2.yaml`` … : the first name no file of the folder has."""
        stem = self.clean_stem(stem)
        name, n = f"{stem}.yaml", 1
        while (self.root / name).exists():
            n += 1
            name = f"{stem}-{n}.yaml"
        return name

    def create(self, layout: str, year: int, association: str, short_name: str) -> str:
        """A new data file for *layout*, with one list and one item to fill in."""
        if layout not in LAYOUTS:
            raise DataError(None, f"unknown layout {layout!r}")
        if layout not in ("bulletin", "ballot"):
            raise DataError(None, "新建目前支持“十件大事”公报和评选手册；其他版式请导入去年的文件")
        data: dict[str, Any] = {"layout": layout, "association": {"name": association, "short_name": short_name},
                                "year": year, "title": f"{year}年{short_name}十件大事",
                                "lists": [{"name": "十件大事", "items": [{"title": "第一件事",
                                                                      "paragraphs": ["在这里写正文。"]}]}]}
        if layout == "ballot":
            # no vote address until the platform's page exists: no QR code can point at a placeholder
            data["title"] = f"{year}年{short_name}十件大事评选"
            data["intro"] = ["在这里写活动简介：评选的目的、候选项目的来源和投票方式。"]
            data["vote"] = {"start": dt.date(year, 12, 1), "end": dt.date(year, 12, 15),
                            "url": "", "per_day_limit": 1, "rules": ["每人每天可投一次。"]}
            data["lists"][0]["name"] = "候选大事"
        name = self.free_name(data["title"])  # a readable name: 2025年区科协十件大事.yaml
        report = validate_data(self.root / name, data)
        with atomic_write(self.root / name, "w", force=False) as handle:
            handle.write(report_to_yaml(report))
        return name


def _merge_list(lst, entry: dict[str, Any]) -> None:
    """A list's name, note and items from the form, edited in place: what the form does not
    show of an item (its number, credits, metrics given by hand …) stays."""
    old_items = list(lst.get("items") or [])
    # numbers that only repeat the order (as extraction once wrote them) were never pinned:
    # after a delete or a move the list numbers itself again
    printed = [old.get("number") for old in old_items if isinstance(old, dict)]
    by_order = all(n is None or n == position for position, n in enumerate(printed, 1))
    items = []
    for item in entry.get("items", []):
        source = item.get("index")
        kept = old_items[source] if isinstance(source, int) and 0 <= source < len(old_items) else {}
        kept.pop("metrics", None)  # figures are detected again from the edited text
        if "number" in item:  # 固定编号: a number the user pinned, or "" (the list's order)
            pinned = str(item.get("number") or "").strip()
            if pinned:
                kept["number"] = int(pinned) if pinned.isdigit() else pinned  # else: 应为整数 beside it
            else:
                kept.pop("number", None)
        elif by_order:
            kept.pop("number", None)
        kept["title"] = item.get("title", "")
        paragraphs = [str(p).strip() for p in item.get("paragraphs", []) if str(p).strip()]
        if list(kept.get("paragraphs") or []) != paragraphs:
            kept["paragraphs"] = paragraphs
        if "dates" in item:
            dates = [str(d).strip() for d in item["dates"] if str(d).strip()]
            if dates != [str(d) for d in kept.get("dates") or []]:
                if dates:
                    kept["dates"] = dates
                else:
                    kept.pop("dates", None)
        if "images" in item:
            old_images = list(kept.get("images") or [])
            images = []
            for image in item["images"]:
                at = image.get("index")
                picture = old_images[at] if isinstance(at, int) and 0 <= at < len(old_images) else {}
                if image.get("path"):
                    picture["path"] = image["path"]
                picture["caption"] = image.get("caption", "")
                images.append(picture)
            if images:
                kept["images"] = images
            else:
                kept.pop("images", None)
        items.append(kept)
    if "name" in entry:
        lst["name"] = entry.get("name", "")
    if "heading" in entry:  # the line printed above the list ("" : the name, with the year)
        if str(entry.get("heading") or "").strip():
            lst["heading"] = str(entry["heading"]).strip()
        else:
            lst.pop("heading", None)
    lst["items"] = items
    if entry.get("ordering_note") or "ordering_note" in lst:
        lst["ordering_note"] = entry.get("ordering_note") or ""


def _article_block(data, article, block):
    articles = data.get("articles") or []
    if not isinstance(article, int) or not 0 <= article < len(articles):
        return None
    body = articles[article].get("body") or []
    return body[block] if isinstance(block, int) and 0 <= block < len(body) else None


def _merge_article(data, entry: dict[str, Any]) -> None:
    """An article's head (引题, title, byline, source, date) and its body: paragraphs and
    subheadings edited, emptied paragraphs dropped, new paragraphs added; pictures keep their
    file (their caption is edited) and lists are edited with the lists."""
    articles = data.get("articles") or []
    index = entry.get("index")
    if not isinstance(index, int) or not 0 <= index < len(articles):
        return
    article = articles[index]
    for key in ("kicker", "title", "subtitle", "byline", "source"):
        if key in entry and (entry[key] or key in article):
            article[key] = entry[key]
    if "date" in entry:
        if entry["date"]:
            article["date"] = entry["date"]
        else:
            article.pop("date", None)
    if "body" not in entry:
        return
    old = list(article.get("body") or [])
    body = []
    for block in entry["body"]:
        at, text = block.get("index"), str(block.get("text", ""))
        previous = old[at] if isinstance(at, int) and 0 <= at < len(old) else None
        if previous is None or isinstance(previous, str):
            if text.strip():
                body.append(text.strip())
        elif "heading" in previous:
            if text.strip():
                previous["heading"] = text.strip()
                body.append(previous)
        elif "image" in previous:
            previous["image"]["caption"] = text
            body.append(previous)
        else:  # a list: edited with the lists
            body.append(previous)
    article["body"] = body


def _merge_section(data, entry: dict[str, Any]) -> None:
    """A review section's keyword and headline and its points (lead and text)."""
    sections = data.get("sections") or []
    index = entry.get("index")
    if not isinstance(index, int) or not 0 <= index < len(sections):
        return
    section = sections[index]
    for key in ("keyword", "headline"):
        if key in entry:
            section[key] = entry[key]
    if "points" not in entry:
        return
    old = list(section.get("points") or [])
    points = []
    for point in entry["points"]:
        at = point.get("index")
        kept = old[at] if isinstance(at, int) and 0 <= at < len(old) else {}
        lead, text = str(point.get("lead", "")).strip(), str(point.get("text", "")).strip()
        if not lead and not text:
            continue
        kept["lead"], kept["text"] = lead, text
        points.append(kept)
    section["points"] = points


def _yaml():
    """ruamel.yaml in round-trip mode: what the user wrote (comments, order, quotes) stays."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=2, offset=0)  # the layout report_to_yaml and most hand-written files use
    return yaml


def chinese(message: str) -> str:
    for pattern, words in _MESSAGES:
        if pattern.search(message):
            return pattern.sub(words, message)
    return message


def field_label(path: str) -> str:
    """``lists[0].items[1].title`` → 列表1 第2项 标题 (counting from 1, as people do)."""
    words = {"title": "标题", "subtitle": "副标题", "year": "年份", "paragraphs": "正文", "name": "名称",
             "short_name": "简称", "association": "单位", "ordering_note": "说明"}
    out: list[str] = []
    for part in re.findall(r"[a-z_]+|\[\d+\]", path):
        if part.startswith("["):
            number = int(part[1:-1]) + 1
            out.append(f"第{number}项" if out and out[-1] in ("事项", "正文") else f"{number}")
        elif part == "lists":
            out.append("列表")
        elif part == "items":
            out.append("事项")
        else:
            out.append(words.get(part, part))
    return " ".join(out)
