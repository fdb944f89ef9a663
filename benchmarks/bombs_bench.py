"""Memory with folders of progressive JPEG bombs (issue 10, item 5): run by hand, prints a table.

    python benchmarks/bombs_bench.py [--copies 24] [--code PATH]

Two folders are made under /tmp (generated, never committed):

* ``over``: progressive JPEGs of 13375 x 13375 (a side of 8000 px or more), of two kinds:
  tiny files whose frame header claims that size, and real encoded images of that size. None
  may be decoded; the target is under 400 MB for the whole app, window and workers.
* ``under``: progressive JPEGs under 8000 px (7999 x 7999 and 6000 x 4000, real files),
  which are decoded, their whole coefficient buffer counted in the decode budget.

Each folder is run through ``check`` (worker processes: more than 24 files), ``fit`` (two
threads) and the window (Qt offscreen: open the folder, wait for every verdict, select each
image so its preview loads), each in a fresh process. The peak is the resident memory of the
process and all its descendants (fork server, workers), sampled every 20 ms from /proc.
``--code PATH`` runs another checkout (e.g. the code before the fix) for comparison.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from library_gui_bench import tree_rss_mb

ROOT = Path(tempfile.gettempdir()) / "robloxassets-bombs"

WINDOW_SCRIPT = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from robloxassets.gui import app as gui
    from robloxassets.gui.app import create_window

    def main():
        app = gui.create_application()
        app.setProperty("robloxassets.testing", True)
        window = create_window()
        window.resize(1280, 800)
        window.show()
        window.show_page("library")
        page = window.page("library")
        page.open_paths([sys.argv[1]])
        start = time.time()
        def pump(seconds):
            end = time.time() + seconds
            while time.time() < end:
                app.processEvents()
                time.sleep(0.005)
        while time.time() - start < 300:
            app.processEvents()
            if not page._scans and page.model.rows and all(r.info for r in page.model.rows):
                break
            time.sleep(0.005)
        for row in range(page.proxy.rowCount()):
            page.view.setCurrentIndex(page.proxy.index(row, 0))
            pump(1.0)  # the details panel loads its preview on the task runner
        print("checked", len(page.model.rows), flush=True)
        window.close()
        gui.dispose(window)

    if __name__ == "__main__":
        main()
""")


def header_bomb(path: Path, width: int, height: int) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 80, 40)).save(buffer, "JPEG", progressive=True)
    data = bytearray(buffer.getvalue())
    sof = data.find(b"\xff\xc2")
    struct.pack_into(">HH", data, sof + 5, height, width)
    path.write_bytes(bytes(data))


def real_progressive(path: Path, width: int, height: int) -> None:
    from PIL import Image

    if path.exists():
        return
    tile = Image.linear_gradient("L").resize((512, 512)).convert("RGB")
    im = Image.new("RGB", (width, height))
    for x in range(0, width, 512):
        for y in range(0, height, 512):
            im.paste(tile, (x, y))
    im.save(path, "JPEG", progressive=True, quality=40)
    im.close()


def build(copies: int) -> dict[str, Path]:
    cache = ROOT / "sources"
    cache.mkdir(parents=True, exist_ok=True)
    real_over = cache / "real-13375.jpg"
    real_progressive(real_over, 13375, 13375)
    real_7999 = cache / "real-7999.jpg"
    real_progressive(real_7999, 7999, 7999)
    real_6000 = cache / "real-6000x4000.jpg"
    real_progressive(real_6000, 6000, 4000)
    folders = {"over": ROOT / "over", "under": ROOT / "under"}
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for n in range(copies):
        if n % 2:
            header_bomb(folders["over"] / f"claims-{n}.jpg", 13375, 13375)
        else:
            os.link(real_over, folders["over"] / f"real-{n}.jpg")
        os.link(real_7999 if n % 2 else real_6000, folders["under"] / f"under-{n}.jpg")
    return folders


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(peak MB of the process tree, seconds, last line of output)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate(timeout=900)
    stop.set()
    sampler.join()
    lines = [line for line in output.splitlines() if line.strip()]
    return peak, time.perf_counter() - start, (lines[-1] if lines else "")[:70]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=24)
    parser.add_argument("--code", type=Path, help="another checkout to run instead")
    args = parser.parse_args()
    folders = build(args.copies)
    base_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if args.code:
        base_env["PYTHONPATH"] = str(args.code)
    script = ROOT / "window_script.py"
    script.write_text(WINDOW_SCRIPT)
    rows = []
    for name, folder in folders.items():
        for what, command in (
                ("check", [sys.executable, "-m", "robloxassets", "check", str(folder)]),
                ("fit", [sys.executable, "-m", "robloxassets", "fit", str(folder), "--out",
                         str(ROOT / f"out-{name}")]),
                ("window", [sys.executable, str(script), str(folder)])):
            home = tempfile.mkdtemp(prefix="robloxassets-bombs-home-")
            shutil.rmtree(ROOT / f"out-{name}", ignore_errors=True)
            peak, seconds, last = measure(command, {**base_env, "ROBLOXASSETS_HOME": home})
            rows.append((name, what, f"{peak:.0f} MB", f"{seconds:.1f} s", last))
            shutil.rmtree(home, ignore_errors=True)
    code = args.code or Path(__file__).resolve().parent.parent
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MB"
                      for p in sorted((ROOT / "sources").glob("*.jpg")))
    print(f"code: {code}; {args.copies} files per folder (over: 13375 x 13375, half real, "
          f"half header-only; under: 7999 x 7999 and 6000 x 4000); real files: {sizes}")
    print(f"{'folder':<7} {'run':<7} {'peak (tree)':>12} {'time':>8}  last line")
    for row in rows:
        print(f"{row[0]:<7} {row[1]:<7} {row[2]:>12} {row[3]:>8}  {row[4]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
