"""Prepare for upload onto a disk that fills up (issue 10, from the window). Before, the
banner said only "Prepared for upload: 6 failed." and the reason (the disk is full, free
some space) was behind Show details; nothing half-written is left either way."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.hostile import fill_disk, small_disk


def test_prepare_onto_a_full_disk_says_why_in_the_banner(qtbot, main_window,
                                                          tmp_path: Path) -> None:
    library = main_window.page("library")
    main_window.show_page("library")
    source = tmp_path / "art"
    source.mkdir()
    for n in range(3):
        Image.effect_noise((1400, 1400), 90 + n).convert("RGB").save(source / f"n{n}.png")
    library.open_paths([str(source)])
    qtbot.waitUntil(lambda: not library._scans and len(library.model.rows) == 3
                    and all(r.info for r in library.model.rows), timeout=20000)
    with small_disk(tmp_path / "disk", "1m") as disk:
        out = disk / "ready"
        out.mkdir()
        fill_disk(disk)
        worker = library.preparer.start([r.path for r in library.model.rows], str(out),
                                        1024, False)
        with qtbot.waitSignal(worker.signals.finished, timeout=30000):
            pass
        qtbot.waitUntil(lambda: library.preparer.worker is None, timeout=5000)
        text = library.banner.label.text()
        assert text.startswith("Prepared for upload: 3 failed.")
        assert "no space left on device" in text and "free some space" in text
        assert list(out.iterdir()) == []  # nothing half-written
