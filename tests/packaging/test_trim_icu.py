"""packaging/trim_icu.py: ICU's data package without what Qt never reads, the rest intact.

Fast and offline (a package made here); the frozen build's self-test checks the real one.
"""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "trim_icu.py"


@pytest.fixture(scope="module")
def trim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trim_icu", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["trim_icu"] = module
    spec.loader.exec_module(module)
    return module


def item(body: bytes, max_bytes: int | None = None) -> bytes:
    """An item with a data header of its own (32 bytes), and for a converter its static data
    (structSize, name[60], codepage, platform, type, minBytesPerChar, maxBytesPerChar)."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27).ljust(32, b"\0")
    if max_bytes is not None:
        body = struct.pack("<i60sibbbb", 100, b"x", 0, 0, 2, 1, max_bytes) + body
    return header + body


def package(items: dict[str, bytes]) -> bytes:
    """A common data package as ICU lays it out: header, TOC sorted by name, names, items."""
    header = (struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0)
              + b"CmnD").ljust(32, b"\0")
    names = sorted(items)
    toc_size = 4 + 8 * len(names)
    name_bytes = b"".join(n.encode() + b"\0" for n in names)
    at = toc_size + len(name_bytes)
    at += -at % 16
    toc, blobs, name_at = struct.pack("<I", len(names)), b"", toc_size
    for name in names:
        toc += struct.pack("<II", name_at, at + len(blobs))
        name_at += len(name) + 1
        blobs += items[name] + b"\0" * (-len(items[name]) % 16)
    body = toc + name_bytes
    return header + body.ljust(at, b"\0") + blobs


ITEMS = {
    "icudt73l/en.res": item(b"english locale"),
    "icudt73l/coll/sv.res": item(b"swedish collation"),
    "icudt73l/coll/ucadata.icu": item(b"root collation" * 50),
    "icudt73l/brkitr/cjdict.dict": item(b"dictionary" * 100),
    "icudt73l/zone/de.res": item(b"zone names"),
    "icudt73l/unames.icu": item(b"character names"),
    "icudt73l/zoneinfo64.res": item(b"time zones"),
    "icudt73l/ibm-1252_P100-2000.cnv": item(b"single byte", max_bytes=1),
    "icudt73l/ibm-943_P15A-2003.cnv": item(b"shift-jis" * 100, max_bytes=2),
    "icudt73l/icu-internal-compound-t.cnv": item(b"compound", max_bytes=3),
}


def test_what_qt_reads_stays_byte_for_byte_and_the_rest_goes(trim: ModuleType) -> None:
    original = package(ITEMS)
    trimmed = trim.trim_package(original)
    _, items = trim._items(trimmed)
    names = [name for name, _, _ in items]
    assert names == ["icudt73l/coll/sv.res", "icudt73l/coll/ucadata.icu", "icudt73l/en.res",
                     "icudt73l/ibm-1252_P100-2000.cnv",
                     "icudt73l/icu-internal-compound-t.cnv", "icudt73l/zoneinfo64.res"]
    for name, offset, _size in items:
        assert trimmed[offset:offset + len(ITEMS[name])] == ITEMS[name], name
        assert offset % 16 == 0, name
    assert len(trimmed) < len(original)


def test_something_else_is_refused(trim: ModuleType) -> None:
    with pytest.raises(trim.TrimError, match="not an ICU data package"):
        trim.trim_package(b"\x20\x00\x7fELF" + b"\0" * 60)
    with pytest.raises(trim.TrimError, match="not an ICU common data package"):
        trim.trim_package(package(ITEMS).replace(b"CmnD", b"ResB", 1))
