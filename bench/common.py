"""Shared pieces of the benchmarks: the cached large workspace, timing, results.

Benchmarks are not tests: they print figures as ratios against a reference measured in
the same run, because these machines are shared and noisy.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"


@dataclass
class Result:
    """One measured figure, with its reference and goal."""

    name: str
    value: float
    unit: str
    reference: float | None = None
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        """value / reference, when there is a reference."""
        return self.value / self.reference if self.reference else None


def large_workspace() -> Path:
    """The large demo workspace (100k contacts, 20k posts), generated once per schema version
    and demo version.

    Benchmarks open it read-only, which cannot bring an older workspace up to date.
    """
    from socialdesk.core.demo import DEMO_VERSION
    from socialdesk.store.migrations import latest_version

    path = CACHE / f"large-seed1-v{latest_version()}-demo{DEMO_VERSION}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print("Generating the large demo workspace once (about 20 s)…", flush=True)
        subprocess.run([sys.executable, "-m", "socialdesk", "demo", str(path), "--size",
                        "large", "--seed", "1"], check=True)
    return path


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int = 21) -> float:
    """The median of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "system": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def print_table(results: list[Result]) -> None:
    """Print results as an aligned table."""
    print(f"{'figure':52} {'value':>12} {'reference':>12} {'ratio':>7}  goal")
    for r in results:
        ref = f"{r.reference:.4g} {r.unit}" if r.reference is not None else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        print(f"{r.name:52} {r.value:>9.4g} {r.unit:2} {ref:>12} {ratio:>7}  {r.goal}")


def write_json(results: list[Result], target: Path) -> None:
    """Write results and the machine to a JSON file."""
    rows = [{**asdict(r), "ratio": r.ratio} for r in results]
    target.write_text(json.dumps({"machine": machine(), "results": rows}, indent=2))
