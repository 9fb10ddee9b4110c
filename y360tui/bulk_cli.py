"""``y360tui bulk ACTION --from FILE``: a bulk edit over a list of users (or shared files),
without the TUI::

    y360tui bulk block --from leavers.csv --dry-run
    y360tui bulk add-to-group --group sales --from new-hires.txt --yes
    y360tui bulk unpublish --from owners.txt --demo

The list is read by ``data.selection`` (a CSV's ``login``/``email``/``id`` column or its first
column, or one entry per line); entries naming no object, or several, are printed in the plan
and skipped. The plan, dry run, run and per-item results are ``data.bulk``'s, as in the TUI;
each item is journaled where the TUI journals (``data.journal.open_journal``: ``--journal``,
the config's ``journal`` key; a ``--demo`` run in the demo's own journal).

Without ``--yes`` the run asks for confirmation on a terminal and refuses otherwise.
Credentials resolve as for ``y360tui export``. Exit codes: 0 every item ok (or planned, with
``--dry-run``), 1 an item failed (or was not verified, or the API could not be reached),
2 usage (options, an unreadable list, an unknown ``--group``, no credentials, not
confirmed, a read-only profile).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from .data.bulk_actions import ACTIONS

WIDTH = 100  # table width when stdout is not a terminal


def add_bulk_parser(sub: Any, add_org_options: Callable[[argparse.ArgumentParser], None]
                    ) -> argparse.ArgumentParser:
    """The ``bulk`` sub-command's options."""
    parser = sub.add_parser(
        "bulk", help="run a bulk edit over a list of logins/e-mails/ids (no TUI)",
        description="Run one edit over every user (or shared file) a list names: a CSV "
        "(column login/email/id, or the first) or one entry per line. Prints the plan, "
        "then a per-item result. Unknown entries are listed and skipped.")
    parser.add_argument("action", choices=list(ACTIONS), metavar="ACTION",
                        help="one of: " + ", ".join(ACTIONS))
    parser.add_argument("--from", dest="source", required=True, metavar="FILE",
                        help="the list: a CSV or plain file ('-' for stdin)")
    parser.add_argument("--dry-run", action="store_true",
                        help="plan and validate every item; send no write")
    parser.add_argument("--yes", "-y", action="store_true",
                        help="run without asking (needed when stdin is not a terminal)")
    parser.add_argument("--group", metavar="ID",
                        help="add-to-group / remove-from-group: the group's id, exact name "
                        "or address")
    parser.add_argument("--to", choices=("idp", "portal"), dest="auth_to",
                        help="auth-type: the sign-in method to switch to")
    parser.add_argument("--drop-otp", action="store_true", help="auth-type --to idp: drop OTP")
    parser.add_argument("--change-password", action="store_true",
                        help="auth-type --to portal: change the password at next sign-in")
    parser.add_argument("--allow-last-admin", action="store_true",
                        help="block even when no active administrator would be left")
    parser.add_argument("--concurrency", type=int, default=4, metavar="N",
                        help="items in flight at once (default 4)")
    parser.add_argument("--journal", metavar="PATH", help="journal here: a file, or a "
                        "directory of per-org files (default: as the TUI's; --demo has its own)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo organisation")
    parser.add_argument("--profile", help="profile name from the config file")
    parser.add_argument("--base-url", help="send every API request to this server")
    add_org_options(parser)
    parser.set_defaults(bulk_parser=parser)
    return parser


# ------------------------------------------------------------------------------ running


class Usage(Exception):
    """A usage problem found after parsing (exit 2)."""


