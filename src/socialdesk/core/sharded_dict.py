"""A dict split into many small ones, for millions of entries built on a worker thread.

A dict grows by copying every entry into a table twice as large, in one C call that
holds the interpreter lock throughout: one insert into a dict of 2.8 million entries
kept the GUI thread waiting 0.5 s on a loaded machine, whatever the switch interval.
:class:`ShardedDict` spreads its entries over :data:`SHARDS` plain dicts by the key's
hash, so each growth copies a few thousand entries at most (a million entries: 1,000
per shard), and :meth:`ShardedDict.clear` frees them a shard at a time as well.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar, overload

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

SHARDS = 1024


class ShardedDict(Generic[K, V]):
    """The few dict operations bulk indexes use, over :data:`SHARDS` small dicts."""

    __slots__ = ("_shards",)

    def __init__(self, shards: int | None = None) -> None:
        self._shards: list[dict[K, V]] = [{} for _ in range(shards or SHARDS)]

    def shard(self, key: K) -> dict[K, V]:
        """The plain dict that holds ``key`` (for loops that insert millions of keys)."""
        return self._shards[hash(key) % len(self._shards)]

    def __getitem__(self, key: K) -> V:
        return self._shards[hash(key) % len(self._shards)][key]

    def __setitem__(self, key: K, value: V) -> None:
        self._shards[hash(key) % len(self._shards)][key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._shards[hash(key) % len(self._shards)]

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: V) -> V: ...

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value of ``key``, else ``default``."""
        return self._shards[hash(key) % len(self._shards)].get(key, default)

    def setdefault(self, key: K, value: V) -> V:
        """The value of ``key``, set to ``value`` first if it had none."""
        return self._shards[hash(key) % len(self._shards)].setdefault(key, value)

    def __len__(self) -> int:
        return sum(map(len, self._shards))

    def __bool__(self) -> bool:
        return any(self._shards)

    def items(self) -> Iterator[tuple[K, V]]:
        """Every (key, value), in no particular order."""
        for shard in self._shards:
            yield from shard.items()

    def drain(self) -> Iterator[tuple[K, V]]:
        """Remove every (key, value), yielding each as it goes (each is freed once used)."""
        for shard in self._shards:
            while shard:
                yield shard.popitem()

    def clear(self) -> None:
        """Remove every entry, freeing them a shard at a time."""
        for shard in self._shards:
            shard.clear()
