"""Getting a file ready to send: the check, then the upload-ready copy (``core.images.fit``).

Every upload goes through the same conversion as "Prepare for upload": upright, RGB or RGBA,
fitted to the largest side the user chose, alpha-bled, as PNG. A copy over Roblox's 20 MB
limit (a 4096 px photo can be) is written as JPEG instead when it has no transparency; what
still can't be sent is refused with the reason. Copies live in the data folder until the
upload is accepted, so a crash between preparing and sending loses nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from robloxassets.core import paths, safeio
from robloxassets.core.catalog.hashing import sha256_file
from robloxassets.core.errors import DISK_ERRNOS, DiskError, UserError, advice_for
from robloxassets.core.images.fit import PNG_COMPRESS_LEVEL, render_upload_ready
from robloxassets.core.images.info import Verdict, inspect_image
from robloxassets.core.images.rules import MAX_UPLOAD_BYTES

#: JPEG quality of the fallback for copies too big as PNG: high enough that moderation and
#: players see no difference.
JPEG_QUALITY = 92


@dataclass(frozen=True)
class Prepared:
    path: str
    sha256: str
    source_sha256: str
    width: int
    height: int
    content_type: str
    size: int


def queue_folder() -> Path:
    """Where copies wait to be sent (data, not cache: a cleaned cache must not lose them)."""
    folder = paths.data_dir() / "upload-queue"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _disk_error(exc, f"The upload queue folder {folder} can't be made") from None
    return folder


def refusal(path: str, max_side: int) -> str:
    """Why ``path`` can't be uploaded at all, from its header (nothing is decoded): "" when
    it can. Checked before a file is queued, so what is no image never waits as "failed"."""
    info = inspect_image(path, max_side=max_side)
    if info.verdict is not Verdict.CORRUPT and info.target_size is not None:
        return ""
    reason = info.message
    label = os.path.basename(path) or path
    return f"{label}: " + (reason if reason.startswith("Can't") else
                           f"Can't be uploaded: {reason}")


def _encode(image: Image.Image) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    if buffer.tell() <= MAX_UPLOAD_BYTES:
        return buffer.getvalue(), "image/png"
    if image.mode == "RGBA":
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=9)
        if buffer.tell() <= MAX_UPLOAD_BYTES:
            return buffer.getvalue(), "image/png"
        raise UserError(f"its upload-ready copy is {buffer.tell() / 1048576:.0f} MB, over "
                        f"Roblox's {MAX_UPLOAD_BYTES // 1048576} MB limit; choose a smaller "
                        "largest side")
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue(), "image/jpeg"


def prepare_file(source: str, item_id: int, max_side: int, folder: Path | None = None
                 ) -> Prepared:
    """Check and convert ``source`` into the queue folder; ``UserError`` names the reason a
    file can't be sent ("wall.psd can't be read: ...")."""
    label = os.path.basename(source) or source
    info = inspect_image(source, max_side=max_side)
    if info.verdict is Verdict.CORRUPT:
        raise UserError(f"{label}: {info.message}")
    source_sha256 = sha256_file(source)
    image = render_upload_ready(source, max_side)
    try:
        data, content_type = _encode(image)
    except UserError as exc:
        raise UserError(f"{label}: {exc.message}.") from None
    width, height = image.size
    image.close()
    out = folder or queue_folder()
    suffix = ".png" if content_type == "image/png" else ".jpg"
    target = out / f"{item_id}{suffix}"
    _write(target, data)
    return Prepared(str(target), hashlib.sha256(data).hexdigest(), source_sha256, width,
                    height, content_type, len(data))


def _write(target: Path, data: bytes) -> None:
    """Replace ``target`` in one step. No fsync: a copy lost to a power cut is simply made
    again (the queue checks the file before sending)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _disk_error(exc, f"The upload queue folder {target.parent} can't be "
                               "written") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise _disk_error(exc, f"The upload-ready copy {target.name} can't be written in "
                               f"the upload queue folder {target.parent}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _disk_error(exc: OSError, what: str) -> UserError:
    """``what`` with the reason and what to do; a ``DiskError`` (exit 74) when the disk
    refused (full, read-only...)."""
    text = f"{what} ({(exc.strerror or str(exc)).lower()})"
    if exc.errno in DISK_ERRNOS:
        return DiskError(f"{text}: {advice_for(exc)}.")
    return UserError(f"{text}.")


def read_prepared(path: str, sha256: str | None) -> bytes | None:
    """The prepared copy's bytes, or None if it is gone or changed (then it is made again)."""
    try:
        data = safeio.read_bytes(path)  # anything else put there is no copy of ours
    except OSError:
        return None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        return None
    return data


def discard(path: str | None) -> None:
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)
