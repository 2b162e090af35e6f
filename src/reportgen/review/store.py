"""The review's database: users, sessions, signatures and the audit log of one folder, in one
SQLite file, ``<folder>/.reportgen/review.sqlite3`` (the standard library's sqlite3).

The schema has a version (``PRAGMA user_version``) and a list of migrations applied in order
when a store is opened, so an older folder is brought up to date and a newer one is refused.
Passwords are stored as argon2id hashes (argon2-cffi), never in clear; a session is kept as
the SHA-256 of its cookie value, so the database alone does not let anyone in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import ReportgenError

FOLDER = ".reportgen"
FILE_NAME = "review.sqlite3"
#: role → the stage its users sign
ROLES = {"editor": "初审", "reviewer": "复审", "approver": "终审"}
ROLE_NAMES = {"editor": "编辑（初审）", "reviewer": "部门负责人（复审）", "approver": "分管领导（终审）"}
#: failed logins in a row before the account waits, and for how long
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)

MIGRATIONS = (
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'approver')),
        password TEXT NOT NULL,
        created TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    );
    CREATE TABLE sessions (
        key TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL
    );
    CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        document TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('初审', '复审', '终审')),
        content_hash TEXT NOT NULL,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        findings TEXT NOT NULL DEFAULT '[]',
        content TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX signatures_by_document ON signatures (document, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        document TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: which rendered channels were read back against the data at a signature (三校)
    """
    ALTER TABLE signatures ADD COLUMN channels TEXT NOT NULL DEFAULT ''
    """,
)


class ReviewError(ReportgenError):
    """A review step that is not allowed (wrong password, role, order …): one line, in Chinese."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created: str

    @property
    def stage(self) -> str:
        return ROLES[self.role]


@dataclass(frozen=True)
class Signature:
    id: int
    document: str
    stage: str
    content_hash: str
    user_name: str
    at: str
    comment: str
    findings: list
    content: str  # the signed data, canonical JSON: the three 校 are diffs between these
    channels: str = ""  # the rendered channels checked against the data at the signature: "pdf,docx"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def database_path(folder: Path | str) -> Path:
    return Path(folder).resolve() / FOLDER / FILE_NAME


def has_users(folder: Path | str) -> bool:
    """Whether *folder* has a review database with at least one user (without creating one)."""
    path = database_path(folder)
    if not path.is_file():
        return False
    with Store(folder) as store:
        return bool(store.users())


