"""``reportgen publish wechat``: the 公众号 article into the account's draft box (a thin command
over :mod:`reportgen.publish`)."""
from __future__ import annotations

from pathlib import Path

import click

from .cli_common import fail
from .errors import ReportgenError


@click.group()
def publish() -> None:
    """Push a document to a platform (a person then presses 发表 there)."""


@publish.command("wechat")
@click.argument("data_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--api-base", default=None, metavar="URL",
              help="the platform's scheme and host before /cgi-bin/… (tests, proxies; default https://api.weixin.qq.com)")
@click.option("--credentials", "credentials_file", type=click.Path(path_type=Path, dir_okay=False),
              help="JSON file {appid, secret}, mode 0600, outside the data folder "
                   "(default: REPORTGEN_WECHAT_APPID and REPORTGEN_WECHAT_SECRET)")
@click.option("--dry-run", is_flag=True, help="check and prepare the draft, send nothing")
def publish_wechat(data_file, api_base, credentials_file, dry_run) -> None:
    """Check DATA_FILE's 公众号 article and push it into the draft box."""
    from .publish import API_BASE, Credentials, push_wechat

    try:
        credentials = None if dry_run else Credentials.find(credentials_file, data_folder=data_file.resolve().parent)
        pushed = push_wechat(data_file, credentials=credentials, api_base=api_base or API_BASE, dry_run=dry_run)
    except ReportgenError as exc:
        fail(exc)
    draft = pushed.draft
    for title, part in zip(draft.titles(), draft.parts):
        click.echo(f"{title} — 作者 {draft.author}，摘要 {len(draft.digest)} 字，正文 {len(part)} 字符")
    click.echo(f"{len(draft.pictures)} 张文内图片，封面 {draft.cover.name}")
    if dry_run:
        click.echo("dry run: checked, nothing sent")
    else:
        click.echo(f"draft made: media_id {pushed.media_id} (press 发表 in the platform to publish it)")
