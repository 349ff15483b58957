"""The leverage model's bounded cascade: a seeded Monte Carlo of shares spreading along links.

Hop 1: asked partners share with their ask probability ``p_c``. Hop h+1: an unasked
partner ``c'`` who has not shared yet may share when a partner ``c`` linked to it shared
at hop h, with probability ``w(c, c') · q_c' · reshare``, once per link (the independent
cascade model), up to ``max_hops``. Parallel links of one ordered pair are one link with
``w = 1 − Π(1 − w_i)``. An asked partner shares only when asked: one who did not is not
reached again through a link. Each run's reach is ``U · (1 − (1 − x_0) · Π_sharers
(1 − x_c))`` (DESIGN.md, leverage v2).

The simulation is vectorised over runs as bit sets: bit ``r`` of a node's words says
whether the node shares in run ``r``. A cascade in which each link is tried once is the
same, in distribution, as reachability over the links that "fire", so each round ORs the
words of the nodes that began sharing in the previous round, masked by random words in
which each bit is set with the link's probability, into their neighbours' words. Only the
links out of those nodes are walked, and a link's random word is drawn only where its
source's word is not zero: the work follows the shares, not the size of the graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from socialdesk.core.planner import leverage
from socialdesk.core.planner.graph import link_arrays, stable_order
from socialdesk.core.planner.leverage import MAX_HOPS, CascadeSummary, Link
from socialdesk.core.planner.partner_columns import (
    PartnerColumns,
    ask_probabilities,
    partner_reach,
    share_likelihoods,
)

__all__ = ["CascadeModel", "CascadeRuns", "CascadeSummary", "Link"]

# Probabilities are drawn to this many bits: each draw for a word of 64 runs rounds p at
# random to one of the two nearest multiples of 2^-bits, so every draw has exactly the
# probability p on average. Fewer bits are faster; 8 is plenty for links (whose p is
# itself a rough estimate), the asked partners' p gets 20.
LINK_BITS = 8
ASK_BITS = 20
# At most about this many 64-bit words (8 MB) of sharing bits, or of one round's words
# passed along links, at once: more runs go in batches, and a round's links word by word.
BATCH_WORDS = 1024 * 1024
TALLY_NODES = 512  # nodes unpacked to one byte per run at a time
_ALL = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


@dataclass(frozen=True, slots=True)
class CascadeRuns:
    """Every run's reach and number of sharers (asked and reached through links)."""

    reach: np.ndarray
    sharers: np.ndarray

    def summary(self) -> CascadeSummary:
        """Mean, median, 10th and 90th percentile of the reach, and the runs without a share."""
        if not len(self.reach):
            return CascadeSummary(0.0, 0.0, 0.0, 0.0, 1.0, 0, 0.0)
        p10, median, p90 = percentiles(self.reach, (10, 50, 90))
        return CascadeSummary(
            mean=float(self.reach.mean()), median=float(median), p10=float(p10),
            p90=float(p90), p_none=float(np.mean(self.sharers == 0)),
            runs=len(self.reach), mean_sharers=float(self.sharers.mean()),
        )


def percentiles(values: np.ndarray, q: Sequence[float]) -> list[float]:
    """``np.percentile(values, q)`` (linear interpolation, its default): the same figures.

    Worked out as numpy does, without the ``np.unique`` it calls, which imports
    ``numpy.ma`` (tens of milliseconds of ``socialdesk plan``). With a NaN, numpy's own.
    """
    n = len(values)
    if not n or np.isnan(values).any():
        return [float(v) for v in np.percentile(values, q)]
    ordered = np.sort(values)
    virtual = (n - 1) * np.true_divide(np.asarray(q), 100)
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above] = following[above] = -1
    below = virtual < 0
    previous[below] = following[below] = 0
    at, after = previous.astype(np.intp), following.astype(np.intp)
    gamma = virtual - at
    low, high = ordered[at], ordered[after]
    diff = high - low
    found = low + diff * gamma
    np.subtract(high, diff * (1 - gamma), out=found, where=gamma >= 0.5)
    return [float(v) for v in found]


