#!/usr/bin/env python3
"""Extraction figures on the corpus of forms (tests/corpus/forms-*.yaml), printed, never asserted:

    python benchmarks/extraction.py

(The development set of real texts is scored by ../shared/eval/score.py, outside the project.)

For every text: the kind, the document title, the year and the association as expected, and
how many item titles come out exactly as written; then the totals and the time per text.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportgen.extract import extract  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "corpus"
    cases = [case for path in sorted(folder.glob("forms-*.yaml"))
             for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    totals = {"kind": 0, "title": 0, "year": 0, "association": 0, "items": 0, "items_right": 0}
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            source = Path(tmp) / f"{case['name']}.txt"
            source.write_text(case["text"], encoding="utf-8")
            start = time.perf_counter()
            report = extract(source, limits=None).report
            seconds.append(time.perf_counter() - start)
            # a review's section headlines and point leads are its item titles (as the dev set's scorer counts)
            want = [title for lst in case["lists"] for title in lst["titles"]] + [
                title for _, headline, leads in case.get("sections", []) for title in [headline, *leads] if title]
            got = [item.title for lst in report.all_lists() for item in lst.items] + [
                title for s in report.sections for title in [s.headline, *(p.lead for p in s.points)] if title]
            right = sum(1 for a, b in zip(got, want) if a == b) if len(got) == len(want) else \
                len(set(got) & set(want))
            checks = {"kind": report.layout == case["kind"], "title": report.title == case["title"],
                      "year": report.year == case["year"],
                      "association": report.association.name == case.get("association", report.association.name)}
            for key, ok in checks.items():
                totals[key] += ok
            totals["items"] += len(want)
            totals["items_right"] += right
            marks = " ".join(key for key, ok in checks.items() if not ok)
            print(f"{case['name']:<44} {report.layout:<9} items {right:>2}/{len(want):<2} {marks}")
    n = len(cases)
    print(f"\n{n} texts: kind {totals['kind']}/{n}, title {totals['title']}/{n}, year {totals['year']}/{n}, "
          f"association {totals['association']}/{n}")
    print(f"item titles exactly as written: {totals['items_right']}/{totals['items']} "
          f"({100 * totals['items_right'] / max(totals['items'], 1):.1f} %)")
    print(f"time per text: median {sorted(seconds)[n // 2] * 1000:.0f} ms, first (loads jieba) "
          f"{seconds[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
