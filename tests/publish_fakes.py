"""Local Mastodon and Bluesky servers on 127.0.0.1 that answer as the documented APIs do.

Mastodon: the REST API's shapes from docs.joinmastodon.org (CredentialAccount, Status,
ScheduledStatus, MediaAttachment; errors as ``{"error": "…"}``), ``Idempotency-Key``
honoured. Bluesky: XRPC with the shapes of the AT Protocol lexicons (createSession,
uploadBlob, createRecord, listRecords, getPostThread, getRepostedBy; errors as
``{"error": "Name", "message": "…"}``).

Each server runs in a thread on a free port (or the one given, to come back after
:meth:`FakeServer.stop`, as a server does after an outage) and stops at the end of its
test. Tests can queue refusals (:meth:`FakeServer.refuse_next`) and make a post request
hang after the server made the post (:attr:`FakeServer.hang_after_post`), to kill the
client meanwhile. Who boosted or reposted comes a page at a time, as the APIs page it.
"""

from __future__ import annotations

import email.parser
import html
import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

MASTODON_TOKEN = "mastodon-secret-token-7f3a9c"
BLUESKY_PASSWORD = "abcd-efgh-ijkl-mnop"
BLUESKY_HANDLE = "hearth.bsky.social"
BLUESKY_DID = "did:plc:z72i7hdynmk6r22z27h6tvur"


class FakeServer:
    """A threaded HTTP server whose answers come from :meth:`answer`."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[tuple[str, str]] = []
        self.refusals: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        self.hang_after_post = False
        self.latency = 0.0  # seconds each answer takes (benchmarks)
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests handled at once
        self.post_received = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, as servers do

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with fake.lock:
                    fake.requests.append((method, parts.path))
                    refusal = fake.refusals.pop(0) if fake.refusals else None
                    fake.in_flight += 1
                    fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
                try:
                    self._answer(method, parts, body, refusal)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

            def _answer(self, method: str, parts: Any, body: bytes, refusal: Any) -> None:
                if fake.latency:
                    time.sleep(fake.latency)
                if refusal is not None:
                    status, payload, headers = refusal
                else:
                    status, payload, headers = fake.answer(
                        method, parts.path, parse_qs(parts.query), self.headers, body)
                if headers.pop("X-Hang", None):
                    fake.post_received.set()
                    fake.release.wait(30)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def refuse_next(self, status: int, payload: dict[str, Any],
                    headers: dict[str, str] | None = None) -> None:
        """Answer the next request with this refusal."""
        self.refusals.append((status, payload, headers or {}))

    def answer(self, method: str, path: str, query: dict[str, list[str]], headers: Any,
               body: bytes) -> tuple[int, Any, dict[str, str]]:
        raise NotImplementedError

    def _made(self) -> dict[str, str]:
        """Headers of an answer to a post request: hang first when asked to."""
        return {"X-Hang": "1"} if self.hang_after_post else {}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


_URL = re.compile(r"https?://\S+")


def _content(text: str) -> str:
    """A status's HTML as Mastodon renders it: paragraphs, line breaks, links."""
    def link(url: str) -> str:
        scheme, rest = url.split("://", 1)
        return (f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" '
                f'translate="no"><span class="invisible">{scheme}://</span>'
                f'<span class="">{html.escape(rest)}</span><span class="invisible"></span></a>')

    paragraphs = []
    for paragraph in text.split("\n\n"):
        escaped = html.escape(paragraph, quote=False)
        escaped = _URL.sub(lambda m: link(html.unescape(m.group())), escaped)
        paragraphs.append("<p>" + escaped.replace("\n", "<br />") + "</p>")
    return "".join(paragraphs)


