"""Each network's limit and the way it counts: one table, no text ever cut."""

from __future__ import annotations

import pytest

from socialdesk.core.limits import (
    CHANNEL_PLATFORMS,
    LIMITS,
    channel_texts,
    check_text,
    count_characters,
    graphemes,
    limit_for,
    links,
    platform_name,
    post_problems,
)


def test_the_limits_table_has_each_networks_limit() -> None:
    assert {p: e.limit for p, e in LIMITS.items()} == {
        "x": 280, "bluesky": 300, "threads": 500, "mastodon": 500, "pinterest": 500,
        "google_business": 1_500, "instagram": 2_200, "tiktok": 2_200, "linkedin": 3_000,
        "facebook": 63_206,
    }
    assert limit_for("newsletter") is None and limit_for("blog") is None
    assert set(LIMITS) <= set(CHANNEL_PLATFORMS)
    assert platform_name("google_business") == "Google Business"
    assert platform_name("linkedin") == "LinkedIn"


def test_x_counts_every_link_as_23() -> None:
    long_link = "https://hearthandcrumb.example/blog/2026/11/how-we-make-our-stollen?ref=x"
    text = f"Stollen day! {long_link} and www.example.com too"
    expected = len("Stollen day! ") + 23 + len(" and ") + 23 + len(" too")
    assert count_characters("x", text) == expected
    assert count_characters("x", "see https://t.co/a.") == len("see ") + 23 + 1
    # Elsewhere a link counts as what it is (except Mastodon, which also counts 23).
    assert count_characters("instagram", long_link) == len(long_link)
    assert count_characters("mastodon", long_link) == 23


def test_link_detection_keeps_sentence_punctuation_out() -> None:
    assert links("Order at bakery.example.com/order, or (see https://x.com/a_(b)).") == [
        "bakery.example.com/order", "https://x.com/a_(b)"]
    assert links("mail us: hello@bakery.com") == []


def test_x_counts_emoji_and_cjk_as_two() -> None:
    assert count_characters("x", "👍") == 2
    assert count_characters("x", "👨‍👩‍👧") == 2  # one family, joined
    assert count_characters("x", "日本語") == 6
    assert count_characters("x", "café") == 4


def test_graphemes_count_what_a_reader_sees() -> None:
    assert len(graphemes("👍🏽🇬🇧e\u0301")) == 3
    assert count_characters("bluesky", "👨‍👩‍👧 hi") == 4
    # Code points after NFC: a decomposed é counts once on Threads.
    assert count_characters("threads", "e\u0301") == 1


@pytest.mark.parametrize("platform", sorted(LIMITS))
def test_over_the_limit_is_reported_not_cut(platform: str) -> None:
    limit = LIMITS[platform].limit
    fits, over = check_text(platform, "a" * limit), check_text(platform, "a" * (limit + 7))
    assert not fits.over and fits.describe() == f"{limit:,} / {limit:,}"
    assert over.over and over.excess == 7 and over.count == limit + 7
    assert over.describe() == f"{limit + 7:,} / {limit:,} — 7 too many"


def test_post_problems_name_the_network_and_the_missing_channel() -> None:
    assert post_problems("hello", []) == ["No channel chosen"]
    body = "a" * 290
    assert post_problems(body, [("x", None), ("instagram", None)]) == [
        "Too long for X: 290 / 280 — 10 too many"]
    assert post_problems(body, [("x", "short for X"), ("newsletter", None)]) == []


def test_the_posts_link_counts_where_socialdesk_publishes_it() -> None:
    link = "https://hearth.example/rye"
    body = "x" * 480
    # Mastodon and Bluesky get the link after a text that lacks it: 480 + 2 + 23 on Mastodon.
    assert post_problems(body, [("mastodon", None), ("instagram", None)], link) == [
        "Too long for Mastodon: 505 / 500 — 5 too many"]
    assert channel_texts("Rye!", [("bluesky", None), ("x", None)], link) == [
        ("bluesky", f"Rye!\n\n{link}"), ("x", "Rye!")]
    assert channel_texts("Rye: HEARTH.example/rye/", [("mastodon", None)], link) == [
        ("mastodon", "Rye: HEARTH.example/rye/")]  # it has it already
