"""A store in this process's memory (tests, demos)."""

from __future__ import annotations

import heapq
import threading
from typing import Any

import orjson

from app.store.base import Change, NotFoundError, Snapshot, Store
from app.store.records import NetworkRecord, pack, unpack


class MemoryStore(Store):
    """A store in this process's memory (tests, demos); records are kept packed, as on disk."""

    kind = "memory"

    def __init__(self, max_history: int = 20_000) -> None:
        super().__init__(max_history)
        self._lock = threading.RLock()
        self._rows: dict[str, tuple[bytes, bytes, bytes]] = {}
        self._used: dict[str, float] = {}
        self._versions: dict[str, int] = {}
        self._history: dict[str, list[bytes]] = {}
        self._hist_bytes: dict[str, int] = {}

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        with self._lock:
            self._rows[record.id] = pack(record)
            self._used[record.id] = record.touched
            self._versions[record.id] = 0
            self._history[record.id], self._hist_bytes[record.id] = [], 0
            self._append(record.id, history or [])

    def _get(self, network_id: str) -> NetworkRecord:
        with self._lock:
            row = self._rows.get(network_id)
            used = self._used.get(network_id, 0.0)
        if row is None:
            raise NotFoundError(network_id)
        record = unpack(*row)
        record.touched = used
        return record

    def touch(self, network_id: str, at: float) -> None:
        with self._lock:
            if network_id in self._used:
                self._used[network_id] = at

    def history(self, network_id: str) -> list[dict[str, Any]]:
        with self._lock:
            if network_id not in self._rows:
                raise NotFoundError(network_id)
            return [orjson.loads(h) for h in self._history[network_id]]

    def read(self, network_id: str) -> Snapshot:
        with self._lock:
            row = self._rows.get(network_id)
            version = self._versions.get(network_id, 0)
        if row is None:
            raise NotFoundError(network_id)
        return Snapshot(unpack(*row), version)

    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        with self._lock:
            if network_id not in self._rows:
                raise NotFoundError(network_id)
            if self._versions[network_id] != version:
                return False
            self._write(network_id, change)
            return True

    def _write(self, network_id: str, change: Change[Any]) -> None:
        if change.record is not None:
            self._rows[network_id] = pack(change.record)
            self._used[network_id] = change.record.touched
        self._versions[network_id] += 1
        if change.clear_history:
            self._history[network_id].clear()
            self._hist_bytes[network_id] = 0
        self._append(network_id, change.history)

    def _append(self, network_id: str, history: list[dict[str, Any]]) -> None:
        entries = self._history[network_id]
        added = [orjson.dumps(h) for h in history]
        entries.extend(added)
        dropped = entries[: max(0, len(entries) - self.max_history)]
        del entries[: len(dropped)]
        self._hist_bytes[network_id] += sum(map(len, added)) - sum(map(len, dropped))

    def _bytes(self, network_id: str) -> int:
        return sum(map(len, self._rows[network_id])) + self._hist_bytes[network_id]

    def delete(self, network_id: str) -> bool:
        with self._lock:
            self._history.pop(network_id, None)
            self._hist_bytes.pop(network_id, None)
            self._versions.pop(network_id, None)
            self._used.pop(network_id, None)
            return self._rows.pop(network_id, None) is not None

    def count(self) -> int:
        with self._lock:
            return len(self._rows)

    def usage(self) -> tuple[int, int]:
        with self._lock:
            return len(self._rows), sum(self._bytes(k) for k in self._rows)

    def least_used(self, before: float, limit: int) -> list[tuple[str, float, int]]:
        with self._lock:
            idle = ((t, k) for k, t in self._used.items() if t < before)
            return [(k, t, self._bytes(k)) for t, k in heapq.nsmallest(limit, idle)]

    def purge_idle(self, older_than: float) -> int:
        with self._lock:
            old = [k for k, t in self._used.items() if t < older_than]
            for key in old:
                self.delete(key)
            return len(old)
