"""The one way work leaves the GUI thread: a worker runs it, the GUI thread hears back.

A :class:`Task` carries one piece of work's progress and its result (or exception) to
the GUI thread; :func:`run_task` runs ``work(progress)`` on a thread pool for it, with
the garbage collector paused. ``progress(done, total)`` reports and returns False once
the task was stopped (:meth:`Task.stop`; work may also watch ``task.stopping``). On top
of it:

- :func:`start_on_worker` returns at once and calls ``done`` later (loads, backups);
- :class:`LatestJob` runs reads where only the latest request matters, on the one reading
  thread (:func:`reads_pool`); a read for a view the user left waits until the view shows
  again (:class:`Presence`), and one for what the user picked goes first (:data:`PICKED`);
- :func:`start_with_dialog` runs ``work(progress)`` behind a window-modal progress dialog
  and calls ``done(result, error)`` on the GUI thread when it ends (imports, exports,
  restores, the backup on close). Cancel makes ``progress`` return False, so the work can
  stop and raise its own cancel error; with ``abandon=True`` a Cancel reports
  :class:`Cancelled` at once and the work's eventual result is dropped (for read-only work
  that cannot stop by itself). With ``cancellable=False`` the dialog has no Cancel button
  (work that cannot stop).

Nothing waits for a result: a caller that needs the answer before it goes on (the import
dialog's next page, closing the window after its backup) continues in ``done``. Work that
writes the workspace (imports, restores, backups) says ``writes=True``: it then runs on
the one writer thread, so writes never overlap, and counts as under way
(:meth:`Writing.under_way`) from its start until its ``done`` returned: closing the window
waits for it (:mod:`socialdesk.qt.backup.control`).

Python runs one thread at a time: every call from Qt into Python (a cell painted, a timer)
waits for the interpreter lock while a worker runs Python, and each thread busy in Python
adds to that wait. So the views' reads take turns on one thread (:func:`reads_pool`)
instead of running side by side. (Workers busy in Python keep the GUI thread's
scheduling priority: one preempted while it holds the lock would hold up the GUI thread.)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from socialdesk.core.gc_pause import collection_paused

Progress = Callable[[int, int], bool]
Done = Callable[[Any, BaseException | None], None]


class Task(QObject):
    """Carries a worker's progress and result to the GUI thread; keep it while it runs."""

    progressed = Signal(int, int)  # done, total
    finished = Signal(object, object)  # result, exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stopping = threading.Event()

    def stop(self) -> None:
        """Ask the work to stop (Cancel, closing): ``progress`` returns False from now on."""
        self.stopping.set()


_lanes: dict[str, QThreadPool] = {}


def lane(name: str) -> QThreadPool:
    """A pool of one thread, the same for every caller of ``name``: its jobs run in turn."""
    if name not in _lanes:
        _lanes[name] = QThreadPool()
        _lanes[name].setMaxThreadCount(1)
    return _lanes[name]


def writer_pool() -> QThreadPool:
    """The one thread that writes the workspace: writes run one after another."""
    return lane("writer")


def reads_pool() -> QThreadPool:
    """The one thread the views read on (:class:`LatestJob`, partners, calendar read-ahead).

    Reads busy in Python gain nothing from running side by side (the interpreter lock lets
    one run at a time) and each one busy at once lengthens the GUI thread's every wait for
    the lock, so they take turns.
    """
    pool = lane("reads")
    pool.setExpiryTimeout(-1)  # keep the thread: no start-up cost per read
    return pool


