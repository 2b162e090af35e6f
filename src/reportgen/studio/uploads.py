"""What staff upload: last year's document (extracted, then kept aside until 接受 or 放弃) and
pictures (decoded in full before they are kept in the folder's ``images/``)."""
from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from ..errors import ReportgenError
from ..files import atomic_write
from .documents import Folder

IMPORTS = Path(".reportgen") / "imports"  # extracted documents waiting for the user's 接受


def extract_upload(docs: Folder, data: bytes, suffix: str, original: str):
    """An uploaded document extracted (within the extraction's limits) and kept aside in
    ``.reportgen/imports/`` until the user has seen every repair and flag: (its token, the
    extraction)."""
    from ..extract import extract
    from ..io import save_report

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("source" + suffix)
        source.write_bytes(data)
        result = extract(source, source_name=original)
    token = secrets.token_hex(8)
    save_report(result.report, docs.root / IMPORTS / f"{token}.yaml")
    return token, result


def accept_import(docs: Folder, token: str, discard: bool, wanted: str) -> str | None:
    """接受 (the new document's name) or 放弃 (None) of a kept import."""
    pending = docs.root / IMPORTS / f"{token}.yaml"
    if not pending.is_file():
        raise ReportgenError("找不到这次导入的结果，请重新导入")
    if discard:
        pending.unlink()
        return None
    name = docs.free_name(Path(Path(wanted).name).stem)
    with atomic_write(docs.root / name, "wb", force=False) as handle:
        handle.write(pending.read_bytes())
    pending.unlink()
    return name


def keep_image(docs: Folder, data: bytes, suffix: str) -> str:
    """An uploaded picture checked (decoded in full) and kept in ``images/``: its path."""
    from ..render.images import check_image

    folder = docs.root / "images"
    folder.mkdir(exist_ok=True)
    target = folder / f"{secrets.token_hex(6)}{suffix}"
    with atomic_write(target, "wb", force=False) as handle:
        handle.write(data)
    try:
        check_image(docs.root, target.relative_to(docs.root).as_posix(), "图片")
    except ReportgenError:
        target.unlink()
        raise
    return target.relative_to(docs.root).as_posix()
