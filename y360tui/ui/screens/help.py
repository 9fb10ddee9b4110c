"""``?``: the keys that mean something here, grouped: this view, everywhere, the views.

The list is read from the screen's live bindings (so an edit key hidden in read-only mode is not
listed), minus Textual's generic ones that do nothing useful in this app (horizontal scrolling,
focus cycling, copying a selection); movement keys are folded into three lines.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .. import registry

# Keys as people type them.
KEY_NAMES = {
    "question_mark": "?", "slash": "/", "asterisk": "*", "space": "Space", "escape": "Esc",
    "enter": "Enter",
    "backspace": "Backspace", "up": "↑", "down": "↓", "left": "←", "right": "→",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End", "tab": "Tab",
}
# Textual's generic bindings that mean nothing useful here.
HIDDEN = frozenset({
    "scroll_left", "scroll_right", "page_left", "page_right", "app.focus_next",
    "app.focus_previous", "screen.copy_text", "cursor_parent_next_sibling",
    "cursor_previous_sibling", "cursor_next_sibling", "command_palette",
    "ctrl_c",  # quits as q does (or copies in a text field): what people press anyway
})
# Movement actions, folded into one line per meaning.
MOVES = {
    "cursor_up": "Move up / down", "cursor_down": "Move up / down",
    "page_up": "Page up / down", "page_down": "Page up / down",
    "first": "First / last row", "last": "First / last row",
    "scroll_home": "First / last row", "scroll_end": "First / last row",
}
KEY_WIDTH = 16


def key_label(key: str) -> str:
    """A binding's key as people type it (``shift+left`` -> ``Shift+←``)."""
    return ", ".join(_one_key(k.strip()) for k in key.split(","))


def _one_key(key: str) -> str:
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    *mods, last = key.split("+")
    last = KEY_NAMES.get(last, last.upper() if mods else last)
    return "+".join([*(m.capitalize() for m in mods), last])


def binding_groups(screen: Screen) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(this view, everywhere)``: ``(keys, description)`` pairs of ``screen``'s active
    bindings, keys that do the same thing joined on one line."""
    view: dict[str, list[str]] = {}
    everywhere: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action in HIDDEN or binding.action.startswith("view_key"):
            continue
        text = MOVES.get(binding.action) or binding.description or \
            binding.action.replace("_", " ")
        target = everywhere if isinstance(active.node, App) else view
        target.setdefault(text, []).append(key_label(key))
    # Back is the same everywhere; list it once, with the global keys.
    back = view.pop("Back", None)
    if back:
        everywhere = {"Back (closes the filter first)": back, **everywhere}
    return _lines(view), _lines(everywhere)


def _lines(keys_by_text: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(", ".join(dict.fromkeys(keys)), text) for text, keys in keys_by_text.items()]


def _section(title: str, lines: list[tuple[str, str]]) -> list[str]:
    return [f"[b]{title}[/b]", *(f"  [b]{keys:<{KEY_WIDTH}}[/b] {text}" for keys, text in lines)]


def help_text(screen: Screen) -> str:
    """The help screen's content as Rich markup."""
    view, everywhere = binding_groups(screen)
    everywhere.append(("Ctrl+P", "Command palette: views, find a user/group/department, theme"))
    name = str(getattr(screen, "crumb", "") or screen.title or "this view")
    views = [(spec.keys, spec.title) for spec in registry.views()]
    mouse = [("click", "a row: move there; a column header: sort by it (again: reverse)"),
             ("double click", "open the row"), ("wheel", "scroll")]
    return "\n".join([
        *_section(f"This view: {name}", view), "",
        *_section("Everywhere", everywhere), "",
        *_section("Views (key; 0 lists them all; or the name in the palette)", views), "",
        *_section("Mouse", mouse),
    ])


class HelpScreen(ModalScreen[None]):
    """A scrollable list of bindings; Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, source: Screen) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        """One scrollable text block."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(help_text(self.source), id="help-text", markup=True)

    def on_mount(self) -> None:
        """Arrows and PgUp/PgDn scroll the text."""
        self.query_one("#help-box").focus()

    def action_scroll(self, direction: str) -> None:
        """j / k: scroll one line."""
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=1 if direction == "down" else -1, animate=False)

    def action_close(self) -> None:
        """Back to the screen it came from."""
        self.dismiss(None)
