"""Room in the store: how many bytes a network takes and may grow to, and making room for
more by deleting the least recently used networks (never one used within the grace period).

A network is bounded when it is created, by the most it can grow to, so a step never has to
check its own size: its config (with any dataset points), four copies of its parameters (the
weights, Adam's two buffers, the previous step's weights), its state and a full history. The
store as a whole is bounded by what its networks take now (kept by the store as it writes).
"""

from __future__ import annotations

import math
from typing import Any

import orjson

from app.domain.errors import StoreFullError
from app.domain.limits import check_limit, limit_message, variable
from app.settings import Limits
from app.store import NetworkRecord, Store, config_json, now

# The longest number orjson writes, with its comma ("-1.2345678901234567e-300,").
NUMBER_BYTES = 25
# One history entry without its numbers: the keys, the punctuation and a step count.
ENTRY_BYTES = 110
# A record's state (counts, flags, times) without its last batch and divergence message,
# as it is (STATE_BYTES) and at the most (STATE_MOST, with a divergence message).
STATE_BYTES = 256
STATE_MOST = 1024
# Each index of the last batch in the state ("4999,").
INDEX_BYTES = 5
EVICT_BATCH = 64  # networks looked at per round of eviction


def history_entry_bytes(layers: list[int]) -> int:
    """The most one history entry takes: five losses and accuracies and a gradient norm per
    weight layer."""
    return ENTRY_BYTES + NUMBER_BYTES * (5 + len(layers) - 1)


def network_bytes(record: NetworkRecord, history: list[dict[str, Any]], limits: Limits) -> int:
    """The bytes `record` with `history` takes when stored now; LimitError (422) when it could
    grow past BACKPROP_LENS_MAX_NETWORK_BYTES."""
    config = len(config_json(record.config))
    params = sum(p.nbytes for p in record.params)
    arrays = params + sum(a.nbytes for arrays in record.buffers.values() for a in arrays)
    arrays += params if record.last_params is not None else 0
    entries = sum(len(orjson.dumps(h)) for h in history)
    state = STATE_BYTES + len(record.diverged or "") + INDEX_BYTES * len(record.last_batch or [])
    full_history = max(entries, limits.max_history * history_entry_bytes(record.config.layers))
    most = config + STATE_MOST + INDEX_BYTES * limits.max_batch + 4 * params + full_history
    n_params = sum(p.size for p in record.params)
    subject = (
        f"this network can grow to {most} bytes (config and dataset {config}, 4 copies of its "
        f"{n_params} parameters {4 * params}, {limits.max_history} history entries "
        f"{full_history})"
    )
    hint = "use fewer parameters or points, or float32"
    check_limit(limits, "max_network_bytes", most, (), subject=subject, hint=hint)
    return config + state + arrays + entries


def make_room(
    store: Store, limits: Limits, size: int, adding: int = 1, keep: str | None = None
) -> None:
    """Make room for `adding` networks of `size` bytes (0, 0: for what the store holds now).

    Deletes networks unused for BACKPROP_LENS_IDLE_DAYS, then, while the store is past
    BACKPROP_LENS_MAX_NETWORKS or BACKPROP_LENS_MAX_STORE_BYTES, the least recently used
    network idle for BACKPROP_LENS_EVICT_IDLE_MINUTES (never `keep`); StoreFullError (429)
    when that is not enough. Run it under the store's creation lock so workers agree.
    """
    t = now()
    store.purge_idle(t - limits.idle_days * 86400)
    grace = limits.evict_idle_minutes * 60

    def over(count: int, stored: int) -> bool:
        too_many = adding > 0 and count + adding > limits.max_networks
        return too_many or stored + size > limits.max_store_bytes

    while True:
        count, stored = store.usage()
        if not over(count, stored):
            return
        idle = [v for v in store.least_used(t - grace, EVICT_BATCH) if v[0] != keep]
        if not idle:
            raise _full(store, limits, count, stored, size, adding, keep)
        for network_id, _, nbytes in idle:
            if store.delete(network_id):
                count, stored = count - 1, stored - nbytes
                if not over(count, stored):
                    return


def _full(
    store: Store, limits: Limits, count: int, stored: int, size: int, adding: int, keep: str | None
) -> StoreFullError:
    if adding > 0 and count + adding > limits.max_networks:
        subject = f"{count} networks are stored and this adds {adding}"
        msg = limit_message("max_networks", count + adding, limits.max_networks, subject)
    else:
        subject = f"the stored networks take {stored} bytes" + (
            f" and this one takes {size} more" if size else ""
        )
        msg = limit_message("max_store_bytes", stored + size, limits.max_store_bytes, subject)
    grace = limits.evict_idle_minutes * 60
    oldest = [t for k, t, _ in store.least_used(math.inf, 2) if k != keep]
    retry = max(1, math.ceil(oldest[0] + grace - now())) if oldest else math.ceil(grace) or 60
    msg += (
        f"; every stored network was used in the last {limits.evict_idle_minutes:g} minutes "
        f"({variable('evict_idle_minutes')}), so none was deleted to make room: try again in "
        f"{retry} s"
    )
    return StoreFullError(msg, retry)
