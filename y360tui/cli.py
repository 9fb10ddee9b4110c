"""Command line: ``y360tui`` (explorer), ``y360tui --demo``, ``y360tui demo-server``,
``y360tui export VIEW`` (``headless.py``),
``y360tui bulk ACTION`` (``bulk_cli.py``)."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def _org_size(text: str) -> int:
    size = int(text)
    if size < 1:
        raise argparse.ArgumentTypeError(f"an org has at least 1 user, not {size}")
    return size


def _add_org_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=_org_size, default=2000,
                        help="demo org size (default 2000)")
    parser.add_argument("--seed", type=int, default=42, help="demo org generator seed")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="injected latency per request, in ms")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="latency jitter, in ms")
    parser.add_argument("--fault-rate", type=float, default=0.0,
                        help="share of requests that get an injected fault (0..1)")
    parser.add_argument("--faults", default="429,500,503",
                        help="fault kinds: 429,500,503,hang,malformed,drop (comma-separated)")
    parser.add_argument("--fault-routes", default="",
                        help="only inject faults on paths containing one of these (comma list)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="y360tui",
        description="Terminal explorer for Yandex 360 for Business. "
        "Without --demo it uses Y360_TOKEN/Y360_ORG_ID or a --profile from the config file.",
    )
    parser.add_argument("--demo", action="store_true",
                        help="run against the built-in demo organisation (no account needed)")
    parser.add_argument("--profile", help="profile name from the config file")
    parser.add_argument("--base-url", help="send every API request to this server")
    parser.add_argument("--read-only", action="store_true", help="disable every edit")
    parser.add_argument("--journal", metavar="PATH",
                        help="journal edits here: a file, or a directory for one file per org "
                        "and profile (default: the config's 'journal' key, else the user data "
                        "dir; a --demo run has its own)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_org_options(parser)
    sub = parser.add_subparsers(dest="command")
    server = sub.add_parser("demo-server", help="serve the demo organisation over HTTP")
    _add_org_options(server)
    server.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    server.add_argument("--port", type=int, default=8360, help="port (0 = any free port)")
    server.add_argument("--retry-after", type=int, default=1,
                        help="Retry-After seconds sent with injected 429/500/503 (default 1)")
    server.add_argument("--hang-seconds", type=float, default=30.0,
                        help="how long an injected hang stalls a request (default 30)")
    from .headless import add_export_parser

    add_export_parser(sub, _add_org_options)
    from .bulk_cli import add_bulk_parser

    add_bulk_parser(sub, _add_org_options)
    return parser


def _glued_filters(argv: list[str]) -> list[str]:
    """``--filter -status:active`` as ``--filter=-status:active``: argparse takes a value that
    starts with ``-`` for an option, and a negated filter word does."""
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg == "--filter":
            value = next(it, None)
            out.append(arg if value is None else f"--filter={value}")
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_glued_filters(sys.argv[1:] if argv is None else argv))
    if args.command == "demo-server":
        from .emulator.server import serve

        return serve(args)
    if args.command == "export":
        from .headless import run_export

        return run_export(args, parser)
    if args.command == "bulk":
        from .bulk_cli import run_bulk_command

        return run_bulk_command(args, parser)
    if args.demo:
        from .emulator.server import fault_config

        try:
            fault_config(args)  # a bad fault option is a usage error, not a traceback
        except ValueError as exc:
            parser.error(str(exc))
    from .ui.run import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
