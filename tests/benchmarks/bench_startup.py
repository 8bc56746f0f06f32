"""Start-up: process start to the main window's first paint, from source and frozen, and peak RSS.

Run: uv run python -m tests.benchmarks.bench_startup [--runs 5]

Each run starts the app (`python -m app`, then `dist/commissioner/commissioner` if it was built)
with $COMMISSIONER_REPORT_FIRST_PAINT and $COMMISSIONER_EXIT_AFTER_FIRST_PAINT set: the app prints
`first-paint <epoch seconds>` when its window is first painted and then closes. Start-up is that
time minus the moment just before the process was spawned; peak RSS is the child's own maximum
resident set (wait4). Discovery browses 127.0.0.1 only; data goes to a throwaway directory.
Prints every run and the medians; asserts nothing about time. Targets: 1.5 s source, 2.5 s frozen,
RSS under 250 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FROZEN = ROOT / "dist" / "commissioner" / "commissioner"
TIMEOUT_S = 60.0


def launch_env(data_dir: str) -> dict[str, str]:
    """The environment of one run: report the first paint and exit, offscreen unless a display is set."""
    env = dict(os.environ)
    env.update({
        "COMMISSIONER_REPORT_FIRST_PAINT": "1",
        "COMMISSIONER_EXIT_AFTER_FIRST_PAINT": "1",
        "COMMISSIONER_DATA_DIR": data_dir,
    })
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_once(command: list[str]) -> tuple[float, float]:
    """(seconds to first paint, peak RSS in MB) of one start."""
    with tempfile.TemporaryDirectory(prefix="commissioner-bench-") as data_dir:
        started = time.time()
        process = subprocess.Popen(
            [*command, "--interface", "127.0.0.1", "--log-level", "WARNING"],
            env=launch_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert process.stdout is not None
        painted = None
        for line in process.stdout:
            if line.startswith("first-paint "):
                painted = float(line.split()[1])
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if painted is None:
        raise RuntimeError(f"{command[0]} exited {process.returncode} without reporting a first paint")
    return painted - started, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(label: str, command: list[str], runs: int) -> None:
    """Print every run and the median of `runs` starts."""
    times: list[float] = []
    peaks: list[float] = []
    for index in range(runs):
        seconds, rss = run_once(command)
        times.append(seconds)
        peaks.append(rss)
        print(f"{label} run {index + 1}: first paint {seconds:.3f} s, peak RSS {rss:.0f} MB", flush=True)
    print(f"{label}: median first paint {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}); peak RSS max {max(peaks):.0f} MB", flush=True)


def main() -> None:
    """Measure from source, then frozen when dist/commissioner/commissioner exists."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run_once([sys.executable, "-m", "app"])  # warm the file cache once; not counted
    measure("source", [sys.executable, "-m", "app"], args.runs)
    if FROZEN.exists():
        run_once([str(FROZEN)])
        measure("frozen", [str(FROZEN)], args.runs)
    else:
        print(f"frozen: {FROZEN} not built (bash build/build.sh); skipped", flush=True)


if __name__ == "__main__":
    main()
