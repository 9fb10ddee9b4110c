"""Regenerate the README screenshots: ``.venv/bin/python screenshots/make.py``.

Runs the real explorer (``Y360App``) headless through ``App.run_test`` and Pilot against the
in-process demo organisation (the ``--demo`` wiring: 2000 users, seed 42), with a fixed clock
and zero latency, and saves one SVG per main view, then a PNG of each with ``rsvg-convert``
(apt package ``librsvg2-bin``; glyphs come from ``fonts-dejavu-core``, and the header's
icon from ``fonts-symbola``), made smaller by ``pngquant`` when it is installed.

Each picture starts from a fresh organisation and a fresh app, so the pictures do not depend on
each other or on their order, and re-running writes the same SVGs.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual.widgets import Input, TextArea

from y360tui.api.client import RetryPolicy
from y360tui.data.demo import demo_session
from y360tui.data.directory import DirectoryCache
from y360tui.data.journal import Journal
from y360tui.ui.app import Y360App

HERE = Path(__file__).resolve().parent
USERS = 2000
SEED = 42
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SHOT_TIMEOUT_S = 120
WIDE = (120, 32)
NARROW = (80, 24)
# The PNGs are for a README: the SVG's own size keeps the folder small.
PNG_ZOOM = "1"
# Textual's SVG asks for Fira Code first; DejaVu Sans Mono is what a plain Debian box has.
FONT_STACK = "'DejaVu Sans Mono', 'Fira Code', monospace"

Steps = Callable[[Y360App, Any], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    """One picture: file stem, terminal size and what to do after the first view is up."""

    name: str
    size: tuple[int, int]
    steps: Steps


async def settle(app: Y360App, pilot: Any) -> None:
    """Let every worker finish and the screen process what they posted (no sleeps)."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Any, predicate: Callable[[], bool], what: str) -> None:
    """Let the app run until ``predicate()`` holds (a bounded number of turns)."""
    for _ in range(300):
        if predicate():
            return
        await pilot.pause()
    raise RuntimeError(f"screenshot script: never reached {what}")


def still(app: Y360App) -> None:
    """No blinking cursors: a blink caught half-way would make the SVG differ between runs."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


def keys(*pressed: str) -> Steps:
    """Steps that press ``pressed`` and wait for the work they start."""
    async def run(app: Y360App, pilot: Any) -> None:
        if pressed:
            await pilot.press(*pressed)
        await settle(app, pilot)
    return run


async def departments_expanded(app: Y360App, pilot: Any) -> None:
    """Departments with the first directorate opened one level (its sub-departments)."""
    await pilot.press("2")
    await settle(app, pilot)
    await pilot.press("down", "right")  # onto the first directorate, expand it
    await settle(app, pilot)


async def user_detail_via_group(app: Y360App, pilot: Any) -> None:
    """Groups › a group › one of its member users: a detail two hops down, with breadcrumb."""
    await pilot.press("3")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    group_screen = app.screen
    # The links list has the focus: walk down it to the first member that is a user.
    for _ in range(40):
        target = group_screen.highlighted_target()
        if target is not None and target.kind == "user":
            break
        await pilot.press("down")
        await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)
    if app.screen is group_screen:
        raise RuntimeError("screenshot script: Enter on the group's links opened nothing")


async def palette_search(app: Y360App, pilot: Any) -> None:
    """Ctrl+P with a name typed: views and directory objects matching it."""
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    await pilot.press(*"петр")
    await settle(app, pilot)
    still(app)


async def form_with_error(app: Y360App, pilot: Any) -> None:
    """The user edit form (``e`` on Users) with a bad birthday, after trying to submit."""
    from y360tui.ui.forms.form import EditForm

    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, EditForm), "the edit form")
    await pilot.pause()
    app.screen.query_one("#f-birthday", Input).value = "1990-02-30"
    await pilot.pause()
    await pilot.press("f2")  # refused: the error shows next to the field
    # No settle() here: the edit flow's worker waits on this form, so it never completes.
    await pilot.pause()
    app.screen.query_one("#form-fields").scroll_home(animate=False)
    still(app)
    await pilot.pause()


async def journal_after_block(app: Y360App, pilot: Any) -> None:
    """Block the first user through the app's own confirm flow, then the Journal (8)."""
    from y360tui.ui.forms.confirm import ConfirmScreen

    await pilot.press("b")
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
    await pilot.press("f2")
    journal = app.edit_journal  # type: ignore[attr-defined]
    await until(pilot, lambda: journal.path.exists(), "the journal entry")
    await settle(app, pilot)
    await pilot.press("8")
    await settle(app, pilot)


