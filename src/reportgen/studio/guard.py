"""What the studio checks on every request, before any handler runs.

An ASGI middleware (no request is read into memory before it has passed):

1. **Host** — only the names the studio was started for: 127.0.0.1, localhost and [::1]
   with the studio's port, the address given with ``--host``, and the names given with
   ``--allowed-host`` (a reverse proxy's, any port). A web page that points a name of its
   own at 127.0.0.1 (DNS rebinding) sends its own name as the Host and gets 421. When the
   studio listens on every interface (``--host 0.0.0.0``, a token required), an IP address
   of the machine is accepted as well: an address cannot be rebound, a name can.
2. **Token** (when one is set) — from the address (``?token=``), its cookie or the
   ``X-Reportgen-Token`` header; compared in constant time as UTF-8 bytes. The cookie holds
   a digest of the token, not the token.
3. **Origin** — every request that is not GET or HEAD must come from the studio's own pages
   (its Origin, or Referer, is the studio's address).
4. **Body size** — a declared ``Content-Length`` over the limit is refused with 413 before
   anything is read; a body without one is counted as it streams and refused the same way
   once it passes the limit. Uploads (``multipart/form-data``) may be larger than forms and
   JSON.

Every refusal is one sentence in Chinese with its status code.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import urllib.parse
from dataclasses import dataclass, field
from starlette.datastructures import Headers
from starlette.requests import cookie_parser

#: the names of this machine's loopback interface
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: a JSON or form body (the editor's form of a document: a data file is at most 5 MB)
MAX_FORM_BYTES = 6 * 1024 * 1024
#: a multipart upload: two files of 20 MB (the tally's votes and experts) and their envelope
MAX_MULTIPART_BYTES = 41 * 1024 * 1024
COOKIE = "reportgen_token"
WILDCARDS = ("0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (an empty address binds every interface: not loopback)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_host(value: str) -> tuple[str, int | None] | None:
    """``name:port`` or ``[v6]:port`` → (lower-case name without brackets, port or None);
    None when it is not a host header at all."""
    value = value.strip().lower()
    if not value or any(ch in value for ch in "/\\@ \t?#"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else ""
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    else:  # a name without a port, or a bare IPv6 address
        name, port_text = value, ""
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        return name.rstrip("."), int(port_text)
    return name.rstrip("."), None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


@dataclass
class Policy:
    """Which requests the studio answers. ``port`` None: any port (an app embedded in tests
    or behind another server that does not say its port)."""

    bind: str = "127.0.0.1"
    port: int | None = None
    allowed_hosts: tuple[str, ...] = ()
    token: str | None = None
    max_form_bytes: int = MAX_FORM_BYTES
    max_multipart_bytes: int = MAX_MULTIPART_BYTES
    _names: frozenset[str] = field(init=False, repr=False)
    _proxied: frozenset[str] = field(init=False, repr=False)
    #: what the token cookie holds: a digest of the token (ASCII whatever the token is)
    cookie: str = field(init=False, repr=False, default="")

    def __post_init__(self) -> None:
        own = set(LOOPBACK_NAMES)
        if self.bind and self.bind not in WILDCARDS:
            own.add(self.bind.strip("[]").lower())
        self._names = frozenset(own)
        self._proxied = frozenset(h.strip().strip("[]").lower().rstrip(".") for h in self.allowed_hosts if h.strip())
        if self.token is not None:
            self.cookie = hmac.new(self.token.encode("utf-8"), b"reportgen studio cookie", hashlib.sha256).hexdigest()

    def host_ok(self, header: str) -> bool:
        parsed = split_host(header)
        if parsed is None:
            return False
        name, port = parsed
        if name in self._proxied:
            return True  # a reverse proxy's name: it may listen on another port
        if self.port is not None and (port or 80) != self.port:
            return False
        if name in self._names:
            return True
        return self.bind in WILDCARDS and _is_ip(name)

    def token_ok(self, given: bytes) -> bool:
        assert self.token is not None
        return hmac.compare_digest(given, self.token.encode("utf-8"))


def _plain(message: str, *, as_json: bool) -> tuple[list[tuple[bytes, bytes]], bytes]:
    if as_json:
        body = json.dumps({"error": message, "errors": {"": message}}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        body = (f"<!doctype html><meta charset=utf-8><title>reportgen 工作室</title>"
                f"<p>{message}</p>").encode("utf-8")
        kind = b"text/html; charset=utf-8"
    return [(b"content-type", kind), (b"content-length", str(len(body)).encode())], body


class BodyTooLarge(Exception):
    """The request's body passed the limit while it streamed."""


