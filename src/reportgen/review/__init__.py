"""三审三校: named users and roles, sign-offs bound to the content, the 审核表, and the lock on
exports until 终审 — one folder's review, kept in ``<folder>/.reportgen/review.sqlite3``.

``store`` holds users, sessions, signatures and the audit log; ``signoff`` the content hash
and the order of the stages; ``sheet`` the 审核表 (XLSX, PDF). This module is the API the CLI
(``reportgen users``, ``reportgen review``, ``reportgen backup``) and the studio share.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

import yaml

from ..errors import DataError
from ..files import atomic_write
from .signoff import STAGES, Status, changes, content_hash, sign, status
from .store import FOLDER, ROLE_NAMES, ROLES, ReviewError, Store, User, backup_database, has_users

__all__ = ["ALL_CHANNELS", "ROLES", "ROLE_NAMES", "STAGES", "ReviewError", "Status", "Store", "User", "backup", "changes",
           "content_hash", "has_users", "review_required", "sign_document", "sheet", "status", "document_status"]

SETTINGS = "settings.yaml"


def review_required(folder: Path | str) -> bool:
    """Whether exports and pushes wait for 终审: ``review: required`` or ``optional`` in
    ``.reportgen/settings.yaml``; by default, required as soon as the folder has users."""
    path = Path(folder).resolve() / FOLDER / SETTINGS
    if path.is_file():
        try:
            value = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("review")
        except (yaml.YAMLError, AttributeError, UnicodeDecodeError):
            raise DataError(path, "not a settings file: write 'review: required' or 'review: optional'") from None
        if value in ("required", "optional"):
            return value == "required"
        if value is not None:
            raise DataError(path, f"review: {value!r}: write 'required' or 'optional'", field="review")
    return has_users(folder)


def document_status(folder: Path | str, name: str) -> Status:
    with Store(folder) as store:
        return status(Path(folder).resolve(), name, store)


#: the channels read back at a signature when asked (``--channels all``, the studio's 校对各渠道)
ALL_CHANNELS = ("pdf", "docx", "wechat", "png")


def sign_document(folder: Path | str, name: str, user_name: str, password: str | None, *, stage: str | None = None,
                  comment: str = "", user: User | None = None, channels: tuple[str, ...] = ()):
    """Check the password (unless the studio's session already names *user*), run the
    language checks — and, for *channels*, the cross-channel check of the rendered files — for
    the record, and sign. Returns the signature."""
    from ..checks import check_file

    folder = Path(folder).resolve()
    with Store(folder) as store:
        if user is None:
            user = store.authenticate(user_name, password or "")
    report, findings = check_file(folder / name)
    if channels:
        from ..checks.channels import channel_findings
        from ..render import proof_sources

        findings += channel_findings(report, proof_sources(folder / name, channels))
    with Store(folder) as store:
        return sign(folder, name, store, user, stage=stage, comment=comment,
                    findings=[f.as_dict() for f in findings], channels=channels)


def sheet(folder: Path | str, name: str, kind: str) -> bytes:
    """The 审核表 of *name* as ``xlsx`` or ``pdf``."""
    from ..io import load_report
    from .sheets import sheet_pdf, sheet_xlsx

    folder = Path(folder).resolve()
    title = load_report(folder / name).title
    state = document_status(folder, name)
    if kind == "xlsx":
        return sheet_xlsx(title, state)
    if kind == "pdf":
        return sheet_pdf(title, state)
    raise ReviewError(f"审核表可以是 .xlsx 或 .pdf，不能是 .{kind}")


def backup(folder: Path | str, target: Path | str, *, force: bool = False) -> Path:
    """One consistent zip of the folder: data files, pictures, templates, history, checks.yaml and
    settings, and a copy of the review database made with SQLite's backup API (safe while the
    studio runs). Refuses to overwrite *target* without *force*."""
    folder = Path(folder).resolve()
    target = Path(target).resolve()
    if target.is_relative_to(folder):
        raise ReviewError(f"备份文件 {target} 不能放在要备份的文件夹里面")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "review.sqlite3"
        if (folder / FOLDER / "review.sqlite3").is_file():
            backup_database(folder, database)
        with atomic_write(target, "wb", force=force) as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.rglob("*")):
                    relative = path.relative_to(folder)
                    if path.is_symlink() or not path.is_file():
                        continue
                    if relative.parts[0] == FOLDER and path.name.startswith("review.sqlite3"):
                        continue  # the live database (and its journal) is copied through its backup API below
                    archive.write(path, relative.as_posix())
                if database.exists():
                    archive.write(database, f"{FOLDER}/review.sqlite3")
                archive.writestr("BACKUP.txt", f"reportgen backup of {folder.name} at {stamp}\n"
                                 f"restore: unzip into an empty folder and run 'reportgen serve' there\n")
    os.chmod(target, 0o600)
    return target
