"""Connected accounts and publications: the rows behind publishing (schema version 10)."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.store.columns import field_names, rows_as, select_list
from socialdesk.store.known_names import shown
from socialdesk.store.workspace import Workspace

NETWORKS = ("mastodon", "bluesky")


@dataclass(frozen=True, slots=True)
class Account:
    """A connected account, as its server verified it (never its secret)."""

    id: int
    network: str
    server: str
    handle: str
    remote_id: str
    display_name: str
    profile_url: str
    verified_at: str
    connected_at: str = ""  # due posts go out from then on


@dataclass(frozen=True, slots=True)
class Publication:
    """A post on one account: intended, sent or failed."""

    id: int
    post_id: int
    account_id: int
    state: str
    idempotency_key: str
    text: str
    intended_at: str
    scheduled_at: str | None
    remote_id: str
    remote_uri: str
    remote_url: str
    sent_at: str | None
    error: str
    retry_at: str | None = None  # a rate-limited server's "not before"


_ACCOUNT = select_list(field_names(Account))
_PUBLICATION = select_list(field_names(Publication))


def save_account(ws: Workspace, network: str, server: str, handle: str, remote_id: str,
                 display_name: str = "", profile_url: str = "") -> int:
    """Keep a verified account (a removed one connected again comes back); return its id."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO accounts (network, server, handle, remote_id, display_name, "
            "profile_url) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (network, server, remote_id) DO UPDATE SET handle = excluded.handle, "
            "display_name = excluded.display_name, profile_url = excluded.profile_url, "
            "verified_at = excluded.verified_at, removed_at = NULL",
            (network, server, handle, remote_id, display_name, profile_url))
        row = ws.conn.execute(
            "SELECT id FROM accounts WHERE network = ? AND server = ? AND remote_id = ?",
            (network, server, remote_id)).fetchone()
    return int(row[0])


def accounts(ws: Workspace) -> list[Account]:
    """The connected accounts (not removed), in the order they were connected."""
    return rows_as(Account, ws.conn.execute(
        f"SELECT {_ACCOUNT} FROM accounts WHERE removed_at IS NULL ORDER BY id"))


def get_account(ws: Workspace, account_id: int) -> Account | None:
    """One connected account; None when there is none (or it was removed)."""
    found = rows_as(Account, ws.conn.execute(
        f"SELECT {_ACCOUNT} FROM accounts WHERE id = ? AND removed_at IS NULL", (account_id,)))
    return found[0] if found else None


