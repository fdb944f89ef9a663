"""The Error codes page's Back/Forward history: which lookup and which entry were shown.

Plain Python (no Qt), so its rules are tested on their own. A view made by typing is
*coalesced*: while it is the newest view, every keystroke replaces it, so Back goes to what was
shown before the typing began, not to each letter typed. A related link, a clipboard lookup or
a query handed over by another page is a step of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Views kept; older ones are dropped (a long session should not grow without bound).
LIMIT = 100


@dataclass(frozen=True)
class View:
    """What the page showed: the search text, the category filter ("" for all), the entry in
    the detail view (None for the intro or a no-match answer), and whether typing made it."""

    query: str
    category: str = ""
    entry_id: str | None = None
    typed: bool = False


class History:
    """Views in the order they were shown, and the one shown now."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._views: list[View] = []
        self._at = -1
        self._limit = max(1, limit)

    @property
    def current(self) -> View | None:
        return self._views[self._at] if self._at >= 0 else None

    @property
    def previous(self) -> View | None:
        """The view Back would show."""
        return self._views[self._at - 1] if self._at > 0 else None

    @property
    def can_back(self) -> bool:
        return self._at > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self._at < len(self._views) - 1

    def __len__(self) -> int:
        return len(self._views)

    def visit(self, view: View) -> None:
        """A new step: forward views are dropped (as in a browser)."""
        if view == self.current:
            return
        del self._views[self._at + 1:]
        self._views.append(view)
        if len(self._views) > self._limit:
            del self._views[: len(self._views) - self._limit]
        self._at = len(self._views) - 1

    def typed(self, view: View) -> None:
        """A lookup made by typing: replaces the newest view if typing made that one too,
        else is a new step."""
        view = replace(view, typed=True)
        current = self.current
        if current is not None and current.typed and not self.can_forward:
            self._views[self._at] = view
        else:
            self.visit(view)

    def update(self, entry_id: str | None) -> None:
        """Another entry of the same lookup was chosen in the list: remember it in place."""
        current = self.current
        if current is not None:
            self._views[self._at] = replace(current, entry_id=entry_id)

    def back(self) -> View | None:
        if not self.can_back:
            return None
        self._at -= 1
        return self._views[self._at]

    def forward(self) -> View | None:
        if not self.can_forward:
            return None
        self._at += 1
        return self._views[self._at]
