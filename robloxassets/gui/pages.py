"""Pages of the main window, in navigation order (Ctrl+1, Ctrl+2, ...)."""

from __future__ import annotations

from robloxassets.gui.page import Page


def page_classes() -> list[type[Page]]:
    # Imported here so that importing the package does not pull every page's dependencies.
    from robloxassets.gui.catalog.page import CatalogPage
    from robloxassets.gui.duplicates.page import DuplicatesPage
    from robloxassets.gui.errors.page import ErrorCodesPage
    from robloxassets.gui.library.page import LibraryPage
    from robloxassets.gui.uploads.page import UploadsPage

    return [LibraryPage, CatalogPage, ErrorCodesPage, UploadsPage, DuplicatesPage]
