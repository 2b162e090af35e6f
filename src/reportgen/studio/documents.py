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
from ..layouts import LAYOUTS, LABELS
from ..model import Report
from .merge import article_block, entry_at, merge_article, merge_list, merge_section, merge_signoff

HISTORY = Path(".reportgen") / "history"
LOCKS = Path(".reportgen") / "locks"
STEM_LIMIT = 80  # characters of a new file's name (a file system takes 255 bytes: 3 per 汉字)
DATA_SUFFIXES = (".yaml", ".yml")
NAME = re.compile(r"^\w[\w.\-]{0,100}\.(?:yaml|yml)$")  # \w: letters of every script, 汉字 included

#: pydantic's and the model's words → what the studio shows beside the field (the whole message)
_MESSAGES = (
    (re.compile(r"^Field required"), "必填"),
    (re.compile(r"^String should have at least 1 character"), "不能为空"),
    (re.compile(r"^String should have at most (\d+) characters"), r"不能超过\1个字"),
    (re.compile(r"^List should have at least 1 item"), "至少要有一项"),
    (re.compile(r"^(?:Input should be a valid integer|应为整数)"), "应为整数"),
    (re.compile(r"^Input should be greater than or equal to (\d+)"), r"不能小于\1"),
    (re.compile(r"^Input should be less than or equal to (\d+)"), r"不能大于\1"),
    (re.compile(r"^Input should be a valid date"), "日期不对，请写成 2024-01-05 这样的年-月-日"),
    (re.compile(r"^Input should be a valid (?:string|str)"), "应为文字"),
    (re.compile(r"^Input should be a valid (?:list|array)"), "应为多项"),
    (re.compile(r"^Input should be a valid boolean"), "应为“是”或“否”"),
    (re.compile(r"^Input should be a valid number|^Input should be a finite number"), "应为数字"),
    (re.compile(r"^Input should be (?:'[^']*'(?:, | or )?)+"), "不是可选的值之一"),
    (re.compile(r"^Extra inputs are not permitted"), "多余的内容（没有这一项）"),
    (re.compile(r"^String should match pattern '\^#"), "颜色应写成 #B4141E 这样的六位色值"),
    (re.compile(r"^String should match pattern '\^\(\?:https"), "网址应以 http:// 或 https:// 开头，中间不能有空格"),
    (re.compile(r"^String should match pattern"), "格式不对"),
    (re.compile(r"^contains the control character (U\+[0-9A-F]+)"), r"含有不可见的控制字符 \1，请删除"),
    (re.compile(r"^a (\w+) needs '(\w+)'"), r"这种版式需要“\2”"),
    (re.compile(r"^two lists are named (.*)"), r"两个列表同名：\1"),
    (re.compile(r"^two sections have the same number"), "两个部分的编号相同"),
    (re.compile(r"^items (\d+) and (\d+) both have number (\d+)"), r"第\1项和第\2项的编号都是 \3，请改一个或按顺序重新编号"),
    (re.compile(r"^(\S+) is a placeholder address"),
     r"\1 是示例地址，不是真正的投票网页；请填写问卷平台给出的地址（还没有时先空着）"),
    (re.compile(r"^vote ends \((.+?)\) before it starts \((.+?)\)"), r"投票截止日期（\1）早于开始日期（\2）"),
    (re.compile(r"^metrics\[\d+\]"), "手工标出的数字与正文对不上：请删去这一项的 metrics，让工作室重新找出数字"),
    (re.compile(r"^no such image|^image .* not found|cannot read the image", re.I), "找不到这张图片，请重新上传"),
)
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


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
        if isinstance(form.get("signoff"), dict):
            merge_signoff(data, form["signoff"])
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
            block = article_block(data, entry.get("article"), entry.get("block"))
            if block is not None and isinstance(block, dict) and isinstance(block.get("list"), dict):
                merge_list(block["list"], entry)
        for entry in form.get("articles") or []:
            merge_article(data, entry)
        for entry in form.get("sections") or []:
            merge_section(data, entry)
        if "lists" in form:
            old_lists = list(data.get("lists") or [])
            lists = []
            for entry in form["lists"]:
                index = entry.get("index")
                lst = entry_at(old_lists, index, {})
                merge_list(lst, entry)
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

    def next_year(self, name: str, year: int) -> str:
        """从去年新建: a new document for *year* from *name* (``reportgen new --from``): every
        year in titles, headings and dates moved, last year's items kept as drafts to
        replace. Its name comes from its title; *name* is not changed."""
        from ..yearly import next_year

        report, _ = self.open(name)
        if report.year is not None and year == report.year:
            raise DataError(None, f"这份文件已经是{year}年的；请填新的年份")
        moved = next_year(report, year)
        new = self.free_name(moved.title or f"{year}年{Path(name).stem}")
        with atomic_write(self.root / new, "w", force=False) as handle:
            handle.write(report_to_yaml(moved))
        return new

    def rename(self, name: str, stem: str) -> str:
        """*name* under a new file name (letters, 汉字, digits, - and _), with its history and
        its vote audit; refused when a file of that name exists."""
        path = self.path(name)
        clean = self.clean_stem(stem.strip().removesuffix(".yaml").removesuffix(".yml"))
        new = f"{clean}{path.suffix}"
        if new == path.name:
            return name
        target = self.path(new)
        with self.lock(name):
            if target.exists():
                raise DataError(None, f"已有名为 {new} 的文件，请换一个名字")
            if not path.is_file():
                raise DataError(None, f"找不到文件 {name}")
            path.rename(target)
            history = self.root / HISTORY / path.stem
            if history.is_dir() and not (self.root / HISTORY / target.stem).exists():
                history.rename(self.root / HISTORY / target.stem)
            audit = path.with_name(path.stem + "-audit.xlsx")
            if audit.is_file() and not audit.is_symlink():
                audit.rename(target.with_name(target.stem + "-audit.xlsx"))
        self._listed.pop(name, None)
        return new

    def create(self, layout: str, year: int, association: str, short_name: str) -> str:
        """A new data file for *layout*, with one list and one item to fill in."""
        if layout not in LAYOUTS:
            raise DataError(None, f"unknown layout {layout!r}")
        if not LAYOUTS[layout].creatable:
            can = "和".join(LABELS[name] for name, known in LAYOUTS.items() if known.creatable)
            raise DataError(None, f"新建目前支持{can}；其他版式请导入去年的文件")
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


def _yaml():
    """ruamel.yaml in round-trip mode: what the user wrote (comments, order, quotes) stays."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=2, offset=0)  # the layout report_to_yaml and most hand-written files use
    return yaml


def chinese(message: str) -> str:
    """A validation message as the studio shows it: in Chinese, whole (a message no rule
    knows is said plainly rather than shown in English; the CLI keeps the English)."""
    message = re.sub(r"^Value error, ", "", message.strip())
    for pattern, words in _MESSAGES:
        match = pattern.search(message)
        if match:
            return match.expand(words)
    if _ENGLISH.search(re.sub(r"“[^”]*”|《[^》]*》|https?://\S+|\S+\.(?:yaml|yml|xlsx|docx|pdf)\b", "", message)):
        return "这里填写的内容不符合要求，请检查"
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
