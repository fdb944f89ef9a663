"""Start-up time: launch to main window shown, for the installed app and frozen builds.

    python benchmarks/startup_bench.py [--runs 9] [--xvfb] [FROZEN_EXECUTABLE ...]

Each program is started with ``--self-test``, whose first check builds the real main window
(``create_application`` + ``create_window`` + ``show``, as ``robloxassets`` does) and prints
how long after launch it was shown (``ROBLOXASSETS_LAUNCHED_AT``, set here just before the
process starts). ``python -m robloxassets`` runs under this interpreter; the baseline is a
bare PySide6 QMainWindow shown from this interpreter, the least any Qt app here can take.
Programs take turns, run after run, and one warm-up run each comes first (a warm disk).
Medians count; min and max show the spread on this shared machine. The CPU seconds the
process used until then (``time.process_time``) hardly depend on other load, so they
compare builds better than the wall clock when the machine is busy.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

BASELINE = """
import os, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 700)
window.show()
while not window.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
print(f"window shown {time.time() - float(os.environ['ROBLOXASSETS_LAUNCHED_AT']):.3f} s "
      f"after launch ({time.process_time():.3f} s of CPU)")
"""
SHOWN = re.compile(r"window shown ([\d.]+) s after launch \(([\d.]+) s of CPU\)")


def launch(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    env = {**env, "ROBLOXASSETS_LAUNCHED_AT": repr(time.time())}
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    match = SHOWN.search(result.stdout)
    if not match:
        raise SystemExit(f"{cmd}: no start-up time in its output:\n{result.stdout}"
                         f"{result.stderr}")
    return float(match.group(1)), float(match.group(2))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--xvfb", action="store_true",
                        help="use the xcb platform (run under xvfb-run) instead of offscreen")
    parser.add_argument("frozen", nargs="*", help="frozen robloxassets executables")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "ROBLOXASSETS_HOME"}
    env["QT_QPA_PLATFORM"] = "xcb" if args.xvfb else "offscreen"
    programs = {
        "bare Qt window (baseline)": [sys.executable, "-c", BASELINE],
        "python -m robloxassets": [sys.executable, "-m", "robloxassets", "--self-test"],
    }
    for path in args.frozen:
        programs[f"frozen {path}"] = [path, "--self-test"]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
    for cmd in programs.values():
        launch(cmd, env)  # warm-up
    for _ in range(args.runs):
        for name, cmd in programs.items():
            times[name].append(launch(cmd, env))
    print(f"window shown after launch, {env['QT_QPA_PLATFORM']} platform, {args.runs} runs "
          "each: wall clock median (min-max), CPU seconds of the process median (min-max)")
    for name, values in times.items():
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        print(f"  {statistics.median(wall):5.2f} s ({min(wall):.2f}-{max(wall):.2f})   "
              f"CPU {statistics.median(cpu):5.2f} s ({min(cpu):.2f}-{max(cpu):.2f})   {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
