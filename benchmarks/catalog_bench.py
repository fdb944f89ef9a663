"""Catalogue speed with a large catalogue (default 100,000 entries), printed as a table.

Run by hand: ``python benchmarks/catalog_bench.py [--entries N]``. It works in a temporary
ROBLOXASSETS_HOME and measures:

* importing an N-row CSV (target < 10 s for 100,000),
* search-as-you-type: every keystroke of a few queries, as the Catalogue page runs it
  (target < 30 ms per keystroke),
* opening the Catalogue page's model: its first fetch, with Qt offscreen (target < 300 ms);
  the model and the page read on the window's reader thread, so their steps are timed until
  the answer is shown, with the UI thread's own share beside it,
* exporting the Luau module (target < 2 s).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ADJECTIVES = ("red", "blue", "mossy", "cracked", "shiny", "old", "neon", "wooden", "stone",
              "rusty", "golden", "dark", "frozen", "sandy", "glass", "pixel", "grassy",
              "metal", "brick", "painted")
NOUNS = ("wall", "floor", "door", "sign", "window", "roof", "crate", "logo", "poster",
         "banner", "tile", "panel", "icon", "button", "badge", "portrait", "map", "face",
         "shirt", "sky")
TAGS = ("ui", "terrain", "shop", "lobby", "obby", "city", "forest", "desert", "winter",
        "halloween", "icons", "signs", "buildings", "faces", "clothing", "vehicles",
        "weapons", "pets", "particles", "skybox")
STATUSES = ("draft", "in-review", "approved", "approved", "approved", "rejected", "archived")
QUERIES = ("brick wall", "neon sign 42", "halloween", "rbxassetid://1000050")
_APP = None
TARGETS = {"import": 10.0, "keystroke": 0.030, "open": 0.300, "luau": 2.0}


def write_csv(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["decal_id", "image_id", "name", "tags", "status", "notes", "width",
                         "height", "sha256"])
        for n in range(count):
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {n}".capitalize()
            tags = ", ".join(rng.sample(TAGS, rng.randint(0, 3)))
            side = rng.choice((256, 512, 1024))
            writer.writerow([1_000_000 + 2 * n, 1_000_001 + 2 * n, name, tags,
                             rng.choice(STATUSES), f"uploaded batch {n // 500}", side, side,
                             f"{rng.getrandbits(256):064x}"])


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--no-gui", action="store_true", help="skip the Qt model measurement")
    args = parser.parse_args(argv)

    home = tempfile.mkdtemp(prefix="catalog-bench-")
    os.environ["ROBLOXASSETS_HOME"] = home
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from robloxassets.core.catalog import codegen, transfer
    from robloxassets.core.catalog.store import Catalog, Query

    rows: list[tuple[str, str, str]] = []

    def row(what: str, seconds: float, target: float | None, note: str = "") -> None:
        verdict = "" if target is None else ("ok" if seconds < target else "SLOW")
        limit = "" if target is None else f"< {target * 1000:,.0f} ms"
        rows.append((what, f"{seconds * 1000:,.1f} ms", limit, verdict, note))

    csv_path = Path(home) / "entries.csv"
    write_csv(csv_path, args.entries)
    catalog = Catalog()
    seconds, report = timed(transfer.import_file, catalog, csv_path)
    row(f"import {args.entries:,}-row CSV", seconds, TARGETS["import"],
        f"{report.added:,} added")

    # What the page runs per keystroke: the first page of matches (the rest loads on scroll).
    page = 501
    keystrokes: list[float] = []
    worst = ("", 0.0)
    for text in QUERIES:
        for end in range(1, len(text) + 1):
            prefix = text[:end]
            seconds, ids = timed(catalog.ids, Query(text=prefix), page)
            keystrokes.append(seconds)
            if seconds > worst[1]:
                worst = (f"{prefix!r}: {catalog.count(Query(text=prefix)):,} matches", seconds)
    row("search keystroke, median", statistics.median(keystrokes), TARGETS["keystroke"],
        f"{len(keystrokes)} keystrokes of {len(QUERIES)} queries")
    row("search keystroke, worst", worst[1], TARGETS["keystroke"], worst[0])
    query = Query(text="b", tag="ui", sort="updated", descending=True)
    seconds, _ = timed(catalog.ids, query, page)
    row("keystroke + tag filter + sort by date", seconds, TARGETS["keystroke"],
        f"{catalog.count(query):,} matches")
    seconds, _ = timed(catalog.ids, Query(text="b", sort="tags"), page)
    row("keystroke, sorted by tags (no index)", seconds, TARGETS["keystroke"])
    seconds, ids = timed(catalog.ids, Query(text="b"))
    row("every match of 'b' (scrolling past 500)", seconds, None, f"{len(ids):,} rows")
    seconds, _ = timed(catalog.count, Query(text="b"))
    row("count matches of 'b' (after typing pauses)", seconds, None)

    seconds, entries = timed(catalog.iter_all)
    row("read all entries for export", seconds, None)
    seconds, text = timed(codegen.luau_module, entries)
    row(f"Luau code for {len(entries):,}", seconds, None, f"{len(text) // 1024:,} KiB")
    out = Path(home) / "assets.luau"

    def export_luau() -> None:
        transfer.write_export(out, codegen.luau_module(catalog.code_sources()))

    seconds, _ = timed(export_luau)
    row("Luau export (read + generate + write)", seconds, TARGETS["luau"])
    seconds, text = timed(transfer.csv_text, entries)
    row("CSV text for export", seconds, None)
    catalog.close()

    seconds, reopened = timed(Catalog)
    row("open the catalogue file (checks it)", seconds, None)
    reopened.close()

    if not args.no_gui:
        measure_model(row)

    width = max(len(r[0]) for r in rows)
    print(f"\nCatalogue benchmark, {args.entries:,} entries (Python "
          f"{sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version})\n")
    print(f"{'what':<{width}}  {'time':>12}  {'target':>10}  verdict  note")
    for what, time_text, limit, verdict, note in rows:
        print(f"{what:<{width}}  {time_text:>12}  {limit:>10}  {verdict:<7}  {note}")
    return 0


def measure_model(row) -> None:
    """The page's table model and the page itself. The model reads on the window's reader
    thread, so each step is timed until its answer is shown (what the user waits for), and
    the UI thread's own share of it is said beside it (what could make the window stutter).
    """
    try:
        from PySide6.QtWidgets import QApplication

        from robloxassets.gui.catalog.model import CatalogModel
        from robloxassets.gui.catalog_access import CatalogAccess
    except ImportError as exc:
        row(f"model: not measured ({exc})", 0.0, None)
        return

    global _APP
    # The application must outlive every widget made here, so it is kept at module level.
    _APP = app = QApplication.instance() or QApplication([])

    def until(done) -> tuple[float, float]:
        """Wall-clock and UI-thread CPU seconds until ``done()`` is true."""
        start, cpu = time.perf_counter(), time.thread_time()
        while not done():
            app.processEvents()
            time.sleep(0.0005)
        return time.perf_counter() - start, time.thread_time() - cpu

    access = CatalogAccess()

    def first_rows(model: CatalogModel) -> bool:
        # The rows are shown (the count of matches follows a moment after typing pauses).
        return not model.loading and all(model.entry(r)
                                         for r in range(min(40, model.rowCount())))

    start = time.perf_counter()
    model = CatalogModel(access)
    seconds, _ = until(lambda: first_rows(model))
    row("open page model + first 40 rows", time.perf_counter() - start, TARGETS["open"],
        f"{model.rowCount():,} rows")
    times, shares = [], []
    for text in QUERIES:
        for end in range(1, len(text) + 1):
            model.set_search(text[:end])
            seconds, cpu = until(lambda: first_rows(model))
            times.append(seconds)
            shares.append(cpu)
    row("model keystroke (query + first rows in), median", statistics.median(times),
        TARGETS["keystroke"], f"UI thread {statistics.median(shares) * 1000:.1f} ms")
    row("model keystroke, worst", max(times), TARGETS["keystroke"],
        f"UI thread {max(shares) * 1000:.1f} ms")
    model.set_search("")
    until(lambda: first_rows(model))
    model.fetchMore()
    seconds, cpu = until(lambda: not model.loading and not model.canFetchMore())
    row("model: scroll past the first page", seconds, None,
        f"{model.rowCount():,} rows; UI thread {cpu * 1000:.1f} ms")
    model.sort(2, 1)
    seconds, cpu = until(lambda: first_rows(model))
    row("model sort by decal ID, descending", seconds, None, f"UI thread {cpu * 1000:.1f} ms")
    model.stop()
    access.shutdown()
    app.processEvents()

    from robloxassets.core.settings import Settings
    from robloxassets.gui.catalog.page import CatalogPage
    from robloxassets.gui.page import PageContext
    from robloxassets.gui.progress import ProgressHub
    from robloxassets.gui.tasks import TaskRunner

    tasks = TaskRunner()
    access = CatalogAccess()
    context = PageContext(Settings(), tasks, ProgressHub(), access)

    start = time.perf_counter()
    page = CatalogPage(context)
    page.resize(1100, 800)
    page.show()
    until(lambda: page.model is not None and first_rows(page.model))
    page.grab()  # paint the first screen of rows
    row("open the Catalogue page (widgets, model, painted)", time.perf_counter() - start,
        TARGETS["open"], f"{page.model.rowCount():,} rows fetched")

    times, shares = [], []
    for text in QUERIES:
        for end in range(1, len(text) + 1):
            start, cpu = time.perf_counter(), time.thread_time()
            page.search.setText(text[:end])
            until(lambda: first_rows(page.model))
            page.table.viewport().grab()
            times.append((time.perf_counter() - start, text[:end]))
            shares.append(time.thread_time() - cpu)
        page.search.setText("")
        until(lambda: first_rows(page.model))
    row("page keystroke (query + repaint), median", statistics.median(t for t, _ in times),
        TARGETS["keystroke"], f"{len(times)} keystrokes; UI thread "
        f"{statistics.median(shares) * 1000:.1f} ms")
    worst = max(times)
    row("page keystroke, worst", worst[0], TARGETS["keystroke"],
        f"{worst[1]!r}; UI thread at most {max(shares) * 1000:.1f} ms")
    page.shutdown()
    tasks.abort_all()
    access.shutdown()
    page.close()
    page.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
