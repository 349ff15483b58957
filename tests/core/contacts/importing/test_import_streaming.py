"""A vCard file and a hand-mapped CSV are read a chunk at a time, never held whole; a
file of rows left out lists a bounded number of problems."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.core.contacts.import_mapping import (
    PREVIEW_ROWS,
    apply_mapping,
    preview_mapping,
    read_table,
    stream_mapping,
)
from socialdesk.core.contacts.importing import (
    ContactImportError,
    import_contacts,
    parse_file,
    vcard_syntax,
)
from socialdesk.core.contacts.importing.importer import stream_file
from socialdesk.core.contacts.importing.model import MAX_PROBLEMS
from socialdesk.core.contacts.importing.stage import stage_file, stage_stream
from socialdesk.store.workspace import Workspace

CHUNK = 5000  # contacts per chunk (vcard.CHUNK, import_mapping.CHUNK)


def _cards(path: Path, count: int, photo: int = 0) -> Path:
    """``count`` cards, each with a folded photo of about ``photo`` bytes when asked."""
    picture = "".join(f"\r\n {'QUJD' * 18}" for _ in range(photo // 72))
    with path.open("w", encoding="utf-8", newline="") as handle:
        for i in range(count):
            handle.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
                         f"EMAIL;TYPE=HOME:p{i}@example.com\r\nTEL;TYPE=CELL:+33 6 {i:08d}\r\n"
                         f"NOTE:a note about person {i} that is folded over\r\n"
                         f"  two lines\r\nCATEGORIES:Friends\r\n")
            if photo:
                handle.write(f"PHOTO;ENCODING=b;TYPE=JPEG:{picture}\r\n")
            handle.write("END:VCARD\r\n")
    return path


def _rows(path: Path, count: int, history: int = 0) -> Path:
    """A CSV whose columns no layout knows; ``history``: characters of a fourth column."""
    lines = ["Who;Mail;Firm;History"] + [f"Person {i};p{i}@example.com;Firm {i % 7};"
                                         f"{'x' * history}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _peak(work: Callable[[], object]) -> int:
    """Python's peak memory (bytes) while ``work`` runs, above what it started with."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_a_vcard_file_comes_a_chunk_at_a_time(tmp_path: Path) -> None:
    source = _cards(tmp_path / "people.vcf", 25_000)
    stream = stream_file(source)
    first = next(stream.chunks)
    assert [p.contact.name for p in first.contacts[:2]] == ["Person 0", "Person 1"]
    assert len(first.contacts) == CHUNK
    assert first.done < stream.size / 2  # the rest of the file is not read yet
    second = next(stream.chunks)
    assert second.contacts[0].contact.name == "Person 5000"
    assert second.contacts[0].line == 5000 * 10 + 1


def test_reading_a_vcard_file_holds_one_chunk_of_cards(tmp_path: Path) -> None:
    source = _cards(tmp_path / "people.vcf", 2_000, photo=4_000)  # 8 MB; held whole: 24 MB

    def read() -> None:
        count = 0
        for chunk in stream_file(source).chunks:
            count += len(chunk.contacts)
        assert count == 2_000

    peak = _peak(read)
    assert peak < 14 * 2**20, peak


def test_a_legacy_vcard_read_in_chunks_keeps_its_order_and_guess(tmp_path: Path) -> None:
    cards = [f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann {i}\r\nEND:VCARD\r\n".encode()
             for i in range(7)]
    cards[3] = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Noël\r\nEND:VCARD\r\n".encode("cp1252")
    source = tmp_path / "legacy.vcf"
    source.write_bytes(b"".join(cards))
    stream = stream_file(source)
    names = [p.contact.name for chunk in stream.chunks for p in chunk.contacts]
    assert names == ["Ann 0", "Ann 1", "Ann 2", "Zoë Noël", "Ann 4", "Ann 5", "Ann 6"]
    assert stream.encoding != "utf-8"
    assert parse_file(source).encoding == stream.encoding


