"""The deterministic demo-organisation generator (issue 3 §3, issue 11).

``generate_org(users, seed, now)`` builds an :class:`~y360tui.emulator.state.Org` whose every
collection is in the wire format of ``shared/y360-api.md``. The same ``users``, ``seed`` and
``now`` give a byte-identical org, **whatever order its parts are read in**: each part draws
from its own stream ``random.Random(f"{seed}:{part}")``, ids and keys are drawn from it, and no
output depends on the iteration order of a ``set``.

What is built when (``generate_org(100_000)`` returns in a fraction of a second):

- at once (``directory.py``): the organisation, departments (stream ``seed``), a pass over every
  user drawing what other objects depend on (uid, creation time, department, role, name,
  nickname, alias; stream ``"{seed}:users"``), department heads and ``membersCount``, groups
  and their memberships (``"{seed}:groups"``), tokens, service applications and the org
  security settings (``"{seed}:tokens"``);
- user records, ``USER_CHUNK`` (1,000) at a time when read (``org.users`` is a
  :class:`~y360tui.emulator.state.LazyUsers`; chunk ``k`` from ``"{seed}:users:{k}"``). They
  are not kept: a chunk is rebuilt from its stream when read again (its users' JSON is kept,
  compressed, for ``GET /users``), except the records taken for writing (``org.users[uid]``),
  which are pinned so that changes persist;
- on first read of the attribute (``org.lazy``, see ``state.py``): ``auth_types`` and
  ``two_fa`` (``security.py``), ``disk`` (``disk.py``), ``tracker_users`` and
  ``tracker_groups`` (``tracker.py``), ``mail_events``, ``disk_events`` and ``audit_events``
  (``events.py``), ``mailboxes`` (``mailboxes.py``: shared mailboxes for ~2% of the users,
  delegation for ~1%), ``domains`` (``domains.py``: three domains and their DNS records),
  ``mail_routing_rules``, ``sender_policies`` and ``antispam_allowlist`` (``mail_flow.py``:
  3-12 routing rules by size, 3-6 sender policies with a revision, 2-10 allowed IPs/CIDRs).
  ``org.build_all()`` builds everything (``demo-server`` does, before
  serving). A part built after a write sees the write where it mirrors state (Tracker mirrors
  the directory as it is when first read); its random draws never depend on state.

Tokens (deterministic per seed):

- ``org.admin_token``: the org owner ``org.admin_uid`` (an admin), every scope.
- ``org.extra_tokens["readonly"]``: another admin whose token carries only ``READ_SCOPES``,
  so every write answers 403.
- ``org.extra_tokens["user"]``: an ordinary employee (not an admin) with no scopes at all,
  so every call answers 403.

Volumes: about users/25 departments (at least 8) and users/40 generic groups (at least 10);
90 days of events for a share of the users, capped so that 100,000 users stay within the
emulator's budget: mail ``min(40 * users, MAIL_EVENTS_CAP)``, audit
``min(30 * users, AUDIT_EVENTS_CAP)``, legacy disk ``min(5 * users, DISK_EVENTS_CAP)``.
``users`` below 1 still gives the owner.

Findings an admin report looks for, present at every size from 200 users (figures are shares
of the users unless said otherwise; at 2,000 users the counts are in brackets):

- users without personal 2FA: ~40% (robots never have it); 2FA without a security phone ~18%;
- admins 0.5% (at least 2) [10], robots 0.3% [6], deputy admins 0.2% [4];
- dismissed 2% [40] and blocked 1.5% [30]; **inconsistent**: 0.2% (at least 2) of the users
  are dismissed yet ``isEnabled: true`` [4] (the API allows it: a PATCH of ``isEnabled`` on a
  dismissed user); they still belong to no group;
- users in no department (the root, id 1): 0.3% put there on purpose (at least 3) plus
  the ~0.1% the department draw puts there [7];
- departments with no head: 10% of them (at least 2), plus those with no direct employee
  [8 of 80];
- generic groups with no members at all: 2% of them (at least 2) [2 of 50];
- Disk: ~15% of employees have 1-8 resources; 92% of resources are published; of those ~80%
  never expire (``available_until`` null) and ~50% are open to anyone (macro ``all``);
- service applications: one, with its scopes and secret;
- org settings: mandatory 2FA off (``domain_2fa`` ``enabled: false``), cookie sessions of 30
  days (``domain_sessions`` ``authTTL`` 2592000, the default is 14 days), no password policy
  (``domain_passwords`` ``enabled: false``).

Conventions the routes may rely on:

- Users are inserted in uid order (ids are strings of equal length, so string order is numeric
  order). The first user is the owner and an admin. Dismissed users belong to no group, head no
  department and are not counted in a department's ``membersCount`` (the employees of its subtree).
- Groups 1, 2, 3 are the system groups ``organization_admin``, ``organization_deputy_admin`` and
  ``robots``; generic groups follow. A group only contains groups with a larger id, so nesting
  never forms a cycle. ``membersCount`` counts direct members of every type.
- Disk records of folders carry no ``mime_type`` and ``size`` keys, as in the real API. Disk
  events of the audit log (``disk_*``) describe the owners' generated resources.
- Event lists are newest first.
- Shared, so replace rather than mutate in place: event ``labels`` lists and ``meta`` dicts;
  Disk access ``rights`` lists, ``macro`` entries and each user's ``owner`` entry; Tracker
  ``sources``, group references and the reference lists of users in no group; the ``two_fa``
  states (three dicts); the ``{"type": "user", "id"}`` entries of group ``members`` (one per
  user). Every user, department, group and their own lists (``groups``, ``members``,
  ``contacts``…) is private to its object and may be changed in place, provided a user is
  taken for writing (``org.users[uid]``, which pins a generated record; see
  :class:`~y360tui.emulator.state.LazyUsers`).
- Tracker groups: a department keeps its id, directory group ``g`` becomes
  ``TRACKER_GROUP_OFFSET + g``. Tracker users and their group references carry no ``self``;
  the routes add it from the request's base URL.
"""

