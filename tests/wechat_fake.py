"""A fake of the 公众号 platform's API for the tests (never the internet): it checks what the real
one checks — the token, picture types and sizes, lengths, picture addresses from uploadimg, no
class/id/script/style in the content, raw UTF-8 JSON — and answers with its real error bodies."""
from __future__ import annotations

import itertools
import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

APPID, SECRET = "wx-test-appid", "test-secret-0123456789"


def error(code: int, message: str) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": f"{message} hint: [fake] rid: 0"})


class Fake:
    def __init__(self):
        self.calls: list[str] = []
        self.tokens: set[str] = set()
        self.pictures: dict[str, bytes] = {}
        self.materials: dict[str, bytes] = {}
        self.drafts: dict[str, list[dict]] = {}
        self.numbers = itertools.count(1)
        self.whitelisted = True
        self.certified = True
        self.busy = 0           # answer -1 (system busy) this many times to draft/add
        self.refuse_draft = None  # (code, message) for draft/add
        self.expire_tokens = False

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/cgi-bin/stable_token", self.stable_token, methods=["POST"]),
            Route("/cgi-bin/media/uploadimg", self.uploadimg, methods=["POST"]),
            Route("/cgi-bin/material/add_material", self.add_material, methods=["POST"]),
            Route("/cgi-bin/draft/add", self.draft_add, methods=["POST"]),
        ])

    async def stable_token(self, request: Request):
        self.calls.append("stable_token")
        body = json.loads(await request.body())
        if not self.whitelisted:
            return error(40164, "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist")
        if body.get("appid") != APPID:
            return error(40013, "invalid appid")
        if body.get("secret") != SECRET:
            return error(40125, "invalid appsecret")
        token = f"TOKEN{next(self.numbers)}"
        self.tokens = {token}
        self.expire_tokens = False
        return JSONResponse({"access_token": token, "expires_in": 7200})

    def _token(self, request: Request):
        token = request.query_params.get("access_token", "")
        if token not in self.tokens:
            return error(40001, "invalid credential, access_token is invalid or not latest")
        if self.expire_tokens:
            return error(42001, "access_token expired")
        if not self.certified:
            return error(48001, "api unauthorized")
        return None

    async def _picture(self, request: Request):
        form = await request.form()
        media = form.get("media")
        if media is None:
            return None, error(41005, "media data missing")
        data = await media.read()
        if not (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"):
            return None, error(40005, "invalid file type")
        return data, None

    async def uploadimg(self, request: Request):
        self.calls.append("uploadimg")
        refused = self._token(request)
        if refused:
            return refused
        data, refused = await self._picture(request)
        if refused:
            return refused
        if len(data) >= 1_000_000:
            return error(40009, "invalid image size")
        url = f"http://mmbiz.qpic.cn/mmbiz_jpg/FAKE{next(self.numbers)}/0"
        self.pictures[url] = data
        return JSONResponse({"url": url})

    async def add_material(self, request: Request):
        self.calls.append("add_material")
        refused = self._token(request)
        if refused:
            return refused
        if request.query_params.get("type") != "image":
            return error(40004, "invalid media type")
        data, refused = await self._picture(request)
        if refused:
            return refused
        media_id = f"MATERIAL{next(self.numbers)}"
        self.materials[media_id] = data
        return JSONResponse({"media_id": media_id, "url": f"http://mmbiz.qpic.cn/mmbiz_jpg/{media_id}/0"})

    async def draft_add(self, request: Request):
        self.calls.append("draft_add")
        refused = self._token(request)
        if refused:
            return refused
        if self.busy:
            self.busy -= 1
            return error(-1, "system error")
        if self.refuse_draft:
            return error(*self.refuse_draft)
        raw = await request.body()
        if re.search(rb"\\u[0-9a-f]{4}", raw):
            return error(47001, "data format error (escaped unicode would be shown as it is)")
        articles = json.loads(raw.decode("utf-8")).get("articles") or []
        if not articles:
            return error(44003, "empty news data")
        for article in articles:
            content = article.get("content", "")
            if len(article.get("title", "")) > 32 or not article.get("title"):
                return error(45003, "title size out of limit")
            if len(article.get("author", "")) > 16:
                return error(45110, "author size out of limit")
            if len(article.get("digest", "")) > 128:
                return error(45004, "description size out of limit")
            if len(content) >= 20_000 or len(content.encode()) >= 1_000_000:
                return error(45002, "content size out of limit")
            if article.get("thumb_media_id") not in self.materials:
                return error(40007, "invalid media_id")
            if re.search(r"\s(class|id)=|<(script|style)\b", content):
                return error(45166, "invalid content")
            for source in re.findall(r'<img[^>]*\ssrc="([^"]*)"', content):
                if source not in self.pictures:
                    return error(45166, "invalid content")
        media_id = f"DRAFT{next(self.numbers)}"
        self.drafts[media_id] = articles
        return JSONResponse({"media_id": media_id, "item": []})
