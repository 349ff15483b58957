"""The commands' indented JSON is json.dumps(indent=2)'s text, whatever the value."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialdesk.commands import json_text

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
                    st.floats(allow_nan=False, allow_infinity=False))
keys = st.text(max_size=8)
# Lists of flat objects with the same keys: what --json lists partners as.
rows = st.lists(keys, min_size=1, max_size=5, unique=True).flatmap(
    lambda names: st.lists(st.tuples(*[scalars] * len(names)).map(
        lambda values: dict(zip(names, values, strict=True))), max_size=6))
values = st.recursive(
    st.one_of(scalars, rows),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12)


def expected(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a loaded machine
@given(values)
def test_the_text_is_json_dumps_indented_by_two(value: Any) -> None:
    assert json_text.dumps(value) == expected(value)


@pytest.mark.parametrize("value", [
    {"ranked": [{"id": 1, "name": "Café {x}\n\"quoted\"", "p": 0.1 + 0.2}] * 3},
    [{"a": 1}, {"b": 2}],  # not the same keys
    [{"a": [1]}, {"a": [2]}],  # not flat
    {"n": {1: "int key", None: "none", 2.5: "float", False: "bool"}},
    [{"{k}": 1, "}": 2}, {"{k}": 3, "}": 4}],
    {"empty": [{}], "nested": [[], {}, [{}]], "tuple": ({"a": 1}, {"a": 2})},
])
def test_lists_of_objects_and_unusual_values_read_back_alike(value: Any) -> None:
    assert json_text.dumps(value) == expected(value)


def test_a_figure_that_is_not_finite_is_refused_as_json_refuses_it() -> None:
    value = {"ranked": [{"p": 0.5}, {"p": math.nan}]}
    with pytest.raises(ValueError) as ours:
        json_text.dumps(value)
    with pytest.raises(ValueError) as theirs:
        expected(value)
    assert str(ours.value) == str(theirs.value)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows, st.integers(0, 3))
def test_rows_given_as_columns_read_as_their_objects(objects: list[dict[str, Any]],
                                                     level: int) -> None:
    keys = list(objects[0]) if objects else ["a", "b"]
    table = json_text.Rows({k: [o[k] for o in objects] for k in keys})
    value: Any = table
    for _ in range(level):
        value = {"in": value}
        objects = {"in": objects}  # type: ignore[assignment]
    assert json_text.dumps(value) == expected(objects)


@pytest.mark.parametrize("columns", [
    {"a": [1, [2]], "b": ["x", "y"]},  # not flat
    {"a": [1.5, math.nan]},  # not finite: refused below
    {"a": [1.5, -math.inf]},
    {"a": [1e308, 1e308, -0.0, 5e-324], "b": [True, False, None, 2**70]},  # a sum too large
    {"a": [0.0] * 4 + [-0.0, 0.1 + 0.2] * 2, "b": ["x", "y\n", "x", "x", "\u00e9", "x", "x", "x"]},
    {"a": ["Café \u2028 \ud800 \"q\"\n", "", "\x00"], "b": [1, -1, 0, 10**20][:3]},
])
def test_rows_that_are_not_flat_scalars_are_written_as_their_objects(columns: Any) -> None:
    table = json_text.Rows(columns)
    if any(isinstance(v, float) and not math.isfinite(v) for v in columns["a"]):
        with pytest.raises(ValueError, match="JSON compliant"):
            json_text.dumps({"ranked": table})
    else:
        assert json_text.dumps({"ranked": table}) == expected({"ranked": table.objects()})