class Guard:
    """The checks above, in front of the whole application (see the module's docstring)."""

    def __init__(self, app, policy: Policy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # the studio has no websockets
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = Headers(scope=scope)
        wants_json = "application/json" in headers.get("accept", "") or \
            headers.get("content-type", "").startswith("application/json")
        token_in_query = self._token_in_query(scope)
        refusal = self.refusal(scope, headers, token_in_query)
        if refusal is not None:
            status, message = refusal
            await self._answer(send, status, message, wants_json)
            return
        limit = self.policy.max_multipart_bytes \
            if headers.get("content-type", "").startswith("multipart/form-data") else self.policy.max_form_bytes
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._answer(send, 400, "请求的长度（Content-Length）无效", wants_json)
                return
            if int(declared) > limit:
                await self._answer(send, 413, _too_large(limit), wants_json)
                return
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        started = False

        async def guarded_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"SAMEORIGIN"),
                         (b"referrer-policy", b"same-origin")]
                if token_in_query:
                    cookie = f"{COOKIE}={self.policy.cookie}; HttpOnly; SameSite=Strict; Path=/"
                    extra.append((b"set-cookie", cookie.encode("ascii")))
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": list(message.get("headers", [])) +
                           [(k, v) for k, v in extra if k not in names or k == b"set-cookie"]}
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except BodyTooLarge:
            if not started:
                await self._answer(send, 413, _too_large(limit), wants_json)

    # -- the checks ------------------------------------------------------------------------
    def refusal(self, scope, headers: Headers, token_in_query: bool) -> tuple[int, str] | None:
        """(status, message) for a request that must not reach the application, else None."""
        host = headers.get("host", "")
        if not self.policy.host_ok(host):
            return 421, ("这个地址不是本工作室的地址（Host 不符），已拒绝。请使用启动时打印的地址；"
                         "通过反向代理访问时，启动时用 --allowed-host 写明代理的域名")
        if self.policy.token is not None and not (token_in_query or self._token_elsewhere(headers)):
            return 401, "需要访问令牌。请使用启动时打印的完整地址（含 ?token=…）。"
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin") or headers.get("referer") or ""
            if not self._own_origin(origin, host):
                return 403, "请求不是来自本工作室的页面，已拒绝"
        return None

    def _token_in_query(self, scope) -> bool:
        if self.policy.token is None:
            return False
        # every byte as one Latin-1 character, %XX escapes too: re-encoded, the bytes that were sent
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"), encoding="latin-1")
        return any(self.policy.token_ok(value.encode("latin-1")) for value in query.get("token", []))

    def _token_elsewhere(self, headers: Headers) -> bool:
        """The token's cookie, or the token in the ``X-Reportgen-Token`` header."""
        cookie = cookie_parser(headers.get("cookie", "")).get(COOKIE, "")
        if cookie and hmac.compare_digest(cookie.encode("ascii", "replace"), self.policy.cookie.encode()):
            return True
        header = headers.get("x-reportgen-token")
        return header is not None and self.policy.token_ok(header.encode("latin-1", "replace"))

    @staticmethod
    def _own_origin(origin: str, host: str) -> bool:
        """The Origin (or Referer) names the studio's own address: the Host it was asked as,
        which has passed the Host check."""
        try:
            parsed = urllib.parse.urlsplit(origin)
        except ValueError:
            return False
        return parsed.scheme in ("http", "https") and parsed.netloc.lower() == host.strip().lower() != ""

    @staticmethod
    async def _answer(send, status: int, message: str, as_json: bool) -> None:
        headers, body = _plain(message, as_json=as_json)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"请求太大（超过 {limit // (1024 * 1024)} MB），已拒绝"

