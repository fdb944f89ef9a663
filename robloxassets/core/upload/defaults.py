"""The upload choices remembered between runs: creator and asset type (settings file).

The creator starts as the key's owner (introspection fills it in when a key is saved or
checked); the user can set a group instead.
"""

from __future__ import annotations

from robloxassets.core.cloud.assets import AssetType, Creator, Privacy
from robloxassets.core.cloud.keyinfo import KeyInfo
from robloxassets.core.settings import Settings

ASSET_TYPE_HELP = {
    AssetType.IMAGE: "Image (the default): its ID works in scripts and in a Decal's texture "
                     "directly. It does not appear in the Toolbox.",
    AssetType.DECAL: "Decal: appears in the Toolbox and Creator Store; scripts need the image "
                     "ID inside it, which the app looks up when the key allows "
                     "(legacy-asset:manage).",
}

PRIVACY_HELP = ("Asset privacy: default follows your account's choice; restricted lets only "
                "you (or your group) use it; open use lets anyone use it, and can't be undone.")


def saved_creator(settings: Settings) -> Creator | None:
    kind, number = settings.get("upload.creator_type"), settings.get("upload.creator_id")
    if kind in ("user", "group") and isinstance(number, int) and 0 < number < 2**63:
        return Creator(kind, number)
    return None


def remember_creator(settings: Settings, creator: Creator) -> None:
    settings.set("upload.creator_type", creator.kind)
    settings.set("upload.creator_id", int(creator.id))


def prefill_creator(settings: Settings, info: KeyInfo) -> Creator | None:
    """Use the key's owner as the creator unless one is chosen already; returns the one now
    saved (None: nothing known)."""
    current = saved_creator(settings)
    if current is None and info.owner_id:
        current = Creator("user", info.owner_id)
        remember_creator(settings, current)
    return current


def saved_asset_type(settings: Settings) -> AssetType:
    return AssetType.parse(settings.get("upload.asset_type")) or AssetType.IMAGE


def remember_asset_type(settings: Settings, asset_type: AssetType) -> None:
    settings.set("upload.asset_type", asset_type.value)


def saved_privacy(settings: Settings) -> Privacy:
    try:
        return Privacy(settings.get("upload.privacy"))
    except ValueError:
        return Privacy.DEFAULT


def remember_privacy(settings: Settings, privacy: Privacy) -> None:
    settings.set("upload.privacy", privacy.value)
