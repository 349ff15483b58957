"""Randomized: laptops editing offline and syncing through one Radicale always converge.

A hypothesis state machine drives two (or three) workspaces sharing one calendar and
address book on a real Radicale: on a chosen laptop it creates, edits and deletes
contacts, posts, asks and campaigns through the store functions the app uses (and once
through a second SQLite connection, as another program would), syncs a chosen laptop,
and decides pending conflicts keeping mine or theirs. Every sync's new conflicts must be
true ones: the field changed on this laptop and on the server since this laptop's last
sync, to different values. At the end every laptop syncs until quiet (conflicts decided
on the way) and all hold the same items, none duplicated, none lost that nobody deleted,
and a field only one laptop ever edited holds that laptop's last value.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.dav import SyncError
from socialdesk.core.sync.kind import Record
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.core.sync.merge import WHOLE, resolve
from socialdesk.store import sync as state
from socialdesk.store.asks import NewAsk, create_asks, record_outcome
from socialdesk.store.campaigns import (
    create_campaign,
    delete_campaign,
    get_campaign,
    update_campaign,
)
from socialdesk.store.contacts import delete_contact, get_contact, save_contact
from socialdesk.store.interactions import interactions_of, set_interactions
from socialdesk.store.links import links_of, set_links
from socialdesk.store.models import Campaign, Contact, Interaction, Link, PostDraft
from socialdesk.store.post_writes import create_post, delete_post, write_post_fields
from socialdesk.store.workspace import Workspace

KINDS = default_kinds()
EDITED = ("campaign", "contact", "post", "ask")
TABLES = {"campaign": "campaigns", "contact": "contacts", "post": "posts", "ask": "asks"}
WORDS = ("alpha", "bravo", "charlie", "delta")  # few: two laptops often write the same
ROUNDS = 6  # of sync all, decide all, before the laptops must be quiet
_names = itertools.count()


Everything = dict[str, dict[str, Record]]


def everything(ws: Workspace) -> Everything:
    return {kind.name: kind.records(ws) for kind in KINDS}


def pending(ws: Workspace, shown: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The pending conflicts as ``socialdesk sync`` shows them, with their item's UID."""
    listed = engine.pending(ws, KINDS) if shown is None else shown
    return [{**c, "uid": state.conflict(ws, c["id"]).uid} for c in listed]  # type: ignore[union-attr]


def _id(ws: Workspace, kind: str, uid: str) -> int:
    return int(ws.conn.execute(f"SELECT id FROM {TABLES[kind]} WHERE uid = ?",
                               (uid,)).fetchone()[0])


