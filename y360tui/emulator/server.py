"""``y360tui demo-server``: the emulator over real HTTP on loopback.

Every host of the reference answers on the same port, since their paths do not collide:
api360 (``/directory``, ``/security``), cloud-api (``/v1/disk``, ``/v1/auditlog``),
oauth (``/token``) and tracker (``/v2``, ``/v3``).

The banner is written line by line and flushed, so a parent process (tests, the benchmark)
can read it from a pipe. Its ``label: value`` lines are stable: ``generated``, ``rss``,
``base URL``, ``org id``, ``token``, ``faults``, ``try``; the last line starts with
``ready``, after which the socket is listening.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

import uvicorn

from .app import create_app
from .faults import DroppedConnection, FaultConfig

PATHS = ("api360 /directory /security /admin (mailboxes, mail settings, mail flow), "
         "cloud-api /v1/disk /v1/auditlog, "
         "oauth /token, tracker /v2 /v3 (header X-Org-ID: <org id>)")


def serve(args: argparse.Namespace) -> int:
    """Generate the demo org, print the banner, serve until Ctrl+C (or SIGTERM); return 0."""
    # SIGTERM ends the server like Ctrl+C (KeyboardInterrupt), whenever it arrives; uvicorn
    # re-raises the signal it caught after its graceful shutdown, which lands here too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return _serve(args)
    except KeyboardInterrupt:
        return 0
    except (ValueError, OSError) as exc:  # bad fault options, port taken: no traceback
        print(f"demo-server: {exc}", file=sys.stderr, flush=True)
        return 2


def _serve(args: argparse.Namespace) -> int:
    from .generate import generate_org

    faults = fault_config(args)  # before the slow part: a typo fails at once
    sock = bind(args.host, args.port)
    started, started_cpu = time.perf_counter(), time.process_time()
    # Every part built before serving (the generator alone would build them on first read):
    # no request pays for a build, and gc.freeze below covers the whole org.
    org = generate_org(users=args.users, seed=args.seed, eager=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    app = create_app(org, faults=faults if faults.active else None)
    # The org is millions of long-lived containers without cycles: moved to the permanent
    # generation, they are no longer rescanned by every full collection while serving.
    gc.freeze()
    host, port = sock.getsockname()[:2]
    base_url = f"http://{_url_host(host)}:{port}"
    say(f"generated: {len(org.users)} users, seed {args.seed}, in {elapsed:.2f} s "
        f"({cpu:.2f} s CPU)")
    say(f"rss: {memory_summary()}")
    say(f"base URL: {base_url}   ({PATHS})")
    say(f"org id: {org.id}")
    say(f"token: {org.admin_token}")
    say(f"faults: {describe(faults)}")
    say(f"try: curl -H 'Authorization: OAuth {org.admin_token}' "
        f"'{base_url}/directory/v1/org/{org.id}/users?page=1&perPage=10'")
    say("ready: serving until Ctrl+C")
    return run(app, sock, faults)


def fault_config(args: argparse.Namespace) -> FaultConfig:
    """The ``FaultConfig`` the command line asks for (seeded with the org's seed)."""
    return FaultConfig.uniform(
        args.fault_rate, args.faults.split(","),
        latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
        routes=tuple(r.strip() for r in args.fault_routes.split(",")),
        retry_after=getattr(args, "retry_after", 1),
        hang_seconds=getattr(args, "hang_seconds", 30.0),
        seed=args.seed,
    )


def describe(faults: FaultConfig) -> str:
    """One line saying what the server injects."""
    latency = f"latency {faults.latency_ms:g} ms ± {faults.jitter_ms:g} ms"
    if not faults.rates:
        return f"{latency}, no faults"
    kinds = ", ".join(f"{kind} {rate:.1%}" for kind, rate in faults.rates.items())
    scope = ", ".join(faults.routes) or "all routes"
    return (f"{latency}; {kinds} on {scope}; Retry-After {faults.retry_after} s; "
            f"hang {faults.hang_seconds:g} s")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; port 0 picks a free port we can then print."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted sockets only when it does, and
    # without it Nagle + delayed ACK stall every small response ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # Listening before the banner: a client that connects at once waits in the backlog.
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(app: Any, sock: socket.socket, faults: FaultConfig | None = None) -> int:
    """Serve ``app`` on ``sock`` with uvicorn until interrupted; then say what ``faults``
    injected."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(_hide_injected_drops)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
        if faults is not None and faults.rates:
            counts = ", ".join(f"{k} x{n}" for k, n in sorted(faults.injected.items()))
            say(f"injected: {counts or 'nothing'} in {faults.requests} requests")
    return 0


def _hide_injected_drops(record: logging.LogRecord) -> bool:
    """An injected drop is the point, not an error worth a traceback on the console."""
    return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def memory_summary() -> str:
    """Resident memory now and at its peak, in MB."""
    now = _proc_status_kb("VmRSS")
    peak = _proc_status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if now is None:
        return f"peak {peak / 1024:.0f} MB"
    return f"{now / 1024:.0f} MB, peak {peak / 1024:.0f} MB"


def _proc_status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def say(line: str) -> None:
    print(line, flush=True)


class DemoProcess:
    """A ``demo-server`` started as a subprocess, with its parsed banner.

    For tests and the benchmark: ``DemoProcess(["--users", "200"])`` returns once the server
    listens; ``banner`` maps each banner label to its value; ``stop()`` sends Ctrl+C and
    returns the exit status.
    """

    def __init__(self, options: list[str], *, python: str | None = None,
                 cwd: str | None = None, startup_limit: float = 300.0) -> None:
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [python or sys.executable, "-m", "y360tui", "demo-server", *options],
            cwd=cwd, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.banner = self._read_banner(startup_limit)

    def _read_banner(self, limit: float) -> dict[str, str]:
        # A safety net, not a measurement: a wedged server must not wedge its caller.
        watchdog = threading.Timer(limit, self.process.kill)
        watchdog.start()
        banner: dict[str, str] = {}
        try:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                label, _, value = line.partition(":")
                banner[label.strip()] = value.strip()
                if label == "ready":
                    return banner
        finally:
            watchdog.cancel()
        raise RuntimeError(f"demo-server ended before its banner: {self.errors()}")

    @property
    def base_url(self) -> str:
        return self.banner["base URL"].split()[0]

    @property
    def org_id(self) -> int:
        return int(self.banner["org id"])

    @property
    def token(self) -> str:
        return self.banner["token"]

    @property
    def generation_seconds(self) -> float:
        """The generation wall time the banner reports (``… in 4.21 s (3.90 s CPU)``)."""
        return float(self.banner["generated"].rsplit(" in ", 1)[1].split()[0])

    @property
    def generation_cpu_seconds(self) -> float | None:
        """The generation CPU time the banner reports, if it does."""
        _, found, rest = self.banner["generated"].rpartition("(")
        return float(rest.split()[0]) if found else None

    def status_kb(self, field: str) -> int | None:
        """A ``/proc/<pid>/status`` figure of the server (``VmHWM`` = peak RSS), in kB."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server has used so far (``/proc/<pid>/stat``)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                # Fields after the ")" closing the command name; utime, stime are 14th, 15th.
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def errors(self) -> str:
        """What the server wrote to stderr so far."""
        self.stderr.seek(0)
        return self.stderr.read()

    def stop(self, wait: float = 60.0) -> int:
        """Ctrl+C, then the exit status (the process is killed if it does not end)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=wait)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            if self.process.stdout:
                self.process.stdout.close()
            self.stderr.close()
