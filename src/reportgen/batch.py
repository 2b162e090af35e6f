"""Batch builds: many associations and years from one manifest, on any Executor.

A manifest (YAML or TOML) lists documents::

    out: out                      # output root (relative to the manifest)
    formats: [pdf, docx]          # default formats
    theme: default                # default theme (optional)
    templates: []                 # default template folders (optional)
    documents:
      - data: ../data/cq-kx-2020.yaml
        theme: formal             # any default can be overridden per document
        out: formal               # subfolder of the output root
      - glob: ../data/*.yaml      # every data file matching

:func:`build` renders them with any :class:`concurrent.futures.Executor` (a
process pool by default; a Dask ``Client.get_executor()`` for a cluster). A
document whose data, theme, templates, fonts and formats hash the same as at
the last build, and whose outputs are still there, is left unchanged. One failing
document does not stop the others.
"""
from __future__ import annotations

import concurrent.futures as cf
import glob
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .errors import DataError, ReportgenError
from .files import temporary_prefix
from .io import atomic_write, read_yaml

STATE_FILE = ".reportgen-build.json"


@dataclass(frozen=True)
class Job:
    data: Path
    out_dir: Path
    formats: tuple[str, ...]
    theme: str | None = None
    templates: tuple[Path, ...] = ()
    timeout: float | None = 300.0

    @property
    def outputs(self) -> list[Path]:
        """The main output file of each format (a format may write more beside it)."""
        from .formats import get_format

        return [self.out_dir / f"{self.data.stem}{get_format(fmt).suffix}" for fmt in self.formats]

    @property
    def key(self) -> str:
        return str(self.out_dir / self.data.stem)


@dataclass
class JobResult:
    job: Job
    status: str                      # "rendered", "unchanged" or "failed"
    seconds: float = 0.0
    error: str = ""
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # files the render read (see Rendered.inputs)
    removed: list[Path] = field(default_factory=list)  # a failed job's outputs of an earlier build


@dataclass
class BuildReport:
    results: list[JobResult]
    seconds: float

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


# -- manifest --------------------------------------------------------------------------------------

def _load_manifest_data(path: Path) -> dict:
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise DataError(path, exc.strerror or str(exc)) from None
        except tomllib.TOMLDecodeError as exc:
            raise DataError(path, f"invalid TOML: {exc}") from None
        except RecursionError:
            raise DataError(path, "invalid TOML: nested too deeply (a manifest has two levels)") from None
        except UnicodeDecodeError:
            raise DataError(path, "not UTF-8 text; save the manifest as UTF-8") from None
    data, _ = read_yaml(path)
    return data


def _inside(path: Path, base: Path, what: str, manifest: Path, allow_outside: bool, field: str) -> Path:
    resolved = path.resolve()
    if not allow_outside and not resolved.is_relative_to(base.resolve()):
        raise DataError(manifest, f"{what} {resolved} is outside the manifest's folder {base.resolve()}; "
                        "refused (use --allow-outside to permit it)", field=field)
    return resolved


