"""A Bluesky account over XRPC: log in, upload images, post with link facets, find a post.

Endpoints (the AT Protocol lexicons): ``com.atproto.server.createSession`` (handle and app
password → a session token and the account's DID), ``com.atproto.repo.uploadBlob``,
``com.atproto.repo.createRecord`` (an ``app.bsky.feed.post``) and
``com.atproto.repo.listRecords`` (to find a post whose answer was lost).

Each post gets its record key (a TID) from SocialDesk before it is sent: the server makes
at most one record under a key, and the key finds the post again after a crash. Links and
hashtags are facets whose offsets count UTF-8 bytes, as the lexicon
``app.bsky.richtext.facet`` says.
"""

from __future__ import annotations

import random
import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

from socialdesk.core.limits import link_spans
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

DEFAULT_SERVICE = "https://bsky.social"
EXAMPLE = DEFAULT_SERVICE
POST = "app.bsky.feed.post"
APPVIEW = "did:web:api.bsky.app#bsky_appview"  # where the PDS sends app.bsky.* reads
REPOSTERS = 100  # profiles per page of getRepostedBy (the lexicon's maximum)
RECENT = 50  # records read back when looking for a lost post
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post: text maxLength (bytes), besides 300 graphemes
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images: an image blob's maxSize
_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"


_last_micros = 0
_tid_lock = threading.Lock()


def new_tid(now: float | None = None) -> str:
    """A record key: 13 sortable base-32 characters of the time in µs and a random clock id.

    Keys made in one process never repeat: each is at least a microsecond after the last.
    """
    global _last_micros
    with _tid_lock:
        micros = max(int((time.time() if now is None else now) * 1_000_000),
                     _last_micros + 1)
        _last_micros = micros
    number = (micros << 10) | random.getrandbits(10)
    return "".join(_TID_CHARS[(number >> shift) & 31] for shift in range(60, -5, -5))


