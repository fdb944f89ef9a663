"""The one asset ID parser: every place a user types or pastes an ID goes through here.

Accepted forms (with or without scheme, with whitespace or other text around them):

* a plain number: ``46059313``
* content IDs: ``rbxassetid://46059313``, ``rbxthumb://type=Asset&id=46059313&w=420&h=420``
* Roblox web addresses: ``www.roblox.com/library/N/...``, ``/catalog/N/...``,
  ``/asset/?id=N``, ``create.roblox.com/store/asset/N/...`` (and ``/marketplace/asset/N``),
  Creator Dashboard addresses (``/dashboard/creations/store/N/configure``), and
  ``assetdelivery.roblox.com`` / ``apis.roblox.com/asset-delivery-api`` addresses.

Everything else (0, negative numbers, letters, numbers beyond 64 bits, addresses of other
sites, digits mixed from different scripts such as ``4٦0５9``) is refused with a message saying
what was expected. Full-width digits (``４６０５９３１３``, from East Asian input methods) are
read as the ASCII digits they stand for.

Parsing takes time linear in the text: the search box runs it on every keystroke, and a paste
can be a whole web page. Every pattern that can start anywhere is anchored so that it only
starts where a token starts, so no position of the text is scanned again and again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from robloxassets.core.errors import UserError

#: Roblox asset IDs are signed 64-bit integers on Roblox's side; only positive ones exist.
MAX_ASSET_ID = 2**63 - 1

EXPECTED = ("Expected an asset ID: a number such as 46059313, rbxassetid://46059313 or a "
            "Roblox address such as https://create.roblox.com/store/asset/46059313.")


class AssetIdError(UserError):
    """Text that holds no usable asset ID; the message says why and what was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)


@dataclass(frozen=True)
class ParsedAssetId:
    """An asset ID and a short description of the form it was found in (for the UI)."""

    asset_id: int
    form: str

    @property
    def content_id(self) -> str:
        return f"rbxassetid://{self.asset_id}"


# A run of digits that is a whole token: not part of a word, a decimal or a signed number.
# Digits are ASCII only ([0-9], not \d): int() would also take Arabic-Indic or Devanagari
# digits, and "4٦0５9" is no asset ID anyone meant.
_DIGITS_END = r"(?![\w.])"
_CONTENT_ID = re.compile(r"rbxassetid://\s*([0-9]+)" + _DIGITS_END, re.IGNORECASE)
_CONTENT_ANY = re.compile(r"rbxassetid://\S*", re.IGNORECASE)
_THUMB = re.compile(r"rbxthumb://\S*", re.IGNORECASE)
_THUMB_ID = re.compile(r"[?&:/]id=([0-9]+)(?![\w.])", re.IGNORECASE)
# host, then an optional path; scheme optional. The host needs a dot and a letter TLD. The
# look-behind lets a match start only where a run of address characters starts: without it,
# each of the 4,000 letters of "aaaa..." started its own attempt to the end of the run
# (4,000 characters took a second).
_URL = re.compile(
    r"(?<![a-z0-9+.-])"
    r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?::[0-9]+)?"
    r"(?P<rest>[/?#][^\s\"'<>]*)?",
    re.IGNORECASE,
)
_ID_SEGMENT = r"([0-9]+)(?=[/?#&]|$)"
_PATH_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:library|catalog)/" + _ID_SEGMENT,
                re.IGNORECASE), "a Roblox website address"),
    (re.compile(r"^/(?:store|marketplace)/asset/" + _ID_SEGMENT, re.IGNORECASE),
     "a Creator Store address"),
    (re.compile(r"^/dashboard/creations/(?:store|catalog|marketplace)/" + _ID_SEGMENT,
                re.IGNORECASE), "a Creator Dashboard address"),
    (re.compile(r"^/(?:asset-delivery-api/)?v1/assetid/" + _ID_SEGMENT, re.IGNORECASE),
     "an asset delivery address"),
)
_QUERY_ID = re.compile(r"[?&](?:id|assetid)=([0-9]+)(?=[&#]|$)", re.IGNORECASE)
_SIGNED = re.compile(r"^[+-]?[0-9]+$")
_LONE_NUMBER = re.compile(r"(?<![\w.+-])([0-9]+)(?![\w.])")
_ANY_DIGITS = re.compile(r"\d+")  # runs of decimal digits of any script


def _mixed_digits(text: str) -> str | None:
    """Why a run of digits in ``text`` is no number anyone typed as one, or None.

    ASCII digits, or full-width ones (East Asian input methods type them), are fine; other
    scripts' digits, or runs mixing kinds (``4٦0５9``), are not."""
    for match in _ANY_DIGITS.finditer(text):
        run = match.group()
        if run.isascii():
            continue
        other = next((c for c in run if not ("0" <= c <= "9" or "\uff10" <= c <= "\uff19")),
                     None)
        if other is not None:
            return (f"has the digit {other!r} "
                    f"({unicodedata.name(other, 'a non-Latin digit').title()})")
        if any("0" <= c <= "9" for c in run):  # and, as it is not ASCII, full-width ones
            return "mixes full-width and ordinary digits in one number"
    return None


