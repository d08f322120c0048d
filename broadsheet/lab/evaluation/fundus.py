"""The Fundus test pages: real news web pages with their gold title, authors, date and body.

A corpus folder holds `COUNTRY/PAGE.html.gz` next to `PAGE.gold.json`; the gold names the page's
`title`, `authors` (a list), `publishing_date` (an ISO datetime string, with or without an offset),
`body` (`summary`: paragraphs, `sections`: each `headline` and `paragraphs`), `publisher` and
whether the page is in English. Pages are read lazily: the HTML stays on disk until asked for.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD_SUFFIX = ".gold.json"
HTML_SUFFIX = ".html.gz"


@dataclass(frozen=True)
class GoldPage:
    page_id: str  # COUNTRY/PAGE
    country: str
    publisher: str
    english: bool
    title: str | None
    authors: tuple[str, ...]
    publishing_date: str | None
    summary: tuple[str, ...]
    headlines: tuple[str, ...]
    paragraphs: tuple[str, ...]
    html_path: Path

    @property
    def body(self) -> str:
        """The gold body as one text: summary, then each section's headline and paragraphs."""
        return "\n\n".join(self.blocks)

    @property
    def blocks(self) -> tuple[str, ...]:
        return (*self.summary, *self.headlines, *self.paragraphs)

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        """The paragraphs whose survival is measured: the summary's and the sections' (not headlines)."""
        return (*self.summary, *self.paragraphs)

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(v for v in value or () if isinstance(v, str) and v.strip())


def parse_gold(gold: dict[str, Any], page_id: str, html_path: Path) -> GoldPage:
    body = gold.get("body") or {}
    headlines: list[str] = []
    paragraphs: list[str] = []
    for section in body.get("sections") or ():
        headlines.extend(_strings(section.get("headline")))
        paragraphs.extend(_strings(section.get("paragraphs")))
    country = page_id.split("/", 1)[0]
    return GoldPage(
        page_id=page_id,
        country=country,
        publisher=str(gold.get("publisher") or page_id.rsplit("/", 1)[-1].split("_", 1)[0]),
        english=bool(gold.get("english")),
        title=gold.get("title") or None,
        authors=_strings(gold.get("authors")),
        publishing_date=gold.get("publishing_date") or None,
        summary=_strings(body.get("summary")),
        headlines=tuple(headlines),
        paragraphs=tuple(paragraphs),
        html_path=html_path,
    )


def read_pages(folder: Path) -> list[GoldPage]:
    """Every page under `folder` that has both its gold file and its HTML, in path order."""
    pages = []
    for gold_path in sorted(Path(folder).glob(f"*/*{GOLD_SUFFIX}")):
        name = gold_path.name.removesuffix(GOLD_SUFFIX)
        html_path = gold_path.with_name(name + HTML_SUFFIX)
        if not html_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pages.append(parse_gold(gold, f"{gold_path.parent.name}/{name}", html_path))
    return pages
