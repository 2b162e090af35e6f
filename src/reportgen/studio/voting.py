"""投票统计 in the studio: upload the questionnaire platform's export, see the ranking, the
rules applied and the audit, and create the final bulletin in one step — the same
``reportgen.tally`` as ``reportgen tally``, within the same limits."""
from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import ReportgenError
from .documents import Folder
from .warmup import warmed

EXPORT_SUFFIXES = (".csv", ".xlsx")
#: days an uploaded export (respondents' IP addresses, times, answers) is kept; a folder sets
#: its own in ``.reportgen/settings.yaml`` as ``vote_uploads_days: N``
RETENTION_DAYS = 30
VOTES = "votes"  # uploaded exports are kept in .reportgen/votes/, so that the final step reads the same file
_ID = re.compile(r"^[0-9a-f]{12}\.(csv|xlsx)$")


def _run(docs: Folder, name: str, votes: Path, experts: Path | None, weight: float, top: int):
    from ..io import load_report
    from ..limits import Limits, run_limited
    from ..tally import tally

    report = load_report(docs.path(name))
    return run_limited(tally, report, votes, experts, limits=Limits(seconds=300), what=str(votes.name),
                       weight=weight, top=top)


def _keep(folder: Path, data: bytes, suffix: str) -> Path:
    from ..io import atomic_write

    target = folder / f"{secrets.token_hex(6)}{suffix}"
    with atomic_write(target, "wb", force=False) as handle:
        handle.write(data)
    return target


def _write_final(docs: Folder, result) -> tuple[Path, Path]:
    """The final bulletin and its audit workbook, beside the ballot (new names, never over a file)."""
    from ..io import atomic_write, report_to_yaml
    from ..tally import audit_xlsx

    assert result.final is not None
    target = docs.root / docs.free_name(f"{result.final.year}-final")
    with atomic_write(target, "w", force=False) as handle:
        handle.write(report_to_yaml(result.final))
    audit = target.with_name(target.stem + "-audit.xlsx")
    with atomic_write(audit, "wb", force=False) as handle:
        handle.write(audit_xlsx(result))
    return target, audit


def retention_days(docs: Folder) -> int:
    settings = docs.root / ".reportgen" / "settings.yaml"
    if settings.is_file():
        from ..io import read_yaml

        try:
            data, _ = read_yaml(settings)
            days = int((data or {}).get("vote_uploads_days", RETENTION_DAYS))
            return max(0, days)
        except (ReportgenError, ValueError, TypeError, AttributeError):
            pass
    return RETENTION_DAYS


def sweep(folder: Path, days: int) -> None:
    """Delete the uploaded exports older than *days* (0: keep none past today's work)."""
    if not folder.is_dir():
        return
    limit = time.time() - max(days, 0) * 86400
    for path in folder.iterdir():
        if _ID.match(path.name) and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def uploads(folder: Path) -> list[dict]:
    """The kept exports, newest first: identifier, size, when."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        if _ID.match(path.name):
            info = path.stat()
            out.append({"id": path.name, "kb": max(1, info.st_size // 1024),
                        "when": dt.datetime.fromtimestamp(info.st_mtime).strftime("%Y-%m-%d %H:%M")})
    return out


def routes(docs: Folder, page, max_bytes: int):
    """The 投票统计 request handlers: ``(form page, count, create the final bulletin)``."""
    folder = docs.root / ".reportgen" / VOTES

    async def keep_upload(upload) -> Path | None:
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in EXPORT_SUFFIXES:
            raise ReportgenError(f"投票数据只能是 .csv 或 .xlsx 文件，这是 {suffix or '未知'} 文件")
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ReportgenError("文件超过 20 MB")
        return await run_in_threadpool(_keep, folder, data, suffix)

    def kept(identifier: str) -> Path | None:
        if not identifier:
            return None
        if not _ID.match(identifier) or not (folder / identifier).is_file():
            raise ReportgenError("找不到上传的投票数据，请重新上传")
        return folder / identifier

    def options(form) -> tuple[float, int]:
        try:
            weight = float(str(form.get("weight") or 0.5))
            top = int(str(form.get("top") or 10))
        except ValueError:
            raise ReportgenError("专家权重和入选数量要填数字") from None
        return weight, top

    async def tally_page(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            report, _ = await run_in_threadpool(docs.open, name)
        except ReportgenError as exc:
            return page("error.html", 404, message=str(exc), back="/")
        if report.vote is None:
            return page("error.html", 422, message="这份文件没有投票信息（vote），不是评选手册", back=f"/doc/{name}")
        days = retention_days(docs)
        await run_in_threadpool(sweep, folder, days)
        kept_uploads = await run_in_threadpool(uploads, folder)
        if request.method == "GET":
            return page("tally.html", name=name, report=report, result=None, uploads=kept_uploads, days=days)
        form = await request.form(max_files=2, max_part_size=max_bytes)
        try:
            votes = await keep_upload(form.get("votes"))
            if votes is None:
                raise ReportgenError("请选择投票平台导出的数据文件（.csv 或 .xlsx）")
            experts = await keep_upload(form.get("experts"))
            weight, top = options(form)
            result = await run_in_threadpool(warmed, _run, docs, name, votes, experts, weight, top)
        except ReportgenError as exc:
            return page("tally.html", name=name, report=report, result=None, error=str(exc), uploads=kept_uploads,
                        days=days)
        lists = [(lst.name, sorted((c for c in result.candidates if c.list_index == i), key=lambda c: c.rank))
                 for i, lst in enumerate(report.lists)]
        kept_uploads = await run_in_threadpool(uploads, folder)
        return page("tally.html", name=name, report=report, result=result, lists=lists, uploads=kept_uploads, days=days,
                    votes=votes.name, experts=experts.name if experts else "", weight=weight, top=top)

    async def final(request: Request) -> Response:
        """Count again from the kept upload and write the final bulletin (and its audit)."""
        name = request.path_params["name"]
        form = await request.form()
        try:
            votes, experts = kept(str(form.get("votes", ""))), kept(str(form.get("experts", "")))
            if votes is None:
                raise ReportgenError("请先上传投票数据")
            weight, top = options(form)
            result = await run_in_threadpool(warmed, _run, docs, name, votes, experts, weight, top)
        except ReportgenError as exc:
            return page("error.html", 422, message=f"统计失败：{exc}", back=f"/doc/{name}/tally")
        target, audit = await run_in_threadpool(_write_final, docs, result)
        stamp = dt.datetime.now().strftime("%H:%M")
        return RedirectResponse(f"/doc/{target.name}?message=已生成（{stamp}），统计说明见 {audit.name}",
                                status_code=303)

    async def forget(request: Request) -> Response:
        """Delete one kept upload (the respondents' data) from the tally page."""
        name = request.path_params["name"]
        form = await request.form()
        identifier = str(form.get("id", ""))
        if not _ID.match(identifier):
            return page("error.html", 404, message="找不到这份投票数据", back=f"/doc/{name}/tally")
        await run_in_threadpool(lambda: (folder / identifier).unlink(missing_ok=True))
        return RedirectResponse(f"/doc/{name}/tally", status_code=303)

    return tally_page, final, forget
