"""JSON text indented by two spaces, as ``json.dumps(value, indent=2)`` writes it, faster.

``json.dumps`` with an indent encodes in Python, one generator step per value: the
50,000 ranked partners of ``socialdesk plan --json`` on a huge workspace took seconds. A
list of flat objects (same keys, no nested values) is encoded here with one call of the C
encoder for all their values, then laid out: the same text in a fraction of the time.
Such a list can also be given as its columns (:class:`Rows`), without an object per row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "
_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)
# Every value on a line of its own: an encoded value never holds a raw line break.
_FLAT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=("\n", ": "))


@dataclass(frozen=True, eq=False)
class Rows:
    """A list of objects with the same keys, given as columns: each key's values in row order.

    Written as that list of objects is (:meth:`objects`), without making one per row:
    the 50,000 ranked partners of ``plan --json`` on a huge workspace.
    """

    columns: Mapping[str, Sequence[Any]]  # of equal lengths

    def objects(self) -> list[dict[str, Any]]:
        """The rows as the objects they stand for."""
        keys = list(self.columns)
        return [dict(zip(keys, values, strict=True))
                for values in zip(*self.columns.values(), strict=True)]


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``.

    Raises ValueError for a NaN or an infinity, TypeError for a value JSON cannot hold.
    """
    return "".join(pieces(value))


def pieces(value: Any) -> list[str]:
    """:func:`dumps`'s text in consecutive pieces, to write without joining them first.

    A huge list's text is one piece: 22 MB in memory for the 50,000 partners of a huge
    workspace, each copy of which costs milliseconds.
    """
    parts: list[str] = []
    try:
        _write(value, 0, parts)
    except ValueError:  # raised again by json itself, with its message
        return [json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False,
                           default=_objects)]
    return parts


def _objects(value: Any) -> Any:
    if isinstance(value, Rows):
        return value.objects()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _write(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, Rows):
        if not _columns(value.columns, level, out):
            _write(value.objects(), level, out)
    elif isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        inner = "\n" + INDENT * (level + 1)
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + inner + _FLAT.encode(key) + ": ")
            _write(item, level + 1, out)
        out.append("\n" + INDENT * level + "}")
    elif isinstance(value, list | tuple) and value:
        inner = "\n" + INDENT * (level + 1)
        flat = _flat_objects(value, level + 1)
        if flat is not None:
            out.append("[" + inner + ("," + inner).join(flat) + "\n" + INDENT * level + "]")
            return
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + inner)
            _write(item, level + 1, out)
        out.append("\n" + INDENT * level + "]")
    else:  # a scalar, an empty or unusual container: nested by indenting its lines
        text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
        out.append(text.replace("\n", "\n" + INDENT * level))


def _flat_objects(items: list[Any] | tuple[Any, ...], level: int) -> list[str] | None:
    """The items' text when all are non-empty objects with the same keys and scalar values."""
    first = items[0]
    if not isinstance(first, dict) or not first:
        return None
    keys = tuple(first)
    if not all(isinstance(k, str) for k in keys):
        return None
    values: list[Any] = []
    for item in items:
        if type(item) is not dict or tuple(item) != keys:
            return None
        values.extend(item.values())
    if not all(type(v) in _SCALARS for v in values):
        return None
    tokens = _FLAT.encode(values)[1:-1].split("\n")
    template = _template(keys, level)
    width = len(keys)
    return [template.format(*tokens[i:i + width]) for i in range(0, len(tokens), width)]


def _columns(columns: Mapping[str, Sequence[Any]], level: int, out: list[str]) -> bool:
    """Add the list's text to ``out``, as for its objects (False, nothing added: it cannot).

    It cannot without keys, or with a value that is not a scalar. Each column's values are
    encoded by C at once (:func:`_tokens`); the rows' text is laid out by one join over the
    columns' values interleaved with the keys.
    """
    if not columns or not all(isinstance(k, str) for k in columns):
        return False
    values = []
    for column in columns.values():
        tokens = _tokens(column)
        if tokens is None:
            return False
        values.append(tokens)
    if len({len(v) for v in values}) != 1:
        raise ValueError("the columns of Rows differ in length")
    if not values[0]:
        out.append("[]")
        return True
    item, key = "\n" + INDENT * (level + 1), "\n" + INDENT * (level + 2)
    parts: list[Iterable[str]] = [chain(["{"], repeat(item + "}," + item + "{"))]
    for i, (name, column) in enumerate(zip(columns, values, strict=True)):
        parts += (repeat(("," if i else "") + key + _FLAT.encode(name) + ": "), column)
    out.append("[" + item)
    out.append("".join(chain.from_iterable(zip(*parts, strict=False))))  # endless repeats
    out.append(item + "}\n" + INDENT * level + "]")
    return True


def _tokens(column: Sequence[Any]) -> list[str] | None:
    """Each value's JSON text, as ``json`` writes it (None: not all of them scalars).

    A column of one type (the planner's floats, ints, names) is encoded by that type's own
    C function, as the encoder does for it, without the list's text to split; a float
    column whose sum is not finite (an infinity, a NaN, or only a large total) and any
    other column are encoded as a list.
    """
    kinds = set(map(type, column))
    if not kinds <= _SCALAR_TYPES:
        return None
    if kinds == {float} and math.isfinite(sum(column)):
        return _encoded(column, float.__repr__)
    if kinds == {int}:
        return list(map(int.__repr__, column))
    if kinds == {str}:
        return _encoded(column, encode_basestring)  # as _FLAT does (ensure_ascii=False)
    return _FLAT.encode(list(column))[1:-1].split("\n") if column else []


def _encoded(column: Sequence[Any], encode: Callable[[Any], str]) -> list[str]:
    """``encode`` of each value: once for each distinct one when most values are repeats.

    The planner's 50,000 chances take a few thousand values, its names too. Zeros of both
    signs (equal, but written ``0.0`` and ``-0.0``) are each encoded.
    """
    distinct = dict.fromkeys(column)
    if len(distinct) * 2 > len(column) or (0.0 in distinct and len(set(
            map(math.copysign, repeat(1.0), filterfalse(None, column)))) > 1):
        return list(map(encode, column))
    texts = dict(zip(distinct, map(encode, distinct), strict=True))
    return list(map(texts.__getitem__, column))


def _template(keys: Sequence[str], level: int) -> str:
    """A ``str.format`` template of one object with these keys, a ``{}`` for each value."""
    inner = "\n" + INDENT * (level + 1)
    lines = [(inner + _FLAT.encode(k) + ": ").replace("{", "{{").replace("}", "}}")
             for k in keys]
    return "{{" + ",".join(line + "{}" for line in lines) + "\n" + INDENT * level + "}}"