def _checked(digits: str, form: str) -> ParsedAssetId:
    if len(digits.lstrip("0")) > 19:  # int() refuses over 4,300 digits; 2**63 has 19
        raise AssetIdError(f"{_short(digits, 30)} is too large to be an asset ID (more than "
                           "64 bits). " + EXPECTED)
    value = int(digits)
    if value == 0:
        raise AssetIdError("0 is not an asset ID: asset IDs start at 1. " + EXPECTED)
    if value > MAX_ASSET_ID:
        raise AssetIdError(f"{digits} is too large to be an asset ID (more than 64 bits). "
                           + EXPECTED)
    return ParsedAssetId(value, form)


def _is_roblox_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "roblox.com" or host.endswith(".roblox.com")


def _from_roblox_url(host: str, rest: str) -> str | None:
    """The digits of the asset ID in a Roblox address, or None if it names no asset."""
    path = rest.split("#", 1)[0]
    for pattern, _form in _PATH_FORMS:
        match = pattern.search(path)
        if match:
            return match.group(1)
    match = _QUERY_ID.search(path)
    if match and re.match(r"^/(?:v1/)?asset|^/asset-thumbnail|^/thumbs/", path, re.IGNORECASE):
        return match.group(1)
    return None


def _url_form(host: str, rest: str) -> str:
    path = rest.split("#", 1)[0]
    for pattern, form in _PATH_FORMS:
        if pattern.search(path):
            return form
    if host.lower().startswith("assetdelivery."):
        return "an asset delivery address"
    return "a Roblox asset address"


def parse_asset_id(text: str) -> ParsedAssetId:
    """Find the asset ID in ``text`` (any accepted form) or raise ``AssetIdError``."""
    if not isinstance(text, str):
        raise AssetIdError(f"{text!r} is not text. " + EXPECTED)
    stripped = text.strip().strip("\"'<>()[]")
    if not stripped:
        raise AssetIdError("Nothing to read: the text is empty. " + EXPECTED)
    if not stripped.isascii():
        # Full-width forms (０-９, ｒｂｘ...) become ASCII; other scripts' digits stay and are
        # refused below, so no ID is made of digits the user did not see as one number.
        problem = _mixed_digits(stripped)
        if problem is not None:
            raise AssetIdError(f"{_short(stripped)!r} {problem}: asset IDs are written with "
                               "the digits 0-9. " + EXPECTED)
        stripped = unicodedata.normalize("NFKC", stripped)

    if _SIGNED.match(stripped):
        if stripped.startswith("-"):
            raise AssetIdError(f"{stripped} is negative: asset IDs are positive numbers. "
                               + EXPECTED)
        return _checked(stripped.lstrip("+"), "a number")

    content = _CONTENT_ANY.search(stripped)
    if content:
        match = _CONTENT_ID.match(content.group(0))
        if not match:
            raise AssetIdError(f"{content.group(0)!r} has no number after rbxassetid://. "
                               + EXPECTED)
        return _checked(match.group(1), "an rbxassetid:// content ID")

    thumb = _THUMB.search(stripped)
    if thumb:
        match = _THUMB_ID.search(thumb.group(0))
        if not match:
            raise AssetIdError(f"{thumb.group(0)!r} has no id=NUMBER in it. " + EXPECTED)
        return _checked(match.group(1), "an rbxthumb:// content ID")

    foreign: list[str] = []
    roblox_without_id: list[str] = []
    for match in _URL.finditer(stripped):
        host, rest = match.group("host"), match.group("rest") or ""
        scheme = (match.group("scheme") or "").lower()
        if scheme and scheme not in ("http", "https"):
            foreign.append(match.group(0))
            continue
        if not _is_roblox_host(host):
            # "v1.2" or "file.png" are not addresses; only count hosts with a path or scheme.
            if scheme or rest:
                foreign.append(match.group(0))
            continue
        digits = _from_roblox_url(host, rest)
        if digits is not None:
            return _checked(digits, _url_form(host, rest))
        roblox_without_id.append(match.group(0))

    if roblox_without_id:
        raise AssetIdError(f"{roblox_without_id[0]} is a Roblox address but names no asset. "
                           + EXPECTED)
    if foreign:
        raise AssetIdError(f"{foreign[0]} is not a Roblox address. " + EXPECTED)

    numbers = _LONE_NUMBER.findall(stripped)
    if len(numbers) == 1:
        return _checked(numbers[0], "a number in the text")
    if len(numbers) > 1:
        raise AssetIdError(f"{_short(stripped)!r} holds several numbers "
                           f"({', '.join(numbers[:3])}); paste just one. " + EXPECTED)
    raise AssetIdError(f"{_short(stripped)!r} holds no asset ID. " + EXPECTED)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def try_parse_asset_id(text: str) -> int | None:
    """The asset ID in ``text``, or None when there is none (no message needed)."""
    try:
        return parse_asset_id(text).asset_id
    except AssetIdError:
        return None


def content_id(asset_id: int) -> str:
    """The form scripts and properties take: ``rbxassetid://N``."""
    return f"rbxassetid://{asset_id}"
