"""Publishing a post to its connected accounts: intent → send → remote id, never twice.

For each connected account whose network the post has a channel on, the channel's text
(or the post's body) goes out, with the post's link after it when it lacks it
(:func:`~socialdesk.core.limits.with_link`) — refused before sending when it is over the
network's limit. A post whose time is ahead goes to Mastodon with ``scheduled_at`` (the server
publishes it then); for Bluesky it waits for ``socialdesk publish --due`` (or the app) at
its time. A post without a time of day goes out at :data:`DEFAULT_TIME` on its date.

Never twice: the intent (with its Mastodon Idempotency-Key or Bluesky record key) is
committed before the request goes out, the remote id after the answer. A publication
still at *intent* is one whose answer never came (a crash, a lost connection, a server
error): the account's recent posts are searched for it first, and only when it is not
there is it sent again — with the same key, so that the server itself refuses a double.
A refusal (401, 422, 429…) marks the try *failed*: nothing was made, the next try sends.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.calendar.media import MediaPathError, media_path
from socialdesk.core.limits import channel_texts, check_text, media_limit, platform_name
from socialdesk.core.publish import bluesky, mastodon
from socialdesk.core.publish.accounts import Client, client_for
from socialdesk.core.publish.web import PublishError, RateLimited, Sent
from socialdesk.core.timezones import local_timezone
from socialdesk.store import publishing
from socialdesk.store.models import PostDetail
from socialdesk.store.post_writes import get_post, media_alt, write_post_fields
from socialdesk.store.publishing import Account, Publication
from socialdesk.store.workspace import Workspace

DEFAULT_TIME = "09:00"  # when a post with a date but no time goes out
MAX_MEDIA_BYTES = {"mastodon": 40 * 1024 * 1024, "bluesky": bluesky.MAX_IMAGE_BYTES}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to a post on one account.

    ``state``: ``sent``, ``scheduled`` (kept by the server until its time), ``already``
    (sent before), ``waiting`` (its time is ahead: ``publish --due`` sends it), ``refused``
    (not sent: too long, a missing file…), ``failed`` (the server refused it: nothing
    made) or ``unknown`` (no answer: checked before the next try).
    """

    post_id: int
    account: Account
    state: str
    message: str
    url: str = ""
    remote_id: str = ""

    def as_json(self) -> dict[str, Any]:
        """The outcome for ``--json``."""
        return {"post": self.post_id, "account": self.account.id,
                "network": self.account.network, "handle": self.account.handle,
                "state": self.state, "message": self.message, "url": self.url,
                "remote_id": self.remote_id}


def post_moment(detail: PostDetail) -> datetime | None:
    """When the post is to go out (aware), or None for a post without a date."""
    draft = detail.draft
    if not draft.scheduled_on:
        return None
    try:
        zone = ZoneInfo(draft.timezone or local_timezone())
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = datetime.fromisoformat(f"{draft.scheduled_on}T{draft.scheduled_time or DEFAULT_TIME}")
    return local.replace(tzinfo=zone)


