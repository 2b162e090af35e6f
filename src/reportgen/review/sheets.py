"""The 信息发布审核表: the document, its channels, the three stages (who, when, comment, content
hash), the findings of ``reportgen check`` at each signature, and what changed between the
signed versions (the three 校) — as an Excel workbook (openpyxl) or a PDF (WeasyPrint, the
bundled fonts)."""
from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

from .signoff import Status, marked
from .store import Signature

CHANNELS = "印刷 PDF、Word 文件、公众号文章、长图"
PLEDGE = "谁上传谁负责、谁审核谁负责、谁签发谁负责"


def _when(at: str) -> str:
    return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")


def _channel(name: str) -> str:
    """A format as people call it (its label in the format table; its name if it has none)."""
    from ..formats import FORMATS

    fmt = FORMATS.get(name)
    return (fmt.label or fmt.name.upper()) if fmt else name


def _findings(signature: Signature) -> str:
    counts = {severity: sum(f.get("severity") == severity for f in signature.findings)
              for severity in ("error", "warning", "note")}
    read = "、".join(_channel(c) for c in signature.channels.split(",") if c)
    return (f"错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['note']}"
            + (f"；已与数据核对：{read}" if read else "；未核对各渠道"))


def _rows(title: str, state: Status):
    """The sheet's content, shared by both formats: (heading rows, stage rows, finding rows, change rows)."""
    head = [("文稿标题", title), ("数据文件", state.document), ("发布渠道", CHANNELS),
            ("当前内容指纹", state.content_hash),
            ("审核状态", "终审已签发，可以发布" if state.approved else
             f"未完成（待{state.next_stage()}）" + (f"；{'、'.join(state.stale)}的签署已过期（内容在签署后改过）"
                                                  if state.stale else ""))]
    stages = []
    for stage_state in state.stages:
        s = stage_state.signature
        if s is None:
            stages.append((stage_state.stage, "", "", "", "", "未签署"))
        else:
            stages.append((stage_state.stage, s.user_name, _when(s.at), s.comment, s.content_hash[:16],
                           _findings(s) + ("" if stage_state.current else "；已过期：内容在签署后改过")))
    findings = []
    for stage_state in state.stages:
        s = stage_state.signature
        for f in (s.findings if s else []):
            findings.append((stage_state.stage, f.get("place", ""), {"error": "错误", "warning": "警告", "note": "提示"}
                             .get(f.get("severity", ""), ""), f"{f.get('standard', '')}·{f.get('name', '')}",
                             f.get("written", ""), f.get("suggestion", "")))
    diffs = [(between, place, marked(old, new)) for between, place, old, new in state.revisions()]
    return head, stages, findings, diffs


def sheet_xlsx(title: str, state: Status) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    head, stages, findings, diffs = _rows(title, state)
    book = Workbook()
    sheet = book.active
    sheet.title = "审核表"
    sheet.append(["信息发布审核表"])
    sheet["A1"].font = Font(size=16, bold=True)
    for row in head:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["审核环节", "审核人", "时间", "审核意见", "内容指纹", "签署时的检查结果"])
    for row in stages:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([PLEDGE])
    for width, column in zip((14, 16, 18, 40, 20, 40), "ABCDEF"):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    checks = book.create_sheet("检查结果")
    checks.append(["签署环节", "位置", "级别", "规则", "原文", "应为"])
    for row in findings:
        checks.append(list(row))
    校 = book.create_sheet("三校修改")
    校.append(["两次签署之间", "位置", "修改（[-删去-]{+增加+}）"])
    for row in diffs:
        校.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_pdf(title: str, state: Status) -> bytes:
    from ..render.fonts import BUNDLED_SANS, font_face_css
    from ..render.pdf import html_to_pdf, virtual_url

    head, stages, findings, diffs = _rows(title, state)
    e = html.escape

    def table(header, rows) -> str:
        return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
                + "</table>")

    body = ("<h1>信息发布审核表</h1>"
            + "<table class=head>" + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in head) + "</table>"
            + "<h2>三审</h2>" + table(["审核环节", "审核人", "时间", "审核意见", "内容指纹", "签署时的检查结果"], stages)
            + "<h2>签署时的检查结果</h2>"
            + (table(["环节", "位置", "级别", "规则", "原文", "应为"], findings) if findings else "<p>无</p>")
            + "<h2>三校：两次签署之间的修改</h2>"
            + (table(["两次签署之间", "位置", "修改（[-删去-]{+增加+}）"], diffs) if diffs else "<p>无</p>")
            + f"<p class=pledge>{PLEDGE}</p>")
    page = (f"<!doctype html><html lang=zh-CN><meta charset=utf-8><style>{font_face_css(virtual_url('fonts'))}"
            f"@page {{ size: A4; margin: 20mm 18mm; }} body {{ font-family: '{BUNDLED_SANS}'; font-size: 10pt; }}"
            "h1 { text-align: center; font-size: 18pt; } h2 { font-size: 12pt; margin-top: 14pt; }"
            "table { width: 100%; border-collapse: collapse; } th, td { border: 0.5pt solid #444; padding: 3pt 4pt;"
            " vertical-align: top; text-align: left; word-break: break-all; } th { background: #eee; white-space: nowrap; }"
            ".pledge { margin-top: 18pt; text-align: center; font-weight: bold; }</style>"
            f"<body>{body}</body></html>")
    folder = Path(__file__).resolve().parent
    return html_to_pdf(page, {"data": folder}, allowed=(folder,))