def run_bulk_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``y360tui bulk`` for parsed ``args``."""
    from .data.selection import SelectionError, read_list

    parser = getattr(args, "bulk_parser", parser)
    spec = ACTIONS[args.action]
    if spec.needs_group and not args.group:
        parser.error(f"{args.action} needs --group ID")
    if not spec.needs_group and args.group:
        parser.error("--group applies to add-to-group and remove-from-group")
    if spec.needs_auth and not args.auth_to:
        parser.error("auth-type needs --to idp or --to portal")
    if not spec.needs_auth and (args.auth_to or args.drop_otp or args.change_password):
        parser.error("--to, --drop-otp and --change-password apply to auth-type")
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        parsed = read_list(args.source)
    except SelectionError as exc:
        print(f"y360tui: --from: {exc}", file=sys.stderr)
        return 2
    if not parsed.entries:
        print(f"y360tui: --from: {args.source} names nobody (no entries)", file=sys.stderr)
        return 2
    auth: dict[str, Any] = {}
    if spec.needs_auth:
        try:
            auth = _auth_values(args)
        except Usage as exc:
            print(f"y360tui: {exc}", file=sys.stderr)
            return 2
    session = _session(args)
    if isinstance(session, str):
        print(f"y360tui: {session}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_bulk(args, session, parsed, auth))
    except BrokenPipeError:  # the reader stopped reading: what it missed is in the journal
        from .headless import _silence_stdout

        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print("y360tui: interrupted (items in flight may have applied; see the journal)",
              file=sys.stderr)
        return 130


def _auth_values(args: argparse.Namespace) -> dict[str, Any]:
    """The ``SetAuthType`` values; the password (to portal) from ``Y360_NEW_PASSWORD`` or
    asked twice on a terminal, never from the command line (it would show in ``ps``)."""
    values: dict[str, Any] = {"authType": args.auth_to, "dropOtp": bool(args.drop_otp),
                              "passwordChangeRequired": bool(args.change_password),
                              "password": "", "passwordConfirm": ""}
    if args.auth_to == "idp":
        if args.change_password:
            raise Usage("--change-password applies to --to portal")
        return values
    if args.drop_otp:
        raise Usage("--drop-otp applies to --to idp")
    secret = os.environ.get("Y360_NEW_PASSWORD", "")
    if not secret:
        if not sys.stdin.isatty():
            raise Usage("auth-type --to portal needs a new password: set Y360_NEW_PASSWORD "
                        "or run on a terminal to be asked")
        import getpass

        secret = getpass.getpass("new password for every user: ")
        if getpass.getpass("repeat it: ") != secret:
            raise Usage("the two passwords differ")
    values["password"] = values["passwordConfirm"] = secret
    return values


class _Session:
    def __init__(self, client: Any, profile: str, org: str, demo: bool) -> None:
        self.client = client
        self.profile = profile
        self.org = org
        self.demo = demo


def _session(args: argparse.Namespace) -> _Session | str:
    """The client as ``y360tui export`` resolves it, or what to fix."""
    if args.demo:
        from .data.demo import demo_from_args
        from .emulator.server import fault_config

        try:
            fault_config(args)
        except ValueError as exc:
            return str(exc)
        demo = demo_from_args(args)
        return _Session(demo.client, "demo", str(demo.org.id), True)
    from .api.client import Y360Client
    from .data.config import ConfigError, resolve

    try:
        creds = resolve(args.profile, args.base_url)
    except ConfigError as exc:
        return str(exc)
    if creds.read_only:
        return f"{creds.source} is read-only (read_only = true): bulk edits are disabled"
    client = Y360Client(creds.token, creds.org_id, base_url=creds.base_url,
                        family_urls=dict(creds.family_urls))
    return _Session(client, creds.profile, str(creds.org_id), False)


async def _bulk(args: argparse.Namespace, session: _Session, parsed: Any,
                auth: dict[str, Any]) -> int:
    from .headless import api_message

    client = session.client
    out = sys.stdout
    try:
        try:
            planned = await _plan(args, client, parsed, auth)
        except Usage as exc:
            print(f"y360tui: {exc}", file=sys.stderr)
            return 2
        except Exception as exc:  # the API's own words, never a traceback
            print(f"y360tui: bulk {args.action}: {api_message(exc)}", file=sys.stderr)
            return 1
        return await _run(args, session, planned, out)
    finally:
        await client.aclose()


class _Planned:
    def __init__(self, title: str, edits: list[Any], selection: Any, warnings: list[str],
                 refuse: str = "") -> None:
        self.title = title
        self.edits = edits
        self.selection = selection
        self.warnings = warnings
        self.refuse = refuse


async def _plan(args: argparse.Namespace, client: Any, parsed: Any,
                auth: dict[str, Any]) -> _Planned:
    from .data.bulk_actions import block_warnings, build_edits, group_with_members
    from .data.directory import DirectoryCache
    from .data.edits import calls
    from .data.edits.groups import SYSTEM_TYPES
    from .data.selection import find_group, select_users

    spec = ACTIONS[args.action]
    say = _Say(args.quiet)
    directory = DirectoryCache(client, first_page_size=1000)
    say(f"loading the directory to match {parsed.describe()}…")
    users = await select_users(parsed, directory, client)
    if spec.kind == "shared_file":
        selection = await _select_files(client, directory, parsed, users, say)
        edits = build_edits(args.action, selection.objects)
        return _Planned(f"{spec.title} {len(edits)} resource(s)", edits, selection, [])
    group = None
    title = f"{spec.title}: {len(users.found)} user(s)"
    if spec.needs_group:
        row, why = find_group(args.group, directory.groups.rows())
        if row is None:
            raise Usage(f"--group: {why}")
        from .data.directory import G_ID, G_NAME, G_TYPE

        if row[G_TYPE] in SYSTEM_TYPES:
            raise Usage(f"--group: {row[G_NAME]} is a system group; its members cannot be "
                        "changed")
        members = await calls.group_member_ids(client, int(row[G_ID]))
        group = group_with_members({"id": int(row[G_ID]), "name": row[G_NAME],
                                    "type": row[G_TYPE]}, members)
        verb = "to" if args.action == "add-to-group" else "from"
        title = f"{spec.title.split(' ')[0]} {len(users.found)} user(s) {verb} {row[G_NAME]}"
    edits = build_edits(args.action, users.objects, group=group, auth=auth)
    warnings: list[str] = []
    refuse = ""
    if args.action == "block":
        warnings = block_warnings(users.objects, (r for _, r in directory.users.rows()))
        if len(warnings) > 1 and not args.allow_last_admin:
            refuse = ("refused: it would block the last active administrator(s); give "
                      "--allow-last-admin if that is what you want")
    return _Planned(title, edits, users, warnings, refuse)


async def _select_files(client: Any, directory: Any, parsed: Any, users: Any,
                        say: _Say) -> Any:
    """Shared files the list names: the owners' published resources (one scan per owner),
    or, when an entry is no user (a public key, a file id), every user's."""
    from .data.links import Linker, SharedFile, split_file_ident
    from .data.selection import resolve_files
    from .data.sources import shared_files_source

    linker = Linker(client, directory)
    owners: dict[str, Any] = {}
    for found in users.found:
        owners[found.obj[0]] = found.obj
    others = [u.entry for u in users.unknown]
    idents_ok = True
    for entry in others:
        try:
            uid, _ = split_file_ident(entry.text)
        except ValueError:
            idents_ok = False
            break
        owners.setdefault(uid, None)
    files: list[SharedFile] = []
    if idents_ok:
        say(f"reading the published resources of {len(owners)} user(s)…")
        for uid in owners:
            owner = await client.directory.get_user(uid)
            files += await linker.shared_files_of(owner)
    else:
        say("an entry is no user: scanning every user's published resources…")
        source = shared_files_source(linker, users_per_step=100)
        from .data.export import complete

        await complete(source.paged)
        files = [row for _, row in source.paged.rows()]
    return resolve_files(parsed, files, users)


