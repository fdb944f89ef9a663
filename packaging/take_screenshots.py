"""Take the README/AppStream screenshots of every page, full size and 800 px wide.

    xvfb-run -a python packaging/take_screenshots.py [OUT_DIR] [--more DIR]

(or ``QT_QPA_PLATFORM=offscreen python packaging/take_screenshots.py``; with no display it
goes offscreen by itself). Uses a throw-away ROBLOXASSETS_HOME seeded with the sample decals
and a few catalogue entries, then, for every page of ``gui.pages.page_classes()`` in
navigation order, shows it through the window's public entry points and saves
``<slug>.png`` at 1280 px and ``<slug>-800.png`` at 800 px, the slug made from the page's
title ("Error codes" -> ``error-codes.png``). A page added to ``page_classes()`` gets its two
pictures with no edit here; to show it with sample data instead of its empty state, add a
filler (the hook):

    @fills("uploads")
    def _uploads(shots: Shots, page: Page) -> None:
        ...  # put sample data in the page; shots.wait(condition) / shots.window as needed

Then ``about.png`` (Help > About) and, from a creator's folder of 44 good and bad files
(``make_library.py``) after "Prepare for upload", ``library-prepared.png``. ``--more DIR``
also saves the other views of that folder there: the copies, a multi-selection, a corrupt
file, a long verdict at 800 px.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.images.samples import sample_library
from robloxassets.gui.app import create_application, create_window, dispose
from robloxassets.gui.page import Page

#: The window's size for the full-size pictures, and the narrow width (UX: beside Studio).
FULL_SIZE = (1280, 760)
NARROW_WIDTH = 800


def pump(app, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


def wait(app, done, seconds: float = 60) -> None:
    """Process events until ``done()`` (or give up after ``seconds``)."""
    end = time.time() + seconds
    while not done() and time.time() < end:
        app.processEvents()
        time.sleep(0.02)
    pump(app, 0.5)  # repaints, thumbnails read back


def narrow(app, window, width: int = NARROW_WIDTH) -> None:
    for _ in range(3):  # the dock moves below first, then the window gets there
        window.resize(width, FULL_SIZE[1])
        pump(app, 0.3)


def slug(title: str) -> str:
    """A file name from a page's title: "Error codes" -> "error-codes"."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "page"


class Shots:
    """What a filler gets: the application, the window, and waiting helpers."""

    def __init__(self, app: Any, window: Any, settle: float = 1.5) -> None:
        self.app = app
        self.window = window
        self.settle = settle

    def pump(self, seconds: float | None = None) -> None:
        pump(self.app, self.settle if seconds is None else seconds)

    def wait(self, done: Callable[[], bool], seconds: float = 60) -> None:
        wait(self.app, done, seconds)


Filler = Callable[[Shots, Page], None]
#: page_id -> what puts sample data in that page before its pictures (the hook).
FILLERS: dict[str, Filler] = {}


def fills(page_id: str) -> Callable[[Filler], Filler]:
    def register(filler: Filler) -> Filler:
        FILLERS[page_id] = filler
        return filler
    return register


@fills("library")
def _library(shots: Shots, page: Any) -> None:
    samples = sample_library()
    page.open_paths([str(samples)])
    count = sum(1 for p in samples.iterdir() if p.is_file())
    # As the self-test does: the summary counts the images and says "checking" until done.
    shots.wait(lambda: page.summary().startswith(f"{count} image")
               and "checking" not in page.summary())
    row = page.model.row_for_path(str(samples / "brick wall.png"))
    page.view.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row)))


@fills("catalog")
def _catalog(shots: Shots, page: Any) -> None:
    shots.pump()
    page.select_ids([1])


@fills("errors")
def _errors(shots: Shots, page: Page) -> None:
    shots.window.show_page("errors", "Teleport Failed: Attempted to teleport to a place that "
                                     "is restricted. (Error Code: 773)")


def page_shots(shots: Shots, out: Path) -> list[Path]:
    """``<slug>.png`` and ``<slug>-800.png`` of every page of the window, in its order."""
    window, saved = shots.window, []
    for page in window.pages:
        window.resize(*FULL_SIZE)
        window.show_page(page.page_id)
        filler = FILLERS.get(page.page_id)
        if filler is not None:
            filler(shots, page)
        shots.pump()
        name = slug(page.title)
        for path in (out / f"{name}.png", out / f"{name}-{NARROW_WIDTH}.png"):
            if path.name.endswith(f"-{NARROW_WIDTH}.png"):
                narrow(shots.app, window)
                shots.pump()
            window.grab().save(str(path))
            saved.append(path)
    window.resize(*FULL_SIZE)
    return saved