class Laptops(RuleBasedStateMachine):
    """Laptops sharing one team calendar and address book (a new pair each example)."""

    url = ""  # the Radicale, and the test's folder: set by the test
    folder_base = Path()
    laptop_count = 2

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="laptops-", dir=self.folder_base))
        name = f"Team {next(_names)}"
        self.laptops: list[Workspace] = []
        for n in range(self.laptop_count):
            ws = Workspace.open(self.folder / f"laptop{n}.sqlite", create=True)
            setup(ws, self.url, "team", "secret", name=name)
            self.laptops.append(ws)
        # What each laptop held right after its last sync: the version it shares with the
        # server (a field in conflict: the server's value, the conflict's "theirs").
        self.common: list[Everything | None] = [everything(ws) for ws in self.laptops]
        self.created: dict[str, set[str]] = {k: set() for k in EDITED}
        self.order: dict[str, int] = {}  # UID → when it was made (UIDs are random)
        self.deleted: set[str] = set()  # UIDs a user deleted (or a deletion took along)
        self.pairs: dict[str, tuple[Any, Any]] = {}  # ask UID → (post, partner) when made
        # (kind, uid, field) → the laptops whose user wrote it, and the last value each wrote
        self.writers: dict[tuple[str, str, str], set[int]] = {}
        self.last: dict[tuple[str, str, str], dict[int, Any]] = {}
        # every value each laptop wrote, and those of a laptop that then deleted the item
        self.wrote: dict[tuple[str, str, str], dict[int, list[Any]]] = {}
        self.given_up: dict[tuple[str, str, str], list[Any]] = {}

    def teardown(self) -> None:
        """The end of a run: all sync until quiet and must agree."""
        try:
            self.converge()
            self.check_converged()
        finally:
            for ws in self.laptops:
                ws.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- bookkeeping -----------------------------------------------------------------

    def edit(self, n: int, change: Any) -> None:
        """Run ``change()`` on laptop ``n`` as its user; note what it created, changed, deleted."""
        before = everything(self.laptops[n])
        change()
        after = everything(self.laptops[n])
        for kind in EDITED:
            old, new = before[kind], after[kind]
            for uid in set(old) - set(new):
                self.gone(n, kind, uid)
            for uid, record in new.items():
                if uid not in old:
                    self.created[kind].add(uid)
                    self.order.setdefault(uid, len(self.order))
                    if kind == "ask":
                        self.pairs[uid] = (record["post"], record["partner"])
                for name, value in record.items():
                    if uid not in old or old[uid].get(name) != value:
                        self.writers.setdefault((kind, uid, name), set()).add(n)
                        self.last.setdefault((kind, uid, name), {})[n] = value
                        self.wrote.setdefault((kind, uid, name), {}).setdefault(
                            n, []).append(value)

    def gone(self, n: int, kind: str, uid: str) -> None:
        """Laptop ``n`` deleted ``uid`` (or kept the server's deletion of it)."""
        self.deleted.add(uid)
        # what it wrote there is given up: another laptop keeping its own version of the
        # item (a conflict) brings it back with that laptop's values, which may be values
        # this laptop wrote and sent before it deleted the item
        for key in [k for k in self.writers if k[:2] == (kind, uid)]:
            self.writers[key].discard(n)
            self.last[key].pop(n, None)
            self.given_up.setdefault(key, []).extend(self.wrote[key].pop(n, []))

    def pick(self, n: int, kind: str, index: int) -> str | None:
        uids = sorted(everything(self.laptops[n])[kind], key=self.order.__getitem__)
        return uids[index % len(uids)] if uids else None

    # -- what users do ---------------------------------------------------------------

    @initialize()
    def a_shared_plan(self) -> None:
        """The first laptop's small plan, which every laptop has once all synced."""
        for n, word in enumerate(WORDS[:3]):
            self.create(0, "campaign", word, n, n)
            self.create(0, "contact", word, n, n)
            self.create(0, "post", word, n, n)
        for n in range(3):
            self.create(0, "ask", WORDS[n], n, n + 1)
        self.converge()

    @rule(n=st.integers(0, 2), kind=st.sampled_from(EDITED), word=st.sampled_from(WORDS),
          a=st.integers(0, 50), b=st.integers(0, 50))
    def create(self, n: int, kind: str, word: str, a: int, b: int) -> None:
        n %= self.laptop_count
        ws = self.laptops[n]
        if kind == "contact":
            self.edit(n, lambda: save_contact(ws, Contact(0, f"Contact {word}", notes=word)))
        elif kind == "campaign":
            self.edit(n, lambda: create_campaign(ws, Campaign(0, f"Campaign {word}")))
        elif kind == "post":
            campaign = self.pick(n, "campaign", a)
            draft = PostDraft(f"Post {word}", scheduled_on=f"2027-03-{a % 28 + 1:02d}",
                              campaign_id=_id(ws, "campaign", campaign) if campaign else None)
            self.edit(n, lambda: create_post(ws, draft))
        else:
            post, partner = self.pick(n, "post", a), self.pick(n, "contact", b)
            if post is None or partner is None:
                return
            ask = NewAsk(_id(ws, "contact", partner), _id(ws, "post", post), "2027-02-01",
                         message=f"Share {word}?")
            with contextlib.suppress(ValueError):  # asked already about this post
                self.edit(n, lambda: create_asks(ws, [ask]))

    @rule(n=st.integers(0, 2), kind=st.sampled_from(EDITED), index=st.integers(0, 50),
          what=st.integers(0, 2), word=st.sampled_from(WORDS))
    def change_more(self, n: int, kind: str, index: int, what: int, word: str) -> None:
        """Edits are what users do most (a second rule, drawn as often as the first)."""
        self.change(n, kind, index, what, word)

    @rule(n=st.integers(0, 2), kind=st.sampled_from(EDITED), index=st.integers(0, 50),
          what=st.integers(0, 2), word=st.sampled_from(WORDS))
    def change(self, n: int, kind: str, index: int, what: int, word: str) -> None:
        n %= self.laptop_count
        ws = self.laptops[n]
        uid = self.pick(n, kind, index)
        if uid is None:
            return
        row = _id(ws, kind, uid)
        if kind == "contact":
            contact = get_contact(ws, row)
            assert contact is not None
            changed = [replace(contact, notes=word), replace(contact, organisation=word.title()),
                       replace(contact, stage=("aware", "engaged", "ally", "champion")[index % 4],
                                       tags=(word,))][what]
            self.edit(n, lambda: save_contact(ws, changed))
        elif kind == "campaign":
            campaign = get_campaign(ws, row)
            assert campaign is not None
            changed_campaign = [replace(campaign, name=f"Campaign {word}"),
                                replace(campaign, goal=word),
                                replace(campaign, colour=f"#{index % 10}0{index % 7}0a0")][what]
            self.edit(n, lambda: update_campaign(ws, changed_campaign))
        elif kind == "post":
            values: dict[str, Any] = [{"title": f"Post {word}"}, {"notes": word},
                                      {"scheduled_on": f"2027-04-{index % 28 + 1:02d}"}][what]
            self.edit(n, lambda: write_post_fields(ws, row, values))
        else:
            status = ("asked", "agreed", "declined")[what]
            self.edit(n, lambda: record_outcome(ws, row, status, answered_on="2027-02-0"
                                                f"{index % 9 + 1}", note=word))

    @rule(n=st.integers(0, 2), a=st.integers(0, 50), b=st.integers(0, 50),
          kind=st.sampled_from(("knows", "works_with", "")))
    def link(self, n: int, a: int, b: int, kind: str) -> None:
        """Link two contacts (or, kind '', unlink all of the first), as the link editor does."""
        n %= self.laptop_count
        ws = self.laptops[n]
        first, second = self.pick(n, "contact", a), self.pick(n, "contact", b)
        if first is None or second is None or first == second:
            return
        one, other = _id(ws, "contact", first), _id(ws, "contact", second)
        links = [] if not kind else [*links_of(ws, one), Link(0, one, other, kind)]
        self.edit(n, lambda: set_links(ws, one, links))

    @rule(n=st.integers(0, 2), index=st.integers(0, 50), word=st.sampled_from(WORDS))
    def note_an_interaction(self, n: int, index: int, word: str) -> None:
        n %= self.laptop_count
        ws = self.laptops[n]
        uid = self.pick(n, "contact", index)
        if uid is None:
            return
        row = _id(ws, "contact", uid)
        history = [*interactions_of(ws, row), Interaction(0, row, "2027-01-0"
                                                          f"{index % 9 + 1}", note=word)]
        self.edit(n, lambda: set_interactions(ws, row, history))

    @rule(n=st.integers(0, 2), kind=st.sampled_from(EDITED), index=st.integers(0, 50))
    def delete(self, n: int, kind: str, index: int) -> None:
        n %= self.laptop_count
        ws = self.laptops[n]
        uid = self.pick(n, kind, index)
        if uid is None:
            return
        row = _id(ws, kind, uid)
        if kind == "contact":
            self.edit(n, lambda: delete_contact(ws, row))
        elif kind == "campaign":
            self.edit(n, lambda: delete_campaign(ws, row))
        elif kind == "post":
            self.edit(n, lambda: delete_post(ws, row))
        else:
            self.edit(n, lambda: ws.conn.execute("DELETE FROM asks WHERE id = ?", (row,)))

    @rule(n=st.integers(0, 2), kind=st.sampled_from(("contact", "post", "campaign")),
          index=st.integers(0, 50), word=st.sampled_from(WORDS))
    def another_program_edits(self, n: int, kind: str, index: int, word: str) -> None:
        """A script or SQLite browser writes the workspace file (no app code involved)."""
        n %= self.laptop_count
        uid = self.pick(n, kind, index)
        if uid is None:
            return
        column = {"contact": "notes", "post": "notes", "campaign": "goal"}[kind]

        def write() -> None:
            with sqlite3.connect(self.laptops[n].path) as other:
                other.execute(f"UPDATE {TABLES[kind]} SET {column} = ? WHERE uid = ?",
                              (f"{word} (script)", uid))
            other.close()

        self.edit(n, write)

    @rule(n=st.integers(0, 2))
    def sync(self, n: int) -> None:
        n %= self.laptop_count
        self.sync_checked(n)

    @rule(n=st.integers(0, 2), after=st.integers(1, 12), how=st.sampled_from(("stop", "cut")))
    def sync_interrupted(self, n: int, after: int, how: str) -> None:
        """A sync stopped between items, or its connection lost right after a write."""
        n %= self.laptop_count
        ws = self.laptops[n]
        asked = itertools.count(1)
        with client_for(ws) as client:
            if how == "cut":
                put = client.put

                def cut(*args: Any) -> str:
                    put(*args)
                    if next(asked) >= after:
                        raise SyncError("The connection was lost.")
                    return ""

                client.put = cut  # type: ignore[method-assign]
            try:
                engine.sync(ws, client, KINDS, should_stop=lambda: how == "stop" and
                            next(asked) > after)
            except SyncError:
                self.common[n] = None  # partly synced: the next sync's conflicts not checked
                return
        # finished before it was stopped (with conflicts: the next sync's not checked)
        self.common[n] = None if pending(ws) else everything(ws)

    @rule(n=st.integers(0, 2), index=st.integers(0, 50), keep=st.sampled_from(("mine", "theirs")))
    def decide(self, n: int, index: int, keep: str) -> None:
        n %= self.laptop_count
        ws = self.laptops[n]
        waiting = pending(ws)
        if waiting:
            self.decide_one(n, waiting[index % len(waiting)], keep)

    # -- syncing, checked ------------------------------------------------------------

    def decide_one(self, n: int, conflict: dict[str, Any], keep: str) -> None:
        """The user decides; deciding theirs makes the server's value the shared one."""
        ws = self.laptops[n]
        kind, uid, name = conflict["kind"], conflict["uid"], conflict["field"]
        before = everything(ws)
        try:
            resolve(ws, conflict["id"], keep, KINDS)  # type: ignore[arg-type]
        except KeyError:  # the server's item cannot come back (its partner is gone here)
            assert keep == "theirs" and name == WHOLE, conflict
            keep = "mine"
            resolve(ws, conflict["id"], keep, KINDS)
        after = everything(ws)
        if self.common[n] is None:
            pass
        elif keep == "theirs" and name != WHOLE:
            self.common[n][kind].setdefault(uid, {})[name] = conflict["theirs"]
        elif keep == "theirs":
            if conflict["theirs"] is None:
                self.common[n][kind].pop(uid, None)
            else:
                self.common[n][kind][uid] = conflict["theirs"]
        for other in EDITED:  # deciding theirs of a deletion deletes (and takes along)
            for gone in set(before[other]) - set(after[other]):
                self.gone(n, other, gone)

    def sync_checked(self, n: int) -> engine.Summary:
        ws = self.laptops[n]
        before = everything(ws)
        waiting = {(c["kind"], c["uid"], c["field"]) for c in pending(ws)}
        with client_for(ws) as client:
            summary = engine.sync(ws, client, KINDS)
        summary.conflicts = pending(ws, summary.conflicts)
        assert summary.unreadable == []
        after = everything(ws)
        seen = [(c["kind"], c["uid"], c["field"]) for c in summary.conflicts]
        assert len(seen) == len(set(seen)), f"a conflict listed twice: {seen}"
        for conflict in summary.conflicts:
            key = (conflict["kind"], conflict["uid"], conflict["field"])
            if key not in waiting and self.common[n] is not None:
                self.check_true_conflict(n, conflict, before)
        common = after
        for conflict in summary.conflicts:  # the server keeps its value until decided
            kind, uid, name = conflict["kind"], conflict["uid"], conflict["field"]
            if name == WHOLE:
                if conflict["theirs"] is None:
                    common[kind].pop(uid, None)
                else:
                    common[kind][uid] = conflict["theirs"]
            elif uid in common[kind]:
                common[kind][uid] = {**common[kind][uid], name: conflict["theirs"]}
        self.common[n] = common
        return summary

    def check_true_conflict(self, n: int, conflict: dict[str, Any], mine: Everything) -> None:
        """Both sides changed the field since the version they shared, to different values."""
        kind, uid, name = conflict["kind"], conflict["uid"], conflict["field"]
        common = self.common[n]
        assert common is not None
        shared = common[kind]
        where = f"laptop {n}: {conflict}"
        assert conflict["mine"] != conflict["theirs"], where
        if name == WHOLE:
            if conflict["mine"] is None:  # deleted here, changed there
                assert uid not in mine[kind] and uid in shared, where
                assert conflict["theirs"] != shared[uid], where
            else:  # changed here (or an item here needs it), deleted there
                assert uid in mine[kind] and uid in shared, where
                assert mine[kind][uid] != shared[uid] or (kind == "contact" and any(
                    r["partner"] == uid and common["ask"].get(a) != r
                    for a, r in mine["ask"].items())), where
            return
        if uid not in shared and uid in self.deleted:
            return  # deleted, then kept on two laptops: their versions share no base
        if uid not in shared:  # the same ask made on both before they synced
            assert kind == "ask", where
            twins = [r for a, r in mine["ask"].items() if a not in shared and
                     a != uid and (r["post"], r["partner"]) == self.pairs.get(uid)]
            assert twins and twins[0][name] == conflict["mine"], where
            return
        assert uid in mine[kind] and mine[kind][uid][name] == conflict["mine"], where
        assert conflict["mine"] != shared[uid].get(name), f"not changed here: {where}"
        assert conflict["theirs"] != shared[uid].get(name), f"not changed there: {where}"

    def converge(self) -> None:
        """Every laptop syncs, deciding each conflict as it comes, until all are quiet."""
        for round_ in range(ROUNDS):
            busy = False
            for n in range(self.laptop_count):
                summary = self.sync_checked(n)
                busy |= bool(summary.sent or summary.received or summary.merged
                             or summary.deleted or summary.conflicts)
                for i, conflict in enumerate(summary.conflicts):
                    self.decide_one(n, conflict, ("mine", "theirs")[(round_ + i) % 2])
            if not busy:
                return
        raise AssertionError(f"the laptops still sync changes after {ROUNDS} rounds")

    @rule()
    def everyone_syncs(self) -> None:
        """A checkpoint in the middle: converge, check, then go on editing."""
        self.converge()
        self.check_converged()

    def check_converged(self) -> None:
        records = [everything(ws) for ws in self.laptops]
        for n, other in enumerate(records[1:], 1):
            for kind in records[0]:
                assert other[kind] == records[0][kind], f"laptop {n} differs in {kind}s"
        final = records[0]
        for kind in EDITED:
            assert set(final[kind]) <= self.created[kind], f"{kind}s nobody made"
            lost = self.created[kind] - self.deleted - set(final[kind])
            if kind == "ask":  # the same ask made on two laptops: one of them stays
                lost = {u for u in lost if not any(
                    self.pairs[o] == self.pairs[u] for o in final["ask"])}
            assert not lost, f"{kind}s lost: {lost}"
        for (kind, uid, name), laptops in self.writers.items():
            if len(laptops) != 1 or uid not in final[kind]:
                continue
            value = final[kind][uid][name]
            wrote = self.last[(kind, uid, name)][min(laptops)]
            if value in self.given_up.get((kind, uid, name), ()):
                continue  # brought back with what a laptop that then deleted it wrote
            if name == "links":  # less the links to contacts deleted since
                assert [x for x in value if x["uid"] not in self.deleted] == \
                    [x for x in wrote if x["uid"] not in self.deleted]
            elif name in ("post", "partner", "campaign") and wrote in self.deleted:
                assert value in (wrote, None)
            elif kind == "ask" and self.pairs.get(uid) and any(
                    o != uid and self.pairs.get(o) == self.pairs[uid] for o in self.pairs):
                continue  # two asks made as one: the other's values may have won
            else:
                assert value == wrote, f"{kind} {uid} {name}: {value!r}, written {wrote!r}"



def _run(url: str, folder: Path, laptops: int, examples: int, steps: int) -> None:
    class Machine(Laptops):
        pass

    Machine.url, Machine.folder_base, Machine.laptop_count = url, folder, laptops
    run_state_machine_as_test(Machine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=True,
        database=None, suppress_health_check=list(HealthCheck)))


def test_two_laptops_editing_offline_converge(dav: Any, tmp_path: Path) -> None:
    _run(dav.url, tmp_path, 2, examples=8, steps=25)


@pytest.mark.slow  # a few minutes (6 on a loaded 2-core machine)
def test_three_laptops_editing_offline_converge_over_many_runs(dav: Any, tmp_path: Path) -> None:
    _run(dav.url, tmp_path, 3, examples=25, steps=40)
