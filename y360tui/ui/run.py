"""``run_app(args)``: build the client (demo or real), run the explorer, return the exit code."""

from __future__ import annotations

import argparse
import sys

from . import startup

# httpx's __init__ imports its command-line tool (click, pygments, rich.syntax: 30-100 ms of
# start-up) whenever click is installed, and it is (uvicorn needs it for demo-server). No
# import of ours can avoid it, as any ``import httpx`` runs that __init__. The explorer never
# runs httpx's CLI: a None entry makes that one import raise ImportError, which httpx expects
# (its ``httpx.main`` then says the CLI is not installed). Left alone if already imported.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


SAY_GENERATING_FROM = 20_000  # demo org size whose generation takes long enough to say so


def build_app(args: argparse.Namespace):  # -> Y360App (imported lazily: start-up time)
    """The app the command line asks for: demo org in-process, or credentials from env/profile.

    Missing credentials do not raise: the app starts on a screen that says what to set.
    """
    from .app import Y360App

    read_only = bool(getattr(args, "read_only", False))
    if getattr(args, "demo", False):
        from ..data.demo import demo_from_args

        if args.users >= SAY_GENERATING_FROM:  # seconds of work before the first frame
            print(f"y360tui: generating a demo organisation of {args.users:,} users (its logs, "
                  "Disk and Tracker when first shown)…", file=sys.stderr, flush=True)
        demo = demo_from_args(args)
        return Y360App(demo.client, org_name=demo.org.name, profile="demo", read_only=read_only)
    from ..api.client import Y360Client
    from ..data.config import ConfigError, resolve

    try:
        creds = resolve(getattr(args, "profile", None), getattr(args, "base_url", None))
    except ConfigError as exc:
        return Y360App(None, problem=str(exc), read_only=read_only)
    from pathlib import Path

    from platformdirs import user_cache_dir  # as data.inventory.default_cache_dir (start-up)

    client = Y360Client(creds.token, creds.org_id, base_url=creds.base_url,
                        family_urls=dict(creds.family_urls))
    app = Y360App(client, profile=creds.profile or creds.source,
                  read_only=read_only or creds.read_only)
    # The Shared files inventory is kept there between runs (per org and server).
    app.inventory_cache_dir = Path(user_cache_dir("y360tui", appauthor=False))  # type: ignore[attr-defined]
    return app


def run_app(args: argparse.Namespace) -> int:
    """Run the explorer until the user quits."""
    startup.pause_gc()  # the app resumes it after its first frame
    app = build_app(args)
    # Where edits are journaled (read on the first edit or Journal view: data.open_journal).
    app.journal_options = {"location": getattr(args, "journal", None),  # type: ignore[attr-defined]
                           "demo": bool(getattr(args, "demo", False))}
    app.run()
    return app.return_code or 0
