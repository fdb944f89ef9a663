"""Take the README/AppStream screenshots of every page on a realistic, generated state.

    QT_QPA_PLATFORM=offscreen python packaging/take_screenshots.py [OUT_DIR] [--more DIR]

Uses a throw-away ROBLOXASSETS_HOME: the sample decals, a few catalogue entries (one of them
linked to a sample by its content), and an error-code lookup; then a creator's folder of 44
good and bad files (``make_library.py``) after "Prepare for upload", for the README's
pictures of prepared copies and of the window at 800 px. ``--more DIR`` also saves the other
views of that folder there: the copies, a multi-selection, a corrupt file, a long verdict at
800 px, and the Catalogue and Error codes pages at 800 px.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ROBLOXASSETS_HOME"] = tempfile.mkdtemp(prefix="robloxassets-shots-")

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.images.samples import sample_library
from robloxassets.gui.app import create_application, create_window, dispose


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


def narrow(app, window, width: int = 800) -> None:
    for _ in range(3):  # the dock moves below first, then the window gets there
        window.resize(width, 760)
        pump(app, 0.3)


def busy_shots(app, window, readme: Path, more: Path | None) -> None:
    """The Library with a real-looking folder, prepared copies, a selection, 800 px: the
    README's two in ``readme``, all of them in ``more``."""
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
    window.resize(1280, 800)
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
    save("library-800.png", readme)
    spinner = root / "logos" / "loading spinner.gif"
    select(spinner)
    save("library-800-long-verdict.png")
    window.show_page("catalog")
    pump(app, 1.5)
    narrow(app, window)
    catalog = window.page("catalog")
    catalog.select_ids([1])
    pump(app, 1.5)
    save("catalogue-800.png")
    window.show_page("errors", "Error Code: 279")
    pump(app, 1.5)
    narrow(app, window)
    save("error-codes-800.png")


def main() -> int:
    args = sys.argv[1:]
    more = None
    if "--more" in args:
        at = args.index("--more")
        more = Path(args[at + 1])
        del args[at:at + 2]
    out = Path(args[0] if args else Path(__file__).parent / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
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

    app = create_application()
    window = create_window()
    window.resize(1280, 760)
    window.show()
    library = window.page("library")
    library.open_paths([str(samples)])
    pump(app, 3)
    row = library.model.row_for_path(str(samples / "brick wall.png"))
    library.view.setCurrentIndex(library.proxy.mapFromSource(library.model.index(row)))
    pump(app, 2)
    window.grab().save(str(out / "library.png"))
    window.show_page("catalog")
    pump(app, 1.5)
    window.grab().save(str(out / "catalogue.png"))
    window.show_page("errors", "Teleport Failed: Attempted to teleport to a place that is "
                               "restricted. (Error Code: 773)")
    pump(app, 1.5)
    window.grab().save(str(out / "error-codes.png"))
    busy_shots(app, window, out, more)
    dispose(window)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
