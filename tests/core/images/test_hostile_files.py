"""The Library's scan, checks and copies against hostile files (issue 10, items 3, 4 and 5 and
the smaller points): FIFOs and devices, names that aren't UTF-8, progressive JPEG bombs,
folders that can't be read, empty files, lying APNGs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PIL import ImageFile

from robloxassets.core.errors import UserError
from robloxassets.core.images import decode
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import fit_many, render_upload_ready
from robloxassets.core.images.info import Verdict, inspect_image
from robloxassets.core.images.scan import Scanner, analyse
from robloxassets.core.images.thumbnails import CachedThumbnail
from tests.hostile import (
    apng_claiming,
    make_fifo,
    make_png_at,
    make_too_deep,
    non_utf8_path,
    progressive_bomb,
)
from tests.images import make_empty, make_rgb_png


def _unblock(fifo: Path) -> None:
    """Release a reader stuck in open() on ``fifo`` (only the code before the fix gets
    stuck; a thread left blocked would keep the test run from ending)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # no reader waiting: nothing is stuck
        return
    os.close(fd)


def _finishes(function, *args, seconds: float = 15.0):
    """Run ``function`` on a thread; its result, or fail if it is still running."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(function(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    return thread, result


# -- item 3: FIFOs and devices -------------------------------------------------------------

def test_a_fifo_named_like_an_image_gets_a_verdict_without_hanging(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "x.png")
    try:
        for check in (analyse, inspect_image):
            thread, result = _finishes(check, fifo)
            assert not thread.is_alive(), f"{check.__name__} hung on a FIFO"
            info = result[0].info if check is analyse else result[0]
            assert info.verdict is Verdict.CORRUPT
            assert "named pipe (FIFO)" in info.message
    finally:
        _unblock(fifo)


def test_a_scan_checks_the_rest_of_a_folder_with_a_fifo(tmp_path: Path) -> None:
    make_rgb_png(tmp_path / "a.png")
    fifo = make_fifo(tmp_path / "b.png")
    make_rgb_png(tmp_path / "c.png")
    try:
        def scan() -> dict[str, Verdict]:
            items = Scanner(ScanCache(tmp_path / "cache.sqlite3"), processes=False).scan(
                [tmp_path, fifo])  # the FIFO also given by name, as the window's watcher does
            return {Path(i.info.path).name: i.info.verdict for i in items}

        thread, result = _finishes(scan)
        assert not thread.is_alive(), "the scan hung on a FIFO"
        assert result[0] == {"a.png": Verdict.OK, "b.png": Verdict.CORRUPT,
                             "c.png": Verdict.OK}
    finally:
        _unblock(fifo)


def test_fit_refuses_a_fifo_and_writes_the_others(tmp_path: Path) -> None:
    make_rgb_png(tmp_path / "a.png")
    fifo = make_fifo(tmp_path / "b.png")
    try:
        thread, result = _finishes(lambda: list(fit_many([tmp_path], tmp_path / "out")))
        assert not thread.is_alive(), "fit hung on a FIFO"
        by_name = {Path(r.source).name: r for r in result[0]}
        assert by_name["a.png"].status == "written"
        assert by_name["b.png"].status == "failed"
        assert "named pipe" in by_name["b.png"].message
    finally:
        _unblock(fifo)


# -- item 4: file names that aren't UTF-8 --------------------------------------------------

def test_a_name_that_is_not_utf8_is_scanned_cached_and_the_rest_checked(tmp_path: Path) -> None:
    make_rgb_png(tmp_path / "a.png")
    odd = make_png_at(non_utf8_path(tmp_path))
    make_rgb_png(tmp_path / "z.png")
    cache = ScanCache(tmp_path / "cache.sqlite3")
    first = {i.info.path: i for i in Scanner(cache, processes=False).scan([tmp_path])}
    assert len(first) == 3 and first[str(odd)].info.verdict is Verdict.OK
    again = {i.info.path: i for i in Scanner(cache, processes=False).scan([tmp_path])}
    assert set(again) == set(first)
    assert all(isinstance(i.thumbnail, CachedThumbnail) for i in again.values())
    assert again[str(odd)].thumbnail.rgba  # the pixels come back from the cache
    cache.set_hashes([(str(odd), *_key(odd), "ab" * 32)])
    assert cache.hashes([(str(odd), *_key(odd))]) == {str(odd): "ab" * 32}
    os.unlink(odd)
    assert cache.prune_missing() == 1


def _key(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


# -- smaller: empty files, unreadable folders, lying APNGs ---------------------------------

def test_empty_files_are_cached(tmp_path: Path) -> None:
    make_empty(tmp_path / "empty.png")
    cache = ScanCache(tmp_path / "cache.sqlite3")
    [first] = Scanner(cache, processes=False).scan([tmp_path / "empty.png"])
    assert "empty" in first.info.message
    assert cache.count() == 1
    [again] = Scanner(cache, processes=False).scan([tmp_path / "empty.png"])
    assert again.info.message == first.info.message


def test_folders_that_cant_be_read_are_reported(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    make_rgb_png(tmp_path / "a.png")
    locked = tmp_path / "locked"
    locked.mkdir()
    make_rgb_png(locked / "hidden.png")
    real_scandir = os.scandir

    def scandir(path=".", *args):  # root reads every folder: refuse like chmod 000
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    problems: list = []
    items = list(Scanner(None, processes=False).scan([tmp_path], problems=problems))
    assert [Path(i.info.path).name for i in items] == ["a.png"]
    assert [p.path for p in problems] == [str(locked)]
    assert "permission denied" in problems[0].reason


def test_paths_too_long_to_open_are_reported(tmp_path: Path) -> None:
    make_too_deep(tmp_path)  # paths past PATH_MAX: unreadable to anyone
    problems: list = []
    list(Scanner(None, processes=False).scan([tmp_path], problems=problems))
    assert problems and "too long" in problems[0].reason


def test_an_apng_claiming_2_31_frames_is_not_reported_as_having_them(tmp_path: Path) -> None:
    path = apng_claiming(tmp_path / "spin.png", 2**31)
    info = analyse(path).info
    assert info.animated and info.frames == 0
    assert "2147483648" not in info.message and "2,147,483,648" not in info.message
    assert "frame count is damaged" in info.message
    honest = apng_claiming(tmp_path / "two.png", 2)
    assert analyse(honest).info.frames == 2


# -- item 5: progressive JPEG bombs --------------------------------------------------------

@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (drafted) sizes of every image Pillow decodes."""
    seen: list[tuple[int, int]] = []
    real = ImageFile.ImageFile.load

    def load(self):
        seen.append(self.size)
        return real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


