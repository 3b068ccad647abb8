"""What one step of each network costs, remembered per process to choose where to run it.

A hint only: it decides whether a step runs on the event loop (small) or in the thread pool
(large). A stale or missing entry never changes a result, only where it is computed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class StepCosts:
    """A bounded map network id → batch rows × parameters of its last step."""

    def __init__(self, size: int = 4096) -> None:
        self._costs: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, network_id: str) -> int | None:
        """The last cost seen, or None for a network this process has not stepped."""
        with self._lock:
            return self._costs.get(network_id)

    def put(self, network_id: str, cost: int) -> None:
        """Remember a cost, forgetting the least recently stepped network when full."""
        with self._lock:
            self._costs[network_id] = cost
            self._costs.move_to_end(network_id)
            if len(self._costs) > self._size:
                self._costs.popitem(last=False)