def _strings(value, manifest: Path, field: str, what: str) -> list[str]:
    if isinstance(value, str):
        value = value.split(",") if what == "formats" else [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(manifest, f"'{what}' must be a name or a list of names", field=field)
    return [v.strip() for v in value]


def read_manifest(path: Path | str, *, allow_outside: bool = False) -> list[Job]:
    """The jobs a manifest describes, paths resolved against the manifest's folder.

    Data files, outputs, themes and template folders must stay inside the manifest's
    folder unless *allow_outside* (``--allow-outside``): a manifest from elsewhere
    cannot make a build read or write anywhere on the machine.
    """
    from .render import parse_formats

    path = Path(path)
    data = _load_manifest_data(path)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list) or not data["documents"]:
        raise DataError(path, "a manifest needs a non-empty 'documents' list", field="documents")
    base = path.parent
    known = {"out", "formats", "theme", "templates", "timeout", "documents"}
    for key in data:
        if key not in known:
            raise DataError(path, f"unknown field (known: {', '.join(sorted(known))})", field=key)
    if not isinstance(data.get("out", "out"), str):
        raise DataError(path, "'out' must be a folder name", field="out")
    root = base / str(data.get("out", "out"))
    defaults = {"formats": data.get("formats", ["pdf", "docx"]), "theme": data.get("theme"),
                "templates": data.get("templates", []), "timeout": data.get("timeout", 300)}
    jobs: list[Job] = []
    for index, entry in enumerate(data["documents"]):
        where = f"documents[{index}]"
        if isinstance(entry, str):
            entry = {"data": entry}
        if not isinstance(entry, dict) or ("data" in entry) == ("glob" in entry):
            raise DataError(path, "each document needs exactly one of 'data' or 'glob'", field=where)
        extra = set(entry) - {"data", "glob", "out", "formats", "theme", "templates", "timeout"}
        if extra:
            raise DataError(path, f"unknown field {sorted(extra)[0]!r}", field=where)
        for key in ("data", "glob", "out"):
            if key in entry and not isinstance(entry[key], str):
                raise DataError(path, f"'{key}' must be text", field=f"{where}.{key}")
        if "glob" in entry:
            if Path(entry["glob"]).is_absolute():
                raise DataError(path, "a glob is relative to the manifest's folder", field=f"{where}.glob")
            try:
                files = sorted(base.glob(entry["glob"]))
            except ValueError as exc:
                raise DataError(path, f"bad glob: {exc}", field=f"{where}.glob") from None
            if not files:
                raise DataError(path, f"glob {entry['glob']!r} matches no file", field=where)
        else:
            files = [base / entry["data"]]
        settings = {**defaults, **{k: v for k, v in entry.items() if k in defaults}}
        try:
            formats = parse_formats(_strings(settings["formats"], path, f"{where}.formats", "formats"))
        except ReportgenError as exc:
            raise DataError(path, str(exc), field=f"{where}.formats") from None
        timeout = settings["timeout"]
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or timeout < 0):
            raise DataError(path, "'timeout' must be a number of seconds (0: none)", field=f"{where}.timeout")
        theme = settings["theme"]
        if theme is not None and not isinstance(theme, str):
            raise DataError(path, "'theme' must be a theme name or file", field=f"{where}.theme")
        if theme and theme.endswith((".yaml", ".yml", ".json")):
            theme = str(_inside(base / theme, base, "theme", path, allow_outside, f"{where}.theme"))
        templates = tuple(_inside(base / t, base, "template folder", path, allow_outside, f"{where}.templates")
                          for t in _strings(settings["templates"] or [], path, f"{where}.templates", "templates"))
        out_dir = _inside(root / entry.get("out", ""), base, "output folder", path, allow_outside, f"{where}.out")
        for file in files:
            jobs.append(Job(data=_inside(file, base, "data file", path, allow_outside, where),
                            out_dir=out_dir, formats=formats, theme=theme, templates=templates,
                            timeout=timeout or None))
    keys = [job.key for job in jobs]
    for key in keys:
        if keys.count(key) > 1:
            raise DataError(path, f"two documents would write {key}.*; give one of them an 'out' folder",
                            field="documents")
    return jobs


# -- hashing: what a document depends on ------------------------------------------------------------

def _hash_file(digest, path: Path) -> None:
    digest.update(str(path).encode())
    digest.update(path.read_bytes() if path.is_file() else b"<missing>")


def job_hash(job: Job) -> str:
    """Content hash of everything the job's outputs depend on (``render.document_inputs``)."""
    from .render import document_inputs

    digest = hashlib.sha256()
    digest.update(f"{__version__}|{job.formats}|{job.theme}".encode())
    inputs = document_inputs(job.data, theme=job.theme, template_dirs=job.templates)
    if inputs.theme_json:
        digest.update(inputs.theme_json.encode())
    for path in inputs.files:
        _hash_file(digest, path)
    for folder in inputs.folders:
        digest.update(folder_digest(folder).encode())
    return digest.hexdigest()


_FOLDER_CACHE: dict[tuple, str] = {}


def folder_digest(folder: Path) -> str:
    """Digest of every file in *folder*; recomputed only when a file's size or mtime changes."""
    files = sorted(f for f in folder.rglob("*") if f.is_file() and not f.name.endswith(".tmp")) \
        if folder.is_dir() else []
    key = (str(folder), tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files))
    if key not in _FOLDER_CACHE:
        digest = hashlib.sha256()
        for file in files:
            _hash_file(digest, file)
        _FOLDER_CACHE[key] = digest.hexdigest()
    return _FOLDER_CACHE[key]


# -- running ---------------------------------------------------------------------------------------

def run_job(job: Job) -> JobResult:
    """Render one document (runs in a worker; every error becomes a failed result)."""
    from .render import render_file

    start = time.perf_counter()
    try:
        result = render_file(job.data, job.out_dir, job.formats, theme=job.theme,
                             template_dirs=job.templates, timeout=job.timeout)
    except ReportgenError as exc:
        return JobResult(job, "failed", time.perf_counter() - start, str(exc))
    except Exception as exc:  # a bug must not take the whole batch down
        return JobResult(job, "failed", time.perf_counter() - start, f"{job.data}: {type(exc).__name__}: {exc}")
    return JobResult(job, "rendered", time.perf_counter() - start, outputs=result.outputs,
                     warnings=result.warnings, inputs=result.inputs)


