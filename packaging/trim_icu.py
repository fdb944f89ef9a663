"""A smaller copy of the ICU data library PySide6's Linux Qt links to (32 MB of 37.7 MB ICU).

    python packaging/trim_icu.py LIBICUDATA OUT_DIR      (the spec calls ``trimmed_icudata``)

``libQt6Core.so`` links to ``libicudata.so.NN``, a library whose only content is one symbol,
``icudtNN_dat``: ICU's whole data package. Qt uses ICU on Linux for collation (QCollator:
the file dialog's sorting), for codecs beyond UTF-8/16/32 and Latin-1 (QStringConverter),
and for time-zone data; case mapping and normalisation data are built into libicuuc itself.
It does not use ICU's break iterators (Qt has its own), its number, date, currency, unit,
language and region names (Qt carries its own CLDR data), transliteration or Unicode
character names. This keeps everything but those, and the multi-byte converter tables (CJK;
the single-byte codepages stay, and the app decodes text in Python, not through Qt), then
links the package into a library of the same name and symbol. ``robloxassets --self-test``
checks what Qt uses ICU for in the frozen build (its "text" check).

Needs a C compiler (``cc``) and ``readelf``; without them the spec keeps the original.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

#: Item trees of the package that Qt never reads.
DROPPED_TREES = ("brkitr", "curr", "lang", "rbnf", "region", "translit", "unit", "zone")
#: Top-level items Qt never reads.
DROPPED_ITEMS = ("unames.icu",)
#: Kept although multi-byte: X11's COMPOUND_TEXT is built from these.
KEPT_CONVERTERS = ("icu-internal-compound-",)
_ALIGN = 16


class TrimError(Exception):
    """The library is not the ICU data library this expects."""


def _items(package: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """The header size and the (name, offset, size) of each item, in the TOC's order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27):
        raise TrimError("not an ICU data package")
    if package[12:16] != b"CmnD":
        raise TrimError(f"not an ICU common data package ({package[12:16]!r})")
    count = struct.unpack_from("<I", package, header_size)[0]
    toc = []
    for i in range(count):
        name_at, data_at = struct.unpack_from("<II", package, header_size + 4 + 8 * i)
        start = header_size + name_at
        name = package[start:package.index(b"\0", start)].decode("ascii")
        toc.append((name, header_size + data_at))
    by_offset = sorted(toc, key=lambda item: item[1])
    ends = {offset: (by_offset[i + 1][1] if i + 1 < len(by_offset) else len(package))
            for i, (_, offset) in enumerate(by_offset)}
    return header_size, [(name, offset, ends[offset] - offset) for name, offset in toc]


def max_bytes_per_char(item: bytes) -> int:
    """A converter table's longest character: 1 for the single-byte codepages. The item's
    own data header comes first, then UConverterStaticData (structSize, name[60], codepage,
    platform, conversionType, minBytesPerChar, maxBytesPerChar)."""
    header_size = struct.unpack_from("<H", item, 0)[0]
    return item[header_size + 4 + 60 + 4 + 3]


def dropped(name: str, item: bytes) -> bool:
    """Whether the item ``name`` ("icudt73l/brkitr/cjdict.dict") is left out."""
    parts = name.split("/")
    if len(parts) > 2 and parts[1] in DROPPED_TREES:
        return True
    if len(parts) == 2 and parts[1] in DROPPED_ITEMS:
        return True
    # Multi-byte tables, and the extension-only ones that need them (they are multi-byte
    # too), go; the single-byte codepages stay.
    return (name.endswith(".cnv") and not parts[-1].startswith(KEPT_CONVERTERS)
            and max_bytes_per_char(item) > 1)


def trim_package(package: bytes) -> bytes:
    """The package without the dropped items; the rest byte for byte, in TOC order."""
    header_size, items = _items(package)
    kept = [(name, offset, size) for name, offset, size in items
            if not dropped(name, package[offset:offset + size])]
    names = b"".join(name.encode("ascii") + b"\0" for name, _, _ in kept)
    toc_size = 4 + 8 * len(kept)
    data_at = toc_size + len(names)
    data_at += -data_at % _ALIGN
    toc = bytearray(struct.pack("<I", len(kept)))
    blobs = bytearray()
    name_at = toc_size
    for name, offset, size in kept:
        toc += struct.pack("<II", name_at, data_at + len(blobs))
        name_at += len(name) + 1
        blobs += package[offset:offset + size]
        blobs += b"\0" * (-len(blobs) % _ALIGN)
    body = bytes(toc) + names
    body += b"\0" * (data_at - len(body))
    out = package[:header_size] + body + bytes(blobs)
    # Read back: every kept item, by name, where the new TOC says, unchanged.
    _, again = _items(out)
    if [name for name, _, _ in again] != [name for name, _, _ in kept] or any(
            out[new:new + size] != package[old:old + size]
            for (_, new, _), (_, old, size) in zip(again, kept, strict=True)):
        raise TrimError("the trimmed package does not read back")
    return out


def _symbol(library: Path) -> tuple[str, int, int, str]:
    """The data symbol's name, file offset and size, and the library's soname."""
    symbols = subprocess.run(["readelf", "--dyn-syms", "-W", str(library)], check=True,
                             capture_output=True, text=True).stdout
    found = re.findall(r"([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+"
                       r"(icudt\d+_dat)", symbols)
    if len(found) != 1:
        raise TrimError(f"{library.name}: expected one icudtNN_dat symbol, found {found}")
    address, size, name = found[0]
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], check=True,
                              capture_output=True, text=True).stdout
    rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    if rodata is None:
        raise TrimError(f"{library.name}: no .rodata section")
    offset = int(address, 16) - int(rodata.group(1), 16) + int(rodata.group(2), 16)
    dynamic = subprocess.run(["readelf", "-d", str(library)], check=True,
                             capture_output=True, text=True).stdout
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
    return name, offset, int(size, 0), soname.group(1) if soname else library.name


def trimmed_icudata(library: Path, out_dir: Path) -> Path | None:
    """A trimmed copy of ``library`` in ``out_dir``, or None where it can't be made here
    (no compiler or readelf); a library that isn't what this expects is an error."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or shutil.which("readelf") is None:
        return None
    symbol, offset, size, soname = _symbol(library)
    package = library.read_bytes()[offset:offset + size]
    trimmed = trim_package(package)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = out_dir / f"{symbol}.dat"
    data.write_bytes(trimmed)
    source = out_dir / f"{symbol}.S"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
        f"{symbol}:\n\t.incbin \"{data}\"\n\t.size {symbol}, . - {symbol}\n"
        "\t.section .note.GNU-stack,\"\",@progbits\n")
    target = out_dir / soname
    subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}",
                    "-Wl,-z,noexecstack", "-o", str(target), str(source)], check=True)
    if _symbol(target)[2] != len(trimmed):
        raise TrimError(f"{target}: the data symbol has the wrong size")
    return target


if __name__ == "__main__":
    made = trimmed_icudata(Path(sys.argv[1]), Path(sys.argv[2]))
    if made is None:
        raise SystemExit("trim_icu: needs cc and readelf")
    before, after = Path(sys.argv[1]).stat().st_size, made.stat().st_size
    print(f"{made}: {after / 1e6:.1f} MB (was {before / 1e6:.1f} MB)")
