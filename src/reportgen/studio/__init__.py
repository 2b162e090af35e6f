"""``reportgen serve``: a local web studio in Chinese over the same Python API as the CLI.

A small server-rendered application (Starlette + Jinja, plain JavaScript, no build step,
nothing fetched from the internet: the fonts and assets are served by the studio):

- 首页 ``/``: the folder's documents; 新建 (a new bulletin or ballot); 导入去年的文件 (upload
  .txt/.docx/.pdf → ``extract``, every repair and flag shown before it is saved);
- 编辑 ``/doc/NAME``: a form of the title, the association and the lists with their items
  (add, delete, move; keyboard-accessible buttons), a live preview beside it, errors in
  Chinese beside their field, 保存 with history and conflict detection, 导出 PDF / Word /
  公众号 / 长图, 复制公众号文章 (to the clipboard, for the 公众号 editor);
- 投票统计 ``/doc/NAME/tally`` (``studio/voting.py``): the vote export in, the ranking, the rules
  applied and the audit out, and the final bulletin created from it in one step.

Safety: loopback only unless a token is given (then every request needs it), every
state-changing request must come from the studio's own pages (Origin/Referer checked),
uploads are limited in size and type, names stay inside the folder, and every render runs
within the limits of ``reportgen.limits``.
"""
from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import secrets
import re
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import DataError, ReportgenError
from ..io import atomic_write
from ..formats import FORMATS
from ..layouts import LABELS
from .documents import Conflict, Folder, chinese, field_label
from .exports import MEDIA, ExportCache
from .warmup import warm_in_background, warmed

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMPORT_SUFFIXES = (".txt", ".docx", ".pdf")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
EXPORTS = {"pdf": "PDF", "docx": "Word", "wechat": "公众号", "png": "长图"}
THEME_LABELS = {"formal": "公文（GB/T 9704）"}
IMPORTS = Path(".reportgen") / "imports"  # extracted documents waiting for the user's 接受

_pages = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "pages")), autoescape=True,
                            trim_blocks=True, lstrip_blocks=True)
_pages.filters["label"] = field_label


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Guard(BaseHTTPMiddleware):
    """The token (when set) on every request; the studio's own origin on every POST."""

    def __init__(self, app, token: str | None):
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next):
        if self.token:
            given = request.query_params.get("token") or request.cookies.get("reportgen_token") or \
                request.headers.get("x-reportgen-token") or ""
            if not hmac.compare_digest(given, self.token):
                return HTMLResponse("需要访问令牌（token）。请使用启动时打印的完整地址。", status_code=401)
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            own = f"{request.url.scheme}://{request.url.netloc}"
            if not (origin == own or origin.startswith(own + "/")):
                return JSONResponse({"error": "请求不是来自本工作室的页面，已拒绝"}, status_code=403)
        response = await call_next(request)
        if self.token and request.query_params.get("token") == self.token:
            response.set_cookie("reportgen_token", self.token, httponly=True, samesite="strict")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


