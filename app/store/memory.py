"""A store in this process's memory (tests, demos)."""

from __future__ import annotations

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
        self._rows: dict[str, tuple[bytes, bytes, bytes, float]] = {}
        self._versions: dict[str, int] = {}
        self._history: dict[str, list[bytes]] = {}

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        with self._lock:
            self._rows[record.id] = (*pack(record), record.touched)
            self._versions[record.id] = 0
            entries = [orjson.dumps(h) for h in history or []]
            self._history[record.id] = entries[max(0, len(entries) - self.max_history) :]

    def get(self, network_id: str) -> NetworkRecord:
        with self._lock:
            row = self._rows.get(network_id)
        if row is None:
            raise NotFoundError(network_id)
        return unpack(*row[:3])

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
        return Snapshot(unpack(*row[:3]), version)

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
            self._rows[network_id] = (*pack(change.record), change.record.touched)
        self._versions[network_id] += 1
        entries = self._history[network_id]
        if change.clear_history:
            entries.clear()
        entries.extend(orjson.dumps(h) for h in change.history)
        del entries[: max(0, len(entries) - self.max_history)]

    def delete(self, network_id: str) -> bool:
        with self._lock:
            self._history.pop(network_id, None)
            self._versions.pop(network_id, None)
            return self._rows.pop(network_id, None) is not None

    def count(self) -> int:
        with self._lock:
            return len(self._rows)

    def purge_idle(self, older_than: float) -> int:
        with self._lock:
            old = [k for k, row in self._rows.items() if row[3] < older_than]
            for key in old:
                self.delete(key)
            return len(old)
