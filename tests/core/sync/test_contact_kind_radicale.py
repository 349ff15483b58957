"""Contacts' cards PUT to a real Radicale address book (its WSGI app, in process).

Radicale checks every card it is given (it reads it with vobject) and hands back what
it stored: each demo contact must be accepted and read back as the same record.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from radicale_server import InProcessRadicale
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.store.workspace import Workspace

radicale = pytest.importorskip("radicale")

_ADDRESS_BOOK = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop>'
    "<resourcetype><collection/><CR:addressbook/></resourcetype>"
    "<displayname>Team</displayname></prop></set></mkcol>"
)


def test_radicale_stores_every_contact_and_gives_it_back_unchanged(
    demo: Workspace, tmp_path: Path
) -> None:
    server = InProcessRadicale(tmp_path / "radicale")
    server("PROPFIND", "/", headers={"Depth": "0"})  # makes the user's home
    status, answer = server("MKCOL", "/team/book/", _ADDRESS_BOOK,
                            {"Content-Type": "application/xml"})
    assert status.startswith("201"), answer
    records = CONTACT_KIND.records(demo)
    records["odd-one"] = {  # separators, line breaks, labels and names of its own
        **next(iter(records.values())), "name": "Smith; Jones, Ltd", "structured_name": "",
        "organisation": "Smith; Jones, Ltd", "org_units": "Bakery\\;Retail;EMEA",
        "notes": "Line one\nline two, with \\ a backslash;", "tags": ["bread, rye", "x;y"],
        "details": [{"kind": "email", "value": "a;b@example.org", "label": "LinkedIn"},
                    {"kind": "phone", "value": "+1 555 0100 ext. 9", "label": "work fax"}],
        "audiences": [{"platform": "Substack", "handle": "a,b;c", "url": "", "size": 3,
                       "engagement_rate": None, "last_checked_on": None,
                       "topics": ["a;b", "c,d"]}],
        "interactions": [{"happened_on": "2026-01-02", "kind": "gave", "note": "x\ny;z,"}],
        "links": [{"uid": next(iter(records)), "kind": "mentor", "weight": 0.25,
                   "direction": "in", "note": "a;b,c"}]}
    for number, (uid, record) in enumerate(records.items()):
        status, answer = server("PUT", f"/team/book/{number}.vcf",
                                CONTACT_KIND.to_text(uid, record),
                                {"Content-Type": "text/vcard", "If-None-Match": "*"})
        assert status.startswith("201"), (uid, status, answer)
        status, text = server("GET", f"/team/book/{number}.vcf")
        assert status.startswith("200")
        assert CONTACT_KIND.from_text(text) == (uid, record), uid
    assert len(records) == 151
