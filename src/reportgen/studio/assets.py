"""The studio's own stylesheet and script, served from memory.

They are a few kilobytes, read once at start: a request for them touches neither the disk
nor a worker thread, so they stay quick while previews and exports keep the machine busy.
An ``ETag`` lets the browser keep its copy (``304``) until the studio is upgraded.
"""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response


class MemoryAssets:
    """An ASGI app serving the files of one folder (no subfolders) from memory."""

    def __init__(self, folder: Path):
        self.files: dict[str, tuple[bytes, str, str]] = {}
        for path in sorted(Path(folder).iterdir()):
            if path.is_file() and not path.name.startswith("."):
                data = path.read_bytes()
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if kind.startswith("text/") or kind.endswith("javascript"):
                    kind += "; charset=utf-8"
                self.files[path.name] = (data, kind, '"' + hashlib.sha256(data).hexdigest()[:20] + '"')

    async def __call__(self, scope, receive, send) -> None:
        request = Request(scope)
        name = scope["path"].rsplit("/", 1)[-1]
        found = self.files.get(name) if request.method in ("GET", "HEAD") else None
        if found is None:
            response = Response(status_code=404 if request.method in ("GET", "HEAD") else 405)
        else:
            data, kind, etag = found
            headers = {"etag": etag, "cache-control": "no-cache"}
            if request.headers.get("if-none-match") == etag:
                response = Response(status_code=304, headers=headers)
            else:
                response = Response(data if request.method == "GET" else b"", media_type=kind, headers=headers)
        await response(scope, receive, send)