async def _run(args: argparse.Namespace, session: _Session, planned: _Planned,
               out: TextIO) -> int:
    from .data.bulk import run_bulk
    from .data.journal import open_journal

    _print_plan(args, planned, out)
    if planned.refuse:
        print(f"y360tui: {planned.refuse}", file=sys.stderr)
        return 2
    if not planned.edits:
        print("y360tui: nothing to do: no entry of the list was found", file=sys.stderr)
        return 1
    if args.dry_run:
        result = await run_bulk(planned.edits, session.client, None, dry_run=True)
        _print_result(result, out)
        return 0 if all(r.ok for r in result.items) else 1
    if not args.yes:
        answer = _confirm(f"Run {planned.title} now? [y/N] ")
        if answer is None:
            print("y360tui: not confirmed: stdin is not a terminal; give --yes to run (or "
                  "--dry-run to see what it would do)", file=sys.stderr)
            return 2
        if not answer:
            print("y360tui: cancelled; nothing was sent", file=sys.stderr)
            return 2
    journal = open_journal(args.journal, profile=session.profile, org=session.org,
                           demo=session.demo)
    say = _Say(args.quiet)

    def progress(done: int, total: int, item: Any) -> None:
        if done == total or done % 50 == 0:
            say(f"{done:,} of {total:,} done")

    result = await run_bulk(planned.edits, session.client, journal,
                            concurrency=args.concurrency, progress=progress)
    _print_result(result, out)
    say(f"journal: {journal.path}")
    return 0 if all(r.ok for r in result.items) else 1


