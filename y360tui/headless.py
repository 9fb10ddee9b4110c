"""``y360tui export VIEW``: a view to CSV or JSON without the TUI (scripts, cron, jump hosts).

The same code as the TUI's export (``data.export``) over the same per-view sources
(``data.sources``) and filter language (``data.query`` over ``data.fields``)::

    y360tui export users --format csv --filter 'status:blocked' --output blocked.csv
    y360tui export audit-events --window 7d --format json
    y360tui export users --demo --users 3000

Credentials resolve as for the explorer (``--profile``, ``Y360_TOKEN``/``Y360_ORG_ID``, the
config file; ``--demo`` for the built-in organisation). Progress goes to stderr, data to
stdout or ``--output``. Exit codes: 0 done, 2 usage (options, a filter that cannot be
understood, no credentials), 1 the API refused or could not be reached (its message is
printed), or the output could not be written. The token is never printed: API errors carry
no request headers, and nothing here prints the credentials.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from .data.sources import AUDIT_VIEWS, HEADLESS_VIEWS

WINDOWS = ("1h", "24h", "7d", "30d")
PROGRESS_EVERY = 1.0  # seconds between two progress lines on stderr


def add_export_parser(sub: Any, add_org_options: Callable[[argparse.ArgumentParser], None]
                      ) -> argparse.ArgumentParser:
    """The ``export`` sub-command's options (``add_org_options``: the demo org options)."""
    views = HEADLESS_VIEWS
    parser = sub.add_parser(
        "export", help="write a view to CSV or JSON (no TUI)",
        description="Write every row of a view (all pages) to CSV or JSON, filtered like the "
        "TUI's / filter. Progress on stderr; data on stdout unless --output.")
    parser.add_argument("view", choices=views, metavar="VIEW",
                        help="one of: " + ", ".join(views))
    parser.add_argument("--format", choices=("csv", "json"), default=None,
                        help="csv (default, or from --output's extension) or json")
    parser.add_argument("--filter", default="", metavar="EXPR",
                        help="the TUI's filter language, e.g. 'status:blocked dept:Sales'")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (default stdout)")
    parser.add_argument("--window", choices=WINDOWS, default=None,
                        help="audit views: the last 1h, 24h (default), 7d or 30d")
    parser.add_argument("--since", metavar="WHEN",
                        help="audit views: start (2025-05-01, '2025-05-01 10:00', 3d, 2h)")
    parser.add_argument("--until", metavar="WHEN", help="audit views: end (default now)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.add_argument("--demo", action="store_true",
                        help="export from the built-in demo organisation")
    parser.add_argument("--profile", help="profile name from the config file")
    parser.add_argument("--base-url", help="send every API request to this server")
    add_org_options(parser)
    parser.set_defaults(export_parser=parser)  # usage errors name ``y360tui export``
    return parser


# ------------------------------------------------------------------------------ running


