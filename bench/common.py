"""Shared pieces of the benchmarks: the cached demo workspace, timing, results.

Benchmarks are not tests: they print figures as ratios against a reference measured in
the same run, because these machines are shared and noisy, and each figure with the
machine's load average when it was taken, so that a noisy run shows. They write only
under bench/.cache/ (scratch files in bench/.cache/tmp, removed as they go) and
bench/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
SCRATCH = CACHE / "tmp"
SIZE_VARIABLE = "SOCIALDESK_BENCH_SIZE"  # small, large (default) or huge: bench/run --size
SIZES = {"small": "10k contacts, 2k posts: the large demo's counts at a tenth; a few "
                  "seconds of CPU to generate",
         "large": "100k contacts, 20k posts; about 20 s of CPU to generate",
         "huge": "1M contacts, 200k posts; about 5 min of CPU to generate"}
# How each size is generated: the app's demo size, and the scale of its counts.
DEMO_SIZES = {"small": ("large", 0.1), "large": ("large", 1), "huge": ("huge", 1)}

# Temporary files and folders (tempfile's, here and in the programs started) go under
# bench/.cache/tmp: nothing a benchmark makes lands elsewhere.
SCRATCH.mkdir(parents=True, exist_ok=True)
tempfile.tempdir = os.environ["TMPDIR"] = str(SCRATCH)


def load_average() -> float:
    """The machine's load average over the last minute."""
    return round(os.getloadavg()[0], 2)

T = TypeVar("T")


@dataclass
class Result:
    """One measured figure, with its reference and goal."""

    name: str
    value: float
    unit: str
    reference: float | None = None
    goal: str = ""
    paired_ratio: float | None = None  # the median of value/reference measured in pairs
    load: float = field(default_factory=load_average)  # when the figure was taken

    @property
    def ratio(self) -> float | None:
        """The median ratio of the pairs, else value / reference, when there is one."""
        if self.paired_ratio is not None:
            return self.paired_ratio
        return self.value / self.reference if self.reference else None


def bench_size() -> str:
    """The demo size this run measures on: ``large``, or ``small`` / ``huge`` (bench/run
    --size)."""
    size = os.environ.get(SIZE_VARIABLE) or "large"
    if size not in SIZES:
        raise SystemExit(f"{SIZE_VARIABLE}={size!r}: choose one of {', '.join(SIZES)}")
    return size


def demo_workspace(size: str | None = None) -> Path:
    """The demo workspace of ``size`` (default :func:`bench_size`), generated once per
    schema version and demo version (niced: the machine is shared).

    Benchmarks open it read-only, which cannot bring an older workspace up to date.
    """
    from socialdesk.core.demo import DEMO_VERSION
    from socialdesk.store.migrations import latest_version

    size = size or bench_size()
    path = CACHE / f"{size}-seed1-v{latest_version()}-demo{DEMO_VERSION}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"Generating the {size} demo workspace once ({SIZES[size]})…", flush=True)
        nice = ["nice"] if os.name == "posix" else []
        demo_size, scale = DEMO_SIZES[size]
        if scale == 1:  # as a user makes it
            make = ["-m", "socialdesk", "demo", str(path), "--size", demo_size, "--seed", "1"]
        else:  # the command has no scale: the same generator, called directly
            make = ["-c", "import sys; from socialdesk.core.demo import create_demo; "
                    "create_demo(sys.argv[1], sys.argv[2], seed=1, scale=float(sys.argv[3]))",
                    str(path), demo_size, str(scale)]
        subprocess.run([*nice, sys.executable, *make], check=True)
    return path


def large_workspace() -> Path:
    """The workspace the run measures: the large demo, or the huge one with --size huge."""
    return demo_workspace()


def compile_app() -> None:
    """Compile SocialDesk's modules to bytecode, as an installed copy has them.

    A program started by a benchmark then starts from bytecode (the libraries have theirs),
    whatever PYTHONDONTWRITEBYTECODE says: set on some machines, it would otherwise have
    every start compile every module again.
    """
    import compileall

    compileall.compile_dir(ROOT / "src" / "socialdesk", quiet=1)


def in_turn(pair: int, ours: Callable[[], T], reference: Callable[[], T]) -> tuple[T, T]:
    """Pair number ``pair``: ours and the reference one right after the other (ours, reference).

    Which goes first alternates from pair to pair, so neither always meets a warmer cache
    or a quieter machine.
    """
    if pair % 2:
        theirs = reference()
        return ours(), theirs
    mine = ours()
    return mine, reference()


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
        "size": bench_size(),
    }


def print_table(results: list[Result]) -> None:
    """Print results as an aligned table."""
    width = max([52, *(len(r.name) for r in results)])
    print(f"{'figure':{width}} {'value':>12} {'reference':>12} {'ratio':>7} {'load':>5}  goal")
    for r in results:
        ref = f"{r.reference:.4g} {r.unit}" if r.reference is not None else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        print(f"{r.name:{width}} {r.value:>9.4g} {r.unit:2} {ref:>12} {ratio:>7} "
              f"{r.load:>5.2f}  {r.goal}")


def write_json(results: list[Result], target: Path) -> None:
    """Add results to a JSON file, each with its size, date and load average.

    A figure measured again (same name and size) replaces the one before; the others
    stay, so that running some benchmarks keeps the rest of the file.
    """
    about = machine()
    stamp = {"size": about["size"], "date": about["date"]}
    rows = [{**asdict(r), "ratio": r.ratio, **stamp} for r in results]
    try:
        kept = json.loads(target.read_text()).get("results", [])
    except (OSError, ValueError, AttributeError):
        kept = []
    new = {(row["name"], row["size"]) for row in rows}
    kept = [row for row in kept if isinstance(row, dict) and "size" in row
            and (row.get("name"), row["size"]) not in new]
    part = target.with_suffix(".part")
    part.write_text(json.dumps({"machine": about, "results": kept + rows}, indent=2))
    part.replace(target)
