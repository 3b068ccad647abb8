"""The store interface every backend implements: read, compare-and-set commit, update.

A change is read, compute, compare-and-set: `read` returns the record with its version,
the computation runs with no lock held (it may take seconds, in another process), and `commit`
writes only if the version is still the one read — otherwise the caller recomputes from the new
state. So concurrent steps never lose one, and no writer waits for another's computation.
`update(id, fn)` is that loop for callers that compute in place.

Every backend also keeps, per network, when it was last used (written, or read through `get`:
a read writes that time at most once a minute) and how many bytes it takes (its packed
config, state and arrays, exactly, plus its history entries), so a full store can delete the
least recently used networks first (`usage`, `least_used`).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from app.store.records import NetworkRecord

T = TypeVar("T")


class NotFoundError(LookupError):
    """No network has that id."""


class ContendedError(RuntimeError):
    """Other writers changed the network on every try; the caller may try again later."""


MAX_TRIES = 50  # compare-and-set attempts before ContendedError
TOUCH_EVERY = 60.0  # a read records its use when the last recorded one is this many seconds old


@dataclass
class Change(Generic[T]):
    """What an update writes: the record (None: write nothing), history entries, and a result."""

    result: T
    record: NetworkRecord | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    clear_history: bool = False

    @property
    def writes(self) -> bool:
        """Whether committing this change writes anything."""
        return self.record is not None or bool(self.history) or self.clear_history


@dataclass(frozen=True)
class Snapshot:
    """A network as read, and the version a commit must still find."""

    record: NetworkRecord
    version: int


class Store(ABC):
    """Persistent networks and their training history."""

    kind: str

    def __init__(self, max_history: int) -> None:
        self.max_history = max_history

    @abstractmethod
    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        """Store a new network."""

    def get(self, network_id: str) -> NetworkRecord:
        """The network, or NotFoundError; records that it was used (at most once a minute)."""
        record = self._get(network_id)
        t = now()
        if t - record.touched >= TOUCH_EVERY:
            self.touch(network_id, t)
            record.touched = t
        return record

    @abstractmethod
    def _get(self, network_id: str) -> NetworkRecord:
        """The network with `touched` its last recorded use, or NotFoundError."""

    @abstractmethod
    def touch(self, network_id: str, at: float) -> None:
        """Record that the network was used at epoch time `at` (no version change); an
        unknown id is ignored."""

    @abstractmethod
    def history(self, network_id: str) -> list[dict[str, Any]]:
        """The network's history entries, oldest first (at most max_history)."""

    @abstractmethod
    def read(self, network_id: str) -> Snapshot:
        """The network and its version, or NotFoundError."""

    @abstractmethod
    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        """Write `change` if the network is still at `version`; False if it moved on."""

    def update(self, network_id: str, fn: Callable[[NetworkRecord], Change[T]]) -> T:
        """Read the network, apply `fn`, write what it returns, as one compare-and-set loop."""
        for _ in range(MAX_TRIES):
            snap = self.read(network_id)
            change = fn(snap.record)
            if not change.writes or self.commit(network_id, snap.version, change):
                return change.result
        raise ContendedError(network_id)

    @abstractmethod
    def delete(self, network_id: str) -> bool:
        """Remove the network; False if there was none."""

    @abstractmethod
    def count(self) -> int:
        """How many networks are stored."""

    @abstractmethod
    def usage(self) -> tuple[int, int]:
        """(networks stored, bytes they take)."""

    @abstractmethod
    def least_used(self, before: float, limit: int) -> list[tuple[str, float, int]]:
        """Up to `limit` networks last used before epoch time `before`, least recently used
        first, as (id, last use, bytes)."""

    @abstractmethod
    def purge_idle(self, older_than: float) -> int:
        """Delete networks last used before the epoch time `older_than`; how many."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release connections."""


def now() -> float:
    """Wall-clock time as stored in records."""
    return time.time()
