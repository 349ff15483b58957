"""Fuzzing: any input gives a result or a ContactImportError, and a failure writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialdesk.core.contacts.importing import ContactImportError, import_contacts, parse_bytes
from socialdesk.core.contacts.importing.csv_layouts import SIGNATURES
from socialdesk.store.contact_import import count_all
from socialdesk.store.workspace import Workspace

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Building blocks that reach deep into the readers rather than failing at the first byte.
_VCARD_LINES = st.sampled_from([
    b"BEGIN:VCARD", b"END:VCARD", b"VERSION:2.1", b"VERSION:4.0", b"FN:Ann", b"N:Lee;Ann;;;",
    b"ORG:Acme\\;Inc;Dept", b"EMAIL;TYPE=work:ann@example.com", b"item1.EMAIL:x@y.z",
    b"item1.X-ABLabel:_$!<Home>!$_", b"TEL;CELL:123", b"URL:http\\://x.example",
    b"NOTE;ENCODING=QUOTED-PRINTABLE:a=", b"N;CHARSET=SHIFT_JIS:\x88\xc0\x93\xa1",
    b"FN;CHARSET=NOPE;ENCODING=QUOTED-PRINTABLE:=F1=", b"FN;ENCODING=QUOTED-PRINTABLE:Iksi=F1ski",
    b" folded", b"\tfolded", b"=C3=91", b"PHOTO;ENCODING=b:iVBORw0KGgo=", b"AGENT:", b"",
    b"CATEGORIES:a,b\\,c", b'TEL;TYPE="a,b":tel:+1', b"FN", b":", b";;;", b"\xff\xfe\x00",
])
_CSV_CELLS = st.one_of(
    st.sampled_from(sorted({h for signs, _ in SIGNATURES.values() for h in signs})),
    st.sampled_from(["Name", "E-mail", "Phone", "", '"', '""', "a@b.c", "x ::: y", "\n", "\r"]),
    st.text(max_size=12),
)
_DELIMITERS = st.sampled_from([",", ";", "\t"])
_CSV_ROWS = st.lists(st.lists(_CSV_CELLS, min_size=1, max_size=8), min_size=1, max_size=10)
# Mostly one delimiter per file; sometimes one per row (the mixed-delimiter failure).
_CSV_TEXT = st.one_of(
    st.tuples(_DELIMITERS, _CSV_ROWS).map(lambda t: "\n".join(t[0].join(r) for r in t[1])),
    st.lists(st.tuples(_DELIMITERS, st.lists(_CSV_CELLS, max_size=6)), min_size=1, max_size=8)
    .map(lambda rows: "\n".join(d.join(cells) for d, cells in rows)),
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "cp932"])


def _parse_or_fail(data: bytes, fmt: str) -> None:
    try:
        parse_bytes(data, "fuzz.dat", fmt)
    except ContactImportError as error:
        assert str(error).startswith("fuzz.dat")


@FUZZ
@given(data=st.binary(max_size=600), fmt=st.sampled_from(["auto", "csv", "vcard", "google"]))
def test_any_bytes(data: bytes, fmt: str) -> None:
    _parse_or_fail(data, fmt)


@FUZZ
@given(lines=st.lists(_VCARD_LINES, max_size=30), ending=st.sampled_from([b"\r\n", b"\n", b"\r"]))
def test_vcard_like_input(lines: list[bytes], ending: bytes) -> None:
    _parse_or_fail(ending.join(lines), "vcard")
    _parse_or_fail(ending.join(lines), "auto")


@FUZZ
@given(text=_CSV_TEXT, encoding=_ENCODINGS)
def test_csv_like_input(text: str, encoding: str) -> None:
    _parse_or_fail(text.encode(encoding, errors="replace"), "auto")


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.open(tmp_path_factory.mktemp("fuzz") / "w.sqlite", create=True)
    yield ws
    ws.close()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(_VCARD_LINES, max_size=20).map(b"\r\n".join),
        _CSV_TEXT.map(str.encode),
    )
)
def test_import_is_all_or_nothing(data: bytes, shared_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.dat"
    path.write_bytes(data)
    before = count_all(shared_ws)
    try:
        report = import_contacts(shared_ws, path)
    except ContactImportError:
        assert count_all(shared_ws) == before
    else:
        after = count_all(shared_ws)
        assert after["contacts"] == before["contacts"] + report.imported
    assert shared_ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert not shared_ws.conn.in_transaction
