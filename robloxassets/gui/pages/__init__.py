"""Pages of the main window, in navigation order (Ctrl+1, Ctrl+2, ...)."""

from __future__ import annotations

from robloxassets.gui.page import Page


def page_classes() -> list[type[Page]]:
    # Imported here so that importing the package does not pull every page's dependencies.
    from robloxassets.gui.pages.catalogue import CataloguePage
    from robloxassets.gui.pages.errors import ErrorCodesPage
    from robloxassets.gui.pages.library import LibraryPage

    return [LibraryPage, CataloguePage, ErrorCodesPage]
