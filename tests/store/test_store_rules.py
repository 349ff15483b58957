"""The store says what the data may be (schema version 5): known names, no repeats.

A workspace of schema version 2 that breaks the rules is merged when opened, and says
what was merged; the store's writers merge or refuse a repeat; the database refuses
what a writer of its own would try.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from rule_breaking import make_rule_breaking
from socialdesk.cli import main
from socialdesk.store import asks, audiences, campaigns, links, migrations, partners, post_writes
from socialdesk.store.models import Audience, Channel, Link
from socialdesk.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def breaking(tmp_path: Path) -> Path:
    """The v2 fixture workspace with rows that break the rules of version 5."""
    return make_rule_breaking(tmp_path / "v2.sqlite")


def test_the_version_2_fixture_has_the_schema_of_version_2(tmp_path: Path) -> None:
    fixture = tmp_path / "v2.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", fixture)
    with sqlite3.connect(fixture) as conn:
        assert migrations.schema_objects(conn) == migrations.expected_schema(2)
    conn.close()


def test_a_version_2_workspace_that_breaks_the_rules_is_merged_not_refused(
        breaking: Path) -> None:
    with Workspace.open(breaking) as ws:
        assert ws.schema_version == migrations.latest_version()
        (cafe,) = [a for a in partners.audiences_of(ws, 2) if a.platform == "instagram"]
        assert (cafe.size, cafe.handle, cafe.url, cafe.last_checked_on) == (
            9000, "@cornercafe", "https://instagram.com/cornercafe", "2026-10-01")
        assert sorted(cafe.topics) == ["bread", "coffee"]
        assert [a.platform for a in partners.audiences_of(ws, 2)] == ["instagram", "Substack"]
        assert ws.conn.execute(
            "SELECT platform, platform_label FROM audiences WHERE contact_id = 2 "
            "AND size = 300").fetchone()[:] == ("other", "Substack")

        (ask,) = asks.asks_for_post(ws, 1)
        assert (ask.status, ask.asked_on, ask.note) == ("shared", "2026-11-18", "first try")

        knows = [(k.from_id, k.to_id, k.kind, k.weight, k.directed, k.note)
                 for k in links.links_of(ws, 3)]
        assert sorted(knows) == [(1, 3, "Mentor", 0.5, False, ""),
                                 (2, 3, "knows", 0.6, False, "Market stall neighbours")]
        detail = post_writes.get_post(ws, 1)
        assert detail is not None
        assert detail.draft.channels == (("Substack", None), ("instagram", "Crusty!"))
        assert {c.platform for c in campaigns.all_channels(ws)} == {"instagram", "x"}

        notes = [note for _, _, note in migrations.notes(ws.conn)]
    said = "\n".join(notes)
    assert "3 audiences" not in said and "2 audiences of Corner Café on instagram" in said
    assert "3 asks of Corner Café to share “Sourdough Saturday” became one" in said
    assert "2 “knows” links between Corner Café and Mill Lane Market became one" in said
    assert "“Sourdough Saturday” went to instagram 2 times" in said
    assert "“Substack”" in said and "“Mentor”" in said


def test_check_lists_what_the_migration_merged(
        breaking: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Workspace.open(breaking).close()
    assert main(["check", "--workspace", str(breaking)]) == 0
    out = capsys.readouterr().out
    assert "0005_store_rules" in out
    assert "3 asks of Corner Café to share “Sourdough Saturday” became one" in out


def test_a_workspace_without_repeats_migrates_with_nothing_to_say(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", path)
    with Workspace.open(path) as ws:
        assert migrations.notes(ws.conn) == []
        assert [a.platform for a in partners.audiences_of(ws, 2)] == ["instagram"]


def test_a_second_audience_on_a_platform_is_merged_when_saved(workspace: Workspace) -> None:
    ws = workspace
    ws.conn.execute("INSERT INTO contacts (id, name) VALUES (1, 'Corner Café')")
    audiences.set_audiences(ws, 1, [
        Audience(0, 1, "instagram", 4200, handle="@cornercafe", topics=("bread",)),
        Audience(0, 1, " Instagram", 9000, topics=("coffee",)),
        Audience(0, 1, "Substack", 300),
    ])
    saved = partners.audiences_of(ws, 1)
    assert [(a.platform, a.size, a.handle, sorted(a.topics)) for a in saved] == [
        ("instagram", 9000, "@cornercafe", ["bread", "coffee"]), ("Substack", 300, "", [])]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        ws.conn.execute("INSERT INTO audiences (contact_id, platform) VALUES (1, 'instagram')")
    with pytest.raises(sqlite3.IntegrityError, match="known one"):
        ws.conn.execute("INSERT INTO audiences (contact_id, platform) VALUES (1, 'Patreon')")


def test_a_partner_is_asked_once_per_post(workspace: Workspace) -> None:
    ws = workspace
    ws.conn.execute("INSERT INTO contacts (id, name) VALUES (1, 'Corner Café'), (2, 'Mia')")
    ws.conn.execute("INSERT INTO posts (id, uid, title) VALUES (10, 'p10', 'Sourdough')")
    asks.create_asks(ws, [asks.NewAsk(1, 10, "2026-03-10")])
    with pytest.raises(ValueError, match="Corner Café was already asked to share “Sourdough”"):
        asks.create_asks(ws, [asks.NewAsk(2, 10, "2026-03-11"),
                              asks.NewAsk(1, 10, "2026-03-11")])
    assert [a.contact_name for a in asks.asks_for_post(ws, 10)] == ["Corner Café"]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        ws.conn.execute("INSERT INTO asks (uid, post_id, contact_id, asked_on) "
                        "VALUES ('x', 10, 1, '2026-03-12')")


def test_a_link_both_ways_is_one_link(workspace: Workspace) -> None:
    ws = workspace
    ws.conn.execute("INSERT INTO contacts (id, name) VALUES (1, 'Ada'), (2, 'Corner Café')")
    assert links.set_links(ws, 2, [Link(0, 2, 1, "knows", 0.3), Link(0, 1, 2, "knows", 0.8),
                                   Link(0, 2, 1, "mentor")]) == 2
    rows = ws.conn.execute("SELECT from_id, to_id, kind, kind_label, weight FROM contact_links "
                           "ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(1, 2, "knows", "", 0.8), (1, 2, "other", "mentor", 0.5)]
    assert sorted(k.kind for k in links.links_of(ws, 1)) == ["knows", "mentor"]
    assert "mentor" in links.link_kinds(ws)
    for a, b in ((1, 2), (2, 1)):
        with pytest.raises(sqlite3.IntegrityError):
            ws.conn.execute("INSERT INTO contact_links (from_id, to_id, kind) "
                            "VALUES (?, ?, 'knows')", (a, b))


def test_platforms_the_store_does_not_list_keep_their_names(workspace: Workspace) -> None:
    ws = workspace
    channel = campaigns.create_channel(ws, Channel(0, "Substack", "hearth", 120))
    assert campaigns.get_channel(ws, channel) == Channel(channel, "Substack", "hearth", 120)
    ws.conn.execute("INSERT INTO posts (id, uid, title) VALUES (10, 'p10', 'Sourdough')")
    post_writes.set_channels(ws, 10, (("Substack", "Long read"), ("LinkedIn", None),
                                      ("linkedin", "Ours")))
    detail = post_writes.get_post(ws, 10)
    assert detail is not None
    assert detail.draft.channels == (("Substack", "Long read"), ("linkedin", "Ours"))
    assert sorted(tuple(r) for r in ws.conn.execute(
        "SELECT platform, platform_label FROM post_channels")) == [
        ("linkedin", ""), ("other", "Substack")]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        ws.conn.execute("INSERT INTO post_channels (post_id, platform) VALUES (10, 'Patreon')")


def test_every_platform_the_app_offers_is_a_listed_one() -> None:
    """What the editor, the audience dialog and the demo offer is stored by its own name."""
    from socialdesk.core import demo_data
    from socialdesk.core.limits import CHANNEL_PLATFORMS, LIMITS
    from socialdesk.store.known_names import stored_platform

    for platform in (*CHANNEL_PLATFORMS, *LIMITS, *demo_data.PLATFORMS):
        assert stored_platform(platform) == (platform, ""), platform
    assert stored_platform("Google Business") == ("google_business", "")
    assert stored_platform("Twitter") == ("x", "")
    assert stored_platform(" Substack ") == ("other", "Substack")
