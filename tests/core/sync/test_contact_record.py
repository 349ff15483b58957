"""Whatever a workspace holds, a contact's record reads back from its card and travels whole.

Contacts of every shape are written through the store (odd white space, control
characters, line breaks, custom labels, ``tel:`` numbers, backslashes in web addresses,
structured names, organisation units, platforms and link kinds of their own, long-float
strengths); their records must come back from their cards unchanged and, applied to an
empty workspace, give the same records there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialdesk.core.contacts import names
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.contact_record import detail_label
from socialdesk.store.audiences import set_audiences
from socialdesk.store.contacts import save_contact
from socialdesk.store.interactions import set_interactions
from socialdesk.store.links import set_links
from socialdesk.store.models import Audience, Contact, Detail, Interaction, Link
from socialdesk.store.share import keep_slug
from socialdesk.store.vocabulary import CONTACT_KINDS, INTERACTION_KINDS, STAGES
from socialdesk.store.workspace import Workspace

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
_ODD = st.sampled_from(["", " ", "  x  ", "a\r\nb", "tab\there", "\x01ctl", "back\\slash",
                        "semi;colon", "com,ma", "Ünïcödé", "a\nb", "tel:+1 555;ext=9",
                        "tel:tel:12", "line\rend", "\\n", "x" * 90])
_TEXT = st.one_of(_ODD, st.text(_CHARS, max_size=30))
_LABELS = st.sampled_from([
    "", "work", "Mobile", "home fax", "work, preferred", "LinkedIn", "x pref", "  Zoom room ",
    "HOME", "cell, pref", "a\nb", "_$!<Mobile>!$_"])
_DAYS = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))


@st.composite
def _contacts(draw: st.DrawFn) -> Contact:
    name = draw(st.one_of(_TEXT, st.sampled_from(["Jane Doe", "Dr. Ann Lee Jr.", "王 小明"])))
    organisation = draw(st.one_of(st.just(""), _TEXT, st.just(name)))
    return Contact(
        0, name if name.strip() else "x" + name, organisation,
        draw(st.sampled_from(CONTACT_KINDS)), draw(st.sampled_from(STAGES)),
        draw(st.one_of(st.none(), st.floats(0, 1))), draw(st.integers(0, 10_000)),
        draw(_TEXT), draw(_DAYS),
        structured_name=draw(st.one_of(st.just(""), _TEXT, st.just(names.derived(name)),
                                       st.just("Doe;Jane;;;"))),
        org_units=draw(st.one_of(st.just(""), _TEXT, st.just("Sales;EMEA"))),
        details=tuple(draw(st.lists(st.builds(
            Detail, st.sampled_from(["email", "phone", "url"]), _TEXT, _LABELS), max_size=4))),
        tags=tuple(draw(st.lists(_TEXT, max_size=3))),
    )


_AUDIENCES = st.lists(st.builds(
    Audience, st.just(0), st.just(0),
    st.sampled_from(["instagram", "LinkedIn", "Twitter", "Substack", " Podcast ", "other"]),
    st.integers(0, 10**9), _TEXT, st.one_of(st.none(), st.floats(0, 1)), _DAYS,
    st.lists(_TEXT, max_size=3).map(tuple), _TEXT), max_size=3)
_INTERACTIONS = st.lists(st.builds(
    Interaction, st.just(0), st.just(0), st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(INTERACTION_KINDS), _TEXT), max_size=3)
_LINKS = st.lists(st.tuples(
    st.integers(0, 3), st.sampled_from(["knows", "Works with", "mentor", "friend", "rival "]),
    st.floats(0, 1), st.booleans(), st.booleans(), _TEXT), max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_contacts(), _AUDIENCES, _INTERACTIONS, _LINKS,
                          st.one_of(st.none(), st.sampled_from(["ann", "cafe-noir-2"]))),
                min_size=1, max_size=4))
def test_any_contact_comes_back_from_its_card_and_travels_whole(people: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        with Workspace.open(Path(folder) / "one.sqlite", create=True) as ws:
            with ws.transaction():
                ids = [save_contact(ws, contact) for contact, *_ in people]
                for contact_id, (_, audiences, interactions, links, slug) in zip(
                        ids, people, strict=True):
                    set_audiences(ws, contact_id, audiences)
                    set_interactions(ws, contact_id, interactions)
                    set_links(ws, contact_id, [
                        Link(0, *((other, contact_id) if back else (contact_id, other)),
                             kind, weight, directed, note)
                        for index, kind, weight, directed, back, note in links
                        if (other := ids[index % len(ids)]) != contact_id])
                    if slug and slug not in {p[4] for p in people[:ids.index(contact_id)]}:
                        keep_slug(ws, contact_id, slug)
            records = CONTACT_KIND.records(ws)
        assert len(records) == len(people)
        for uid, record in records.items():
            assert CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, record)) == (uid, record)
        with Workspace.open(Path(folder) / "two.sqlite", create=True) as second:
            with second.transaction():  # as a sync applies them: the larger UIDs first
                for uid in sorted(records, reverse=True):
                    CONTACT_KIND.apply(second, uid, records[uid])
            assert CONTACT_KIND.records(second) == records


@given(st.sampled_from(["email", "phone", "url"]), st.one_of(_LABELS, _TEXT))
def test_a_label_read_back_stays_as_it_is(kind: str, label: str) -> None:
    once = detail_label(kind, label)
    assert detail_label(kind, once) == once
