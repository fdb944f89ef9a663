"""Opening images safely with Pillow and turning any colour mode into RGB or RGBA.

Shared by inspection, thumbnails and upload-ready copies so every path treats a file the same
way: decompression bombs are recognised from the header alone, EXIF orientation is honoured,
and CMYK, 16-bit, palette and greyscale images are converted the same way everywhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import IO, Any, Protocol

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

from robloxassets.core.safeio import NotRegularFileError

log = logging.getLogger(__name__)

MAX_DECODE_PIXELS = 8000 * 8000
"""Images needing more pixels than this in memory are never decoded (about 256 MB as RGBA).

Every image Roblox could take (under 8000 x 8000) fits; baseline JPEGs count after draft
scaling, so a large camera photo still gets a thumbnail and an upload-ready copy. Progressive
JPEGs count at full size: see ``coefficient_bytes``.
"""

MAX_PROGRESSIVE_SIDE = 8000
"""Progressive JPEGs with a side this long or longer are never decoded, whatever the draft.

libjpeg decodes a progressive JPEG scan by scan, so it keeps every DCT coefficient of the
whole image (2 bytes per pixel and component) until the last scan, and drafting to 1/8
size does not shrink that buffer. A 1 MB progressive 13375 x 13375 JPEG took 1.0 to 1.4 GB
for a 256 px thumbnail. Roblox refuses a side of 8000 px anyway.
"""

# The app checks pixel counts itself (MAX_DECODE_PIXELS) before decoding anything, so Pillow's
# warning for big-but-allowed headers is only noise on the user's terminal.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_MODE_NAMES = {
    "1": "black and white",
    "L": "greyscale",
    "LA": "greyscale + alpha",
    "La": "greyscale + alpha",
    "P": "palette",
    "PA": "palette + alpha",
    "RGB": "RGB",
    "RGBX": "RGB",
    "RGBA": "RGBA",
    "RGBa": "RGBA",
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "LAB": "Lab",
    "HSV": "HSV",
    "I": "32-bit greyscale",
    "F": "32-bit float",
}


BROKEN_LINK = "it is a link to a file that doesn't exist (broken symlink)"
EMPTY = "the file is empty (0 bytes)"
CRASHED = "the image decoder crashed on it (the file is probably damaged)"


class _Counter(Protocol):
    value: int


class _LocalCounter:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class DecodeBudget:
    """How much memory decoding may take at once, across all threads (scans and copies).

    Two scan threads each decoding a 4096 x 4096 image hold two full-size copies at once;
    this makes the second one wait instead, while small images keep flowing. A single image
    is always allowed (up to MAX_DECODE_PIXELS), so nothing can wait forever. The scanner's
    worker processes share one budget (``share``), so two of them behave like two threads.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # What is held, and the condition guarding it: local to this process unless
        # ``share`` hands in ones that several processes use.
        self._used: _Counter = _LocalCounter()
        self._changed: Any = threading.Condition()
        self._big_since_trim = False
        self._last_trim = 0.0
        self.trim_every = _TRIM_EVERY

    def share(self, changed: Any, used: Any) -> None:
        """Count against a budget shared with other processes: ``changed`` is a
        ``multiprocessing`` Condition, ``used`` a ``multiprocessing`` Value ('q') that starts
        at 0. Call before decoding anything (the scanner's worker processes do, at start)."""
        self._changed = changed
        self._used = used

    @contextlib.contextmanager
    def hold(self, amount: int) -> Iterator[None]:
        changed, used = self._changed, self._used
        deadline = time.monotonic() + _WAIT_LIMIT
        with changed:
            while used.value and used.value + amount > self.limit:
                left = deadline - time.monotonic()
                # A worker killed while holding its share never gives it back: after a
                # while, decode anyway rather than wait forever (the budget only smooths
                # peaks; nothing depends on it for correctness).
                if left <= 0 or not changed.wait(left):
                    break
            used.value += amount
        try:
            yield
        finally:
            with changed:
                used.value -= amount
                changed.notify_all()
                self._big_since_trim |= amount >= _TRIM_FROM
                trim = self._due_trim(time.monotonic() - self._last_trim >= self.trim_every)
            if trim:
                _release_free_memory()

    def release_memory(self) -> None:
        """Hand freed decoding memory back to the system now (at the end of a batch)."""
        with self._changed:
            trim = self._due_trim(True)
        if trim:
            _release_free_memory()

    def _due_trim(self, allowed: bool) -> bool:
        """True (and the trim counted as done) when a big decode freed memory since the last
        trim and ``allowed``. Called with ``_changed`` held."""
        if not (allowed and self._big_since_trim):
            return False
        self._big_since_trim = False
        self._last_trim = time.monotonic()
        return True


