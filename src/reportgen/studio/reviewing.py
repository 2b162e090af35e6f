"""The studio's review page: where 三审 stands on the current content, the signed-in user's
signature for their stage, what changed between signed versions (三校), the findings of the
checks now, the 审核表 to download, and the document's audit log."""
from __future__ import annotations

import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..errors import ReportgenError
from ..review import ALL_CHANNELS, ROLE_NAMES, Store, document_status, review_required, sheet, sign_document
from ..review.signoff import marked
from .people import user_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_refusal(folder, name: str) -> str | None:
    """Why *name* may not be exported or pushed yet (None: it may): with ``review: required``,
    终审 must have signed its current content."""
    if not review_required(folder):
        return None
    state = document_status(folder, name)
    if state.approved:
        return None
    stale = f"（{'、'.join(state.stale)}签署后内容又改过）" if state.stale else ""
    return (f"这份文件的当前内容还没有通过终审，不能导出或推送{stale}。请在“审核”页依次完成"
            f"初审、复审、终审（下一步：{state.next_stage()}）；审核期间可以随时预览。")


def under_review(folder, data_file, report) -> bool:
    """Whether a preview of *report* (the form as it stands) is a draft: review is required
    and 终审 has not signed exactly this content."""
    from ..review import content_hash

    if not review_required(folder):
        return False
    state = document_status(folder, data_file.name)
    return not (state.approved and content_hash(data_file, report) == state.content_hash)


def _context(folder, name: str) -> dict:
    from ..checks import check_file

    state = document_status(folder, name)
    diffs = [(between, place, marked(old, new)) for between, place, old, new in state.revisions()]
    with Store(folder) as store:
        log = store.audit(name)[-30:]
    return {"state": state, "diffs": diffs, "findings": check_file(folder / name)[1], "log": log[::-1],
            "required": review_required(folder), "roles": ROLE_NAMES}


def review_routes(docs, people, page):
    async def review_page(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            context = await run_in_threadpool(_context, docs.root, docs.path(name).name)
        except ReportgenError as exc:
            return page("error.html", 404, message=str(exc), back="/")
        return page("review.html", name=name, user=user_of(request), message=request.query_params.get("message", ""),
                    **context)

    async def sign(request: Request) -> Response:
        name = request.path_params["name"]
        user = user_of(request)
        if user is None:
            return page("error.html", 403, message="签署审核需要先登录（本文件夹还没有用户：reportgen users add）",
                        back=f"/doc/{name}")
        form = await request.form()
        try:
            channels = ALL_CHANNELS if form.get("channels") else ()
            signature = await run_in_threadpool(lambda: sign_document(
                docs.root, docs.path(name).name, user.name, None, user=user, comment=str(form.get("comment", "")),
                channels=channels))
        except ReportgenError as exc:
            return page("error.html", 422, message=str(exc), back=f"/doc/{name}/review")
        said = f"{signature.stage}已签署（{user.name}）"
        return RedirectResponse(f"/doc/{name}/review?message=" + urllib.parse.quote(said), status_code=303)

    async def download(request: Request) -> Response:
        name, kind = request.path_params["name"], request.path_params["kind"]
        if kind not in ("xlsx", "pdf"):
            return page("error.html", 404, message="审核表可以下载为 Excel 或 PDF", back=f"/doc/{name}/review")
        try:
            data = await run_in_threadpool(sheet, docs.root, docs.path(name).name, kind)
        except ReportgenError as exc:
            return page("error.html", 422, message=str(exc), back=f"/doc/{name}/review")
        people.log(user_of(request), "下载审核表", name, kind)
        stem = docs.path(name).stem
        return Response(data, media_type=XLSX if kind == "xlsx" else "application/pdf", headers={
            "Content-Disposition": f"attachment; filename*=utf-8''{urllib.parse.quote(f'{stem}（审核表）.{kind}')}"})

    return [Route("/doc/{name}/review", review_page), Route("/doc/{name}/sign", sign, methods=["POST"]),
            Route("/doc/{name}/sheet/{kind}", download)]
