"""The fake Roblox, a client aimed at it, and an in-memory keyring (tests/cloudfixtures.py)."""

from tests.cloudfixtures import (  # noqa: F401 - fixtures
    client,
    fake,
    fake_env,
    memory_keyring,
    no_internet,
    no_keyring,
)