def test_a_progressive_jpeg_bomb_is_never_decoded(tmp_path: Path, loads) -> None:
    bomb = progressive_bomb(tmp_path / "bomb.jpg", 13375, 13375)
    item = analyse(bomb)
    assert item.info.verdict is Verdict.TOO_MANY_PIXELS
    assert "not decoded" in item.info.message
    assert item.thumbnail is None
    with pytest.raises(UserError, match="too big"):
        render_upload_ready(bomb)
    results = list(fit_many([bomb], tmp_path / "out"))
    assert results[0].status == "failed"
    assert loads == []  # neither the thumbnail, nor the copy, nor the preview decoded it


def test_a_smaller_progressive_jpeg_counts_its_whole_coefficient_buffer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held: list[int] = []
    real = decode.DECODE_BUDGET.hold

    def hold(amount: int):
        held.append(amount)
        return real(amount)

    monkeypatch.setattr(decode.DECODE_BUDGET, "hold", hold)
    path = progressive_bomb(tmp_path / "big.jpg", 7000, 5000)
    analyse(path)  # decodes (drafted to 1/8 for the thumbnail), and fails: data is short
    assert held and held[0] >= 7000 * 5000 * 3 * 2
    held.clear()
    baseline = tmp_path / "baseline.jpg"
    from PIL import Image

    Image.new("RGB", (2000, 1000)).save(baseline, "JPEG")
    analyse(baseline)
    assert held and held[0] < 2000 * 1000 * 4  # baseline JPEGs count their draft only


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM")
def test_a_folder_of_progressive_bombs_stays_small_in_memory(tmp_path: Path) -> None:
    for n in range(4):
        progressive_bomb(tmp_path / f"bomb{n}.jpg", 13375, 13375)
    script = textwrap.dedent("""
        import sys
        from robloxassets.core.images.scan import Scanner
        from robloxassets.core.images.fit import fit_many
        items = list(Scanner(None, processes=False).scan([sys.argv[1]]))
        assert all(i.thumbnail is None for i in items), items
        list(fit_many([sys.argv[1]], sys.argv[2]))
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (pytest).
        print([int(line.split()[1]) // 1024 for line in open("/proc/self/status")
               if line.startswith("VmHWM:")][0])
    """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout.strip())
    # Before the fix each bomb's thumbnail took the whole coefficient buffer (536 MB here).
    assert peak_mb < 200, f"peak {peak_mb} MB"

