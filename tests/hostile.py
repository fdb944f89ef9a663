"""Hostile inputs for the robustness tests: FIFOs, names that aren't UTF-8, progressive JPEG
bombs, lying APNGs, catalogues with damaged pages, and a real full or read-only disk.

``from tests.hostile import ...``. Files are generated (nothing binary is committed) and
small: a progressive JPEG "bomb" is a tiny JPEG whose header claims a huge size, which is
all the decoder needs to allocate its whole coefficient buffer.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

NON_UTF8 = b"caf\xe9-\xff.png"  # Latin-1 "café" and a stray byte: valid on Linux, not UTF-8


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return Path(path)


def non_utf8_path(folder: Path, name: bytes = NON_UTF8) -> Path:
    """A path whose file name is not valid UTF-8 (as Python hands it over: surrogates)."""
    return Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))


def make_png_at(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, (40, 160, 60)).save(os.fsencode(path), "PNG")
    return path


def progressive_bomb(path: Path, width: int = 13375, height: int = 13375,
                     components: int = 3) -> Path:
    """A JPEG of a few hundred bytes whose progressive frame header says ``width`` x
    ``height``: decoding it makes libjpeg allocate the whole coefficient buffer."""
    mode = "RGB" if components == 3 else "L"
    buffer = io.BytesIO()
    Image.new(mode, (16, 16), (200, 80, 40) if mode == "RGB" else 128).save(
        buffer, "JPEG", progressive=True, quality=90)
    data = bytearray(buffer.getvalue())
    sof = data.find(b"\xff\xc2")
    assert sof > 0, "Pillow wrote no progressive frame header"
    struct.pack_into(">HH", data, sof + 5, height, width)
    Path(path).write_bytes(bytes(data))
    return Path(path)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def apng_claiming(path: Path, frames: int) -> Path:
    """A two-frame APNG whose animation header claims ``frames`` frames."""
    first = Image.new("RGBA", (32, 32), (255, 0, 0, 255))
    second = Image.new("RGBA", (32, 32), (0, 0, 255, 255))
    buffer = io.BytesIO()
    first.save(buffer, "PNG", save_all=True, append_images=[second], duration=100)
    data = buffer.getvalue()
    out = bytearray(data[:8])
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"acTL":
            body = struct.pack(">II", frames, 0)
        out += _png_chunk(kind, body)
        position += 12 + length
    Path(path).write_bytes(bytes(out))
    return Path(path)


def make_too_deep(folder: Path, levels: int = 24) -> None:
    """Folders nested inside ``folder`` until their paths are longer than PATH_MAX (4096):
    made relative to each other (``dir_fd``), since the whole path could not be named."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def damage_pages(path: Path, pages: list[int], page_size: int = 4096) -> None:
    """Overwrite whole pages of a database file with garbage (as a failing disk does)."""
    data = bytearray(Path(path).read_bytes())
    for page in pages:
        data[page * page_size:(page + 1) * page_size] = b"\xde\xad\xbe\xef" * (page_size // 4)
    Path(path).write_bytes(bytes(data))


# -- real file systems (root only) ----------------------------------------------------------

def _can_mount() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("mount") is not None)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _unmount(path: Path) -> None:
    if _run("umount", str(path)).returncode != 0:
        _run("umount", "-l", str(path))  # busy (a file still open): detach it anyway


@contextlib.contextmanager
def small_disk(path: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path``: a disk that really fills up. Root only."""
    if not _can_mount():
        pytest.skip("needs root to mount a small tmpfs (the monkeypatched tests still run)")
    path.mkdir(parents=True, exist_ok=True)
    result = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path))
    if result.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        _unmount(path)


def fill_disk(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` up to ``leave`` free bytes (about: whole pages)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        block = b"\0" * 65536
        while True:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            if free <= leave:
                break
            try:
                os.write(fd, block[:max(4096, min(len(block), free - leave))])
            except OSError:
                break
    finally:
        os.close(fd)
    return filler


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only for real: a read-only bind mount over itself when root
    (chmod does not stop root), else chmod 0555 (which stops everyone else)."""
    if _can_mount():
        result = _run("mount", "--bind", str(folder), str(folder))
        if result.returncode == 0:
            remount = _run("mount", "-o", "remount,bind,ro", str(folder))
            if remount.returncode != 0:
                _unmount(folder)
                pytest.skip(f"can't remount read-only: {remount.stderr.strip()}")
            try:
                yield folder
            finally:
                _unmount(folder)
            return
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root, and no way to mount: a read-only folder can't be made")
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(mode)