from __future__ import annotations

import gc
from datetime import datetime, timezone

from ..state import Org
from .directory import USER_CHUNK, Directory
from .disk import Disk
from .domains import Domains
from .events import AuditEvents, DiskEvents, MailEvents
from .mail_flow import MailFlow
from .mail_settings import MailSettings
from .mailboxes import Mailboxes
from .pools import (
    AUDIT_EVENTS_CAP,
    AUDIT_EVENTS_PER_USER,
    DISK_EVENTS_CAP,
    DISK_EVENTS_PER_USER,
    DOMAIN,
    MAIL_EVENTS_CAP,
    MAIL_EVENTS_PER_USER,
    READ_SCOPES,
    TRACKER_GROUP_OFFSET,
    WINDOW_DAYS,
    feminine_surname,
    slugify,
    translit,
)
from .security import Security
from .tracker import Tracker

__all__ = [
    "AUDIT_EVENTS_CAP", "AUDIT_EVENTS_PER_USER", "DISK_EVENTS_CAP", "DISK_EVENTS_PER_USER",
    "DOMAIN", "MAIL_EVENTS_CAP", "MAIL_EVENTS_PER_USER", "READ_SCOPES", "TRACKER_GROUP_OFFSET",
    "USER_CHUNK", "WINDOW_DAYS", "feminine_surname", "generate_org", "slugify", "translit",
]

# Each lazy part: its class and the Org attributes its build sets.
LAZY_PARTS = ((Security, ("auth_types", "two_fa")), (Disk, ("disk",)),
              (Tracker, ("tracker_users", "tracker_groups")), (MailEvents, ("mail_events",)),
              (DiskEvents, ("disk_events",)), (AuditEvents, ("audit_events",)),
              (MailFlow, ("mail_routing_rules", "sender_policies", "antispam_allowlist")),
              (Mailboxes, ("mailboxes",)), (MailSettings, ("mail_settings",)),
              (Domains, ("domains", "domains_seq")))


def generate_org(users: int = 2000, seed: int = 42, now: datetime | None = None, *,
                 eager: bool = False) -> Org:
    """A deterministic demo organisation of ``users`` employees.

    ``now`` (default: the current UTC time rounded down to the minute) is the instant events end
    at; pass a fixed one for reproducible output. Same arguments, byte-identical org. Parts
    other than the directory are built on first read, unless ``eager``.
    """
    if now is None:
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    ctx = Directory(users, seed, int(now.timestamp()))
    with _collector_paused():
        org = ctx.build()
    for part, names in LAZY_PARTS:
        for name in names:
            org.__dict__.pop(name, None)  # unset: the first read runs the builder
            org.lazy[name] = _builder(part, ctx)
    if eager:
        org.build_all()
    return org


def _builder(part: type, ctx: Directory):
    def build() -> None:
        with _collector_paused():
            part(ctx).build()
    return build


class _collector_paused:
    """Millions of new containers would trigger full cyclic collections over an ever larger
    heap (quadratic time); the generated data has no reference cycles to collect."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()
