"""Upload-ready copies: upright, RGB or RGBA, at most 1024 px, as PNG beside nothing it replaces.

``render_upload_ready`` makes the picture; ``fit_image`` writes one copy; ``fit_many`` writes a
batch on a few threads (Pillow releases the GIL while decoding, resampling and compressing),
yielding each result as it finishes. Originals are only ever read.

Every copy carries its original's content hash and the settings it was made with
(``provenance``). Preparing the same original again with the same settings writes nothing
when such a copy is already in the output folder, whatever its name: the result is
"up-to-date" and names that copy.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import os
import struct
import threading
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

from robloxassets.core.atomic import create_temp, resolve_target, sync_folder
from robloxassets.core.catalog.hashing import sha256_stream
from robloxassets.core.errors import DISK_ERRNOS, UserError, advice_for, describe_os_error
from robloxassets.core.images import decode
from robloxassets.core.images.alpha import bleed_alpha
from robloxassets.core.images.info import fit_size
from robloxassets.core.images.provenance import KEY as PROVENANCE_KEY
from robloxassets.core.images.provenance import Provenance
from robloxassets.core.images.rules import MAX_TEXTURE_SIDE
from robloxassets.core.images.scan import FolderProblem, find_images
from robloxassets.core.safeio import NotRegularFileError, open_regular

log = logging.getLogger(__name__)

PNG_COMPRESS_LEVEL = 1
"""zlib level of the PNGs written.

Measured with benchmarks/library_bench.py on the oversize images of the 2,000-image corpus
(see the README): level 1 writes in a fraction of the time of level 6 for files only slightly
larger, and level 9 costs several times more again for almost nothing. Size hardly matters
here: every copy is at most 1024 x 1024, far under Roblox's 20 MB limit, and Roblox re-encodes
uploads anyway; writing a batch is what the user waits for.
"""

# The last resampling step shrinks by at most this much after a fast box reduce; Pillow's
# documentation: from 3.0 the result is indistinguishable from a full Lanczos resample.
_REDUCING_GAP = 3.0

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_TEXT_CHUNK = 16 * 1024 * 1024

# fit_image / fit_many pick output names under this lock: the reserved set is shared.
_names_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FitResult:
    """The outcome for one source: "written", "up-to-date" (an identical copy is already in
    the output folder: ``output`` names it, nothing was written), "skipped" or "failed", and
    why in plain words."""

    source: str
    output: str | None
    status: str
    old_size: tuple[int, int] | None
    new_size: tuple[int, int] | None
    message: str
    #: The disk refused the copy (full, read-only, I/O error): not this image's fault.
    disk_error: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "output": self.output,
            "status": self.status,
            "old_size": list(self.old_size) if self.old_size else None,
            "new_size": list(self.new_size) if self.new_size else None,
            "message": self.message,
        }


# -- the picture ---------------------------------------------------------------------------

def render_upload_ready(path: str | os.PathLike[str], max_side: int = MAX_TEXTURE_SIDE
                        ) -> Image.Image:
    """The upload-ready picture of a file: upright, RGB or RGBA, fitting ``max_side``.

    EXIF orientation applied; CMYK, 16-bit, palette (with transparency) and greyscale
    converted; Lanczos resampling with premultiplied alpha (no dark fringes), aspect kept,
    never upscaled; transparent pixels alpha-bled; first frame of animations. Raises
    UserError with a clear message for unreadable input.
    """
    image, _old, _notes = _render(os.fspath(path), max_side)
    return image


def _render(name: str, max_side: int) -> tuple[Image.Image, tuple[int, int], str]:
    """(picture, original upright size, note for the user)."""
    label = os.path.basename(name) or name
    try:
        handle = open_regular(name)  # closed below, after decoding
    except OSError as exc:
        raise UserError(f"{label} can't be read: {decode.describe_open_error(name, exc)}.") \
            from None
    try:
        file_size = os.fstat(handle.fileno()).st_size
        if file_size == 0:
            raise UserError(f"{label} can't be read: {decode.EMPTY}.")
        try:
            im, too_big = decode.open_image(handle)
        except Exception as exc:
            raise UserError(f"{label} can't be read: {decode.describe_error(exc)}.") from None
        orient = 1 if too_big else decode.orientation(im)
        old = decode.oriented_size(im.size, orient)
        if decode.is_refused(im, too_big):
            raise UserError(f"{label} is {old[0]} x {old[1]} pixels, too big for the app to "
                            "open safely: make a smaller copy in an image editor first.")
        animated, frames = decode.frame_count(im, file_size)
        note = ("" if not animated else f"Only the first of its {frames:,} frames was used."
                if frames else "Only its first frame was used (its frame count is damaged).")
        target = decode.oriented_size(fit_size(old[0], old[1], max_side), orient)
        try:
            image = _resample(im, target)
        except UserError:
            raise
        except MemoryError:
            raise UserError(f"{label} is too big to convert with the memory available.") \
                from None
        except Exception as exc:
            raise UserError(f"{label} can't be read: {decode.describe_error(exc)}.") from None
    finally:
        handle.close()
    image = decode.apply_orientation(image, orient)
    if image.mode == "RGBA":
        if image.getchannel("A").getextrema()[0] == 255:
            image = image.convert("RGB")  # fully opaque: no alpha channel to carry
        else:
            image = bleed_alpha(image)
    return image, old, note


def _resample(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Decode ``im`` and resample it to ``target`` (in stored orientation), as RGB/RGBA."""
    coefficients = decode.coefficient_bytes(im)  # before the draft changes im.size
    try:
        box = decode.safe_draft(im, (target[0] * 2, target[1] * 2))
    except decode.Bomb:
        raise UserError(f"{im.width} x {im.height} pixels is too big to open safely.") from None
    with decode.DECODE_BUDGET.hold(decode.decode_cost(im, coefficients)):
        im.load()
        work = decode.prepare_for_resize(im)
        if work.size != target or box is not None:
            work = decode.resize(work, target, Image.Resampling.LANCZOS, box=box,
                                 reducing_gap=_REDUCING_GAP)
        result = decode.to_rgb_or_rgba(work)
        if result is not im:
            im.close()  # free the full-size pixels before the next image may start
    return result


