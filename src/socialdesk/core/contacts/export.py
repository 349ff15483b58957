"""Contacts export: vCard 4.0 (or 3.0) and CSV, written atomically.

``export_contacts`` is what the CLI (``socialdesk export contacts``) and File → Export…
call. The file is written to a temporary beside its target and moved in only when the
whole export succeeded. CSV: UTF-8 with a byte-order mark (Excel reads the accents
right), Google-style numbered columns for e-mail addresses, phones and web addresses
(``E-mail 1 - Label``, ``E-mail 1 - Value`` …) so that SocialDesk and other address books
import it back, and every cell through
:func:`~socialdesk.core.csvsafe.neutralise_cell`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from socialdesk.core.atomic import ExportCancelled, ExportError, atomic_open
from socialdesk.core.contacts.fields import OWN_FIELDS
from socialdesk.core.contacts.vcard_write import VERSIONS, card
from socialdesk.core.csvsafe import neutralise_cell
from socialdesk.store.contacts_export import (
    ExportContact,
    contact_total,
    detail_columns,
    export_batches,
)
from socialdesk.store.workspace import Workspace

CONTACT_FORMATS = ("vcard", "csv")
CSV_ENCODING = "utf-8-sig"
CSV_FIELDS = ("Name", "Organisation", *(own.csv_title for own in OWN_FIELDS))
CSV_TAIL = ("Tags", "Notes", "UID")
_NUMBERED = (("email", "E-mail"), ("phone", "Phone"), ("url", "Website"))
Progress = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class ContactExportResult:
    """What a contacts export wrote."""

    format: str
    path: Path
    contacts: int


def _check_target(out: Path) -> None:
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to.")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist; create the folder first.")


def tag_cell(tags: tuple[str, ...]) -> str:
    """Tags in one cell, separated so that an import splits them back the same way."""
    separator = " ::: " if any(";" in tag for tag in tags) else "; "
    return separator.join(tags)


def csv_header(columns: dict[str, int]) -> list[str]:
    """The header row for the given number of numbered columns per detail kind."""
    header = list(CSV_FIELDS)
    for kind, title in _NUMBERED:
        for number in range(1, columns.get(kind, 0) + 1):
            header += [f"{title} {number} - Label", f"{title} {number} - Value"]
    return header + list(CSV_TAIL)


def csv_row(item: ExportContact, columns: dict[str, int]) -> list[str]:
    """One contact as CSV cells (not yet neutralised)."""
    contact = item.contact
    row = [contact.name, contact.organisation, *(own.text(contact) for own in OWN_FIELDS)]
    for kind, _ in _NUMBERED:
        details = [d for d in contact.details if d.kind == kind]
        for number in range(columns.get(kind, 0)):
            detail = details[number] if number < len(details) else None
            row += [detail.label, detail.value] if detail else ["", ""]
    return [*row, tag_cell(contact.tags), contact.notes, item.uid or ""]


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled("Export cancelled; nothing was written.")


def _write_vcards(ws: Workspace, handle: IO[bytes], version: str, total: int,
                  progress: Progress | None) -> int:
    written = 0
    for batch in export_batches(ws):
        handle.write("".join(card(item, version) for item in batch).encode("utf-8"))
        written += len(batch)
        _tick(progress, written, total)
    return written


def _write_csv(ws: Workspace, handle: IO[str], total: int, progress: Progress | None) -> int:
    columns = detail_columns(ws)
    writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in csv_header(columns)])
    written = 0
    for batch in export_batches(ws):
        writer.writerows([neutralise_cell(c) for c in csv_row(item, columns)] for item in batch)
        written += len(batch)
        _tick(progress, written, total)
    return written


def export_contacts(
    ws: Workspace,
    out: Path | str,
    fmt: str,
    *,
    vcard_version: str = "4.0",
    progress: Progress | None = None,
) -> ContactExportResult:
    """Write every contact to ``out`` as ``"vcard"`` or ``"csv"``.

    ``progress(done, total)`` is called after each batch; returning False cancels
    (:class:`ExportCancelled`). Raises :class:`ExportError` for a bad format, version or
    target; on any failure the file already at ``out`` is left as it was.
    """
    if fmt not in CONTACT_FORMATS:
        raise ExportError(f"Unknown contacts format {fmt!r}; use vcard or csv.")
    if vcard_version not in VERSIONS:
        raise ExportError(f"vCard version {vcard_version!r}: use 4.0 or 3.0.")
    out = Path(out).expanduser()
    _check_target(out)
    total = contact_total(ws)
    _tick(progress, 0, total)
    try:
        if fmt == "vcard":
            with atomic_open(out, binary=True) as handle:
                written = _write_vcards(ws, handle, vcard_version, total, progress)
        else:
            with atomic_open(out, encoding=CSV_ENCODING) as handle:
                written = _write_csv(ws, handle, total, progress)
    except OSError as error:
        raise ExportError(f"Cannot write {out}: {error.strerror or error}.") from error
    return ContactExportResult(fmt, out, written)