class Writing(QObject):
    """The writes under way, each from its start until its ``done`` returned."""

    ended = Signal()  # the last write under way was handled: none is left

    def __init__(self) -> None:
        super().__init__()
        self.running: dict[object, str] = {}  # a token per write → what it is

    def begin(self, task: Task, what: str, done: Done) -> Done:
        """Count ``task`` as under way; returns ``done``, which ends it once it returned.

        A task deleted before it reported (its window went) ends too.
        """
        token = object()
        self.running[token] = what
        task.destroyed.connect(lambda: self._end(token))

        def handled(result: Any, error: BaseException | None) -> None:
            try:
                done(result, error)
            finally:
                self._end(token)

        return handled

    def _end(self, token: object) -> None:
        if self.running.pop(token, None) is not None and not self.running:
            self.ended.emit()

    def under_way(self) -> list[str]:
        """What the writes under way are (``"the import of club.ics"``), oldest first."""
        return list(self.running.values())


_writing: list[Writing] = []


def writing() -> Writing:
    """The one record of the writes under way (its ``ended`` says when none is left)."""
    if not _writing:
        _writing.append(Writing())
    return _writing[0]


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], task: Task) -> None:
        super().__init__()
        self.work = work
        self.task = task
        self.stopping = task.stopping  # the task may be deleted before the work ends

    def _progress(self, done: int, total: int) -> bool:
        with contextlib.suppress(RuntimeError):  # the receiver is gone
            self.task.progressed.emit(done, total)
        return not self.stopping.is_set()

    def run(self) -> None:
        try:
            with collection_paused():  # a full GC pass here would freeze the window
                result, error = self.work(self._progress), None
        except Exception as exc:  # handed to the GUI thread, which shows or raises it
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the receiver is gone: nobody to tell
            self.task.finished.emit(result, error)


def run_task(task: Task, work: Callable[[Progress], Any],
             pool: QThreadPool | None = None, priority: int = 0) -> Task:
    """Run ``work(progress)`` on ``pool`` (default: the global one), reporting to ``task``.

    A higher ``priority`` goes ahead of the jobs waiting on the pool.
    """
    (pool or QThreadPool.globalInstance()).start(_Job(work, task), priority)
    return task


def start_on_worker(parent: QObject, work: Callable[[], Any], done: Done, *,
                    writes: bool = False, what: str = "the work under way",
                    pool: QThreadPool | None = None) -> Task:
    """Run ``work`` on a worker thread; call ``done(result, error)`` on the GUI thread.

    Work that ``writes`` the workspace runs on :func:`writer_pool`, after earlier writes;
    ``what`` names it while it is under way (see :func:`writing`). Other work runs on
    ``pool`` (a view's read: :func:`reads_pool`), by default the shared one.
    """
    task = Task(parent)
    task.finished.connect(writing().begin(task, what, done) if writes else done)
    return run_task(task, lambda _progress: work(), writer_pool() if writes else pool)


