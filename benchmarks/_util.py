"""Small timing helpers shared by the benchmarks: medians, not means, because these machines are noisy."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def row(name: str, value_ms: float, baseline_ms: float | None = None) -> str:
    ratio = f"  ({value_ms / baseline_ms:.2f}× baseline)" if baseline_ms else ""
    return f"  {name:<52} {value_ms:9.1f} ms{ratio}"