def without_link(detail: PostDetail, network: str) -> str:
    """The channel's text for ``network`` as written, before the link is added."""
    return dict(channel_texts(detail.draft.body, detail.draft.channels)).get(network, "")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Publisher:
    """Publishes posts of one workspace, with one client per account for the whole run.

    ``limits``: the clients' bounds (``deadline``, ``max_answer``), smaller in tests.
    """

    def __init__(self, ws: Workspace, *, now: datetime | None = None, **limits: Any) -> None:
        self.ws = ws
        self.now = now or datetime.now(UTC)
        self.limits = limits
        self._clients: dict[int, Client] = {}

    def close(self) -> None:
        """Close every client's connections."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _client(self, account: Account) -> Client:
        if account.id not in self._clients:
            self._clients[account.id] = client_for(account, **self.limits)
        return self._clients[account.id]

    # --- one post -------------------------------------------------------------------

    def publish(self, post_id: int, *, at_once: bool = False,
                only: set[int] | None = None) -> list[Outcome]:
        """Send the post to each connected account it has a channel on.

        ``at_once``: now, even if its time is ahead; ``only``: to these accounts only.
        Raises LookupError for a missing post and :class:`PublishError` when it has no
        channel on a connected account.
        """
        detail = get_post(self.ws, post_id)
        if detail is None:
            raise LookupError(f"There is no post {post_id}.")
        texts = dict(channel_texts(detail.draft.body, detail.draft.channels,
                                   detail.draft.link))
        targets = [(account, texts[account.network]) for account in
                   publishing.accounts(self.ws) if account.network in texts
                   and (only is None or account.id in only)]
        if not targets:
            raise PublishError(
                f"Post {post_id} has no channel on a connected account: give it a Mastodon "
                "or Bluesky channel and connect the account (socialdesk accounts add).")
        moment = None if at_once else post_moment(detail)
        outcomes = [self._publish_one(detail, account, text, moment)
                    for account, text in targets]
        self._mark_published(detail, outcomes)
        return outcomes

    def _publish_one(self, detail: PostDetail, account: Account, text: str,
                     moment: datetime | None) -> Outcome:
        def outcome(state: str, message: str, sent: Sent | Publication | None = None
                    ) -> Outcome:
            url = (sent.url if isinstance(sent, Sent) else sent.remote_url) if sent else ""
            remote = sent.remote_id if sent else ""
            return Outcome(detail.id, account, state, message, url, remote)

        earlier = publishing.publication(self.ws, detail.id, account.id)
        if earlier is not None and earlier.state == "sent":
            if earlier.scheduled_at and earlier.scheduled_at > _stamp(self.now):
                return outcome("scheduled", f"Already scheduled on {account.handle} for "
                               f"{earlier.scheduled_at}.", earlier)
            return outcome("already", f"Already sent to {account.handle}.", earlier)
        if earlier is not None and earlier.retry_at and earlier.retry_at > _stamp(self.now):
            return outcome("waiting", f"{account.server.split('://')[-1]} asked to wait until "
                           f"{earlier.retry_at}: not sent yet.")
        check = check_text(account.network, text)
        if check.over:
            appended = " with the post's link" if text != without_link(
                detail, account.network) else ""
            return outcome("refused", f"Too long for {platform_name(account.network)}"
                           f"{appended} ({check.describe()}): not sent.")
        if account.network == "bluesky" and len(text.encode()) > bluesky.MAX_TEXT_BYTES:
            return outcome("refused", f"Too long for Bluesky ({len(text.encode()):,} bytes; "
                           f"at most {bluesky.MAX_TEXT_BYTES:,}): not sent.")
        if not text.strip() and not detail.draft.media:
            return outcome("refused", "The text is empty: not sent.")
        scheduled_at: datetime | None = None
        if moment is not None and moment > self.now:
            if account.network == "bluesky":
                return outcome("waiting", f"Goes out to {account.handle} at "
                               f"{_stamp(moment)} (socialdesk publish --due).")
            if moment >= self.now + mastodon.SCHEDULE_LEAD:
                scheduled_at = moment
        try:
            media = self._media(detail, account.network)
            client = self._client(account)
        except PublishError as error:
            return outcome("refused", str(error))
        try:
            if earlier is not None and earlier.state == "intent":
                intent = earlier
                found = self._find(client, account, intent)
                if found is not None:
                    return self._sent(detail, account, intent, found, "found")
            else:
                intent = publishing.record_intent(
                    self.ws, detail.id, account.id, key=self._new_key(account), text=text,
                    intended_at=self._intended_at(account),
                    scheduled_at=_stamp(scheduled_at) if scheduled_at else None)
        except PublishError as error:
            return outcome("unknown", str(error))
        try:
            sent = self._send(client, intent, media)
        except PublishError as error:
            unknown = error.maybe_done or intent is earlier
            wait = error.retry_after if isinstance(error, RateLimited) else None
            publishing.record_problem(
                self.ws, intent.id, str(error), unknown=unknown,
                retry_at=_stamp(self.now + timedelta(seconds=wait)) if wait else None)
            return outcome("unknown" if unknown else "failed", str(error))
        return self._sent(detail, account, intent, sent, "sent")

    def _new_key(self, account: Account) -> str:
        return bluesky.new_tid() if account.network == "bluesky" \
            else uuid4().hex

    def _intended_at(self, account: Account) -> str:
        return bluesky.created_at(self.now) if account.network == "bluesky" \
            else _stamp(self.now)

    def _find(self, client: Client, account: Account, intent: Publication) -> Sent | None:
        if isinstance(client, mastodon.MastodonAccount):
            since = datetime.fromisoformat(intent.intended_at.replace("Z", "+00:00"))
            return client.find(account.remote_id, intent.text, key=intent.idempotency_key,
                               since=since)
        return client.find(rkey=intent.idempotency_key, text=intent.text,
                           moment=intent.intended_at)

    def _send(self, client: Client, intent: Publication,
              media: list[tuple[bytes, str, str, str]]) -> Sent:
        if isinstance(client, mastodon.MastodonAccount):
            ids = tuple(client.upload(data, name, mime, alt) for data, name, mime, alt in media)
            scheduled = (datetime.fromisoformat(intent.scheduled_at.replace("Z", "+00:00"))
                         if intent.scheduled_at else None)
            if scheduled is not None and scheduled < self.now + mastodon.SCHEDULE_LEAD:
                scheduled = None  # a lost intent whose time has come: it goes out now
            return client.post(intent.text, key=intent.idempotency_key,
                               scheduled_at=scheduled, media_ids=ids)
        images = tuple((client.upload(data, mime), alt) for data, _, mime, alt in media)
        record = client.record(intent.text, intent.intended_at, images)
        return client.post(record, rkey=intent.idempotency_key)

    def _sent(self, detail: PostDetail, account: Account, intent: Publication, sent: Sent,
              how: str) -> Outcome:
        publishing.record_sent(self.ws, intent.id, remote_id=sent.remote_id, uri=sent.uri,
                               url=sent.url, sent_at=_stamp(datetime.now(UTC)),
                               scheduled_at=sent.scheduled_at)
        if sent.scheduled_at:
            return Outcome(detail.id, account, "scheduled", f"Scheduled on {account.handle} "
                           f"for {sent.scheduled_at}.", sent.url, sent.remote_id)
        verb = "Found already sent to" if how == "found" else "Sent to"
        return Outcome(detail.id, account, "sent", f"{verb} {account.handle}.", sent.url,
                       sent.remote_id)

    def _media(self, detail: PostDetail, network: str) -> list[tuple[bytes, str, str, str]]:
        """The post's media files (content, name, type, alt text), or why not to send them."""
        paths = detail.draft.media
        most = media_limit(network)
        if most is not None and len(paths) > most:
            raise PublishError(f"{platform_name(network)} takes at most {most} media "
                               f"files; the post has {len(paths)}: not sent.")
        found = []
        for position, relative in enumerate(paths):
            try:
                path = media_path(self.ws.path, relative)
            except MediaPathError as error:
                raise PublishError(f"{error}: not sent.") from error
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if network == "bluesky" and not mime.startswith("image/"):
                raise PublishError(f"{path.name}: Bluesky takes images only: not sent.")
            try:
                size = path.stat().st_size
                if size > MAX_MEDIA_BYTES[network]:
                    raise PublishError(f"{path.name} is too large for "
                                       f"{platform_name(network)} ({size:,} bytes): not sent.")
                data = path.read_bytes()
            except OSError as error:
                raise PublishError(f"{path}: cannot be read ({error.strerror}): not sent."
                                   ) from error
            found.append((data, path.name, mime, media_alt(detail.draft.media_alt, position)))
        return found

    def _mark_published(self, detail: PostDetail, outcomes: list[Outcome]) -> None:
        """Out on every account: the post is published, with the first post's address."""
        if not outcomes or any(o.state not in ("sent", "already") for o in outcomes):
            return
        values: dict[str, Any] = {}
        if detail.draft.status != "published":
            values["status"] = "published"
        url = next((o.url for o in outcomes if o.url), "")
        if url and not detail.draft.published_url:
            values["published_url"] = url
        if values:
            write_post_fields(self.ws, detail.id, values)

    # --- due posts ------------------------------------------------------------------

    def due(self, progress: Callable[[int, int], bool] | None = None) -> list[Outcome]:
        """Send every scheduled post whose time has passed and that some account lacks.

        ``progress(done, total)`` is told after each post; when it returns False, the
        rest waits for the next run.

        Only posts whose time came after the account was connected: an older scheduled
        post (one posted by hand and never marked published, say) goes out only when
        asked for (:meth:`publish`).
        """
        by_day = (self.now + timedelta(days=2)).date().isoformat()  # any zone's today
        due: dict[int, set[int]] = {}  # post → the accounts it is due on
        for account in publishing.accounts(self.ws):
            connected = datetime.fromisoformat(account.connected_at.replace("Z", "+00:00"))
            for candidate in publishing.due_candidates(self.ws, account.network, account.id,
                                                       by_day):
                detail = get_post(self.ws, candidate.post_id)
                moment = post_moment(detail) if detail else None
                if moment is not None and connected <= moment <= self.now:
                    due.setdefault(candidate.post_id, set()).add(account.id)
        outcomes: list[Outcome] = []
        for done, (post_id, accounts) in enumerate(due.items(), start=1):
            outcomes += [o for o in self.publish(post_id, only=accounts)
                         if o.state != "already"]
            if progress is not None and not progress(done, len(due)):
                break
        return outcomes