def about_shot(shots: Shots, out: Path) -> Path:
    """Help > About, PySide6's notice selected, through the window's own action."""
    from robloxassets.gui.about import AboutDialog

    shots.window.act_about.trigger()
    dialog = shots.window.findChild(AboutDialog)
    shots.wait(lambda: dialog.loaded)
    dialog.select("PySide6_Essentials")
    shots.pump(0.5)
    path = out / "about.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def busy_shots(app, window, readme: Path, more: Path | None) -> None:
    """The Library with a real-looking folder, prepared copies, a selection, 800 px: the
    README's two (``library-prepared.png``, ``library-busy-800.png``) in ``readme``, all of
    them in ``more``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_library beside this file
    from make_library import make_library

    from robloxassets.core.images.info import Verdict

    out = more or Path(tempfile.mkdtemp(prefix="robloxassets-more-shots-"))
    out.mkdir(parents=True, exist_ok=True)

    def save(name: str, *also: Path) -> None:
        image = window.grab()
        for folder in (out, *also):
            image.save(str(folder / name))

    root = make_library(Path(os.environ["ROBLOXASSETS_HOME"]) / "creator")
    library = window.page("library")
    library.close_all()
    window.show_page("library")
    window.resize(*FULL_SIZE)
    library.open_paths([str(root)])

    def idle() -> bool:
        return (not library._scans and bool(library.model.rows)
                and all(r.info for r in library.model.rows) and library.copies.worker is None)

    wait(app, idle)
    ready = root / "upload-ready"
    targets = [i.path for i in library.prepare_targets()]
    library.preparer.start(targets, str(ready), 1024, False)
    wait(app, lambda: library.preparer.worker is None, 300)
    wait(app, lambda: idle() and library.model.row(str(root / "huge_4096.png")).prepared)

    def select(*paths: Path) -> None:
        view = library.view
        view.clearSelection()
        for path in paths:
            index = library.proxy.mapFromSource(
                library.model.index(library.model.row_for_path(str(path))))
            view.selectionModel().select(index, view.selectionModel().SelectionFlag.Select)
            view.scrollTo(index)
        pump(app, 1.5)

    select(root / "huge_4096.png")
    wait(app, lambda: library.details._after_size is not None)  # a 4096 px preview takes a while
    save("library-prepared.png", readme)
    library.folder_combo.setCurrentIndex(library.folder_combo.findData(str(ready)))
    select(ready / "huge_4096.png")
    save("library-copies.png")
    library.reset_filters()
    everything = [Path(r.path) for r in library.model.rows if r.folder == str(root)]
    select(*everything)
    library.view.scrollToTop()
    pump(app, 0.5)
    save("library-selection.png")
    corrupt = next(Path(r.path) for r in library.model.rows
                   if r.info and r.info.verdict is Verdict.CORRUPT)
    select(corrupt)
    save("library-corrupt.png")
    narrow(app, window)
    select(root / "brick wall.png")
    save("library-busy-800.png", readme)
    spinner = root / "logos" / "loading spinner.gif"
    select(spinner)
    save("library-800-long-verdict.png")


def seed_catalogue() -> None:
    """A few entries in the catalogue of the current home, linked to the sample decals."""
    samples = sample_library()

    def sha(name: str) -> str:
        return hashlib.sha256((samples / name).read_bytes()).hexdigest()

    with Catalog() as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=46059313, image_id=46059300,
                          tags=("walls", "city"), status=Status.APPROVED,
                          file_path=str(samples / "brick wall.png"), sha256=sha("brick wall.png"),
                          width=2048, height=2048))
        catalog.add(Entry(name="Team logo", decal_id=2676631406, image_id=2676631400,
                          tags=("ui",), status=Status.IN_REVIEW,
                          file_path=str(samples / "logo.png"), sha256=sha("logo.png"),
                          width=512, height=512))
        catalog.add(Entry(name="Obby sign", decal_id=1818181818, tags=("signs", "obby"),
                          status=Status.DRAFT, file_path=str(samples / "sign.png"),
                          sha256=sha("sign.png"), width=480, height=240))
        catalog.add(Entry(name="Grass tile", image_id=5151515151, tags=("terrain",),
                          status=Status.APPROVED, file_path=str(samples / "grass.png"),
                          sha256=sha("grass.png"), width=256, height=256))
        catalog.add(Entry(name="Night sky", decal_id=9090909090, tags=("sky",),
                          status=Status.REJECTED, notes="Too dark; try again brighter.",
                          file_path=str(samples / "sky.jpg"), sha256=sha("sky.jpg")))


#: take_upload_screenshots.py's pictures, and their names here (its uploads.png, a batch in
#: every state, is not the empty page this script shows).
UPLOAD_SHOTS = {"uploads.png": "uploads-batch.png", "uploads-800.png": "uploads-batch-800.png",
                "upload-dialog.png": "upload-dialog.png",
                "upload-dialog-narrow.png": "upload-dialog-narrow.png",
                "key-dialog.png": "key-dialog.png"}


def upload_shots(out: Path) -> None:
    """The Uploads page with a batch, the Upload and key dialogs: take_upload_screenshots.py
    plays Roblox with the tests' fake server in a process of its own."""
    script = Path(__file__).resolve().parent / "take_upload_screenshots.py"
    with tempfile.TemporaryDirectory(prefix="robloxassets-upload-shots-") as folder:
        subprocess.run([sys.executable, str(script), folder], check=True)
        for name, saved_as in UPLOAD_SHOTS.items():
            shutil.copyfile(Path(folder) / name, out / saved_as)


def main() -> int:
    args = sys.argv[1:]
    more = None
    if "--more" in args:
        at = args.index("--more")
        more = Path(args[at + 1])
        del args[at:at + 2]
    out = Path(args[0] if args else Path(__file__).parent / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ROBLOXASSETS_HOME"] = tempfile.mkdtemp(prefix="robloxassets-shots-")
    seed_catalogue()
    app = create_application()
    window = create_window()
    window.resize(*FULL_SIZE)
    window.show()
    shots = Shots(app, window)
    page_shots(shots, out)
    about_shot(shots, out)
    busy_shots(app, window, out, more)
    dispose(window)
    upload_shots(out)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
