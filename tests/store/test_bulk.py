"""Bulk writes on a real SQLite file: a bulk load indexes its contacts as the triggers do."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.store import bulk, contacts
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

CONTACTS = [(1, "Zoë Müller", "Corner Café", "Buys rye."), (2, "Tom Baker", "", ""),
            (3, "Ada Lovelace", "Engine Works", "Allergic to nuts.")]
DETAILS = [(1, "email", "zoe@corner.example", "home", 0), (1, "phone", "+44 7700 900123", "", 0),
           (1, "email", "zoe@work.example", "work", 1), (3, "email", "ada@engine.example", "", 0)]


def load(path: Path, *, in_bulk: bool) -> list[tuple[object, ...]]:
    """Write CONTACTS with their details and tags; the search index's rows."""
    with Workspace.open(path, create=True) as ws:
        with ws.transaction():
            tags = bulk.upsert_names(ws, "tags", ("vip", "market"))
            rows = {"contact_details": (("contact_id", "kind", "value", "label", "position"),
                                        DETAILS),
                    "contact_tags": (("contact_id", "tag_id"),
                                     [(1, tags["vip"]), (1, tags["market"]), (2, tags["vip"])]),
                    "contacts": (("id", "name", "organisation", "notes"), CONTACTS)}
            if in_bulk:
                with bulk.loading(ws):
                    for table, (columns, values) in rows.items():
                        bulk.insert_rows(ws, table, columns, values)
            else:
                bulk.defer_foreign_keys(ws)
                for table, (columns, values) in rows.items():
                    bulk.insert_rows(ws, table, columns, values)
        return ws.conn.execute("SELECT rowid, * FROM contacts_fts ORDER BY rowid").fetchall()


def test_a_bulk_load_indexes_its_contacts_as_the_triggers_do(tmp_path: Path) -> None:
    assert load(tmp_path / "bulk.sqlite", in_bulk=True) == \
        load(tmp_path / "one_by_one.sqlite", in_bulk=False)
    with Workspace.open(tmp_path / "bulk.sqlite") as ws:
        assert [r.name for r in contacts.contact_rows(ws, ContactQuery("zoe@work"))] == \
            ["Zoë Müller"]
        # Afterwards, contacts are indexed as they are saved again.
        contacts.save_contact(ws, Contact(id=0, name="Nadia Okafor"))
        assert [r.name for r in contacts.contact_rows(ws, ContactQuery("okaf"))] == \
            ["Nadia Okafor"]


def test_a_failed_bulk_load_leaves_nothing_behind(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.sqlite", create=True) as ws:
        with pytest.raises(RuntimeError), ws.transaction(), bulk.loading(ws):
            bulk.insert_rows(ws, "contacts", ("id", "name"), [(1, "Half Written")])
            raise RuntimeError("interrupted")
        assert ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
        contacts.save_contact(ws, Contact(id=0, name="Nadia Okafor"))
        assert [r.name for r in contacts.contact_rows(ws, ContactQuery("nadia"))] == \
            ["Nadia Okafor"]
