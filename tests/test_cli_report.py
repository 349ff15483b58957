"""``socialdesk report campaign``: a campaign's report as a PDF from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialdesk.cli import main
from socialdesk.store.workspace import Workspace


def test_report_by_name_writes_a_pdf_with_the_chart(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "holiday.pdf"
    assert main(["report", "campaign", "holiday", "--out", str(out),
                 "--workspace", str(demo_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Wrote the report of Holiday Pre-orders (") and str(out) in printed
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and re.search(rb"/Subtype\s*/Image", data)
    assert b"Holiday Pre-orders" in data  # the document title is plain text


def test_report_by_id_and_the_errors(demo_path: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        first = ws.conn.execute("SELECT id, name FROM campaigns ORDER BY id").fetchone()
    out = tmp_path / "first.pdf"
    assert main(["--workspace", str(demo_path), "report", "campaign", str(first[0]),
                 "--out", str(out)]) == 0
    assert first[1] in capsys.readouterr().out and out.stat().st_size > 1000
    for name, message in (("no such thing", "There is no campaign 'no such thing'"),
                          ("e", "matches several campaigns")):
        assert main(["report", "campaign", name, "--out", str(tmp_path / "x.pdf"),
                     "--workspace", str(demo_path)]) == 1
        assert message in capsys.readouterr().err
    assert main(["report", "campaign", "holiday", "--out", str(tmp_path / "x.txt"),
                 "--workspace", str(demo_path)]) == 1
    assert "ending in .pdf" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_workspace_of_an_earlier_version_is_not_reported_half_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib
    import shutil

    path = tmp_path / "v1.sqlite"
    shutil.copyfile(Path(__file__).parent / "store" / "fixtures" / "workspace-v1.sqlite", path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["report", "campaign", "Autumn", "--out", str(tmp_path / "autumn.pdf"),
                 "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "earlier SocialDesk" in err and "Traceback" not in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "autumn.pdf").exists()
