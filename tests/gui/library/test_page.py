"""The Library page, driven as a user would: open folders, filter, prepare, watch."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.images.info import Verdict
from robloxassets.gui.library.model import FILTERS, Role


def make_library(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir()
    files = {
        "ok": folder / "grass.png",
        "big": folder / "wall.png",
        "webp": folder / "logo.webp",
        "corrupt": folder / "broken.png",
        "nested": folder / "sub" / "sky.jpg",
    }
    Image.new("RGBA", (256, 256), (30, 160, 60, 255)).save(files["ok"])
    Image.new("RGB", (2048, 1024), (150, 70, 40)).save(files["big"])
    Image.new("RGBA", (300, 200), (200, 20, 20, 128)).save(files["webp"], "WEBP")
    files["corrupt"].write_text("this is not a png")
    Image.new("RGB", (640, 480), (90, 150, 230)).save(files["nested"], "JPEG")
    (folder / "notes.txt").write_text("not an image, ignored")
    return files


def wait_idle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page._scans and all(r.info for r in page.model.rows),
                    timeout=20000)


@pytest.fixture
def library(main_window):
    page = main_window.page("library")
    main_window.show_page("library")
    return page


def verdicts(page) -> dict[str, Verdict]:
    return {Path(r.path).name: r.info.verdict for r in page.model.rows}


def test_empty_state_first(library) -> None:
    assert library.stack.currentWidget() is library.empty
    assert library.summary() == "No folder open"


def test_open_folder_shows_images_with_badges(qtbot, library, tmp_path: Path) -> None:
    make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    assert verdicts(library) == {
        "grass.png": Verdict.OK,
        "wall.png": Verdict.DOWNSCALE,
        "logo.webp": Verdict.UNSUPPORTED,
        "broken.png": Verdict.CORRUPT,
        "sky.jpg": Verdict.OK,
    }
    assert library.stack.currentWidget() is library.view
    assert "5 images · 3 need work" in library.summary()
    # Readable files got a thumbnail; the delegate paints every kind of cell.
    model = library.model
    wall = model.index(model.row_for_path(str(tmp_path / "decals" / "wall.png")))
    assert wall.data(Role.THUMBNAIL) is not None
    broken = model.index(model.row_for_path(str(tmp_path / "decals" / "broken.png")))
    assert broken.data(Role.THUMBNAIL) is None
    assert not library.view.grab().isNull()


def test_selecting_an_image_fills_the_details(qtbot, library, tmp_path: Path) -> None:
    make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    row = library.model.row_for_path(str(tmp_path / "decals" / "wall.png"))
    library.view.setCurrentIndex(library.proxy.mapFromSource(library.model.index(row)))
    details = library.details
    assert details.facts.value("Size") == "2048 × 1024 px"
    assert "1024 x 512" in details.headline.text()
    qtbot.waitUntil(lambda: details._after_size is not None, timeout=10000)
    assert details._after_size == (1024, 512)


def test_filter_by_verdict_and_name(qtbot, library, tmp_path: Path) -> None:
    make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)

    def shown() -> set[str]:
        proxy = library.proxy
        return {proxy.index(i, 0).data() for i in range(proxy.rowCount())}

    library.filter_combo.setCurrentIndex(list(FILTERS).index("needs-work"))
    assert shown() == {"wall.png", "logo.webp", "broken.png"}
    library.filter_combo.setCurrentIndex(list(FILTERS).index("ok"))
    assert shown() == {"grass.png", "sky.jpg"}
    library.search.setText("SKY")
    assert shown() == {"sky.jpg"}
    library.search.setText("nothing like this")
    assert library.stack.currentWidget() is library.no_match
    library.reset_filters()
    assert len(shown()) == 5


def test_sort_by_size_puts_biggest_first_in_each_folder(qtbot, library,
                                                        tmp_path: Path) -> None:
    make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    library.sort_combo.setCurrentIndex(1)
    rows = library.model.rows
    # Folders stay together, in name order; each one's images go biggest first.
    folders = [r.folder for r in rows]
    assert folders == sorted(folders, key=str.casefold)
    for folder in set(folders):
        sizes = [r.info.bytes for r in rows if r.folder == folder]
        assert sizes == sorted(sizes, reverse=True)


def test_prepare_writes_upload_ready_copies(qtbot, library, tmp_path: Path) -> None:
    files = make_library(tmp_path / "decals")
    original = hashlib.sha256(files["big"].read_bytes()).hexdigest()
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    targets = [i.path for i in library.prepare_targets()]
    # Nothing selected: every readable image that needs work.
    assert sorted(Path(p).name for p in targets) == ["logo.webp", "wall.png"]
    out = tmp_path / "ready"
    library.preparer.start(targets, str(out), 1024, False)
    # Not waitSignal on ``finished``: a quick job can finish before the blocker
    # connects. ``start`` sets ``preparer.worker`` and its end clears it.
    qtbot.waitUntil(lambda: library.preparer.worker is None, timeout=30000)
    with Image.open(out / "wall.png") as im:
        assert im.size == (1024, 512)
    with Image.open(out / "logo.png") as im:
        assert im.format == "PNG" and im.mode == "RGBA"
    assert hashlib.sha256(files["big"].read_bytes()).hexdigest() == original
    assert library.preparer.last_summary == "Prepared for upload: 2 written."
    # The output folder shows up in the library like any other folder.
    assert str(out) in library.roots


def test_cancel_stops_prepare(qtbot, library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    Image.effect_noise((2600, 2600), 40).save(folder / "noise00.png", compress_level=1)
    for i in range(1, 40):
        shutil.copyfile(folder / "noise00.png", folder / f"noise{i:02}.png")
    paths = sorted(str(p) for p in folder.iterdir())
    out = tmp_path / "ready"
    worker = library.preparer.start(paths, str(out), 1024, False)
    # Not qtbot.waitSignal on ``yielded``: it is emitted once per copy from the pool thread,
    # and emissions queued before the blocker disconnects still reach it after it is gone
    # (an AttributeError, or a segfault, in pytest-qt under load). A counter outlives them.
    results: list[object] = []
    worker.signals.yielded.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=30000)
    library.context.progress.cancel()
    # Not waitSignal on ``finished``: a quick job can finish before the blocker
    # connects. ``start`` sets ``preparer.worker`` and its end clears it.
    qtbot.waitUntil(lambda: library.preparer.worker is None, timeout=30000)
    written = list(out.glob("*.png"))
    assert 1 <= len(written) < 40
    assert library.preparer.last_summary.startswith("Cancelled after")


def test_file_added_to_watched_folder_appears(qtbot, library, tmp_path: Path) -> None:
    files = make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    new = tmp_path / "decals" / "sub" / "new decal.png"
    Image.new("RGB", (1500, 100), "white").save(new)
    qtbot.waitUntil(lambda: library.model.row_for_path(str(new)) is not None
                    and library.model.rows[library.model.row_for_path(str(new))].info
                    is not None, timeout=10000)
    row = library.model.rows[library.model.row_for_path(str(new))]
    assert row.info.verdict is Verdict.DOWNSCALE
    before = library.cache.count()
    os.remove(files["ok"])
    qtbot.waitUntil(lambda: library.model.row_for_path(str(files["ok"])) is None,
                    timeout=10000)
    assert library.cache.count() == before - 1  # the deleted file left the scan cache too


def test_folders_are_remembered(qtbot, main_window, tmp_path: Path) -> None:
    make_library(tmp_path / "decals")
    page = main_window.page("library")
    page.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, page)
    main_window.close()
    from robloxassets.gui.app import create_window

    again = create_window()
    qtbot.addWidget(again)
    again_page = again.page("library")
    qtbot.waitUntil(lambda: len(again_page.model.rows) == 5, timeout=10000)
    wait_idle(qtbot, again_page)
    again.close()


def test_sample_library_opens(qtbot, library) -> None:
    library.open_sample_library()
    wait_idle(qtbot, library)
    found = verdicts(library)
    assert len(found) >= 4
    assert Verdict.DOWNSCALE in found.values()
    assert Verdict.UNSUPPORTED in found.values()


def test_missing_path_is_reported_not_raised(qtbot, library, tmp_path: Path) -> None:
    with qtbot.waitSignal(library.message) as blocker:
        library.open_paths([str(tmp_path / "nope")])
    assert "Not found" in blocker.args[0]
    assert library.roots == []


def test_preview_is_upright_and_refuses_bombs(qapp, tmp_path: Path) -> None:
    from robloxassets.core.errors import UserError
    from robloxassets.gui.library.details import load_preview
    from tests.images import make_bomb_png, make_exif_rotated_jpeg

    photo = make_exif_rotated_jpeg(tmp_path / "photo.jpg", (100, 200), 6)
    before, after, size = load_preview(str(photo), 1024)
    assert (before.width(), before.height()) == (100, 200)
    assert size == (100, 200) == (after.width(), after.height())
    top, bottom = before.pixelColor(50, 10), before.pixelColor(50, 190)
    assert top.red() > 200 and top.blue() < 60  # red on top once turned upright
    assert bottom.blue() > 200 and bottom.red() < 60
    with pytest.raises(UserError):
        load_preview(str(make_bomb_png(tmp_path / "bomb.png")), 1024)


def test_start_up_prunes_files_deleted_while_the_app_was_closed(qtbot, library,
                                                                tmp_path: Path) -> None:
    from robloxassets.core.images.cache import ScanCache
    from robloxassets.core.images.scan import analyse

    (tmp_path / "old").mkdir()
    gone = tmp_path / "old" / "gone.png"
    Image.new("RGB", (40, 30), "red").save(gone)
    ScanCache().put(analyse(gone), 256)  # cached in an earlier session
    gone.unlink()  # deleted while the app was closed
    before = library.cache.count()
    assert library._prune_timer.isActive()  # runs once, some seconds after start-up
    library._prune_timer.timeout.emit()
    qtbot.waitUntil(lambda: library.cache.count() == before - 1, timeout=10000)


def test_grid_models_pass_qt_model_checks(qtmodeltester, qtbot, library,
                                          tmp_path: Path) -> None:
    # Qt's model tester stays attached to both models and checks every change that follows:
    # pending rows, scan results in batches, sorting, filtering, badges, removals.
    qtmodeltester.check(library.model)
    qtmodeltester.check(library.proxy)
    files = make_library(tmp_path / "decals")
    library.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, library)
    library.sort_combo.setCurrentIndex(library.sort_combo.findData("size"))
    library.filter_combo.setCurrentIndex(list(FILTERS).index("needs-work"))
    assert library.proxy.rowCount() == 3
    library.search.setText("wall")
    assert library.proxy.rowCount() == 1
    library.reset_filters()
    library.model.drop_thumbnails()
    files["ok"].unlink()
    qtbot.waitUntil(lambda: library.model.row_for_path(str(files["ok"])) is None,
                    timeout=10000)
    qtmodeltester.check(library.model)
    qtmodeltester.check(library.proxy)
