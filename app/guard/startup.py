"""What the `serve` command checks and prepares before uvicorn starts."""

from __future__ import annotations

import resource

from app.settings import Settings

EVERY_INTERFACE = ("0.0.0.0", "::", "")


def warnings(settings: Settings) -> list[str]:
    """Lines to print before serving: settings that expose the server more than the default."""
    lines = []
    if settings.host in EVERY_INTERFACE:
        lines.append(
            f"serving on every network interface ({settings.host or 'all'}): anyone who can "
            "reach this machine can create and train networks. Students may use its IP "
            "address; a host name they use must be listed in BACKPROP_LENS_ALLOWED_HOSTS."
        )
    if "*" in settings.allowed_hosts:
        lines.append(
            "BACKPROP_LENS_ALLOWED_HOSTS=* answers to any Host: a web page elsewhere can "
            "reach this server by DNS rebinding. List the host names instead."
        )
    return lines


def raise_fd_limit() -> tuple[int, int]:
    """Raise the soft limit on open files to the hard limit (each connection is one file;
    a default of 256 let 300 idle sockets lock everyone out). The (old, new) soft limits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):  # some systems cap it lower (macOS: OPEN_MAX)
            return soft, soft
        return soft, target
    return soft, soft
