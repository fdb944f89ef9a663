"""robloxassets: a desktop app for Roblox creators."""

__version__ = "0.1.0"
