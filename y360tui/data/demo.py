"""Wiring for ``--demo``: a generated organisation served in-process to a real ``Y360Client``.

No socket is opened: the client's transport calls the emulator's ASGI app directly
(``emulator.transport.EmulatorTransport``, which also turns injected hangs and dropped
connections into the httpx errors a network would raise).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..api.client import RetryPolicy, Y360Client
from ..emulator.app import create_app
from ..emulator.generate import generate_org
from ..emulator.state import Org
from ..emulator.transport import EmulatorTransport

# The emulator answers on these names; the client only needs one base URL for every host.
DEMO_BASE_URL = "http://demo.y360tui.local"


@dataclass
class DemoSession:
    """A demo organisation, the ASGI app serving it and a client wired to it."""

    org: Org
    app: Any
    client: Y360Client


def demo_session(users: int = 2000, seed: int = 42, *, now: datetime | None = None,
                 faults: Any = None, retry: RetryPolicy | None = None,
                 token: str | None = None, timeout: float = 30.0) -> DemoSession:
    """Generate an org of ``users`` employees and a client that reaches it in-process.

    ``faults`` is an ``emulator.faults.FaultConfig`` (None = no latency, no faults);
    ``token`` replaces the org's admin token (e.g. a token the org maps to fewer scopes).
    """
    org = generate_org(users=users, seed=seed, now=now)
    app = create_app(org, faults=faults)
    client = Y360Client(token or org.admin_token, org.id, base_url=DEMO_BASE_URL,
                        transport=EmulatorTransport(app), retry=retry, timeout=timeout)
    return DemoSession(org, app, client)


def demo_from_args(args: argparse.Namespace) -> DemoSession:
    """The demo session the command line asks for (``--users``, ``--seed``, latency, faults)."""
    from ..emulator.server import fault_config

    faults = fault_config(args)
    return demo_session(users=args.users, seed=args.seed,
                        faults=faults if faults.active else None)
