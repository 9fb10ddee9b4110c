"""Where views and detail screens announce themselves, so the app needs no list of them.

A *view* is a top-level list reachable by a number key and by name from the command palette::

    @register_view(key="4", name="mail-audit", title="Mail audit", description="…")
    class MailAuditScreen(ListScreen): ...

A *detail* screen opens when Enter is pressed on a row of kind ``kind``; its constructor takes
the object's id and a short label (used in the breadcrumb)::

    @register_detail("user")
    class UserScreen(Screen):
        def __init__(self, ident: str, label: str = "") -> None: ...

Any screen posts ``OpenDetail(kind, ident, label)`` to drill down; the app pushes the detail
screen registered for ``kind`` on the navigation stack. Modules under ``y360tui.ui.screens`` are
imported by ``load_screens()`` at start-up, which runs these decorators.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual.message import Message
from textual.screen import Screen

S = TypeVar("S", bound=type[Screen])


@dataclass(frozen=True)
class ViewSpec:
    """A top-level view: number key, internal name (also the Textual mode name), title."""

    key: str
    name: str
    title: str
    screen: type[Screen]
    description: str = ""


VIEWS: dict[str, ViewSpec] = {}
DETAILS: dict[str, Callable[[str, str], Screen]] = {}


def register_view(*, key: str, name: str, title: str, description: str = "") -> Callable[[S], S]:
    """Class decorator: make a screen class a top-level view."""

    def wrap(cls: S) -> S:
        for spec in VIEWS.values():
            if spec.key == key and spec.name != name:
                raise ValueError(f"view key {key!r} is taken by {spec.name!r}")
        VIEWS[name] = ViewSpec(key, name, title, cls, description)
        return cls

    return wrap


def register_detail(kind: str) -> Callable[[S], S]:
    """Class decorator: the screen that shows one object of ``kind`` (``user``, ``group``…)."""

    def wrap(cls: S) -> S:
        DETAILS[kind] = cls
        return cls

    return wrap


def views() -> list[ViewSpec]:
    """Registered views, by key."""
    return sorted(VIEWS.values(), key=lambda spec: spec.key)


def load_screens() -> None:
    """Import every module of ``y360tui.ui.screens`` so their registrations run."""
    from . import screens

    for info in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{info.name}")


class OpenDetail(Message):
    """Ask the app to open the detail screen of one object."""

    def __init__(self, kind: str, ident: str, label: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.ident = ident
        self.label = label
