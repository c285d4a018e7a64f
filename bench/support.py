"""What the benchmarks share: cached demo databases of N rows, a median timer and a process's peak memory."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from trygghet.bootstrap import prepare_store
from trygghet.demo import load_demo

RESULTS = Path(__file__).resolve().parent / "results"


def demo_database(rows: int) -> Path:
    """bench/results/indicators-N.duckdb with exactly N demo rows for 2023–2024 (generated once)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"indicators-{rows}.duckdb"
    store = prepare_store(path)
    if store.activity_count() != rows:
        path.unlink()
        store = prepare_store(path)
        started = time.perf_counter()
        load_demo(store, seed=1, years=(2023, 2024), rows=rows, imported_by="bench")
        seconds = time.perf_counter() - started
        print(f"  generated and loaded {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
    return path


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def peak_mb() -> float:
    """This process's peak resident memory since its exec, in MB (Linux: VmHWM). ru_maxrss is no use in a
    child: it keeps the peak of the parent it was forked from (a test runner's, a bench's file writer's)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
