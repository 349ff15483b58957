"""What the planner reads for every partner, kept between runs and brought up to date.

On a huge workspace (50,000 partners with 150,000 audiences, 300,000 asks) reading every
partner (``store.planning.partner_rows``) and fitting the recalibration on every resolved
ask take more than a second, whatever post is planned. They are kept in the cache folder
(``paths.cache_dir()``), a file each per workspace, with where the workspace's list of
changes stood when they were read (``store.planning.planner_changes``: the newest row of
``planner_changes``, which triggers add to on every change to the rows the planner reads,
schema version 20) and its planner marks (``planner_marks``, version 19).

A kept file is used while both are the workspace's. When changes were listed since,
the partners are brought up to date by reading again only the contacts they name (one
edit or one ask on the huge workspace: 50–80 ms instead of 1 s; more than 30% of the
partners are read whole), and the recalibration's outcomes by reading only the asks
named (fitted again only when one of them is or was among them). Anything else — a file
missing, damaged, written by another version or in another format, marks that differ, a
list that no longer holds the file's row (a workspace restored from a backup, more
changes than are kept) — and everything is read from the workspace again and the file
written anew: never stale. A workspace without a
list (older, opened read-only) is kept only while its marks are unchanged, and one
without marks is always read. The marks and the list are read before the rows, so rows
kept under them are never older than they are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialdesk import __version__
from socialdesk.store import planning
from socialdesk.store import track_record as stored
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

Fit = tuple[int, tuple[float, float] | None]

FORMAT = 2  # raise when what is kept, or how it is worked out, changes
# PartnerRows' arrays, ``owner`` kept as each audience's contact id; the other fields are
# kept as JSON (names, last asks, codes' values).
_PER_PARTNER = ("ids", "strength", "effort_minutes", "asked", "shared")
_PER_AUDIENCE = ("contact", "size", "platform", "topics")
# More partners changed than this share of them: a whole read, which then costs less than
# looking them up one by one (on the huge workspace a partner looked up costs about 35 µs,
# one of a whole read 20 µs; a topic renamed that 7,900 of 50,000 have: 0.36 s, not 1.0 s).
_SOME = 0.3


class _State:
    """Where the workspace stands: its marks and its newest change, read before any row."""

    def __init__(self, ws: Workspace) -> None:
        self.marks = planning.planner_marks(ws)
        changes = planning.planner_changes(ws)
        self.changes = None if changes is None else list(changes)

    def meta(self) -> dict[str, Any]:
        return {"marks": self.marks, "changes": self.changes}


def partner_rows(ws: Workspace, between: Callable[[], object] | None = None
                 ) -> planning.PartnerRows:
    """``store.planning.partner_rows``, from the kept copy brought up to date when there is one.

    ``between`` is called between the reads and parts of their rows (a read on a worker
    stops there when its view was left).
    """
    state = _State(ws)
    path = cache_file(ws, "partners") if state.marks is not None else None
    kept = _load(path, "partners")
    if kept is not None and kept[0].get("marks") == state.marks:
        meta, body = kept
        try:
            if meta.get("changes") == state.changes:
                return _rows_from(meta, body)[0]
            since = None
            if meta.get("changes") is not None and state.changes is not None:
                seq, tag = meta["changes"]
                since = planning.changed_since(ws, int(seq), int(tag))
            if since is not None and since[0] is not None \
                    and len(since[0]) <= len(meta["names"]) * _SOME:
                rows, contacts = _rows_from(meta, body)
                fresh, fresh_contacts = planning.partners_among(ws, since[0])
                asked, shared, last = planning.partner_history(ws, fresh.ids, only=True)
                fresh = replace(fresh, asked=asked, shared=shared, last_asked_on=last)
                rows, contacts = merged(rows, contacts, since[0], fresh, fresh_contacts)
                _store(path, "partners", state, _rows_text(rows, contacts))
                return rows
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass  # read again below, and written anew
    rows, contacts = planning.partners_among(ws, None, between)
    asked, shared, last = planning.partner_history(ws, rows.ids, between=between)
    rows = replace(rows, asked=asked, shared=shared, last_asked_on=last)
    if between is not None:
        between()
    _store(path, "partners", state, _rows_text(rows, contacts))
    return rows


def calibration_fit(ws: Workspace, fit: Callable[[np.ndarray], Fit],
                    between: Callable[[], object] | None = None) -> Fit:
    """``fit(outcomes)`` on ``store.track_record.calibration_outcomes``, kept between runs.

    ``Fit``: the resolved asks' count and (α, β), None under the count a fit needs. The
    outcomes are kept with it: after asks changed, only theirs are read again (an ask
    answered: its row and where it goes, not 300,000 rows), and the fit is worked out again
    only if one of them is or was among the outcomes. ``between``: as :func:`partner_rows`'s.
    """
    import numpy as np

    state = _State(ws)
    path = cache_file(ws, "calibration") if state.marks is not None else None
    kept = _load(path, "calibration")
    if kept is not None and kept[0].get("marks") == state.marks:
        meta, body = kept
        try:
            value = int(meta["resolved"]), (None if meta["fit"] is None
                                            else (float(meta["fit"][0]), float(meta["fit"][1])))
            if meta.get("changes") == state.changes:
                return value
            since = None
            if meta.get("changes") is not None and state.changes is not None:
                seq, tag = meta["changes"]
                since = planning.changed_since(ws, int(seq), int(tag))
            if since is not None and since[0] is not None and not since[1]:
                _store(path, "calibration", state, _fit_text(value, body=(meta, body)))
                return value  # partners changed, no ask: kept as it is, as of now
            if since is not None and since[0] is not None:
                outcomes = _outcomes_from(meta, body)
                gone = np.isin(outcomes["id"], np.asarray(since[1], dtype=np.int64))
                fresh, after = stored.outcomes_among(ws, since[1])
                if gone.any() or len(fresh):
                    outcomes = _placed(outcomes[~gone], fresh, after)
                    value = fit(outcomes)
                _store(path, "calibration", state, _fit_text(value, outcomes))
                return value
        except (ValueError, TypeError, KeyError, IndexError):
            pass  # fitted again below, and written anew
    outcomes = stored.calibration_outcomes(ws, with_ids=True, between=between)
    value = fit(outcomes)
    if between is not None:
        between()
    _store(path, "calibration", state, _fit_text(value, outcomes))
    return value


def _placed(kept: np.ndarray, fresh: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``kept`` (in order) with each ``fresh`` row where ``after`` says: that many rows after it."""
    import numpy as np

    total = len(kept) + len(fresh)
    at = total - 1 - after
    if len(np.unique(at)) != len(at) or (len(at) and (at.min() < 0 or at.max() >= total)):
        raise ValueError("the asks' places do not fit the kept ones")  # changed meanwhile
    placed = np.empty(total, dtype=kept.dtype)
    free = np.ones(total, dtype=bool)
    free[at] = False
    placed[at] = fresh
    placed[free] = kept
    return placed


