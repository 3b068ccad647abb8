"""The `backprop-lens` command: `backprop-lens serve [--host --port --store --workers]`.

Every flag and BACKPROP_LENS_* variable is checked before the server starts: a bad one gets
one line naming it, its value and what is allowed, and exit status 2.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from app.guard import startup
from app.settings import PREFIX, Settings
from app.version import VERSION

PORTS = (1, 65535)
STORES = "sqlite:///path/to/file.db, memory:// or redis://host:port/db"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")

SERVE_EPILOG = """\
stores (--store or BACKPROP_LENS_STORE):
  sqlite:///networks.db         a SQLite file, relative to the current folder
  sqlite:////srv/lens/n.db      a SQLite file at an absolute path; the default is
                                ~/.local/share/backprop-lens/networks.db
  memory://                     this process's memory, gone when it stops (one worker only)
  redis://[:password@]host:port/db
                                a Redis server, shared by workers on any number of hosts

Each flag overrides its variable. The size limits are set by BACKPROP_LENS_MAX_* variables
(listed in the README); BACKPROP_LENS_CORS_ORIGINS turns CORS on for the origins it lists.
"""


class UsageError(Exception):
    """A bad flag or variable; the message is the one line to print."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage mistake reported in one line (usage stays under --help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The command line: `--version` and the `serve` command with its flags."""
    top = OneLineParser(
        prog="backprop-lens",
        description="Backprop Lens: forward propagation and backpropagation of an MLP, "
        "number by number, in the browser.",
    )
    top.add_argument("--version", action="version", version=f"backprop-lens {VERSION}")
    sub = top.add_subparsers(dest="command", required=True, metavar="command")
    serve = sub.add_parser(
        "serve",
        help="serve the page and the API",
        description="Serve the page and the JSON API with uvicorn.",
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host", help="address to bind (BACKPROP_LENS_HOST; default 127.0.0.1, this machine only)"
    )
    serve.add_argument(
        "--port", metavar="N", help="TCP port, 1 to 65535 (BACKPROP_LENS_PORT; default 8000)"
    )
    serve.add_argument(
        "--store",
        metavar="URL",
        help="where networks are kept, one of the stores below (BACKPROP_LENS_STORE)",
    )
    serve.add_argument(
        "--workers",
        metavar="N",
        help="worker processes, 1 or more; several need a sqlite or redis store "
        "(BACKPROP_LENS_WORKERS; default 1)",
    )
    serve.add_argument(
        "--log-level",
        default="info",
        metavar="LEVEL",
        help="how much uvicorn logs: " + ", ".join(LOG_LEVELS) + " (default info)",
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run it."""
    args = parser().parse_args(argv)
    try:
        settings = _settings(args)
    except UsageError as exc:
        print(f"backprop-lens serve: {exc}", file=sys.stderr)
        return 2
    for line in startup.warnings(settings):
        print(f"backprop-lens: warning: {line}", file=sys.stderr)
    startup.raise_fd_limit()
    import uvicorn

    print(
        f"Backprop Lens on http://{settings.host}:{settings.port}  (store: {_safe(settings.store)})"
    )
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=args.log_level,
        http="app.guard.protocol:GuardedH11Protocol",
        # X-Forwarded-For only from BACKPROP_LENS_TRUSTED_PROXIES (uvicorn trusts 127.0.0.1
        # by default, so any local client could pick its address and dodge the rate limit).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    """The settings of `serve`, every flag and variable checked; UsageError names a bad one."""
    names: dict[str, str] = {}
    for key in ("host", "port", "store", "workers"):
        value = getattr(args, key)
        if value is not None:
            # Flags become variables, so every worker process builds the same settings.
            os.environ[PREFIX + key.upper()] = value
            names[key] = f"--{key} {value}"
        elif PREFIX + key.upper() in os.environ:
            names[key] = f"{PREFIX}{key.upper()}={os.environ[PREFIX + key.upper()]}"
    if args.log_level not in LOG_LEVELS:
        raise UsageError(
            f"--log-level {args.log_level} is not a level; allowed: " + ", ".join(LOG_LEVELS)
        )
    _number(names.get("port"), os.environ.get(PREFIX + "PORT"), *PORTS)
    workers = _number(names.get("workers"), os.environ.get(PREFIX + "WORKERS"), 1, None)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store = names.get("store", f"the default store {settings.store}")
    if workers is not None and workers > 1 and settings.store.startswith("memory://"):
        raise UsageError(
            f"{names['workers']} cannot share {_safe(store)}: each worker would keep its own "
            "networks; allowed: 1 worker with memory://, or a sqlite:/// or redis:// store"
        )
    check_store(settings.store, _safe(store))
    default = "the default {} {} (set by --{} or BACKPROP_LENS_{})"
    check_address(
        settings.host,
        settings.port,
        names.get("host", default.format("host", settings.host, "host", "HOST")),
        names.get("port", default.format("port", settings.port, "port", "PORT")),
    )
    return settings


def _number(name: str | None, raw: str | None, low: int, high: int | None) -> int | None:
    """The integer of a flag or variable within [low, high]; None when it is not set."""
    if name is None or raw is None:
        return None
    allowed = f"{low} to {high}" if high is not None else f"a whole number, {low} or more"
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name} is not a whole number; allowed: {allowed}") from None
    if value < low or (high is not None and value > high):
        raise UsageError(f"{name} is out of range; allowed: {allowed}")
    return value


def check_store(url: str, name: str) -> None:
    """A store the server can open: UsageError (naming `name`) for one it cannot."""
    if url.startswith("memory://"):
        return
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url[9:]
        _check_sqlite(path, name)
        return
    if url.startswith(("redis://", "rediss://", "unix://")):
        _check_redis(url, name)
        return
    raise UsageError(f"{name} is not a store; allowed: {STORES}")


def _check_sqlite(path: str, name: str) -> None:
    if not path:
        raise UsageError(
            f"{name} names no file; allowed: sqlite:///relative/file.db or sqlite:////absolute/file.db"
        )
    file = Path(path).expanduser()
    if file.is_dir():
        raise UsageError(f"{name}: {file} is a folder; allowed: a SQLite file's path")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # SQLite writes its -wal and -shm files beside the database: the folder must be writable.
        with tempfile.TemporaryFile(dir=file.parent):
            pass
    except OSError as exc:
        raise UsageError(
            f"{name}: cannot write in the folder {file.parent} ({exc.strerror or exc}); "
            "allowed: a file in a folder this user can create and write"
        ) from None
    try:
        conn = sqlite3.connect(file, timeout=5)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UsageError(
            f"{name}: cannot open {file} as a SQLite database ({exc}); "
            "allowed: a new file or an existing Backprop Lens database this user can write"
        ) from None


def _check_redis(url: str, name: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    except ValueError as exc:
        raise UsageError(f"{name} is not a Redis URL ({exc}); allowed: {STORES}") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        raise UsageError(
            f"{name}: Redis does not answer ({exc}); allowed: the URL of a running Redis "
            "server, redis://[:password@]host:port/db"
        ) from None
    finally:
        client.close()


def check_address(host: str, port: int, host_name: str, port_name: str) -> None:
    """The server can listen on host:port: UsageError naming the host or port if not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(
            f"{host_name} is not a known address ({exc.strerror}); allowed: an IP address or "
            "name of this machine, e.g. 127.0.0.1 or 0.0.0.0 (every interface)"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            where = f"{host}:{port}"
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"{port_name}: {where} is already in use; "
                    "allowed: a port nothing else listens on"
                ) from None
            if exc.errno == errno.EACCES:
                raise UsageError(
                    f"{port_name}: binding {where} needs more privileges; "
                    "allowed without them: 1024 to 65535"
                ) from None
            raise UsageError(
                f"{host_name}: cannot listen on {where} ({exc.strerror}); allowed: an address "
                "of this machine, e.g. 127.0.0.1 or 0.0.0.0 (every interface)"
            ) from None


def _safe(text: str) -> str:
    """`text` with any password of a URL in it replaced by ***."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", text)


if __name__ == "__main__":
    sys.exit(main())
