"""导出 in the studio: what ``reportgen render`` makes, kept for the document as it is.

A render takes about half a second; staff click 导出 after 保存, and often twice. The
outputs of a render are kept (a few documents' worth) under a key made of everything the
render read — the data file, its images and logo, the theme and templates, the fonts, and
the files its pages linked — so that an unchanged document is served at once and a change
to any of those renders again. After each 保存 the PDF is prepared in the background.
"""
from __future__ import annotations

import hashlib
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

@dataclass
class Export:
    name: str        # file name for the download
    data: bytes
    inputs: list[str]  # files the render read through links (checked on every lookup)


def _stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


def _folder_stamp(folder: Path) -> str:
    try:
        files = sorted(p for p in folder.rglob("*") if p.is_file())
    except OSError:
        return f"{folder}:missing"
    return hashlib.sha256("\n".join(_stamp(p) for p in files).encode()).hexdigest()


def key_of(data_file: Path, fmt: str, template_dirs: tuple[Path, ...] = ()) -> str:
    """Everything a render of *data_file* reads, as it is now (``render.document_inputs``)."""
    from ..render import document_inputs

    inputs = document_inputs(data_file, template_dirs=template_dirs)
    parts = [fmt, hashlib.sha256(data_file.read_bytes()).hexdigest(), inputs.theme_json]
    parts += [_stamp(Path(f)) for f in inputs.files[1:]]
    parts += [_folder_stamp(Path(f)) for f in inputs.folders]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ExportCache:
    """The last renders of a few documents; one render at a time per document and format."""

    def __init__(self, size: int = 12, template_dirs: tuple[Path, ...] = ()):
        self.size = size
        self.template_dirs = tuple(template_dirs)  # the office's own templates, before the built-in ones
        self.entries: OrderedDict[str, Export] = OrderedDict()
        self.lock = threading.Lock()
        self.rendering: dict[tuple[str, str], threading.Lock] = {}

    def _current(self, key: str) -> Export | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if any(_stamp(Path(f)) != stamp for f, stamp in (i.split("|", 1) for i in entry.inputs)):
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def get(self, data_file: Path, fmt: str) -> Export:
        """The export of *data_file* as *fmt*: kept, or rendered now (``render_file``, within
        its limits; errors are raised as ``ReportgenError``)."""
        from ..render import render_file

        with self.lock:
            gate = self.rendering.setdefault((str(data_file), fmt), threading.Lock())
        with gate:  # a second click waits for the render the first one started
            key = key_of(data_file, fmt, self.template_dirs)
            entry = self._current(key)
            if entry is not None:
                return entry
            with tempfile.TemporaryDirectory(prefix="reportgen-export-") as out:
                result = render_file(data_file, out, [fmt], template_dirs=self.template_dirs)
                main = result.outputs[0] if fmt != "wechat" else \
                    next(p for p in result.outputs if p.name.endswith(".wechat-inline.html"))
                entry = Export(main.name, main.read_bytes(), [f"{f}|{_stamp(Path(f))}" for f in result.inputs])
            with self.lock:
                self.entries[key] = entry
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
            return entry

    def prepare(self, data_file: Path, fmt: str = "pdf") -> None:
        """Render in the background (after 保存), so that 导出 finds it ready; failures are
        left for the click to report."""
        def work() -> None:
            from .warmup import warm

            try:
                warm()
                self.get(data_file, fmt)
            except Exception:  # the click on 导出 says what went wrong
                pass

        threading.Thread(target=work, daemon=True, name=f"prepare {data_file.name}").start()
