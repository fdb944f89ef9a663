"""Saving a pasted API key the one way both the window and ``robloxassets key set`` do it:
ask Roblox about it first, refuse a key Roblox rejects, save it in the OS keyring.

When Roblox can't be asked right now (offline, unavailable, a rate limit) the key is saved
anyway and ``SavedKey.note`` says why it was not checked; a key Roblox refuses is never saved.
Nothing here prints, logs or returns the key's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.apikey import ApiKey, ApiKeyError
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.cloud.keyinfo import KeyInfo, introspect
from robloxassets.core.cloud.urls import Endpoints

#: Failures that say nothing about the key itself: it is saved, and checked later.
UNCHECKED_KINDS = (Kind.OFFLINE, Kind.CUT_OFF, Kind.UNAVAILABLE, Kind.BAD_ANSWER,
                   Kind.RATE_LIMITED)

REFUSED = ("Roblox does not accept this key (wrong, disabled or expired); nothing was saved. "
           "Copy the key again from the Creator Dashboard.")


@dataclass(frozen=True)
class SavedKey:
    """What saving found: the key's facts (None when Roblox could not be asked, ``note``
    says why), the keyring's name, and whether ``ROBLOXASSETS_API_KEY`` overrides it."""

    info: KeyInfo | None
    note: str = ""
    keyring: str = ""
    environment_wins: bool = False


def check_and_save(text: str, endpoints: Endpoints | None = None) -> SavedKey:
    """Check ``text`` with Roblox and store it in the keyring. ``ApiKeyError`` (a sentence)
    when there is no keyring, the text is no key, or Roblox refuses it."""
    problem = apikey.keyring_problem()
    if problem:
        raise ApiKeyError(problem)
    value = apikey.check_key_text(text)
    candidate = ApiKey(value, "entered")
    info: KeyInfo | None = None
    note = ""
    with Client(candidate, endpoints) as client:
        try:
            info = introspect(client, candidate)
        except CloudError as exc:
            if exc.kind is Kind.INVALID_KEY:
                raise ApiKeyError(REFUSED) from None
            if exc.kind not in UNCHECKED_KINDS:
                raise
            note = exc.message
    apikey.save_key(value)
    loaded = apikey.load_key()
    return SavedKey(info, note, apikey.keyring_name() or "keyring",
                    loaded is not None and loaded.source == "environment")


@dataclass(frozen=True)
class CheckedKey:
    source: str  # "keyring" | "environment"
    info: KeyInfo


def check_saved(endpoints: Endpoints | None = None) -> CheckedKey:
    """Ask Roblox about the key in use (``ApiKeyError`` when none is saved)."""
    key = apikey.require_key()
    with Client(key, endpoints) as client:
        return CheckedKey(key.source, introspect(client, key))
