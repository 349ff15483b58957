"""What the planner reads for every partner, kept between runs while it is unchanged.

On a huge workspace (50,000 partners with 150,000 audiences, 300,000 asks) reading every
partner (``store.planning.partner_rows``) and fitting the recalibration on every resolved
ask take more than a second, whatever post is planned. Both are kept in the cache folder
(``paths.cache_dir()``), one file each per workspace, with the workspace's planner mark
(``store.planning.planner_mark``): a random token that triggers in the workspace replace
whenever one of the rows they are made from changes (schema version 19). A file is used
only while its mark is the workspace's and it was written by this version of SocialDesk
in this format: never stale. Anything wrong with it (missing, damaged, another mark) and
the figures are read from the workspace again and the file written anew; a workspace
without a mark (older, opened read-only) is always read. The token is read before the
rows, so rows kept under a token are never older than it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from socialdesk import __version__
from socialdesk.store import planning
from socialdesk.store.workspace import Workspace

T = TypeVar("T")
Fit = tuple[int, tuple[float, float] | None]

FORMAT = 1  # raise when what is kept, or how it is worked out, changes
# PartnerRows' arrays; its other fields are kept as JSON (names, last asks, codes' values).
_ARRAYS = ("ids", "strength", "effort_minutes", "asked", "shared", "owner", "size",
           "platform", "topics")


def partner_rows(ws: Workspace) -> planning.PartnerRows:
    """``store.planning.partner_rows``, from the cache while the workspace's mark is unchanged."""
    return _cached(ws, "partners", lambda: planning.partner_rows(ws), _rows_text, _rows_from)


def calibration_fit(ws: Workspace, fit: Callable[[], Fit]) -> Fit:
    """The recalibration's ``fit()``, kept while the asks are unchanged.

    ``Fit``: the resolved asks' count and (α, β), None under the count a fit needs.
    """
    def text(value: Fit) -> tuple[dict[str, Any], bytes]:
        return {"resolved": value[0], "fit": value[1]}, b""

    def read(meta: dict[str, Any], _: bytes) -> Fit:
        fitted = meta["fit"]
        return int(meta["resolved"]), (None if fitted is None
                                       else (float(fitted[0]), float(fitted[1])))

    return _cached(ws, "calibration", fit, text, read)


def cache_file(ws: Workspace, kind: str) -> Path | None:
    """Where the workspace's figures of this kind are kept (None: an in-memory workspace)."""
    from socialdesk.core.paths import cache_dir

    if not isinstance(ws.path, Path) or str(ws.path) == ":memory:":
        return None
    key = hashlib.sha256(f"{ws.path.resolve()}\n{kind}".encode()).hexdigest()[:32]
    return cache_dir() / "planner" / f"{key}.{kind}"


def _cached(ws: Workspace, kind: str, compute: Callable[[], T],
            text: Callable[[T], tuple[dict[str, Any], bytes]],
            read: Callable[[dict[str, Any], bytes], T]) -> T:
    mark = planning.planner_mark(ws)  # before the rows (see the module's docstring)
    path = cache_file(ws, kind) if mark else None
    if path is not None:
        try:
            with path.open("rb") as file:
                found = file.read()
            head, _, body = found.partition(b"\n")
            meta = json.loads(head)
            if (meta.get("format"), meta.get("version"), meta.get("mark"), meta.get("kind")) \
                    == (FORMAT, __version__, mark, kind):
                return read(meta, body)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass  # worked out again below, and written anew
    value = compute()
    if path is not None:
        try:
            from socialdesk.core.atomic import atomic_open

            meta, body = text(value)
            meta.update(format=FORMAT, version=__version__, mark=mark, kind=kind)
            head = json.dumps(meta).encode()  # TypeError: a value JSON cannot hold
            # Partners' names: a folder of the user's own, like the workspace's data.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with atomic_open(path, binary=True) as file:
                file.write(head + b"\n" + body)
        except (OSError, TypeError, ValueError):
            pass  # not kept: read from the workspace next time too
    return value


def _rows_text(rows: planning.PartnerRows) -> tuple[dict[str, Any], bytes]:
    arrays = [getattr(rows, name) for name in _ARRAYS]
    meta = {"names": rows.names, "last_asked_on": rows.last_asked_on,
            "platforms": list(rows.platforms),
            "topic_sets": [sorted(s) for s in rows.topic_sets],
            "arrays": [[name, a.dtype.str, len(a)] for name, a in zip(_ARRAYS, arrays,
                                                                      strict=True)]}
    return meta, b"".join(a.tobytes() for a in arrays)


def _rows_from(meta: dict[str, Any], body: bytes) -> planning.PartnerRows:
    import numpy as np

    arrays, at = {}, 0
    for name, dtype, count in meta["arrays"]:
        kind = np.dtype(dtype)
        if name not in _ARRAYS or kind.kind not in "if":
            raise ValueError(f"unexpected array {name!r} of {dtype!r}")
        arrays[name] = np.frombuffer(body, dtype=kind, count=count, offset=at).copy()
        at += kind.itemsize * count
    if at != len(body) or set(arrays) != set(_ARRAYS):
        raise ValueError("the arrays do not fill the file")
    rows = planning.PartnerRows(
        names=[str(n) for n in meta["names"]],
        last_asked_on=[None if d is None else str(d) for d in meta["last_asked_on"]],
        platforms=tuple(str(p) for p in meta["platforms"]),
        topic_sets=tuple(frozenset(map(str, s)) for s in meta["topic_sets"]), **arrays)
    n, audiences = len(rows.ids), len(rows.owner)
    if {len(rows.names), len(rows.last_asked_on), *(len(arrays[k]) for k in _ARRAYS[:5])} \
            != {n} or {len(arrays[k]) for k in _ARRAYS[5:]} - {audiences}:
        raise ValueError("the columns differ in length")
    return rows
