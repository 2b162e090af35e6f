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

Safety (``studio/guard.py``, before any handler runs): only the studio's own Host names
(DNS rebinding gets 421), the token when one is set, the studio's own Origin on every
request that changes something, bodies of a few MB (413 before they are read). Loopback
only unless a token is given; uploads are limited in size and type, names stay inside the
folder, every render runs within the limits of ``reportgen.limits``, and nothing that
reads or parses a file runs on the event loop (a worker thread, or the limited child).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import DataError, ReportgenError
from ..formats import FORMATS
from ..layouts import LABELS, LAYOUTS
from .documents import Conflict, Folder, chinese, field_label
from .assets import MemoryAssets
from .exports import ExportCache
from .guard import Guard, Policy, is_loopback
from .editing import figures_of, history_of as _history, warnings_of
from .uploads import accept_import as _accept, extract_upload as _import, keep_image as _keep_image
from .people import People, SessionGate, login_routes, user_of
from .serving import serve
from .publishing import publish_routes
from .reviewing import export_refusal, review_routes, under_review
from .warmup import warmed

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMPORT_SUFFIXES = (".txt", ".docx", ".pdf")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
#: the formats the studio exports: those the format table gives a label (formats.py)
EXPORTS = {name: fmt.label for name, fmt in FORMATS.items() if fmt.label}
THEME_LABELS = {"formal": "公文（GB/T 9704）"}

_pages = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "pages")), autoescape=True,
                            trim_blocks=True, lstrip_blocks=True)
_pages.filters["label"] = field_label


def saved_at(history_name: str) -> str:
    """``20261203-132542-772712.yaml`` (a history entry) → 2026年12月3日 13:25:42."""
    match = re.match(r"(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})", history_name)
    if not match:
        return history_name
    y, mo, d, h, mi, se = match.groups()
    return f"{int(y)}年{int(mo)}月{int(d)}日 {h}:{mi}:{se}"


_pages.filters["saved_at"] = saved_at


def finding_chinese(finding) -> tuple[str, str]:
    """An extraction finding's place and message as the import page shows them."""
    from ..extract.wording import chinese as words

    return words(finding)


_pages.filters["finding"] = finding_chinese


def local_time(stamp: str) -> str:
    """A stored UTC time (ISO 8601) as this machine's local time, to the minute."""
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


_pages.filters["local_time"] = local_time


def _page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    from .people import CURRENT

    who = CURRENT.get()
    signed_in = {"who": who[0], "csrf": who[1]} if who else {}
    return HTMLResponse(_pages.get_template(template).render(**signed_in, **context), status_code=status_code)


class BadRequest(Exception):
    """A request body the studio cannot read (its message is shown as is)."""


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; :class:`BadRequest` (400) for anything else."""
    raw = await request.body()
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BadRequest("请求内容不是有效的 JSON") from None
    if not isinstance(value, dict):
        raise BadRequest("请求内容应为一个 JSON 对象")
    return value


async def _bad_request(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc), "errors": {"": str(exc)}}, status_code=400)


#: what a download is called after the document's title
DOWNLOAD_SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "wechat": "（公众号文章）.html", "png": "（长图）.png"}


def download_name(title: str, fmt: str, fallback: str) -> str:
    """``2024年江北区科协十件大事.pdf``: the title, without what a file name cannot hold."""
    clean = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", title).strip(" .")[:80]
    return (clean + DOWNLOAD_SUFFIXES[fmt]) if clean else fallback


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _audit_of(docs: Folder, name: str) -> Path | None:
    """``<stem>-audit.xlsx`` beside the data file *name*, if the tally wrote one."""
    try:
        path = docs.path(name)
    except ReportgenError:
        return None
    audit = path.with_name(path.stem + "-audit.xlsx")
    return audit if audit.is_file() and not audit.is_symlink() else None


def _title_of(docs: Folder, name: str) -> str:
    """The document's title, from the folder's listing (no parse while the file is unchanged)."""
    try:
        entry = docs.entry(name)
    except ReportgenError:
        return ""
    return entry.title if entry is not None and not entry.error else ""


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=utf-8''{urllib.parse.quote(filename)}"}


YEAR_IN_DIGITS = "年份要填数字，例如 2025"


def _form_year(form) -> int | None:
    """The form's year as a number (0 when left empty), None when it is not one."""
    try:
        return int(str(form.get("year") or 0) or 0)
    except ValueError:
        return None


def said_of(exc: ReportgenError) -> str:
    """An error's own words (without the file's place) as the studio shows them: in Chinese."""
    return chinese(getattr(exc, "message", None) or str(exc))


