"""The one limit check: every bound of settings.Limits with what it counts and its variable.

`check_limit(limits, "max_width", 5000, ("layers", 2))` raises LimitError saying
"layers[2] = 5000 exceeds the limit of 1024 neurons per layer (BACKPROP_LENS_MAX_WIDTH)"; the
error item also carries type "limit", the variable, the bound and the value. Request schemas
state the default bounds; app/main.py words their violations with `limit_message` too.
"""

from __future__ import annotations

from typing import Any

from app.domain.errors import ConflictError, InputError
from app.settings import PREFIX, Limits

# What each bound counts, as a message says it after the number.
UNITS: dict[str, str] = {
    "max_layers": "weight layers",
    "max_width": "neurons per layer",
    "max_params": "parameters",
    "max_samples": "samples",
    "max_features": "input columns",
    "max_batch": "samples per batch",
    "max_steps": "updates per request",
    "max_work": "work units per request",
    "max_resolution": "cells per side",
    "max_gradcheck_params": "parameters for a gradient check",
    "max_explain_terms": "terms in one explanation",
    "max_paths": "paths listed in one expansion",
    "max_networks": "networks",
    "max_history": "history entries",
}
# Request fields whose schema bound is a limit (an item of a list: the name with "[]").
FIELD_LIMITS: dict[str, str] = {
    "layers": "max_layers",
    "layers[]": "max_width",
    "steps": "max_steps",
    "batch_size": "max_batch",
    "batch": "max_batch",
    "x": "max_batch",
    "y": "max_batch",
    "n": "max_samples",
    "points": "max_samples",
    "resolution": "max_resolution",
    "max_paths": "max_paths",
}


def variable(name: str) -> str:
    """The environment variable that sets limit `name`: max_width → BACKPROP_LENS_MAX_WIDTH."""
    return PREFIX + name.upper()


def where(field: tuple[str | int, ...]) -> str:
    """("layers", 2) → "layers[2]"; ("dataset", "n") → "n", as messages name a field."""
    names = [p for p in field if isinstance(p, str)]
    name = names[-1] if names else ""
    return name + "".join(f"[{p}]" for p in field[field.index(name) + 1 :] if isinstance(p, int))


def limit_message(name: str, value: Any, bound: Any, subject: str) -> str:
    """`subject` (e.g. "layers[2] = 5000" or "x has 3 rows") past the limit `name` at `bound`."""
    joint = " exceeds" if " = " in subject else ", past"
    return f"{subject}{joint} the limit of {bound} {UNITS[name]} ({variable(name)})"


def limit_item(name: str, value: Any, bound: Any) -> dict[str, Any]:
    """The fields an error item past a limit carries beside loc and msg."""
    return {"type": "limit", "limit": variable(name), "bound": bound, "value": _json_safe(value)}


def _json_safe(value: Any) -> Any:
    # A whole number past 2^53 is not a safe JSON number (and orjson refuses past 2^64).
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return f"{'-' if value < 0 else ''}about 2^{abs(value).bit_length() - 1}"
    return value


class LimitError(InputError):
    """A request past one of the server's limits (422)."""

    def __init__(self, name: str, value: Any, bound: Any, field: tuple[str | int, ...], msg: str):
        super().__init__(field, msg, **limit_item(name, value, bound))


class LimitConflictError(LimitError, ConflictError):
    """A limit the request passes only because of the stored network it is about (409)."""


def check_limit(
    limits: Limits,
    name: str,
    value: int | float,
    field: tuple[str | int, ...],
    *,
    subject: str | None = None,
    hint: str = "",
    conflict: bool = False,
) -> None:
    """Raise LimitError (LimitConflictError with `conflict`) when `value` passes limit `name`.

    The message names the field as `field` = value unless `subject` words it (a count such
    as "x has 3 rows"); `hint` is added after a semicolon.
    """
    bound = getattr(limits, name)
    if value <= bound:
        return
    msg = limit_message(name, value, bound, subject or f"{where(field)} = {value}")
    if hint:
        msg += f"; {hint}"
    raise (LimitConflictError if conflict else LimitError)(name, value, bound, field, msg)
