"""Workers put full collections off; they come back once the last worker is done."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from socialdesk.core.gc_pause import NEVER, collection_paused


def _full_collections_on() -> bool:
    return gc.get_threshold()[2] < NEVER


def test_full_collections_are_back_after_the_work_even_when_it_failed() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError), collection_paused():
        assert not _full_collections_on()
        assert gc.isenabled()  # the young generations are still collected
        raise ValueError("the import failed")
    assert gc.get_threshold() == before


def test_overlapping_workers_keep_it_paused_until_the_last_one_ends() -> None:
    first_inside, second_done, release_first = (threading.Event() for _ in range(3))
    states: list[bool] = []

    def first() -> None:
        with collection_paused():
            first_inside.set()
            release_first.wait(5)
            states.append(_full_collections_on())  # the second worker ended meanwhile

    def second() -> None:
        first_inside.wait(5)
        with collection_paused():
            pass
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_done.wait(5)
    release_first.set()
    for thread in threads:
        thread.join(5)

    assert states == [False]
    assert _full_collections_on()


def test_what_the_work_made_is_kept_out_of_later_collections_but_still_freed() -> None:
    class Row:
        """A plain row object, tracked by the collector like a dataclass row."""

    with collection_paused():
        with collection_paused():  # nested: the outer job is still building
            rows = [Row() for _ in range(1000)]
        assert not _full_collections_on()
    assert gc.get_freeze_count() >= 1000  # the next collection does not scan them
    watch = weakref.ref(rows[0])
    del rows
    assert watch() is None  # frozen, yet freed by reference counting


def test_a_big_list_is_freed_a_part_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part is freed before the next (other threads may run in between), and all go."""
    from socialdesk.core import gc_pause

    monkeypatch.setattr(gc_pause, "FREE_PART", 2)
    left_when_freed: list[int] = []

    class Item:
        def __del__(self) -> None:
            left_when_freed.append(len(items))

    items: list[object] = [Item() for _ in range(5)]
    gc_pause.free_in_parts(items)
    assert items == [] and left_when_freed == [3, 3, 1, 1, 0]