def cache_file(ws: Workspace, kind: str) -> Path | None:
    """Where the workspace's figures of this kind are kept (None: an in-memory workspace)."""
    from socialdesk.core.paths import cache_dir

    if not isinstance(ws.path, Path) or str(ws.path) == ":memory:":
        return None
    key = hashlib.sha256(f"{ws.path.resolve()}\n{kind}".encode()).hexdigest()[:32]
    return cache_dir() / "planner" / f"{key}.{kind}"


def merged(rows: planning.PartnerRows, contacts: np.ndarray, changed: list[int],
           fresh: planning.PartnerRows, fresh_contacts: np.ndarray
           ) -> tuple[planning.PartnerRows, np.ndarray]:
    """``rows`` with the ``changed`` contacts' partners and audiences as read in ``fresh``.

    ``contacts`` and ``fresh_contacts``: each audience's contact. As a whole read gives
    them: partners in id order, audiences by contact then as read, ``owner`` found by id.
    Codes of platforms and topic sets new in ``fresh`` are added to the kept ones.
    """
    import numpy as np

    gone = np.asarray(changed, dtype=np.int64)
    keep, keep_audience = ~np.isin(rows.ids, gone), ~np.isin(contacts, gone)
    ids = np.concatenate([rows.ids[keep], fresh.ids])
    order = np.argsort(ids, kind="stable")
    kept_at = np.flatnonzero(keep).tolist()

    def partners(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([a[keep], b])[order]

    def listed(a: list[Any], b: list[Any]) -> list[Any]:
        both = [a[i] for i in kept_at] + list(b)
        return [both[i] for i in order.tolist()]

    audience_contacts = np.concatenate([contacts[keep_audience], fresh_contacts])
    audience_order = np.argsort(audience_contacts, kind="stable")

    def audiences(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([a[keep_audience], b])[audience_order]

    platforms, platform = _recoded(rows.platforms, fresh.platforms, fresh.platform)
    topic_sets, topics = _recoded(rows.topic_sets, fresh.topic_sets, fresh.topics)
    ids, contacts = ids[order], audience_contacts[audience_order]
    return planning.PartnerRows(
        ids=ids, names=listed(rows.names, fresh.names),
        strength=partners(rows.strength, fresh.strength),
        effort_minutes=partners(rows.effort_minutes, fresh.effort_minutes),
        asked=partners(rows.asked, fresh.asked), shared=partners(rows.shared, fresh.shared),
        last_asked_on=listed(rows.last_asked_on, fresh.last_asked_on),
        owner=np.searchsorted(ids, contacts), size=audiences(rows.size, fresh.size),
        platform=audiences(rows.platform, platform), platforms=platforms,
        topics=audiences(rows.topics, topics), topic_sets=topic_sets), contacts


def _recoded(values: tuple[Any, ...], new: tuple[Any, ...], codes: np.ndarray
             ) -> tuple[tuple[Any, ...], np.ndarray]:
    """``values`` and those of ``new`` not among them; ``codes`` into ``new``, into those.

    ``values`` stay as they are, repeats too (two codes of one topic set), so that the
    codes into them still hold.
    """
    import numpy as np

    found = list(values)
    at: dict[Any, int] = {}
    for i, v in enumerate(values):
        at.setdefault(v, i)
    for v in new:
        if v not in at:
            at[v] = len(found)
            found.append(v)
    into = np.asarray([at[v] for v in new], dtype=np.int64)
    return tuple(found), into[codes] if len(codes) else codes


def _load(path: Path | None, kind: str) -> tuple[dict[str, Any], bytes] | None:
    """The kept file's head and body, if this version wrote it in this format."""
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            found = file.read()
        head, _, body = found.partition(b"\n")
        meta = json.loads(head)
        if isinstance(meta, dict) and (meta.get("format"), meta.get("version"),
                                       meta.get("kind")) == (FORMAT, __version__, kind):
            return meta, body
    except (OSError, ValueError):
        pass
    return None


def _store(path: Path | None, kind: str, state: _State,
           text: tuple[dict[str, Any], bytes]) -> None:
    """Keep ``text`` in ``path`` as of ``state`` (not kept when it cannot be: read next time)."""
    if path is None:
        return
    try:
        from socialdesk.core.atomic import atomic_open

        meta, body = text
        meta.update(format=FORMAT, version=__version__, kind=kind, **state.meta())
        head = json.dumps(meta).encode()  # TypeError: a value JSON cannot hold
        # Partners' names: a folder of the user's own, like the workspace's data.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with atomic_open(path, binary=True) as file:
            file.write(head + b"\n" + body)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):  # an older copy lacks the rows read since
            path.unlink(missing_ok=True)


_OUTCOMES = ("id", "raw_p", "shared")


def _fit_text(value: Fit, outcomes: np.ndarray | None = None,
              body: tuple[dict[str, Any], bytes] | None = None) -> tuple[dict[str, Any], bytes]:
    """The fit, and the outcomes it is fitted on (ask ids, raw p, shared), in their order.

    ``body``: a kept file's head and body, whose outcomes are kept as they are.
    """
    import numpy as np

    if body is not None:
        return {"resolved": value[0], "fit": value[1], "arrays": body[0]["arrays"]}, body[1]
    assert outcomes is not None
    arrays = [outcomes[name] for name in _OUTCOMES]
    return ({"resolved": value[0], "fit": value[1],
             "arrays": [[name, a.dtype.str, len(a)] for name, a in zip(_OUTCOMES, arrays,
                                                                        strict=True)]},
            b"".join(np.ascontiguousarray(a).tobytes() for a in arrays))


def _outcomes_from(meta: dict[str, Any], body: bytes) -> np.ndarray:
    import numpy as np

    arrays = _arrays(meta, body, _OUTCOMES)
    if len({len(a) for a in arrays.values()}) != 1:
        raise ValueError("the columns differ in length")
    outcomes = np.empty(len(arrays["id"]), dtype=[*stored.CALIBRATION_ROW, ("id", "i8")])
    for name in _OUTCOMES:
        outcomes[name] = arrays[name]
    return outcomes


def _rows_text(rows: planning.PartnerRows, contacts: np.ndarray
               ) -> tuple[dict[str, Any], bytes]:
    arrays = [*(getattr(rows, name) for name in _PER_PARTNER), contacts,
              *(getattr(rows, name) for name in _PER_AUDIENCE[1:])]
    meta = {"names": rows.names, "last_asked_on": rows.last_asked_on,
            "platforms": list(rows.platforms), "topic_sets": [sorted(s) for s in rows.topic_sets],
            "arrays": [[name, a.dtype.str, len(a)] for name, a in
                       zip(_PER_PARTNER + _PER_AUDIENCE, arrays, strict=True)]}
    return meta, b"".join(a.tobytes() for a in arrays)


def _rows_from(meta: dict[str, Any], body: bytes) -> tuple[planning.PartnerRows, np.ndarray]:
    """The kept rows, and each audience's contact."""
    import numpy as np

    arrays = _arrays(meta, body, _PER_PARTNER + _PER_AUDIENCE)
    contacts = arrays.pop("contact")
    ids = arrays["ids"]
    rows = planning.PartnerRows(
        names=[str(name) for name in meta["names"]],
        last_asked_on=[None if d is None else str(d) for d in meta["last_asked_on"]],
        platforms=tuple(str(p) for p in meta["platforms"]),
        topic_sets=tuple(frozenset(map(str, s)) for s in meta["topic_sets"]),
        owner=np.searchsorted(ids, contacts), **arrays)
    if len({len(rows.names), len(rows.last_asked_on),
            *(len(arrays[k]) for k in _PER_PARTNER)}) != 1 \
            or len({len(contacts), *(len(arrays[k]) for k in _PER_AUDIENCE[1:])}) != 1:
        raise ValueError("the columns differ in length")
    if len(contacts) and (int(rows.platform.min()) < 0 or int(rows.platform.max())
                          >= len(rows.platforms) or int(rows.topics.min()) < 0
                          or int(rows.topics.max()) >= len(rows.topic_sets)):
        raise ValueError("a code out of range")
    return rows, contacts


def _arrays(meta: dict[str, Any], body: bytes, names: tuple[str, ...]) -> dict[str, Any]:
    """The arrays ``meta`` lists, read from ``body``: exactly ``names``, filling it."""
    import numpy as np

    arrays, at = {}, 0
    for name, dtype, count in meta["arrays"]:
        kind = np.dtype(dtype)
        if name not in names or kind.kind not in "if":
            raise ValueError(f"unexpected array {name!r} of {dtype!r}")
        arrays[name] = np.frombuffer(body, dtype=kind, count=count, offset=at).copy()
        at += kind.itemsize * count
    if at != len(body) or set(arrays) != set(names):
        raise ValueError("the arrays do not fill the file")
    return arrays
