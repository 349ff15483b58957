"""The CalDAV/CardDAV client: discovery, collections, listings, and conditional writes.

Plain WebDAV over :class:`socialdesk.core.publish.web.Server` rather than the ``caldav``
library: the sync needs CardDAV (``caldav`` has none), RFC 6578 sync-collection with
removals, ETag listings and writes with ``If-Match`` / ``If-None-Match: *`` whose 412 the
engine handles itself; and ``caldav`` reads answers with ``requests``/``niquests``
unbounded, while ``Server`` gives every request a deadline and a size limit (a hostile
server cannot hang the sync or fill memory) and one-line messages. The XML answers are
read with ``defusedxml`` (no DTD, no entities). The handful of requests this needs —
PROPFIND, MKCALENDAR, extended MKCOL, REPORT, GET, PUT, DELETE — are short.

Addresses are https, or http only to this computer (tests, a server on the same machine).
Hrefs are kept as the server's path, re-quoted the same way (:func:`norm_href`), so that
``/a%40b.ics`` and ``/a@b.ics`` are one item.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree.ElementTree import Element

from socialdesk.core.publish.web import (
    AnswerTooLarge,
    PublishError,
    Server,
    _clean,
    _loopback,
)

DEADLINE = 30.0  # seconds for one request
MAX_ANSWER = 16 * 1024 * 1024  # bytes of one answer (a listing of 10,000 items is ~2 MB)
MAX_ITEM = 1024 * 1024  # bytes of one calendar object or vCard
MAX_TOKEN = 4096  # characters of a sync token worth keeping

D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:caldav}"
CR = "{urn:ietf:params:xml:ns:carddav}"
CS_NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" ' \
        'xmlns:cr="urn:ietf:params:xml:ns:carddav"'
DEVICES_NS = "urn:socialdesk:devices"  # a dead property per computer on the calendar
MAX_DEVICES = 50

CollectionType = Literal["calendar", "tasks", "addressbook"]
"""The posts' calendar, the task list of asks (a calendar of VTODOs only), the address book."""

_COMPONENTS = {"calendar": ("VEVENT", "VJOURNAL"), "tasks": ("VTODO",)}


class SyncError(Exception):
    """A problem with the sync server, said in one sentence for the user."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class WrongPassword(SyncError):
    """The server refused the user name or password (401)."""


class PreconditionFailed(SyncError):
    """412: the item changed on the server since it was read (or exists already)."""


class NoSyncCollection(SyncError):
    """The server has no sync-collection REPORT here, or forgot the token: list ETags."""


class TooLarge(SyncError):
    """The answer was over the size limit: not read."""


class NoMultiget(SyncError):
    """The server has no calendar-multiget or addressbook-multiget here: GET each item."""


@dataclass(frozen=True, slots=True)
class Delta:
    """What changed in a collection: hrefs with their ETag, hrefs removed, the new token."""

    changed: dict[str, str]
    removed: list[str]
    token: str


def dav_url(text: str) -> str:
    """The server address ``text`` (a path is allowed); raise :class:`SyncError`."""
    raw = text.strip()
    if "://" not in raw:
        raw = f"https://{raw}"
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a bad port raises here)
    except ValueError:
        host = ""
    example = "https://cloud.example.com/remote.php/dav/"
    if not host or parts.scheme.lower() not in ("http", "https") or " " in raw:
        raise SyncError(f"{text!r} is not a server address like {example}.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise SyncError(f"{text!r}: give the address without a user, password or query, "
                        f"like {example}.")
    if parts.scheme.lower() == "http" and not _loopback(host):
        raise SyncError(f"{text!r}: the address must start with https:// (http:// is only "
                        "for a server on this computer).")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme.lower()}://{parts.netloc}{path}"


def norm_href(href: str, base: str = "/") -> str:
    """The path of ``href`` (relative to ``base``), quoted one way."""
    path = urlsplit(urljoin(base, href.strip())).path
    return quote(unquote(path), safe="/@:+,;=!$&'()*~-._")


def task_list_name(name: str) -> str:
    """The display name of the task list beside the calendar ``name``."""
    return f"{name} asks"


def item_href(collection: str, uid: str, extension: str) -> str:
    """Where a new item ``uid`` goes: its UID made safe as a file name."""
    safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", uid)[:200].lstrip(".") or "item"  # no .hidden
    return norm_href(f"{safe}.{extension}", collection)


def _text(value: str) -> str:
    """``value`` escaped for XML text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(body: bytes, host: str) -> Element:
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import ParseError, fromstring  # type: ignore[import-untyped]

    try:
        root: Element = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, RecursionError) as error:
        raise SyncError(f"{host} sent an answer that is not valid WebDAV XML.") from error
    return root


