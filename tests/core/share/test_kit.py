"""Share kits: each network's text with the tracked link, fitted, and its one-click link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.core.limits import count_characters, limit_for
from socialdesk.core.share.kit import (
    KitAudience,
    KitInput,
    build_kit,
    fit_text,
    kit_text,
    mastodon_instance,
)

LINK = "https://bakery.example/sourdough?ref=home"


def kit_input(**changes: object) -> KitInput:
    values: dict[str, object] = dict(
        ask_id=4, partner="Corner Café", slug="corner-cafe",
        audiences=(KitAudience("instagram", "@corner", "", 900),
                   KitAudience("x", "@cornercafe", "", 20_000),
                   KitAudience("mastodon", "@corner@toot.example", "", 300),
                   KitAudience("linkedin", "", "", 50),
                   KitAudience("newsletter", "", "", 5_000)),
        post_id=12, title="Sourdough Saturday", body=f"Fresh sourdough from 7am! {LINK}",
        link=LINK, variants={"x": "Sourdough Saturday: first loaves at 7am."},
        campaign="Summer", scheduled_on="2026-12-12")
    values.update(changes)
    return KitInput(**values)  # type: ignore[arg-type]


def intent_text(url: str) -> str:
    query = parse_qs(urlsplit(url).query)
    return (query.get("text") or query.get("url") or query.get("u"))[0]


def test_the_biggest_expected_audience_comes_first_and_each_network_once() -> None:
    kit = build_kit(kit_input(audiences=(
        KitAudience("x", "@a", "", 1_000), KitAudience("newsletter", "", "", 1_000),
        KitAudience("X", "@b", "", 3_000))))
    # newsletter: 1,000 × 0.35 seen; x: 3,000 × 0.05 (the bigger X account only)
    assert [n.network for n in kit.networks] == ["newsletter", "x"]
    assert kit.networks[1].handle == "@b"


def test_each_text_carries_the_tracked_link_instead_of_the_posts_own() -> None:
    kit = build_kit(kit_input())
    assert kit.link is not None and "utm_source=corner-cafe" in kit.link
    for network in kit.networks:
        assert kit.link in network.text
        assert network.text.count("bakery.example") == 1


def test_a_networks_own_variant_is_used_there() -> None:
    kit = build_kit(kit_input())
    x = next(n for n in kit.networks if n.network == "x")
    assert x.text.startswith("Sourdough Saturday: first loaves at 7am.")
    insta = next(n for n in kit.networks if n.network == "instagram")
    assert insta.text.startswith("Fresh sourdough from 7am!")


def test_intent_links_decode_to_the_text_or_the_link() -> None:
    kit = build_kit(kit_input())
    by = {n.network: n for n in kit.networks}
    assert by["x"].intent_url.startswith("https://x.com/intent/post?text=")
    assert intent_text(by["x"].intent_url) == by["x"].text
    assert by["mastodon"].intent_url.startswith("https://toot.example/share?text=")
    assert intent_text(by["linkedin"].intent_url) == kit.link
    assert by["instagram"].intent_url is None and by["newsletter"].intent_url is None


def test_a_long_text_is_shortened_before_the_link_to_fit_the_limit() -> None:
    body = "Our crustiest loaf yet, " * 40
    kit = build_kit(kit_input(body=body, variants={}))
    x = next(n for n in kit.networks if n.network == "x")
    assert x.length <= 280 and x.length == count_characters("x", x.text)
    assert x.text.endswith(kit.link) and "…" in x.text
    insta = next(n for n in kit.networks if n.network == "instagram")
    assert "…" not in insta.text  # 2,200 characters is room enough


def test_a_post_without_a_link_gets_no_tracked_link_and_the_kit_says_so() -> None:
    kit = build_kit(kit_input(link="", body="Fresh sourdough from 7am!"))
    assert kit.link is None
    assert all("utm_" not in n.text for n in kit.networks)
    assert next(n for n in kit.networks if n.network == "linkedin").intent_url is None
    assert "no link" in kit_text(kit)


def test_the_plain_text_kit_has_every_networks_text_and_one_click_link() -> None:
    kit = build_kit(kit_input())
    text = kit_text(kit)
    for network in kit.networks:
        assert network.text in text
        if network.intent_url:
            assert network.intent_url in text


def test_the_mastodon_server_comes_from_the_handle_or_the_profile() -> None:
    assert mastodon_instance("@ann@Mastodon.Social") == "mastodon.social"
    assert mastodon_instance("ann", "https://toot.example/@ann") == "toot.example"
    assert mastodon_instance("@ann") is None


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["x", "bluesky", "threads", "mastodon"]),
       st.text(st.characters(blacklist_categories=("Cs",)), max_size=900))
def test_any_text_fits_with_the_link_whole(platform: str, text: str) -> None:
    link = "https://bakery.example/p?utm_source=a&utm_content=post-1"
    fitted = fit_text(platform, text, link)
    assert count_characters(platform, fitted) <= limit_for(platform)
    assert fitted.endswith(link)
