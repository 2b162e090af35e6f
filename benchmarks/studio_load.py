#!/usr/bin/env python3
"""The studio under a bounded flood of local requests, printed (never asserted).

    python benchmarks/studio_load.py [--clients 24] [--requests 20] [--big-mb 2.6]

Starts ``reportgen serve`` (a child process, loopback only) on a temporary folder holding the
2020 bulletin, the 2021 ballot and a generated document of --big-mb megabytes, then runs
--clients loopback clients of --requests requests each: every fifth a live preview of the
bulletin (``/doc/NAME/check``), one in ten the home page (which lists the big document), the
rest the stylesheet. Prints the p50/p95/max of the stylesheet and the previews, and the
server's memory before, at its peak and after. Target (issue 25): the stylesheet's p95 under
100 ms while previews run; memory back near where it started.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def big_document(megabytes: float) -> str:
    item = "  - title: 第{n}件事\n    paragraphs:\n      - " + "全年举办科普活动120余场次，参与人数超过3万人。" * 20 + "\n"
    count = int(megabytes * 1024 * 1024 / len(item.encode()))
    items = "".join(item.format(n=n) for n in range(count))
    return ("association:\n  name: 测试市科学技术协会\n  short_name: 市科协\nyear: 2021\ntitle: 2021年大文件\n"
            "lists:\n- name: 十件大事\n  items:\n" + items.replace("\n  - title", "\n  - title"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--big-mb", type=float, default=2.6)
    parser.add_argument("--no-previews", action="store_true", help="static files and the home page only")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reportgen-load-"))
    for name in ("cq-kx-2020.yaml", "cq-kx-2021-ballot.yaml"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "big.yaml").write_text(big_document(args.big_mb), encoding="utf-8")
    exe = Path(sys.executable).parent / "reportgen"
    server = subprocess.Popen([str(exe), "serve", str(folder), "--no-browser"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        base = re.search(r"http://[^/\s]+", line).group(0)  # type: ignore[union-attr]
        http = httpx.Client(base_url=base, timeout=120)
        for _ in range(100):  # the address is printed just before the server listens
            try:
                http.get("/")  # the first listing parses every file once
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        time.sleep(2)  # the renderers load in the background
        body = json.dumps({"title": "2020年市科协十件大事十大亮点"}).encode()
        http.post("/doc/cq-kx-2020.yaml/check", content=body,
                  headers={"content-type": "application/json", "origin": base})
        before = rss_mb(server.pid)
        static: list[float] = []
        previews: list[float] = []
        peak = [before]
        failures = []

        def client() -> None:
            with httpx.Client(base_url=base, timeout=120, headers={"origin": base}) as own:
                for n in range(args.requests):
                    start = time.perf_counter()
                    if n % 5 == 0 and not args.no_previews:
                        answer = own.post("/doc/cq-kx-2020.yaml/check", content=body,
                                          headers={"content-type": "application/json"})
                        previews.append(time.perf_counter() - start)
                    elif n % 10 == 1:
                        answer = own.get("/")
                    else:
                        answer = own.get("/static/studio.css")
                        static.append(time.perf_counter() - start)
                    if answer.status_code != 200:
                        failures.append(answer.status_code)

        def watch(stop: threading.Event) -> None:
            while not stop.is_set():
                peak.append(rss_mb(server.pid))
                time.sleep(0.05)

        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(stop,))
        watcher.start()
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        watcher.join()
        time.sleep(1)
        after = rss_mb(server.pid)
        ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
        print(f"studio under load: {args.clients} clients × {args.requests} requests in {elapsed:.1f} s, "
              f"a {args.big_mb} MB document in the folder, {len(failures)} failed {sorted(set(failures))}")
        print(f"  stylesheet ({len(static)}): p50 {ms(statistics.median(static))}, p95 {ms(percentile(static, 0.95))}, "
              f"max {ms(max(static))}   (target: p95 < 100 ms)")
        if previews:
            print(f"  previews ({len(previews)}): p50 {ms(statistics.median(previews))}, "
                  f"p95 {ms(percentile(previews, 0.95))}, max {ms(max(previews))}")
        print(f"  server memory: {before:.0f} MB before, {max(peak):.0f} MB peak, {after:.0f} MB after")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
