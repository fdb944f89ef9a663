"""Uploading to Roblox through Open Cloud: the key, the client, the queue and moderation."""
