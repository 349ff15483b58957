"""Reading every contact for an export, a batch at a time (three queries per batch)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from socialdesk.store.columns import from_row, select_list
from socialdesk.store.contacts import CONTACT_COLUMNS, DETAIL_COLUMNS, RECORD_COLUMNS
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

BATCH = 2000


@dataclass(frozen=True, slots=True)
class ExportContact:
    """A contact with what only an export needs: its vCard UID, timestamps, extra lines.

    ``vcard_extra``: the lines of the contact's card that SocialDesk has no field for
    (``contacts.vcard_extra``), one per line, written into the card as they are.
    """

    contact: Contact
    uid: str | None
    created_at: str
    updated_at: str
    vcard_extra: str = ""


def contact_total(ws: Workspace) -> int:
    """How many contacts there are."""
    return int(ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0])


def export_batches(ws: Workspace, batch: int = BATCH) -> Iterator[list[ExportContact]]:
    """Every contact with its details and tags, by name, ``batch`` at a time."""
    ids = [r[0] for r in ws.conn.execute(
        "SELECT id FROM contacts ORDER BY name COLLATE NOCASE, id")]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        marks = ", ".join("?" * len(chunk))
        details: dict[int, list[Detail]] = defaultdict(list)
        for row in ws.conn.execute(
            f"SELECT contact_id, {select_list(DETAIL_COLUMNS)} FROM contact_details "
            f"WHERE contact_id IN ({marks}) ORDER BY contact_id, kind, position, id", chunk
        ):
            details[row["contact_id"]].append(from_row(Detail, row, DETAIL_COLUMNS))
        tags: dict[int, list[str]] = defaultdict(list)
        for row in ws.conn.execute(
            f"SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            f"WHERE ct.contact_id IN ({marks}) ORDER BY t.name COLLATE NOCASE", chunk
        ):
            tags[row["contact_id"]].append(row["name"])
        columns = select_list(CONTACT_COLUMNS + RECORD_COLUMNS)
        rows = {
            row["id"]: row for row in ws.conn.execute(
                f"SELECT {columns} FROM contacts WHERE id IN ({marks})", chunk
            )
        }
        yield [
            ExportContact(
                from_row(Contact, rows[i], CONTACT_COLUMNS, details=tuple(details[i]),
                         tags=tuple(tags[i])),
                **{name: rows[i][name] for name in RECORD_COLUMNS},
            )
            for i in chunk if i in rows
        ]


def detail_columns(ws: Workspace) -> dict[str, int]:
    """The most e-mail addresses, phone numbers and web addresses any one contact has."""
    found = {"email": 0, "phone": 0, "url": 0}
    for row in ws.conn.execute(
        "SELECT kind, max(n) AS most FROM (SELECT kind, count(*) AS n FROM contact_details "
        "GROUP BY contact_id, kind) GROUP BY kind"
    ):
        found[row["kind"]] = row["most"]
    return found
