"""Window tests never reach Roblox or the machine's keyring: the cloud URLs point nowhere
and the keyring is the failing one unless a test asks for the fake server or a memory
keyring (tests/cloudfixtures.py)."""

from tests.cloudfixtures import (  # noqa: F401 - fixtures
    fake,
    fake_env,
    memory_keyring,
    no_internet,
    no_keyring,
)
