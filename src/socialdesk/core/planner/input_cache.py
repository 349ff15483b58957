"""What the planner reads for every partner, kept between runs while it is unchanged.

On a huge workspace (50,000 partners with 150,000 audiences, 300,000 asks) reading every
partner (``store.planning.partner_rows``) and fitting the recalibration on every resolved
ask take more than a second, whatever post is planned. They are kept in the cache folder
(``paths.cache_dir()``), a file each per workspace, with the workspace's planner marks
(``store.planning.planner_marks``): random tokens that triggers in the workspace replace
whenever one of the rows they mark changes (schema version 19) — ``partners`` for the
partners and their audiences, ``asks`` for the asks. A file is used only while its mark is
the workspace's and it was written by this version of SocialDesk in this format: never
stale. Anything wrong with it (missing, damaged, another mark) and the figures are read
from the workspace again and the file written anew; a workspace without marks (older,
opened read-only) is always read. The marks are read before the rows, so rows kept under
a mark are never older than it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from socialdesk import __version__
from socialdesk.store import planning
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
Fit = tuple[int, tuple[float, float] | None]

FORMAT = 1  # raise when what is kept, or how it is worked out, changes
# PartnerRows' arrays but the asks'; its other fields are kept as JSON (names, codes' values).
_ARRAYS = ("ids", "strength", "effort_minutes", "owner", "size", "platform", "topics")
_PER_PARTNER = 3  # the first three are one per partner, the others one per audience


def partner_rows(ws: Workspace) -> planning.PartnerRows:
    """``store.planning.partner_rows``, from the cache while the workspace's marks are unchanged.

    The partners themselves while the ``partners`` mark is, their asks while both are:
    after an ask is made only the asks are read again.
    """
    marks = planning.planner_marks(ws) or {}  # before the rows (see the module's docstring)
    partners, asks = marks.get("partners"), marks.get("asks")
    rows = _cached(ws, "partners", partners, lambda: planning.partners_without_history(ws),
                   _rows_text, _rows_from)
    both = f"{partners}.{asks}" if partners and asks else None
    asked, shared, last = _cached(ws, "history", both,
                                  lambda: planning.partner_history(ws, rows.ids),
                                  _history_text, _history_from)
    if not len(asked) == len(shared) == len(last) == len(rows.ids):  # not with both marks
        asked, shared, last = planning.partner_history(ws, rows.ids)
    return replace(rows, asked=asked, shared=shared, last_asked_on=last)


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

    marks = planning.planner_marks(ws) or {}
    return _cached(ws, "calibration", marks.get("asks"), fit, text, read)


def cache_file(ws: Workspace, kind: str) -> Path | None:
    """Where the workspace's figures of this kind are kept (None: an in-memory workspace)."""
    from socialdesk.core.paths import cache_dir

    if not isinstance(ws.path, Path) or str(ws.path) == ":memory:":
        return None
    key = hashlib.sha256(f"{ws.path.resolve()}\n{kind}".encode()).hexdigest()[:32]
    return cache_dir() / "planner" / f"{key}.{kind}"


def _cached(ws: Workspace, kind: str, mark: str | None, compute: Callable[[], T],
            text: Callable[[T], tuple[dict[str, Any], bytes]],
            read: Callable[[dict[str, Any], bytes], T]) -> T:
    """``compute()``, or what it gave when ``mark`` was the workspace's (None: compute)."""
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
    meta = {"names": rows.names, "platforms": list(rows.platforms),
            "topic_sets": [sorted(s) for s in rows.topic_sets],
            "arrays": [[name, a.dtype.str, len(a)] for name, a in zip(_ARRAYS, arrays,
                                                                      strict=True)]}
    return meta, b"".join(a.tobytes() for a in arrays)


def _rows_from(meta: dict[str, Any], body: bytes) -> planning.PartnerRows:
    import numpy as np

    arrays = _arrays(meta, body, _ARRAYS)
    n = len(arrays["ids"])
    rows = planning.PartnerRows(
        names=[str(name) for name in meta["names"]],
        asked=np.zeros(n, dtype=np.int64), shared=np.zeros(n, dtype=np.int64),
        last_asked_on=[None] * n, platforms=tuple(str(p) for p in meta["platforms"]),
        topic_sets=tuple(frozenset(map(str, s)) for s in meta["topic_sets"]), **arrays)
    if {len(rows.names), *(len(arrays[k]) for k in _ARRAYS[:_PER_PARTNER])} != {n} \
            or len({len(arrays[k]) for k in _ARRAYS[_PER_PARTNER:]}) != 1:
        raise ValueError("the columns differ in length")
    return rows


History = tuple["np.ndarray", "np.ndarray", list[str | None]]


def _history_text(history: History) -> tuple[dict[str, Any], bytes]:
    asked, shared, last = history
    meta = {"last_asked_on": last, "arrays": [["asked", asked.dtype.str, len(asked)],
                                              ["shared", shared.dtype.str, len(shared)]]}
    return meta, asked.tobytes() + shared.tobytes()


def _history_from(meta: dict[str, Any], body: bytes) -> History:
    arrays = _arrays(meta, body, ("asked", "shared"))
    last = [None if d is None else str(d) for d in meta["last_asked_on"]]
    return arrays["asked"], arrays["shared"], last


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