class Presence(QObject):
    """Whether the user is on a widget (a view), as worker threads can read it.

    ``left`` is set once ``widget`` was hidden (the user opened another view, minimised
    the window) and cleared when it shows again, which ``returned`` announces. A widget
    not shown yet counts as present: it is about to show, or built for a test.
    Reads for a view the user left wait for it to show again (:class:`LatestJob`,
    the calendar's read-ahead): each read busy in Python lengthens the GUI thread's every
    wait for the interpreter lock while the user works in another view.
    """

    returned = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.left = threading.Event()
        self._shown = widget.isVisible()  # Qt also sends hide events to pages never shown
        widget.installEventFilter(self)

    @classmethod
    def of(cls, widget: QWidget) -> Presence:
        """The one ``Presence`` of ``widget`` (each filters every event the widget gets)."""
        found = widget.findChild(cls, "", Qt.FindChildOption.FindDirectChildrenOnly)
        return found if isinstance(found, cls) else cls(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the widget hiding and showing again."""
        kind = event.type()
        if kind == QEvent.Type.Hide and self._shown:
            self.left.set()
        elif kind == QEvent.Type.Show:
            self._shown = True
            if self.left.is_set():
                self.left.clear()
                self.returned.emit()
        return False


_PUT_OFF = object()  # a read's answer when its view was left before its turn came


class PutOff(Exception):
    """Raised by :func:`check_presence` in a read whose view the user left."""


class _Reading(threading.local):
    left: threading.Event | None = None  # the running read's view was left
    pool: QThreadPool | None = None  # the pool whose thread runs it


_reading = _Reading()
PICKED = 1  # the priority of a read for what the user just picked (:class:`LatestJob`)
_picked: list[tuple[QThreadPool, _Job]] = []  # such reads waiting for their turn
_picked_lock = threading.Lock()


def check_presence() -> None:
    """In a :class:`LatestJob`'s work, between two long steps: stop if the user left the view.

    The read is then put off like one whose turn came after the user left: it runs again,
    from the start, when the view shows again. A read for what the user picked
    (``priority=PICKED``) waiting for the same thread runs here first, so it does not
    wait for the rest of this one.
    """
    left = _reading.left
    if left is not None and left.is_set():
        raise PutOff
    if _picked:
        _serve_picked()


def _serve_picked() -> None:
    """Run the picked reads waiting for this thread's pool here, inside the running read."""
    pool = _reading.pool
    with _picked_lock:
        waiting = [job for on, job in _picked if on is pool]
    for job in waiting:
        if pool is not None and pool.tryTake(job):  # False: it started meanwhile
            saved = _reading.left, _reading.pool
            try:
                job.run()
            finally:
                _reading.left, _reading.pool = saved


class LatestJob(QObject):
    """Runs reads off the GUI thread and reports only the latest request's answer.

    Requests run on the one reading thread (:func:`reads_pool`), in turn with the other
    views' reads; a request still waiting when a newer one is made does nothing when its
    turn comes, and an answer that arrives after a newer request was made is ignored.
    When ``parent`` is a widget the user left (:class:`Presence`) by the time a request's
    turn comes, or at a :func:`check_presence` in its work, the request is put off: it runs
    once the widget shows again (``pending`` stays True meanwhile), so the views the user
    works in get the reading thread and the interpreter lock. With ``priority=PICKED``
    (a read for what the user just picked) a request goes ahead of the reads waiting and
    runs at the next :func:`check_presence` of the read running.
    """

    finished = Signal(object)  # the work's result
    failed = Signal(object)  # the exception it raised

    def __init__(self, parent: QObject | None = None, priority: int = 0) -> None:
        super().__init__(parent)
        self.pool = reads_pool()
        self.priority = priority
        self.token = 0
        self.pending = False
        self._latest = [0]  # the token of the latest request, as the reading thread sees it
        self._task = Task()  # no parent: a running request may outlive the view
        self._task.finished.connect(self._done)
        self._work: Callable[[], Any] | None = None  # the latest request's
        self._put_off = False  # the latest request waits for the widget to show again
        self.presence = Presence.of(parent) if isinstance(parent, QWidget) else None
        if self.presence is not None:
            self.presence.returned.connect(self._returned)

    def follow(self, widget: QWidget) -> None:
        """Be put off while the user is away from ``widget`` instead of the parent.

        For a panel on a tab of a view: a tab page never shown is never hidden, so it is
        the view the user leaves.
        """
        if self.presence is not None:
            self.presence.returned.disconnect(self._returned)
        self.presence = Presence.of(widget)
        self.presence.returned.connect(self._returned)

    def start(self, work: Callable[[], Any]) -> None:
        """Run ``work()`` after whatever runs now; earlier waiting requests are dropped."""
        self.token += 1
        self._latest[0] = self.token
        self.pending = True
        self._work, self._put_off = work, False
        token, latest = self.token, self._latest
        left = self.presence.left if self.presence is not None else None

        def tagged(_progress: Progress) -> tuple[int, Any, Exception | None]:
            if job is not None:
                with _picked_lock:
                    _picked.remove((pool, job))
            if latest[0] != token:
                return token, None, None  # a newer request was made while this one waited
            if left is not None and left.is_set():
                return token, _PUT_OFF, None  # the user left the view: run it on return
            _reading.left, _reading.pool = left, pool
            try:
                return token, work(), None
            except PutOff:  # left while it ran (check_presence)
                return token, _PUT_OFF, None
            except Exception as exc:  # delivered with its token
                return token, None, exc
            finally:
                _reading.left = _reading.pool = None

        pool = self.pool
        job: _Job | None = None
        if self.priority >= PICKED:  # also served at a check_presence of the running read
            job = _Job(tagged, self._task)
            with _picked_lock:
                _picked.append((pool, job))
            pool.start(job, self.priority)
        else:
            run_task(self._task, tagged, pool, self.priority)

    def cancel(self) -> None:
        """Forget every request made so far (a running one finishes unheard)."""
        self.token += 1
        self._latest[0] = self.token
        self.pending = False
        self._work, self._put_off = None, False

    def wait(self, msecs: int = -1) -> bool:
        """Block until no read runs (for closing and tests); False on timeout."""
        return self.pool.waitForDone(msecs)

    def _done(self, answer: tuple[int, Any, Exception | None], _error: object) -> None:
        token, result, error = answer
        if token != self.token:
            return
        if result is _PUT_OFF:
            self._put_off = True  # pending still
            return
        self.pending = False
        self._work = None
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def _returned(self) -> None:
        """The widget shows again: run the request put off meanwhile."""
        if self._put_off and self._work is not None:
            self.start(self._work)


class RecurringWriter(QObject):
    """Work the window runs now and then on the writer thread, one run at a time.

    Publishing due posts and team sync are such work: ``timer`` (single shot, started
    after ``first_ms``) calls ``tick``; :meth:`start_task` runs a job; ``busy`` while it
    runs; :meth:`stop` on closing. The ``done`` callback sets ``task`` back to None.
    """

    def __init__(self, parent: QWidget, tick: Callable[[], object], first_ms: int) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(tick)
        self.timer.start(first_ms)

    @property
    def busy(self) -> bool:
        """True while a run is under way."""
        return self.task is not None

    def stop(self) -> None:
        """No more runs, and one under way stops at its next step (closing)."""
        self.timer.stop()
        if self.task is not None:
            self.task.stop()

    def start_task(self, work: Callable[[Progress], Any], done: Done) -> Task:
        """Run ``work`` on the writer thread; ``done(result, error)`` on the GUI thread."""
        self.task = Task(self)
        self.task.finished.connect(done)
        run_task(self.task, work, writer_pool())
        return self.task


class Cancelled(Exception):
    """The user cancelled work that was abandoned rather than stopped."""


_SHOWING: set[QProgressDialog] = set()  # dialogs of work under way (kept alive)


def start_with_dialog(parent: QWidget | None, label: str, work: Callable[[Progress], Any],
                      done: Done, *, abandon: bool = False, cancellable: bool = True,
                      writes: bool = False, what: str = "the work under way") -> Task:
    """Run ``work(progress)`` behind a window-modal progress dialog and return at once.

    ``done(result, error)`` runs on the GUI thread once the work ended and the dialog
    closed; after a Cancel of ``abandon`` work, at once with a :class:`Cancelled` error.
    Work that ``writes`` the workspace runs on :func:`writer_pool`, after earlier writes;
    ``what`` names it while it is under way (see :func:`writing`).
    """
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setValue(0)  # without a value the dialog keeps Qt's 4 s delay, whatever is set
    dialog.setMinimumDuration(500 if cancellable else 400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(dialog)
    _SHOWING.add(dialog)
    if writes:
        done = writing().begin(task, what, done)

    def end(result: Any, error: BaseException | None) -> None:
        if dialog not in _SHOWING:
            return  # abandoned: its result is dropped
        _SHOWING.discard(dialog)
        dialog.close()
        dialog.deleteLater()
        done(result, error)

    def progressed(finished: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(finished, max(total, 1)))

    def cancel() -> None:
        task.stop()
        if abandon:
            end(None, Cancelled())

    task.progressed.connect(progressed)
    task.finished.connect(end)
    dialog.canceled.connect(cancel)
    return run_task(task, work, writer_pool() if writes else None)

