"""The store's queries on a real SQLite file: search, contacts, posts, asks, reports."""

from __future__ import annotations

from datetime import date

import pytest

from socialdesk.core.settings import DEFAULTS, update_setting, workspace_settings
from socialdesk.store import asks, contacts, partners, posts, reports
from socialdesk.store.contacts import ContactQuery, fts_expression
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace


def add(ws: Workspace, name: str, **kw: object) -> int:
    return contacts.save_contact(ws, Contact(id=0, name=name, **kw))  # type: ignore[arg-type]


def names(ws: Workspace, text: str = "", kind: str | None = None) -> list[str]:
    return [r.name for r in contacts.contact_rows(ws, ContactQuery(text, kind))]


def test_search_finds_by_prefix_accent_email_tag_and_notes(workspace: Workspace) -> None:
    add(workspace, "Zoë Müller", organisation="Corner Café",
        details=(Detail("email", "zoe@corner.example"),), tags=("wholesale",))
    add(workspace, "Tom Baker", notes="Runs the Saturday market stall")
    assert names(workspace, "mul") == ["Zoë Müller"]
    assert names(workspace, "zoe") == ["Zoë Müller"]          # accents ignored
    assert names(workspace, "cafe") == ["Zoë Müller"]
    assert names(workspace, "corner.example") == ["Zoë Müller"]
    assert names(workspace, "wholesale") == ["Zoë Müller"]
    assert names(workspace, "saturday mark") == ["Tom Baker"]  # every word must match
    assert names(workspace, "") == ["Tom Baker", "Zoë Müller"]
    assert names(workspace, '"; DROP TABLE contacts; --') == []
    assert contacts.count_contacts(workspace, ContactQuery("ba")) == 1


def test_search_follows_edits_of_email_and_tags(workspace: Workspace) -> None:
    cid = add(workspace, "Ada", details=(Detail("email", "ada@old.example"),), tags=("vip",))
    ada = contacts.get_contact(workspace, cid)
    assert ada is not None and ada.tags == ("vip",)
    contacts.save_contact(workspace, Contact(
        id=cid, name="Ada Lovelace", details=(Detail("email", "ada@new.example"),),
        tags=("press",)))
    assert names(workspace, "old.example") == []
    assert names(workspace, "new.example") == ["Ada Lovelace"]
    assert names(workspace, "vip") == []
    assert names(workspace, "press") == ["Ada Lovelace"]
    workspace.conn.execute("UPDATE tags SET name = 'journalists' WHERE name = 'press'")
    assert names(workspace, "journalists") == ["Ada Lovelace"]
    contacts.delete_contact(workspace, cid)
    assert names(workspace, "ada") == []
    assert contacts.get_contact(workspace, cid) is None


def test_contact_round_trip_keeps_every_detail(workspace: Workspace) -> None:
    details = (Detail("email", "a@x.example", "work"), Detail("email", "a@home.example"),
               Detail("phone", "+44 20 7946 0000", "mobile"), Detail("url", "https://a.example"))
    cid = add(workspace, "  Ada  ", organisation="X", kind="blogger", stage="ally",
              strength=0.7, notes="line 1\nline 2", follow_up_on="2026-12-01",
              details=details, tags=("b", "A", "a"))
    got = contacts.get_contact(workspace, cid)
    assert got is not None
    assert got.name == "Ada" and got.kind == "blogger" and got.strength == 0.7
    assert got.values("email") == ("a@x.example", "a@home.example")
    assert got.values("phone") == ("+44 20 7946 0000",)
    assert got.tags == ("A", "b")
    assert got.notes == "line 1\nline 2"


