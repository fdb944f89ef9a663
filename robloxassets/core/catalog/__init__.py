"""The asset catalogue: asset IDs with names, tags, files and moderation status (SQLite)."""