def test_an_endless_folded_vcard_line_fails_with_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vcard_syntax, "MAX_LINE", 1 << 20)
    source = tmp_path / "endless.vcf"
    with source.open("wb") as handle:
        handle.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:x")
        handle.write(b"\r\n " + b"y" * 70_000 * 20)  # never folded back: one 1.4 MB line
        for _ in range(40):
            handle.write(b"\r\n " + b"y" * 70_000)
        handle.write(b"\r\nEND:VCARD\r\n")
    with pytest.raises(ContactImportError, match=r"line 4: this line is longer than 1 MB"):
        parse_file(source)


def test_a_mapped_csv_keeps_only_its_first_rows(tmp_path: Path) -> None:
    table = read_table(_rows(tmp_path / "odd.csv", 12_000))
    assert len(table.rows) == PREVIEW_ROWS and table.count == 12_000
    assert table.samples(0) == ["Person 0", "Person 1", "Person 2"]
    mapping = ["name", "email", "organisation", "ignore"]
    preview = preview_mapping(table, mapping)
    assert len(preview.contacts) == PREVIEW_ROWS
    stream = stream_mapping(table, mapping)
    first = next(stream.chunks)
    assert len(first.contacts) == CHUNK
    whole = apply_mapping(table, mapping)
    assert len(whole.contacts) == 12_000
    assert whole.contacts[-1].line == 12_001 and whole.contacts[-1].contact.name == "Person 11999"
    assert whole.contacts[:PREVIEW_ROWS] == preview.contacts


def test_reviewing_a_mapped_csv_holds_one_chunk_of_rows(tmp_path: Path) -> None:
    source = _rows(tmp_path / "odd.csv", 15_000, history=500)  # 7 MB; held whole: 59 MB

    def review() -> None:
        table = read_table(source)
        mapping = ["name", "email", "organisation", "ignore"]
        staged = stage_stream(stream_mapping(table, mapping), source)
        assert len(staged.contacts) == 15_000
        staged.contacts.close()  # type: ignore[attr-defined]

    peak = _peak(review)
    assert peak < 30 * 2**20, peak


def test_a_mapped_csv_with_a_broken_row_far_down_names_its_line(tmp_path: Path) -> None:
    source = _rows(tmp_path / "odd.csv", 3_000)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("Late;late@example.com;Firm;;and;more\n")
    with pytest.raises(ContactImportError, match="line 3002: this row has 6 fields"):
        read_table(source)


def test_a_legacy_encoded_csv_is_not_held_whole_to_guess_its_encoding(tmp_path: Path) -> None:
    source = tmp_path / "legacy.csv"
    row = "Zoë Noël;zoe@example.com;Café Crème;" + "é" * 200 + "\n"
    source.write_bytes(("Name;E-mail;Company;Notes\n" + row * 40_000).encode("cp1252"))
    # 10 MB: held whole with its lines split, choosing the encoding took 28 MB.
    streams = []
    peak = _peak(lambda: streams.append(stream_file(source)))
    assert peak < 16 * 2**20, peak
    assert streams[0].encoding == "cp1252"
    assert next(streams[0].chunks).contacts[0].contact.name == "Zoë Noël"


def test_a_file_of_rows_left_out_lists_a_bounded_number_of_problems(
        tmp_path: Path, workspace: Workspace) -> None:
    source = tmp_path / "nameless.csv"
    source.write_text("Name,Phone,E-mail\n" + "".join(f",+44 {i:08d},not-an-address-{i}\n"
                                                      for i in range(6_000)), encoding="utf-8")
    report = import_contacts(workspace, source)  # two problems a row: 12,000
    assert report.imported == 0 and report.skipped == 6_000
    assert len(report.problems) == MAX_PROBLEMS + 1
    assert report.problems[0].line == 2 and "not an e-mail address" in report.problems[0].message
    last = report.problems[-1]
    assert last.line == 5_002 and last.message.startswith("… and 2,000 more problems")
    staged = stage_file(source)
    assert staged.problems == report.problems


def test_rows_left_out_end_their_chunk_too(tmp_path: Path) -> None:
    source = tmp_path / "nameless.csv"
    source.write_text("Name,Phone\n" + "".join(f",+44 {i:08d}\n" for i in range(12_000)),
                      encoding="utf-8")
    chunks = list(stream_file(source).chunks)
    assert max(len(chunk.problems) for chunk in chunks) <= CHUNK
    assert sum(chunk.skipped for chunk in chunks) == 12_000
