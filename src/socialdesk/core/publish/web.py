"""Requests to Mastodon and Bluesky servers, bounded in time and size, with one-line errors.

Plain httpx rather than Mastodon.py and the atproto SDK: SocialDesk needs five endpoints
of each network. The atproto SDK is large and pins pydantic; Mastodon.py is built on
requests and waits on rate limits by itself. Neither lets us bound what a server sends
back, and a hostile server (a typo'd or taken-over instance) must not hang the app or
fill its memory. Here every request:

- runs with a hard deadline (:data:`DEADLINE` seconds, start to last byte): the request
  runs in a thread of its own and the caller stops waiting at the deadline, however
  slowly the server drips its headers or body;
- reads at most :data:`MAX_ANSWER` bytes of answer, uncompressed (compressed answers are
  refused, so a small gzip cannot expand into gigabytes), and follows no redirect;
- ends in JSON or in one :class:`PublishError` whose message names the server and says
  what to do. Whether the server may have acted on a request that failed is part of the
  error (:attr:`PublishError.maybe_done`): publishing must know to check before resending.

Server addresses are https, or http only to this computer (:func:`server_url`).
"""

from __future__ import annotations

import ipaddress
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from socialdesk import __version__

DEADLINE = 30.0  # seconds for one request, start to last byte
CONNECT_TIMEOUT = 10.0
MAX_ANSWER = 4 * 1024 * 1024  # bytes of one answer
MAX_ERROR_TEXT = 200  # characters of a server's error message repeated to the user
# Who shared a post is read page by page; a server whose pages never end (an endless
# cursor, the same page again) is read up to these bounds and no further.
MAX_PAGES = 10  # pages of boosters/reposters read per post
MAX_SHARERS = 1000  # boosters/reposters kept per post


@dataclass(frozen=True, slots=True)
class Verified:
    """An account as its server knows it."""

    remote_id: str  # Mastodon account id, Bluesky DID
    handle: str  # @name@instance, name.bsky.social
    display_name: str
    profile_url: str


@dataclass(frozen=True, slots=True)
class Sent:
    """A post the server made (or will make at ``scheduled_at``)."""

    remote_id: str
    uri: str = ""
    url: str = ""
    scheduled_at: str | None = None


@dataclass(frozen=True, slots=True)
class Sharer:
    """Someone who boosted or reposted a post."""

    remote_id: str  # Mastodon account id, Bluesky DID
    handle: str  # user@instance (always with the instance), name.bsky.social
    name: str
    url: str


class PublishError(Exception):
    """A problem with a server, said in one sentence for the user.

    ``maybe_done``: the request may have reached the server and been carried out (a lost
    answer, a timeout, a server error), so the account must be checked before resending.
    """

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.maybe_done = maybe_done


class NotAuthorized(PublishError):
    """The server refused the account's secret (401 or 403)."""


class AnswerTooLarge(PublishError):
    """The answer was larger than the request's limit (or compressed), so not read."""


class RateLimited(PublishError):
    """The server asks to wait (429); ``retry_after`` says how long, in seconds."""


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_url(text: str, example: str) -> str:
    """The server address ``text`` as ``https://host[:port]``; raise :class:`PublishError`.

    A bare host name gets ``https://``. ``http://`` is accepted only for a server on this
    computer (a loopback address), as in tests. ``example`` completes the messages.
    """
    raw = text.strip()
    if "://" not in raw:
        raw = f"https://{raw}"
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        host, port = "", None
    if parts.scheme.lower() not in ("https", "http") or not host or " " in raw:
        raise PublishError(f"{text!r} is not a server address like {example}.")
    if parts.username or parts.password or parts.query or parts.fragment or (
            parts.path not in ("", "/")):
        raise PublishError(f"{text!r}: give only the server's address, like {example}.")
    if parts.scheme.lower() == "http" and not _loopback(host):
        raise PublishError(f"{text!r}: the address must start with https:// (http:// is only "
                           "for a server on this computer).")
    shown_host = f"[{host}]" if ":" in host else host.lower()
    return f"{parts.scheme.lower()}://{shown_host}" + (f":{port}" if port else "")


