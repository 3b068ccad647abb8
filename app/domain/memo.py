"""Values derived from frozen objects shared between requests, remembered per object.

A stored network's config is one frozen object per distinct config (app/store/records.py keeps
and hands out the same one), so what a step derives from it (the dataset's cache key, the
optimizer, a template network) can be computed once per config instead of every request.
Each entry holds its object, so an id is never reused while it is remembered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """make(obj) for the last `kept` objects asked about, by identity."""

    def __init__(self, make: Callable[[K], V], kept: int = 64) -> None:
        self._make = make
        self._kept = kept
        self._entries: OrderedDict[int, tuple[K, V]] = OrderedDict()

    def __call__(self, obj: K) -> V:
        known = self._entries.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        value = self._make(obj)
        self._entries[id(obj)] = (obj, value)
        while len(self._entries) > self._kept:
            self._entries.popitem(last=False)
        return value