# -- writing one copy ----------------------------------------------------------------------

def fit_image(path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
              max_side: int = MAX_TEXTURE_SIDE, overwrite: bool = False,
              png_text: dict[str, str] | None = None, reserved: set[str] | None = None
              ) -> FitResult:
    """Write the upload-ready copy of ``path`` as ``<stem>.png`` in ``out_dir``.

    On a clash the name becomes ``<stem> (2).png``, ``<stem> (3).png``... unless
    ``overwrite``; a copy never replaces its own source. ``reserved`` is the set of output
    paths already claimed in this batch (pass the same set to every call of a batch; the
    chosen path is added to it) so two sources with the same stem never share a name. The
    copy is written to a hidden temporary file and renamed into place, so no half-written
    PNG is ever visible. ``png_text`` becomes PNG text chunks (tEXt, or iTXt for non-Latin-1).
    """
    source = os.fspath(path)
    out = Path(out_dir)
    problem, disk = _prepare_out_dir(out)
    if problem:
        return FitResult(source, None, "failed", None, None, problem, disk_error=disk)
    target = _choose_output(source, out, overwrite, reserved if reserved is not None else set())
    if target is None:
        return _would_replace_source(source)
    result = _write_copy(source, target, max_side, overwrite, png_text, None, _Existing(out))
    assert result is not None  # only a cancel gives None
    return result


