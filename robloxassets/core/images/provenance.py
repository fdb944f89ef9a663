"""What an upload-ready copy says about its original, in a PNG text chunk.

Every copy "Prepare for upload" (or ``robloxassets fit``) writes carries a ``tEXt`` (or, for a
non-Latin-1 name, ``iTXt``) chunk with keyword ``robloxassets-source`` and text such as::

    sha256=3f5c... bytes=2203718 max_side=1024 recipe=1 name=huge_4096.png

- ``sha256`` and ``bytes``: the original's content, so the copy knows its original however
  either file is renamed or moved (the size lets the Library hash only originals that could
  match);
- ``max_side`` and ``recipe``: the settings the copy was made with (``recipe`` changes when
  the way copies are made changes), so preparing the same original again with the same
  settings is known to give the same picture, and nothing needs writing;
- ``name``: the original's file name (never its folder), to say which image a copy came from
  when the original is not open.

It sits beside the asset-ID chunk of ``robloxassets.core.catalog.pngtag`` (keyword
``robloxassets``); the two never replace each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY = "robloxassets-source"

#: Bump when the pixels of a copy made from the same original with the same ``max_side``
#: would come out different (resampling, alpha bleeding, colour conversion...): older copies
#: are then no longer "up to date".
RECIPE = 1

_FIELD = re.compile(r"(sha256|bytes|max_side|recipe)=(\S+)")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Provenance:
    """The original a copy was made from and how."""

    source_sha256: str
    source_bytes: int
    max_side: int
    source_name: str = ""
    recipe: int = RECIPE

    @property
    def settings(self) -> tuple[str, int, int]:
        """What makes two copies of one original identical: the original's content, the
        longest side and the recipe."""
        return self.source_sha256, self.max_side, self.recipe

    def text(self) -> str:
        name = " ".join(self.source_name.split())  # one line, whatever the name holds
        return (f"sha256={self.source_sha256} bytes={self.source_bytes} "
                f"max_side={self.max_side} recipe={self.recipe} name={name}")

    def chunk(self) -> dict[str, str]:
        """The PNG text chunk (keyword -> text) a copy carries."""
        return {KEY: self.text()}

    @classmethod
    def parse(cls, text: str) -> Provenance | None:
        """The provenance in a chunk's text, or None if it is not one."""
        head, _, name = text.partition(" name=")
        fields = dict(_FIELD.findall(head))
        digest = fields.get("sha256", "")
        try:
            size, side, recipe = (int(fields[k]) for k in ("bytes", "max_side", "recipe"))
        except (KeyError, ValueError):
            return None
        if not _HEX64.fullmatch(digest) or size < 0 or side < 1:
            return None
        return cls(digest, size, side, name.strip(), recipe)

    @classmethod
    def from_chunks(cls, chunks: dict[str, str]) -> Provenance | None:
        """The provenance among a PNG's text chunks (``fit.read_png_text``), or None."""
        text = chunks.get(KEY)
        return cls.parse(text) if text else None
