"""ShardedDict: a dict's answers, with no part growing past a small share of the keys."""

from __future__ import annotations

import pytest

from socialdesk.core import sharded_dict
from socialdesk.core.sharded_dict import ShardedDict


def test_it_answers_as_a_dict() -> None:
    table: ShardedDict[tuple[str, str], int] = ShardedDict(8)
    plain: dict[tuple[str, str], int] = {}
    assert not table and len(table) == 0 and table.get(("uid", "x")) is None
    for number in range(1000):
        key = ("email", f"p{number % 700}@example.com")
        assert table.setdefault(key, number) == plain.setdefault(key, number)
    table[("uid", "a")] = plain[("uid", "a")] = -1
    assert table and len(table) == len(plain) == 701
    assert dict(table.items()) == plain
    assert table[("email", "p3@example.com")] == 3 and ("uid", "a") in table
    assert ("uid", "b") not in table and table.get(("uid", "b"), 0) == 0
    with pytest.raises(KeyError):
        table[("uid", "b")]
    assert dict(table.drain()) == plain
    assert not table and len(table) == 0


def test_no_part_holds_more_than_a_small_share() -> None:
    """Keys spread evenly over the default parts: each part grows (one C call, the interpreter
    lock held throughout) a small share of the keys at a time (a million keys: ~1,000)."""
    count = 200_000
    table: ShardedDict[str, int] = ShardedDict()
    for number in range(count):
        table[f"p{number}@example.com"] = number
    sizes = [len(table.shard(f"p{number}@example.com")) for number in range(0, count, 97)]
    assert len(table) == count
    assert max(sizes) < 2 * count / sharded_dict.SHARDS
    table.clear()
    assert not table
