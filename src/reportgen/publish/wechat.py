"""推送到草稿箱: the 公众号 article into the account's draft box through the platform's official
API — ``stable_token``, ``media/uploadimg`` (pictures in the article), ``material/add_material``
(the cover) and ``draft/add``. A person then presses 发表 in the platform; nothing here publishes.

:func:`prepare` makes the draft without the network and lists every problem the platform would
refuse (lengths, sizes, types) in Chinese; :class:`Platform` talks to the API (httpx), keeps the
token until shortly before it expires, retries only what the platform says to retry, and says
in plain Chinese what an error code means and what to do.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import ReportgenError

API_BASE = "https://api.weixin.qq.com"
TITLE_CHARS, AUTHOR_CHARS, DIGEST_CHARS = 32, 16, 128
CONTENT_CHARS, CONTENT_BYTES = 20_000, 1_000_000
PICTURE_BYTES = 1_000_000          # media/uploadimg: jpg/png under 1 MB
#: room left in the content for the platform's picture addresses (≈ 130 characters each)
URL_ALLOWANCE = 140
TOKEN_MARGIN_S = 300               # a cached token is renewed this long before it expires

#: the platform's error codes in plain Chinese, with what to do
ERRORS = {
    -1: "微信平台繁忙，请稍后再试",
    40001: "访问令牌无效或已过期（AppSecret 是否已重置？）",
    40013: "AppID 不正确：请核对公众号后台“设置与开发—基本配置”中的开发者ID",
    40125: "AppSecret 不正确：请在公众号后台“设置与开发—基本配置”中重置并更新凭据",
    40164: "本机的 IP 地址不在公众号的 IP 白名单中：请在公众号后台“设置与开发—基本配置—IP白名单”中加入本机的出口 IP",
    42001: "访问令牌已过期",
    48001: "公众号没有这项接口权限：草稿箱接口需要已认证的公众号（微信认证）",
    40005: "图片格式不支持：只能上传 JPG 或 PNG",
    40009: "图片太大：文内图片须小于 1 MB",
    40007: "封面素材无效（thumb_media_id）：封面上传失败或已被删除",
    44003: "草稿内容为空",
    45002: "正文太长：微信要求少于 2 万字符、1 MB",
    45003: "标题太长：最多 32 个字",
    45004: "摘要太长：最多 128 个字",
    45110: "作者名太长：最多 16 个字",
    45009: "今天调用接口的次数已达上限，请明天再试",
    45166: "正文含有微信不接受的内容",
    47001: "请求格式不对（数据格式错误）",
}
RETRY = {-1}                      # the platform says: busy, try again
TOKEN_CODES = {40001, 40014, 42001}


class WechatError(ReportgenError):
    """A push that did not happen, or only in part: one line in Chinese, what to do."""


def said(code: int, message: str = "") -> str:
    known = ERRORS.get(code)
    return f"{known}（错误码 {code}）" if known else f"微信平台返回错误 {code}：{message}"


# -- credentials and the token ----------------------------------------------------------------

@dataclass(frozen=True)
class Credentials:
    appid: str
    secret: str = field(repr=False)

    @classmethod
    def find(cls, file: Path | None = None, *, data_folder: Path | None = None) -> "Credentials":
        """From *file* (JSON ``{"appid": …, "secret": …}``, mode 0600, outside the data folder),
        else ``REPORTGEN_WECHAT_APPID`` / ``REPORTGEN_WECHAT_SECRET``."""
        if file is not None:
            path = Path(file).resolve()
            if data_folder is not None and path.is_relative_to(Path(data_folder).resolve()):
                raise WechatError(f"{file}: 凭据文件不能放在数据文件夹里（会随文件夹被复制、备份和查看）")
            try:
                mode = path.stat().st_mode
                if stat.S_IMODE(mode) & 0o077:
                    raise WechatError(f"{file}: 凭据文件只能本人可读（chmod 600 {file}）")
                data = json.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise WechatError(f"{file}: 读不到凭据文件（{exc.strerror}）") from None
            except (ValueError, UnicodeDecodeError):
                raise WechatError(f"{file}: 凭据文件应为 JSON：{{\"appid\": \"…\", \"secret\": \"…\"}}") from None
            appid, secret = str(data.get("appid", "")), str(data.get("secret", ""))
        else:
            appid, secret = os.environ.get("REPORTGEN_WECHAT_APPID", ""), os.environ.get("REPORTGEN_WECHAT_SECRET", "")
        if not appid or not secret:
            raise WechatError("没有公众号凭据：设置环境变量 REPORTGEN_WECHAT_APPID 和 REPORTGEN_WECHAT_SECRET，"
                              "或用 --credentials 指定凭据文件")
        return cls(appid.strip(), secret.strip())


class TokenCache:
    """Access tokens by account and address, in a file only its owner reads (mode 0600)."""

    def __init__(self, path: Path | None = None):
        default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reportgen" / "wechat-tokens.json"
        self.path = Path(path) if path is not None else default

    @staticmethod
    def key(api_base: str, appid: str) -> str:
        return hashlib.sha256(f"{api_base}\0{appid}".encode()).hexdigest()[:32]

    def get(self, key: str) -> str | None:
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            return None
        if entry and entry.get("expires", 0) - TOKEN_MARGIN_S > time.time():
            return str(entry["token"])
        return None

    def put(self, key: str, token: str, expires_in: int) -> None:
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known = {k: v for k, v in known.items() if v.get("expires", 0) > time.time()}
        known[key] = {"token": token, "expires": time.time() + expires_in}
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(self.path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        os.replace(self.path.with_suffix(".tmp"), self.path)


# -- the platform ---------------------------------------------------------------------------------

class Platform:
    """The 公众号 API at *api_base* (its scheme and host; paths are ``/cgi-bin/…``)."""

    def __init__(self, credentials: Credentials, api_base: str = API_BASE, *, cache: TokenCache | None = None,
                 transport=None, sleep: Callable[[float], None] = time.sleep, timeout: float = 30):
        import httpx

        if not re.match(r"^https?://[^/\s]+/?$", api_base):
            raise WechatError(f"--api-base {api_base}: 只写协议和主机，如 https://api.weixin.qq.com")
        self.credentials = credentials
        self.api_base = api_base.rstrip("/")
        self.cache = cache or TokenCache()
        self.sleep = sleep
        self.client = httpx.Client(base_url=self.api_base, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.client.close()

    def token(self, *, fresh: bool = False) -> str:
        key = TokenCache.key(self.api_base, self.credentials.appid)
        if not fresh:
            cached = self.cache.get(key)
            if cached:
                return cached
        answer = self._send("POST", "/cgi-bin/stable_token", token=False, json_body={
            "grant_type": "client_credential", "appid": self.credentials.appid, "secret": self.credentials.secret,
            "force_refresh": fresh})
        self.cache.put(key, answer["access_token"], int(answer.get("expires_in", 7200)))
        return str(answer["access_token"])

    def upload_image(self, name: str, data: bytes, mime: str) -> str:
        """A picture for inside the article → its URL on the platform."""
        return str(self._send("POST", "/cgi-bin/media/uploadimg", files={"media": (name, data, mime)})["url"])

    def add_cover(self, name: str, data: bytes, mime: str) -> str:
        """The cover as a permanent image material → its media_id."""
        return str(self._send("POST", "/cgi-bin/material/add_material", params={"type": "image"},
                              files={"media": (name, data, mime)})["media_id"])

    def add_draft(self, articles: list[dict[str, Any]]) -> str:
        return str(self._send("POST", "/cgi-bin/draft/add", json_body={"articles": articles})["media_id"])

    def _send(self, method: str, path: str, *, token: bool = True, json_body=None, files=None,
              params=None) -> dict[str, Any]:
        import httpx

        renewed = False
        for attempt in range(4):
            query = dict(params or {})
            if token:
                query["access_token"] = self.token(fresh=renewed)
            content = None
            headers = {}
            if json_body is not None:  # raw UTF-8: the platform shows \\u escapes as they are
                content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
                headers["Content-Type"] = "application/json; charset=utf-8"
            try:
                response = self.client.request(method, path, params=query, content=content, files=files,
                                               headers=headers)
            except httpx.HTTPError as exc:
                raise WechatError(f"连不上微信平台（{self.api_base}）：{type(exc).__name__}；请检查网络或代理") from None
            try:
                answer = response.json()
            except ValueError:
                raise WechatError(f"微信平台的回答不是 JSON（HTTP {response.status_code}）") from None
            code = int(answer.get("errcode", 0) or 0)
            if code == 0:
                return answer
            if code in TOKEN_CODES and token and not renewed:
                renewed = True  # once: a fresh token
                continue
            if code in RETRY and attempt < 3:
                self.sleep(2 ** attempt)
                continue
            raise WechatError(said(code, str(answer.get("errmsg", ""))))
        raise WechatError(said(-1))
