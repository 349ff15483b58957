"""Tracked links: the partner and the post in UTM parameters, the rest of the link intact."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialdesk.core.share.links import slugify, tracked_link, unique_slug


def params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_the_four_parameters_name_partner_campaign_and_post() -> None:
    url = tracked_link("https://bakery.example/menu", "Corner Café", 12, "Summer Sale!")
    assert params(url) == [("utm_source", "corner-cafe"), ("utm_medium", "partner"),
                           ("utm_campaign", "summer-sale"), ("utm_content", "post-12")]
    assert url.startswith("https://bakery.example/menu?")


def test_without_a_campaign_the_campaign_is_socialdesk() -> None:
    assert ("utm_campaign", "socialdesk") in params(tracked_link("https://a.example/", "x", 1))


def test_other_parameters_and_the_fragment_are_kept_as_written() -> None:
    url = tracked_link("https://a.example/p?b=2&a=x%20y&empty=#section-2", "leo", 3)
    assert url.startswith("https://a.example/p?b=2&a=x%20y&empty=&utm_source=leo")
    assert url.endswith("#section-2")


def test_earlier_utm_values_are_replaced_not_doubled() -> None:
    url = tracked_link("https://a.example/?utm_source=newsletter&id=7&UTM_Medium=mail"
                       "&utm_term=bread", "leo", 3)
    pairs = params(url)
    assert ("id", "7") in pairs
    assert [k for k, _ in pairs if k.lower().startswith("utm_")] == [
        "utm_source", "utm_medium", "utm_campaign", "utm_content"]
    assert dict(pairs)["utm_source"] == "leo"


def test_links_without_scheme_with_spaces_and_international_hosts_become_valid() -> None:
    url = tracked_link("www.bäckerei.example/brot mit käse", "leo", 1)
    parts = urlsplit(url)
    assert parts.scheme == "https"
    assert parts.hostname == "www.xn--bckerei-5wa.example"
    assert " " not in url and url.isascii()
    assert parts.path == "/brot%20mit%20k%C3%A4se"


def test_a_bare_domain_gets_a_path() -> None:
    assert tracked_link("https://a.example", "leo", 1).startswith("https://a.example/?utm_")


def test_a_post_without_a_link_has_no_tracked_link() -> None:
    with pytest.raises(ValueError):
        tracked_link("  ", "leo", 1)


@pytest.mark.parametrize(("name", "slug"), [
    ("Corner Café", "corner-cafe"), ("  Zoë Ó Súilleabháin ", "zoe-o-suilleabhain"),
    ("Bäckerei & Söhne GmbH", "backerei-sohne-gmbh"), ("東京ベーカリー", "partner"),
    ("---", "partner"), ("A" * 80, "a" * 40),
])
def test_slugs_are_lower_case_ascii_words_with_hyphens(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_slug_is_unique_among_those_taken() -> None:
    assert unique_slug("Corner Café", set()) == "corner-cafe"
    assert unique_slug("Corner Café", {"corner-cafe", "corner-cafe-2"}) == "corner-cafe-3"


@given(st.text(max_size=60))
def test_any_name_gives_a_usable_slug(name: str) -> None:
    slug = slugify(name)
    assert slug and slug.isascii() and len(slug) <= 40
    assert all(c.isalnum() or c == "-" for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")
