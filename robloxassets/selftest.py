"""``robloxassets --self-test``: prove that this installation works, end to end, in seconds.

Run by the packaging build on the frozen app and by the wheel test on a fresh install, so that
a build missing a resource, a Qt plugin, a Pillow decoder, SQLite's full-text search or the
ability to start worker processes fails there instead of on a creator's machine. Everything
happens in a temporary ``ROBLOXASSETS_HOME`` (deleted afterwards) with Qt offscreen unless
``QT_QPA_PLATFORM`` says otherwise. Each check prints one line; the exit code is 0 when all
passed, 1 when any failed (the line says what failed and why).

Only public entry points of the GUI are used (``create_application``, ``create_window``,
``window.pages``, ``window.page(id)``, ``window.show_page(id)`` and the page contract), so
the check keeps working while page internals change. ``ROBLOXASSETS_LAUNCHED_AT`` (seconds
since the epoch, set by whoever starts the process) makes the first line say how long the
window took to show from launch; benchmarks and the build script use it.
"""

from __future__ import annotations

import logging
import math
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from robloxassets import __version__

LAUNCHED_AT_ENV = "ROBLOXASSETS_LAUNCHED_AT"
# More files than the scanner's threshold for worker processes (scan._PROCESSES_FROM = 24),
# so the scan below must hand them to the processes.
WORKER_FILES = 48
WAIT_SECONDS = 30.0
#: A launch longer ago than this is not the one that started this process.
MAX_LAUNCH_SECONDS = 600.0

_imported_at = time.time()


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


