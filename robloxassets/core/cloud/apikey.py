"""The Open Cloud API key: kept in the OS keyring, or read from ``ROBLOXASSETS_API_KEY``.

The key is wrapped in ``ApiKey`` as soon as it is read, whose ``str``/``repr`` never show it;
only ``reveal()`` gives the text, for the one header or introspection body that needs it.
Every key loaded is registered with ``redact`` so no log line can carry it. Where no keyring
backend exists (a headless Linux box, a container), saving says so and names the environment
variable instead; the app never writes the key to a file of its own.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from robloxassets.core.cloud.redact import register_secret
from robloxassets.core.errors import UserError

log = logging.getLogger(__name__)

ENV = "ROBLOXASSETS_API_KEY"
SERVICE = "robloxassets"
ACCOUNT = "open-cloud-api-key"

_MIN_LENGTH = 16
_MAX_LENGTH = 8192

#: Keyring backends below this priority are not a real OS keyring (``fail``, ``null``, and
#: plain-text file stores such as keyrings.alt's), so the key is never put there.
MIN_PRIORITY = 1


class ApiKey:
    """An API key that does not print itself. ``source`` is "keyring", "environment" or
    "entered" (just typed, not saved yet)."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str) -> None:
        register_secret(value)
        self._value = value
        self.source = source

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"ApiKey(<hidden>, from {self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("an API key is not pickled (it would leave the process in clear)")


class ApiKeyError(UserError):
    """The key can't be read, saved or forgotten; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)


def check_key_text(text: str) -> str:
    """The key as typed, with surrounding space removed; ``ApiKeyError`` when it can't be one.

    The message never repeats what was typed.
    """
    value = text.strip()
    if not value:
        raise ApiKeyError("No key was given; paste the API key from the Creator Dashboard.")
    if any(ch.isspace() for ch in value) or not value.isascii() or not value.isprintable():
        raise ApiKeyError("That is not an Open Cloud API key (it has spaces or unusual "
                        "characters); copy the key again from the Creator Dashboard.")
    if not _MIN_LENGTH <= len(value) <= _MAX_LENGTH:
        raise ApiKeyError(f"That is not an Open Cloud API key ({len(value)} characters); copy "
                        "the whole key from the Creator Dashboard.")
    return value


def _backend() -> Any | None:
    """The keyring backend if it is a real OS keyring, else None."""
    try:
        import keyring
    except ImportError:  # pragma: no cover - a dependency, but a broken install happens
        return None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a misconfigured keyring must not stop the app
        log.warning("No keyring: %s", type(exc).__name__)
        return None
    priority = getattr(backend, "priority", 0)
    try:
        usable = float(priority) >= MIN_PRIORITY
    except (TypeError, ValueError):
        usable = False
    return backend if usable else None


def keyring_problem() -> str:
    """"" when an OS keyring is available; else a sentence saying what to do instead."""
    if _backend() is not None:
        return ""
    return ("No system keyring is available on this computer (such as GNOME Keyring, KWallet, "
            "macOS Keychain or Windows Credential Manager), so the key can't be saved. Set the "
            f"environment variable {ENV} to the key instead.")


def keyring_name() -> str:
    backend = _backend()
    return type(backend).__module__.rsplit(".", 1)[-1] if backend is not None else ""


def load_key() -> ApiKey | None:
    """The key to use: ``ROBLOXASSETS_API_KEY`` if set (it overrides, for CI and scripts), else
    the keyring's; None when neither has one."""
    value = os.environ.get(ENV, "").strip()
    if value:
        return ApiKey(value, "environment")
    backend = _backend()
    if backend is None:
        return None
    try:
        stored = backend.get_password(SERVICE, ACCOUNT)
    except Exception as exc:
        # The exception text of a backend could in principle hold anything: log its type.
        log.warning("Keyring read failed: %s", type(exc).__name__)
        raise ApiKeyError("The system keyring could not be read (is it locked?); unlock it and "
                        f"try again, or set {ENV}.") from None
    return ApiKey(stored, "keyring") if stored else None


def require_key() -> ApiKey:
    key = load_key()
    if key is None:
        problem = keyring_problem()
        where = (f"set {ENV}" if problem else
                 "save one with Tools > Open Cloud key... or 'robloxassets key set'")
        raise ApiKeyError(f"No Open Cloud API key is saved; {where}. The key needs the Assets "
                        "API with asset:read and asset:write.")
    return key


def save_key(text: str) -> ApiKey:
    """Check and store the key in the OS keyring; returns it. Never writes a file."""
    value = check_key_text(text)
    key = ApiKey(value, "entered")
    backend = _backend()
    if backend is None:
        raise ApiKeyError(keyring_problem())
    try:
        backend.set_password(SERVICE, ACCOUNT, value)
    except Exception as exc:
        log.warning("Keyring write failed: %s", type(exc).__name__)
        raise ApiKeyError("The system keyring refused to store the key (is it locked?); "
                        f"unlock it and try again, or set {ENV}.") from None
    key.source = "keyring"
    return key


def forget_key() -> bool:
    """Remove the key from the keyring; True when there was one."""
    backend = _backend()
    if backend is None:
        return False
    try:
        if not backend.get_password(SERVICE, ACCOUNT):
            return False
        backend.delete_password(SERVICE, ACCOUNT)
    except Exception as exc:
        log.warning("Keyring delete failed: %s", type(exc).__name__)
        raise ApiKeyError("The system keyring could not remove the key (is it locked?); "
                        "unlock it and try again.") from None
    return True
