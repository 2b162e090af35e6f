"""Who is using the studio: with users in the folder (``reportgen users add``), a login for
everything, sessions, CSRF tokens, and the review's routes (sign, 审核表). Without users the
studio is as before: the loopback address, or ``--token`` for a single-user set-up.

``SessionGate`` runs after ``guard.Guard`` (Host, token, Origin, body size): every request but
the login page and the interface's own files needs a live session; every request that is not
GET or HEAD also needs the session's CSRF token (header ``X-CSRF-Token``, which the pages' script
adds to every request, or ``?csrf=`` on a plain form's address). A login always opens a new
session (no fixation); the cookie is HttpOnly, SameSite=Strict, and Secure behind HTTPS.
"""
from __future__ import annotations

import hmac
import json
import urllib.parse
from contextvars import ContextVar
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..review.store import ReviewError, Store, User, database_path, has_users

COOKIE = "reportgen_session"
OPEN_PATHS = ("/login", "/static/", "/fonts/")
#: the signed-in user of the request being answered and their CSRF token (pages show them)
CURRENT: ContextVar[tuple[User, str] | None] = ContextVar("reportgen_current_user", default=None)


class People:
    """The folder's users, looked up again only when the database file changes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        self._seen: tuple[float, bool] | None = None

    def active(self) -> bool:
        path = database_path(self.folder)
        stamp = path.stat().st_mtime if path.exists() else 0.0
        if self._seen is None or self._seen[0] != stamp:
            self._seen = (stamp, has_users(self.folder))
        return self._seen[1]

    def who(self, key: str) -> tuple[User, str] | None:
        if not key:
            return None
        with Store(self.folder) as store:
            return store.session(key)

    def log(self, user: User | None, action: str, document: str = "", detail: str = "") -> None:
        if user is not None:
            with Store(self.folder) as store:
                store.log(user.name, action, document, detail)


def user_of(request: Request) -> User | None:
    return request.scope.get("state", {}).get("user")


def _answer(status: int, message: str, as_json: bool) -> Response:
    if as_json:
        return Response(json.dumps({"error": message, "errors": {"": message}}, ensure_ascii=False), status,
                        media_type="application/json")
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>reportgen 工作室</title><p>{message}</p>"
                        f"<p><a href=\"/login\">登录</a></p>", status)


class SessionGate:
    """A login for every request once the folder has users (see the module's docstring)."""

    def __init__(self, app, people: People):
        self.app = app
        self.people = people

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not self.people.active():
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/login" or path.startswith(OPEN_PATHS[1:]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        as_json = "application/json" in headers.get("accept", "") or \
            headers.get("content-type", "").startswith("application/json")
        found = self.people.who(cookie_parser(headers.get("cookie", "")).get(COOKIE, ""))
        if found is None:
            if scope["method"] in ("GET", "HEAD") and not as_json:
                target = urllib.parse.quote(path + ("?" + scope["query_string"].decode("latin-1")
                                                    if scope.get("query_string") else ""), safe="")
                await RedirectResponse(f"/login?next={target}", status_code=303)(scope, receive, send)
            else:
                await _answer(401, "请先登录（登录已过期）", as_json)(scope, receive, send)
            return
        user, csrf = found
        if scope["method"] not in ("GET", "HEAD"):
            query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = headers.get("x-csrf-token") or (query.get("csrf") or [""])[0]
            if not hmac.compare_digest(given.encode("latin-1", "replace"), csrf.encode("ascii")):
                await _answer(403, "页面已过期（缺少或不符的安全令牌），请刷新页面后重试", as_json)(scope, receive, send)
                return
        scope.setdefault("state", {})
        scope["state"]["user"] = user
        scope["state"]["csrf"] = csrf
        reset = CURRENT.set((user, csrf))
        try:
            await self.app(scope, receive, send)
        finally:
            CURRENT.reset(reset)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def login_routes(people: People, page):
    """``/login`` (GET: the page; POST: name and password) and ``/logout``."""

    async def login(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        target = request.query_params.get("next", "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        if request.method == "GET":
            return page("login.html", next=target, message="")
        form = await request.form()
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))

        def attempt() -> tuple[str, str]:
            with Store(people.folder) as store:
                old = request.cookies.get(COOKIE, "")
                if old:
                    store.close_session(old)  # a login never keeps a session it was handed
                return store.open_session(store.authenticate(name, password))

        try:
            key, _ = await run_in_threadpool(attempt)
        except ReviewError as exc:
            return page("login.html", 401, next=target, message=str(exc), name=name)
        answer = RedirectResponse(target, status_code=303)
        answer.set_cookie(COOKIE, key, httponly=True, samesite="strict", secure=_secure(request), path="/")
        return answer

    async def logout(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        key = request.cookies.get(COOKIE, "")

        def close() -> None:
            with Store(people.folder) as store:
                user = store.session(key)
                if user is not None:
                    store.log(user[0].name, "退出")
                store.close_session(key)

        if key:
            await run_in_threadpool(close)
        answer = RedirectResponse("/login", status_code=303)
        answer.delete_cookie(COOKIE, path="/")
        return answer

    from starlette.routing import Route

    return [Route("/login", login, methods=["GET", "POST"]), Route("/logout", logout, methods=["POST"])]
