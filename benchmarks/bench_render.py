#!/usr/bin/env python3
"""Render-speed and size figures for the 2020 bulletin (printed, never asserted).

    python benchmarks/bench_render.py [--runs 20]

Prints: cold CLI render (fresh `reportgen render` processes), warm in-process
PDF and DOCX render (median of --runs), PDF and DOCX sizes, `reportgen --help`
time, peak memory of a warm render.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "cq-kx-2020.yaml"


def reportgen() -> list[str]:
    beside = Path(sys.executable).parent / "reportgen"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "reportgen"]


def timed_process(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))

    help_s = timed_process(reportgen() + ["--help"], 5)
    cold_pdf = timed_process(reportgen() + ["render", str(DATA), "-f", "pdf", "-o", str(out)], 3)
    cold_both = timed_process(reportgen() + ["render", str(DATA), "-f", "pdf,docx", "-o", str(out)], 3)

    from reportgen.io import load_report
    from reportgen.render import Context, preflight, render_bytes, resolve_theme

    report = load_report(DATA)
    ctx = Context(data_dir=DATA.parent)
    theme = resolve_theme(report, ctx)
    preflight(report, theme, ctx)
    render_bytes(report, theme, ctx, "pdf")  # warm up: fonts loaded, templates compiled
    figures = {}
    for fmt in ("pdf", "docx"):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            blob = render_bytes(report, theme, ctx, fmt)
            times.append(time.perf_counter() - start)
        figures[fmt] = (statistics.median(times), len(blob))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"reportgen --help                 {help_s * 1000:7.0f} ms")
    print(f"cold CLI render, PDF             {cold_pdf * 1000:7.0f} ms")
    print(f"cold CLI render, PDF + DOCX      {cold_both * 1000:7.0f} ms")
    print(f"warm PDF render (median of {args.runs})   {figures['pdf'][0] * 1000:7.0f} ms")
    print(f"warm DOCX render (median of {args.runs})  {figures['docx'][0] * 1000:7.0f} ms")
    print(f"PDF size                         {figures['pdf'][1] / 1024:7.0f} KiB")
    print(f"DOCX size                        {figures['docx'][1] / 1024:7.0f} KiB")
    print(f"peak memory (warm process)       {peak_mb:7.0f} MiB")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