def run_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``y360tui export`` for parsed ``args`` (``parser`` reports usage errors)."""
    from .data.export import format_of
    from .data.query import QueryError, parse

    parser = getattr(args, "export_parser", parser)
    fmt = args.format or (format_of(args.output) if args.output else "csv")
    try:
        parse(args.filter, _fields_for_check(args.view))  # a bad filter costs no request
    except QueryError as exc:
        parser.error(f"--filter: {exc}")
    window = _window(args, parser)
    say = _Progress(sys.stderr, quiet=args.quiet)
    client, problem = _client(args, say)
    if client is None:
        print(f"y360tui: {problem}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_export(args, client, window, fmt, say))
    except KeyboardInterrupt:
        print("y360tui: interrupted", file=sys.stderr)
        return 130


def _fields_for_check(view: str) -> list[Any]:
    from .data import fields
    from .data.sources import MAIL_FLOW_VIEWS, mail_flow_fields

    if view in MAIL_FLOW_VIEWS:
        return mail_flow_fields(view)
    if view == "mailboxes":
        return fields.mailbox_fields()
    if view == "domains":
        return fields.domain_fields()
    tables: dict[str, Callable[[], list[Any]]] = {
        "users": lambda: fields.user_fields(_AnyCache()),  # type: ignore[arg-type]
        "groups": fields.group_fields, "departments": fields.department_fields,
        "mail-audit": fields.mail_event_fields, "audit-events": fields.audit_event_fields,
        "shared-files": fields.shared_file_fields,
        "tracker-users": fields.tracker_user_fields, "findings": fields.finding_fields,
    }
    return tables[view]()


class _AnyCache:
    """Stands in for the 2FA cache while a filter is only checked (nothing is read)."""

    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return None


def _window(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Any:
    from .data.audit import TimeWindow, parse_when, utc_now

    if args.view not in AUDIT_VIEWS:
        if args.window or args.since or args.until:
            parser.error(f"--window, --since and --until apply to {', '.join(AUDIT_VIEWS)}")
        return None
    if args.window and (args.since or args.until):
        parser.error("give --window or --since/--until, not both")
    if args.until and not args.since:
        parser.error("--until needs --since")
    if not args.since:
        return TimeWindow(args.window or "24h")
    now = utc_now()
    try:
        start = parse_when(args.since, now)
        end = parse_when(args.until, now) if args.until else None
        return TimeWindow.custom(start, end)
    except ValueError as exc:
        parser.error(str(exc))


def _client(args: argparse.Namespace, say: _Progress) -> tuple[Any, str]:
    """``(client, "")`` or ``(None, what to set)``."""
    if args.demo:
        from .data.demo import demo_from_args
        from .emulator.server import fault_config

        try:
            fault_config(args)
        except ValueError as exc:
            return None, str(exc)
        if args.users >= 20_000:
            say.line(f"generating a demo organisation of {args.users:,} users…")
        return demo_from_args(args).client, ""
    from .api.client import Y360Client
    from .data.config import ConfigError, resolve

    try:
        creds = resolve(args.profile, args.base_url)
    except ConfigError as exc:
        return None, str(exc)
    return Y360Client(creds.token, creds.org_id, base_url=creds.base_url,
                      family_urls=dict(creds.family_urls)), ""


async def _export(args: argparse.Namespace, client: Any, window: Any, fmt: str,
                  say: _Progress) -> int:
    from .data.export import (
        ExportError,
        check_writable,
        complete,
        export_fields,
        fill_pending,
        rows_to_export,
        write_file,
        write_rows,
    )
    from .data.query import parse

    try:
        if args.output:
            check_writable(args.output)  # before loading every page
        source = _source(args.view, client, window)
        paged = source.paged
        await complete(paged, on_progress=lambda: say.loaded(source.name, paged))
        query = parse(args.filter, source.fields)
        paged.set_filter(query)
        await fill_pending(paged, source.fetch_values,
                           lambda: say.pending(source.name, len(paged.pending)))
        rows = rows_to_export(paged)
        columns = export_fields(source.fields, query)
        if args.output:
            count = write_file(args.output, rows, columns, fmt)
            where = args.output
        else:
            count = write_rows(rows, columns, fmt, sys.stdout)
            sys.stdout.flush()
            where = "stdout"
    except BrokenPipeError:  # the reader (head, a pager) stopped reading: not an error
        _silence_stdout()
        return 0
    except ExportError as exc:
        say.error(str(exc))
        return 1
    except Exception as exc:  # the API's own message; never a traceback
        say.error(f"export {args.view}: {api_message(exc)}")
        return 1
    finally:
        await client.aclose()
    say.done(f"{count:,} {args.view} row(s) as {fmt} to {where}")
    return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush raises nothing."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _source(view: str, client: Any, window: Any) -> Any:
    from .data import sources
    from .data.audit import EventsQuery, MailQuery
    from .data.directory import DirectoryCache

    if view in ("users", "groups", "departments"):
        directory = DirectoryCache(client, first_page_size=1000)
        return {"users": sources.users_source, "groups": sources.groups_source,
                "departments": sources.departments_source}[view](directory)
    if view == "mail-audit":
        return sources.audit_source(client, MailQuery(window))
    if view == "audit-events":
        return sources.audit_source(client, EventsQuery(window))
    if view == "shared-files":
        from .data.links import Linker

        return sources.shared_files_source(Linker(client, DirectoryCache(client)),
                                           users_per_step=100, cache_dir=_cache_dir(client))
    if view == "tracker-users":
        return sources.tracker_users_source(client)
    if view in sources.MAIL_FLOW_VIEWS:
        return sources.mail_flow_source(view, client)
    if view == "mailboxes":
        return sources.mailboxes_source(client)
    if view == "domains":
        return sources.domains_source(client)
    return sources.findings_source(client)


def _cache_dir(client: Any) -> Any:
    """Where the Shared files inventory is cached: the user's cache directory, except for the
    in-process demo org (made again on every start)."""
    from .data.demo import DEMO_BASE_URL
    from .data.inventory import default_cache_dir

    return None if client.urls.get("cloud") == DEMO_BASE_URL else default_cache_dir()


def api_message(exc: BaseException) -> str:
    """What went wrong, in the API's own words (status, message, code)."""
    from .api.errors import ApiError, TransportError

    if isinstance(exc, ApiError):
        text = f"{exc.status}: {exc.message or exc}"
        return f"{text} (code {exc.code})" if exc.code not in (None, "") else text
    if isinstance(exc, TransportError):
        return f"network: {exc}"
    return f"{type(exc).__name__}: {exc}"


class _Progress:
    """Progress lines on stderr, at most one per ``PROGRESS_EVERY`` seconds (in place on a
    terminal), then a final line."""

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self.last = 0.0
        self.open = False  # a line written in place, not ended yet

    def _write(self, text: str, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        if self.tty:
            self.stream.write(f"\r\x1b[Ky360tui: {text}")
            self.open = True
        else:
            self.stream.write(f"y360tui: {text}\n")
        self.stream.flush()

    def loaded(self, name: str, paged: Any) -> None:
        total = f" of {paged.total:,}" if paged.total is not None and not \
            paged.is_sequential else ""
        self._write(f"{name}: {paged.loaded_count:,}{total} loaded…")

    def pending(self, name: str, left: int) -> None:
        self._write(f"{name}: fetching per-row values, {left:,} to check…")

    def line(self, text: str) -> None:
        self._end()
        if not self.quiet:
            self.stream.write(f"y360tui: {text}\n")
            self.stream.flush()

    def done(self, text: str) -> None:
        self.line(text)

    def error(self, text: str) -> None:
        self._end()
        self.stream.write(f"y360tui: {text}\n")  # errors even with --quiet
        self.stream.flush()

    def _end(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False