def _prepare_out_dir(out: Path) -> tuple[str, bool]:
    """("", False) when ``out`` is a folder (made if missing); else the problem in words and
    whether it is the disk's (full, read-only) rather than the path's."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return (f"The output folder {out} can't be created ({describe_os_error(exc)}): "
                f"{advice_for(exc)}, or choose another folder.", exc.errno in DISK_ERRNOS)
    if not out.is_dir():
        return f"The output folder {out} is not a folder. Choose another folder.", False
    return "", False


def _would_replace_source(source: str) -> FitResult:
    return FitResult(source, None, "skipped", None, None,
                     f"The copy would replace the original {os.path.basename(source)}; "
                     "choose another output folder.")


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path)).casefold()


def _same_file(a: Path, b: str) -> bool:
    if _key(a) == _key(Path(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _choose_output(source: str, out: Path, overwrite: bool, reserved: set[str]
                   ) -> Path | None:
    """The output path for ``source`` (claimed in ``reserved``), or None: it is the source."""
    stem = Path(source).stem or "image"
    with _names_lock:
        number = 1
        while True:
            name = f"{stem}.png" if number == 1 else f"{stem} ({number}).png"
            candidate = out / name
            key = _key(candidate)
            number += 1
            if key in reserved:
                continue
            if _same_file(candidate, source):
                if overwrite:
                    return None
                continue
            if overwrite or not os.path.lexists(candidate):
                reserved.add(key)
                return candidate


def _png_info(png_text: dict[str, str] | None) -> PngImagePlugin.PngInfo | None:
    if not png_text:
        return None
    info = PngImagePlugin.PngInfo()
    for key, value in png_text.items():
        try:
            key.encode("latin-1")
            valid = 0 < len(key) < 80 and "\0" not in key
        except UnicodeEncodeError:
            valid = False
        if not valid:
            raise UserError(f"{key!r} can't be a PNG text key (1 to 79 Latin-1 characters).")
        try:
            value.encode("latin-1")
            info.add_text(key, value)
        except UnicodeEncodeError:
            info.add_itxt(key, value)
    return info


def _write_copy(source: str, target: Path, max_side: int, overwrite: bool,
                png_text: dict[str, str] | None, cancel: threading.Event | None,
                existing: _Existing | None = None) -> FitResult | None:
    """Render and write one copy; None when cancelled before anything was written.

    With ``existing`` (the copies already in the output folder) and without ``overwrite``, a
    copy of the same original made with the same settings and carrying the same text is
    "up-to-date"; one that only carries other text (an asset ID recorded since) is written
    over with the new text.
    """
    provenance = _provenance(source, max_side)
    text = dict(png_text or {})
    if provenance is not None:
        text.update(provenance.chunk())
        if existing is not None and not overwrite:  # overwrite: write again, whatever is there
            match, copy = existing.match(provenance, png_text or {})
            if match == "same":
                return _up_to_date(source, copy)
            if match == "text":
                target, overwrite = Path(copy), True
    try:
        image, old, note = _render(source, max_side)
        pnginfo = _png_info(text)
    except UserError as exc:
        return FitResult(source, None, "failed", None, None, exc.message)
    except Exception as exc:  # a bug; the batch goes on and the log has the traceback
        log.exception("Could not prepare %s", source)
        return FitResult(source, None, "failed", None, None,
                         f"Something went wrong inside the app ({type(exc).__name__}).")
    if cancel is not None and cancel.is_set():
        return None
    try:
        final = _save(image, target, overwrite, pnginfo, cancel)
    except OSError as exc:
        return FitResult(source, None, "failed", old, None, _write_failure(target, exc),
                         disk_error=exc.errno in DISK_ERRNOS)
    if final is None:
        return None
    return FitResult(source, str(final), "written", old, image.size, note)


def _write_failure(target: Path, exc: OSError) -> str:
    """Why a copy could not be written, naming the file and what to do."""
    if isinstance(exc, NotRegularFileError):
        return (f"Couldn't write {target}: it is {exc.kind}, not a file. Move it away or "
                "choose another output folder.")
    return (f"Couldn't write {target} ({describe_os_error(exc)}): {advice_for(exc)}. "
            "Nothing half-written was left there.")
# -- copies already there ------------------------------------------------------------------

def _provenance(source: str, max_side: int) -> Provenance | None:
    """What a copy of ``source`` made now will carry; None if the file can't be read (the
    render then says why)."""
    try:
        with open_regular(source) as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = sha256_stream(handle)
    except OSError:
        return None
    return Provenance(digest, size, max_side, os.path.basename(source))


class _Existing:
    """The copies already in an output folder, by what makes two copies identical (their
    original's content and the settings). Shared by a batch's threads: a copy to be written
    over is claimed once, under the names lock."""

    def __init__(self, out: Path) -> None:
        self.copies: dict[tuple[str, int, int], list[tuple[str, dict[str, str]]]] = {}
        self._claimed: set[str] = set()
        try:
            entries = list(os.scandir(out))
        except OSError:
            return
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            # Hidden names are copies being written (or other programs' files).
            if name.startswith(".") or not name.lower().endswith(".png"):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
            except OSError:
                continue
            chunks = read_png_text(entry.path)
            provenance = Provenance.from_chunks(chunks)
            if provenance is not None:
                self.copies.setdefault(provenance.settings, []).append((entry.path, chunks))

    def match(self, provenance: Provenance, text: dict[str, str]) -> tuple[str, str]:
        """("same", path) for an identical copy; ("text", path) for one that differs only
        in the text it carries (claimed: this source writes it again); ("", "") for none."""
        found = self.copies.get(provenance.settings, [])
        for path, chunks in found:
            if _same_text(chunks, text):
                return "same", path
        with _names_lock:
            for path, _ in found:
                if path not in self._claimed:
                    self._claimed.add(path)
                    return "text", path
        return "", ""


def _same_text(chunks: dict[str, str], text: dict[str, str]) -> bool:
    """Whether a copy's chunks carry exactly ``text`` among the app's own keys (an asset ID
    recorded or removed since makes it differ) and the other keys asked for."""
    ours = {k: v for k, v in chunks.items()
            if k.startswith("robloxassets") and k != PROVENANCE_KEY}
    wanted = {k: v for k, v in text.items() if k.startswith("robloxassets")}
    return ours == wanted and all(chunks.get(k) == v for k, v in text.items())


def _up_to_date(source: str, copy: str) -> FitResult:
    return FitResult(source, copy, "up-to-date", _upright_size(source), _upright_size(copy),
                     "An identical copy is already there; nothing was written.")


def _upright_size(path: str) -> tuple[int, int] | None:
    """The size a file's header gives, EXIF orientation applied; None if it can't be read."""
    try:
        with open_regular(path) as handle:
            im, too_big = decode.open_image(handle)
            orient = 1 if too_big else decode.orientation(im)
            size: tuple[int, int] = decode.oriented_size(im.size, orient)
            return size
    except Exception:  # only a size for the message; the file's verdict is elsewhere
        return None


def _save(image: Image.Image, target: Path, overwrite: bool,
          pnginfo: PngImagePlugin.PngInfo | None, cancel: threading.Event | None
          ) -> Path | None:
    # Replacing a file keeps its mode; a new one gets what the umask gives (not 0600). An
    # existing name that is a link is written through; a FIFO or device is refused.
    real, existing = resolve_target(target) if overwrite else (target, None)
    # Hidden name: the Library's folder walk skips it, so a half-written file never shows.
    fd, tmp = create_temp(real, existing, suffix=".png.part")
    try:
        with os.fdopen(fd, "wb") as handle:
            image.save(handle, "PNG", compress_level=PNG_COMPRESS_LEVEL, pnginfo=pnginfo)
            handle.flush()
            os.fsync(handle.fileno())
        if cancel is not None and cancel.is_set():
            return None
        final = _publish(tmp, real, overwrite)
        sync_folder(real.parent)
        return target if final == real else final
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _publish(tmp: str, target: Path, overwrite: bool) -> Path:
    """Move the finished file to ``target``; without ``overwrite`` never replace a file."""
    if overwrite:
        os.replace(tmp, target)
        return target
    number = 1
    stem = target.stem
    while True:
        try:
            # A hard link fails if the name exists: no window for another writer's file to be
            # replaced between checking and renaming.
            os.link(tmp, target)
            return target
        except FileExistsError:
            pass
        except OSError:
            # The file system has no hard links (FAT, some network shares).
            if not os.path.lexists(target):
                os.replace(tmp, target)
                return target
        number += 1
        target = target.with_name(f"{stem} ({number}).png")


# -- batches -------------------------------------------------------------------------------

def fit_many(paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
             max_side: int = MAX_TEXTURE_SIDE, overwrite: bool = False, workers: int = 2,
             cancel: threading.Event | None = None,
             png_text_for: Callable[[str], dict[str, str] | None] | None = None,
             problems: list[FolderProblem] | None = None) -> Generator[FitResult, None, None]:
    """Write upload-ready copies of many files, yielding each result as it finishes.

    Files are taken as given, folders are walked (like the Library does). Output names are
    chosen in input order, so the same batch always gives the same names. Stops promptly
    when ``cancel`` is set: nothing new starts, copies in progress are dropped before they
    are renamed into place, copies that were already in place are still yielded, and when
    the generator ends (or is closed) no file is still being written.
    """
    cancel = cancel or threading.Event()
    out = Path(out_dir)
    problem, disk = _prepare_out_dir(out)
    existing = _Existing(out) if not problem else None
    reserved: set[str] = set()
    pool = cf.ThreadPoolExecutor(max(1, workers), thread_name_prefix="image-fit")
    pending: set[cf.Future[FitResult | None]] = set()
    limit = max(1, workers) * 2

    def finished(block: bool) -> Iterator[FitResult]:
        done, _ = cf.wait(pending, timeout=0.1 if block else 0,
                          return_when=cf.FIRST_COMPLETED)
        for future in done:
            pending.discard(future)
            if future.cancelled():
                continue
            result = future.result()  # _write_copy never raises
            if result is not None:  # None: dropped by a cancel, nothing written
                yield result

    try:
        for source in collect_sources(paths, out, cancel, problems):
            if cancel.is_set():
                break
            if problem:
                yield FitResult(source, None, "failed", None, None, problem, disk_error=disk)
                continue
            target = _choose_output(source, out, overwrite, reserved)
            if target is None:
                yield _would_replace_source(source)
                continue
            try:
                text = png_text_for(source) if png_text_for is not None else None
            except Exception:  # the caller's lookup failed: still write the copy
                log.exception("png_text_for failed for %s", source)
                text = None
            while len(pending) >= limit and not cancel.is_set():
                yield from finished(block=True)
            if cancel.is_set():
                break
            pending.add(pool.submit(_write_copy, source, target, max_side, overwrite, text,
                                    cancel, existing))
            yield from finished(block=False)
        while pending and not cancel.is_set():
            yield from finished(block=True)
        # After a cancel, copies already renamed into place are still reported, so a caller
        # that keeps iterating gets a summary that matches the folder.
        for future in pending:
            future.cancel()
        while pending:
            yield from finished(block=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        decode.DECODE_BUDGET.release_memory()


def collect_sources(paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
                    cancel: threading.Event | None = None,
                    problems: list[FolderProblem] | None = None) -> Iterator[str]:
    """The files ``fit_many`` works on: files as given, images in folders (walked), except
    anything inside the output folder ``out`` when it is inside a folder walked. Folders
    that can't be read are added to ``problems``."""
    out_key = _key(Path(out))
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            root_key = _key(Path(name))
            # Never feed earlier copies back in when the output folder is (inside) the folder
            # being prepared. When it holds that folder (``fit art --out .``), the sources
            # are inside it too, and the copies land beside the folder, not in it: every
            # source is used.
            inside = out_key == root_key or out_key.startswith(root_key + os.sep)
            for found in find_images([name], cancel, problems=problems):
                found_key = _key(found)
                if not (inside and (found_key == out_key
                                    or found_key.startswith(out_key + os.sep))):
                    yield str(found)
        else:
            yield name


# -- reading text back ---------------------------------------------------------------------

def read_png_text(path: str | os.PathLike[str], before_image: bool = False) -> dict[str, str]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG without decoding it; {} for anything else.

    ``before_image``: stop at the image data, which is where the copies written here carry
    their provenance (a chunk added later, like the asset ID, comes after it).
    Never raises: a damaged file gives the chunks read before the damage.
    """
    found: dict[str, str] = {}
    try:
        with open_regular(path) as handle:
            if handle.read(8) != _PNG_SIGNATURE:
                return {}
            while True:
                head = handle.read(8)
                if len(head) < 8:
                    break
                length, kind = struct.unpack(">I4s", head)
                if kind == b"IEND" or (before_image and kind == b"IDAT"):
                    break
                if kind in (b"tEXt", b"zTXt", b"iTXt") and length <= _MAX_TEXT_CHUNK:
                    data = handle.read(length)
                    handle.seek(4, os.SEEK_CUR)
                    parsed = _parse_text_chunk(kind, data)
                    if parsed:
                        found[parsed[0]] = parsed[1]
                else:
                    handle.seek(length + 4, os.SEEK_CUR)
    except (OSError, ValueError, struct.error):
        pass
    return found


def _parse_text_chunk(kind: bytes, data: bytes) -> tuple[str, str] | None:
    key_raw, sep, rest = data.partition(b"\0")
    if not sep:
        return None
    key = key_raw.decode("latin-1")
    try:
        if kind == b"tEXt":
            return key, rest.decode("latin-1")
        if kind == b"zTXt":
            return key, zlib.decompress(rest[1:]).decode("latin-1")
        compressed, _method = rest[0], rest[1]
        _lang, _, rest = rest[2:].partition(b"\0")
        _translated, _, text = rest.partition(b"\0")
        if compressed:
            text = zlib.decompress(text)
        return key, text.decode("utf-8")
    except (IndexError, zlib.error, UnicodeDecodeError):
        return None
