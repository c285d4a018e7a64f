"""Benchmark: the written follow-up for a year of demo data, end to end.

    .venv/bin/python bench/reports.py [--runs 3]

Loads the default demo data (2023–2024) into a temporary database and prints the seconds it
takes to produce the annual report for 2024 (figures for the year and the year before, eight
charts drawn by kaleido in Chromium, the document) as PDF and as DOCX, and the meeting handout
as PDF: the median and the slowest of the runs. Each run starts its own Chromium, as a click on
the meeting page or one `python -m trygghet report` does. The issue asks for at most 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trygghet.bootstrap import prepare_store  # noqa: E402
from trygghet.demo import load_demo  # noqa: E402
from trygghet.reports import annual_report, meeting_handout  # noqa: E402

TODAY = dt.date(2025, 1, 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = prepare_store(Path(folder) / "bench.duckdb")
        load_demo(store)
        cases = {
            "annual report 2024, PDF": lambda: annual_report(store, 2024, "pdf", TODAY),
            "annual report 2024, DOCX": lambda: annual_report(store, 2024, "docx", TODAY),
            "meeting handout 11 June 2024, PDF": lambda: meeting_handout(store, dt.date(2024, 6, 11), "pdf", TODAY),
        }
        print(f"{store.activity_count()} demo activities; {args.runs} runs each")
        for name, produce in cases.items():
            seconds = []
            for _ in range(args.runs):
                start = time.perf_counter()
                _, content, _ = produce()
                seconds.append(time.perf_counter() - start)
            print(
                f"{name:<36} median {statistics.median(seconds):5.2f} s, slowest {max(seconds):5.2f} s,"
                f" {len(content) // 1024} KiB"
            )


if __name__ == "__main__":
    main()
