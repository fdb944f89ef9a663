"""The Library page with a big folder, as a user sees it (run by hand, prints a table).

    python benchmarks/library_gui_bench.py [COUNT]     (default 10000; corpus from corpus.py)

Measures, in the real main window (Qt offscreen, fresh ROBLOXASSETS_HOME):
- cold open: time until the first thumbnails are painted, and until every image is checked;
- warm reopen (a new process, cache hot): time until the grid is complete (every row has its
  verdict) and until the first thumbnails are painted;
- browsing, in that second process: scrolling the whole grid while thumbnails load back from
  the cache, and that process's peak resident memory (the cold scan's peak is shown apart).
Targets (issue 2): first thumbnails < 0.5 s, warm grid complete < 1 s, peak memory < 400 MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# The warm run (a child process) inherits the parent's folder, so its cache is hot.
os.environ.setdefault("ROBLOXASSETS_HOME", tempfile.mkdtemp(prefix="robloxassets-guibench-"))
sys.path.insert(0, str(Path(__file__).parent))

from corpus import ensure_corpus
from library_bench import worker_peaks_mb

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

_first_paint: list[float] = []


def record_first_paint() -> None:
    """Note when the grid first paints a thumbnail. Done in main(), not on import: the
    scanner's worker processes import this script too, and need no Qt."""
    from robloxassets.gui.library.delegate import LibraryDelegate
    from robloxassets.gui.library.model import Role

    original = LibraryDelegate.paint

    def recording_paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        if not _first_paint and index.data(Role.THUMBNAIL) is not None:
            _first_paint.append(time.perf_counter())
        original(self, painter, option, index)

    LibraryDelegate.paint = recording_paint  # type: ignore[method-assign]


def peak_mb() -> float:
    """Peak resident memory of this process image. VmHWM, not getrusage's ru_maxrss: Linux
    carries ru_maxrss over fork and exec, so a child would report its parent's peak."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def tree_rss_mb(root: int | None = None) -> float:
    """Resident memory of this process (or ``root``) and all its descendants (the scanner's
    fork server and worker processes), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [os.getpid() if root is None else root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total / 2**20


class TreePeak:
    """Samples ``tree_rss_mb`` five times a second in a thread until stopped."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, tree_rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def pump_until(app: QApplication, done, timeout: float) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(0.002)
    return time.perf_counter() - start


def open_window(app: QApplication):
    from robloxassets.gui.app import create_window

    window = create_window()
    window.resize(1280, 800)
    window.show()
    window.show_page("library")
    app.processEvents()
    return window


def all_checked(page) -> bool:
    return not page._scans and bool(page.model.rows) and \
        all(r.info is not None for r in page.model.rows)


def scroll_everything(app: QApplication, page) -> tuple[float, int]:
    """Scroll the grid top to bottom a screen at a time, letting thumbnails load."""
    view = page.view
    bar = view.verticalScrollBar()
    start = time.perf_counter()
    steps = 0
    for value in range(0, bar.maximum() + 1, max(1, view.viewport().height())):
        bar.setValue(value)
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            app.processEvents()
        steps += 1
    return time.perf_counter() - start, steps


def cold_run(count: int, folder: Path) -> list[tuple[str, str, str]]:
    """Open the folder with no cache; the window's settings keep the folder for the warm run."""
    from robloxassets.gui.app import create_application, dispose

    app = create_application()
    results: list[tuple[str, str, str]] = []
    window = open_window(app)
    page = window.page("library")
    _first_paint.clear()
    sampler = TreePeak()
    start = time.perf_counter()
    page.open_paths([str(folder)])
    pump_until(app, lambda: bool(_first_paint), 60)
    results.append(("cold: first thumbnails painted", f"{_first_paint[0] - start:.2f} s",
                    "target < 0.5 s"))
    pump_until(app, lambda: all_checked(page), 3600)
    cold = time.perf_counter() - start
    results.append(("cold: every image checked", f"{cold:.1f} s",
                    f"{count / cold:.0f} images/s incl. thumbnails and cache writes"))
    results.append(("cold: memory after the scan", f"{rss_mb():.0f} MB", ""))
    results.append(("cold: peak memory while scanning", f"{peak_mb():.0f} MB", "this process"))
    results.append(("cold: peak of all its processes", f"{sampler.stop():.0f} MB",
                    "window + scanner workers, sampled 5x a second"))
    results.append(("cold: worker processes' peaks",
                    " + ".join(f"{mb:.0f}" for mb in worker_peaks_mb()) + " MB",
                    "they stop after 30 s idle"))
    dispose(window)
    return results


def warm_run() -> list[tuple[str, str, str]]:
    """A new process (cache hot) reopens the folder, then browses the whole grid."""
    from robloxassets.gui.app import create_application, dispose

    app = create_application()
    results: list[tuple[str, str, str]] = []
    _first_paint.clear()
    start = time.perf_counter()
    window = open_window(app)  # restores the folder from settings
    page = window.page("library")
    complete = pump_until(app, lambda: all_checked(page), 600)
    pump_until(app, lambda: bool(_first_paint), 60)
    results.append(("warm reopen: grid complete", f"{complete:.2f} s", "target < 1 s"))
    results.append(("warm reopen: first thumbnails painted",
                    f"{_first_paint[0] - start:.2f} s", ""))
    seconds, steps = scroll_everything(app, page)
    results.append(("browse: scroll the whole grid", f"{seconds:.1f} s",
                    f"{steps} screens; {len(page.model.thumbnails)} thumbnails in memory, "
                    f"{page.model.thumbnails.used_bytes / 2**20:.0f} MB"))
    results.append(("browse: peak memory (this process)", f"{peak_mb():.0f} MB",
                    "target < 400 MB"))
    dispose(window)
    return results


def print_table(title: str, results: list[tuple[str, str, str]]) -> None:
    print(title)
    width = max(len(r[0]) for r in results)
    for label, value, note in results:
        print(f"  {label:<{width}}  {value:>9}  {note}")


def main() -> int:
    record_first_paint()
    if sys.argv[1:2] == ["--warm"]:
        print(json.dumps(warm_run()))
        return 0
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    folder = ensure_corpus(count)
    results = cold_run(count, folder)
    child = subprocess.run([sys.executable, __file__, "--warm"], capture_output=True,
                           text=True, env=os.environ, check=True)
    results += [tuple(r) for r in json.loads(child.stdout.strip().splitlines()[-1])]
    print_table(f"\nLibrary GUI with {count:,} images ({folder})", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