def _clean(text: str) -> str:
    """A server's own words, safe to show: one line, no control characters, not too long."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= MAX_ERROR_TEXT else flat[: MAX_ERROR_TEXT - 1] + "…"


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or a date) or ``RateLimit-Reset``.

    Mastodon sends ``X-RateLimit-Reset`` as a date, Bluesky ``RateLimit-Reset`` as Unix
    seconds; ``Retry-After`` wins when present.
    """
    now = time.time() if now is None else now
    value = headers.get("retry-after", "").strip()
    if value:
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = headers.get("ratelimit-reset", "").strip()
    if reset.isdigit():
        return max(0.0, int(reset) - now)
    reset = headers.get("x-ratelimit-reset", "").strip()
    if reset:
        from datetime import datetime

        try:
            return max(0.0, datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp() - now)
        except ValueError:
            pass
    return None


def _wait_text(seconds: float | None) -> str:
    if seconds is None:
        return "try again later"
    if seconds < 90:
        count = max(1, round(seconds))
        return f"try again in {count} second{'' if count == 1 else 's'}"
    return f"try again in {round(seconds / 60)} minutes"


_NEXT = re.compile(r'rel\s*=\s*"?([^";]*)')


def next_page(link: str) -> dict[str, str]:
    """The query of a ``Link`` header's ``rel="next"`` address ({} when there is none).

    ``<https://host/path?max_id=1>; rel="next", <…>; rel="prev"``, read in one pass.
    """
    for part in link.split(","):
        address, _, params = part.partition(";")
        address = address.strip()
        rels = _NEXT.findall(params)
        if address.startswith("<") and address.endswith(">") and any(
                "next" in rel.split() for rel in rels):
            return {name: values[-1] for name, values in
                    parse_qs(urlsplit(address[1:-1]).query).items()}
    return {}


