"""News feeds: the bytes of an RSS or Atom feed → its items, and the archive of items seen so far.

`parse_feed` reads RSS 2.0 (also RSS 0.9x), RSS 1.0 (RDF) and Atom with feedparser, which reads
the feeds found in the wild: a feed that is not well-formed XML (an HTML entity such as `&nbsp;`,
a bare `&`) is read by its lenient parser, and the items it recovers are kept with a warning.
Each item gives the article link (relative links are resolved against the feed's URL and any
`xml:base`; an RSS item without `<link>` uses its `<guid>` when that is a permalink), its title
and its publication date string (RSS `pubDate`, Dublin Core `dc:date`, Atom `published`; Atom's
`updated` is when an entry last changed, not when it was published, so it is not used).
What is not a feed at all (an HTML page, an empty or binary document, a broken document that
yields no item with a link) raises `FeedError`; so does one that declares XML entities, which a
feed never needs and which are the vehicle of entity-expansion and external-entity attacks.
feedparser is given the bytes, never a URL, so it reads nothing but them.

`FeedArchive` is the memory of a feed: news feeds rotate items out after a few days, and an
article must not leave the dataset because it fell off its feed. Each item whose article has
been fetched once is recorded here (in `<fetch cache>/feeds/`), in first-seen order, and stays.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import urllib.parse
import xml.sax
from dataclasses import asdict, dataclass
from pathlib import Path

import feedparser

__all__ = ["FeedArchive", "FeedError", "FeedItem", "parse_feed"]

# An entity declaration anywhere outside a CDATA section (in a DOCTYPE, where it takes effect).
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_CHANNEL = re.compile(rb"<(?:[\w.-]+:)?channel[\s/>]")
_RDF_VERSIONS = ("rss090", "rss10")


class FeedError(ValueError):
    """The bytes are not a feed this module can read."""


@dataclass(frozen=True)
class FeedItem:
    link: str  # absolute, as found (after resolving against the feed URL)
    title: str | None
    published_raw: str | None  # the date string as the feed states it


def parse_feed(data: bytes, feed_url: str) -> tuple[list[FeedItem], list[str]]:
    """The feed's items in feed order, and a sentence for each item that has no usable link
    (first, when the feed was not well-formed, a sentence saying so)."""
    if _ENTITY_DECLARATION.search(_CDATA.sub(b"", data)):
        raise FeedError("the feed declares XML entities, which are refused")
    if not data.strip():
        raise FeedError("the feed is not well-formed XML: the document is empty")
    # Bytes in a stream: given a string, feedparser would take it for a URL or a file name.
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": feed_url, "content-type": "application/xml"},
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version:
        root = _FIRST_ELEMENT.search(_COMMENT.sub(b"", data[:65536]))
        if root is None:
            raise FeedError(f"the feed is not well-formed XML: {problem or 'it has no root element'}")
        name = root.group(1).decode("latin-1").rsplit(":", 1)[-1]
        raise FeedError(f"the document is not an RSS or Atom feed (its root element is <{name}>)")
    if version.startswith("rss") and version not in _RDF_VERSIONS and not _CHANNEL.search(data):
        raise FeedError("the RSS document has no <channel>")

    items: list[FeedItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(parsed.entries, start=1):
        link = _link(entry, version)
        if not link:
            problems.append(f"item {number} of the feed has no link to an article")
            continue
        link = urllib.parse.urljoin(feed_url, link)
        if link in seen:
            continue  # the same article listed twice is one article
        seen.add(link)
        published = entry.get("published") if version.startswith("atom") else entry.get("published") or entry.get("updated")
        items.append(FeedItem(link=link, title=_text(entry.get("title")), published_raw=_text(published)))
    if problem is not None:
        # feedparser's "bozo" flag: with items recovered, a warning; with none, not a feed.
        what = "not well-formed XML" if isinstance(problem, xml.sax.SAXException) else "faulty"
        if not items:
            raise FeedError(f"the feed is {what}: {problem}")
        problems.insert(0, f"the feed is {what} ({problem}); its items were read leniently")
    return items, problems


def _link(entry: feedparser.FeedParserDict, version: str) -> str | None:
    if version.startswith("atom"):
        # The article is the "alternate" link, which is also what a link without rel means;
        # feedparser would fall back on the entry's id, which is a name, not an address.
        for link in entry.get("links", []):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                return link["href"].strip()
        return None
    link = (entry.get("link") or "").strip()
    if not link and version in _RDF_VERSIONS:
        link = (entry.get("id") or "").strip()  # the item's rdf:about
    return link or None


def _text(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


class FeedArchive:
    """Every item of one feed whose article was fetched at least once, in first-seen order."""

    def __init__(self, cache_dir: str | Path, feed_url: str) -> None:
        key = hashlib.sha256(feed_url.encode("utf-8")).hexdigest()
        self.path = Path(cache_dir) / "feeds" / f"{key}.json"
        self.feed_url = feed_url
        self._items: dict[str, FeedItem] = {}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # Silently starting afresh would drop every item that has left the feed.
            raise FeedError(f"the archive of this feed cannot be read: {exc}") from None
        if stored.get("feed") == feed_url:
            for raw in stored.get("items", []):
                item = FeedItem(**raw)
                self._items[item.link] = item

    @property
    def items(self) -> list[FeedItem]:
        return list(self._items.values())

    def __contains__(self, link: str) -> bool:
        return link in self._items

    def get(self, link: str) -> FeedItem | None:
        return self._items.get(link)

    def add(self, item: FeedItem) -> None:
        """Record (or refresh the title and date of) an item whose article was fetched."""
        self._items[item.link] = item

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"feed": self.feed_url, "items": [asdict(item) for item in self._items.values()]}
        handle, name = tempfile.mkstemp(prefix=".part-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
