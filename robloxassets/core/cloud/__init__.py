"""Roblox's web APIs: the Open Cloud key, one HTTP client with pacing and retries, and the
Assets, introspection, asset-delivery and thumbnails calls made with it.

Nothing here knows about the catalogue or the upload queue (``core.upload`` does); nothing
here imports Qt.
"""
