"""Building thousands of rows without a full collection, then freezing them."""

from __future__ import annotations

import gc
import weakref

from socialdesk.qt.bulk_load import NEVER, no_full_collections


class Row:
    """A plain row object, tracked by the collector like a dataclass row."""


def test_full_collections_come_back_after_nested_loads_and_rows_still_free() -> None:
    before = gc.get_threshold()
    with no_full_collections():
        assert gc.get_threshold()[2] == NEVER
        with no_full_collections():
            rows = [Row() for _ in range(5000)]
        assert gc.get_threshold()[2] == NEVER  # the outer load is still building
    assert gc.get_threshold() == before and gc.isenabled()
    watch = weakref.ref(rows[0])
    del rows
    assert watch() is None  # frozen, yet freed by reference counting


def test_full_collections_come_back_after_a_load_fails() -> None:
    before = gc.get_threshold()
    try:
        with no_full_collections():
            raise ValueError("damaged")
    except ValueError:
        pass
    assert gc.get_threshold() == before
