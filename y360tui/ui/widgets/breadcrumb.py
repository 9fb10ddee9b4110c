"""``Breadcrumb``: the navigation path, e.g. ``Groups › Sales › ivan.petrov › Shared files``.

It reads the current screen stack: every screen contributes its ``crumb`` attribute (a short
label), or its ``title`` when it has none. Screens without either (the app's default screen,
modals) are skipped.
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SEPARATOR = " › "


def crumb_of(screen: Screen) -> str:
    """The label ``screen`` shows in the breadcrumb ('' = none)."""
    if isinstance(screen, ModalScreen):
        return ""
    return str(getattr(screen, "crumb", "") or screen.title or "")


def path_text(stack: list[Screen]) -> str:
    """The breadcrumb text for a screen stack."""
    return SEPARATOR.join(c for c in map(crumb_of, stack) if c)


class Breadcrumb(Static):
    """One line with the path from the current view to this screen."""

    def on_mount(self) -> None:
        """Show the path as soon as the screen is built."""
        self.update_path()

    def update_path(self) -> None:
        """Re-read the stack up to this breadcrumb's own screen."""
        stack = list(self.app.screen_stack)
        own = self.screen
        if own in stack:
            stack = stack[: stack.index(own) + 1]
        self.update(path_text(stack))
