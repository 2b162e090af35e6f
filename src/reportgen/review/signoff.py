"""Sign-offs bound to the content: 初审 (editor), 复审 (department head), 终审 (leader).

A document's content hash covers what is published — the data file's content as the model
reads it (canonical JSON: comments, key order and formatting do not count, so saving
unchanged content keeps the hash) and the bytes of every picture it uses. Each stage signs
the hash it saw; 复审 needs 初审 of the same content and 终审 needs 复审; any later change
leaves the document unsigned again and says which stages are stale.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..io import load_report
from ..model import Report
from .store import ROLE_NAMES, ROLES, ReviewError, Signature, Store, User

STAGES = ("初审", "复审", "终审")


def canonical(report: Report) -> str:
    """The published content of *report* as canonical JSON (its extraction notes left out)."""
    data = report.model_dump(mode="json", exclude={"source"})
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data_file: Path, report: Report | None = None) -> str:
    """SHA-256 of the canonical content and of each picture it uses (path and bytes)."""
    data_file = Path(data_file).resolve()
    report = report or load_report(data_file)
    digest = hashlib.sha256(canonical(report).encode("utf-8"))
    folder = data_file.parent
    pictures = sorted({image.path for _, image in report.images() if image.path}
                      | ({report.association.logo} if report.association.logo else set()))
    for name in pictures:
        path = (folder / name).resolve()
        digest.update(b"\0" + name.encode("utf-8") + b"\0")
        if path.is_relative_to(folder) and path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"missing")
    return digest.hexdigest()


@dataclass(frozen=True)
class StageState:
    stage: str
    signature: Signature | None  # the latest signature of this stage, on any content
    current: bool                # signed on the content as it is now

    @property
    def stale(self) -> bool:
        return self.signature is not None and not self.current


@dataclass(frozen=True)
class Status:
    document: str
    content_hash: str
    stages: tuple[StageState, ...]
    history: tuple[Signature, ...] = ()  # every signature, oldest first

    def revisions(self) -> list[tuple[str, str, str, str]]:
        """The 校 between signed versions: ``(between, place, before, after)`` for each change
        from one signature's content to the next one's, oldest first."""
        out = []
        for a, b in zip(self.history, self.history[1:]):
            if a.content_hash != b.content_hash:
                between = f"{a.stage}（{a.user_name}）→ {b.stage}（{b.user_name}）"
                out += [(between, place, old, new) for place, old, new in changes(a.content, b.content)]
        return out

    @property
    def approved(self) -> bool:
        """终审 signed the content as it is now (and so, in order, 初审 and 复审)."""
        return self.stages[-1].current

    @property
    def stale(self) -> list[str]:
        return [s.stage for s in self.stages if s.stale]

    def next_stage(self) -> str | None:
        for state in self.stages:
            if not state.current:
                return state.stage
        return None


def status(folder: Path, name: str, store: Store) -> Status:
    """Where the review of the data file *name* in *folder* stands, on its current content."""
    current = content_hash(Path(folder) / name)
    signatures = store.signatures(name)
    states = []
    chain_ok = True
    for stage in STAGES:
        latest = next((s for s in reversed(signatures) if s.stage == stage), None)
        on_current = chain_ok and latest is not None and latest.content_hash == current
        states.append(StageState(stage, latest, on_current))
        chain_ok = on_current
    return Status(name, current, tuple(states), tuple(signatures))


def sign(folder: Path, name: str, store: Store, user: User, *, stage: str | None = None, comment: str = "",
         findings: list | None = None, channels: tuple[str, ...] = ()) -> Signature:
    """*user* signs their role's stage on the current content of *name*. Refused when the
    stage is another role's, or the stage before it has not signed this same content."""
    stage = stage or user.stage
    if stage not in STAGES:
        raise ReviewError(f"没有审核环节“{stage}”；可选 {'、'.join(STAGES)}")
    if ROLES[user.role] != stage:
        raise ReviewError(f"{user.name} 是{ROLE_NAMES[user.role]}，只能签署{user.stage}，不能签署{stage}")
    data_file = Path(folder) / name
    report = load_report(data_file)
    state = status(folder, name, store)
    index = STAGES.index(stage)
    if index and not state.stages[index - 1].current:
        before = STAGES[index - 1]
        raise ReviewError(f"{stage}要在{before}之后：{before}还没有签署当前内容"
                          + ("（内容在签署后改过）" if state.stages[index - 1].stale else ""))
    if len(comment) > 2000:
        raise ReviewError("审核意见太长（最多 2000 字）")
    return store.add_signature(name, stage, state.content_hash, user, comment.strip(), findings or [],
                               canonical(report), channels)


def changes(before: str, after: str) -> list[tuple[str, str, str]]:
    """What changed between two signed contents, by place: ``(place, before, after)`` — the
    text diff of each item, heading and paragraph (the 校 between two signatures)."""
    from ..checks import pieces

    def texts(content: str) -> dict[str, str]:
        if not content:
            return {}
        report = Report.model_validate(json.loads(content))
        return {p.place: p.text for p in pieces(report)}

    old, new = texts(before), texts(after)
    out = []
    for place in list(dict.fromkeys([*old, *new])):
        a, b = old.get(place, ""), new.get(place, "")
        if a != b:
            out.append((place, a, b))
    return out


def marked(before: str, after: str) -> str:
    """*after* with what changed since *before* marked: [-removed-]{+added+}."""
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(after[b1:b2])
            continue
        if a2 > a1:
            out.append(f"[-{before[a1:a2]}-]")
        if b2 > b1:
            out.append(f"{{+{after[b1:b2]}+}}")
    return "".join(out)
