"""Asks end to end: messages, mailto: links, creating asks, learning from outcomes."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from socialdesk.core.planner import ask_messages as am
from socialdesk.core.planner import asking, planning
from socialdesk.core.settings import update_setting
from socialdesk.store import asks
from socialdesk.store.workspace import Workspace

TODAY = date(2026, 3, 10)


@pytest.fixture
def bakery(workspace: Workspace) -> Workspace:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name, kind, stage) VALUES "
              "(1, 'Corner Café', 'partner', 'ally'), (2, 'Mia', 'blogger', 'engaged')")
    c.execute("INSERT INTO contact_details (contact_id, kind, value) VALUES "
              "(1, 'email', 'hello@corner.example')")
    c.execute("INSERT INTO audiences (contact_id, platform, size) VALUES (1, 'instagram', 5000),"
              " (2, 'x', 3000)")
    c.execute("INSERT INTO channels (platform, followers) VALUES ('instagram', 800)")
    c.execute("INSERT INTO posts (id, uid, title, scheduled_on, link) VALUES "
              "(10, 'p10', 'Sourdough Saturday', '2026-03-14', 'https://bakery.example/sd'), "
              "(11, 'p11', 'No link', NULL, '')")
    return workspace


def p_of(ws: Workspace, contact_id: int) -> float:
    _, plan = planning.plan_post(ws, 10, TODAY)
    return next(e.p for e in plan.ranked if e.id == str(contact_id))


def test_recording_a_share_raises_the_partners_p(bakery: Workspace) -> None:
    (ask_id,) = asks.create_asks(bakery, [asks.NewAsk(1, 10, "2026-01-01")])
    unresolved = p_of(bakery, 1)
    asks.record_outcome(bakery, ask_id, "shared", answered_on="2026-01-02", observed_reach=300)
    after_share = p_of(bakery, 1)
    assert after_share > unresolved
    asks.record_outcome(bakery, ask_id, "declined", answered_on="2026-01-02")
    assert p_of(bakery, 1) < unresolved < after_share
    other = p_of(bakery, 2)
    asks.record_outcome(bakery, ask_id, "shared")
    assert p_of(bakery, 2) == other


def test_messages_fill_in_every_placeholder() -> None:
    context = am.AskContext("Mia", "Sourdough Saturday", "https://bakery.example/sd",
                            date(2026, 3, 14), "x")
    text = am.ask_message("blogger", context)
    assert text.startswith("Hi Mia,")
    assert "Saturday 14 March" in text and "“Sourdough Saturday”" in text
    assert "https://bakery.example/sd" in text and "280 characters on X" in text
    assert "{" not in text
    for kind in ("partner", "community", "press", "fan", "customer", "staff", "other",
                 "unknown-kind"):
        assert "{" not in am.ask_message(kind, context)
    assert am.ask_subject(context) == "Would you share “Sourdough Saturday”?"


def test_a_post_without_link_or_date_and_a_network_without_limit() -> None:
    text = am.ask_message("partner", am.AskContext("Café", "Bread", platform="newsletter"))
    assert "http" not in text and "{link}" not in text and "Here it is" not in text
    assert "coming up on soon" in text and "a short post on Newsletter" in text


def test_user_templates_win_and_unknown_placeholders_stay() -> None:
    mine = {"partner": "Dear {name}, {post_title} on {date}. {whatever} {limit}"}
    context = am.AskContext("Café", "Bread", day=date(2026, 3, 14), platform="instagram")
    assert am.ask_message("partner", context, mine) == (
        "Dear Café, Bread on Saturday 14 March. {whatever} 2,200 characters on Instagram")
    assert am.ask_message("fan", context, mine) == am.ask_message("fan", context)
    assert am.unknown_placeholders(mine["partner"]) == ["whatever"]
    assert am.template_for("press", {"other": "Hi"}) == am.DEFAULT_TEMPLATES["press"]
    assert am.template_for("unknown", {"other": "Hi {name}"}) == "Hi {name}"


def test_mailto_url() -> None:
    url = am.mailto_url("zoë+news@corner.example", "Share “Bread”? 50% & more",
                        "Hi,\nline two #1")
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "zoë+news@corner.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Share “Bread”? 50% & more"]
    assert query["body"] == ["Hi,\r\nline two #1"]
    assert " " not in url and "\n" not in url
    assert am.mailto_url(["a@x.example", "b@x.example"], "s", "b").startswith(
        "mailto:a@x.example,b@x.example?")


def test_draft_and_create_asks_for_a_plan(bakery: Workspace) -> None:
    update_setting(bakery, "ask_templates", {"blogger": "Hey {name}: {post_title} ({limit})"})
    _, plan = planning.plan_post(bakery, 10, TODAY, budget_minutes=None)
    assert {e.id for e in plan.chosen} == {"1", "2"}
    x0 = plan.own_reach / 100_000
    drafts = {d.name: d for d in asking.draft_asks(bakery, 10, plan.chosen, TODAY, x0=x0)}
    cafe, mia = drafts["Corner Café"], drafts["Mia"]
    assert cafe.kind == "partner" and cafe.email == "hello@corner.example"
    assert "https://bakery.example/sd" in cafe.message and "Saturday 14 March" in cafe.message
    assert cafe.mailto.startswith("mailto:hello@corner.example?subject=")
    assert mia.message == f"Hey Mia: Sourdough Saturday (280 characters on X)\n\n{mia.kit}"
    assert mia.kit.startswith("Ready to share: “Sourdough Saturday”")
    assert mia.email == "" and mia.mailto.startswith("mailto:?subject=")
    ids = asking.create_asks(bakery, 10, drafts.values(), TODAY, due_on=date(2026, 3, 13))
    saved = asks.asks_for_post(bakery, 10)
    assert {a.id for a in saved} == set(ids)
    by_name = {a.contact_name: a for a in saved}
    assert by_name["Mia"].message == mia.message
    assert by_name["Corner Café"].predicted_reach == pytest.approx(
        next(e.added_reach for e in plan.chosen if e.id == "1"), abs=0.05)
    assert all(a.status == "asked" and a.due_on == "2026-03-13" for a in saved)
    # Each ask keeps the forecast it was planned with: p, E_c, x_0 and the model version.
    stored = {row[0]: tuple(row[1:]) for row in bakery.conn.execute(
        "SELECT contact_id, planned_p, planned_reach, planned_x0, model_version FROM asks")}
    for e in plan.chosen:
        assert stored[int(e.id)] == pytest.approx((e.p, e.reach_if_shared, x0, 2))
    with pytest.raises(LookupError):
        asking.draft_asks(bakery, 999, plan.chosen, TODAY, x0=x0)


def test_warning_after_too_many_asks_in_30_days(bakery: Workspace) -> None:
    asks.create_asks(bakery, [asks.NewAsk(1, post, d) for post, d in  # once per post
                              ((None, "2026-01-01"), (None, "2026-02-20"), (11, "2026-03-01"),
                               (10, "2026-03-09"))])
    asks.create_asks(bakery, [asks.NewAsk(2, 10, "2026-03-09")])
    assert asking.overasked(bakery, TODAY) == {1: 3}
    update_setting(bakery, "ask_warning_count", 3)
    assert asking.overasked(bakery, TODAY) == {}
    _, plan = planning.plan_post(bakery, 10, TODAY, budget_minutes=None)
    drafts = asking.draft_asks(bakery, 10, plan.chosen, TODAY, x0=0.0)
    assert {d.name: d.recent_asks for d in drafts} == {"Corner Café": 3, "Mia": 1}


def test_asks_for_the_planned_post_do_not_tire_its_partner_for_it(bakery: Workspace) -> None:
    from socialdesk.core.planner import likelihood

    q = p_of(bakery, 1)  # never asked: p = q
    asks.create_asks(bakery, [asks.NewAsk(1, 10, "2026-03-09")])
    # Asked for post 10 yesterday: still as likely to share it, but tired for post 11.
    assert p_of(bakery, 1) == pytest.approx(q)
    _, other_post = planning.plan_post(bakery, 11, TODAY)
    assert next(e.p for e in other_post.ranked if e.id == "1") == pytest.approx(
        q * likelihood.freshness(1))
    # Asks for another post (or for no post) tire the partner for post 10.
    asks.create_asks(bakery, [asks.NewAsk(1, None, "2026-02-24"),
                              asks.NewAsk(1, 11, "2026-03-03")])
    assert p_of(bakery, 1) == pytest.approx(q * likelihood.freshness(7))


def test_marginal_reach_of_a_partner_given_the_chosen_asks(bakery: Workspace) -> None:
    day = planning.workspace_model(bakery, TODAY)
    model = planning.post_model(bakery, 10, day)
    alone = {e.id: e.added_reach for e in model.ranked}
    assert model.marginal_reach(set(), "1") == pytest.approx(alone["1"])
    both = model.plan(chosen_ids={"1", "2"}).expected_reach
    only_2 = model.plan(chosen_ids={"2"}).expected_reach
    assert model.marginal_reach({"1", "2"}, "1") == pytest.approx(both - only_2)
    assert model.marginal_reach({"2"}, "1") == pytest.approx(both - only_2)
    assert 0 < both - only_2 < alone["1"]  # audiences overlap: less than alone


def test_asks_carry_the_partners_tracked_link_and_kit(bakery: Workspace) -> None:
    from socialdesk.core.share.kits import make_kit

    bakery.conn.execute("UPDATE posts SET body = 'Loaves at 8! https://bakery.example/sd' "
                        "WHERE id = 10")
    update_setting(bakery, "sender_name", "Ana Ruiz")
    update_setting(bakery, "sender_business", "Ruiz Bakery")
    update_setting(bakery, "ask_templates", {"partner": "{post_text}\n{link}\n{sender_name}"})
    _, plan = planning.plan_post(bakery, 10, TODAY, budget_minutes=None)
    drafts = {d.name: d for d in asking.draft_asks(bakery, 10, plan.chosen, TODAY, x0=0.0)}
    cafe = drafts["Corner Café"]
    link = ("https://bakery.example/sd?utm_source=corner-cafe&utm_medium=partner"
            "&utm_campaign=socialdesk&utm_content=post-10")
    assert cafe.message.startswith(f"Loaves at 8! {link}\n{link}\nAna Ruiz\n\n"
                                   "Ready to share: “Sourdough Saturday”")
    assert cafe.slug == "corner-cafe" and cafe.kit in cafe.message
    assert "%26utm_content%3Dpost-10" in cafe.mailto  # the kit is in the e-mail too
    # The slug is only planned until the ask is made; then it is the partner's.
    assert bakery.conn.execute("SELECT slug FROM contacts WHERE id = 1").fetchone()[0] is None
    ids = asking.create_asks(bakery, 10, drafts.values(), TODAY)
    assert bakery.conn.execute("SELECT slug FROM contacts WHERE id = 1").fetchone()[0] == \
        "corner-cafe"
    saved = {a.contact_name: a for a in asks.asks_for_post(bakery, 10)}
    assert saved["Corner Café"].message == cafe.message
    kit = make_kit(bakery, next(i for i in ids if asks.get_ask(bakery, i).contact_id == 1))
    assert kit.kit.link == link


def test_partners_with_one_name_get_their_own_slugs(bakery: Workspace) -> None:
    c = bakery.conn
    c.execute("INSERT INTO contacts (id, name, kind, stage) VALUES (3, 'Corner Café', "
              "'partner', 'ally')")
    c.execute("INSERT INTO audiences (contact_id, platform, size) VALUES (3, 'instagram', 900)")
    _, plan = planning.plan_post(bakery, 10, TODAY, budget_minutes=None)
    drafts = [d for d in asking.draft_asks(bakery, 10, plan.chosen, TODAY, x0=0.0)
              if d.name == "Corner Café"]
    assert sorted(d.slug for d in drafts) == ["corner-cafe", "corner-cafe-2"]
    for draft in drafts:
        assert f"utm_source={draft.slug}&" in draft.message
    # Meanwhile another kit gave the second one's slug away: the message follows.
    second = next(d for d in drafts if d.slug == "corner-cafe-2")
    c.execute("UPDATE contacts SET slug = 'corner-cafe-2' WHERE id = 2")
    asking.create_asks(bakery, 10, drafts, TODAY)
    slugs = dict(c.execute("SELECT id, slug FROM contacts").fetchall())
    assert slugs[second.contact_id] not in ("corner-cafe-2", None)
    saved = next(a for a in asks.asks_for_post(bakery, 10)
                 if a.contact_id == second.contact_id)
    assert f"utm_source={slugs[second.contact_id]}&" in saved.message
    assert "corner-cafe-2" not in saved.message
