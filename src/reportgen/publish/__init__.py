"""Publishing: the 公众号 article pushed into the account's draft box (``wechat``: the platform's
API; ``draft``: the article, its pictures and cover, checked before any request). Nothing is
published by itself: a person presses 发表 in the platform. With review required, only content
that 终审 signed is pushed, and every push is in the audit log with the draft's media_id."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .draft import Draft, prepare
from .wechat import API_BASE, Credentials, Platform, TokenCache, WechatError

__all__ = ["API_BASE", "Credentials", "Draft", "Platform", "Pushed", "TokenCache", "WechatError", "prepare",
           "push_wechat"]


@dataclass(frozen=True)
class Pushed:
    media_id: str          # the draft's, "" for a dry run
    pictures: int
    cover_media_id: str
    draft: Draft


def push_wechat(data_file: Path | str, *, credentials: Credentials | None = None, api_base: str = API_BASE,
                dry_run: bool = False, transport=None, cache: TokenCache | None = None,
                who: str = "命令行", sleep=None, template_dirs=()) -> Pushed:
    """Check, then push *data_file*'s article into the draft box (with *dry_run*, check only)."""
    from ..review import document_status, review_required
    from ..review.store import Store, database_path

    data_file = Path(data_file).resolve()
    folder = data_file.parent
    if review_required(folder) and not document_status(folder, data_file.name).approved:
        raise WechatError("这份文件的当前内容还没有通过终审，不能推送；请先完成初审、复审、终审")
    draft = prepare(data_file, template_dirs)
    if draft.problems:
        raise WechatError("推送前检查未通过：" + "；".join(draft.problems))
    if dry_run:
        return Pushed("", len(draft.pictures), "", draft)
    credentials = credentials or Credentials.find(data_folder=folder)
    extra = {"sleep": sleep} if sleep is not None else {}
    platform = Platform(credentials, api_base, cache=cache, transport=transport, **extra)
    urls: list[str] = []
    cover = ""
    try:
        for picture in draft.pictures:
            urls.append(platform.upload_image(picture.name, picture.data, picture.mime))
        cover = platform.add_cover(draft.cover.name, draft.cover.data, draft.cover.mime)
        media_id = platform.add_draft(draft.articles(urls, cover))
    except WechatError as exc:
        left = (f"；已上传 {len(urls)} 张文内图片" + ("和封面（素材库中可删除）" if cover else "")
                + "，草稿没有建成" if urls or cover else "；什么也没有上传")
        raise WechatError(f"{exc}{left}") from None
    finally:
        platform.close()
    if database_path(folder).is_file():
        with Store(folder) as store:
            store.log(who, "推送到草稿箱", data_file.name, media_id)
    return Pushed(media_id, len(urls), cover, draft)
