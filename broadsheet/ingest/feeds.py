"""News feeds: the bytes of an RSS or Atom feed → its items, and the archive of items seen so far.

`parse_feed` reads RSS 2.0 (also RSS 0.9x), RSS 1.0 (RDF) and Atom 1.0 with the standard
library's XML parser. Each item gives the article link (relative links are resolved against the
feed's URL; an RSS item without `<link>` uses its `<guid>` when that is a permalink), its title
and its publication date string (RSS `pubDate`, Dublin Core `dc:date`, Atom `published`; Atom's
`updated` is when an entry last changed, not when it was published, so it is not used).
A document that is not well-formed XML, or whose root is not a feed, raises `FeedError`; so does
one that declares XML entities, which a feed never needs and which are the vehicle of
entity-expansion attacks.

`FeedArchive` is the memory of a feed: news feeds rotate items out after a few days, and an
article must not leave the dataset because it fell off its feed. Each item whose article has
been fetched once is recorded here (in `<fetch cache>/feeds/`), in first-seen order, and stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["FeedArchive", "FeedError", "FeedItem", "parse_feed"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedError(ValueError):
    """The bytes are not a feed this module can read."""


@dataclass(frozen=True)
class FeedItem:
    link: str  # absolute, as found (after resolving against the feed URL)
    title: str | None
    published_raw: str | None  # the date string as the feed states it


def parse_feed(data: bytes, feed_url: str) -> tuple[list[FeedItem], list[str]]:
    """The feed's items in feed order, and a sentence for each item that has no usable link."""
    if _ENTITY_DECLARATION.search(data[:65536]):
        raise FeedError("the feed declares XML entities, which are refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"the feed is not well-formed XML: {exc}") from None

    if root.tag == "rss" or root.tag == "channel":
        channel = root.find("channel") if root.tag == "rss" else root
        if channel is None:
            raise FeedError("the RSS document has no <channel>")
        entries = [(item, _rss_item) for item in channel.findall("item")]
    elif root.tag == f"{_RDF}RDF":
        entries = [(item, _rss1_item) for item in root.findall(f"{_RSS1}item")]
    elif root.tag == f"{_ATOM}feed":
        entries = [(entry, _atom_entry) for entry in root.findall(f"{_ATOM}entry")]
    else:
        raise FeedError(f"the document is not an RSS or Atom feed (its root element is <{_local(root.tag)}>)")

    items: list[FeedItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, (element, read) in enumerate(entries, start=1):
        link, title, published = read(element)
        if not link:
            problems.append(f"item {number} of the feed has no link to an article")
            continue
        link = urllib.parse.urljoin(feed_url, link)
        if link in seen:
            continue  # the same article listed twice is one article
        seen.add(link)
        items.append(FeedItem(link=link, title=title, published_raw=published))
    return items, problems


def _rss_item(item: ET.Element) -> tuple[str | None, str | None, str | None]:
    link = _text(item.find("link"))
    if not link:
        guid = item.find("guid")
        # A guid is a permalink unless it says isPermaLink="false" (RSS 2.0).
        if guid is not None and guid.get("isPermaLink", "true").strip().lower() != "false":
            link = _text(guid)
    published = _text(item.find("pubDate")) or _text(item.find(f"{_DC}date"))
    return link, _text(item.find("title")), published


def _rss1_item(item: ET.Element) -> tuple[str | None, str | None, str | None]:
    link = _text(item.find(f"{_RSS1}link")) or item.get(f"{_RDF}about")
    return link, _text(item.find(f"{_RSS1}title")), _text(item.find(f"{_DC}date"))


def _atom_entry(entry: ET.Element) -> tuple[str | None, str | None, str | None]:
    link = None
    for candidate in entry.findall(f"{_ATOM}link"):
        # The article is the "alternate" link, which is also what a link without rel means.
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href").strip()
            break
    return link, _text(entry.find(f"{_ATOM}title")), _text(entry.find(f"{_ATOM}published"))


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


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
