"""The campaign PDF is written on a worker: progress page by page, Cancel, the same file."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton

from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.reports.campaign_panel import CampaignPanel
from socialdesk.qt.reports.pdf import pdf_chart, write_campaign_pdf
from socialdesk.qt.reports.view import TAB_CAMPAIGNS, ReportsView


@pytest.fixture
def panel(window: MainWindow, qtbot) -> CampaignPanel:
    """The report of the demo's campaign with the most posts (a PDF of several pages)."""
    view = window.show_view("reports")
    assert isinstance(view, ReportsView)
    view.tabs.setCurrentIndex(TAB_CAMPAIGNS)
    qtbot.waitUntil(lambda: view.campaign_panel.report is not None)
    biggest = max((c for c in view.campaign_model.rows if c.campaign_id is not None),
                  key=lambda c: c.posts)
    view.select_campaign(biggest.campaign_id)
    panel = view.campaign_panel
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.facts.name == biggest.name)
    return panel


def save_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(target), "")))


@contextmanager
def workers_held() -> Iterator[None]:
    """Every thread of the shared pool busy until the block ends: work started meanwhile
    waits its turn, so a test can listen to it before it runs."""
    release = threading.Event()
    pool = QThreadPool.globalInstance()
    for _ in range(pool.maxThreadCount()):
        pool.start(lambda: release.wait(30))
    try:
        yield
    finally:
        release.set()


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_the_pdf_is_written_on_a_worker_page_by_page(
        panel: CampaignPanel, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    save_to(monkeypatch, target)
    heard: list[tuple[int, int, int]] = []  # (thread, pages painted, pages)
    with qtbot.waitSignal(panel.status, timeout=60_000) as said, workers_held():
        task = panel.export_pdf()
        assert task is not None and not target.exists()
        task.progressed.connect(lambda done, total: heard.append(
            (threading.get_ident(), done, total)), Qt.ConnectionType.DirectConnection)
    pages = heard[-1][2]
    assert pages > 1
    assert [(done, total) for _, done, total in heard] == [(n, pages) for n in range(pages + 1)]
    assert threading.get_ident() not in {thread for thread, _, _ in heard}
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert page_count(data) == pages
    assert f"to {target} ({pages} pages)" in said.args[0]


def test_cancel_leaves_the_target_as_it_was_and_no_temporary_file(
        panel: CampaignPanel, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.pdf"
    target.write_bytes(b"the report of last week")
    save_to(monkeypatch, target)
    painted, go_on = threading.Event(), threading.Event()

    def first_page(done: int, _total: int) -> None:  # on the worker: wait for the Cancel
        if done == 1:
            painted.set()
            go_on.wait(30)

    with qtbot.waitSignal(panel.status, timeout=60_000) as said:
        with workers_held():
            task = panel.export_pdf()
            assert task is not None
            task.progressed.connect(first_page, Qt.ConnectionType.DirectConnection)
        qtbot.waitUntil(painted.is_set, timeout=30_000)
        dialog = panel.findChild(QProgressDialog)
        assert dialog is not None
        dialog.findChild(QPushButton, "").click()  # Cancel
        go_on.set()
    assert "cancelled" in said.args[0] and str(target) in said.args[0]
    assert list(folder.iterdir()) == [target]
    assert target.read_bytes() == b"the report of last week"


def test_the_pdf_is_the_one_the_gui_thread_would_write(
        panel: CampaignPanel, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = panel.report
    assert report is not None
    target = tmp_path / "worker.pdf"
    save_to(monkeypatch, target)
    with qtbot.waitSignal(panel.status, timeout=60_000):
        panel.export_pdf()
    here = tmp_path / "here.pdf"
    write_campaign_pdf(here, report, pdf_chart(report), source=panel.ws.path.name)

    def unstamped(data: bytes) -> bytes:  # every PDF has its own time and id
        for stamp in (rb"\(D:[0-9Z+'-]*\)", rb"\d{4}-\d\d-\d\dT[\d:+-]+",
                      rb"uuid:[0-9a-f-]+", rb"/ID \[[^\]]*\]"):
            data = re.sub(stamp, b"", data)
        return data

    assert unstamped(target.read_bytes()) == unstamped(here.read_bytes())
