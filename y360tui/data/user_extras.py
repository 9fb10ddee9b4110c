"""More lines for a user's detail, from API families beyond the directory (mail, mailboxes…).

Each family adds a *provider*: an async function ``(client, user) -> list[Target]`` registered
in ``PROVIDERS`` below (by module path, imported on first use so a detail that never needs mail
never imports it). ``Linker.user_targets`` appends what every provider returns, in this order,
after the directory's own lines. A provider's failure is its own lines' business: it returns
an INFO target saying what could not be read (``failure_text``), and never raises — one family
being down must not empty the whole detail. ``extra_user_targets`` still guards against a
provider that raises, so a bug shows as one line instead of a blank links list.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models import User
    from .links import Target

Provider = Callable[["Y360Client", "User"], Awaitable[list["Target"]]]

# "module:function" under y360tui.data, in the order their sections are shown.
PROVIDERS: list[str] = []
PROVIDERS.append("mailbox_links:user_mailbox_targets")  # shared and delegated mailboxes
PROVIDERS.append("mail_links:user_mail_targets")  # sender, signatures, forwards, auto-replies


def _load(where: str) -> Provider:
    module, name = where.split(":")
    return getattr(importlib.import_module(f"y360tui.data.{module}"), name)


async def extra_user_targets(client: Y360Client, user: User) -> list[Target]:
    """Every provider's lines for ``user``, run concurrently, in ``PROVIDERS`` order."""
    from .links import INFO, Target

    async def one(where: str) -> list[Target]:
        try:
            return await _load(where)(client, user)
        except Exception as exc:  # a provider's bug is one line, not a blank detail
            return [Target("Other", INFO, where, where.split(":")[0],
                           note=f"could not be read ({type(exc).__name__})")]

    results: list[Any] = await asyncio.gather(*(one(where) for where in PROVIDERS))
    return [target for lines in results for target in lines]
