"""Edits field by field, so that an undo never overwrites what another writer changed.

An edit of one stored record (a contact, a post, an ask, the settings…) keeps, for each
field it changed, the value before and after — nothing about the fields it left alone.
Applying it (the edit itself, its undo, its redo) reads the record and, in the same
transaction, writes a field only where it still holds the value the edit started from:

- a field that holds the wanted value already is left as it is;
- a field another writer changed since is left alone too, and named in
  :attr:`Applied.kept` so the user can be told (the edit itself, with ``force``, writes
  what the user typed over it: the user just chose that value);
- a field whose value is a tuple holds rows (e-mail addresses, tags, audiences…) and is
  changed row by row: the rows the edit removed go, the rows it added come, and rows that
  others added or removed meanwhile stay as they are.

A :class:`Record` says how to read a record's fields and how to write some of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from socialdesk.core import changes as kinds
from socialdesk.core.changes import Changes
from socialdesk.store import (
    asks,
    campaigns,
    contact_snapshot,
    occurrences,
    post_templates,
    post_writes,
)
from socialdesk.store import settings as stored_settings
from socialdesk.store.workspace import Workspace

Values = Mapping[str, Any]


def merge_rows(now: tuple[Hashable, ...], had: tuple[Hashable, ...],
               want: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """``now`` with the change from ``had`` to ``want`` made row by row.

    When nothing else changed the rows (``now == had``) the result is ``want`` exactly,
    order included. Otherwise the rows ``want`` lacks are taken out of ``now`` and the rows
    it adds are put at the end; every other row of ``now`` stays.
    """
    if now == had:
        return want
    gone = Counter(had) - Counter(want)
    new = Counter(want) - Counter(had)
    merged = []
    for row in now:
        if gone[row]:
            gone[row] -= 1
        else:
            merged.append(row)
    added_elsewhere = Counter(merged) - Counter(had)
    for row in want:
        if new[row]:
            new[row] -= 1
            if added_elsewhere[row]:
                added_elsewhere[row] -= 1  # someone else added the same row meanwhile
            else:
                merged.append(row)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class Rebased:
    """An edit laid onto a record as it is now: what to write, which fields to leave."""

    writes: dict[str, Any]
    kept: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldEdit:
    """What one edit changed of one record: each changed field's value before and after."""

    before: Values = field(default_factory=dict)
    after: Values = field(default_factory=dict)

    @classmethod
    def between(cls, before: Values, after: Values) -> FieldEdit:
        """The edit from ``before`` to ``after``: only the fields whose values differ."""
        changed = [name for name in after if before.get(name) != after[name]]
        return cls({name: before.get(name) for name in changed},
                   {name: after[name] for name in changed})

    @property
    def empty(self) -> bool:
        """True when the edit changes nothing."""
        return not self.after

    def reversed(self) -> FieldEdit:
        """The edit that undoes this one."""
        return FieldEdit(self.after, self.before)

    def then(self, later: FieldEdit) -> FieldEdit:
        """The edit made of this one followed by ``later`` (a spin box's steps)."""
        before = {**later.before, **self.before}
        return FieldEdit.between(before, {**self.after, **later.after})

    def onto(self, current: Values, *, force: bool = False) -> Rebased:
        """What writing this edit over ``current`` (the stored values) may change.

        A field changed elsewhere since (neither the value before nor the value after) is
        kept as it is, unless ``force``; fields holding rows are merged row by row.
        """
        writes: dict[str, Any] = {}
        kept = []
        for name, want in self.after.items():
            had, now = self.before.get(name), current.get(name)
            if now == want:
                continue
            if isinstance(want, tuple) and isinstance(had, tuple) and isinstance(now, tuple):
                writes[name] = merge_rows(now, had, want)
            elif now == had or force:
                writes[name] = want
            else:
                kept.append(name)
        return Rebased(writes, tuple(kept))


