"""A post's first comment travels with it in the shared calendar (X-SOCIALDESK-FIRST-COMMENT)."""

from __future__ import annotations

from pathlib import Path

from socialdesk.core.sync.calendar_kinds import PostKind
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post, get_post
from socialdesk.store.workspace import Workspace

POSTS = PostKind()
COMMENT = "#bakery #sourdough @localfarm\nOrder: rosies.example"


def test_the_first_comment_reaches_the_other_computer(workspace: Workspace,
                                                      tmp_path: Path) -> None:
    post_id = create_post(workspace, PostDraft(title="Sourdough", first_comment=COMMENT))
    create_post(workspace, PostDraft(title="No comment"))
    records = POSTS.records(workspace)
    texts = {uid: POSTS.to_text(uid, record) for uid, record in records.items()}
    with_comment = next(t for t in texts.values() if "Sourdough" in t)
    assert "X-SOCIALDESK-FIRST-COMMENT:#bakery #sourdough @localfarm\\nOrder" in with_comment
    without = next(t for t in texts.values() if "No comment" in t)
    assert "FIRST-COMMENT" not in without
    # Not in the record of a post without one, as in one synced before the field existed,
    # so that such a post does not read as changed.
    assert sum("first_comment" in r for r in records.values()) == 1
    other = Workspace.open(tmp_path / "other.sqlite", create=True)
    try:
        with other.transaction():
            for text in texts.values():
                POSTS.apply(other, *POSTS.from_text(text))
        assert POSTS.records(other) == records
        uid = workspace.conn.execute("SELECT uid FROM posts WHERE id = ?",
                                     (post_id,)).fetchone()[0]
        there = other.conn.execute("SELECT id FROM posts WHERE uid = ?", (uid,)).fetchone()[0]
        detail = get_post(other, there)
        assert detail is not None and detail.draft.first_comment == COMMENT
    finally:
        other.close()


def test_a_comment_removed_elsewhere_is_removed_here(workspace: Workspace) -> None:
    post_id = create_post(workspace, PostDraft(title="Sourdough", first_comment=COMMENT))
    ((uid, record),) = POSTS.records(workspace).items()
    cleared = {k: v for k, v in record.items() if k != "first_comment"}
    with workspace.transaction():
        POSTS.apply(workspace, *POSTS.from_text(POSTS.to_text(uid, cleared)))
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.draft.first_comment == ""