class Store:
    """One folder's review database; use as a context manager (one connection per use)."""

    def __init__(self, folder: Path | str):
        self.path = database_path(folder)
        self.connection: sqlite3.Connection | None = None

    def __enter__(self) -> "Store":
        self.path.parent.mkdir(mode=0o700, exist_ok=True)
        new = not self.path.exists()
        self.connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        if new:
            self.path.chmod(0o600)
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute("PRAGMA journal_mode = WAL")
        self._migrate()
        return self

    def __exit__(self, *exc) -> None:
        assert self.connection is not None
        self.connection.close()
        self.connection = None

    @property
    def db(self) -> sqlite3.Connection:
        assert self.connection is not None, "use the store as a context manager"
        return self.connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise ReviewError(f"{self.path}: 审核数据库来自更新的 reportgen（版本 {version}），请升级 reportgen")
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            with self.transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # -- users -----------------------------------------------------------------------------------
    def users(self) -> list[User]:
        rows = self.db.execute("SELECT id, name, role, created FROM users ORDER BY id").fetchall()
        return [User(*row) for row in rows]

    def user(self, name: str) -> User | None:
        row = self.db.execute("SELECT id, name, role, created FROM users WHERE name = ?", (name,)).fetchone()
        return User(*row) if row else None

    def add_user(self, name: str, role: str, password: str) -> User:
        name = name.strip()
        if not name or len(name) > 40 or any(ch.isspace() or ord(ch) < 32 for ch in name):
            raise ReviewError(f"用户名“{name}”不可用：1～40 个字符，不含空格")
        if role not in ROLES:
            raise ReviewError(f"没有角色“{role}”；可选 {', '.join(ROLES)}")
        _check_password(password)
        if self.user(name) is not None:
            raise ReviewError(f"已有用户“{name}”")
        with self.transaction() as db:
            db.execute("INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)",
                       (name, role, _hasher().hash(password), now().isoformat()))
            self._audit(db, "系统", "添加用户", "", f"{name}（{ROLE_NAMES[role]}）")
        user = self.user(name)
        assert user is not None
        return user

    def remove_user(self, name: str) -> None:
        if self.user(name) is None:
            raise ReviewError(f"没有用户“{name}”")
        with self.transaction() as db:
            db.execute("DELETE FROM users WHERE name = ?", (name,))
            self._audit(db, "系统", "删除用户", "", name)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        if self.user(name) is None:
            raise ReviewError(f"没有用户“{name}”")
        with self.transaction() as db:
            db.execute("UPDATE users SET password = ?, failures = 0, locked_until = NULL WHERE name = ?",
                       (_hasher().hash(password), name))
            db.execute("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,))
            self._audit(db, "系统", "修改密码", "", name)

    def authenticate(self, name: str, password: str) -> User:
        """The user, if *password* is theirs; after :data:`MAX_FAILURES` wrong ones in a row the
        account waits :data:`LOCKOUT` (a wrong name costs the same time as a wrong password)."""
        from argon2.exceptions import VerificationError

        row = self.db.execute("SELECT id, password, failures, locked_until FROM users WHERE name = ?",
                              (name,)).fetchone()
        if row is None:
            _hasher().hash(password)  # the same work as a real check: no telling names apart by time
            raise ReviewError("用户名或密码不对")
        user_id, stored, failures, locked_until = row
        if locked_until and dt.datetime.fromisoformat(locked_until) > now():
            raise ReviewError("密码连续输错次数过多，账户已暂时锁定，请 15 分钟后再试")
        try:
            _hasher().verify(stored, password)
        except VerificationError:
            failures += 1
            until = (now() + LOCKOUT).isoformat() if failures >= MAX_FAILURES else None
            with self.transaction() as db:
                db.execute("UPDATE users SET failures = ?, locked_until = ? WHERE id = ?",
                           (0 if until else failures, until, user_id))
                self._audit(db, name, "登录失败", "", "账户已锁定 15 分钟" if until else f"第 {failures} 次")
            raise ReviewError("用户名或密码不对") from None
        with self.transaction() as db:
            db.execute("UPDATE users SET failures = 0, locked_until = NULL WHERE id = ?", (user_id,))
        user = self.user(name)
        assert user is not None
        return user

    # -- sessions --------------------------------------------------------------------------------
    def open_session(self, user: User) -> tuple[str, str]:
        """A new session of *user*: ``(cookie value, CSRF token)``; a login never reuses a key."""
        key, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (now().isoformat(),))
            db.execute("INSERT INTO sessions (key, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
                       (_digest(key), user.id, csrf, now().isoformat(), (now() + SESSION_LIFETIME).isoformat()))
            self._audit(db, user.name, "登录")
        return key, csrf

    def session(self, key: str) -> tuple[User, str] | None:
        """``(user, CSRF token)`` of a live session, else None."""
        row = self.db.execute(
            "SELECT users.id, users.name, users.role, users.created, sessions.csrf, sessions.expires "
            "FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.key = ?", (_digest(key),)).fetchone()
        if row is None or dt.datetime.fromisoformat(row[5]) < now():
            return None
        return User(*row[:4]), row[4]

    def close_session(self, key: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE key = ?", (_digest(key),))

    # -- signatures and the log ------------------------------------------------------------------
    def add_signature(self, document: str, stage: str, content_hash: str, user: User, comment: str,
                      findings: list, content: str, channels: tuple[str, ...] = ()) -> Signature:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO signatures (document, stage, content_hash, user_name, at, comment, findings, content, "
                "channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (document, stage, content_hash, user.name, now().isoformat(), comment,
                 json.dumps(findings, ensure_ascii=False), content, ",".join(channels)))
            self._audit(db, user.name, f"签署{stage}", document, content_hash[:16])
            number = cursor.lastrowid
        return next(s for s in self.signatures(document) if s.id == number)

    def signatures(self, document: str) -> list[Signature]:
        rows = self.db.execute(
            "SELECT id, document, stage, content_hash, user_name, at, comment, findings, content, channels "
            "FROM signatures WHERE document = ? ORDER BY id", (document,)).fetchall()
        return [Signature(id=row[0], document=row[1], stage=row[2], content_hash=row[3], user_name=row[4], at=row[5],
                          comment=row[6], findings=json.loads(row[7]), content=row[8], channels=row[9]) for row in rows]

    def log(self, user_name: str, action: str, document: str = "", detail: str = "") -> None:
        with self.transaction() as db:
            self._audit(db, user_name, action, document, detail)

    def audit(self, document: str | None = None) -> list[tuple[str, str, str, str, str]]:
        """``(when, who, action, document, detail)``, oldest first."""
        if document is None:
            rows = self.db.execute("SELECT at, user_name, action, document, detail FROM audit ORDER BY id")
        else:
            rows = self.db.execute("SELECT at, user_name, action, document, detail FROM audit WHERE document = ? "
                                   "ORDER BY id", (document,))
        return [tuple(row) for row in rows.fetchall()]

    @staticmethod
    def _audit(db: sqlite3.Connection, user_name: str, action: str, document: str = "", detail: str = "") -> None:
        db.execute("INSERT INTO audit (at, user_name, action, document, detail) VALUES (?, ?, ?, ?, ?)",
                   (now().isoformat(), user_name, action, document, detail))


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise ReviewError("密码至少 8 个字符")
    if len(password) > 1024:
        raise ReviewError("密码太长（最多 1024 个字符）")


def backup_database(folder: Path | str, target: Path) -> None:
    """A consistent copy of the database while the studio may be writing (SQLite's backup API)."""
    with closing(sqlite3.connect(database_path(folder))) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
