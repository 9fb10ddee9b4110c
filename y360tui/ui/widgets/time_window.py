"""The audit views' query line and the modal that asks for a custom time window.

``QueryBar`` is one line above an audit table: the window presets with the active one
highlighted, the server-side filters in force, and a "● following" mark while follow mode
polls. ``CustomWindowScreen`` asks for a start and an optional end (``2025-05-01``,
``2025-05-01 10:00``, ``3d``, ``now``) and dismisses with a ``TimeWindow`` or None.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...data.audit import CUSTOM, PRESET_LABELS, PRESETS, TimeWindow, parse_when


def window_text(window: TimeWindow, filters: str, following: bool, news: int = 0) -> Text:
    """The query line: ``1 h [24 h] 7 d 30 d custom │ user ivan │ ● following +3``."""
    text = Text()
    for preset in (*PRESETS, CUSTOM):
        label = window.label if preset == CUSTOM and window.preset == CUSTOM \
            else PRESET_LABELS[preset]
        active = window.preset == preset
        text.append(f" {label} ", style="reverse bold" if active else "dim")
    if filters:
        text.append("  │ ", style="dim")
        text.append(filters)
    if following:
        text.append("  │ ", style="dim")
        text.append("● following", style="bold green")
        if news:
            text.append(f" +{news}", style="green")
    return text


class QueryBar(Static):
    """One line: window presets, filters, follow state (see the module docstring)."""

    def show(self, window: TimeWindow, filters: str, following: bool, news: int = 0) -> None:
        """Redraw with the view's current query."""
        self.update(window_text(window, filters, following, news))


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; ``check`` may raise ValueError to refuse it with a message.
    Enter dismisses with the text (``""`` clears a filter), Esc with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    CSS_PATH = Path(__file__).parent.parent / "styles" / "prompt.tcss"

    def __init__(self, question: str, *, value: str = "", hint: str = "",
                 check: Callable[[str], object] | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.hint = hint
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Text(self.question, style="bold"))
            yield Input(self.value, id="prompt-input")
            yield Static(self.hint, id="prompt-hint")
            yield Static("", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and self.check is not None:
            try:
                self.check(text)
            except ValueError as exc:
                self.query_one("#prompt-error", Static).update(str(exc))
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomWindowScreen(PromptScreen):
    """Ask for ``start [.. end]`` and dismiss with the text; ``parse_window`` reads it."""

    def __init__(self, now: datetime, current: TimeWindow) -> None:
        value = ""
        if current.preset == CUSTOM and current.start is not None:
            value = current.start.strftime("%Y-%m-%d %H:%M")
            if current.end is not None:
                value += " .. " + current.end.strftime("%Y-%m-%d %H:%M")
        super().__init__("Custom time window (UTC)", value=value,
                         hint="start [.. end]: 2025-05-01, 2025-05-01 10:00, 3d, 12h, now",
                         check=lambda text: parse_window(text, now))


def parse_window(text: str, now: datetime) -> TimeWindow:
    """``start`` or ``start .. end`` as a custom ``TimeWindow`` (ValueError if unreadable)."""
    start_text, _, end_text = text.partition("..")
    start = parse_when(start_text, now)
    end = parse_when(end_text, now) if end_text.strip() else None
    if end is not None and end < start:
        raise ValueError("the window ends before it starts")
    return TimeWindow.custom(start, end)