def remove_account(ws: Workspace, account_id: int) -> None:
    """Disconnect an account; its publications stay known."""
    with ws.transaction():
        ws.conn.execute("UPDATE accounts SET removed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                        "WHERE id = ?", (account_id,))


def publication(ws: Workspace, post_id: int, account_id: int) -> Publication | None:
    """The post's publication on the account, if it was ever tried."""
    found = rows_as(Publication, ws.conn.execute(
        f"SELECT {_PUBLICATION} FROM publications WHERE post_id = ? AND account_id = ?",
        (post_id, account_id)))
    return found[0] if found else None


def publications_of(ws: Workspace, post_id: int) -> list[Publication]:
    """Every publication of a post."""
    return rows_as(Publication, ws.conn.execute(
        f"SELECT {_PUBLICATION} FROM publications WHERE post_id = ? ORDER BY account_id",
        (post_id,)))


def record_intent(ws: Workspace, post_id: int, account_id: int, *, key: str, text: str,
                  intended_at: str, scheduled_at: str | None) -> Publication:
    """Write (and commit) the intent to publish, before the request goes out.

    Replaces a failed try; refuses to replace an intent or a sent post.
    """
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO publications (post_id, account_id, state, idempotency_key, text, "
            "intended_at, scheduled_at) VALUES (?, ?, 'intent', ?, ?, ?, ?) "
            "ON CONFLICT (post_id, account_id) DO UPDATE SET state = 'intent', "
            "idempotency_key = excluded.idempotency_key, text = excluded.text, "
            "intended_at = excluded.intended_at, scheduled_at = excluded.scheduled_at, "
            "remote_id = '', remote_uri = '', remote_url = '', sent_at = NULL, error = '', "
            "retry_at = NULL "
            "WHERE publications.state = 'failed'",
            (post_id, account_id, key, text, intended_at, scheduled_at))
        found = publication(ws, post_id, account_id)
    if found is None or found.idempotency_key != key:
        raise ValueError(f"Post {post_id} is already being published on account {account_id}.")
    return found


def record_sent(ws: Workspace, publication_id: int, *, remote_id: str, uri: str, url: str,
                sent_at: str, scheduled_at: str | None) -> None:
    """The server made the post: keep its id and address."""
    with ws.transaction():
        ws.conn.execute(
            "UPDATE publications SET state = 'sent', remote_id = ?, remote_uri = ?, "
            "remote_url = ?, sent_at = ?, scheduled_at = coalesce(?, scheduled_at), error = '', "
            "retry_at = NULL "
            "WHERE id = ?", (remote_id, uri, url, sent_at, scheduled_at, publication_id))


def record_problem(ws: Workspace, publication_id: int, error: str, *, unknown: bool,
                   retry_at: str | None = None) -> None:
    """The request failed: ``unknown`` keeps the intent (the server may have made the post).

    ``retry_at``: when a server that limited requests said to try again.
    """
    with ws.transaction():
        ws.conn.execute(
            "UPDATE publications SET state = CASE WHEN ? THEN state ELSE 'failed' END, "
            "error = ?, retry_at = ? WHERE id = ?", (unknown, error, retry_at, publication_id))


@dataclass(frozen=True, slots=True)
class DueCandidate:
    """A scheduled post with a channel on a network, not yet sent to one of its accounts."""

    post_id: int
    scheduled_on: str
    scheduled_time: str | None
    timezone: str | None


def due_candidates(ws: Workspace, network: str, account_id: int, by_day: str
                   ) -> list[DueCandidate]:
    """Scheduled posts on ``network`` dated up to ``by_day`` not yet sent to the account."""
    return rows_as(DueCandidate, ws.conn.execute(
        "SELECT p.id AS post_id, p.scheduled_on, p.scheduled_time, p.timezone FROM posts p "
        "WHERE p.status = 'scheduled' AND p.scheduled_on IS NOT NULL AND p.scheduled_on <= ? "
        f"AND EXISTS (SELECT 1 FROM post_channels c WHERE c.post_id = p.id "
        f"AND {shown('platform', 'c')} = ?) "
        "AND NOT EXISTS (SELECT 1 FROM publications x WHERE x.post_id = p.id "
        "AND x.account_id = ? AND x.state = 'sent') "
        "ORDER BY p.scheduled_on, coalesce(p.scheduled_time, ''), p.id",
        (by_day, network, account_id)))


# --- results (socialdesk results fetch) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """What a published post gathered, as last read from its network."""

    boosts: int
    likes: int
    replies: int
    quotes: int

    @property
    def total(self) -> int:
        """Every reaction together: the post's engagements on that account."""
        return self.boosts + self.likes + self.replies + self.quotes


@dataclass(frozen=True, slots=True)
class PartnerHandle:
    """A contact's audience on a network: who a booster may be."""

    contact_id: int
    name: str
    handle: str
    url: str
    size: int


def published(ws: Workspace, since: str | None, now: str) -> list[Publication]:
    """Posts sent to connected accounts (on or after ``since``) that are out by ``now``."""
    return rows_as(Publication, ws.conn.execute(
        f"SELECT {select_list(field_names(Publication), 'x')} FROM publications x "
        "JOIN accounts a ON a.id = x.account_id AND a.removed_at IS NULL "
        "WHERE x.state = 'sent' AND x.remote_id <> '' "
        "AND coalesce(x.scheduled_at, x.sent_at) <= ? "
        "AND (? IS NULL OR coalesce(x.scheduled_at, x.sent_at) >= ?) "
        "ORDER BY x.id", (now, since, since)))


def save_counts(ws: Workspace, publication_id: int, counts: Counts, read_at: str) -> None:
    """Keep the counts just read for a publication."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO publication_results (publication_id, boosts, likes, replies, quotes, "
            "read_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (publication_id) DO UPDATE SET "
            "boosts = excluded.boosts, likes = excluded.likes, replies = excluded.replies, "
            "quotes = excluded.quotes, read_at = excluded.read_at",
            (publication_id, counts.boosts, counts.likes, counts.replies, counts.quotes,
             read_at))


def post_engagements(ws: Workspace, post_id: int) -> int | None:
    """The reactions a post gathered on every account it was published to, or None."""
    row = ws.conn.execute(
        "SELECT sum(r.boosts + r.likes + r.replies + r.quotes) FROM publication_results r "
        "JOIN publications x ON x.id = r.publication_id WHERE x.post_id = ?",
        (post_id,)).fetchone()
    return None if row[0] is None else int(row[0])


def partner_handles(ws: Workspace, network: str) -> list[PartnerHandle]:
    """Every contact's audience on ``network``, with its handle or profile address."""
    return rows_as(PartnerHandle, ws.conn.execute(
        "SELECT c.id AS contact_id, c.name, a.handle, a.url, a.size FROM audiences a "
        "JOIN contacts c ON c.id = a.contact_id "
        f"WHERE {shown('platform', 'a')} = ? AND (a.handle <> '' OR a.url <> '') "
        "ORDER BY c.id", (network,)))


def known_sharers(ws: Workspace, publication_id: int) -> set[str]:
    """The remote ids of those already recorded as having shared a publication."""
    return {row["remote_id"] for row in ws.conn.execute(
        "SELECT remote_id FROM publication_sharers WHERE publication_id = ?",
        (publication_id,))}


def ask_for(ws: Workspace, post_id: int, contact_id: int) -> tuple[int, str] | None:
    """The contact's ask for the post (there is at most one) and its status, if any."""
    row = ws.conn.execute("SELECT id, status FROM asks WHERE post_id = ? AND contact_id = ?",
                          (post_id, contact_id)).fetchone()
    return None if row is None else (int(row["id"]), str(row["status"]))


def record_sharer(ws: Workspace, publication_id: int, *, remote_id: str, handle: str,
                  name: str, contact_id: int | None, ask_id: int | None, seen_at: str,
                  unprompted_note: str | None = None) -> None:
    """Keep who shared a publication; an unprompted partner's share becomes an interaction."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT OR IGNORE INTO publication_sharers (publication_id, remote_id, handle, "
            "name, contact_id, ask_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (publication_id, remote_id, handle, name, contact_id, ask_id, seen_at))
        if contact_id is not None and unprompted_note:
            ws.conn.execute(
                "INSERT INTO interactions (contact_id, happened_on, kind, note) "
                "VALUES (?, ?, 'shared', ?)", (contact_id, seen_at[:10], unprompted_note))