def created_at(moment: datetime) -> str:
    """A record's ``createdAt``: UTC with milliseconds, as the Bluesky app writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


_TAG = re.compile(r"(?:^|(?<=\s))#([^\d\s#][^\s#]*)")
_TAG_END = ".,;:!?'\")»…"
MAX_TAG = 64  # characters of a tag facet (the lexicon's maxGraphemes)


def link_facets(text: str) -> list[dict[str, Any]]:
    """The links and hashtags in ``text`` as ``app.bsky.richtext.facet`` features.

    Offsets count UTF-8 bytes. A link without ``https://`` gets it; a tag is stored
    without its ``#``.
    """
    facets = []
    for start, url in link_spans(text):
        begin = len(text[:start].encode())
        uri = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        facets.append({
            "index": {"byteStart": begin, "byteEnd": begin + len(url.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
        })
    links = [(start, start + len(url)) for start, url in link_spans(text)]
    for match in _TAG.finditer(text):
        tag = match.group(1).rstrip(_TAG_END)
        start = match.start(1) - 1
        if not tag or len(tag) > MAX_TAG or any(a <= start < b for a, b in links):
            continue  # empty, too long, or a link's #fragment
        begin = len(text[:start].encode())
        facets.append({
            "index": {"byteStart": begin, "byteEnd": begin + len(f"#{tag}".encode())},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
        })
    return sorted(facets, key=lambda facet: facet["index"]["byteStart"])


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class BlueskyAccount:
    """One Bluesky account: its PDS (or entryway), handle and app password."""

    network = "bluesky"

    def __init__(self, service: str, handle: str, password: str, **limits: Any) -> None:
        self.service = server_url(service, EXAMPLE)
        self.handle = handle.strip().lstrip("@")
        self._password = password
        self._token = ""
        self.did = ""
        self.server = Server(self.service, secret="app password", **limits)

    def close(self) -> None:
        """Close the connections."""
        self.server.close()

    def _xrpc(self, method: str, name: str, **request: Any) -> dict[str, Any]:
        if name != "com.atproto.server.createSession" and not self._token:
            self.login()
        headers = dict(request.pop("headers", {}))
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        answer = self.server.call(method, f"/xrpc/{name}", headers=headers, **request)
        if not isinstance(answer, dict):
            raise PublishError(f"{self.server.host} sent an unexpected answer to {name}.",
                               maybe_done=method != "GET")
        return answer

    def login(self) -> Verified:
        """Open a session with the handle and app password; the account as verified."""
        session = self._xrpc("POST", "com.atproto.server.createSession",
                             json={"identifier": self.handle, "password": self._password})
        token, did = _text(session.get("accessJwt")), _text(session.get("did"))
        if not token or not did.startswith("did:"):
            raise PublishError(f"{self.server.host} sent a session without a DID.")
        self._token, self.did = token, did
        handle = _text(session.get("handle")) or self.handle
        return Verified(did, handle, "", f"https://bsky.app/profile/{handle}")

    verify = login

    def upload(self, data: bytes, mime: str) -> dict[str, Any]:
        """Upload one image; return its blob (to embed in a post)."""
        if len(data) > MAX_IMAGE_BYTES:
            raise PublishError(f"An image of {len(data):,} bytes is over Bluesky's limit "
                               f"({MAX_IMAGE_BYTES:,} bytes).")
        answer = self._xrpc("POST", "com.atproto.repo.uploadBlob", content=data,
                            headers={"Content-Type": mime})
        blob = answer.get("blob")
        if not isinstance(blob, dict) or not isinstance(blob.get("ref"), dict):
            raise PublishError(f"{self.server.host} sent an upload answer without a blob.")
        return blob

    def record(self, text: str, moment: str,
               images: tuple[tuple[dict[str, Any], str], ...] = ()) -> dict[str, Any]:
        """The ``app.bsky.feed.post`` record of ``text`` made at ``moment`` with images+alt."""
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": moment}
        facets = link_facets(text)
        if facets:
            record["facets"] = facets
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images",
                               "images": [{"alt": alt, "image": blob} for blob, alt in images]}
        return record

    def post(self, record: dict[str, Any], *, rkey: str) -> Sent:
        """Make the post ``record`` under the record key ``rkey``."""
        if not self.did:
            self.login()
        answer = self._xrpc("POST", "com.atproto.repo.createRecord", json={
            "repo": self.did, "collection": POST, "rkey": rkey, "record": record})
        return self._sent(_text(answer.get("uri")))

    def _sent(self, uri: str) -> Sent:
        if not uri.startswith("at://"):
            raise PublishError(f"{self.server.host} sent a record without its address.",
                               maybe_done=True)
        rkey = uri.rsplit("/", 1)[-1]
        return Sent(rkey, uri, f"https://bsky.app/profile/{self.did}/post/{rkey}")

    def find(self, *, rkey: str, text: str, moment: str) -> Sent | None:
        """The post made from an earlier request: its record key, or its text and time."""
        if not self.did:
            self.login()
        answer = self._xrpc("GET", "com.atproto.repo.listRecords", params={
            "repo": self.did, "collection": POST, "limit": RECENT})
        records = answer.get("records")
        for item in records if isinstance(records, list) else []:
            if not isinstance(item, dict):
                continue
            uri = _text(item.get("uri"))
            value = item.get("value")
            value = value if isinstance(value, dict) else {}
            if uri.endswith(f"/{POST}/{rkey}") or (
                    value.get("text") == text and value.get("createdAt") == moment):
                return self._sent(uri)
        return None

    def _appview(self, name: str, **params: Any) -> dict[str, Any]:
        return self._xrpc("GET", name, params=params, headers={"atproto-proxy": APPVIEW})

    def counts(self, uri: str) -> Counts:
        """A post's reposts, likes, replies and quotes (``app.bsky.feed.getPostThread``)."""
        thread = self._appview("app.bsky.feed.getPostThread", uri=uri, depth=0,
                               parentHeight=0).get("thread")
        post = thread.get("post") if isinstance(thread, dict) else None
        if not isinstance(post, dict):
            raise PublishError(f"{self.server.host} sent no post for {uri}.")

        def number(name: str) -> int:
            value = post.get(name)
            return value if isinstance(value, int) and value >= 0 else 0

        return Counts(number("repostCount"), number("likeCount"), number("replyCount"),
                      number("quoteCount"))

    def reposters(self, uri: str) -> list[Sharer]:
        """Who reposted a post (``app.bsky.feed.getRepostedBy``, page by page).

        At most :data:`~socialdesk.core.publish.web.MAX_PAGES` pages and
        :data:`~socialdesk.core.publish.web.MAX_SHARERS` profiles; a cursor seen before
        ends the reading.
        """
        sharers: dict[str, Sharer] = {}
        cursor = ""
        cursors: set[str] = set()
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"uri": uri, "limit": REPOSTERS}
            if cursor:
                params["cursor"] = cursor
            page = self._appview("app.bsky.feed.getRepostedBy", **params)
            profiles = page.get("repostedBy")
            profiles = profiles if isinstance(profiles, list) else []
            for profile in profiles:
                if isinstance(profile, dict) and _text(profile.get("did")).startswith("did:"):
                    handle = _text(profile.get("handle"))
                    sharers.setdefault(_text(profile.get("did")), Sharer(
                        _text(profile.get("did")), handle, _text(profile.get("displayName")),
                        f"https://bsky.app/profile/{handle}"))
            cursor = _text(page.get("cursor"))
            if not cursor or not profiles or cursor in cursors or len(sharers) >= MAX_SHARERS:
                break
            cursors.add(cursor)
        return list(sharers.values())[:MAX_SHARERS]
