"""Where each network's feed cuts a post's text, its link card and its media count."""

from __future__ import annotations

from socialdesk.core.calendar.feed_preview import cut_at, feed_preview
from socialdesk.core.limits import LIMITS, media_limit

LONG = ("Our sourdough takes 36 hours: flour from the farm down the road, water, salt and "
        "time. Come early on Saturday, the first batch goes by nine and we never bake more. "
        "#bakery #sourdough")


def test_instagram_cuts_near_125_characters_between_words() -> None:
    preview = feed_preview("instagram", LONG)
    assert preview.cut
    assert len(preview.shown) <= 125
    assert len(preview.shown) > 105  # moved back to a space, not far
    assert LONG.startswith(preview.shown) and LONG[len(preview.shown)] == " "
    assert preview.hidden == len(LONG) - len(preview.shown)


def test_a_short_text_is_not_cut_and_networks_without_a_fold_show_it_all() -> None:
    assert not feed_preview("instagram", "Fresh bread.").cut
    assert feed_preview("mastodon", LONG).shown == LONG
    assert feed_preview("newsletter", LONG).shown == LONG


def test_each_network_has_its_own_fold() -> None:
    assert LIMITS["linkedin"].fold_desktop == 210
    assert LIMITS["facebook"].fold_desktop == 480
    facebook = feed_preview("facebook", LONG)
    assert facebook.fold == 125 and facebook.fold_desktop == 480
    assert feed_preview("linkedin", LONG).shown != feed_preview("instagram", LONG).shown


def test_an_emoji_is_never_split_by_the_cut() -> None:
    text = "a" * 124 + "👍🏽 and more words after it"
    shown, hidden = cut_at(text, 125)
    assert "👍" not in shown or shown.endswith("👍🏽")
    assert shown + text[len(shown):] == text and hidden == len(text) - len(shown)


def test_a_link_makes_a_card_except_where_links_are_not_clickable_or_media_take_its_place(
) -> None:
    text = "New loaves: rosiesbakery.co.uk/bread"
    assert feed_preview("linkedin", text).card_link == "rosiesbakery.co.uk/bread"
    assert feed_preview("mastodon", text).card_link == "rosiesbakery.co.uk/bread"
    with_photo = feed_preview("mastodon", text, media=1)
    assert with_photo.card_link is None and "instead of a link card" in with_photo.card_note
    instagram = feed_preview("instagram", text)
    assert instagram.card_link is None and "not make links" in instagram.card_note
    assert feed_preview("linkedin", "No link here.").card_link is None


def test_media_per_post_come_from_the_one_table() -> None:
    assert media_limit("bluesky") == media_limit("x") == media_limit("mastodon") == 4
    preview = feed_preview("x", "Photos", media=6)
    assert preview.media_limit == 4 and preview.media_over == 2
    assert feed_preview("newsletter", "x", media=9).media_over == 0
