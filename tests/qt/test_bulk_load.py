"""Building thousands of rows with the collector off, then freezing them."""

from __future__ import annotations

import gc
import weakref

from socialdesk.qt.bulk_load import no_full_collections


class Row:
    """A plain row object, tracked by the collector like a dataclass row."""


def test_the_collector_is_back_on_after_nested_loads_and_rows_still_free() -> None:
    assert gc.isenabled()
    with no_full_collections():
        assert not gc.isenabled()
        with no_full_collections():
            rows = [Row() for _ in range(5000)]
        assert not gc.isenabled()  # the outer load is still building
    assert gc.isenabled()
    watch = weakref.ref(rows[0])
    del rows
    assert watch() is None  # frozen, yet freed by reference counting


def test_the_collector_is_back_on_after_a_load_fails() -> None:
    try:
        with no_full_collections():
            raise ValueError("damaged")
    except ValueError:
        pass
    assert gc.isenabled()