class CascadeModel:
    """One post's partners and links, prepared once and simulated for any set of asks."""

    def __init__(
        self,
        ids: Sequence[str],
        p: ArrayLike,
        q: ArrayLike,
        x: ArrayLike,
        x0: float,
        universe: float,
        links: Iterable[tuple[str, str, float]],
        reshare: float,
        max_hops: int = 2,
    ) -> None:
        """Partners by id with ``p_c``, ``q_c`` and ``x_c``, and the links between them.

        Links naming unknown ids are ignored, as are links from a partner to itself;
        parallel links of one ordered pair merge into one. ``max_hops`` is 1 to 4.
        """
        self.max_hops = min(MAX_HOPS, max(1, int(max_hops)))
        self.ids = list(ids)
        self.index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        self.p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
        q_arr = np.clip(np.asarray(q, dtype=float), 0.0, 1.0)
        self.x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
        self.x0 = min(1.0, max(0.0, x0))
        self.universe = universe
        # log(1 − x_c), bounded so that a partner reaching everyone gives exp(...) = 0
        # without 0 · −inf in the sums.
        with np.errstate(divide="ignore"):
            self.log_miss = np.maximum(np.log1p(-self.x), -1e4)
        src, dst, w = link_arrays(links, self.index)
        itself = src == dst
        src_a, dst_a, w_a = _merged(src[~itself], dst[~itself], np.clip(w[~itself], 0, 1),
                                    len(self.ids))
        prob = w_a * q_arr[dst_a] * min(1.0, max(0.0, reshare))
        keep = prob > 0
        # Sorted by source once, with where each source's links start: each simulation
        # walks out from the asked partners without sorting every link again.
        order = stable_order(src_a[keep], len(self.ids))
        self.src, self.dst, self.prob = src_a[keep][order], dst_a[keep][order], prob[keep][order]
        self.starts = np.searchsorted(self.src, np.arange(len(self.ids) + 1))

    @classmethod
    def for_post(
        cls,
        partners: Sequence[leverage.PartnerInput],
        links: Iterable[tuple[str, str, float]],
        channels: Sequence[leverage.AudienceInput],
        post: leverage.PostInput,
        params: leverage.ModelParams,
    ) -> CascadeModel:
        """The model's figures for one post: ``p_c``, ``q_c``, ``x_c`` and ``x_0``."""
        universe = params.universe
        columns = PartnerColumns.of(partners)
        reach = partner_reach(columns, post, params)[0]
        return cls(
            ids=columns.ids,
            p=ask_probabilities(columns, params),
            q=share_likelihoods(columns, params),
            x=np.minimum(1.0, reach / universe),
            x0=min(1.0, leverage.own_reach(channels, post, params) / universe),
            universe=universe, links=links, reshare=params.reshare,
            max_hops=params.max_hops,
        )

    @property
    def link_count(self) -> int:
        """Links that can carry a share (weight, likelihood and reshare above zero)."""
        return len(self.src)

    def simulate(
        self,
        asked: Collection[str],
        runs: int = 2000,
        seed: int = 1,
        share_probability: Mapping[str, float] | None = None,
    ) -> CascadeRuns:
        """Run the Monte Carlo for the asked partners; the same seed gives the same runs.

        ``share_probability`` replaces ``p_c`` for some asked partners (1 makes them
        certain sharers, as the benchmark against other cascade code needs).
        """
        unknown = [a for a in asked if a not in self.index]
        if unknown:
            raise KeyError(f"unknown partner {unknown[0]!r}")
        if runs <= 0:
            return CascadeRuns(np.zeros(0), np.zeros(0, dtype=np.int64))
        seeds = np.array(sorted({self.index[a] for a in asked}), dtype=np.int64)
        seed_p = self.p[seeds].copy()
        for pid, value in (share_probability or {}).items():
            if pid in asked:
                seed_p[np.searchsorted(seeds, self.index[pid])] = min(1.0, max(0.0, value))
        rng = np.random.Generator(np.random.SFC64(seed))
        words = (runs + 63) // 64
        batch = max(1, min(words, BATCH_WORDS // max(1, len(self.ids))))
        reach, sharers = [], []
        for start in range(0, words, batch):
            n_words = min(batch, words - start)
            shares = self._spread(rng, seeds, seed_p, n_words)
            nodes = np.flatnonzero(shares.any(axis=0))
            n_runs = min(runs - start * 64, n_words * 64)
            r, s = self._tally(nodes, shares[:, nodes], n_runs)
            reach.append(r)
            sharers.append(s)
        return CascadeRuns(np.concatenate(reach), np.concatenate(sharers))

    def run(self, asked: Collection[str], runs: int = 2000, seed: int = 1) -> CascadeSummary:
        """Mean, median, p10, p90 and ``p_none`` of the reach for a set of asks."""
        return self.simulate(asked, runs, seed).summary()

    def _tally(self, nodes: np.ndarray, bits: np.ndarray, runs: int) -> tuple[np.ndarray,
                                                                               np.ndarray]:
        """Each run's reach and sharer count from the nodes' sharing words.

        Any ``runs`` of a word's 64 bits are as good as any other: all are simulated.
        """
        sharers = np.zeros(runs, dtype=np.int64)
        log_miss = np.zeros(runs)
        for start in range(0, len(nodes), TALLY_NODES):  # bounded memory for the flags
            chunk = np.ascontiguousarray(bits[:, start : start + TALLY_NODES].T)
            flags = np.unpackbits(chunk.view(np.uint8), axis=1, bitorder="little")[:, :runs]
            sharers += flags.sum(axis=0, dtype=np.int64)
            log_miss += self.log_miss[nodes[start : start + TALLY_NODES]] @ flags
        reach = self.universe * (self.x0 - (1.0 - self.x0) * np.expm1(log_miss))
        return reach, sharers

    def _spread(self, rng: np.random.Generator, seeds: np.ndarray, seed_p: np.ndarray,
                words: int) -> np.ndarray:
        """One batch of ``64 · words`` runs: every partner's sharing bits, (words, partners).

        Each round walks only the links out of partners who began sharing in the previous
        round, and draws a link's random word only for the words of 64 runs in which its
        source did. A partner begins sharing in one round at most in each run, so each
        (link, run) is drawn once at most: a fresh draw per round is the same cascade.
        """
        shares = np.zeros((words, len(self.ids)), dtype=np.uint64)
        front = _bernoulli_words(rng, seed_p, words, ASK_BITS)
        shares[:, seeds] = front
        asked = np.zeros(len(self.ids), dtype=bool)
        asked[seeds] = True
        sources = seeds
        for _ in range(self.max_hops - 1):
            live = front.any(axis=0)
            sources, front = sources[live], front[:, live]
            lo, hi = self.starts[sources], self.starts[sources + 1]
            links = _ranges(lo, hi)
            owner = np.repeat(np.arange(len(sources)), hi - lo)
            into_unasked = ~asked[self.dst[links]]  # an asked partner shares only when asked
            links, owner = links[into_unasked], owner[into_unasked]
            if not len(links):
                break
            by_target = np.argsort(self.dst[links], kind="stable")
            links, owner = links[by_target], owner[by_target]
            targets = self.dst[links]
            first = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]])
            arrived = np.empty((words, len(first)), dtype=np.uint64)
            step = max(1, BATCH_WORDS // len(links))  # bounded memory for the passed words
            for row in range(0, words, step):
                passed = np.take(front[row : row + step], owner, axis=1)
                flat = passed.reshape(-1)
                tried = np.flatnonzero(flat)
                fires = _bernoulli_words(rng, self.prob[links[tried % len(links)]], 1, LINK_BITS)
                flat[tried] &= fires[0]
                arrived[row : row + step] = np.bitwise_or.reduceat(passed, first, axis=1)
            sources = targets[first]
            arrived &= ~shares[:, sources]
            shares[:, sources] |= arrived
            front = arrived
        return shares


def _merged(src: np.ndarray, dst: np.ndarray, w: np.ndarray,
            n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parallel links of one ordered pair as one, with ``w = 1 − Π(1 − w_i)``.

    Without parallel links, the links as given; with them, one per pair in (source,
    target) order. Sorted by two radix passes over positions below ``n`` (a million
    links: tens of milliseconds, where ``np.unique`` of 64-bit pair keys took 400).
    """
    if not len(src):
        return src, dst, w
    by_target = stable_order(dst, n)
    order = by_target[stable_order(src[by_target], n)]  # by source, then target; stable
    s, d = src[order], dst[order]
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    new[1:] |= d[1:] != d[:-1]
    if new.all():
        return src, dst, w
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(s)))
    first = order[starts]  # each pair's first link as given
    with np.errstate(divide="ignore"):
        # Each pair's logs summed in the order given (a stable sort keeps it).
        log_miss = np.bincount(np.cumsum(new) - 1, weights=np.log1p(-w[order]),
                               minlength=len(starts))
    # A pair's one link keeps its weight exactly, whatever other pairs the links hold.
    return s[starts], d[starts], np.where(counts == 1, w[first], -np.expm1(log_miss))


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The indices ``lo[i] .. hi[i] - 1`` for every i, concatenated."""
    lengths = hi - lo
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    indices: np.ndarray = np.arange(total) - np.repeat(ends - lengths - lo, lengths)
    return indices


def _bernoulli_words(rng: np.random.Generator, p: np.ndarray, words: int,
                     bits: int) -> np.ndarray:
    """(words, len(p)) 64-bit words whose every bit in column i is set with probability p[i].

    Each (word, column) draws its level ``L / 2^bits`` by rounding ``p · 2^bits`` up or
    down at random (exact on average), then builds the word from ``bits`` random words,
    least significant bit of ``L`` first: a set bit ORs the next word in, a clear one
    ANDs it, which gives each bit the probability ``L / 2^bits``.
    """
    cols = len(p)
    out = np.zeros((words, cols), dtype=np.uint64)
    if not cols:
        return out
    scaled = np.clip(p, 0.0, 1.0)[None, :] * (1 << bits)
    low = np.floor(scaled)
    level = (low + (rng.random((words, cols)) < scaled - low)).astype(np.uint64)
    on = np.empty_like(out)
    mixed = np.empty_like(out)
    for i in range(bits):
        raw = rng.bit_generator.random_raw((words, cols))
        np.right_shift(level, np.uint64(i), out=on)
        on &= np.uint64(1)
        np.negative(on, out=on)  # 1 → all ones, 0 → 0
        np.bitwise_or(out, on, out=mixed)
        mixed &= raw
        out &= on
        out |= mixed
    out[level >= 1 << bits] = _ALL
    return out
