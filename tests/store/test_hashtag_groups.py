"""Saved hashtag groups: named sets of hashtags and mentions."""

from __future__ import annotations

import pytest

from socialdesk.store.hashtag_groups import (
    delete_hashtag_group,
    hashtag_groups,
    save_hashtag_group,
)
from socialdesk.store.workspace import Workspace


def test_groups_are_saved_renamed_and_deleted(workspace: Workspace) -> None:
    bread = save_hashtag_group(workspace, "  Bread ", " #bakery #sourdough @localfarm ")
    save_hashtag_group(workspace, "alpha", "#a")
    assert [(g.name, g.body) for g in hashtag_groups(workspace)] == [
        ("alpha", "#a"), ("Bread", "#bakery #sourdough @localfarm")]
    save_hashtag_group(workspace, "Loaves", "#bread", bread)
    assert [g.name for g in hashtag_groups(workspace)] == ["alpha", "Loaves"]
    delete_hashtag_group(workspace, bread)
    assert [g.name for g in hashtag_groups(workspace)] == ["alpha"]


def test_a_name_is_needed_once_whatever_its_case(workspace: Workspace) -> None:
    group = save_hashtag_group(workspace, "Bread", "#bakery")
    with pytest.raises(ValueError, match="already a group named 'bread'"):
        save_hashtag_group(workspace, "bread", "#other")
    save_hashtag_group(workspace, "BREAD", "#bakery #more", group)  # its own name: fine
    with pytest.raises(ValueError, match="name"):
        save_hashtag_group(workspace, "  ", "#x")
    with pytest.raises(ValueError, match="hashtags"):
        save_hashtag_group(workspace, "Empty", "   ")
    assert [(g.name, g.body) for g in hashtag_groups(workspace)] == [("BREAD", "#bakery #more")]
