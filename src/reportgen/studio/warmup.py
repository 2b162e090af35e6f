"""The renderers loaded once, after the studio has started serving.

``reportgen serve`` answers its first page at once and loads WeasyPrint, python-docx and the
fonts in the background (≈ 1.4 s). Every request that renders — and so forks a limited child
process — first waits for that loading to finish, so that no process is ever forked while
another thread is half-way through an import."""
from __future__ import annotations

import threading

_lock = threading.Lock()
_done = threading.Event()


def warm() -> None:
    if _done.is_set():
        return
    with _lock:
        if not _done.is_set():
            from ..render import warm as warm_renderers

            warm_renderers(("pdf", "docx"), sample=False)  # a sample would delay the first preview ≈ 0.6 s
            _done.set()


def warmed(function, *args, **kwargs):
    """*function* called once the renderers are loaded (for ``run_in_threadpool``)."""
    warm()
    return function(*args, **kwargs)


def warm_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm, daemon=True, name="reportgen warm-up")
    thread.start()
    return thread
