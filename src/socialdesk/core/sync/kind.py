"""What the sync engine needs of each kind of item it carries (posts, asks, contacts, …).

The engine never looks inside an item: it compares :data:`Record` values (field name →
JSON value) with the last version both sides agreed on, merges changes to different
fields, and reports the same field changed on both sides as a conflict. Each kind turns
its rows into records and back, and a record into the text the server stores (an
iCalendar object for a calendar, a vCard 4.0 for an address book).

Items refer to each other by UID (an ask names its post's and its partner's UID), never
by a local row id: ids differ between computers. The engine applies kinds in the order
of :data:`KIND_ORDER` so that what an item refers to exists before it.
"""

from __future__ import annotations

from typing import Literal, Protocol, TypeAlias

from socialdesk.store.workspace import Workspace

Value: TypeAlias = "str | int | float | bool | list[Value] | dict[str, Value] | None"
Record: TypeAlias = dict[str, Value]
"""One item as the sync compares it. Canonical: the same data always gives an equal dict
(lists in a stable order, no float noise, '' rather than None where the store has '')."""

KIND_ORDER: tuple[str, ...] = ("settings", "campaign", "contact", "post", "ask")
FORMERLY: dict[str, str] = {"ask": "calendar"}
"""The collection a kind's items lived in before their own (see :attr:`Kind.collection`)."""


class SyncFormatError(ValueError):
    """A server's item that cannot be read as its kind (the message says why)."""


class ItemDeferred(LookupError):
    """A server's item that cannot be stored yet (what it needs is not here).

    Nothing was written. The engine tries it again after the other items, then keeps it
    aside and tries it again at every sync (``waiting.py``). ``same_as``: the local item
    (another UID) that is the same thing, made here before the two computers synced (an
    ask of the same partner about the same post): when that one was never synced, the
    engine takes the server's in its place.
    """

    def __init__(self, message: str, same_as: str | None = None) -> None:
        super().__init__(message)
        self.same_as = same_as


class Kind(Protocol):
    """One kind of synced item; ``name`` is one of :data:`KIND_ORDER`."""

    # Read-only, so that a kind may narrow them (``collection: Literal["calendar"]``).
    @property
    def name(self) -> str:
        """One of :data:`KIND_ORDER`."""
        ...

    @property
    def collection(self) -> Literal["calendar", "tasks", "addressbook"]:
        """The server collection the kind's items live in (``tasks``: the asks' task list).

        Where a kind's items lived before (asks, in the calendar, before schema version
        21) is in :data:`FORMERLY`: the engine reads them there too and moves them.
        """
        ...

    @property
    def component(self) -> Literal["VEVENT", "VTODO", "VJOURNAL", "VCARD"]:
        """The iCalendar component or vCard each item is."""
        ...

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every local item of this kind, by its sync UID."""
        ...

    def to_text(self, uid: str, record: Record) -> str:
        """The item as the server stores it: a whole VCALENDAR object or one vCard 4.0."""
        ...

    def owns(self, text: str) -> bool:
        """Whether a server's object with this kind's component is of this kind.

        Two kinds may share a component (settings and campaigns are VJOURNALs), and
        another program's to-dos and journal entries are nobody's: left alone.
        """
        ...

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's item; :class:`SyncFormatError` if unreadable.

        ``from_text(to_text(uid, r)) == (uid, r)`` for every record ``records`` returns.
        What another program wrote (a phone's new event, Thunderbird moving one) reads as
        a record too: fields it lacks take their defaults.
        """
        ...

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Create or update the local item ``uid`` so that it holds exactly ``record``.

        Runs inside the engine's transaction; references to other items by UID that do
        not exist locally are left empty, not invented. :class:`ItemDeferred` when the
        item cannot be stored yet (an ask whose partner has not arrived).
        """
        ...

    def delete(self, ws: Workspace, uid: str) -> None:
        """Remove the local item ``uid`` (nothing when there is none)."""
        ...
