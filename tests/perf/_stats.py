"""Small helpers shared by the benchmarks: percentiles and a verdict line."""

from __future__ import annotations

import statistics


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), nearest-rank on the sorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100.0 * (len(ordered) - 1))))
    return ordered[rank]


def spread(values: list[float]) -> str:
    """median, min, max and the inter-quartile range, for a line of figures."""
    return (
        f"median {statistics.median(values):.3f}  min {min(values):.3f}  "
        f"max {max(values):.3f}  IQR {percentile(values, 25):.3f}-{percentile(values, 75):.3f}"
    )


def verdict(name: str, met: bool, detail: str) -> str:
    line = f"BUDGET {name}: {'MET' if met else 'NOT MET'} ({detail})"
    print(line, flush=True)
    return line
