"""The stored form of a network: its config, parameters, optimizer state and last step.

A record packs into three parts so a store can keep it anywhere: the config (JSON, written
only when it changes), the small mutable state (JSON) and every array (one binary blob).
The config is typed (schemas.NetworkConfig) everywhere but here, where it is converted to and
from its JSON.
"""

from __future__ import annotations

import itertools
import math
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import orjson

from app.schemas import NetworkConfig


def new_id() -> str:
    """An unguessable network id: 128 random bits as 32 hex characters."""
    return secrets.token_hex(16)


@dataclass
class NetworkRecord:
    """Everything kept about one network between requests.

    params: [W0, b0, W1, b1, ...]; buffers: optimizer buffers by name, in params order;
    last_params / last_batch: the parameters before the most recent step and its batch.
    """

    id: str
    config: NetworkConfig
    params: list[np.ndarray]
    opt_t: int = 0
    buffers: dict[str, list[np.ndarray]] = field(default_factory=dict)
    step: int = 0
    diverged: str | None = None
    last_params: list[np.ndarray] | None = None
    last_batch: list[int] | None = None
    last_l2: float | None = None
    created: float = 0.0
    touched: float = 0.0
    config_changed: bool = True  # the store rewrites the config only when this is set


def param_shapes(layers: list[int]) -> list[tuple[int, ...]]:
    """Shapes of [W0, b0, W1, b1, ...] for layer sizes [d, n_1, ..., p]."""
    shapes: list[tuple[int, ...]] = []
    for n_in, n_out in itertools.pairwise(layers):
        shapes += [(n_in, n_out), (n_out,)]
    return shapes


def pack(record: NetworkRecord) -> tuple[bytes, bytes, bytes]:
    """(config JSON, state JSON, arrays blob) of a record."""
    arrays = list(record.params)
    names = sorted(record.buffers)
    for name in names:
        arrays += record.buffers[name]
    if record.last_params is not None:
        arrays += record.last_params
    dtype = np.dtype(record.config.dtype)
    blob = b"".join(np.ascontiguousarray(a, dtype=dtype).tobytes() for a in arrays)
    state = {
        "id": record.id,
        "opt_t": record.opt_t,
        "buffers": names,
        "step": record.step,
        "diverged": record.diverged,
        "has_last": record.last_params is not None,
        "last_batch": record.last_batch,
        "last_l2": record.last_l2,
        "created": record.created,
        "touched": record.touched,
    }
    return config_json(record.config), orjson.dumps(state), blob


# A stored config is read at every request and written at every step, and rarely changes: both
# conversions are remembered for the most recent configs (frozen, so sharing one is safe), up to
# _CACHED configs and _CACHED_BYTES of their JSON (explicit points can make a config large).
# Keyed by the JSON and by identity; an entry keeps its config alive, so an id is not reused.
_CACHED = 64
_CACHED_BYTES = 32 * 1024 * 1024
_BY_JSON: OrderedDict[bytes, NetworkConfig] = OrderedDict()
_BY_ID: dict[int, tuple[NetworkConfig, bytes]] = {}
_LOCK = threading.Lock()
_held = 0  # bytes of JSON in _BY_JSON


def config_json(config: NetworkConfig) -> bytes:
    """The JSON of a config, as stored."""
    known = _BY_ID.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    data = orjson.dumps(config.model_dump(mode="json"))
    _remember(config, data)
    return data


def config_of(data: bytes) -> NetworkConfig:
    """The typed config stored as `data`."""
    with _LOCK:
        config = _BY_JSON.get(data)
        if config is not None:
            _BY_JSON.move_to_end(data)
            return config
    config = NetworkConfig.model_validate_json(data)
    _remember(config, data)
    return config


def _remember(config: NetworkConfig, data: bytes) -> None:
    global _held
    with _LOCK:
        if data in _BY_JSON:
            return
        _BY_JSON[data] = config
        _BY_ID[id(config)] = (config, data)
        _held += len(data)
        while len(_BY_JSON) > _CACHED or (_held > _CACHED_BYTES and len(_BY_JSON) > 1):
            old_data, old = _BY_JSON.popitem(last=False)  # the least recently used
            _BY_ID.pop(id(old), None)
            _held -= len(old_data)


def unpack(config_bytes: bytes, state_json: bytes, blob: bytes) -> NetworkRecord:
    """The record packed by `pack`."""
    config = config_of(config_bytes)
    state = orjson.loads(state_json)
    dtype = np.dtype(config.dtype)
    shapes = param_shapes(config.layers)
    flat = np.frombuffer(blob, dtype=dtype)
    offset = 0

    def take() -> list[np.ndarray]:
        nonlocal offset
        out = []
        for shape in shapes:
            size = math.prod(shape)
            out.append(flat[offset : offset + size].reshape(shape).copy())
            offset += size
        return out

    params = take()
    buffers = {name: take() for name in state["buffers"]}
    last_params = take() if state["has_last"] else None
    return NetworkRecord(
        id=state["id"],
        config=config,
        params=params,
        opt_t=state["opt_t"],
        buffers=buffers,
        step=state["step"],
        diverged=state["diverged"],
        last_params=last_params,
        last_batch=state["last_batch"],
        last_l2=state.get("last_l2"),
        created=state["created"],
        touched=state["touched"],
        config_changed=False,
    )
