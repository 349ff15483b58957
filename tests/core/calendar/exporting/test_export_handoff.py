"""What a post needs when someone posts it by hand: its media with alt text, its first comment."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import icalendar

from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.calendar.importing.text import split_description
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post, get_post, update_post
from socialdesk.store.workspace import Workspace

COMMENT = "#bakery #sourdough @localfarm\nMore at rosies.example"


def _post(ws: Workspace) -> int:
    return create_post(ws, PostDraft(
        title="Sourdough Saturday", body="Fresh loaves from 7am.", status="scheduled",
        scheduled_on="2026-12-12", scheduled_time="09:00", link="https://rosies.example",
        channels=(("instagram", None), ("mastodon", None)),
        media=("loaf.jpg", "oven.mp4"), media_alt=("A crusty loaf\non a board", ""),
        first_comment=COMMENT))


def test_the_first_comment_is_stored_and_read_back(workspace: Workspace) -> None:
    post_id = _post(workspace)
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.draft.first_comment == COMMENT
    update_post(workspace, post_id, replace(detail.draft, first_comment=""))
    changed = get_post(workspace, post_id)
    assert changed is not None and changed.draft.first_comment == ""


def test_the_csv_has_each_media_file_with_its_alt_text_and_the_first_comment(
        workspace: Workspace, tmp_path: Path) -> None:
    _post(workspace)
    out = tmp_path / "plan.csv"
    export_calendar(workspace, out, "csv", default_tz="Europe/London")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["channel"] for r in rows] == ["instagram", "mastodon"]
    for row in rows:
        assert row["media"].split("\n") == ["loaf.jpg", "oven.mp4"]
        assert row["alt_text"].split("\n") == ["A crusty loaf on a board", ""]
        assert row["first_comment"] == COMMENT


def test_the_ics_description_lists_media_with_alt_text_and_the_first_comment(
        workspace: Workspace, tmp_path: Path) -> None:
    _post(workspace)
    out = tmp_path / "plan.ics"
    export_calendar(workspace, out, "ics", default_tz="Europe/London")
    event = next(c for c in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    text = str(event["DESCRIPTION"])
    assert "Media:\nloaf.jpg (alt text: A crusty loaf on a board)\noven.mp4 (no alt text)" in text
    assert text.endswith(f"First comment:\n{COMMENT}")
    # Importing SocialDesk's own file again gives the post's text back without them.
    described = split_description(text, str(event["SUMMARY"]), str(event.get("URL", "")),
                                  ours=True)
    assert described.body == "Fresh loaves from 7am."
    assert described.link == "https://rosies.example" or described.link is None
    assert [p for p, _ in described.channels or ()] == ["instagram", "mastodon"]
