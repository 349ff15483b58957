"""A file read for review keeps its contacts on disk, in order, until it is forgotten."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from socialdesk.core.contacts.importing import ImportCancelled, parse_file
from socialdesk.core.contacts.importing.stage import stage_file


def _people(path: Path, rows: int) -> Path:
    lines = ["Name,E-mail,Notes"] + [f"Person {i},p{i}@example.com,\"note\nof {i}\""
                                     for i in range(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_staged_file_reads_back_as_parsed(tmp_path: Path) -> None:
    source = _people(tmp_path / "people.csv", 12_000)
    staged = stage_file(source)
    whole = parse_file(source)
    assert len(staged.contacts) == 12_000
    assert list(staged.contacts) == list(whole.contacts)
    assert staged.contacts[5_001] == whole.contacts[5_001]
    assert staged.contacts[-1].line == whole.contacts[-1].line == 2 * 12_000
    assert staged.contacts[:3] == list(whole.contacts[:3])
    stage_path = staged.contacts.stage.path  # type: ignore[attr-defined]
    assert stage_path.exists()
    del staged
    gc.collect()
    assert not stage_path.exists()


def test_reading_for_review_can_be_cancelled(tmp_path: Path) -> None:
    source = _people(tmp_path / "people.csv", 6_000)
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        stage_file(source, progress=lambda done, total: bool(seen.append((done, total))))
    assert seen and seen[0][1] == source.stat().st_size
