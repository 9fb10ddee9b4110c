"""``?``: every key binding of the screen it was opened from, and the views' number keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .. import registry

# Keys that are easier to read spelled out.
KEY_NAMES = {"question_mark": "?", "slash": "/", "space": "space", "escape": "esc",
             "backspace": "backspace", "ctrl+p": "ctrl+p"}


def key_label(key: str) -> str:
    """A binding's key as people type it."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def binding_lines(screen: Screen) -> list[tuple[str, str]]:
    """``(keys, description)`` of every active binding of ``screen`` (focus chain + app)."""
    seen: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action.startswith("view_key"):
            continue  # listed once, with the views
        text = binding.description or binding.action.replace("_", " ")
        seen.setdefault(text, []).append(key_label(key))
    return [(", ".join(dict.fromkeys(keys)), text) for text, keys in seen.items()]


def help_text(screen: Screen) -> str:
    """The help screen's content as Rich markup."""
    lines = ["[b]Keys on this screen[/b]"]
    lines += [f"  [b]{keys:<18}[/b] {text}" for keys, text in binding_lines(screen)]
    lines += ["", "[b]Views[/b]"]
    lines += [f"  [b]{spec.key:<18}[/b] {spec.title}" for spec in registry.views()]
    lines += ["", "[b]Tables[/b]",
              "  [b]↑ ↓ j k          [/b] move   [b]PgUp PgDn Home End g G[/b] jump",
              "  [b]click header     [/b] sort by that column (again: reverse)",
              "", "[b]Command palette[/b] (ctrl+p): jump to a view, find a user, group or "
              "department by login, email, name or id; “theme” changes the colours."]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of bindings; Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, source: Screen) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        """One scrollable text block."""
        with VerticalScroll(id="help-box"):
            yield Static(help_text(self.source), id="help-text", markup=True)

    def action_close(self) -> None:
        """Back to the screen it came from."""
        self.dismiss(None)
