"""Bounded work for untrusted input: time, memory and output, enforced from outside.

A template, a data file or an input document can ask for endless work: a loop, a
string that doubles, a PDF whose objects refer to each other in a cycle. Checks
inside the rendering code can be defeated by that code (Jinja once swallowed the
alarm signal meant to stop it), so :func:`run_limited` runs the work in a forked
child process:

- wall-clock time: the parent waits at most ``seconds`` and then kills the child;
- memory: the child's address space is capped (``RLIMIT_AS``) at what it inherited plus
  ``memory_mb``, so an allocation past it fails inside the child and never touches the
  parent or the machine;
- output: the parent reads at most ``output_mb`` of result and kills the child past it;
- the child dies with its parent (``PR_SET_PDEATHSIG``), so killing a build leaves no
  orphaned renderer behind.

The CLI, the batch workers and the studio all go through it. Where ``fork`` does not
exist (Windows) the work runs in-process with only the time limit (``SIGALRM``) and
the in-sandbox caps; the README says so.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, TypeVar

from .errors import LimitError, RenderError, RenderTimeout

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one render, extraction or tally may use. ``None`` switches a limit off."""

    seconds: float | None = 300.0
    memory_mb: int | None = 1024
    output_mb: int | None = 256

    def with_seconds(self, seconds: float | None) -> "Limits":
        return replace(self, seconds=seconds or None)


DEFAULT = Limits()

#: how much lower than their parent the children run (``os.nice``): a server that renders
#: for its users (the studio) sets it, so that its own answers stay quick while renders run
_CHILD_NICE = 0


def set_child_priority(nice: int) -> None:
    """Every child started by :func:`run_limited` from now on runs *nice* steps lower."""
    global _CHILD_NICE
    _CHILD_NICE = max(0, min(19, int(nice)))


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL to this process when its parent dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def die_with_parent() -> None:
    """For pool workers (``initializer=``): end with the process that started them."""
    _die_with_parent()


def _address_space() -> int:
    """Bytes of address space this process holds now (what a forked child starts with)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cap_memory(megabytes: int | None) -> None:
    """Cap the address space at what the child inherited plus *megabytes*: a forked child
    starts with its parent's mappings (a studio or a test runner holds hundreds of MB), and
    the limit is on what the work itself may add."""
    if not megabytes:
        return
    import resource

    limit = _address_space() + megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(function: Callable[..., Any], args: tuple, kwargs: dict, limits: Limits, what: str,
           out_fd: int) -> None:
    status = 0
    try:
        _die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if _CHILD_NICE:
            os.nice(_CHILD_NICE)
        _cap_memory(limits.memory_mb)
        try:
            payload: tuple[str, Any] = ("ok", function(*args, **kwargs))
        except MemoryError:
            payload = ("error", LimitError(f"{what}: needed more than {limits.memory_mb} MB of memory; "
                                           "stopped (a template or input that grows without end?)"))
        except BaseException as exc:  # handed to the parent, which raises it
            payload = ("error", exc)
        try:
            blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that cannot be pickled: keep its words
            blob = pickle.dumps(("error", RenderError(f"{what}: {type(payload[1]).__name__}: {payload[1]}"
                                                      if payload[0] == "error" else f"{what}: {exc}")))
        with os.fdopen(out_fd, "wb") as pipe:
            pipe.write(blob)
    except BaseException:
        status = 70
    finally:
        os._exit(status)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def run_limited(function: Callable[..., T], *args: Any, limits: Limits = DEFAULT, what: str = "render",
                **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in a child process within *limits*; its result or its exception.

    *function* and its result must be picklable; exceptions raised by *function* are
    raised here as they were (``ReportgenError`` keeps its class and fields).
    """
    if not hasattr(os, "fork"):
        with time_limit(limits.seconds, what):
            return function(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        _child(function, args, kwargs, limits, what, write_fd)
    os.close(write_fd)
    deadline = time.monotonic() + limits.seconds if limits.seconds else None
    cap = limits.output_mb * 1024 * 1024 if limits.output_mb else None
    chunks: list[bytes] = []
    size = 0
    finished = False
    try:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise RenderTimeout(f"{what}: took longer than {limits.seconds:g} s (a template or input "
                                    "that never ends?); stopped")
            ready, _, _ = select.select([read_fd], [], [], wait)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if cap is not None and size > cap:
                raise LimitError(f"{what}: output passed {limits.output_mb} MB; stopped")
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        finished = True
    finally:
        os.close(read_fd)
        if not finished:
            _kill(pid)
    if not chunks:
        if os.WIFSIGNALED(status):
            raise LimitError(f"{what}: the worker process was killed by signal {os.WTERMSIG(status)} "
                             f"(memory limit {limits.memory_mb} MB?); stopped")
        raise RenderError(f"{what}: the worker process ended without a result (exit {os.WEXITSTATUS(status)})")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise value
    return value


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str):
    """In-process fallback where there is no ``fork``: ``SIGALRM`` in the main thread only."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"{what}: took longer than {seconds:g} s; stopped")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
