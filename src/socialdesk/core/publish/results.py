"""Reading back what published posts gathered, and who shared them (``results fetch``).

For each post sent to a connected account: its boosts/reposts, favourites/likes, replies
and quotes (kept with the time read; their sum becomes the post's engagements), and who
boosted or reposted it. A booster whose handle (or profile address) is the audience of a
contact on that network is that contact: their ask for the post, if it still waits, turns
*shared* with the evidence and their audience's size as the observed reach; a partner
who shared without an open ask is recorded as an unprompted reshare (an interaction of
kind *shared*). Each sharer is recorded once, so fetching again changes nothing twice.

Reads go to each server at most :data:`IN_FLIGHT` at a time; results are written as they
come in, each post in its own transaction, so a fetch that stops (a rate limit, a refused
token, a server error, no network, a crash) keeps what it read and the next one starts
again from there. A server's trouble is one message and ends its reads for this fetch; a
post's own trouble (deleted on its network) names the post and the other reads go on.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from socialdesk.core.limits import platform_name
from socialdesk.core.publish.accounts import Client, client_for
from socialdesk.core.publish.bluesky import BlueskyAccount
from socialdesk.core.publish.mastodon import MastodonAccount
from socialdesk.core.publish.web import NotAuthorized, PublishError, RateLimited, Sharer
from socialdesk.store import asks, publishing
from socialdesk.store.post_writes import get_post, write_post_fields
from socialdesk.store.publishing import Account, Counts, PartnerHandle, Publication
from socialdesk.store.workspace import Workspace

IN_FLIGHT = 4  # requests at once per server


@dataclass
class FetchReport:
    """What a fetch read and changed."""

    read: int = 0
    shared: list[str] = field(default_factory=list)  # asks turned shared
    reshares: list[str] = field(default_factory=list)  # partners who shared unasked
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report for ``--json``."""
        return {"read": self.read, "shared": self.shared, "reshares": self.reshares,
                "problems": self.problems}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def handle_key(network: str, text: str) -> str:
    """A handle or profile address as one comparable key: ``user@host``, ``name.bsky.social``.

    Accepts ``@user@host``, ``https://host/@user``, ``https://bsky.app/profile/name``.
    """
    value = text.strip().lower()
    if value.startswith(("https://", "http://")):
        rest = value.split("://", 1)[1].rstrip("/")
        host, _, path = rest.partition("/")
        if network == "bluesky" and path.startswith("profile/"):
            return path.removeprefix("profile/")
        if network == "mastodon" and path.startswith("@"):
            user = path[1:]
            return user if "@" in user else f"{user}@{host}"
        return rest
    return value.lstrip("@")


def match_partner(network: str, sharer: Sharer, partners: list[PartnerHandle]
                  ) -> PartnerHandle | None:
    """The contact whose audience on the network is ``sharer``, if one is."""
    keys = {handle_key(network, sharer.handle), handle_key(network, sharer.url),
            sharer.remote_id.lower()}
    keys.discard("")
    for partner in partners:
        if {handle_key(network, partner.handle), handle_key(network, partner.url)} & keys:
            return partner
    return None


def _read(client: Client, publication: Publication) -> tuple[Counts, list[Sharer]]:
    if isinstance(client, MastodonAccount):
        return client.counts(publication.remote_id), client.boosters(publication.remote_id)
    return client.counts(publication.remote_uri), client.reposters(publication.remote_uri)


def fetch_results(ws: Workspace, *, since: date | None = None, now: datetime | None = None,
                  in_flight: int = IN_FLIGHT, progress: Callable[[int, int], bool] | None = None,
                  **limits: Any) -> FetchReport:
    """Read every published post's results (sent on or after ``since``) into the workspace."""
    now = now or datetime.now(UTC)
    report = FetchReport()
    found = publishing.published(ws, since.isoformat() if since else None, _stamp(now))
    by_account: dict[int, list[Publication]] = {}
    for item in found:
        by_account.setdefault(item.account_id, []).append(item)
    accounts = {a.id: a for a in publishing.accounts(ws)}
    clients: dict[int, Client] = {}
    pools: list[ThreadPoolExecutor] = []
    futures: dict[Future[tuple[Counts, list[Sharer]]], tuple[Account, Publication]] = {}
    try:
        for account_id, items in by_account.items():
            account = accounts[account_id]
            try:
                client = clients[account_id] = client_for(account, **limits)
                if isinstance(client, BlueskyAccount):
                    client.login()  # once, before the reads run side by side
            except PublishError as error:
                report.problems.append(f"{account.handle}: {error}")
                continue
            try:
                items = [out for item in items
                         if (out := _resolved(ws, client, account, item, now)) is not None]
            except PublishError as error:
                report.problems.append(f"{account.handle}: {error}")
                continue
            pool = ThreadPoolExecutor(max_workers=in_flight)  # per server: its own limit
            pools.append(pool)
            futures.update({pool.submit(_read, client, item): (account, item)
                            for item in items})
        stopped: set[int] = set()
        done = 0
        for future in as_completed(futures):
            account, item = futures[future]
            if future.cancelled():
                continue
            try:
                counts, sharers = future.result()
            except PublishError as error:
                if _about_the_post(error):  # deleted on its network, say: name the post
                    detail = get_post(ws, item.post_id)
                    title = detail.draft.title if detail else f"post {item.post_id}"
                    report.problems.append(f"{account.handle}, “{title}”: {error}")
                    continue
                if account.id not in stopped:  # one message; the server's other reads wait
                    report.problems.append(f"{account.handle}: {error}")
                    stopped.add(account.id)
                    for waiting, (other, _) in futures.items():
                        if other.id == account.id:
                            waiting.cancel()
                continue
            with ws.transaction():  # one commit per post: a stopped fetch keeps what it read
                _keep(ws, account, item, counts, sharers, report, now)
            done += 1
            if progress is not None and not progress(done, len(found)):
                break
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        for client in clients.values():
            client.close()
    return report


