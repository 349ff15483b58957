"""A Mastodon account over its REST API: verify the token, upload media, post, find a post.

Endpoints (docs.joinmastodon.org): ``GET /api/v1/accounts/verify_credentials``,
``POST /api/v2/media`` (with the alt text as ``description``), ``POST /api/v1/statuses``
(with ``scheduled_at`` the server keeps the post and publishes it then, answering with a
ScheduledStatus), ``GET /api/v1/accounts/:id/statuses`` and ``GET /api/v1/scheduled_statuses``
(to find a post whose answer was lost). Every post carries an ``Idempotency-Key``: the
server answers a repeated request with the same key (kept for an hour) with the status it
already made instead of making another.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from socialdesk.core.publish.web import (
    MAX_PAGES,
    MAX_SHARERS,
    PublishError,
    Sent,
    Server,
    Sharer,
    Verified,
    server_url,
)
from socialdesk.store.publishing import Counts

EXAMPLE = "https://mastodon.social"
BOOSTERS = 80  # accounts per page of reblogged_by (the API's maximum)
RECENT = 40  # statuses read back when looking for a lost one (the API's maximum)
SCHEDULE_LEAD = timedelta(minutes=5)  # scheduled_at must be at least this far ahead


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _object(value: Any, what: str, host: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PublishError(f"{host} sent an unexpected answer ({what}).", maybe_done=True)
    return value


class _PlainText(HTMLParser):
    """A status's HTML content as the text that was sent (paragraphs, line breaks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(content: str) -> str:
    """The text of a status's HTML ``content``."""
    parser = _PlainText()
    parser.feed(content)
    parser.close()
    return html.unescape("".join(parser.parts))


def same_text(a: str, b: str) -> bool:
    """True when two texts differ at most in white space (servers reflow it)."""
    return a.split() == b.split()


