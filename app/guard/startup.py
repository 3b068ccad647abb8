"""What the `serve` command checks and prepares before uvicorn starts."""

from __future__ import annotations

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
