"""Hostile cards from a server: each refused with SyncFormatError, quickly, nothing else raised."""

from __future__ import annotations

import time

import pytest

from socialdesk.core.sync.contact_card import MAX_CARD_CHARS
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.kind import SyncFormatError

HEAD = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:0b5c-hostile\r\nFN:Mallory\r\n"
END = "END:VCARD\r\n"
OTHER = "urn:uuid:0b5c-other"


def _card(*lines: str) -> str:
    return HEAD + "".join(line + "\r\n" for line in lines) + END


HOSTILE = {
    "huge": _card("NOTE:" + "x" * (MAX_CARD_CHARS + 10)),
    "huge, folded": _card("NOTE:" + "\r\n ".join(["y" * 74] * (MAX_CARD_CHARS // 70))),
    "deeply nested audiences": _card("X-SOCIALDESK-AUDIENCES:" + "[" * 200_000 + "]" * 200_000),
    "deeply nested link": _card(f"r1.RELATED:{OTHER}",
                                "r1.X-SOCIALDESK-LINK:" + '{"a":' * 100_000 + "1" + "}" * 100_000),
    "audiences not a list": _card('X-SOCIALDESK-AUDIENCES:{"platform":"x"}'),
    "audience of the wrong type": _card('X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"size":"9"}]'),
    "negative audience": _card('X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"size":-1}]'),
    "engagement over 100%": _card(
        'X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"engagement_rate":7}]'),
    "not a number": _card('X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"engagement_rate":NaN}]'),
    "a number of 5,000 digits": _card(
        'X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"size":' + "9" * 5000 + "}]"),
    "topics nested": _card('X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"topics":[[["a"]]]}]'),
    "bad audience date": _card(
        'X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"last_checked_on":"2026-02-30"}]'),
    "bad interaction date": _card(
        'X-SOCIALDESK-INTERACTIONS:[{"happened_on":"yesterday"\\,"kind":"met"}]'),
    "interaction without a date": _card('X-SOCIALDESK-INTERACTIONS:[{"kind":"met"}]'),
    "unknown interaction kind": _card(
        'X-SOCIALDESK-INTERACTIONS:[{"happened_on":"2026-01-01"\\,"kind":"DROP TABLE"}]'),
    "an effort no database holds": _card("X-SOCIALDESK-EFFORT-MINUTES:" + "9" * 30),
    "an audience no database holds": _card(
        'X-SOCIALDESK-AUDIENCES:[{"platform":"x"\\,"size":' + "9" * 30 + "}]"),
    "bad follow-up date": _card("X-SOCIALDESK-FOLLOW-UP:2026-13-01"),
    "unknown stage": _card("X-SOCIALDESK-STAGE:overlord"),
    "strength over 1": _card("X-SOCIALDESK-STRENGTH:3"),
    "not a slug": _card("X-SOCIALDESK-SLUG:../../etc"),
    "50,000 interactions": _card("X-SOCIALDESK-INTERACTIONS:[" + "\\,".join(
        ['{"happened_on":"2026-01-01"\\,"kind":"met"}'] * 50_000) + "]"),
    "10,000 RELATED lines": _card(*(f"RELATED:urn:uuid:other-{n}" for n in range(10_000))),
    "link weight over 1": _card(f"r1.RELATED:{OTHER}",
                                f'r1.X-SOCIALDESK-LINK:{{"kind":"knows"\\,"weight":2\\,"uid":"{OTHER}"}}'),
    "link of no direction": _card(
        f"r1.RELATED:{OTHER}",
        f'r1.X-SOCIALDESK-LINK:{{"kind":"knows"\\,"direction":"up"\\,"uid":"{OTHER}"}}'),
    "link JSON broken": _card(f"r1.RELATED:{OTHER}", "r1.X-SOCIALDESK-LINK:{"),
    "10,000 e-mail addresses": _card(*(f"EMAIL:m{n}@example.org" for n in range(10_000))),
    "no UID": "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nobody\r\nEND:VCARD\r\n",
    "a UID of 100,000 characters": _card().replace("0b5c-hostile", "u" * 100_000),
    "no name at all": "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nNOTE:hi\r\nEND:VCARD\r\n",
    "two cards": _card() + _card(),
    "no card": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    "empty": "",
    "never ends": HEAD,
    "a card inside a card": HEAD + HEAD + END + END,
    "lone surrogate": _card("NOTE:\ud800"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_card_is_refused_within_bounds(name: str) -> None:
    start = time.perf_counter()
    with pytest.raises(SyncFormatError) as caught:
        CONTACT_KIND.from_text(HOSTILE[name])
    assert time.perf_counter() - start < 5
    assert str(caught.value)  # says why


def test_the_message_names_the_line() -> None:
    card = _card("FN:Still Mallory", "X-SOCIALDESK-STAGE:overlord")
    with pytest.raises(SyncFormatError, match=r"^line 6: X-SOCIALDESK-STAGE 'overlord'"):
        CONTACT_KIND.from_text(card)


def test_a_large_but_fair_card_still_reads() -> None:
    links = [f"r{n}.RELATED:urn:uuid:other-{n}" for n in range(2_000)]
    uid, record = CONTACT_KIND.from_text(_card(*links, "NOTE:" + "z" * 100_000))
    assert uid == "urn:uuid:0b5c-hostile" and len(record["links"]) == 2_000  # type: ignore[arg-type]


def test_many_link_lines_for_one_contact_read_within_bounds() -> None:
    lines = [line for n in range(5_000) for line in (
        f"r{n}.RELATED:{OTHER}",
        f'x{n}.X-SOCIALDESK-LINK:{{"kind":"k{n % 7}"\\,"uid":"{OTHER}"}}')]
    start = time.perf_counter()
    _, record = CONTACT_KIND.from_text(_card(*lines))
    assert time.perf_counter() - start < 5
    assert len(record["links"]) == 7  # type: ignore[arg-type]  # one per kind, merged
