"""The scanner's worker processes: same results as threads, a crashing decoder survived, the
shared decoding budget, and the pool's life cycle."""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from robloxassets.core.images import scan as scan_module
from robloxassets.core.images import workers
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.decode import CRASHED, DecodeBudget
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.scan import Scanner
from robloxassets.core.images.thumbnails import PackedThumbnail, Thumbnail
from tests.images import (
    make_animated_gif,
    make_cmyk_jpeg,
    make_jpeg,
    make_not_an_image,
    make_palette_png,
    make_rgb_png,
    make_rgba_png,
    make_truncated_png,
    make_webp,
    rgba_close,
)


def make_library(folder: Path, count: int = 30) -> list[Path]:
    """More files than the scanner analyses on threads, of every kind."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = [
        lambda p: make_rgb_png(p.with_suffix(".png"), (300, 200)),
        lambda p: make_rgba_png(p.with_suffix(".png"), (120, 90)),
        lambda p: make_palette_png(p.with_suffix(".png"), (600, 400)),
        lambda p: make_jpeg(p.with_suffix(".jpg"), (1100, 700)),
        lambda p: make_cmyk_jpeg(p.with_suffix(".jpg")),
        lambda p: make_webp(p.with_suffix(".webp")),
        lambda p: make_animated_gif(p.with_suffix(".gif")),
    ]
    paths = [makers[i % len(makers)](folder / f"img{i:03d}") for i in range(count)]
    paths.append(make_not_an_image(folder / "junk.png"))
    paths.append(make_truncated_png(folder / "cut.png"))
    return paths


@pytest.fixture
def own_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[workers.ProcessPool]]:
    """Scanners in the test use the pool appended to the list (shut down afterwards)."""
    pools: list[workers.ProcessPool] = []
    monkeypatch.setattr(workers, "shared_pool", lambda _count: pools[-1])
    yield pools
    for pool in pools:
        pool.shutdown()


# Run inside worker processes (``ProcessPool(setup=...)``): they replace the analysis there.

def _crash_once(marker: str) -> None:
    real = scan_module._analyse

    def analyse(name, thumb_size, *args):  # type: ignore[no-untyped-def]
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return real(name, thumb_size, *args)
        os._exit(3)  # the first file any worker reads: as if its decoder had crashed

    scan_module._analyse = analyse


def _crash_on(word: str) -> None:
    real = scan_module._analyse

    def analyse(name, thumb_size, *args):  # type: ignore[no-untyped-def]
        if word in os.path.basename(name):
            os._exit(3)
        return real(name, thumb_size, *args)

    scan_module._analyse = analyse


def test_processes_give_the_same_results_as_threads(tmp_path: Path,
                                                    own_pool: list[workers.ProcessPool]) -> None:
    make_library(tmp_path / "lib")
    own_pool.append(workers.ProcessPool(2))
    by_process = {i.info.path: i for i in Scanner(ScanCache(tmp_path / "p.db"))
                  .scan([tmp_path / "lib"])}
    by_thread = {i.info.path: i for i in Scanner(ScanCache(tmp_path / "t.db"), processes=False)
                 .scan([tmp_path / "lib"])}
    assert by_process.keys() == by_thread.keys()
    assert {p: i.info for p, i in by_process.items()} == {p: i.info for p, i in by_thread.items()}
    for path, item in by_process.items():
        other = by_thread[path].thumbnail
        if other is None:
            assert item.thumbnail is None
            continue
        assert isinstance(item.thumbnail, PackedThumbnail)  # it really came from a process
        assert not isinstance(other, PackedThumbnail)
        assert (item.thumbnail.width, item.thumbnail.height) == (other.width, other.height)
        assert rgba_close(item.thumbnail.rgba, other.rgba)
    verdicts = {Path(p).name: i.info.verdict for p, i in by_process.items()}
    assert verdicts["junk.png"] is Verdict.CORRUPT and verdicts["cut.png"] is Verdict.CORRUPT


def test_packed_thumbnail_matches_the_raw_one(tmp_path: Path) -> None:
    from PIL import Image

    from robloxassets.core.images.thumbnails import make_packed_thumbnail, make_thumbnail, pack

    for path in (make_rgba_png(tmp_path / "a.png", (300, 200)),
                 make_jpeg(tmp_path / "b.jpg", (500, 300)),
                 make_palette_png(tmp_path / "c.png", (90, 60))):
        with Image.open(path) as im:
            raw = make_thumbnail(im, 128)
        with Image.open(path) as im:
            width, height, packed = make_packed_thumbnail(im, 128)
        assert (width, height) == (raw.width, raw.height)
        assert packed[0] == pack(raw)[0]  # the same kind: with alpha only when there is some
        assert rgba_close(PackedThumbnail(width, height, packed).rgba,
                          Thumbnail(raw.width, raw.height, raw.rgba).rgba)


def test_a_worker_that_dies_is_replaced_and_its_files_analysed_again(
        tmp_path: Path, own_pool: list[workers.ProcessPool]) -> None:
    files = make_library(tmp_path / "lib")
    marker = tmp_path / "crashed-once"
    own_pool.append(workers.ProcessPool(2, setup=functools.partial(_crash_once, str(marker))))
    items = {i.info.path: i.info for i in Scanner(ScanCache()).scan([tmp_path / "lib"])}
    assert marker.exists()  # a worker did die
    assert sorted(items) == sorted(str(p) for p in files)
    assert not [info for info in items.values() if CRASHED in info.message]
    assert sum(info.verdict is not Verdict.CORRUPT for info in items.values()) == len(files) - 2


def test_a_file_that_crashes_the_decoder_is_corrupt_and_not_cached(
        tmp_path: Path, own_pool: list[workers.ProcessPool]) -> None:
    files = make_library(tmp_path / "lib")
    cursed = make_rgb_png(tmp_path / "lib" / "cursed.png", (50, 50))
    own_pool.append(workers.ProcessPool(2, setup=functools.partial(_crash_on, "cursed")))
    cache = ScanCache()
    items = {i.info.path: i.info for i in Scanner(cache).scan([tmp_path / "lib"])}
    assert len(items) == len(files) + 1
    bad = items[str(cursed)]
    assert bad.verdict is Verdict.CORRUPT and CRASHED in bad.message
    others = [info for path, info in items.items() if path != str(cursed)]
    assert not [info for info in others if CRASHED in info.message]
    st = cursed.stat()
    assert cache.get_many([(str(cursed), st.st_size, st.st_mtime_ns)], 256) == {}
    first = files[0].stat()
    assert cache.get_many([(str(files[0]), first.st_size, first.st_mtime_ns)], 256)


def test_cancel_stops_a_process_scan(tmp_path: Path, own_pool: list[workers.ProcessPool]) -> None:
    make_library(tmp_path / "lib", count=60)
    own_pool.append(workers.ProcessPool(2))
    cancel = threading.Event()
    scan = Scanner(ScanCache()).scan([tmp_path / "lib"], cancel)
    assert next(scan).info.path
    cancel.set()
    started = time.monotonic()
    assert list(scan) == []
    assert time.monotonic() - started < 1.0


def test_threads_when_worker_processes_cannot_start(tmp_path: Path,
                                                    own_pool: list[workers.ProcessPool],
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    def no_processes():  # type: ignore[no-untyped-def]
        raise OSError("no semaphores here")

    monkeypatch.setattr(workers, "_context", no_processes)
    files = make_library(tmp_path / "lib")
    own_pool.append(workers.ProcessPool(2))
    with caplog.at_level(logging.WARNING):
        items = list(Scanner(ScanCache()).scan([tmp_path / "lib"]))
    assert len(items) == len(files)
    assert not any(isinstance(i.thumbnail, PackedThumbnail) for i in items)
    assert "no semaphores here" in caplog.text


def test_idle_pool_is_retired_and_started_again() -> None:
    pool = workers.ProcessPool(1, idle_seconds=0.05)
    try:
        executor = pool.lease()
        assert executor is not None
        assert executor.submit(abs, -3).result(timeout=30) == 3
        pool.release(executor)
        deadline = time.monotonic() + 10
        while pool._executor is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pool._executor is None
        again = pool.lease()
        assert again is not None and again is not executor
        assert again.submit(abs, -4).result(timeout=30) == 4
        pool.release(again)
    finally:
        pool.shutdown()


def test_a_leased_pool_is_not_retired() -> None:
    pool = workers.ProcessPool(1, idle_seconds=0.05)
    try:
        first = pool.lease()
        second = pool.lease()
        pool.release(first)
        time.sleep(0.2)
        assert pool._executor is second  # one user still has it
        pool.release(second)
    finally:
        pool.shutdown()


def test_budget_shared_between_processes_counts_both() -> None:
    context = multiprocessing.get_context("spawn")
    changed, used = context.Condition(), context.Value("q", 0, lock=False)
    first, second = DecodeBudget(100), DecodeBudget(100)  # as in two worker processes
    first.share(changed, used)
    second.share(changed, used)
    order: list[str] = []
    entered = threading.Event()

    def other() -> None:
        entered.set()
        with second.hold(60):
            order.append("second")

    with first.hold(60):
        thread = threading.Thread(target=other)
        thread.start()
        assert entered.wait(10)
        # However late the thread gets to hold(), it must not pass it while this one holds.
        with changed:
            changed.wait(0.05)
        order.append("first done")
    thread.join(10)
    assert order == ["first done", "second"]
    assert used.value == 0


def test_chunks_start_small_and_keep_big_files_apart() -> None:
    from robloxassets.core.images.scan import _chunked

    small = [(f"s{i}", 1000) for i in range(40)]
    sizes = [len(chunk) for chunk in _chunked(small, small_first=2)]
    assert sizes == [4, 4, 16, 16]
    mixed = [("a", 10), ("big", 3 << 20), ("b", 10), ("c", 10)]
    assert list(_chunked(mixed)) == [["a", "big"], ["b", "c"]]