def _responses(root: Element, base: str) -> list[tuple[str, int, Element]]:
    """(href, status, props) of each ``response`` of a multistatus; status 200 when propstat."""
    found: list[tuple[str, int, Element]] = []
    for response in root.iter(f"{D}response"):
        href = response.findtext(f"{D}href") or ""
        status_text = response.findtext(f"{D}status") or ""
        props = Element("prop")
        status = _status(status_text) if status_text else 200
        for propstat in response.iter(f"{D}propstat"):
            if 200 <= _status(propstat.findtext(f"{D}status") or "") < 300:
                for prop in propstat.iter(f"{D}prop"):
                    props.extend(list(prop))
        if href:
            found.append((norm_href(href, base), status, props))
    return found


def _status(line: str) -> int:
    match = re.search(r"\s(\d{3})(\s|$)", line + " ")
    return int(match.group(1)) if match else 0


class DavClient:
    """One user's connection to a CalDAV/CardDAV server; every answer bounded."""

    def __init__(self, url: str, user: str, password: str, *, deadline: float = DEADLINE,
                 max_answer: int = MAX_ANSWER) -> None:
        self.url = dav_url(url)
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.netloc
        self.user = user
        self._server = Server(self.origin, secret="password", deadline=deadline,
                              max_answer=max_answer)
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._auth = f"Basic {token}"

    def close(self) -> None:
        """Close the connections."""
        self._server.close()

    def __enter__(self) -> DavClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------

    def _call(self, method: str, path: str, *, body: str | bytes | None = None,
              headers: dict[str, str] | None = None) -> Any:
        sent = {"Authorization": self._auth, "Accept": "*/*", **(headers or {})}
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            answer = self._server.request(method, urljoin(self.origin, path), headers=sent,
                                          content=body)
        except PublishError as error:
            said = str(error).replace("try again later", "sync again later")
            if isinstance(error, AnswerTooLarge):
                raise TooLarge(said) from error
            raise SyncError(said) from error
        if answer.status == 401:
            raise WrongPassword(f"{self.host} refused the user name {self.user!r} or its "
                                "password (401): run `socialdesk sync setup` again.", status=401)
        if answer.status >= 500 and answer.status not in (501,):
            raise SyncError(f"{self.host} had a problem ({answer.status}); sync again later.",
                            status=answer.status)
        return answer

    def _refused(self, what: str, answer: Any) -> SyncError:
        said = _clean(answer.body.decode("utf-8", "replace"))[:120] if answer.body else ""
        return SyncError(f"{self.host} refused to {what} ({answer.status}"
                         f"{': ' + said if said else ''}).", status=answer.status)

    def _propfind(self, path: str, props: str, depth: str) -> list[tuple[str, int, Element]]:
        body = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {CS_NS}><d:prop>{props}' \
               '</d:prop></d:propfind>'
        answer = self._call("PROPFIND", path, body=body, headers={
            "Depth": depth, "Content-Type": "application/xml; charset=utf-8"})
        if answer.status != 207:
            raise self._refused(f"list {path}", answer)
        return _responses(_xml(answer.body, self.host), path)

    # -- discovery and collections ----------------------------------------------------

    def _one_href(self, path: str, prop: str, inner: str) -> str | None:
        for _href, _status, props in self._propfind(path, f"<{prop}/>", "0"):
            element = props.find(inner)
            if element is not None:
                href = element.findtext(f"{D}href")
                if href:
                    return norm_href(href, path)
        return None

    def homes(self) -> tuple[str, str]:
        """The calendar-home-set and addressbook-home-set of the user's principal."""
        start = urlsplit(self.url).path
        principal = self._one_href(start, "d:current-user-principal",
                                   f"{D}current-user-principal") or start
        calendars = self._one_href(principal, "c:calendar-home-set", f"{C}calendar-home-set")
        books = self._one_href(principal, "cr:addressbook-home-set",
                               f"{CR}addressbook-home-set")
        if not calendars or not books:
            raise SyncError(f"{self.host} at {self.url} is not a CalDAV and CardDAV server "
                            "(it names no calendar or address book home).")
        return calendars, books

    def ensure_collections(self, name: str) -> tuple[str, str, str]:
        """The calendar, task list and address book of ``name``, made when missing.

        The task list is called "NAME asks" (:func:`task_list_name`).
        """
        calendar_home, book_home = self.homes()
        calendar = self._ensure(calendar_home, name, "calendar")
        tasks = self._ensure(calendar_home, task_list_name(name), "tasks")
        book = self._ensure(book_home, name, "addressbook")
        return calendar, tasks, book

    def ensure_task_list(self, name: str) -> str:
        """The task list of ``name`` (a workspace set up before there was one), made if missing."""
        calendar_home, _book_home = self.homes()
        return self._ensure(calendar_home, task_list_name(name), "tasks")

    def display_name(self, collection: str) -> str:
        """The name a collection shows ('' when it has none)."""
        for _href, _status, props in self._propfind(collection, "<d:displayname/>", "0"):
            return props.findtext(f"{D}displayname") or ""
        return ""

    def _ensure(self, home: str, name: str, kind: CollectionType) -> str:
        found = self._find(home, name, kind)
        if found is None:
            try:
                found = self._make(home, name, kind)
            except SyncError:  # another computer made it meanwhile?
                found = self._find(home, name, kind)
                if found is None:
                    raise
        return found

    def _find(self, home: str, name: str, kind: CollectionType) -> str | None:
        """The collection of ``kind`` named ``name``, None when there is none.

        A calendar of posts takes events, a task list no events (when the server says
        which components a calendar takes).
        """
        resource = f"{CR}addressbook" if kind == "addressbook" else f"{C}calendar"
        found = self._propfind(home, "<d:resourcetype/><d:displayname/>"
                               "<c:supported-calendar-component-set/>", "1")
        for href, _status, props in found:
            sort = props.find(f"{D}resourcetype")
            if sort is None or sort.find(resource) is None or (
                    (props.findtext(f"{D}displayname") or "") != name):
                continue
            components = props.find(f"{C}supported-calendar-component-set")
            takes = {c.get("name", "").upper() for c in components.iter(f"{C}comp")} \
                if components is not None else set()
            if kind == "addressbook" or not takes or (
                    ("VEVENT" in takes) == (kind == "calendar")):
                return href
        return None

    def _make(self, home: str, name: str, kind: CollectionType) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "socialdesk"
        taken = {href for href, _s, _p in self._propfind(home, "<d:resourcetype/>", "1")}
        path = norm_href(f"{slug}-{kind}/", home)
        number = 2
        while path in taken:
            path = norm_href(f"{slug}-{kind}-{number}/", home)
            number += 1
        title = (name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        if kind != "addressbook":
            components = "".join(f'<c:comp name="{c}"/>' for c in _COMPONENTS[kind])
            body = (f'<?xml version="1.0" encoding="utf-8"?><c:mkcalendar {CS_NS}><d:set>'
                    f'<d:prop><d:displayname>{title}</d:displayname>'
                    f'<c:supported-calendar-component-set>{components}'
                    '</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>')
            answer = self._call("MKCALENDAR", path, body=body,
                                headers={"Content-Type": "application/xml; charset=utf-8"})
        else:
            body = (f'<?xml version="1.0" encoding="utf-8"?><d:mkcol {CS_NS}><d:set><d:prop>'
                    '<d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype>'
                    f'<d:displayname>{title}</d:displayname></d:prop></d:set></d:mkcol>')
            answer = self._call("MKCOL", path, body=body,
                                headers={"Content-Type": "application/xml; charset=utf-8"})
        if answer.status not in (200, 201):
            raise self._refused(f"create the {kind} {name!r}", answer)
        return path

    # -- listings ---------------------------------------------------------------------

    def changes(self, collection: str, token: str) -> Delta:
        """What changed since ``token`` ('' : everything), by sync-collection (RFC 6578).

        Raises :class:`NoSyncCollection` when the server lacks it or no longer knows the
        token: the caller lists ETags instead.
        """
        safe_token = token.replace("&", "&amp;").replace("<", "&lt;")
        body = (f'<?xml version="1.0" encoding="utf-8"?><d:sync-collection {CS_NS}>'
                f'<d:sync-token>{safe_token}</d:sync-token><d:sync-level>1</d:sync-level>'
                '<d:prop><d:getetag/></d:prop></d:sync-collection>')
        answer = self._call("REPORT", collection, body=body, headers={
            "Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        if answer.status != 207:
            raise NoSyncCollection(f"{self.host} has no sync-collection here ({answer.status}).",
                                   status=answer.status)
        root = _xml(answer.body, self.host)
        changed: dict[str, str] = {}
        removed: list[str] = []
        for href, status, props in _responses(root, collection):
            if href == collection:
                continue
            if status == 404:
                removed.append(href)
            else:
                changed[href] = props.findtext(f"{D}getetag") or ""
        new_token = (root.findtext(f"{D}sync-token") or "").strip()
        if not new_token or len(new_token) > MAX_TOKEN:
            raise NoSyncCollection(f"{self.host} sent no usable sync token.")
        return Delta(changed, removed, new_token)

    def etags(self, collection: str) -> dict[str, str]:
        """Every item of ``collection`` with its ETag (PROPFIND, Depth 1)."""
        return {href: props.findtext(f"{D}getetag") or ""
                for href, _status, props in self._propfind(collection, "<d:getetag/>", "1")
                if href != collection and not href.endswith("/")}

    # -- items ------------------------------------------------------------------------

    def multiget(self, collection: str, kind: CollectionType,
                 hrefs: list[str]) -> dict[str, tuple[str, str] | None]:
        """Several items of ``collection`` in one request: href → (text, ETag), None if gone.

        ``calendar-multiget`` (RFC 4791 §7.9) or ``addressbook-multiget`` (RFC 6352 §8.7).
        Raises :class:`NoMultiget` when the server refuses the REPORT (the caller GETs
        each item instead); an href the answer leaves out is missing from the result.
        """
        report, data = (("c:calendar-multiget", "c:calendar-data") if kind != "addressbook"
                        else ("cr:addressbook-multiget", "cr:address-data"))
        listed = "".join(f"<d:href>{_text(h)}</d:href>" for h in hrefs)
        body = (f'<?xml version="1.0" encoding="utf-8"?><{report} {CS_NS}><d:prop>'
                f"<d:getetag/><{data}/></d:prop>{listed}</{report}>")
        answer = self._call("REPORT", collection, body=body, headers={
            "Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        if answer.status != 207:
            raise NoMultiget(f"{self.host} has no {report[2:]} here ({answer.status}).",
                             status=answer.status)
        tag = C + "calendar-data" if kind != "addressbook" else CR + "address-data"
        wanted = set(hrefs)
        found: dict[str, tuple[str, str] | None] = {}
        for href, status, props in _responses(_xml(answer.body, self.host), collection):
            if href not in wanted:
                continue
            text = props.findtext(tag)
            if status == 404 or (text is None and status >= 400):
                found[href] = None
            elif text is not None:
                if len(text.encode("utf-8")) > MAX_ITEM:
                    raise SyncError(f"{self.host}: {href} is too large "
                                    f"({len(text.encode('utf-8')):,} bytes).")
                # XML turned the item's CRLF line ends into LF: give them back as GET would
                found[href] = (text.replace("\r\n", "\n").replace("\n", "\r\n"),
                               props.findtext(f"{D}getetag") or "")
        return found

    def get(self, href: str) -> tuple[str, str] | None:
        """The item's text and ETag; None when it is gone."""
        answer = self._call("GET", href)
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise self._refused(f"send {href}", answer)
        if len(answer.body) > MAX_ITEM:
            raise SyncError(f"{self.host}: {href} is too large ({len(answer.body):,} bytes).")
        try:
            text = answer.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SyncError(f"{self.host}: {href} is not UTF-8 text.") from error
        return text, answer.headers.get("etag", "")

    def put(self, href: str, text: str, content_type: str, etag: str | None) -> str:
        """Write the item; ``etag`` None: only if new. Returns the new ETag ('' if unsaid).

        Raises :class:`PreconditionFailed` when the server's item is not the one expected.
        """
        condition = {"If-None-Match": "*"} if etag is None else {"If-Match": etag}
        answer = self._call("PUT", href, body=text, headers={
            "Content-Type": f"{content_type}; charset=utf-8", **condition})
        if answer.status == 412:
            raise PreconditionFailed(f"{self.host}: {href} changed on the server.", status=412)
        if answer.status not in (200, 201, 204):
            raise self._refused(f"save {href}", answer)
        return str(answer.headers.get("etag", ""))

    def delete(self, href: str, etag: str) -> None:
        """Delete the item if it is still the version ``etag`` (gone already: fine)."""
        answer = self._call("DELETE", href, headers={"If-Match": etag} if etag else {})
        if answer.status == 412:
            raise PreconditionFailed(f"{self.host}: {href} changed on the server.", status=412)
        if answer.status not in (200, 204, 404):
            raise self._refused(f"delete {href}", answer)

    # -- who syncs --------------------------------------------------------------------

    def mark_device(self, collection: str, device_id: str, name: str, when: str) -> bool:
        """Note on the collection that this computer synced (a dead property of its own).

        Each computer writes only its own property, so two never race. False when the
        server keeps no such properties: then nobody is listed, and that is all.
        """
        def text(value: str) -> str:
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        safe_id = re.sub(r"[^a-z0-9]", "", device_id.lower())[:32]
        body = (f'<?xml version="1.0" encoding="utf-8"?><d:propertyupdate xmlns:d="DAV:" '
                f'xmlns:s="{DEVICES_NS}"><d:set><d:prop><s:device-{safe_id}>'
                f"{text(name[:100])}\t{text(when)}</s:device-{safe_id}></d:prop></d:set>"
                "</d:propertyupdate>")
        answer = self._call("PROPPATCH", collection, body=body,
                            headers={"Content-Type": "application/xml; charset=utf-8"})
        return answer.status == 207 and b"200" in answer.body

    def devices(self, collection: str) -> list[dict[str, str]]:
        """The computers that noted they synced (:meth:`mark_device`), newest first."""
        body = '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:allprop/>' \
               "</d:propfind>"
        answer = self._call("PROPFIND", collection, body=body, headers={
            "Depth": "0", "Content-Type": "application/xml; charset=utf-8"})
        if answer.status != 207:
            return []
        found = []
        prefix = f"{{{DEVICES_NS}}}device-"
        for _href, _status, props in _responses(_xml(answer.body, self.host), collection):
            for prop in props:
                if prop.tag.startswith(prefix) and prop.text and "\t" in prop.text:
                    name, _tab, when = prop.text.partition("\t")
                    found.append({"id": prop.tag[len(prefix):][:32], "name": name[:100],
                                  "synced_at": when[:32]})
        found.sort(key=lambda d: d["synced_at"], reverse=True)
        return found[:MAX_DEVICES]