class _Report:
    def __init__(self, out: TextIO | None) -> None:
        self.out = out
        self.failed: list[str] = []
        self.passed = 0

    def line(self, text: str) -> None:
        # A windowed Windows build has no console: then only the exit code tells.
        if self.out is not None:
            print(text, file=self.out, flush=True)

    def run(self, name: str, check: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = check()
        except CheckFailed as exc:
            self.failed.append(name)
            self.line(f"FAIL {name}: {exc}")
            return
        except Exception:
            self.failed.append(name)
            self.line(f"FAIL {name}: unexpected error\n{traceback.format_exc().rstrip()}")
            return
        self.passed += 1
        self.line(f"ok   {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")


class _WarningLog(logging.Handler):
    """Collects warnings the app logs while a check runs (e.g. "scanning on threads")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def since_launch(shown: float) -> str:
    """How long before ``shown`` (seconds since the epoch) the process was launched, from
    ``ROBLOXASSETS_LAUNCHED_AT``; without a usable value, since the self-test started.

    A value that can't be this launch's (0, a monotonic clock's reading, one inherited from
    a process started long ago, one in the future) once made this say "shown 1796170408 s
    after launch": such a value is named and ignored.
    """
    raw = os.environ.get(LAUNCHED_AT_ENV, "").strip()
    fallback = f"{shown - _imported_at:.2f} s after the self-test started"
    if not raw:
        return fallback
    try:
        launched = float(raw)
    except ValueError:
        launched = math.nan
    if math.isfinite(launched) and 0 <= shown - launched <= MAX_LAUNCH_SECONDS:
        return f"{shown - launched:.2f} s after launch"
    return f"{fallback} ({LAUNCHED_AT_ENV}={raw[:40]!r} ignored: not when this one started)"


def _require(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- the checks ------------------------------------------------------------------------------

class _SelfTest:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.app: Any = None
        self.window: Any = None
        self.samples: Path | None = None

    def wait(self, condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
        """Process Qt events until ``condition()`` holds; False if it never did in time."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                return False
            self.app.processEvents()
            time.sleep(0.005)
        return True

    def window_shown(self) -> str:
        from robloxassets.gui.app import create_application, create_window

        self.app = create_application()
        self.window = create_window()
        self.window.show()
        handle = self.window.windowHandle()
        _require(handle is not None, "the main window has no native window")
        _require(self.wait(handle.isExposed), "the main window was never shown")
        self.app.processEvents()  # the first paint
        shown = time.time()
        # CPU time since the process started: unlike the wall clock, hardly affected by
        # whatever else the machine is running.
        cpu = time.process_time()
        return (f"window shown {since_launch(shown)} ({cpu:.2f} s of CPU) on the "
                f"{self.app.platformName()} platform, "
                f"{len(self.window.pages)} pages")

    def every_page(self) -> str:
        _require(self.window is not None, "no main window")
        titles = []
        for page in self.window.pages:
            self.window.show_page(page.page_id)
            self.app.processEvents()
            _require(self.window.current_page is page, f"the {page.title} page did not show")
            titles.append(page.title)
        _require(titles, "the window has no pages")
        return ", ".join(titles)

    def resources(self) -> str:
        from robloxassets.core.resources import resource

        missing = [name for name in ("errorcodes/errorcodes.json", "icons/app.svg")
                   if not resource(*name.split("/")).is_file()]
        _require(not missing, f"bundled files missing: {', '.join(missing)}")
        samples = [p.name for p in resource("samples").iterdir() if p.name.endswith(
            (".png", ".jpg", ".gif", ".webp"))]
        _require(samples, "no sample decals bundled")
        icons = [p.name for p in resource("icons").iterdir() if p.name.endswith(".svg")]
        return f"{len(icons)} icons, {len(samples)} sample decals, knowledge base"

    def licences(self) -> str:
        from robloxassets.core.licences import (
            BUNDLED_DISTRIBUTIONS,
            PLATFORM_DISTRIBUTIONS,
            bundled_licences,
            distribution_key,
            project_licence,
        )

        _require("MIT License" in project_licence().text, "the project's licence is missing")
        found = bundled_licences()
        names = {distribution_key(licence.name) for licence in found}
        missing = [n for n in BUNDLED_DISTRIBUTIONS if n not in PLATFORM_DISTRIBUTIONS
                   and distribution_key(n) not in names]
        _require(not missing, f"no metadata for {', '.join(missing)}")
        empty = [licence.name for licence in found if not licence.text.strip()]
        _require(not empty, f"no licence text for {', '.join(empty)}")
        return f"{len(found)} bundled packages, Qt's LGPL notice"

    def text(self) -> str:
        """What Qt uses ICU for on Linux, whose data the frozen build trims
        (packaging/trim_icu.py): collation, locale case mapping, single-byte codecs, time
        zones. Elsewhere Qt uses the system's own collation and codecs."""
        from functools import cmp_to_key

        from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

        swedish = QCollator(QLocale("sv_SE"))
        order = sorted(["ö", "z", "a"], key=cmp_to_key(swedish.compare))
        _require(order == ["a", "z", "ö"], f"Swedish collation sorted {order}")
        natural = QCollator(QLocale("en_US"))
        natural.setNumericMode(True)
        files = sorted(["decal10.png", "Decal2.png", "decal1.png"],
                       key=cmp_to_key(natural.compare))
        _require(files == ["decal1.png", "Decal2.png", "decal10.png"],
                 f"natural sorting gave {files}")
        _require(QTimeZone(b"Europe/Paris").isValid(), "no time zone data")
        checked = "collation, time zones"
        if sys.platform.startswith("linux"):
            upper = QLocale("tr_TR").toUpper("i")
            _require(upper == "\u0130", f"Turkish upper case of i gave {upper!r}")
            for name in ("windows-1252", "ISO-8859-2"):
                _require(QStringDecoder(name).isValid(), f"no {name} codec")
            checked += ", case mapping, codecs"
        return checked

    def knowledge_base(self) -> str:
        from robloxassets.core.errorcodes.kb import load
        from robloxassets.core.errorcodes.search import search

        kb = load()
        _require(len(kb) > 50, f"only {len(kb)} entries in the knowledge base")
        best = search("Error Code: 279", kb).best
        _require(best is not None and best.entry.code == 279,
                 f"looking up 279 found {best.entry.id if best else 'nothing'}")
        return f"{kb.summary()}; 279 found"

    def catalogue(self) -> str:
        from robloxassets.core.catalog.model import Entry
        from robloxassets.core.catalog.store import Catalog, Query

        with Catalog() as catalog:
            _require(str(catalog.path).startswith(str(self.home)),
                     f"the catalogue is at {catalog.path}, outside the temporary home")
            catalog.add(Entry(name="Self-test brick wall", decal_id=46059313,
                              image_id=46059300, tags=("walls",)))
            path = catalog.path
        with Catalog() as catalog:  # reopened: the entry was committed
            found = catalog.search(Query(text="brick"))
            _require([e.decal_id for e in found] == [46059313],
                     f"searching the catalogue for 'brick' found {found}")
        return f"{path.name} written, reopened and searched"

    def sample_library(self) -> str:
        from robloxassets.core.images.samples import sample_library
        from robloxassets.core.images.scan import Scanner

        self.samples = sample_library()
        names = sorted(p.name for p in self.samples.iterdir() if p.is_file())
        _require(names, f"no sample decals in {self.samples}")
        items = list(Scanner(processes=False).scan([self.samples]))
        broken = [f"{Path(i.info.path).name}: {i.info.message}" for i in items
                  if i.thumbnail is None]
        _require(len(items) == len(names), f"scanned {len(items)} of {len(names)} samples")
        _require(not broken, "samples that did not decode: " + "; ".join(broken))
        formats = sorted({i.info.format or "?" for i in items})
        return f"{len(items)} samples checked ({', '.join(formats)})"

    def thumbnail(self) -> str:
        from PIL import Image
        from PySide6.QtGui import QImage, QImageReader, QPixmap

        from robloxassets.core.images.fit import fit_image
        from robloxassets.core.images.thumbnails import THUMB_SIZE, make_thumbnail, pack, unpack

        _require(self.samples is not None, "the sample library was not opened")
        assert self.samples is not None
        source = max(self.samples.iterdir(), key=lambda p: p.stat().st_size)
        with Image.open(source) as im:
            thumb = make_thumbnail(im, THUMB_SIZE)
        _require(max(thumb.width, thumb.height) <= THUMB_SIZE, "the thumbnail is too big")
        kind, data = pack(thumb)
        _require(unpack(kind, data, thumb.width, thumb.height) is not None,
                 "the packed thumbnail did not unpack")
        image = QImage(thumb.rgba, thumb.width, thumb.height, QImage.Format.Format_RGBA8888)
        _require(not QPixmap.fromImage(image).isNull(), "Qt could not show the thumbnail")
        # The Catalogue reads previews with Qt's own image plugins.
        unread = [p.name for p in self.samples.iterdir()
                  if QImageReader(str(p)).read().isNull()]
        _require(not unread, f"Qt's image plugins could not read {', '.join(unread)}")
        result = fit_image(source, self.home / "upload-ready")
        _require(result.status == "written", f"the upload-ready copy failed: {result.message}")
        width, height = result.new_size or (0, 0)
        return (f"{source.name}: {thumb.width} x {thumb.height} thumbnail, "
                f"upload-ready copy {width} x {height}")

    def worker_processes(self) -> str:
        from PIL import Image

        from robloxassets.core.images import workers
        from robloxassets.core.images.cache import ScanCache
        from robloxassets.core.images.scan import Scanner
        from robloxassets.core.images.thumbnails import PackedThumbnail

        folder = self.home / "worker-scan"
        folder.mkdir()
        for n in range(WORKER_FILES):
            Image.new("RGB", (96 + n, 64), (n * 5 % 256, 90, 160)).save(folder / f"{n:02}.png")
        pool = workers.shared_pool(2)
        executor = pool.lease()
        if executor is None:
            raise CheckFailed("worker processes are not available on this system")
        try:
            pids = {executor.submit(os.getpid).result(timeout=WAIT_SECONDS) for _ in range(4)}
        finally:
            pool.release(executor)
        _require(os.getpid() not in pids, "the work ran in this process, not a worker")
        warnings = _WarningLog()
        logger = logging.getLogger("robloxassets")
        logger.addHandler(warnings)
        try:
            cache = ScanCache()
            try:
                items = list(Scanner(cache, workers=2).scan([folder]))
            finally:
                cache.close()
        finally:
            logger.removeHandler(warnings)
        _require(not warnings.messages, "; ".join(warnings.messages))
        _require(len(items) == WORKER_FILES, f"scanned {len(items)} of {WORKER_FILES} images")
        # Results from a worker process arrive packed; threads hand over plain thumbnails.
        in_workers = sum(isinstance(i.thumbnail, PackedThumbnail) for i in items)
        _require(in_workers == WORKER_FILES,
                 f"only {in_workers} of {WORKER_FILES} images were analysed in worker processes")
        return (f"{WORKER_FILES} images analysed in worker processes "
                f"({len(pids)} of 2 started so far)")

    def library_page(self) -> str:
        _require(self.window is not None, "no main window")
        if self.samples is None:
            raise CheckFailed("the sample library was not opened")
        page = self.window.page("library")
        _require(page is not None, "the window has no library page")
        self.window.show_page("library")
        _require(page.open_paths([str(self.samples)]), "the library page refused the samples")
        count = sum(1 for p in self.samples.iterdir() if p.is_file())
        # The page's status-bar summary starts with the number of images it holds and says
        # "checking" until each has its verdict.
        def done() -> bool:
            text = page.summary()
            return text.startswith(f"{count} image") and "checking" not in text

        _require(self.wait(done),
                 f"the library page shows {page.summary()!r}, expected {count} images checked")
        return page.summary()

    def close(self) -> str:
        from robloxassets.core.images import workers

        if self.window is not None:
            from robloxassets.gui.app import dispose

            dispose(self.window)
            self.app.processEvents()
        workers.shared_pool(2).shutdown()
        return "window closed, workers stopped"


def _environment() -> str:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    except ImportError as exc:
        qt = f"no PySide6 ({exc})"
    kind = "frozen" if getattr(sys, "frozen", False) else "Python"
    return (f"robloxassets {__version__} self-test: {kind} build on {platform.system()} "
            f"{platform.machine()}, Python {platform.python_version()}, {qt}")


def main() -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    out = sys.stdout if sys.stdout is not None else sys.stderr
    report = _Report(out)
    home = Path(tempfile.mkdtemp(prefix="robloxassets-selftest-"))
    os.environ["ROBLOXASSETS_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from robloxassets.core.logs import setup_logging

    setup_logging()
    report.line(_environment())
    test = _SelfTest(home)
    try:
        report.run("window", test.window_shown)
        report.run("pages", test.every_page)
        report.run("resources", test.resources)
        report.run("licences", test.licences)
        report.run("text", test.text)
        report.run("knowledge base", test.knowledge_base)
        report.run("catalogue", test.catalogue)
        report.run("sample library", test.sample_library)
        report.run("thumbnail", test.thumbnail)
        report.run("worker processes", test.worker_processes)
        report.run("library page", test.library_page)
    finally:
        report.run("shut down", test.close)
        logging.shutdown()  # closes the log file, so the folder can go (Windows)
    if report.failed:
        report.line(f"self-test FAILED: {', '.join(report.failed)} "
                    f"({len(report.failed)} of {len(report.failed) + report.passed} checks); "
                    f"the log and files are kept in {home}")
        return 1
    shutil.rmtree(home, ignore_errors=True)
    report.line(f"self-test passed: {report.passed} checks")
    return 0