# glibc keeps freed memory in per-thread arenas: after two threads each decoded a big image,
# the process holds both peaks for good. Handing free pages back after big decodes lowered the
# peak of a cold scan of the 10,000-image corpus from 406 to 329 MB. Doing it after every big
# decode cost a cold scan about 4% (the next big image faults its pages in again, and a WebP
# decode on the other thread waits on the allocator), so it happens at most every few seconds
# and once more when a batch ends.
_TRIM_FROM = 48 * 1024 * 1024
_WAIT_LIMIT = 30.0
_TRIM_EVERY = 5.0


def _load_malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (e.g. musl)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_malloc_trim = _load_malloc_trim()


def _release_free_memory() -> None:
    if _malloc_trim is not None:
        _malloc_trim(0)


DECODE_BUDGET = DecodeBudget(200 * 1024 * 1024)
"""Shared by thumbnails and upload-ready copies: bytes of decoding memory at a time. Two
4096 x 4096 RGBA images decode side by side; a 4000 px WebP (about 190 MB inside libwebp) and
another big image don't. At 100 MB the second core waited often enough to cost a cold scan
about 6% of its speed (benchmarks/library_bench.py); 400 MB gained only 2% more."""


def is_progressive(im: Image.Image) -> bool:
    """True for a progressive (multi-scan) JPEG: decoding holds its whole coefficient buffer."""
    return im.format in ("JPEG", "MPO") and bool(im.info.get("progressive")
                                                 or im.info.get("progression"))


def coefficient_bytes(im: Image.Image) -> int:
    """Bytes libjpeg holds for a progressive JPEG's coefficients (0 for anything else):
    width x height x components x 2 at the full size, however small the draft. Call it
    before ``safe_draft``, which changes ``im.size`` to the drafted size."""
    if not is_progressive(im):
        return 0
    return im.width * im.height * max(int(getattr(im, "layers", 3) or 3), 1) * 2


def decode_cost(im: Image.Image, coefficients: int = 0) -> int:
    """Roughly the peak bytes decoding ``im`` (at its current, maybe drafted, size) takes;
    ``coefficients`` is ``coefficient_bytes(im)`` taken before any draft."""
    pixels = im.width * im.height
    # Pillow keeps 4 bytes per pixel for RGB too. WebP decodes through libwebp's own canvas
    # and a bytes copy before Pillow's image: about three full-size copies at the peak.
    return pixels * 4 * (3 if im.format == "WEBP" else 1) + coefficients


class Bomb(Exception):
    """The header asks for more pixels than the app is willing to decode."""


def open_image(fp: IO[bytes]) -> tuple[ImageFile.ImageFile, bool]:
    """Identify an image from its header: ``(image, too_big)``; nothing is decoded.

    ``too_big`` is True when Pillow refused the header as a decompression bomb; the image
    returned then only carries its header facts and must never be loaded. Raises what
    ``Image.open`` raises for unreadable data.
    """
    try:
        return Image.open(fp), False
    except Image.DecompressionBombError:
        pass
    fp.seek(0)
    im = _open_unchecked(fp)
    if im is None:
        raise UnidentifiedImageError("cannot identify image file")
    return im, True


def _open_unchecked(fp: IO[bytes]) -> ImageFile.ImageFile | None:
    # Image.open without its pixel-count check, only to report the size of a bomb. Uses the
    # plugin registry the same way Image.open does.
    Image.init()
    prefix = fp.read(16)
    for name in Image.ID:
        factory, accept = Image.OPEN[name]
        result = accept(prefix) if accept else True
        if not result or isinstance(result, str):
            continue
        fp.seek(0)
        try:
            return factory(fp, "")
        except (SyntaxError, IndexError, TypeError, ValueError, OSError, struct.error):
            continue
    return None


def _draftable(im: Image.Image) -> bool:
    return im.format in ("JPEG", "MPO") and len(getattr(im, "tile", ())) == 1


