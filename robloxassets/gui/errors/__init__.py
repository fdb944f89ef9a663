"""The Error codes page: look up a code or a pasted error dialog.

``page`` (the page), ``delegate`` (result list rows and their roles), ``details`` (an entry
as rich text for the detail view).
"""
