"""推送到草稿箱 from the studio: the saved document's 公众号 article into the account's draft box.
The credentials come from the studio's environment (REPORTGEN_WECHAT_APPID/SECRET, or the file
named by REPORTGEN_WECHAT_CREDENTIALS) and never reach a page; REPORTGEN_WECHAT_API_BASE points
at another address (tests, a proxy)."""
from __future__ import annotations

import os
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..errors import ReportgenError
from .people import user_of


def publish_routes(docs, people, template_dirs=()):
    async def push(request: Request) -> JSONResponse:
        from ..publish import API_BASE, Credentials, push_wechat

        name = request.path_params["name"]
        user = user_of(request)

        def run():
            file = os.environ.get("REPORTGEN_WECHAT_CREDENTIALS")
            credentials = Credentials.find(Path(file) if file else None, data_folder=docs.root)
            return push_wechat(docs.path(name), credentials=credentials,
                               api_base=os.environ.get("REPORTGEN_WECHAT_API_BASE", API_BASE),
                               who=user.name if user else "工作室", template_dirs=template_dirs)

        try:
            pushed = await run_in_threadpool(run)
        except ReportgenError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        parts = len(pushed.draft.parts)
        return JSONResponse({"media_id": pushed.media_id, "message": (
            f"已推送到草稿箱（{parts} 篇图文）" if parts > 1 else "已推送到草稿箱")
            + "：请在公众号后台“内容与互动—草稿箱”中预览，确认后点“发表”"})

    return [Route("/doc/{name}/publish/wechat", push, methods=["POST"])]
