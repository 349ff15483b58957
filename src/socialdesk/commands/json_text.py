"""JSON text indented by two spaces, as ``json.dumps(value, indent=2)`` writes it, faster.

``json.dumps`` with an indent encodes in Python, one generator step per value: the
50,000 ranked partners of ``socialdesk plan --json`` on a huge workspace took seconds. A
list of flat objects (same keys, no nested values) is encoded here with one call of the C
encoder for all their values, then laid out: the same text in a fraction of the time.
"""

from __future__ import annotations

import json
from typing import Any

INDENT = "  "
_SCALARS = (str, int, float, bool, type(None))
# Every value on a line of its own: an encoded value never holds a raw line break.
_FLAT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=("\n", ": "))


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``.

    Raises ValueError for a NaN or an infinity, TypeError for a value JSON cannot hold.
    """
    parts: list[str] = []
    try:
        _write(value, 0, parts)
    except ValueError:  # raised again by json itself, with its message
        return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    return "".join(parts)


def _write(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
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
    inner = "\n" + INDENT * (level + 1)
    lines = [(inner + _FLAT.encode(k) + ": ").replace("{", "{{").replace("}", "}}")
             for k in keys]
    template = "{{" + ",".join(line + "{}" for line in lines) + "\n" + INDENT * level + "}}"
    width = len(keys)
    return [template.format(*tokens[i:i + width]) for i in range(0, len(tokens), width)]