def _page(template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(_pages.get_template(template).render(**context))


def create_app(folder: Path | str, *, token: str | None = None) -> Starlette:
    docs = Folder(Path(folder))
    exports = ExportCache()

    async def home(request: Request) -> HTMLResponse:
        return _page("home.html", documents=docs.documents(), folder=docs.root, layouts=LABELS,
                     year=dt.date.today().year, message=request.query_params.get("message", ""))

    async def new(request: Request) -> Response:
        form = await request.form()
        try:
            name = docs.create(str(form.get("layout", "bulletin")), int(str(form.get("year") or 0) or 0),
                               str(form.get("association", "")).strip(), str(form.get("short_name", "")).strip())
        except (ReportgenError, ValueError) as exc:
            return _page("error.html", message=chinese(str(exc)), back="/")
        return RedirectResponse(f"/doc/{name}", status_code=303)

    async def editor(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            report, version = docs.open(name)
        except ReportgenError as exc:
            return _page("error.html", message=str(exc), back="/")
        from ..metrics import find_all

        def bold(item) -> str:
            return "、".join(m.text for p in item.paragraphs for m in find_all(p))

        figures = {f"{i}.{j}": bold(item) for i, lst in enumerate(report.lists) for j, item in enumerate(lst.items)}
        figures.update({f"a{a}b{b}.{j}": bold(item) for a, article in enumerate(report.articles)
                        for b, block in enumerate(article.body) if hasattr(block, "list")
                        for j, item in enumerate(block.list.items)})
        from ..formats import builtin_templates
        from ..theme import themes_dir

        themes = sorted(p.stem for p in themes_dir(builtin_templates()).glob("*.yaml") if p.stem != "default")
        return _page("editor.html", name=name, report=report, version=version, figures=figures,
                     exports=EXPORTS, history=[p.name for p in docs.history(name)][:20],
                     themes=themes, theme_labels=THEME_LABELS, message=request.query_params.get("message", ""))

    async def checked(request: Request):
        """The form a page posted, merged and validated: ``(report, None)``, or ``(None, the
        422 answer with the errors by field)``."""
        report, errors = await run_in_threadpool(docs.check, request.path_params["name"], await request.json())
        return (report, None) if report is not None else (None, JSONResponse({"errors": errors}, status_code=422))

    async def check(request: Request) -> Response:
        report, refused = await checked(request)
        if refused is not None:
            return refused
        from ..render import preview_html

        try:  # in a worker thread: a render never holds up the other tabs' requests
            html = await run_in_threadpool(warmed, lambda: preview_html(report, docs.root, font_base="/fonts/",
                                                                file_base="/files/"))
        except ReportgenError as exc:
            return JSONResponse({"errors": {"": str(exc)}}, status_code=422)
        # on screen the page's text block follows the preview's width (the PDF keeps the print measure)
        screen = '<base href="/files/"><style>@media screen { body { width: auto !important; max-width: 100%; ' \
                 'margin: 0 !important; padding: 0 14px; } img { max-width: 100%; } }</style>'
        return JSONResponse({"html": html.replace("<head>", "<head>" + screen, 1)})

    async def pdf_preview(request: Request) -> Response:
        """The real WeasyPrint PDF of the form as it stands (saved or not), shown in the page."""
        report, refused = await checked(request)
        if refused is not None:
            return refused
        from ..render import preview_bytes

        try:
            data = await run_in_threadpool(warmed, preview_bytes, report, docs.root, "pdf")
        except ReportgenError as exc:
            return JSONResponse({"errors": {"": str(exc)}}, status_code=422)
        return Response(data, media_type="application/pdf", headers={"Content-Disposition": "inline"})

    async def save(request: Request) -> JSONResponse:
        name = request.path_params["name"]
        payload = await request.json()
        try:
            version = await run_in_threadpool(docs.save, name, payload.get("form", {}),
                                              str(payload.get("version", "")))
        except Conflict as exc:
            return JSONResponse({"conflict": str(exc)}, status_code=409)
        except DataError as exc:
            return JSONResponse({"errors": {exc.field or "": chinese(exc.message)}}, status_code=422)
        exports.prepare(docs.path(name), "pdf")  # 导出 PDF finds it ready
        return JSONResponse({"version": version, "saved": dt.datetime.now().strftime("%H:%M:%S")})

    async def restore(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        try:
            docs.restore(name, str(form.get("version", "")))
        except ReportgenError as exc:
            return _page("error.html", message=str(exc), back=f"/doc/{name}")
        return RedirectResponse(f"/doc/{name}", status_code=303)

    async def export(request: Request) -> Response:
        name, fmt = request.path_params["name"], request.path_params["fmt"]
        if fmt not in EXPORTS or fmt not in FORMATS:
            return _page("error.html", message=f"不支持的导出格式：{fmt}", back=f"/doc/{name}")
        try:
            done = await run_in_threadpool(warmed, exports.get, docs.path(name), fmt)
        except ReportgenError as exc:
            return _page("error.html", message=f"导出失败：{exc}", back=f"/doc/{name}")
        quoted = urllib.parse.quote(done.name)
        return Response(done.data, media_type=MEDIA[fmt],
                        headers={"Content-Disposition": f"attachment; filename*=utf-8''{quoted}"})

    async def upload(request: Request) -> Response:
        form = await request.form(max_files=1, max_part_size=MAX_UPLOAD_BYTES)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page("error.html", message="请选择去年的文件（.txt、.docx 或 .pdf）", back="/")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            return _page("error.html", message=f"只能导入 .txt、.docx、.pdf 文件，这是 {suffix or '未知'} 文件", back="/")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return _page("error.html", message="文件超过 20 MB，无法导入", back="/")
        from ..extract import extract
        from ..io import save_report

        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / ("source" + suffix)
            source.write_bytes(data)
            try:
                original = Path(upload.filename).name
                result = await run_in_threadpool(warmed, lambda: extract(source, source_name=original))
            except ReportgenError as exc:
                return _page("error.html", message=f"无法读取这个文件：{exc}", back="/")
        safe = docs.clean_stem(Path(upload.filename).stem)
        # kept aside until the user has seen every repair and flag and accepts them
        token = secrets.token_hex(8)
        save_report(result.report, docs.root / IMPORTS / f"{token}.yaml")
        return _page("imported.html", token=token, name=f"{safe}.yaml", kind=result.kind,
                     findings=result.findings, report=result.report)

    async def accept(request: Request) -> Response:
        """接受: the extracted document, seen by the user, becomes a document of the folder."""
        form = await request.form()
        token = str(form.get("token", ""))
        pending = docs.root / IMPORTS / f"{token}.yaml"
        if not re.fullmatch(r"[0-9a-f]{16}", token) or not pending.is_file():
            return _page("error.html", message="找不到这次导入的结果，请重新导入", back="/")
        if form.get("discard"):
            pending.unlink()
            return RedirectResponse("/?message=已放弃这次导入", status_code=303)
        name = docs.free_name(Path(Path(str(form.get("name", "imported.yaml"))).name).stem)
        with atomic_write(docs.root / name, "wb", force=False) as handle:
            handle.write(pending.read_bytes())
        pending.unlink()
        return RedirectResponse(f"/doc/{name}", status_code=303)

    async def files(request: Request) -> Response:
        """Images of the folder, for the preview (nothing else is served from the folder)."""
        relative = request.path_params["path"]
        path = (docs.root / relative).resolve()
        if not path.is_relative_to(docs.root) or path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            return Response(status_code=404)
        return FileResponse(path)

    async def image_upload(request: Request) -> JSONResponse:
        form = await request.form(max_files=1, max_part_size=MAX_UPLOAD_BYTES)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return JSONResponse({"error": "没有文件"}, status_code=400)
        suffix = Path(upload.filename or "").suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            return JSONResponse({"error": "图片只能是 PNG、JPEG 或 GIF"}, status_code=400)
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return JSONResponse({"error": "图片超过 20 MB"}, status_code=400)
        folder = docs.root / "images"
        folder.mkdir(exist_ok=True)
        target = folder / f"{secrets.token_hex(6)}{suffix}"
        target.write_bytes(data)
        from ..render.images import check_image

        try:
            check_image(docs.root, target.relative_to(docs.root).as_posix(), "图片")
        except ReportgenError as exc:
            target.unlink()
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"path": target.relative_to(docs.root).as_posix()})

    from ..render.fonts import FONT_DIR
    from .voting import routes as voting_routes

    tally_page, tally_final = voting_routes(docs, _page, MAX_UPLOAD_BYTES)
    routes = [
        Route("/", home),
        Route("/new", new, methods=["POST"]),
        Route("/import", upload, methods=["POST"]),
        Route("/import/accept", accept, methods=["POST"]),
        Route("/images", image_upload, methods=["POST"]),
        Route("/doc/{name}", editor),
        Route("/doc/{name}/check", check, methods=["POST"]),
        Route("/doc/{name}/save", save, methods=["POST"]),
        Route("/doc/{name}/pdf-preview", pdf_preview, methods=["POST"]),
        Route("/doc/{name}/restore", restore, methods=["POST"]),
        Route("/doc/{name}/export/{fmt}", export),
        Route("/doc/{name}/tally", tally_page, methods=["GET", "POST"]),
        Route("/doc/{name}/tally/final", tally_final, methods=["POST"]),
        Route("/files/{path:path}", files),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        Mount("/fonts", StaticFiles(directory=str(FONT_DIR)), name="fonts"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Guard, token=token)])


def serve(folder: Path, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
          open_browser: bool = True) -> None:
    """Run the studio until interrupted; prints its address."""
    import socket
    import threading
    import webbrowser

    import uvicorn

    if not is_loopback(host) and not token:
        raise ReportgenError(f"--host {host} lets other machines in: give --token too (every request must "
                             "carry it), or keep the default 127.0.0.1")
    if not Path(folder).is_dir():
        raise ReportgenError(f"{folder}: no such folder")
    if port == 0:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    warm_in_background()  # the first page at once; every preview and export forks from a warm process
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + (f"?token={token}" if token else "")
    print(f"reportgen studio: {url}  (folder {Path(folder).resolve()}; Ctrl+C stops it)", flush=True)
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(create_app(folder, token=token), host=host, port=port, log_level="warning")


__all__ = ["create_app", "serve", "is_loopback"]
