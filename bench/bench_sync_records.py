"""Team sharing: reading every post and ask of the large demo as sync records.

Each sync starts by comparing every local item with its last synced version, so
``records`` runs on every sync: it must take one query per table, never one per row.
Figures: the time per 1,000 items (posts, asks) against reading the same rows with a
bare ``SELECT *`` (the floor), and turning 1,000 posts into iCalendar text and back.
"""

from __future__ import annotations

import time

from common import Result, best_of, large_workspace


def run() -> list[Result]:
    from socialdesk.core.sync.calendar_kinds import AskKind, PostKind
    from socialdesk.store.workspace import Workspace

    posts, asks = PostKind(), AskKind()
    results = []
    with Workspace.open_readonly(large_workspace()) as ws:
        for kind, table in ((posts, "posts"), (asks, "asks")):
            count = len(kind.records(ws))
            ours = best_of(lambda k=kind: k.records(ws), repeat=3)
            floor = best_of(
                lambda t=table: ws.conn.execute(f"SELECT * FROM {t}").fetchall(), repeat=3)
            results.append(Result(f"{kind.name} records, per 1,000 ({count:,} items)",
                                  ours / count * 1000 * 1000, "ms",
                                  floor / count * 1000 * 1000, "one query per table"))
        sample = list(posts.records(ws).items())[:1000]
    started = time.perf_counter()
    for uid, record in sample:
        posts.from_text(posts.to_text(uid, record))
    results.append(Result("post to_text + from_text, per 1,000",
                          (time.perf_counter() - started) * 1000, "ms"))
    return results


if __name__ == "__main__":
    from common import print_table

    print_table(run())
