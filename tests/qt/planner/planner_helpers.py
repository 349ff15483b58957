"""Helpers for the planner's tests."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np


def same(a: Any, b: Any, at: str = "facts") -> None:
    """Assert ``a`` and ``b`` hold the same values, field by field, arrays by value and type."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, at
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), at
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), at
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{at}.{f.name}")
    elif isinstance(a, (list, tuple)) and a and any(
            isinstance(x, np.ndarray) or dataclasses.is_dataclass(x) for x in a):
        assert type(a) is type(b) and len(a) == len(b), at
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{at}[{i}]")
    else:
        assert type(a) is type(b) and a == b, at
