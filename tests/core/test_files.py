"""Reading and writing files the user names: regular files only, atomic writes that keep
modes, follow the umask and write through links (issue 10, items 3 and 9)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from robloxassets.core import jsonsafe, safeio
from robloxassets.core.atomic import atomic_write, write_text_atomic
from robloxassets.core.settings import Settings
from tests.hostile import make_fifo


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# -- reading -------------------------------------------------------------------------------

def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "x.png")
    with pytest.raises(safeio.NotRegularFileError, match="named pipe"):
        safeio.open_regular(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_opened() -> None:
    with pytest.raises(safeio.NotRegularFileError, match="character device"):
        safeio.read_bytes("/dev/zero")


def test_folders_and_regular_files(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        safeio.open_regular(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"one\r\ntwo")
    assert safeio.read_text(tmp_path / "a.txt") == "one\ntwo"
    with safeio.open_regular(tmp_path / "a.txt") as handle:
        assert os.get_blocking(handle.fileno())  # O_NONBLOCK is cleared once checked


def test_settings_that_are_a_fifo_fall_back_to_the_defaults(tmp_path: Path) -> None:
    path = make_fifo(tmp_path / "settings.json")
    assert Settings(path).get("library.thumb_size") == 128


# -- JSON depth (item 6) -------------------------------------------------------------------

def test_json_nested_100000_deep_is_a_value_error_not_a_recursion_error() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        jsonsafe.loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="nested too deeply"):
        jsonsafe.loads('{"a":' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(ValueError, match="more than 32 levels"):
        jsonsafe.loads("[" * 40 + "]" * 40, max_depth=32)
    assert jsonsafe.loads('{"a": [[1]]}', max_depth=3) == {"a": [[1]]}


def test_settings_nested_deeply_start_from_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for text in ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                 '{"library.folders": ' + "[" * 900 + "]" * 900 + "}"):
        path.write_text(text)
        settings = Settings(path)
        assert settings.get("library.folders") == []
        settings.save()  # nothing deep is written back
        assert jsonsafe.loads(path.read_text(), max_depth=4) is not None


def test_settings_lists_hold_text_only(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"library.folders": [["a"], 3]}')
    assert Settings(path).get("library.folders") == []


# -- atomic writes (item 9) ----------------------------------------------------------------

def test_new_files_follow_the_umask(tmp_path: Path, umask_022) -> None:
    write_text_atomic(tmp_path / "new.luau", "x")
    assert _mode(tmp_path / "new.luau") == 0o644
    os.umask(0o002)
    write_text_atomic(tmp_path / "shared.luau", "x")
    assert _mode(tmp_path / "shared.luau") == 0o664


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022) -> None:
    target = tmp_path / "assets.luau"
    target.write_text("old")
    target.chmod(0o664)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o664
    target.chmod(0o600)
    write_text_atomic(target, "newer")
    assert _mode(target) == 0o600


def test_writing_to_a_symlink_replaces_its_target_not_the_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "assets.luau"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "assets.luau"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    # A link to a file that doesn't exist yet creates the file it names.
    dangling = tmp_path / "later.luau"
    dangling.symlink_to(tmp_path / "shared" / "later.luau")
    write_text_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "shared" / "later.luau").read_text() == "made"


def test_a_fifo_or_device_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "out.luau")
    with pytest.raises(safeio.NotRegularFileError), atomic_write(fifo) as handle:
        handle.write("x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.luau"]  # no temp file left
    if os.path.exists("/dev/full"):
        with pytest.raises(safeio.NotRegularFileError, match="character device"):
            write_text_atomic("/dev/full", "x")
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")
    with pytest.raises(OSError), atomic_write(target) as handle:
        handle.write("half")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_temp_files_of_killed_writers_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    # A process that has exited: its pid is free, so its leftover temp file is stale.
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".a.json.{done.stdout.strip()}-deadbeef.tmp"
    stale.write_text("half")
    mine = tmp_path / f".a.json.{os.getpid()}-cafebabe.tmp"  # a live writer's: kept
    mine.write_text("busy")
    write_text_atomic(target, "full")
    assert not stale.exists() and mine.exists()
    assert target.read_text() == "full"