def _exists(docs: Folder, name: str) -> bool:
    try:
        return docs.path(name).is_file()
    except ReportgenError:
        return False


def _editor_context(docs: Folder, name: str) -> dict[str, Any]:
    """What the editor page shows of *name* (read and parsed in a worker thread)."""
    from ..formats import builtin_templates
    from ..theme import themes_dir

    report, version = docs.open(name)
    figures = figures_of(report)
    themes = sorted(p.stem for p in themes_dir(builtin_templates()).glob("*.yaml") if p.stem != "default")
    return {"report": report, "version": version, "figures": figures, "themes": themes,
            "audit": _audit_of(docs, name) is not None,
            "warnings": warnings_of(report, docs.path(name)),
            "history": _history(docs, name)}


def create_app(folder: Path | str, *, token: str | None = None, bind: str = "127.0.0.1", port: int | None = None,
               allowed_hosts: tuple[str, ...] = (), template_dirs: tuple[Path, ...] = ()) -> Starlette:
    """The studio on *folder*. *bind*, *port* and *allowed_hosts* say which Host names it
    answers (``guard.Policy``; *port* None: any port); *template_dirs* (the office's own
    templates, ``serve --templates``) come before the built-in ones in every render."""
    docs = Folder(Path(folder))
    template_dirs = tuple(Path(t).resolve() for t in template_dirs)
    exports = ExportCache(template_dirs=template_dirs)
    people = People(docs.root)

    async def home(request: Request) -> HTMLResponse:
        documents = await run_in_threadpool(docs.documents)
        return _page("home.html", documents=documents, folder=docs.root, layouts=LABELS,
                     creatable={name: LABELS[name] for name, layout in LAYOUTS.items() if layout.creatable},
                     year=dt.date.today().year, message=request.query_params.get("message", ""))

    async def new(request: Request) -> Response:
        form = await request.form()
        year = _form_year(form)
        if year is None:
            return _page("error.html", 400, message=YEAR_IN_DIGITS, back="/")
        try:
            name = await run_in_threadpool(docs.create, str(form.get("layout", "bulletin")), year,
                                           str(form.get("association", "")).strip(),
                                           str(form.get("short_name", "")).strip())
        except ReportgenError as exc:
            return _page("error.html", 422, message=chinese(str(exc)), back="/")
        return RedirectResponse(f"/doc/{name}", status_code=303)

    async def editor(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            context = await run_in_threadpool(_editor_context, docs, name)
        except ReportgenError as exc:
            return _page("error.html", 404 if not _exists(docs, name) else 422, message=str(exc), back="/")
        return _page("editor.html", name=name, exports=EXPORTS, theme_labels=THEME_LABELS,
                     message=request.query_params.get("message", ""), **context)

    async def checked(request: Request):
        """The form a page posted, merged and validated: ``(report, None)``, or ``(None, the
        422 answer with the errors by field)``."""
        report, errors = await run_in_threadpool(docs.check, request.path_params["name"], await json_body(request))
        return (report, None) if report is not None else (None, JSONResponse({"errors": errors}, status_code=422))

    async def check(request: Request) -> Response:
        report, refused = await checked(request)
        if refused is not None:
            return refused
        from ..render import preview_html

        # the language checks run while the preview renders (in its own limited process)
        checking = asyncio.ensure_future(run_in_threadpool(warnings_of, report, docs.path(request.path_params["name"])))
        try:  # in a worker thread: a render never holds up the other tabs' requests
            html = await run_in_threadpool(warmed, lambda: preview_html(report, docs.root, font_base="/fonts/",
                                                                file_base="/files/", template_dirs=template_dirs))
        except ReportgenError as exc:
            await checking
            return JSONResponse({"errors": {"": str(exc)}}, status_code=422)
        # on screen the page's text block follows the preview's width (the PDF keeps the print measure)
        screen = '<base href="/files/"><style>@media screen { body { width: auto !important; max-width: 100%; ' \
                 'margin: 0 !important; padding: 0 14px; } img { max-width: 100%; } }</style>'
        return JSONResponse({"html": html.replace("<head>", "<head>" + screen, 1), "warnings": await checking,
                             "figures": figures_of(report)})

    async def pdf_preview(request: Request) -> Response:
        """The real WeasyPrint PDF of the form as it stands (saved or not), shown in the page."""
        report, refused = await checked(request)
        if refused is not None:
            return refused
        from ..render import preview_bytes

        name = request.path_params["name"]
        mark = "审核稿" if await run_in_threadpool(under_review, docs.root, docs.path(name), report) else ""
        try:
            data = await run_in_threadpool(warmed, lambda: preview_bytes(report, docs.root, "pdf", watermark=mark,
                                                                               template_dirs=template_dirs))
        except ReportgenError as exc:
            return JSONResponse({"errors": {"": str(exc)}}, status_code=422)
        return Response(data, media_type="application/pdf", headers={"Content-Disposition": "inline"})

    async def save(request: Request) -> JSONResponse:
        name = request.path_params["name"]
        payload = await json_body(request)
        form = payload.get("form", {})
        if not isinstance(form, dict):
            raise BadRequest("请求内容应为一个 JSON 对象")
        if not await run_in_threadpool(_exists, docs, name):
            return JSONResponse({"errors": {"": f"找不到文件 {name}"}}, status_code=404)
        kept_before = {p.name for p in await run_in_threadpool(docs.history, name)}
        try:
            version = await run_in_threadpool(docs.save, name, form, str(payload.get("version", "")))
        except Conflict as exc:
            return JSONResponse({"conflict": str(exc)}, status_code=409)
        except DataError as exc:
            return JSONResponse({"errors": {exc.field or "": chinese(exc.message)}}, status_code=422)
        kept = [p.name for p in await run_in_threadpool(docs.history, name) if p.name not in kept_before]
        await run_in_threadpool(people.log, user_of(request), "保存", name, kept[0] if kept else version)
        exports.prepare(docs.path(name), "pdf")  # 导出 PDF finds it ready
        return JSONResponse({"version": version, "saved": dt.datetime.now().strftime("%H:%M:%S")})

    async def restore(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        try:
            await run_in_threadpool(docs.restore, name, str(form.get("version", "")))
            await run_in_threadpool(people.log, user_of(request), "恢复旧版本", name, str(form.get("version", "")))
        except ReportgenError as exc:
            return _page("error.html", 404 if not _exists(docs, name) else 422, message=str(exc),
                         back=f"/doc/{name}")
        when = saved_at(str(form.get("version", "")))
        return RedirectResponse(f"/doc/{name}?message=" + urllib.parse.quote(f"已恢复 {when} 那次保存之前的版本"),
                                status_code=303)

    async def next_year(request: Request) -> Response:
        """从去年新建: this document moved to a new year, as a new document."""
        name = request.path_params["name"]
        year = _form_year(await request.form())
        if year is None:
            return _page("error.html", 400, message=YEAR_IN_DIGITS, back=f"/doc/{name}")
        if not 1949 <= year <= 2200:
            return _page("error.html", 400, message="年份应在 1949 到 2200 之间", back=f"/doc/{name}")
        try:
            new = await run_in_threadpool(docs.next_year, name, year)
        except ReportgenError as exc:
            return _page("error.html", 404 if not _exists(docs, name) else 422, message=said_of(exc),
                         back="/")
        said = f"已从去年的文件新建{year}年的文件：标题、列表标题和日期里的年份已改好；去年的事项保留为草稿，请逐项换成今年的内容"
        return RedirectResponse(f"/doc/{new}?message=" + urllib.parse.quote(said), status_code=303)

    async def rename(request: Request) -> Response:
        name = request.path_params["name"]
        form = await request.form()
        try:
            new = await run_in_threadpool(docs.rename, name, str(form.get("stem", "")))
        except ReportgenError as exc:
            return _page("error.html", 404 if not _exists(docs, name) else 422, message=said_of(exc),
                         back=f"/doc/{name}")
        return RedirectResponse(f"/doc/{new}?message=" + urllib.parse.quote(f"文件已改名为 {new}"), status_code=303)

    async def export(request: Request) -> Response:
        name, fmt = request.path_params["name"], request.path_params["fmt"]
        if fmt not in EXPORTS or fmt not in FORMATS:
            return _page("error.html", 404, message=f"不支持的导出格式：{fmt}", back=f"/doc/{name}")
        layout = await run_in_threadpool(lambda: docs.entry(name))
        if layout is not None and layout.layout not in FORMATS[fmt].layouts:
            kind = LABELS.get(layout.layout, layout.layout)
            return _page("error.html", 422, message=f"{FORMATS[fmt].label} 不能导出这种版式（{kind}）", back=f"/doc/{name}")
        if not await run_in_threadpool(_exists, docs, name):
            return _page("error.html", 404, message=f"找不到文件 {name}，无法导出", back="/")
        try:
            refused = await run_in_threadpool(export_refusal, docs.root, docs.path(name).name)
        except ReportgenError as exc:
            return _page("error.html", 422, message=f"导出失败：{said_of(exc)}", back=f"/doc/{name}")
        if refused:
            return _page("error.html", 403, message=refused, back=f"/doc/{name}/review")
        people.log(user_of(request), "导出", name, fmt)
        try:
            done = await run_in_threadpool(warmed, exports.get, docs.path(name), fmt)
        except ReportgenError as exc:
            return _page("error.html", 422, message=f"导出失败：{exc}", back=f"/doc/{name}")
        title = await run_in_threadpool(_title_of, docs, name)
        return Response(done.data, media_type=FORMATS[fmt].media_type,
                        headers=_attachment(download_name(title, fmt, done.name)))

    async def upload(request: Request) -> Response:
        form = await request.form(max_files=1, max_part_size=MAX_UPLOAD_BYTES)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page("error.html", 400, message="请选择去年的文件（.txt、.docx 或 .pdf）", back="/")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            return _page("error.html", 400, message=f"只能导入 .txt、.docx、.pdf 文件，这是 {suffix or '未知'} 文件",
                         back="/")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return _page("error.html", 413, message="文件超过 20 MB，无法导入", back="/")
        original = Path(upload.filename).name
        if len(original) > 100:  # the data's source.file holds at most 200 characters
            original = original[:90] + "…" + Path(original).suffix[:9]
        try:
            token, result = await run_in_threadpool(warmed, _import, docs, data, suffix, original)
        except ReportgenError as exc:
            return _page("error.html", 422, message=f"无法读取这个文件：{exc}", back="/")
        safe = docs.clean_stem(result.report.title or Path(upload.filename).stem)  # named by its title
        return _page("imported.html", token=token, name=f"{safe}.yaml", kind_label=LABELS.get(result.kind, result.kind),
                     findings=result.findings, report=result.report)

    async def accept(request: Request) -> Response:
        """接受: the extracted document, seen by the user, becomes a document of the folder."""
        form = await request.form()
        token = str(form.get("token", ""))
        if not re.fullmatch(r"[0-9a-f]{16}", token):
            return _page("error.html", 404, message="找不到这次导入的结果，请重新导入", back="/")
        try:
            name = await run_in_threadpool(_accept, docs, token, bool(form.get("discard")),
                                           str(form.get("name", "imported.yaml")))
        except ReportgenError as exc:
            return _page("error.html", 404, message=str(exc), back="/")
        if name is None:
            return RedirectResponse("/?message=已放弃这次导入", status_code=303)
        return RedirectResponse(f"/doc/{name}", status_code=303)

    async def audit(request: Request) -> Response:
        """The vote's audit workbook written beside the final bulletin (生成最终公报)."""
        name = request.path_params["name"]
        path = await run_in_threadpool(_audit_of, docs, name)
        if path is None:
            return _page("error.html", 404, message="这份文件没有投票统计说明", back=f"/doc/{name}")
        title = await run_in_threadpool(_title_of, docs, name)
        return FileResponse(path, media_type=XLSX, headers=_attachment(f"{title or path.stem}（投票统计说明）.xlsx"))

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
            return JSONResponse({"error": "图片超过 20 MB"}, status_code=413)
        try:
            path = await run_in_threadpool(_keep_image, docs, data, suffix)
        except ReportgenError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"path": path})

    from ..render.fonts import FONT_DIR
    from .voting import routes as voting_routes

    tally_page, tally_final, tally_forget = voting_routes(docs, _page, MAX_UPLOAD_BYTES)
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
        Route("/doc/{name}/next-year", next_year, methods=["POST"]),
        Route("/doc/{name}/rename", rename, methods=["POST"]),
        Route("/doc/{name}/export/{fmt}", export),
        Route("/doc/{name}/tally", tally_page, methods=["GET", "POST"]),
        Route("/doc/{name}/tally/final", tally_final, methods=["POST"]),
        Route("/doc/{name}/tally/forget", tally_forget, methods=["POST"]),
        Route("/doc/{name}/audit", audit),
        Route("/files/{path:path}", files),
        Mount("/static", MemoryAssets(HERE / "static"), name="static"),
        Mount("/fonts", StaticFiles(directory=str(FONT_DIR)), name="fonts"),
    ]
    routes += login_routes(people, _page) + review_routes(docs, people, _page) + publish_routes(docs, people, template_dirs)
    policy = Policy(bind=bind, port=port, allowed_hosts=tuple(allowed_hosts), token=token)
    return Starlette(routes=routes, middleware=[Middleware(Guard, policy=policy), Middleware(SessionGate, people=people)],
                     exception_handlers={BadRequest: _bad_request})


__all__ = ["create_app", "serve", "is_loopback"]
