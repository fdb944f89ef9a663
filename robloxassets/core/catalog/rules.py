"""The rules a catalogue entry's values follow, each written once.

The store applies every rule when it saves (``model.validate_entry``); the entry form checks
them as the user types and the CLI as it reads its arguments, so all three say the same thing.
A value not filled in yet raises ``MissingValue`` (the form shows it as a hint, not as a
mistake); a wrong value raises ``UserError``. Whether an ID is already recorded is the
store's rule (``Catalog.duplicate_of``): it needs the database.
"""

from __future__ import annotations

from robloxassets.core.assetid import MAX_ASSET_ID
from robloxassets.core.errors import UserError

CREATOR_TYPES = ("user", "group")
MAX_NAME_LENGTH = 200


class MissingValue(UserError):
    """A value the entry needs has not been given yet."""


def _who(name: str) -> str:
    return repr(name) if name else "The entry"


def _of(name: str) -> str:
    return f" of {name!r}" if name else ""


def is_id(value: object) -> bool:
    """True for a valid Roblox ID (asset, user or group): a whole number from 1 to 2**63 - 1,
    what SQLite's INTEGER holds."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ASSET_ID


def check_name(name: str) -> str:
    """The name with its white space folded; ``MissingValue`` when empty."""
    folded = " ".join(str(name).split())
    if not folded:
        raise MissingValue("Give the entry a name (it becomes its key in exported code).")
    if len(folded) > MAX_NAME_LENGTH:
        raise UserError(f"The name {folded[:30]!r}... is too long; keep it under "
                        f"{MAX_NAME_LENGTH} characters.")
    return folded


def check_ids(decal_id: int | None, image_id: int | None, name: str = "") -> None:
    """At least one of the decal ID and the image ID, each a valid ID, and not the same
    number: a decal and its image always have different IDs."""
    if decal_id is None and image_id is None:
        raise MissingValue(f"{_who(name)} needs a decal ID or an image ID (or both).")
    if decal_id is not None and decal_id == image_id:
        raise UserError(f"The decal ID and image ID{_of(name)} are both {decal_id}; a decal "
                        "and its image have different IDs. Leave one of them empty.")
    for label, value in (("decal ID", decal_id), ("image ID", image_id)):
        if value is not None and not is_id(value):
            raise UserError(f"The {label} {value!r}{_of(name)} is not a positive 64-bit "
                            "number.")


def parse_creator_id(text: str) -> int:
    """A creator's user or group ID as typed; ``MissingValue`` when empty."""
    digits = str(text).strip()
    if not digits:
        raise MissingValue("Enter the creator's user or group ID (a number).")
    if not (digits.isascii() and digits.isdigit()) or not is_id(int(digits)):
        raise UserError(f"The creator ID {digits[:30]!r} is not a user or group ID: use the "
                        "number from the profile or group address, e.g. 156.")
    return int(digits)


def parse_creator(text: str) -> tuple[str, int]:
    """``user:156`` or ``group:4567`` -> (type, ID)."""
    kind, _, number = str(text).partition(":")
    kind = kind.strip().lower()
    if kind not in CREATOR_TYPES or not number.strip():
        raise UserError(f"The creator {text!r}: write user:ID or group:ID, e.g. user:156.")
    return kind, parse_creator_id(number)


def check_creator(creator_type: str | None, creator_id: int | None, name: str = "") -> None:
    """No creator, or both a type (user or group) and a valid ID."""
    if creator_type not in (None, *CREATOR_TYPES):
        raise UserError(f"Creator type {creator_type!r}{_of(name)}: use user or group.")
    if (creator_type is None) != (creator_id is None):
        raise MissingValue(f"The creator{_of(name)} needs both a type (user or group) and an "
                           "ID.")
    if creator_id is not None and not is_id(creator_id):
        raise UserError(f"The creator ID {creator_id!r}{_of(name)} is not a positive 64-bit "
                        "number.")