def _about_the_post(error: PublishError) -> bool:
    """True when a read failed for its post alone (a 4xx other than 401, 403 or 429).

    Anything else — a rate limit, a refused secret, a server error, no answer — is the
    server's: its remaining reads wait for the next fetch.
    """
    return (error.status is not None and 400 <= error.status < 500
            and not isinstance(error, RateLimited | NotAuthorized))


def _resolved(ws: Workspace, client: Client, account: Account, item: Publication,
              now: datetime) -> Publication | None:
    """The publication with its status, once a Mastodon server published a scheduled one.

    A scheduled status has an id of its own until its time; then the server makes the
    status. It is found among the account's statuses (by its text, from its time on) and
    kept; the post is marked published when every account has it. None: not out yet.
    """
    if not isinstance(client, MastodonAccount) or item.remote_uri or not item.scheduled_at:
        return item
    since = datetime.fromisoformat(item.scheduled_at.replace("Z", "+00:00"))
    found = client.find(account.remote_id, item.text, key=item.idempotency_key, since=since)
    if found is None or found.scheduled_at:
        return None
    publishing.record_sent(ws, item.id, remote_id=found.remote_id, uri=found.uri,
                           url=found.url, sent_at=item.sent_at or _stamp(now),
                           scheduled_at=None)
    out = publishing.publication(ws, item.post_id, item.account_id)
    detail = get_post(ws, item.post_id)
    everywhere = all(p.state == "sent" and (p.remote_uri or not p.scheduled_at)
                     for p in publishing.publications_of(ws, item.post_id))
    if detail is not None and everywhere and detail.draft.status != "published":
        values: dict[str, Any] = {"status": "published"}
        if not detail.draft.published_url:
            values["published_url"] = found.url
        write_post_fields(ws, item.post_id, values)
    return out


def _keep(ws: Workspace, account: Account, item: Publication, counts: Counts,
          sharers: list[Sharer], report: FetchReport, now: datetime) -> None:
    """Write one post's results, and what its sharers mean for asks and partners."""
    stamp = _stamp(now)
    publishing.save_counts(ws, item.id, counts, stamp)
    report.read += 1
    detail = get_post(ws, item.post_id)
    title = detail.draft.title if detail else f"post {item.post_id}"
    network = platform_name(account.network)
    known = publishing.known_sharers(ws, item.id)
    partners = publishing.partner_handles(ws, account.network) if sharers else []
    for sharer in sharers:
        if sharer.remote_id in known:
            continue
        partner = match_partner(account.network, sharer, partners)
        ask = None if partner is None else publishing.ask_for(ws, item.post_id,
                                                              partner.contact_id)
        ask_id = ask[0] if ask else None
        evidence = (f"{'Boosted' if account.network == 'mastodon' else 'Reposted'} on "
                    f"{network} by {sharer.handle} ({item.remote_url or item.remote_uri}), "
                    f"read {stamp[:10]}.")
        with ws.transaction():
            if ask is not None and ask[1] in ("asked", "agreed") and partner is not None:
                row = asks.get_ask(ws, ask[0])
                note = f"{row.note}\n{evidence}" if row and row.note else evidence
                asks.record_outcome(ws, ask[0], "shared", answered_on=stamp[:10],
                                    observed_reach=partner.size, note=note)
                report.shared.append(f"{partner.name} shared “{title}” on {network}.")
            unprompted = None
            if partner is not None and ask is None:
                unprompted = f"Shared “{title}” without being asked: {evidence}"
                report.reshares.append(f"{partner.name} shared “{title}” on {network} "
                                       "without being asked.")
            publishing.record_sharer(
                ws, item.id, remote_id=sharer.remote_id, handle=sharer.handle,
                name=sharer.name, contact_id=partner.contact_id if partner else None,
                ask_id=ask_id, seen_at=stamp, unprompted_note=unprompted)
    total = publishing.post_engagements(ws, item.post_id)
    if detail is not None and total is not None and detail.draft.engagements != total:
        write_post_fields(ws, item.post_id, {"engagements": total})
