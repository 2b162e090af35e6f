"""``reportgen serve``: the studio on a folder, on the loopback by default; another address
only with users (everyone logs in) or a token."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

from ..errors import ReportgenError
from .guard import WILDCARDS, is_loopback
from .warmup import warm_in_background


def serve(folder: Path, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
          open_browser: bool = True, allowed_hosts: tuple[str, ...] = (), template_dirs: tuple[Path, ...] = ()) -> None:
    """Run the studio until interrupted; prints its address."""
    import socket
    import threading
    import webbrowser

    import uvicorn

    host = host.strip()
    if not host:
        raise ReportgenError("--host is empty: name the address to listen on (the default is 127.0.0.1)")
    from ..review import has_users

    team = Path(folder).is_dir() and has_users(folder)
    if not is_loopback(host) and not token and not team:
        raise ReportgenError(f"--host {host} lets other machines in: add users ('reportgen users add', then "
                             "everyone logs in) or give --token (every request must carry it), or keep the "
                             "default 127.0.0.1")
    if token is not None and (not token.strip() or any(ord(ch) < 32 or ch == "\x7f" for ch in token)):
        raise ReportgenError("--token is empty or holds control characters: choose another secret")
    if not Path(folder).is_dir():
        raise ReportgenError(f"{folder}: no such folder")
    for templates in template_dirs:
        if not Path(templates).is_dir():
            raise ReportgenError(f"--templates {templates}: no such folder")
    if port == 0:
        try:
            family = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0][0]
            with socket.socket(family) as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        except OSError as exc:
            raise ReportgenError(f"--host {host}: cannot listen there ({exc.strerror or exc})") from None
    from ..limits import set_child_priority

    set_child_priority(19)  # previews and exports yield the processor to the studio's own answers
    warm_in_background()  # the first page at once; every preview and export forks from a warm process
    shown = "127.0.0.1" if host in WILDCARDS else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{port}/" + (f"?token={urllib.parse.quote(token, safe='')}" if token else "")
    print(f"reportgen studio: {url}  (folder {Path(folder).resolve()}; Ctrl+C stops it)", flush=True)
    if team:
        print("users: everyone logs in; exports wait for 终审 unless .reportgen/settings.yaml says 'review: optional'",
              flush=True)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    from . import create_app

    app = create_app(folder, token=token, bind=host, port=port, allowed_hosts=allowed_hosts,
                     template_dirs=tuple(template_dirs))
    uvicorn.run(app, host=host, port=port, log_level="warning")
