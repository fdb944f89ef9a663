"""The Catalogue page: every asset ID with its name, tags, file and moderation status.

``page`` (the page), ``model`` (table rows read from SQL), ``table`` (the view and its
thumbnail delegate), ``details`` (the side panel), ``entry_form`` (add/edit dialog),
``edits`` (changes and their undo), ``transfers`` (import and export jobs), ``thumbnails``
(previews of local files).
"""
