"""Take the README/AppStream screenshots of every page on a realistic, generated state.

    QT_QPA_PLATFORM=offscreen python packaging/take_screenshots.py [OUT_DIR]

Uses a throw-away ROBLOXASSETS_HOME: the sample decals, a few catalogue entries (one of them
linked to a sample by its content), and an error-code lookup.
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


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "screenshots")
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
    dispose(window)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
