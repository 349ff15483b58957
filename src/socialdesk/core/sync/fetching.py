"""Reading many of the server's items: a multiget REPORT per batch, one GET each otherwise.

``calendar-multiget`` and ``addressbook-multiget`` (RFC 4791, RFC 6352; Nextcloud, Baïkal
and Radicale have them) read :data:`BATCH` items in one request instead of one ``GET``
each. A server that refuses the REPORT gets one ``GET`` per item for the rest of the
sync; an answer over the size limit (large cards with photos) is asked again in halves,
down to single items; an item the answer leaves out is read with its own ``GET``.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialdesk.core.sync.dav import CollectionType, DavClient, NoMultiget, TooLarge

BATCH = 100  # items per multiget (small cards and events: about 0.2-0.5 MB an answer)

Fetched = tuple[str, str] | None  # (text, ETag), None when gone


class Fetcher:
    """Reads items of one collection, in batches while the server has multiget."""

    def __init__(self, client: DavClient, url: str, collection: CollectionType) -> None:
        self.client = client
        self.url = url
        self.collection = collection
        self.multiget = True

    def fetch(self, hrefs: list[str]) -> Iterator[tuple[str, Fetched]]:
        """Each href with its item, in order; a batch is asked for when the first is needed."""
        for start in range(0, len(hrefs), BATCH):
            yield from self._batch(hrefs[start:start + BATCH])

    def _batch(self, hrefs: list[str]) -> Iterator[tuple[str, Fetched]]:
        found: dict[str, Fetched] = {}
        if self.multiget and len(hrefs) > 1:
            try:
                found = self.client.multiget(self.url, self.collection, hrefs)
            except NoMultiget:
                self.multiget = False
            except TooLarge:
                half = len(hrefs) // 2
                yield from self._batch(hrefs[:half])
                yield from self._batch(hrefs[half:])
                return
        for href in hrefs:
            yield href, found[href] if href in found else self.client.get(href)