def test_a_contact_needs_a_name(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        add(workspace, "   ")
    assert contacts.count_contacts(workspace) == 0


def test_fts_expression_quotes_words() -> None:
    assert fts_expression("  ") is None
    assert fts_expression('ann "x') == '"ann"* "x"*'


def test_paging_and_sorting(workspace: Workspace) -> None:
    for i in range(25):
        add(workspace, f"Contact {i:02d}")
    first = contacts.contact_rows(workspace, ContactQuery(), 0, 10)
    second = contacts.contact_rows(workspace, ContactQuery(), 10, 10)
    assert [r.name for r in first][:2] == ["Contact 00", "Contact 01"]
    assert second[0].name == "Contact 10"
    backwards = contacts.contact_rows(workspace, ContactQuery(sort="name", descending=True))
    assert backwards[0].name == "Contact 24"


def test_demo_queries_return_what_the_views_show(demo: Workspace) -> None:
    totals = reports.counts(demo)
    assert totals.contacts > 100 and totals.partners >= 20 and totals.posts > 50
    rows = partners.partner_rows(demo)
    assert len(rows) == totals.partners
    assert rows == sorted(rows, key=lambda r: (-r.audience, r.name.casefold()))
    assert all(r.audience == sum(r.platforms.values()) for r in rows)
    biggest = rows[0]
    assert partners.audiences_of(demo, biggest.id)[0].size == max(biggest.platforms.values())
    month = posts.posts_between(demo, "0000-01-01", "9999-12-31")
    dated = demo.conn.execute("SELECT count(*) FROM posts WHERE scheduled_on IS NOT NULL")
    assert len(month) == dated.fetchone()[0]
    assert all(p.platforms for p in month)
    assert [p.scheduled_on for p in month] == sorted(p.scheduled_on for p in month)
    waiting = asks.waiting_asks(demo, date.today().isoformat(), limit=1000)
    assert waiting.rows and all(a.status in ("asked", "agreed") for a in waiting.rows)
    assert len(waiting.rows) == waiting.waiting
    campaigns = reports.campaign_rows(demo)
    assert sum(c.posts for c in campaigns) == totals.posts
    assert sum(c.asks for c in campaigns) <= totals.asks


def test_weekly_reach_adds_partner_shares_to_own_reach(workspace: Workspace) -> None:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name) VALUES (1, 'Café')")
    c.execute("INSERT INTO posts (id, uid, title, status, scheduled_on, reach) "
              "VALUES (1, 'a', 'Mon post', 'published', '2026-11-16', 300), "
              "(2, 'b', 'Sun post', 'published', '2026-11-22', 200), "
              "(3, 'c', 'Draft', 'draft', '2026-11-18', NULL)")
    c.execute("INSERT INTO asks (uid, post_id, contact_id, status, asked_on, observed_reach) "
              "VALUES ('x', 1, 1, 'shared', '2026-11-10', 150), "
              "('y', 2, 1, 'declined', '2026-11-10', NULL)")
    weeks = reports.weekly_reach(workspace, "2026-11-01", "2026-11-30")
    assert [(w.week_start, w.posts, w.own_reach, w.partner_reach) for w in weeks] == [
        ("2026-11-16", 2, 500, 150)]


def test_settings_default_and_override(workspace: Workspace) -> None:
    assert workspace_settings(workspace)["universe"] == DEFAULTS["universe"]
    update_setting(workspace, "universe", 25_000)
    update_setting(workspace, "reach_rates", {**DEFAULTS["reach_rates"], "instagram": 0.2})
    merged = workspace_settings(workspace)
    assert merged["universe"] == 25_000
    assert merged["reach_rates"]["instagram"] == 0.2
    assert merged["reach_rates"]["facebook"] == DEFAULTS["reach_rates"]["facebook"]
    update_setting(workspace, "universe", DEFAULTS["universe"])
    assert workspace.conn.execute(
        "SELECT count(*) FROM settings WHERE key = 'universe'").fetchone()[0] == 0
    with pytest.raises(KeyError):
        update_setting(workspace, "nonsense", 1)


def test_follow_ups_due_are_oldest_first(workspace: Workspace) -> None:
    add(workspace, "Later", follow_up_on="2026-12-30")
    add(workspace, "Overdue", follow_up_on="2026-11-01")
    add(workspace, "Today", follow_up_on="2026-11-24")
    due = contacts.follow_ups_due(workspace, "2026-11-24")
    assert [f.name for f in due] == ["Overdue", "Today"]


def test_bulk_loaded_demo_contacts_are_searchable_by_email_and_tag(demo: Workspace) -> None:
    row = demo.conn.execute(
        "SELECT c.id, d.value, t.name FROM contacts c "
        "JOIN contact_details d ON d.contact_id = c.id AND d.kind = 'email' "
        "JOIN contact_tags ct ON ct.contact_id = c.id JOIN tags t ON t.id = ct.tag_id LIMIT 1"
    ).fetchone()
    by_email = contacts.contact_rows(demo, ContactQuery(row[1]))
    by_tag = contacts.contact_rows(demo, ContactQuery(row[2]))
    assert row[0] in {r.id for r in by_email}
    assert row[0] in {r.id for r in by_tag}
