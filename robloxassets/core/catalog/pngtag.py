"""The asset ID written into a PNG's text chunk, so an upload-ready copy says which asset it
became, and a scanned file carrying it can be linked to its catalogue entry.

The chunk is a ``tEXt`` chunk with keyword ``robloxassets`` and text such as
``decal_id=46059313 image_id=46059300``. Writing it touches only the chunk list: the image
data is copied byte for byte, so the pixels and the file's other metadata stay as they were
(the file's SHA-256 changes, which is why entries keep the hash of the copy separately).
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from dataclasses import dataclass

from robloxassets.core import safeio
from robloxassets.core.atomic import write_bytes_atomic
from robloxassets.core.errors import UserError

KEYWORD = b"robloxassets"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PAIR = re.compile(r"\b(decal_id|image_id)=(\d+)\b")


@dataclass(frozen=True)
class PngAssetTag:
    """The IDs found in (or to write into) a PNG; at least one is set."""

    decal_id: int | None = None
    image_id: int | None = None

    def text(self) -> str:
        parts = []
        if self.decal_id is not None:
            parts.append(f"decal_id={self.decal_id}")
        if self.image_id is not None:
            parts.append(f"image_id={self.image_id}")
        return " ".join(parts)


def _chunks(data: bytes, path: str | os.PathLike[str]) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_SIGNATURE):
        raise UserError(f"{path} is not a PNG file; only PNGs carry the asset ID.")
    chunks: list[tuple[bytes, bytes]] = []
    offset = len(_SIGNATURE)
    while offset + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[offset:offset + 4]), data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        if len(body) != length or offset + 12 + length > len(data):
            raise UserError(f"{path} is a damaged PNG (a chunk runs past the end of the file).")
        chunks.append((kind, body))
        offset += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise UserError(f"{path} is a damaged PNG (no end chunk).")
    return chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def read_asset_tag(path: str | os.PathLike[str]) -> PngAssetTag | None:
    """The asset IDs recorded in ``path``'s text chunk, or None if it has none."""
    try:
        data = safeio.read_bytes(path)
    except OSError as exc:
        raise UserError(f"The file {path} can't be read ({exc.strerror}).") from exc
    if not data.startswith(_SIGNATURE):
        return None
    for kind, body in _chunks(data, path):
        if kind != b"tEXt" or not body.startswith(KEYWORD + b"\x00"):
            continue
        tag = parse_tag_text(body[len(KEYWORD) + 1:].decode("latin-1"))
        if tag is not None:
            return tag
    return None


def parse_tag_text(text: str) -> PngAssetTag | None:
    """The IDs in a chunk's text (``decal_id=N image_id=M``), or None if it names none."""
    found = dict(_PAIR.findall(text))
    decal = int(found["decal_id"]) if "decal_id" in found else None
    image = int(found["image_id"]) if "image_id" in found else None
    if decal or image:
        return PngAssetTag(decal or None, image or None)
    return None


def write_asset_tag(path: str | os.PathLike[str], tag: PngAssetTag) -> None:
    """Record ``tag`` in ``path`` (replacing an older one), atomically."""
    if tag.decal_id is None and tag.image_id is None:
        raise ValueError("an asset tag needs a decal ID or an image ID")
    try:
        data = safeio.read_bytes(path)
    except OSError as exc:
        raise UserError(f"The file {path} can't be read ({exc.strerror}).") from exc
    chunks = [(kind, body) for kind, body in _chunks(data, path)
              if not (kind == b"tEXt" and body.startswith(KEYWORD + b"\x00"))]
    ours = (b"tEXt", KEYWORD + b"\x00" + tag.text().encode("latin-1"))
    out = bytearray(_SIGNATURE)
    for kind, body in chunks:
        if kind == b"IEND":
            out += _chunk(*ours)
        out += _chunk(kind, body)
    try:
        write_bytes_atomic(path, bytes(out))
    except OSError as exc:
        raise UserError(f"Could not write the asset ID into {path} ({exc.strerror}).") from exc
