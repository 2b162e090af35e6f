"""``reportgen users``, ``reportgen review`` and ``reportgen backup``: thin commands over
:mod:`reportgen.review` (三审三校). Passwords come from standard input when it is not a
terminal (one line), and are prompted for, hidden, when it is."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import fail as _fail
from .errors import ReportgenError

EXIT_NOT_APPROVED = 3



def _password(prompt: str, confirm: bool = False) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


folder_option = click.option("--folder", default=".", show_default=True, type=click.Path(path_type=Path, file_okay=False),
                             help="the studio's folder (its .reportgen/ holds the users)")


@click.group()
def users() -> None:
    """The people who review: editor (初审), reviewer (复审), approver (终审)."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["editor", "reviewer", "approver"]))
@folder_option
def users_add(name, role, folder) -> None:
    """Add NAME with ROLE; the password is read from standard input (or prompted)."""
    from .review import ROLE_NAMES, Store

    try:
        with Store(folder) as store:
            store.add_user(name, role, _password(f"{name} 的密码", confirm=True))
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"added {name}: {ROLE_NAMES[role]}")


@users.command("list")
@folder_option
def users_list(folder) -> None:
    """The folder's users and their roles."""
    from .review import ROLE_NAMES, Store, has_users

    if not has_users(folder):
        click.echo("no users (the studio runs with its token alone)")
        return
    with Store(folder) as store:
        for user in store.users():
            click.echo(f"{user.name}\t{user.role}\t{ROLE_NAMES[user.role]}\tsince {user.created[:10]}")


@users.command("remove")
@click.argument("name")
@folder_option
def users_remove(name, folder) -> None:
    """Remove NAME (their signatures stay, with their name, in the record)."""
    from .review import Store

    try:
        with Store(folder) as store:
            store.remove_user(name)
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"removed {name}")


@users.command("passwd")
@click.argument("name")
@folder_option
def users_passwd(name, folder) -> None:
    """Set NAME's password (their sessions end; a lockout is lifted)."""
    from .review import Store

    try:
        with Store(folder) as store:
            store.set_password(name, _password(f"{name} 的新密码", confirm=True))
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"password of {name} changed")


@click.group()
def review() -> None:
    """三审三校: sign-offs bound to the content, the 审核表."""


def _split(data_file: Path) -> tuple[Path, str]:
    data_file = data_file.resolve()
    if not data_file.is_file():
        _fail(ReportgenError(f"{data_file}: no such data file"))
    return data_file.parent, data_file.name


@review.command("status")
@click.argument("data_file", type=click.Path(path_type=Path))
def review_status(data_file) -> None:
    """Each stage: who signed, when, on which content. Exit 0 when 终审 signed the current
    content, 3 otherwise."""
    from .review import document_status

    folder, name = _split(data_file)
    try:
        state = document_status(folder, name)
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"{data_file}: content {state.content_hash}")
    for stage in state.stages:
        s = stage.signature
        if s is None:
            click.echo(f"  {stage.stage}  not signed")
        else:
            mark = "signed" if stage.current else "STALE (the content changed after it was signed)"
            click.echo(f"  {stage.stage}  {mark}: {s.user_name} at {s.at}, content {s.content_hash[:16]}"
                       + (f" — {s.comment}" if s.comment else ""))
    click.echo("approved: 终审 signed this content" if state.approved else
               f"not approved: waiting for {state.next_stage()}")
    sys.exit(0 if state.approved else EXIT_NOT_APPROVED)


@review.command("sign")
@click.argument("data_file", type=click.Path(path_type=Path))
@click.option("--user", "user_name", required=True, help="who signs (their password on standard input)")
@click.option("--stage", type=click.Choice(["初审", "复审", "终审"]), help="default: the user's role's stage")
@click.option("--comment", default="", help="审核意见")
@click.option("--channels", default="", metavar="FORMATS",
              help="also read back these rendered formats (pdf,docx,wechat,png or 'all') against the data and "
                   "record what differs (三校)")
def review_sign(data_file, user_name, stage, comment, channels) -> None:
    """Sign DATA_FILE's current content as USER (the checks' findings are recorded with it)."""
    from .review import ALL_CHANNELS, sign_document

    folder, name = _split(data_file)
    chosen = ALL_CHANNELS if channels.strip() == "all" else tuple(c.strip() for c in channels.split(",") if c.strip())
    try:
        signature = sign_document(folder, name, user_name, _password(f"{user_name} 的密码"), stage=stage,
                                  comment=comment, channels=chosen)
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"{signature.stage} signed by {signature.user_name} on content {signature.content_hash}")


@review.command("sheet")
@click.argument("data_file", type=click.Path(path_type=Path))
@click.option("-o", "--out", "target", required=True, type=click.Path(path_type=Path), help="审核表.xlsx or 审核表.pdf")
@click.option("--force", is_flag=True, help="overwrite an existing file")
def review_sheet(data_file, target, force) -> None:
    """Write the 信息发布审核表 of DATA_FILE (XLSX or PDF)."""
    from .files import atomic_write
    from .review import sheet

    folder, name = _split(data_file)
    try:
        data = sheet(folder, name, target.suffix.lower().lstrip("."))
        with atomic_write(target, "wb", force=force) as handle:
            handle.write(data)
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"wrote {target}")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", "target", required=True, type=click.Path(path_type=Path), help="the archive (.zip)")
@click.option("--force", is_flag=True, help="overwrite an existing archive")
def backup(folder, target, force) -> None:
    """One consistent zip of FOLDER: data, pictures, history, settings and the review database
    (copied safely while the studio runs)."""
    from .review import backup as make_backup

    try:
        made = make_backup(folder, target, force=force)
    except ReportgenError as exc:
        _fail(exc)
    click.echo(f"wrote {made}")