class FakeMastodon(FakeServer):
    """A Mastodon instance with one account, ``@hearth``."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.token = MASTODON_TOKEN
        self.ids = count(110_000_000_000_000_001)
        self.statuses: list[dict[str, Any]] = []
        self.scheduled: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, dict[str, Any]] = {}
        self.boosters: dict[str, list[dict[str, Any]]] = {}
        self.endless_boosts = False
        self.account = {
            "id": "109302418093216254", "username": "hearth", "acct": "hearth",
            "display_name": "Hearth Bakery", "locked": False, "bot": False,
            "created_at": "2022-11-08T00:00:00.000Z", "note": "<p>Bread, daily.</p>",
            "url": f"{self.url}/@hearth", "avatar": f"{self.url}/avatars/original/missing.png",
            "header": f"{self.url}/headers/original/missing.png", "followers_count": 412,
            "following_count": 80, "statuses_count": 0, "last_status_at": None,
            "emojis": [], "fields": [],
        }

    def answer(self, method: str, path: str, query: dict[str, list[str]], headers: Any,
               body: bytes) -> tuple[int, Any, dict[str, str]]:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": "The access token is invalid"}, {}
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return 200, {**self.account, "source": {"privacy": "public", "sensitive": False,
                                                     "language": "", "note": "Bread, daily.",
                                                     "fields": []}}, {}
        if method == "POST" and path == "/api/v2/media":
            return self._upload(headers, body)
        if method == "POST" and path == "/api/v1/statuses":
            return self._post(headers, parse_qs(body.decode(), keep_blank_values=True))
        if method == "GET" and path == f"/api/v1/accounts/{self.account['id']}/statuses":
            limit = min(40, int(query.get("limit", ["20"])[0]))
            return 200, list(reversed(self.statuses))[:limit], {}
        if method == "GET" and path == "/api/v1/scheduled_statuses":
            return 200, list(reversed(self.scheduled))[:40], {}
        match = re.fullmatch(r"/api/v1/statuses/(\d+)(/reblogged_by)?", path)
        status = next((s for s in self.statuses if match and s["id"] == match.group(1)), None)
        if method == "GET" and status is not None and match:
            if match.group(2):
                return self._reblogged_by(status["id"], query)
            return 200, {**status, "reblogs_count": len(self.boosters.get(status["id"], []))}, {}
        return 404, {"error": "Record not found"}, {}

    def _reblogged_by(self, status_id: str, query: dict[str, list[str]]
                      ) -> tuple[int, Any, dict[str, str]]:
        """Boosters newest first, a page at a time; the next page is the ``Link`` header's.

        As Mastodon: ``limit`` 40 by default, at most 80; ``max_id`` is the id of the
        boost (not of the account); a full page has a next link. ``endless_boosts``
        makes a hostile server whose next link never ends.
        """
        limit = min(80, int(query.get("limit", ["40"])[0]))
        max_id = int(query.get("max_id", [str(10**30)])[0])
        if self.endless_boosts:
            page = [{**self._booster(f"fan{max_id % 10**6}-{n}"), "id": f"{max_id}{n}"}
                    for n in range(limit)]
            return 200, page, {"Link": f'<{self.url}/api/v1/statuses/{status_id}/'
                                       f'reblogged_by?max_id={max_id - 1}>; rel="next"'}
        boosts = [b for b in reversed(self.boosters.get(status_id, []))
                  if int(b["_boost_id"]) < max_id][:limit]
        headers = {}
        if len(boosts) == limit:
            base = f"{self.url}/api/v1/statuses/{status_id}/reblogged_by"
            headers["Link"] = (f'<{base}?limit={limit}&max_id={boosts[-1]["_boost_id"]}>; '
                               f'rel="next", <{base}?limit={limit}&since_id='
                               f'{boosts[0]["_boost_id"]}>; rel="prev"')
        return 200, [{k: v for k, v in b.items() if k != "_boost_id"} for b in boosts], headers

    def publish_scheduled(self) -> None:
        """The scheduled statuses' time came: the server makes them statuses (new ids)."""
        for item in self.scheduled:
            _, made, _ = self._post({}, {"status": [item["params"]["text"]]})
            made["created_at"] = item["scheduled_at"]
        self.scheduled.clear()

    def boost(self, status_id: str, acct: str, name: str = "") -> None:
        """Someone boosts a status: ``acct`` is ``user`` (this instance) or ``user@host``."""
        self.boosters.setdefault(status_id, []).append(
            {**self._booster(acct, name), "_boost_id": str(next(self.ids))})

    def _booster(self, acct: str, name: str = "") -> dict[str, Any]:
        """An Account entity for ``acct``."""
        username, _, host = acct.partition("@")
        host = host or self.url.split("://")[1]
        return {
            "id": str(next(self.ids)), "username": username, "acct": acct,
            "display_name": name, "locked": False, "bot": False,
            "created_at": "2023-01-01T00:00:00.000Z", "note": "",
            "url": f"https://{host}/@{username}", "avatar": "", "header": "",
            "followers_count": 10, "following_count": 10, "statuses_count": 1,
            "emojis": [], "fields": []}

    def _upload(self, headers: Any, body: bytes) -> tuple[int, Any, dict[str, str]]:
        message = email.parser.BytesParser().parsebytes(
            b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        fields = {part.get_param("name", header="content-disposition"): part
                  for part in message.get_payload()}
        if "file" not in fields:
            return 422, {"error": "Validation failed: File can't be blank"}, {}
        media_id = str(next(self.ids))
        alt = fields["description"].get_payload(decode=True).decode() \
            if "description" in fields else None
        attachment = {
            "id": media_id, "type": "image", "url": f"{self.url}/media/{media_id}.png",
            "preview_url": f"{self.url}/media/small/{media_id}.png", "remote_url": None,
            "preview_remote_url": None, "text_url": None,
            "meta": {"original": {"width": 2, "height": 2, "size": "2x2", "aspect": 1.0}},
            "description": alt, "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
            "_bytes": len(fields["file"].get_payload(decode=True)),
        }
        self.media[media_id] = attachment
        return 200, {k: v for k, v in attachment.items() if k != "_bytes"}, {}

    def _post(self, headers: Any, form: dict[str, list[str]]
              ) -> tuple[int, Any, dict[str, str]]:
        key = headers.get("Idempotency-Key")
        if key and key in self.by_key:
            return 200, self.by_key[key], {}
        text = form.get("status", [""])[0]
        media_ids = form.get("media_ids[]", [])
        if not text and not media_ids:
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        if len(text) > 500:
            return 422, {"error": "Validation failed: Text character limit of 500 exceeded"}, {}
        when = form.get("scheduled_at", [""])[0]
        if when:
            moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
            if moment < datetime.now(UTC) + timedelta(minutes=5):
                return 422, {"error": "Validation failed: Scheduled at The scheduled date "
                                      "must be in the future"}, {}
            made: dict[str, Any] = {
                "id": str(next(self.ids)), "scheduled_at": moment.strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z"),
                "params": {"poll": None, "text": text, "media_ids": media_ids or None,
                           "sensitive": None, "visibility": None, "idempotency": key,
                           "scheduled_at": None, "spoiler_text": None,
                           "application_id": 596551, "in_reply_to_id": None},
                "media_attachments": [self.media[m] for m in media_ids]}
            self.scheduled.append(made)
        else:
            status_id = str(next(self.ids))
            made = {
                "id": status_id, "created_at": _now(), "in_reply_to_id": None,
                "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
                "visibility": "public", "language": "en",
                "uri": f"{self.url}/users/hearth/statuses/{status_id}",
                "url": f"{self.url}/@hearth/{status_id}", "replies_count": 0,
                "reblogs_count": 0, "favourites_count": 0, "edited_at": None,
                "content": _content(text), "reblog": None,
                "application": {"name": "SocialDesk", "website": None},
                "account": self.account,
                "media_attachments": [self.media[m] for m in media_ids],
                "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None,
            }
            self.statuses.append(made)
        if key:
            self.by_key[key] = made
        return 200, made, self._made()


class FakeBluesky(FakeServer):
    """A PDS with one account, ``hearth.bsky.social``."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.password = BLUESKY_PASSWORD
        self.records: dict[str, dict[str, Any]] = {}  # rkey → record, in creation order
        self.blobs: dict[str, tuple[str, bytes]] = {}
        self.reposts: dict[str, list[dict[str, Any]]] = {}
        self.endless_reposts = False
        self.sessions = 0
        self.cids = count(1)

    def _cid(self, prefix: str) -> str:
        return f"{prefix}{next(self.cids):052d}"

    def answer(self, method: str, path: str, query: dict[str, list[str]], headers: Any,
               body: bytes) -> tuple[int, Any, dict[str, str]]:
        name = path.removeprefix("/xrpc/")
        if name == "com.atproto.server.createSession" and method == "POST":
            given = json.loads(body)
            if given.get("identifier") not in (BLUESKY_HANDLE, BLUESKY_DID) or \
                    given.get("password") != self.password:
                return 401, {"error": "AuthenticationRequired",
                             "message": "Invalid identifier or password"}, {}
            self.sessions += 1
            return 200, {"did": BLUESKY_DID, "handle": BLUESKY_HANDLE,
                         "email": "hello@hearth.example", "emailConfirmed": True,
                         "emailAuthFactor": False, "accessJwt": f"access-{self.sessions}",
                         "refreshJwt": f"refresh-{self.sessions}", "active": True}, {}
        if headers.get("Authorization", "") not in {
                f"Bearer access-{n}" for n in range(1, self.sessions + 1)}:
            return 401, {"error": "AuthenticationRequired",
                         "message": "Authentication Required"}, {}
        if name == "com.atproto.repo.uploadBlob" and method == "POST":
            cid = self._cid("bafkrei")
            mime = headers.get("Content-Type", "*/*")
            self.blobs[cid] = (mime, body)
            return 200, {"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime,
                                  "size": len(body)}}, {}
        if name == "com.atproto.repo.createRecord" and method == "POST":
            return self._create(json.loads(body))
        if name == "com.atproto.repo.listRecords" and method == "GET":
            limit = int(query.get("limit", ["50"])[0])
            items = [{"uri": f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}",
                      "cid": record["cid"], "value": record["value"]}
                     for rkey, record in reversed(self.records.items())][:limit]
            return 200, {"records": items}, {}
        if name in ("app.bsky.feed.getPostThread", "app.bsky.feed.getRepostedBy") and \
                method == "GET":
            if headers.get("atproto-proxy") != "did:web:api.bsky.app#bsky_appview":
                return 400, {"error": "InvalidRequest", "message": "no proxy header"}, {}
            rkey = query.get("uri", [""])[0].rsplit("/", 1)[-1]
            if rkey not in self.records:
                return 400, {"error": "NotFound", "message": "Post not found"}, {}
            return self._thread(rkey) if name.endswith("Thread") else self._reposters(rkey, query)
        return 501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}, {}

    def repost(self, rkey: str, handle: str, name: str = "") -> None:
        """Someone reposts a post."""
        self.reposts.setdefault(rkey, []).append(self._profile(handle, name))

    def _profile(self, handle: str, name: str = "") -> dict[str, Any]:
        """An ``app.bsky.actor.defs#profileView`` for ``handle``."""
        did = f"did:plc:{abs(hash(handle)) % 10**24:024d}"
        return {"did": did, "handle": handle, "displayName": name, "avatar": None,
                "labels": [], "createdAt": "2023-01-01T00:00:00.000Z",
                "indexedAt": "2023-01-01T00:00:00.000Z"}

    def _uri(self, rkey: str) -> str:
        return f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}"

    def _thread(self, rkey: str) -> tuple[int, Any, dict[str, str]]:
        record = self.records[rkey]
        return 200, {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": {
            "uri": self._uri(rkey), "cid": record["cid"],
            "author": {"did": BLUESKY_DID, "handle": BLUESKY_HANDLE, "displayName": "Hearth"},
            "record": record["value"], "replyCount": 2,
            "repostCount": len(self.reposts.get(rkey, [])), "likeCount": 7, "quoteCount": 1,
            "indexedAt": record["value"]["createdAt"], "labels": []}, "replies": []}}, {}

    def _reposters(self, rkey: str, query: dict[str, list[str]]
                   ) -> tuple[int, Any, dict[str, str]]:
        limit = min(100, int(query.get("limit", ["50"])[0]))
        start = int(query.get("cursor", ["0"])[0])
        if self.endless_reposts:  # a hostile server: a new page and cursor every time
            page = [self._profile(f"fan{start + n}.bsky.social") for n in range(limit)]
            return 200, {"uri": self._uri(rkey), "repostedBy": page,
                         "cursor": str(start + limit)}, {}
        everyone = self.reposts.get(rkey, [])
        page = everyone[start:start + limit]
        answer: dict[str, Any] = {"uri": self._uri(rkey), "repostedBy": page}
        if start + limit < len(everyone):
            answer["cursor"] = str(start + limit)
        return 200, answer, {}

    def _create(self, given: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        record = given.get("record", {})
        if given.get("repo") not in (BLUESKY_DID, BLUESKY_HANDLE) or \
                given.get("collection") != "app.bsky.feed.post":
            return 400, {"error": "InvalidRequest", "message": "Invalid repo or collection"}, {}
        if len(record.get("text", "")) > 3000:  # the lexicon's maxLength in bytes-ish
            return 400, {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post "
                         "record: Record/text must not be longer than 300 graphemes"}, {}
        rkey = given.get("rkey") or f"3l{next(self.cids):011d}"
        if rkey in self.records:
            return 400, {"error": "InvalidRequest", "message": "Record already exists"}, {}
        cid = self._cid("bafyrei")
        self.records[rkey] = {"cid": cid, "value": record}
        return 200, {"uri": f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}", "cid": cid,
                     "commit": {"cid": self._cid("bafyrei"), "rev": "3l5t6xy7qzz2a"},
                     "validationStatus": "valid"}, self._made()


def connected_long_ago(conn: sqlite3.Connection) -> None:
    """Date the workspace's accounts back, so that posts due since count as due."""
    with conn:
        conn.execute("UPDATE accounts SET connected_at = '2000-01-01T00:00:00Z'")


@pytest.fixture
def mastodon_server() -> Iterator[FakeMastodon]:
    """A fake Mastodon instance on 127.0.0.1, stopped after the test."""
    server = FakeMastodon().start()
    yield server
    server.stop()


@pytest.fixture
def bluesky_server() -> Iterator[FakeBluesky]:
    """A fake Bluesky PDS on 127.0.0.1, stopped after the test."""
    server = FakeBluesky().start()
    yield server
    server.stop()
