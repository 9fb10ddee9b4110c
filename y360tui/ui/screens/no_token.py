"""Shown instead of the views when there is no usable token: says exactly what to set."""

from __future__ import annotations

import textwrap

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ...data.config import ENV_ORG, ENV_TOKEN, config_path


def read_scopes() -> list[str]:
    """Every scope a view reads with, once each, in the order of the views."""
    from .list_view import SCOPES_BY_PATH

    order = ["directory:read_users", "directory:read_groups", "directory:read_departments",
             "directory:read_organization"]
    rest = [scope for _, scope in SCOPES_BY_PATH if scope not in order]
    return list(dict.fromkeys(order + rest))


def instructions(problem: str) -> str:
    """The screen's text: the problem, then the three ways to give credentials (kept within
    72 columns so nothing wraps at 80x24)."""
    return "\n".join([
        "[b]y360tui needs an admin OAuth token of a Yandex 360 organisation.[/b]",
        "",
        f"[b][red]Problem:[/red][/b] {escape(problem or 'no credentials found')}",
        "",
        "[b]Give the token in one of these ways:[/b]",
        f"  1. environment:  export {ENV_TOKEN}=<OAuth token>",
        f"                   export {ENV_ORG}=<organisation id>",
        f"  2. a profile in  {escape(str(config_path()))}",
        "       default_profile = \"acme\"",
        "       \\[profile.acme]",
        "       token = \"<OAuth token>\"",
        "       org_id = 1234567",
        "       base_url = \"http://127.0.0.1:8360\"   # optional",
        "     then:  y360tui --profile acme      (--profile picks any other one)",
        "  3. no account at all:  y360tui --demo   (a generated demo org)",
        "",
        "The token needs the read scope of each view:",
        *textwrap.wrap(", ".join(read_scopes()), 72, initial_indent="  ",
                       subsequent_indent="  ", break_on_hyphens=False),
        "",
        "Press [b]q[/b] to quit.",
    ])


class NoTokenScreen(Screen):
    """Explains the missing or rejected token; q quits."""

    crumb = "No token"
    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        """Header, the instructions, footer."""
        yield Header()
        with VerticalScroll(id="no-token"):
            yield Static(instructions(self.problem), markup=True, id="no-token-text")
        yield Footer()

    def on_mount(self) -> None:
        """Arrows scroll the text when the terminal is short."""
        self.query_one("#no-token").focus()