class MastodonAccount:
    """One Mastodon account: its instance and access token."""

    network = "mastodon"

    def __init__(self, instance: str, token: str, **limits: Any) -> None:
        self.instance = server_url(instance, EXAMPLE)
        self._token = token
        self.server = Server(self.instance, secret="access token", **limits)

    def close(self) -> None:
        """Close the connections."""
        self.server.close()

    def _call(self, method: str, path: str, **request: Any) -> Any:
        headers = {"Authorization": f"Bearer {self._token}", **request.pop("headers", {})}
        return self.server.call(method, path, headers=headers, **request)

    def verify(self) -> Verified:
        """The account the token belongs to (``verify_credentials``)."""
        account = _object(self._call("GET", "/api/v1/accounts/verify_credentials"),
                          "no account", self.server.host)
        remote_id = _text(account.get("id"))
        username = _text(account.get("username")) or _text(account.get("acct"))
        if not remote_id or not username:
            raise PublishError(f"{self.server.host} sent an account without an id.")
        host = self.instance.split("://", 1)[1]
        return Verified(remote_id, f"@{username}@{host}", _text(account.get("display_name")),
                        _text(account.get("url")))

    def upload(self, data: bytes, filename: str, mime: str, alt: str) -> str:
        """Upload one media file with its alt text; return its id."""
        media = _object(self._call("POST", "/api/v2/media", data={"description": alt},
                                   files={"file": (filename, data, mime)}),
                        "no media", self.server.host)
        media_id = _text(media.get("id"))
        if not media_id:
            raise PublishError(f"{self.server.host} sent a media answer without an id.")
        return media_id

    def post(self, text: str, *, key: str, scheduled_at: datetime | None = None,
             media_ids: tuple[str, ...] = ()) -> Sent:
        """Post ``text`` (now, or kept on the server until ``scheduled_at``)."""
        form: dict[str, Any] = {"status": text}
        if media_ids:
            form["media_ids[]"] = list(media_ids)
        if scheduled_at is not None:
            form["scheduled_at"] = scheduled_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        answer = _object(self._call("POST", "/api/v1/statuses", data=form,
                                    headers={"Idempotency-Key": key}),
                         "no status", self.server.host)
        return self._sent(answer)

    def _sent(self, answer: dict[str, Any]) -> Sent:
        remote_id = _text(answer.get("id"))
        if not remote_id:
            raise PublishError(f"{self.server.host} sent a status without an id.",
                               maybe_done=True)
        if "params" in answer and answer.get("scheduled_at"):  # a ScheduledStatus
            return Sent(remote_id, scheduled_at=_text(answer.get("scheduled_at")))
        return Sent(remote_id, _text(answer.get("uri")), _text(answer.get("url")))

    def find(self, account_id: str, text: str, *, key: str, since: datetime) -> Sent | None:
        """The post made from an earlier request with ``key`` or ``text``, if there is one.

        Looks at the account's scheduled posts (which keep the key) and its recent
        statuses made since ``since`` (less a minute for clocks that differ).
        """
        scheduled = self._call("GET", "/api/v1/scheduled_statuses", params={"limit": RECENT})
        for item in scheduled if isinstance(scheduled, list) else []:
            params = item.get("params") if isinstance(item, dict) else None
            if isinstance(params, dict) and (params.get("idempotency") == key or same_text(
                    _text(params.get("text")), text)):
                return self._sent(item)
        statuses = self._call("GET", f"/api/v1/accounts/{account_id}/statuses",
                              params={"limit": RECENT, "exclude_replies": "true",
                                      "exclude_reblogs": "true"})
        earliest = since - timedelta(minutes=1)
        for item in statuses if isinstance(statuses, list) else []:
            if not isinstance(item, dict):
                continue
            try:
                made = datetime.fromisoformat(_text(item.get("created_at")).replace("Z", "+00:00"))
            except ValueError:
                continue
            if made >= earliest and same_text(plain_text(_text(item.get("content"))), text):
                return self._sent(item)
        return None

    def counts(self, status_id: str) -> Counts:
        """A status's boosts, favourites, replies and quotes as the instance counts them."""
        status = _object(self._call("GET", f"/api/v1/statuses/{status_id}"), "no status",
                         self.server.host)

        def number(name: str) -> int:
            value = status.get(name)
            return value if isinstance(value, int) and value >= 0 else 0

        return Counts(number("reblogs_count"), number("favourites_count"),
                      number("replies_count"), number("quotes_count"))

    def boosters(self, status_id: str) -> list[Sharer]:
        """Who boosted a status, handles with their instance, page by page.

        Pages follow the ``Link`` header's next address (its ``max_id``), as the API
        paginates; at most :data:`~socialdesk.core.publish.web.MAX_PAGES` pages and
        :data:`~socialdesk.core.publish.web.MAX_SHARERS` accounts are read.
        """
        host = self.instance.split("://", 1)[1]
        sharers: dict[str, Sharer] = {}
        query: dict[str, str] = {}
        seen_queries: list[dict[str, str]] = []
        for _ in range(MAX_PAGES):
            found, query = self.server.call_paged(
                f"/api/v1/statuses/{status_id}/reblogged_by",
                params={**query, "limit": BOOSTERS},
                headers={"Authorization": f"Bearer {self._token}"})
            accounts = found if isinstance(found, list) else []
            for account in accounts:
                if not isinstance(account, dict) or not _text(account.get("id")):
                    continue
                acct = _text(account.get("acct")) or _text(account.get("username"))
                handle = acct if "@" in acct else f"{acct}@{host}"
                sharers.setdefault(_text(account.get("id")), Sharer(
                    _text(account.get("id")), handle, _text(account.get("display_name")),
                    _text(account.get("url"))))
            query.pop("limit", None)
            if not accounts or not query or query in seen_queries or \
                    len(sharers) >= MAX_SHARERS:
                break
            seen_queries.append(query)
        return list(sharers.values())[:MAX_SHARERS]
