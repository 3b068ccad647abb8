"""The `backprop-lens` command: `backprop-lens serve [--host --port --store --workers]`."""

from __future__ import annotations

import argparse
import os
import sys

from app.guard import startup
from app.settings import PREFIX, Settings


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run it."""
    parser = argparse.ArgumentParser(prog="backprop-lens", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web app and API with uvicorn")
    serve.add_argument("--host", help="address to bind (BACKPROP_LENS_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (BACKPROP_LENS_PORT, default 8000)")
    serve.add_argument("--store", help="sqlite:///path.db or memory:// (BACKPROP_LENS_STORE)")
    serve.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    args = parser.parse_args(argv)
    # Flags become environment variables so every worker process builds the same settings.
    for key in ("host", "port", "store", "workers"):
        value = getattr(args, key)
        if value is not None:
            os.environ[PREFIX + key.upper()] = str(value)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"backprop-lens: {exc}", file=sys.stderr)
        return 2
    if settings.workers > 1 and settings.store.startswith("memory://"):
        print("backprop-lens: memory:// cannot be shared by several workers", file=sys.stderr)
        return 2
    for line in startup.warnings(settings):
        print(f"backprop-lens: warning: {line}", file=sys.stderr)
    startup.raise_fd_limit()
    import uvicorn

    print(f"Backprop Lens on http://{settings.host}:{settings.port}  (store: {settings.store})")
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


if __name__ == "__main__":
    sys.exit(main())
