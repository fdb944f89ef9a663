"""How a copy is named, the same in the CLI, the Duplicates page and the Library details."""

from __future__ import annotations


def copy_kind(exact: bool, distance: int, mirrored: bool, short: bool = False) -> str:
    """"exact copy", "same picture", "mirrored copy", "near-copy, 4 of 64 bits differ",
    "mirrored near-copy, ..." (``short``: "near-copy · 4 bits"), lower case."""
    if exact:
        return "exact copy"
    if distance == 0:
        return "mirrored copy" if mirrored else "same picture"
    bits = f"{distance} bit{'s' if distance != 1 else ''}"
    amount = f" · {bits}" if short else f", {distance} of 64 bits differ"
    return ("mirrored near-copy" if mirrored else "near-copy") + amount
