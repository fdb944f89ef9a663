"""The Library page: folders of images as a thumbnail grid with Roblox's verdicts.

``page`` (the page), ``model`` (grid rows and filter), ``delegate`` (one cell painted),
``details`` (the side panel), ``links`` (catalogue badges and records), ``prepare`` and
``prepare_dialog`` ("Prepare for upload"), ``jobs`` (background work), ``thumbcache``.
"""