def worker_start() -> None:
    """A pool worker: dies with the build that started it, and loads the renderers once
    so that each limited render process it forks starts warm."""
    from .limits import die_with_parent
    from .render import warm

    die_with_parent()
    warm(("pdf", "docx"))


def sweep_temporaries(job: Job) -> None:
    """Remove what an interrupted earlier build left: ``.NAME.*.tmp`` beside each output."""
    for output in job.outputs:
        if output.parent.is_dir():
            for stale in output.parent.glob(f"{glob.escape(temporary_prefix(output))}*.tmp"):
                stale.unlink(missing_ok=True)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "<missing>"


def _unchanged(entry, digest: str) -> bool:
    """The last build of a job is current: same hash, and every file it read is unchanged."""
    if not isinstance(entry, dict) or entry.get("hash") != digest or not isinstance(entry.get("inputs"), dict):
        return False
    return all(_file_digest(Path(f)) == d for f, d in entry["inputs"].items())


def _state_path(jobs: Iterable[Job]) -> Path:
    roots = [job.out_dir for job in jobs]
    return Path(os.path.commonpath([str(r) for r in roots])) / STATE_FILE


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(jobs: list[Job], *, executor: cf.Executor | None = None, jobs_n: int | None = None,
          force: bool = False, progress: Callable[[JobResult], None] | None = None) -> BuildReport:
    """Render *jobs* (skipping unchanged ones unless *force*) and return what happened."""
    start = time.perf_counter()
    state_path = _state_path(jobs)
    state = {} if force else _read_state(state_path)
    hashes = {job.key: job_hash(job) for job in jobs}
    results: list[JobResult] = []
    todo: list[Job] = []
    for job in jobs:
        if not force and _unchanged(state.get(job.key), hashes[job.key]) and all(p.exists() for p in job.outputs):
            result = JobResult(job, "unchanged", outputs=job.outputs, inputs=list(state[job.key]["inputs"]))
            results.append(result)
            if progress:
                progress(result)
        else:
            todo.append(job)
    for job in todo:
        sweep_temporaries(job)
    pool: cf.Executor | None = None
    if executor is None and todo:
        pool = executor = cf.ProcessPoolExecutor(max_workers=jobs_n or os.cpu_count() or 1,
                                                 initializer=worker_start)
    try:
        futures = {executor.submit(run_job, job): job for job in todo} if executor is not None else {}
        for future in cf.as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # the worker itself died
                result = JobResult(futures[future], "failed", error=f"{futures[future].data}: worker failed: {exc}")
            results.append(result)
            if progress:
                progress(result)
    finally:
        if pool is not None:
            pool.shutdown()
    new_state = {k: v for k, v in state.items() if k not in hashes}
    for result in results:
        if result.status == "failed" and result.job.key in state:
            # what an earlier build made of this document no longer matches its data: removed,
            # so that nobody publishes it believing it current
            for output in result.job.outputs:
                if output.is_file():
                    output.unlink()
                    result.removed.append(output)
        if result.status in ("rendered", "unchanged"):
            new_state[result.job.key] = {"hash": hashes[result.job.key],
                                         "inputs": {f: _file_digest(Path(f)) for f in result.inputs}}
    with atomic_write(state_path, "w") as handle:
        json.dump(new_state, handle, indent=1, sort_keys=True)
    order = {job.key: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job.key])
    return BuildReport(results, time.perf_counter() - start)


#: the address schemes of a Dask scheduler on another machine (``inproc://`` is one process's own)
DASK_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def dask_executor(address: str) -> cf.Executor:
    """A concurrent.futures Executor on a Dask cluster (``pip install reportgen[dask]``)."""
    scheme, sep, rest = address.strip().partition("://")
    if not sep:
        scheme, rest = "tcp", address.strip()
    if scheme.lower() not in DASK_SCHEMES or not rest or "/" in rest.rstrip("/"):
        raise ReportgenError(f"--scheduler {address}: not a Dask scheduler address; write tcp://HOST:8786 "
                             f"(schemes: {', '.join(DASK_SCHEMES)})")
    try:
        from distributed import Client
    except ImportError:
        raise ReportgenError("--scheduler needs Dask: pip install 'reportgen[dask]'") from None
    try:
        return Client(address, timeout="10s").get_executor()
    except (OSError, ValueError, TypeError, RuntimeError) as exc:  # unreachable, refused, a wrong address
        raise ReportgenError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
