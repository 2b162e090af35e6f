"""Writing files: whole or not at all, only over regular files, one writer at a time.

- :func:`atomic_write` and :func:`write_all` write to temporary files beside their targets
  and rename them into place, so a failure (a full disk, an interrupted render) leaves
  every target as it was and nothing half-written;
- a target is resolved first (links followed, ``/dev/stdout`` → ``/proc/self/fd/1`` → the
  terminal or pipe): it must be a regular file or a missing path; a device, a pipe, a
  folder or anything of ``/proc``, ``/dev`` and ``/sys`` is refused — as root, replacing
  ``/dev/stdout`` would replace the system's node;
- :func:`file_lock` is an exclusive lock held across a read-compare-replace (the studio's
  save), between threads and between processes (two studios on one folder).
"""
from __future__ import annotations

import os
import stat
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError, OutputExistsError

#: trees whose entries are not files (devices, processes, the kernel's settings)
SYSTEM_TREES = (Path("/proc"), Path("/dev"), Path("/sys"))


def _hops(target: Path) -> list[Path]:
    """*target* and every path its links lead through, to the last (at most 40 links)."""
    hops = [Path(os.path.abspath(target))]
    for _ in range(40):
        current = hops[-1]
        if not current.is_symlink():
            break
        hops.append(Path(os.path.abspath(current.parent / os.readlink(current))))
    hops.append(Path(os.path.realpath(target)))
    return hops


def check_target(target: Path, force: bool) -> None:
    """Refuse *target* unless it is (after resolving links) a regular file or missing, and
    no link on the way leads through ``/proc``, ``/dev`` or ``/sys``."""
    try:
        hops = _hops(target)
    except (OSError, ValueError) as exc:
        raise DataError(target, f"cannot resolve this path: {exc}") from None
    real = hops[-1]
    for hop in hops:
        if any(hop == tree or hop.is_relative_to(tree) for tree in SYSTEM_TREES):
            raise DataError(target, f"leads to {hop}, a device or system file, not a regular file; refused")
    if not force and os.path.lexists(target):
        raise OutputExistsError(f"{target}: exists; use --force to overwrite it")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return  # missing (or its folder is): writing says why, naming the folder
    if not stat.S_ISREG(mode):
        raise DataError(target, "exists and is not a regular file (a folder, device or pipe); refused")


def write_error(where: Path, exc: OSError) -> DataError:
    return DataError(where, f"cannot write: {exc.strerror or exc}")


def temporary_prefix(target: Path) -> str:
    """How the temporary files of *target* begin (``.NAME.``; a long name cut, as a name may
    take 255 bytes with the temporary file's own part added)."""
    return "." + target.name.encode("utf-8")[:60].decode("utf-8", "ignore") + "."


def _temporary(target: Path) -> tuple[int, str]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise DataError(target.parent, f"cannot write here: {exc.strerror or exc}") from None


@contextmanager
def atomic_write(target: Path | str, mode: str = "wb", *, force: bool = True) -> Iterator[Any]:
    """Write to a temporary file beside *target*, then rename it into place.

    Nothing is left behind when the body raises (a full disk included); an existing
    *target* is only replaced by a complete file, and only when it is a regular file.
    With ``force=False`` an existing target is an error.
    """
    target = Path(target)
    check_target(target, force)
    fd, tmp = _temporary(target)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(target, exc) from None
        raise


def write_all(files: dict[Path, bytes], *, force: bool = True) -> None:
    """Write every file or none: all go to temporary files first, then are renamed in turn.

    A failure while writing (a full disk, a target that is a folder) removes the
    temporary files and leaves every target as it was.
    """
    temps: dict[Path, str] = {}
    try:
        for target in files:
            check_target(target, force)
        for target, blob in files.items():
            fd, tmp = _temporary(target)
            temps[target] = tmp
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except BaseException as exc:
        for tmp in temps.values():
            with suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(next(reversed(temps), next(iter(files))), exc) from None
        raise
    for target, tmp in temps.items():
        os.replace(tmp, target)


@contextmanager
def file_lock(lock_file: Path, *, wait: float = 30.0) -> Iterator[None]:
    """An exclusive lock on *lock_file* (created if missing) while the body runs.

    ``flock`` locks belong to an open file, so two threads of one process exclude each other
    as two processes do. Waits at most *wait* seconds, then raises a one-line error."""
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DataError(lock_file, "another save of this file has not finished; try again") from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
