"""The links between partners as arrays: read in one pass, kept as a few numpy arrays.

A huge workspace has 50,000 partners and 500,000 links. As Python objects (a tuple or
a pair of strings per link) they take seconds to read and hundreds of megabytes to keep,
and every garbage collection visits them; as arrays they take tens of milliseconds and
a few megabytes, and nothing for the collector to visit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from socialdesk.core.planner.leverage import Link
from socialdesk.store import planning
from socialdesk.store.workspace import Workspace

# A neighbourhood of more than this share of the partners reads every link in one pass
# rather than by index: a link found by index costs about ten times one read in order
# (huge workspace: the links among 38,819 of 50,000 partners 2.9 s by index, all
# 500,000 links 0.28 s; the links out of 3,569 partners 0.2 s).
WHOLE_READ_SHARE = 1 / 8


@dataclass(frozen=True, eq=False)
class PartnerLinks:
    """Directed links between partners (an undirected one both ways), as parallel arrays.

    ``nodes`` are the partners' contact ids in increasing order; ``src`` and ``dst`` are
    positions in ``nodes``. Iterating gives :class:`Link` tuples with the ids as text
    (the model's partner ids), in stored order.
    """

    nodes: np.ndarray  # int64 contact ids, sorted
    src: np.ndarray  # int64 positions in nodes
    dst: np.ndarray
    weight: np.ndarray  # float64 in [0, 1]

    @classmethod
    def empty(cls) -> PartnerLinks:
        """No links."""
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, np.zeros(0))

    def __len__(self) -> int:
        """How many directed links."""
        return len(self.src)

    def __iter__(self) -> Iterator[Link]:
        """The links as :class:`Link` tuples (slow for many: for scenario files and tests)."""
        ids = [str(n) for n in self.nodes.tolist()]
        for a, b, w in zip(self.src.tolist(), self.dst.tolist(), self.weight.tolist(),
                           strict=True):
            yield Link(ids[a], ids[b], w)

    def positions(self, index: Mapping[str, int]) -> np.ndarray:
        """Each node's position in a model's partners (``index``: id → position; -1: absent)."""
        return np.fromiter((index.get(str(n), -1) for n in self.nodes.tolist()),
                           dtype=np.int64, count=len(self.nodes))

    @cached_property
    def by_source(self) -> tuple[np.ndarray, np.ndarray]:
        """The links' indices ordered by source, and where each node's own begin in them.

        Worked out once, on the thread that reads the links (:func:`partner_links`).
        """
        order = stable_order(self.src, len(self.nodes))
        return order, np.searchsorted(self.src[order], np.arange(len(self.nodes) + 1))

    def among(self, ids: Sequence[str]) -> list[tuple[str, str, float]]:
        """The links between the given partners as ``(a, b, weight)`` with ``a < b``.

        Links either way between two partners are one, with the larger weight.
        """
        wanted = np.asarray(sorted({int(i) for i in ids if i.isdigit()}), dtype=np.int64)
        at = np.searchsorted(self.nodes, wanted)
        known = at < len(self.nodes)
        at, wanted = at[known], wanted[known]
        at = at[self.nodes[at] == wanted]
        order, starts = self.by_source
        inside = set(at.tolist())
        best: dict[tuple[str, str], float] = {}
        for pos in at.tolist():
            for k in order[starts[pos]:starts[pos + 1]].tolist():
                other = int(self.dst[k])
                if other not in inside:
                    continue
                a, b = str(self.nodes[pos]), str(self.nodes[other])
                pair = (a, b) if a < b else (b, a)
                best[pair] = max(best.get(pair, -1.0), float(self.weight[k]))
        rank = {pid: i for i, pid in enumerate(ids)}
        return sorted(((a, b, w) for (a, b), w in best.items()),
                      key=lambda link: (rank[link[0]], rank[link[1]]))


def partner_links(ws: Workspace) -> PartnerLinks:
    """The links between the workspace's partners (contacts with an audience)."""
    nodes, rows = planning.partner_link_rows(ws)
    links = _between(nodes, rows)
    links.by_source  # noqa: B018 (worked out here, not on the GUI thread drawing the picture)
    return links


def links_among(ws: Workspace, ids: Sequence[str]) -> list[tuple[str, str, float]]:
    """The stored links between the given partners, as :meth:`PartnerLinks.among` gives them.

    Read for them alone (a picture's few dozen partners), not from every link.
    """
    wanted = np.asarray(sorted({int(i) for i in ids if i.isdigit()}), dtype=np.int64)
    return _between(wanted, planning.links_touching(ws, wanted.tolist(), among=True)).among(ids)


def links_near(ws: Workspace, partners: np.ndarray, seeds: Iterable[int], hops: int,
               every_link: Callable[[], np.ndarray] | None = None) -> PartnerLinks:
    """The links between the partners within ``hops`` links of the seeds (contact ids).

    All a cascade from those seeds can take, in ``hops`` rounds of reshares, read
    without the rest: a few asks' neighbourhood out of 500,000 links. ``partners`` are
    the partners' contact ids, sorted. When a read is for more than ``WHOLE_READ_SHARE``
    of the partners, or the neighbourhood is set to pass it in the next round (as it grew
    in the last one), every link is read in one pass instead and the rest is picked from
    it: the same links (``every_link()``'s, when that is given: a read already under way).
    """
    every: np.ndarray | None = None

    def touching(ids: np.ndarray, among: bool = False, ahead: float = 0) -> np.ndarray:
        nonlocal every
        if every is None and max(len(ids), ahead) > len(partners) * WHOLE_READ_SHARE:
            every = planning.link_rows(ws) if every_link is None else every_link()
        if every is None:
            return planning.links_touching(ws, ids.tolist(), among)
        return _touching(every, ids, among)

    seen = distinct(np.fromiter(seeds, dtype=np.int64))
    frontier, growth = seen, 1.0
    for _ in range(max(0, hops)):
        if not len(frontier):
            break
        rows = touching(frontier, ahead=len(seen) + len(frontier) * growth)
        ends = np.concatenate([rows["to_id"], rows["from_id"][rows["directed"] == 0]])
        ends = distinct(ends[_found(partners, ends, np.searchsorted(partners, ends))])
        new = ends[~_found(seen, ends, np.searchsorted(seen, ends))]
        frontier, growth = new, len(new) / len(frontier)
        seen = distinct(np.concatenate([seen, frontier]))
    rows = touching(seen, among=True)
    used = distinct(np.concatenate([rows["from_id"], rows["to_id"]]))
    return _between(used[_found(partners, used, np.searchsorted(partners, used))], rows)


def _touching(rows: np.ndarray, ids: np.ndarray, among: bool) -> np.ndarray:
    """The rows :func:`store.planning.links_touching` reads for ``ids``, from every row."""
    if not len(rows):
        return rows
    src, dst = rows["from_id"], rows["to_id"]
    wanted = np.zeros(max(int(src.max()), int(dst.max()), int(ids.max(initial=0))) + 1,
                      dtype=bool)
    wanted[ids] = True
    out, into = wanted[src], wanted[dst]
    kept: np.ndarray = rows[out & into if among else out | (into & (rows["directed"] == 0))]
    return kept


def _between(nodes: np.ndarray, rows: np.ndarray) -> PartnerLinks:
    """The stored links (``store.planning.LINK_ROW`` rows) between ``nodes`` (sorted ids)."""
    src = np.searchsorted(nodes, rows["from_id"])
    dst = np.searchsorted(nodes, rows["to_id"])
    inside = _found(nodes, rows["from_id"], src) & _found(nodes, rows["to_id"], dst)
    src, dst, weight = src[inside], dst[inside], rows["weight"][inside]
    both = rows["directed"][inside] == 0
    # An undirected link counts both ways: each one followed by its reverse, in stored order.
    count = np.where(both, 2, 1)
    starts = np.cumsum(count) - count
    out_src = np.empty(int(count.sum()), dtype=np.int64)
    out_dst = np.empty_like(out_src)
    out_src[starts], out_dst[starts] = src, dst
    out_src[starts[both] + 1], out_dst[starts[both] + 1] = dst[both], src[both]
    return PartnerLinks(nodes, out_src, out_dst, np.repeat(weight, count))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique(values)``.

    Without ``np.unique``, which imports ``numpy.ma`` (tens of milliseconds of a command).
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    kept: np.ndarray = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return kept


def stable_order(positions: np.ndarray, bound: int) -> np.ndarray:
    """``np.argsort(positions, kind="stable")`` for positions in ``[0, bound)``, faster.

    numpy sorts 16-bit integers by radix: one pass for up to 65,536 partners, two (low
    half, then high half) up to 2³², in linear time where 64-bit keys take a merge sort
    (a million links: 20 ms instead of 300).
    """
    if bound <= 1 << 16:
        return np.argsort(positions.astype(np.uint16), kind="stable")
    if bound <= 1 << 32:
        low = np.argsort((positions & 0xFFFF).astype(np.uint16), kind="stable")
        high = np.argsort((positions[low] >> 16).astype(np.uint16), kind="stable")
        order: np.ndarray = low[high]
        return order
    return np.argsort(positions, kind="stable")


def _found(nodes: np.ndarray, ids: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each id is in ``nodes`` (``at``: its ``searchsorted`` position)."""
    inside = at < len(nodes)
    inside[inside] = nodes[at[inside]] == ids[inside]
    return inside


def link_arrays(links: Iterable[tuple[str, str, float]], index: Mapping[str, int],
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Links as positions in a model's partners (``index``), links to unknown ids left out."""
    if isinstance(links, PartnerLinks):
        position = links.positions(index)
        src, dst = position[links.src], position[links.dst]
        keep = (src >= 0) & (dst >= 0)
        return src[keep], dst[keep], links.weight[keep]
    src, dst, w = [], [], []
    for source, target, weight in links:
        a, b = index.get(source), index.get(target)
        if a is not None and b is not None:
            src.append(a)
            dst.append(b)
            w.append(weight)
    return (np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64),
            np.asarray(w, dtype=float))

