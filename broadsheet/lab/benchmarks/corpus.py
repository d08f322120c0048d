"""The benchmark's input: a corpus as article files in a temporary folder, replicated for scale.

A folder of article files is used as it is; TimeML `.tml` files (the TempEval-3 newswire), which
no source kind reads, are turned into JSON articles (title, text, creation date as the
publication date), one per file. ``--scale N`` adds N-1 copies of every article with a distinct
id and slightly altered text (every digit shifted by the copy's number, so that no copy is an
exact duplicate of another and the dates and figures in it differ; a text without digits gets
the copy's number as a last line), for growth curves.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.ingest.readers import FORMAT_BY_EXTENSION

TIMEML_SUFFIX = ".tml"
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Article:
    """One article as the benchmark writes it: a name, and a JSON object or the file's bytes."""

    name: str
    record: dict | None = None  # a JSON article (from TimeML, or a copy of one)
    data: bytes | None = None  # an article file used as it is


def _timeml_article(path: Path) -> Article:
    from broadsheet.lab.evaluation.timeml import parse_timeml

    xml = path.read_text(encoding="utf-8")
    gold = parse_timeml(xml, path.stem)
    title = (ET.fromstring(xml).findtext("TITLE") or "").strip() or None
    record = {"id": gold.doc_id, "title": title, "text": gold.text.strip()}
    if gold.creation_date is not None:
        record["published_date"] = gold.creation_date.isoformat()
    return Article(f"{path.stem}.json", record=record)


def read_articles(sources: Sequence[Path], limit: int | None = None) -> list[Article]:
    """The articles of `sources` (files or folders), in path order; `limit`: the first so many."""
    paths: list[Path] = []
    for source in sources:
        found = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        paths.extend(p for p in found if p.suffix == TIMEML_SUFFIX or p.suffix in FORMAT_BY_EXTENSION)
    paths = [p for p in paths if not p.name.startswith((".", "_"))]
    if limit is not None:
        paths = paths[:limit]
    return [_timeml_article(p) if p.suffix == TIMEML_SUFFIX else Article(p.name, data=p.read_bytes()) for p in paths]


def altered(text: str, copy: int) -> str:
    """`text` with every digit shifted by `copy` (mod 10): the same article, other figures. A
    text without a digit gets the copy's number as a last line, so that no copy repeats it."""
    shifted = _DIGIT.sub(lambda m: str((int(m.group()) + copy) % 10), text)
    return shifted if shifted != text else f"{text.rstrip()}\n\n({copy})\n"


def copy_of(article: Article, copy: int) -> Article:
    """Copy number `copy` (1, 2, ...) of `article`: another name and id, its text altered."""
    stem, dot, suffix = article.name.rpartition(".")
    name = f"{stem}-x{copy}{dot}{suffix}"
    if article.record is not None:
        record = dict(article.record)
        record["text"] = altered(record["text"], copy)
        if record.get("id"):
            record["id"] = f"{record['id']}-x{copy}"
        return Article(name, record=record)
    text = article.data.decode("utf-8", errors="replace")
    return Article(name, data=altered(text, copy).encode("utf-8"))


def replicate(articles: Sequence[Article], scale: int) -> list[Article]:
    """The articles and scale-1 altered copies of each."""
    return [*articles, *(copy_of(a, k) for k in range(1, scale) for a in articles)]


def write_articles(articles: Iterable[Article], folder: Path) -> int:
    """Write the articles as files under `folder` (a subfolder per thousand); how many."""
    n = 0
    for n, article in enumerate(articles, start=1):
        target = folder / f"{(n - 1) // 1000:04d}" / article.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if article.record is not None:
            target.write_text(json.dumps(article.record, ensure_ascii=False), encoding="utf-8")
        else:
            target.write_bytes(article.data)
    return n
