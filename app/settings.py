"""Settings: environment variables (BACKPROP_LENS_*) with safe defaults, and every size limit."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PREFIX = "BACKPROP_LENS_"


def default_store_url() -> str:
    """SQLite under the user's data folder (created on first run)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'backprop-lens' / 'networks.db'}"


@dataclass(frozen=True)
class Limits:
    """Every size the server accepts is bounded here; each has its own variable."""

    max_layers: int = 8  # weight layers
    max_width: int = 1024  # neurons per layer (784-pixel inputs fit)
    max_params: int = 300_000  # weights + biases
    max_samples: int = 5_000  # dataset size
    max_features: int = 1024  # input features of explicit points
    max_batch: int = 1_024  # rows in one step, forward or backprop request
    max_steps: int = 1_000  # updates in one step request
    # What one request may cost, estimated before it runs (app/domain/cost.py: multiply-adds,
    # neurons per row, dataset scoring, response size; a unit is about a nanosecond of a core).
    max_work: int = 10_000_000_000
    max_seconds: float = 30.0  # wall-clock budget of a request sent to a worker process (503)
    inline_work: int = 3_000_000  # cheaper requests run at once; dearer ones in worker processes
    heavy_workers: int = 1  # worker processes per server process for the dearer requests
    worker_memory_mib: int = 2_048  # address space of each such worker process
    max_resolution: int = 200  # boundary grid cells per side
    max_gradcheck_params: int = 5_000
    max_explain_terms: int = 100_000  # batch rows × neurons above, in one explanation
    max_paths: int = 1_000  # paths listed in one path expansion (explain form=paths)
    max_body_bytes: int = 16 * 1024 * 1024
    max_networks: int = 10_000  # stored at once
    idle_days: float = 7.0  # networks untouched this long are deleted
    max_history: int = 20_000  # history entries kept per network (oldest dropped)
    # Networks one client address may create per minute (0 = off). The page creates one per
    # architecture or dataset edit, so this leaves room for a teacher clicking quickly.
    creates_per_minute: int = 120
    # Seconds a client may take to send a request's headers, and again its body (408 after).
    client_timeout: float = 10.0


@dataclass(frozen=True)
class Settings:
    """Server settings; `from_env` reads BACKPROP_LENS_STORE, _HOST, _PORT and _MAX_* limits."""

    store: str = field(default_factory=default_store_url)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    cors_origins: tuple[str, ...] = ()
    # Host names the server answers to (`*`: any). Empty: loopback names, IP addresses and
    # the bound host, so a DNS-rebinding page cannot reach a server on loopback.
    allowed_hosts: tuple[str, ...] = ()
    # Proxies whose X-Forwarded-For names the client (addresses or networks; `*`: any).
    # Empty: the header is ignored, so no client can pick its own address.
    trusted_proxies: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables; a bad value raises ValueError naming it."""
        env = os.environ if env is None else env
        base = cls()
        overrides: dict[str, Any] = {}
        for f in fields(Limits):
            name = PREFIX + f.name.upper()
            if name in env:
                kind = type(getattr(base.limits, f.name))
                value = _parse(name, env[name], kind, zero_ok=f.name in ZERO_OK)
                ceiling = getattr(base.limits, f.name)
                if f.name in CEILINGS and value > ceiling:
                    raise ValueError(
                        f"{name}={env[name]} is above its ceiling of {ceiling}; allowed: "
                        f"1 to {ceiling} (this limit can only be lowered)"
                    )
                overrides[f.name] = value
        limits = replace(base.limits, **overrides)
        values: dict[str, object] = {"limits": limits}
        for key, kind in (("store", str), ("host", str), ("port", int), ("workers", int)):
            if PREFIX + key.upper() in env:
                values[key] = _parse(PREFIX + key.upper(), env[PREFIX + key.upper()], kind)
        for key in LISTS:  # comma-separated
            items = env.get(PREFIX + key.upper(), "").split(",")
            values[key] = tuple(item.strip() for item in items if item.strip())
        return replace(base, **values)  # type: ignore[arg-type]


LISTS = ("cors_origins", "allowed_hosts", "trusted_proxies")
ZERO_OK = {"creates_per_minute"}  # limits where 0 means "off"
# Limits the request schemas (and so the OpenAPI document) also state: they can be lowered
# by their variable, not raised above these defaults.
CEILINGS = {
    "max_layers",
    "max_width",
    "max_samples",
    "max_batch",
    "max_steps",
    "max_resolution",
    "max_paths",
}


def _parse(name: str, raw: str, kind: type, zero_ok: bool = False) -> object:
    allowed = "0 or more" if zero_ok else "above 0"
    what = {int: "a whole number", float: "a number"}.get(kind, kind.__name__)
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not {what}; allowed: {what}, {allowed}") from None
    if kind in (int, float) and not (value >= 0 if zero_ok else value > 0):  # rejects NaN too
        raise ValueError(f"{name}={raw!r} is out of range; allowed: {what}, {allowed}")
    return value
