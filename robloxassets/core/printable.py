"""Names and paths made safe to print on a terminal, one line each.

A file or entry name is whatever its author typed: it can hold ``ESC [ 2 J`` (the terminal
clears the screen), a newline (one entry prints as two lines, faking a row), right-to-left
overrides that show ``gpj.exe`` as ``exe.jpg``, or bytes that are not UTF-8 (Python hands
those over as lone surrogates). Printing goes through ``printable``: every such character
becomes a visible backslash escape, everything else stays as it is.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidirectional overrides and isolates, zero-width line and
# paragraph separators, and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control characters, bidi overrides and undecodable bytes escaped."""
    return _UNSAFE.sub(_escape, text)