SHOTS = [
    Shot("users", WIDE, keys()),
    Shot("users-80x24", NARROW, keys()),
    Shot("departments", WIDE, departments_expanded),
    Shot("groups", WIDE, keys("3")),
    Shot("mail-audit", WIDE, keys("4")),
    Shot("audit-events", WIDE, keys("5")),
    Shot("shared-files", WIDE, keys("6")),
    Shot("tracker-users", WIDE, keys("7")),
    Shot("journal", WIDE, journal_after_block),
    Shot("user-detail", WIDE, user_detail_via_group),
    Shot("palette", WIDE, palette_search),
    Shot("edit-form-error", WIDE, form_with_error),
]


def build_app(journal_dir: Path) -> Y360App:
    """The ``--demo`` app on a fresh org, clock pinned to the org's 'now', journal in a temp dir."""
    demo = demo_session(users=USERS, seed=SEED, now=NOW, retry=RetryPolicy(retries=0))
    app = Y360App(demo.client, org_name=demo.org.name, profile="demo",
                  directory=DirectoryCache(demo.client))
    app.clock = lambda: NOW  # type: ignore[attr-defined]  # audit windows end at the org's now
    app.edit_journal = Journal(journal_dir / "journal.jsonl", profile="demo",  # type: ignore[attr-defined]
                               org=str(demo.org.id), clock=lambda: NOW.isoformat())
    return app


async def take(shot: Shot, out: Path) -> Path:
    """Run the app for one shot and write its SVG."""
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        async with app.run_test(size=shot.size) as pilot:
            await settle(app, pilot)
            await shot.steps(app, pilot)
            still(app)
            await pilot.pause()
            svg = app.export_screenshot(title=f"y360tui — {shot.name}")
    path = out / f"{shot.name}.svg"
    path.write_text(use_local_font(svg), encoding="utf-8")
    return path


def use_local_font(svg: str) -> str:
    """Put a font rsvg-convert can find first in the SVG's monospace font stack."""
    return re.sub(r"font-family: Fira Code, monospace;", f"font-family: {FONT_STACK};", svg)


LEADING_SPACES = re.compile(
    r'(<text [^>]*?x=")([\d.]+)("[^>]*?textLength=")([\d.]+)("[^>]*>)((?:&#160;)+)([^<]*)</text>')


def shift_leading_spaces(svg: str) -> str:
    """Start each text run after its leading spaces instead of at them.

    rsvg-convert drops a run's leading no-break spaces, so ``Корп`` + ``" — demo"`` was
    drawn as ``Корп—  demo``. Moving ``x`` past the spaces keeps every glyph in its cell.
    """
    def move(m: re.Match[str]) -> str:
        spaces = len(m[6]) // len("&#160;")
        cells = spaces + len(html.unescape(m[7]))
        cell = float(m[4]) / cells
        x = float(m[2]) + spaces * cell
        length = float(m[4]) - spaces * cell
        return f"{m[1]}{x:g}{m[3]}{length:g}{m[5]}{m[7]}</text>"
    return LEADING_SPACES.sub(move, svg)


def to_png(svg: Path) -> Path:
    """``rsvg-convert`` the SVG (leading spaces shifted, see above) to a PNG next to it."""
    png = svg.with_suffix(".png")
    fixed = shift_leading_spaces(svg.read_text(encoding="utf-8"))
    subprocess.run(["rsvg-convert", "--zoom", PNG_ZOOM, "--format", "png",
                    "--output", str(png)], input=fixed.encode("utf-8"), check=True)
    if shutil.which("pngquant") is not None:
        # Anti-aliased text has thousands of colours; a palette of 256 looks the same at
        # a third of the size (the folder stays well under 3 MB).
        subprocess.run(["pngquant", "--quality", "70-95", "--speed", "1", "--strip",
                        "--force", "--output", str(png), str(png)], check=True)
    return png


async def main(names: list[str]) -> int:
    """Take every shot (or those named on the command line) and convert them."""
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert is missing: apt-get install -y librsvg2-bin", file=sys.stderr)
        return 1
    for shot in SHOTS:
        if names and shot.name not in names:
            continue
        # A step that waits on something that never comes should fail, not hang.
        svg = await asyncio.wait_for(take(shot, HERE), timeout=SHOT_TIMEOUT_S)
        png = to_png(svg)
        print(f"{svg.name:24} {svg.stat().st_size:>7}  {png.name:24} {png.stat().st_size:>7}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