class _Answer:
    """What came back: status, headers and at most :data:`MAX_ANSWER` bytes of body."""

    def __init__(self, status: int, headers: httpx.Headers, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class Server:
    """One server's address and secret-free HTTP client; :meth:`call` makes one request.

    ``secret``: what the user gave, as the messages call it ("access token"). The caller
    passes its ``Authorization`` header per call; it never appears in a message.
    """

    def __init__(self, base: str, *, secret: str, deadline: float = DEADLINE,
                 max_answer: int = MAX_ANSWER) -> None:
        self.base = base
        self.host = urlsplit(base).netloc
        self.secret = secret
        self.deadline = deadline
        self.max_answer = max_answer
        # httpx's own timeouts only end a thread the caller stopped waiting for: twice the
        # deadline, so that the deadline is always what the caller meets first (equal, a
        # read timing out as the deadline passed told a busy machine's user another story).
        backstop = 2 * deadline
        self._client = httpx.Client(
            base_url=base, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(min(deadline, CONNECT_TIMEOUT), read=backstop,
                                  write=backstop, pool=backstop),
            headers={"User-Agent": f"SocialDesk/{__version__}", "Accept": "application/json",
                     "Accept-Encoding": "identity"},
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def call(self, method: str, path: str, **request: Any) -> Any:
        """Make one request; return the answer's JSON (None for an empty body).

        ``request``: httpx's ``params``, ``data``, ``json``, ``files``, ``content``,
        ``headers``. Raises :class:`PublishError` (or a subclass) with a message for the user.
        """
        return self._json(method, self._bounded(method, path, request))

    def call_paged(self, path: str, **request: Any) -> tuple[Any, dict[str, str]]:
        """GET one page; return its JSON and the query of the next page ({} at the end).

        The next page is the ``Link`` header's ``rel="next"`` (as Mastodon paginates):
        only its query is kept, so a server cannot send the next request elsewhere.
        """
        answer = self._bounded("GET", path, request)
        return self._json("GET", answer), next_page(answer.headers.get("link", ""))

    def _json(self, method: str, answer: _Answer) -> Any:
        if 200 <= answer.status < 300:
            if not answer.body.strip():
                return None
            try:
                return json.loads(answer.body)
            except (ValueError, UnicodeDecodeError, RecursionError) as error:  # too deep too
                raise PublishError(f"{self.host} sent an answer that is not JSON.",
                                   status=answer.status, maybe_done=method != "GET") from error
        raise self._refusal(method, answer)

    def request(self, method: str, path: str, **request: Any) -> _Answer:
        """Make one bounded request; return the answer whatever its status (WebDAV's XML).

        Raises :class:`PublishError` only when no complete answer came (no connection,
        the deadline, too large).
        """
        return self._bounded(method, path, request)

    def _refusal(self, method: str, answer: _Answer) -> PublishError:
        said = ""
        try:
            payload = json.loads(answer.body)
            if isinstance(payload, dict):
                # Mastodon: {"error": "…"}; XRPC: {"error": "Name", "message": "…"}
                said = str(payload.get("message") or payload.get("error") or "")
        except (ValueError, UnicodeDecodeError, RecursionError):
            pass
        said = _clean(said)
        status = answer.status
        detail = f"{status}: {said}" if said else str(status)
        if status in (401, 403):
            return NotAuthorized(
                f"{self.host} refused the {self.secret} ({detail}). Connect the account "
                "again with a new one.", status=status)
        if status == 429:
            wait = retry_after(answer.headers)
            return RateLimited(f"{self.host} is limiting requests ({detail}); "
                               f"{_wait_text(wait)}.", status=status, retry_after=wait)
        if status >= 500:
            return PublishError(f"{self.host} had a problem ({detail}); try again later.",
                                status=status, maybe_done=method != "GET")
        if 300 <= status < 400:
            return PublishError(f"{self.host} sent the request elsewhere ({status}); check "
                                "the server's address.", status=status)
        return PublishError(f"{self.host} refused it ({detail}).", status=status)

    def _bounded(self, method: str, path: str, request: dict[str, Any]) -> _Answer:
        """Run the request in a thread of its own and wait for it until the deadline."""
        outcome: dict[str, Any] = {}
        stop = threading.Event()

        def run() -> None:
            try:
                outcome["answer"] = self._read(method, path, request, stop)
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        worker = threading.Thread(target=run, name=f"socialdesk-http-{self.host}", daemon=True)
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            stop.set()  # the thread stops at its next chunk or timeout; nobody waits for it
            raise PublishError(f"{self.host} did not answer within {self.deadline:g} seconds; "
                               "try again later.", maybe_done=method != "GET")
        if "error" in outcome:
            raise self._translated(method, outcome["error"])
        answer: _Answer = outcome["answer"]
        return answer

    def _read(self, method: str, path: str, request: dict[str, Any],
              stop: threading.Event) -> _Answer:
        with self._client.stream(method, path, **request) as response:
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise _TooMuch(f"{self.host} sent a compressed answer ({encoding}), which "
                               "SocialDesk does not accept.")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_answer:
                raise _TooMuch(f"{self.host} sent an answer too large to read "
                               f"({int(declared):,} bytes).")
            body = bytearray()
            for chunk in response.iter_raw():
                if stop.is_set():
                    raise _TooMuch("abandoned")
                body += chunk
                if len(body) > self.max_answer:
                    raise _TooMuch(f"{self.host} sent an answer too large to read "
                                   f"(over {self.max_answer:,} bytes).")
            return _Answer(response.status_code, response.headers, bytes(body))

    def _translated(self, method: str, error: BaseException) -> BaseException:
        maybe = method != "GET"
        if isinstance(error, _TooMuch):
            return AnswerTooLarge(str(error), maybe_done=maybe)
        if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
            reason = _clean(str(error)) or "no connection"
            return PublishError(f"Cannot reach {self.host} ({reason}): check the address and "
                                "the network connection.")
        if isinstance(error, httpx.TimeoutException):
            return PublishError(f"{self.host} did not answer in time; try again later.",
                                maybe_done=maybe)
        if isinstance(error, httpx.HTTPError):
            return PublishError(f"The connection to {self.host} failed ({_clean(str(error))}); "
                                "try again later.", maybe_done=maybe)
        return error


class _TooMuch(Exception):
    """An answer SocialDesk will not read further."""