def _confirm(question: str) -> bool | None:
    """True/False from a terminal; None when stdin is no terminal (nobody to ask)."""
    if not sys.stdin.isatty():
        return None
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


class _Say:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(f"y360tui: {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ printing


def table(rows: Sequence[Sequence[str]], header: Sequence[str], width: int = WIDTH) -> str:
    """Left-aligned columns; the last one takes the rest of ``width`` and is cut with ``…``."""
    if not rows:
        return ""
    cols = len(header)
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(cols - 1)]
    widths = [min(w, 40) for w in widths]
    rest = max(20, width - sum(widths) - 2 * (cols - 1))

    def cut(text: str, size: int) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= size else text[:size - 1] + "…"

    lines = []
    for row in [header, *rows]:
        cells = [cut(row[c], widths[c]).ljust(widths[c]) for c in range(cols - 1)]
        lines.append("  ".join([*cells, cut(row[-1], rest)]).rstrip())
    return "\n".join(lines)


def _width(out: TextIO) -> int:
    try:
        return max(60, os.get_terminal_size(out.fileno()).columns) if out.isatty() else WIDTH
    except (OSError, ValueError, AttributeError):
        return WIDTH


def _print_plan(args: argparse.Namespace, planned: _Planned, out: TextIO) -> None:
    from .data.bulk_actions import item_label, item_plan

    selection = planned.selection
    print(f"Plan: {planned.title} — from {args.source}: {selection.parsed.describe()}; "
          f"{selection.summary()}", file=out)
    rows = [(item_label(e), item_plan(e)) for e in planned.edits]
    if rows:
        print(table(rows, ("target", "plan"), _width(out)), file=out)
    skipped = selection.skipped_lines()
    if skipped:
        print(f"\nSkipped ({len(skipped)}):", file=out)
        print(table(skipped, ("entry", "why"), _width(out)), file=out)
    for line in planned.warnings:
        print(f"\nWARNING: {line}", file=out)
    print("", file=out, flush=True)


def _print_result(result: Any, out: TextIO) -> None:
    from .data.bulk_actions import item_label

    kind = "Dry run" if result.dry_run else "Result"
    print(f"{kind}: {result.summary() or 'nothing'}", file=out)
    order = sorted(result.items, key=lambda r: r.ok)  # failures first
    rows = [(item_label(r.edit), r.status, r.message) for r in order]
    print(table(rows, ("target", "status", "detail"), _width(out)), file=out, flush=True)
