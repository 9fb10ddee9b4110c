"""``Breadcrumb``: the navigation path, e.g. ``Groups › Sales › ivan.petrov › Shared files``.

It reads the current screen stack: every screen contributes its ``crumb`` attribute (a short
label), or its ``title`` when it has none. Screens without either (the app's default screen,
modals) are skipped.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SEPARATOR = " › "
ELLIPSIS = "…"


def crumb_of(screen: Screen) -> str:
    """The label ``screen`` shows in the breadcrumb ('' = none)."""
    if isinstance(screen, ModalScreen):
        return ""
    return str(getattr(screen, "crumb", "") or screen.title or "")


def path_text(stack: list[Screen]) -> str:
    """The breadcrumb text for a screen stack."""
    return SEPARATOR.join(c for c in map(crumb_of, stack) if c)


def elide(crumbs: list[str], width: int) -> str:
    """``crumbs`` joined, fitted to ``width`` cells by dropping crumbs from the left (an
    ellipsis says some were): the current place, the last crumb, stays whole while it fits
    at all; a last crumb wider than the line keeps its end."""
    text = SEPARATOR.join(crumbs)
    if width <= 0 or cell_len(text) <= width:
        return text
    for start in range(1, len(crumbs)):
        text = ELLIPSIS + SEPARATOR + SEPARATOR.join(crumbs[start:])
        if cell_len(text) <= width:
            return text
    last = crumbs[-1] if crumbs else ""
    keep = width - cell_len(ELLIPSIS)
    while keep > 0 and cell_len(last) > keep:
        last = last[1:]
    return ELLIPSIS + last if keep > 0 else ELLIPSIS[:width]


class Breadcrumb(Static):
    """One line with the path from the current view to this screen; on a narrow line the
    first crumbs give way (``… › Sales › ivan.petrov``), never the current place."""

    crumbs: list[str] = []

    def on_mount(self) -> None:
        """Show the path as soon as the screen is built."""
        self.update_path()

    def update_path(self) -> None:
        """Re-read the stack up to this breadcrumb's own screen."""
        stack = list(self.app.screen_stack)
        own = self.screen
        if own in stack:
            stack = stack[: stack.index(own) + 1]
        self.crumbs = [c for c in map(crumb_of, stack) if c]
        self._fit()

    def on_resize(self) -> None:
        """Fit the path to the new width."""
        self._fit()

    def _fit(self) -> None:
        width = self.content_region.width if self.size.width else 0
        self.update(elide(self.crumbs, width))
