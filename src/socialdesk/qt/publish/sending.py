"""Publishing from the window: "Publish now", due posts every few minutes, Refresh results.

While the window is open it sends the posts whose time has passed (Bluesky's above all:
Mastodon keeps its scheduled posts itself) every :data:`DUE_EVERY_MS`, the first time
:data:`FIRST_DUE_MS` after opening. Each run is one job on the writer thread with a
workspace connection of its own, so the window never waits for a server; it reports in
the status bar, and a problem also in a message that does not block the window.
The network code (httpx) is imported by the first job, not when the window opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from socialdesk import APP_NAME
from socialdesk.core.changes import POST_ROWS, Changes
from socialdesk.qt.workers import Progress, RecurringWriter
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.publish.publishing import Outcome
    from socialdesk.core.publish.results import FetchReport

DUE_EVERY_MS = 5 * 60 * 1000
FIRST_DUE_MS = 60 * 1000
PROBLEMS = ("refused", "failed", "unknown")
RESULTS = Changes.of("posts", "asks", "interactions")  # what reading results may change


def summary(outcomes: list[Outcome]) -> str:
    """One line per account: where it went, or why not (naming the account once)."""
    return "\n".join(o.message if o.account.handle in o.message
                     else f"{o.account.handle}: {o.message}" for o in outcomes)


class Window(Protocol):
    """What publishing needs of the main window."""

    ws: Workspace

    def statusBar(self) -> QStatusBar: ...  # noqa: D102

    def written_by_worker(self, changes: Changes) -> None: ...  # noqa: D102


class PublishControl(RecurringWriter):
    """The window's publishing: one job at a time on the writer thread."""

    def __init__(self, window: Window) -> None:
        super().__init__(cast(QWidget, window), self.send_due, FIRST_DUE_MS)
        self.window = window
        self.message: QMessageBox | None = None
        self.warned: set[str] = set()  # due runs' problems already shown: not every 5 min

    def _start(self, work: Any, done: Any) -> bool:
        """Run ``work(publisher, progress)`` on the writer thread, on a connection of its own.

        ``progress`` returns False once :meth:`stop` was called: long work stops there.
        """
        from socialdesk.store import publishing  # its dataclasses: not at startup

        ws = self.window.ws
        if self.busy or ws.readonly or not publishing.accounts(ws):
            return False
        path = ws.path

        def job(progress: Progress) -> Any:
            from socialdesk.core.publish.publishing import Publisher  # httpx: not at startup

            with Workspace.open(path) as own, Publisher(own) as publisher:
                return work(publisher, progress)

        self.start_task(job, done)
        return True

    def send_due(self) -> bool:
        """Send the due posts now (and again in a few minutes); False when nothing to do."""
        self.timer.start(DUE_EVERY_MS)
        return self._start(lambda publisher, progress: publisher.due(progress),
                           self._sent_due)

    def publish_now(self, post_id: int) -> None:
        """Send a post to its connected accounts now, whatever its date."""
        if self.busy:
            self.window.statusBar().showMessage("Still publishing: try again in a moment.",
                                                10000)
            return
        if not self._start(lambda publisher, _: publisher.publish(post_id, at_once=True),
                           self._sent):
            self._warn("Connect a Mastodon or Bluesky account first (Edit → Settings… → "
                       "Accounts)." if not self.window.ws.readonly else
                       "This workspace is open read-only: nothing can be published.")
            return
        self.window.statusBar().showMessage("Publishing…", 30000)

    def refresh_results(self) -> None:
        """Read back what the published posts gathered and who shared them."""
        def fetch(publisher: Any, progress: Progress) -> FetchReport:
            from socialdesk.core.publish.results import fetch_results

            return fetch_results(publisher.ws, progress=progress)

        if self.busy:
            self.window.statusBar().showMessage("Still publishing: try again in a moment.",
                                                10000)
        elif not self._start(fetch, self._fetched):
            self._warn("Connect a Mastodon or Bluesky account first (Edit → Settings… → "
                       "Accounts).")
        else:
            self.window.statusBar().showMessage("Reading results…", 30000)

    def _fetched(self, report: FetchReport | None, error: BaseException | None) -> None:
        self.task = None
        if error is not None:
            raise error
        assert report is not None
        self.window.written_by_worker(RESULTS)
        lines = [f"Read the results of {report.read} "
                 f"{'post' if report.read == 1 else 'posts'}.", *report.shared,
                 *report.reshares]
        self.window.statusBar().showMessage("  ".join(lines), 15000)
        if report.problems:
            self._warn("Some results could not be read:\n\n" + "\n".join(report.problems))

    def _sent_due(self, outcomes: list[Outcome] | None, error: BaseException | None) -> None:
        """As :meth:`_sent`, but a problem already shown is not shown again."""
        fresh = [o for o in outcomes or [] if o.state not in PROBLEMS
                 or f"{o.post_id} {o.account.id} {o.message}" not in self.warned]
        self.warned.update(f"{o.post_id} {o.account.id} {o.message}" for o in outcomes or []
                           if o.state in PROBLEMS)
        self._sent(fresh, error)

    def _sent(self, outcomes: list[Outcome] | None, error: BaseException | None) -> None:
        from socialdesk.core.publish.web import PublishError

        self.task = None
        if error is not None:
            if not isinstance(error, PublishError | LookupError):
                raise error
            self.window.statusBar().showMessage("Nothing was published: see the message.",
                                                15000)
            self._warn(str(error))
            return
        outcomes = outcomes or []
        if any(o.state in ("sent", "scheduled") for o in outcomes):
            self.window.written_by_worker(POST_ROWS)
        problems = [o for o in outcomes if o.state in PROBLEMS]
        done = [o for o in outcomes if o.state not in PROBLEMS]
        if done:
            self.window.statusBar().showMessage(summary(done).replace("\n", "  "), 15000)
        elif problems:  # not "Publishing…" still
            self.window.statusBar().showMessage("Nothing was published: see the message.",
                                                15000)
        if problems:
            self._warn("Not everything was published:\n\n" + summary(problems))

    def _warn(self, text: str) -> None:
        """A message that does not block the window (nor a test)."""
        if self.message is not None:
            self.message.close()
        self.message = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text,
                                   QMessageBox.StandardButton.Ok, cast(QWidget, self.window))
        self.message.open()