def draft_scale(im: Image.Image, box: tuple[int, int]) -> int:
    """How much ``Image.draft`` shrinks a JPEG on decode for a result of at least ``box``."""
    if not _draftable(im):
        return 1
    scale = min(im.width // max(box[0], 1), im.height // max(box[1], 1))
    for s in (8, 4, 2):
        if scale >= s:
            return s
    return 1


def _pixels_at(im: Image.Image, scale: int) -> int:
    return -(-im.width // scale) * -(-im.height // scale)


def is_refused(im: Image.Image, too_big: bool) -> bool:
    """True when even the smallest decode of ``im`` needs more than MAX_DECODE_PIXELS (or,
    for a progressive JPEG, when it is MAX_PROGRESSIVE_SIDE or more on a side)."""
    if too_big:
        return True
    if is_progressive(im):
        return (max(im.width, im.height) >= MAX_PROGRESSIVE_SIDE
                or _pixels_at(im, 1) > MAX_DECODE_PIXELS)
    smallest = 8 if _draftable(im) else 1
    return _pixels_at(im, smallest) > MAX_DECODE_PIXELS


def safe_draft(im: Image.Image, box: tuple[int, int]
               ) -> tuple[float, float, float, float] | None:
    """Let a JPEG decode at reduced size: at least ``box``, and within MAX_DECODE_PIXELS.

    Returns the source region in the reduced image (for ``resize(box=...)``, keeping the
    aspect ratio exact) or None when nothing was reduced. Raises ``Bomb`` when the image
    cannot be decoded within the limit at all (``is_refused``): every decode goes through
    here first, so a refused image never reaches its decoder.
    """
    if is_refused(im, False):
        raise Bomb(f"{im.width} x {im.height}")
    if not _draftable(im):
        if _pixels_at(im, 1) > MAX_DECODE_PIXELS:
            raise Bomb(f"{im.width} x {im.height}")
        return None
    scale = draft_scale(im, box)
    while _pixels_at(im, scale) > MAX_DECODE_PIXELS:
        if scale >= 8:
            raise Bomb(f"{im.width} x {im.height}")
        scale *= 2
    if scale == 1:
        return None
    result = im.draft(None, (im.width // scale, im.height // scale))
    return result[1] if result is not None else None


def orientation(im: Image.Image) -> int:
    """The EXIF orientation (1..8) without decoding the pixels; 1 when there is none."""
    # PngImageFile.getexif() decodes the whole image when the eXIf chunk is not in the header.
    if im.format == "PNG" and "exif" not in im.info:
        return 1
    try:
        value = int(im.getexif().get(0x0112, 1))
    except Exception:  # a damaged EXIF block must not make the image unreadable
        return 1
    return value if value in _TRANSPOSE else 1


def oriented_size(size: tuple[int, int], orient: int) -> tuple[int, int]:
    """The size as shown upright: orientations 5..8 swap width and height."""
    return (size[1], size[0]) if orient in (5, 6, 7, 8) else size


def apply_orientation(im: Image.Image, orient: int) -> Image.Image:
    method = _TRANSPOSE.get(orient)
    return im.transpose(method) if method is not None else im


def _rawmode(im: Image.Image) -> str:
    tiles = getattr(im, "tile", None) or ()
    if not tiles:
        return ""
    args = tiles[0].args
    if isinstance(args, tuple):
        args = args[0] if args else ""
    return args if isinstance(args, str) else ""


def is_16bit(im: Image.Image) -> bool:
    if im.mode.startswith("I;16"):
        return True
    return ";16" in _rawmode(im)


def describe_mode(im: Image.Image) -> str:
    """The colour mode in words: "RGB", "RGBA", "palette", "greyscale", "16-bit RGB", ..."""
    mode = im.mode
    if mode.startswith("I;16"):
        return "16-bit greyscale"
    name = _MODE_NAMES.get(mode, mode)
    if is_16bit(im):
        if mode == "I":
            return "16-bit greyscale"
        return f"16-bit {name}"
    return name


def has_alpha(im: Image.Image) -> bool:
    """True when the image can have transparent pixels (alpha channel or transparent colour)."""
    if im.mode in ("RGBA", "RGBa", "LA", "La", "PA"):
        return True
    return "transparency" in im.info


# The fewest bytes a frame after the first can take: an APNG frame needs its fcTL chunk (38
# bytes) and an fdAT chunk; other formats need at least a chunk header.
_MIN_FRAME_BYTES = {"PNG": 38 + 16}
_MIN_FRAME_BYTES_OTHER = 12


def frame_count(im: Image.Image, file_size: int | None = None) -> tuple[bool, int]:
    """(animated, number of frames) from the container, without decoding frames.

    The number is 0 when the container claims more frames than ``file_size`` bytes can hold
    (an APNG header saying 2,147,483,648 frames): the count is damaged, not the image."""
    try:
        animated = bool(getattr(im, "is_animated", False))
        frames = int(getattr(im, "n_frames", 1)) if animated else 1
    except Exception:  # a damaged later frame: the first one may still be fine
        return False, 1
    if animated and file_size is not None:
        smallest = _MIN_FRAME_BYTES.get(im.format or "", _MIN_FRAME_BYTES_OTHER)
        if frames - 1 > file_size // smallest:
            return True, 0
    return animated, max(frames, 1)


def prepare_for_resize(im: Image.Image) -> Image.Image:
    """Convert modes Pillow cannot resample well (palette, 1-bit, 16-bit) before resizing.

    Other modes are resized as they are and converted afterwards, which is cheaper: the
    conversion then runs on the small image.
    """
    mode = im.mode
    if mode == "P":
        return im.convert("RGBA" if "transparency" in im.info else "RGB")
    if mode == "PA":
        return im.convert("RGBA")
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I;16") or mode == "I":
        # convert("L") would clip every value above 255 to white: scale 16 bits down instead.
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode in ("L", "RGB") and "transparency" in im.info:
        return im.convert("LA" if mode == "L" else "RGBA")
    return im


_STRIP_PIXELS = 1 << 20       # pixels per strip when premultiplying a big image in pieces
_STRIPS_FROM = 4 * 1024 * 1024  # images smaller than this go through Pillow's own resize


def resize(im: Image.Image, size: tuple[int, int], resample: Image.Resampling,
           box: tuple[float, float, float, float] | None = None,
           reducing_gap: float | None = None) -> Image.Image:
    """``Image.resize``, premultiplying big RGBA/LA images strip by strip.

    Pillow resamples alpha premultiplied (no dark fringes) by converting the whole image to
    RGBa first: a second full-size copy, 64 MB more for a 4096 x 4096 image and twice that
    with two scan threads. Here the whole-factor reduce step runs on strips, so beside the
    source only the reduced image is held. Same result, lower peak memory.
    """
    if im.mode not in ("RGBA", "LA") or reducing_gap is None \
            or im.width * im.height < _STRIPS_FROM:
        return im.resize(size, resample, box=box, reducing_gap=reducing_gap)
    if box is None:
        box = (0, 0, im.width, im.height)
    fx = int((box[2] - box[0]) / size[0] / reducing_gap) or 1
    fy = int((box[3] - box[1]) / size[1] / reducing_gap) or 1
    if fx == 1 and fy == 1:
        return im.resize(size, resample, box=box, reducing_gap=reducing_gap)
    premultiplied = "RGBa" if im.mode == "RGBA" else "La"
    reduced = Image.new(premultiplied, (-(-im.width // fx), -(-im.height // fy)))
    rows = max(fy, _STRIP_PIXELS // im.width // fy * fy)
    for top in range(0, im.height, rows):
        strip = im.crop((0, top, im.width, min(top + rows, im.height)))
        reduced.paste(strip.convert(premultiplied).reduce((fx, fy)), (0, top // fy))
    scaled_box = (box[0] / fx, box[1] / fy, box[2] / fx, box[3] / fy)
    return reduced.resize(size, resample, box=scaled_box).convert(im.mode)


def to_rgb_or_rgba(im: Image.Image) -> Image.Image:
    """Any decoded image as RGB (opaque) or RGBA, with colours converted properly."""
    im = prepare_for_resize(im)
    mode = im.mode
    if mode in ("RGB", "RGBA"):
        return im
    if mode in ("LA", "La", "RGBa"):
        return im.convert("RGBA")
    if mode == "CMYK":
        return _cmyk_to_rgb(im)
    if mode == "F":
        # Float images are usually 0..1 (HDR tools) or 0..255; clip either way to 8 bits.
        _low, hi = im.getextrema()
        scale = 255.0 if isinstance(hi, float) and hi <= 1.0 else 1.0
        return im.point(lambda v: v * scale).convert("L").convert("RGB")
    if mode == "LAB":
        return ImageCms.applyTransform(im, _lab_transform())  # type: ignore[return-value]
    return im.convert("RGB")


def _cmyk_to_rgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"),
                                            outputMode="RGB")
            if out is not None:
                return out
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            log.info("CMYK profile not usable (%s); converting without it", exc)
    return im.convert("RGB")


def _lab_transform() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"),
                                   "LAB", "RGB")


def describe_open_error(name: str, exc: BaseException) -> str:
    """Like ``describe_error``, telling a broken symlink apart from a deleted file."""
    if isinstance(exc, FileNotFoundError) and os.path.islink(name):
        return BROKEN_LINK
    return describe_error(exc)


def describe_error(exc: BaseException) -> str:
    """A decoding or reading error in plain words, as the reason of a "corrupt" verdict."""
    if isinstance(exc, FileNotFoundError):
        return "the file no longer exists"
    if isinstance(exc, PermissionError):
        return "the app has no permission to read it"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, NotRegularFileError):
        return f"it is {exc.kind}, not a file (the app doesn't open those)"
    if isinstance(exc, UnidentifiedImageError):
        return "its content is not an image format the app can read"
    if isinstance(exc, MemoryError):
        return "there was not enough memory to open it"
    text = str(exc)
    if "truncated" in text or "premature end" in text.lower():
        return "the file is cut short (truncated), as after an interrupted download or copy"
    if isinstance(exc, OSError) and exc.strerror:
        return f"it could not be read ({exc.strerror.lower()})"
    return f"the image data is damaged ({text or type(exc).__name__})"
