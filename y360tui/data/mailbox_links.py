"""A user's "Mailboxes" lines (``data.user_extras`` provider ``user_mailbox_targets``):

- section "Mailboxes: can open": one line per shared or delegated mailbox the user has access
  to, its address with the rights as the note — ``GET /mailboxes/resources/{uid}``, one
  request; Enter opens the mailbox;
- section "Mailboxes: own mailbox is opened by", when the user's own mailbox is delegated:
  one line per colleague with access, login and rights — ``GET /mailboxes/actors/{uid}``,
  the second request; Enter opens that user. Whether it is delegated comes from the
  delegated list, read once per session (``MailboxInventory.delegated_ids``), never by
  asking per user.

Mailbox addresses and user logins come from the session's caches (a card or a user read once
per session, shared with the Mailboxes view).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..api.errors import Y360Error
from .links import INFO, USER, Target, failure_text
from .mailboxes import DELEGATED, SHARED, inventory_of, rights_words

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models import User

SECTION = "Mailboxes"  # one line when there is nothing (or an error) to show
CAN_OPEN = "Mailboxes: can open"
OPENED_BY = "Mailboxes: own mailbox is opened by"
MAILBOX = "mailbox"


async def user_mailbox_targets(client: Y360Client, user: User) -> list[Target]:
    """The user's mailbox access lines (see the module docstring); never raises for an API
    error: it becomes one line saying what could not be read."""
    inventory = inventory_of(client)
    try:
        resources, delegated = await asyncio.gather(client.mailboxes.resources(user.id),
                                                    inventory.delegated_ids())
        opened_by = (await inventory.actors(user.id)) if user.id in delegated else []
        shared = [r.resource_id for r in resources.resources if r.type.value == SHARED]
        owners = [r.resource_id for r in resources.resources if r.type.value == DELEGATED]
        await asyncio.gather(inventory.cards.load(shared), inventory.users.load(owners))
    except Y360Error as exc:
        return [Target(SECTION, INFO, "mailboxes", "Mailbox access",
                       note=f"could not be read ({failure_text(exc)})")]
    out = []
    for res in resources.resources:
        kind = res.type.value
        label = inventory.label_of(res.resource_id)
        note = f"{rights_words(res.roles)} · {kind}"
        out.append(Target(CAN_OPEN, MAILBOX, res.resource_id, label, note=note))
    if user.id in delegated:
        if not opened_by:
            out.append(Target(OPENED_BY, INFO, "delegated", "nobody yet",
                              note="delegation is on"))
        out += [Target(OPENED_BY, USER, a.uid, a.label,
                       note=a.rights + (f" · {a.name}" if a.name else ""))
                for a in opened_by]
    if not out:
        out.append(Target(SECTION, INFO, "mailboxes", "no shared or delegated mailbox access"))
    return out
