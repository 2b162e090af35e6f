"""What the editor page shows beside the form: the warnings and language findings by field,
the figures that will be bold in each item, and the history of saved versions with who saved
them. Read in a worker thread for each page and each preview."""
from __future__ import annotations

from pathlib import Path

from .documents import Folder


def warnings_of(report, data_file: Path) -> list[dict[str, str]]:
    """What ``validate`` warns about and what the 初审's checks find (``reportgen check``,
    with the folder's checks.yaml), in Chinese, each with the form field it is about."""
    from ..checks import check_report, config_beside
    from ..yearly import consistency_findings

    out = [{"field": w.field, "message": w.chinese} for w in consistency_findings(report)]
    for finding in check_report(report, config_beside(data_file)):
        out.append({"field": finding.field, "message": finding.chinese, "severity": finding.severity,
                    "beside": finding.said})
    return out


def figures_of(report) -> dict[str, str]:
    """The figures that will be bold in each item, by the form's key of the item: ``0.3``
    (first list, fourth item) or ``a0b2.3`` (a list inside an article)."""
    from ..metrics import find_all

    def bold(item) -> str:
        return "、".join(m.text for p in item.paragraphs for m in find_all(p))

    figures = {f"{i}.{j}": bold(item) for i, lst in enumerate(report.lists) for j, item in enumerate(lst.items)}
    figures.update({f"a{a}b{b}.{j}": bold(item) for a, article in enumerate(report.articles)
                    for b, block in enumerate(article.body) if hasattr(block, "list")
                    for j, item in enumerate(block.list.items)})
    return figures


def history_of(docs: Folder, name: str) -> list[dict[str, str]]:
    """The 20 newest saved versions: the file's name, when, what the save changed and (with
    users) who saved it, from the audit log."""
    from ..review import Store, has_users
    from .history import changes

    entries = docs.history(name)[:20]
    who: dict[str, str] = {}
    if entries and has_users(docs.root):
        with Store(docs.root) as store:
            who = {detail: user for _, user, action, _, detail in store.audit(name) if action == "保存"}
    return [{"file": entry.name, "what": what, "who": who.get(entry.name, "")}
            for entry, what in zip(entries, changes(entries, docs.path(name)))]