@dataclass(frozen=True, slots=True)
class Record:
    """A kind of stored record an edit can change field by field.

    ``read`` gives every field by name (None when the record does not exist); ``write``
    stores some of them (in the caller's transaction) and leaves the others as they are;
    ``changes`` are the kinds of rows such a write touches; :meth:`changes_of` those of
    one record's write (a post's names the post).
    """

    noun: str
    read: Callable[[Workspace, int], Values | None]
    write: Callable[[Workspace, int, Values], None]
    changes: Changes
    is_post: bool = False

    def changes_of(self, record_id: int) -> Changes:
        """What writing record ``record_id`` changes."""
        return self.changes.with_post(record_id) if self.is_post else self.changes


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying an edit did: the change as stored, and the fields left alone."""

    done: FieldEdit
    kept: tuple[str, ...] = ()


def apply_edit(ws: Workspace, record: Record, record_id: int, edit: FieldEdit,
               *, force: bool = False) -> Applied:
    """Apply ``edit`` to a stored record field by field, in one transaction.

    ``done`` holds the fields written, as read back before and after (so undoing it puts
    back exactly what was stored). Raises ``LookupError`` when the record is gone; the
    record's own checks raise ``ValueError``.
    """
    with ws.transaction():
        current = record.read(ws, record_id)
        if current is None:
            raise LookupError(f"This {record.noun} was deleted meanwhile.")
        rebased = edit.onto(current, force=force)
        if not rebased.writes:
            return Applied(FieldEdit(), rebased.kept)
        record.write(ws, record_id, rebased.writes)
        stored = record.read(ws, record_id)
    assert stored is not None
    done = FieldEdit.between({name: current.get(name) for name in rebased.writes},
                             {name: stored.get(name) for name in rebased.writes})
    return Applied(done, rebased.kept)


class ChangedElsewhere(ValueError):
    """A record an undo or redo would delete was changed elsewhere since: it is kept."""


def delete_unchanged(ws: Workspace, record: Record, expected: Mapping[int, Values],
                     delete: Callable[[], object]) -> None:
    """Run ``delete`` in one transaction, unless a record changed since it was ``expected``.

    ``expected`` maps each record's id to its fields as the undo stack left them (just
    created, or just put back). A record that differs now was changed elsewhere; deleting
    it would lose that, so nothing is deleted and :class:`ChangedElsewhere` says why.
    Records already gone are no obstacle.
    """
    with ws.transaction():
        for record_id, values in expected.items():
            current = record.read(ws, record_id)
            if current is not None and dict(current) != dict(values):
                raise ChangedElsewhere(
                    f"This {record.noun} was changed elsewhere since, so it is kept.")
        delete()


def read_all(ws: Workspace, record: Record, ids: Iterable[int]) -> dict[int, Values]:
    """The fields of each existing record of ``ids``, by id (for :func:`delete_unchanged`)."""
    found = {record_id: record.read(ws, record_id) for record_id in ids}
    return {record_id: values for record_id, values in found.items() if values is not None}


def _dataclass_record(noun: str, get: Callable[[Workspace, int], Any],
                      update: Callable[[Workspace, Any], None], changes: Changes) -> Record:
    """A record read as one dataclass (``get``) and written whole (``update``).

    Written in the caller's transaction from the stored values with the edited fields
    replaced, so the fields the edit does not name are written back as they are.
    """
    def read(ws: Workspace, record_id: int) -> Values | None:
        found = get(ws, record_id)
        return None if found is None else {f.name: getattr(found, f.name) for f in fields(found)}

    def write(ws: Workspace, record_id: int, values: Values) -> None:
        found = get(ws, record_id)
        if found is None:
            raise LookupError(f"This {noun} was deleted meanwhile.")
        update(ws, replace(found, **values))

    return Record(noun, read, write, changes)


def _ask_answer(ws: Workspace, ask_id: int) -> Values | None:
    ask = asks.get_ask(ws, ask_id)
    if ask is None:
        return None
    return {"status": ask.status, "answered_on": ask.answered_on,
            "observed_reach": ask.observed_reach}


def _write_ask_answer(ws: Workspace, ask_id: int, values: Values) -> None:
    answer = {**(_ask_answer(ws, ask_id) or {}), **values}
    asks.record_outcome(ws, ask_id, answer["status"], answered_on=answer["answered_on"],
                        observed_reach=answer["observed_reach"])


def _write_settings(ws: Workspace, _id: int, values: Values) -> None:
    for key, value in values.items():
        stored_settings.set_setting(ws, key, value)


CONTACT = Record("contact", contact_snapshot.read_contact_fields,
                 contact_snapshot.write_contact_fields, kinds.CONTACT_ROWS)
POST = Record("post", post_writes.read_post_fields, post_writes.write_post_fields,
              kinds.POSTS, is_post=True)
CAMPAIGN = _dataclass_record("campaign", campaigns.get_campaign, campaigns.update_campaign,
                             kinds.CAMPAIGNS)
CHANNEL = _dataclass_record("channel", campaigns.get_channel, campaigns.update_channel,
                            kinds.CHANNELS)
# Templates show in no view (their dialogs read them when opened).
TEMPLATE = _dataclass_record("template", post_templates.get_template,
                             post_templates.update_template, kinds.NOTHING)
ASK_ANSWER = Record("ask", _ask_answer, _write_ask_answer, kinds.ASKS)
# The settings as stored (a setting at its default is not stored: None); the id is unused.
SETTINGS = Record("workspace", lambda ws, _id: stored_settings.stored_settings(ws),
                  _write_settings, kinds.SETTINGS)


def post_on(occurs_on: str) -> Record:
    """A repeating post as its editor shows one later date.

    Its fields are the series' plus ``marked``: that date's own status and results (None
    while it has none of its own). Saving such a date changes both in one transaction,
    and its undo goes field by field like any other edit of a post.
    """
    def read(ws: Workspace, post_id: int) -> Values | None:
        series = post_writes.read_post_fields(ws, post_id)
        if series is None:
            return None
        return {**series, "marked": occurrences.get_occurrence(ws, post_id, occurs_on)}

    def write(ws: Workspace, post_id: int, values: Values) -> None:
        series = {name: value for name, value in values.items() if name != "marked"}
        with ws.transaction():
            if series:
                post_writes.write_post_fields(ws, post_id, series)
            if "marked" in values:
                occurrences.set_occurrence(ws, post_id, occurs_on, values["marked"])

    return Record("post", read, write, kinds.POSTS, is_post=True)
