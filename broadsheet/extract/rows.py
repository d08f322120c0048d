"""The extract stage's transform: documents → entities, entity_mentions, claims and dates rows.

Each extractor works on one document's text and returns spans; this module turns their output
into table rows with stable ids, sentence indexes and the links between tables (the dates and
entities inside a claim, the claim a date sits in).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from broadsheet.budget import TooSlow, document_budget_s, time_budget
from broadsheet.entities.recognizer import Mention, Recognizer, load_recognizer
from broadsheet.entities.tables import entity_tables
from broadsheet.extract.claims import Claim, extract_claims
from broadsheet.extract.claims.clusters import Items, document_items, link_items, pickle_items
from broadsheet.extract.dates import TemporalExpression, find_temporal_expressions, plausible_publication_date
from broadsheet.frames import ColumnBuilder, ColumnRows, with_values
from broadsheet.ids import stable_id
from broadsheet.memory import release_freed_memory
from broadsheet.schema import TableSchema, load_schemas
from broadsheet.text import sentence_index, sentence_spans

Row = dict[str, Any]

# A stated date anchors relative expressions. An inferred one only when the text gives that full
# day as its own date (confidence 0.6, see broadsheet.clean.pubdate); an update day (0.3) or a lower
# bound (0.1) leaves published_date empty and would turn "Wednesday" into a guess.
_STATED_DATE_SOURCES = {"metadata", "byline", "text"}
_MIN_INFERRED_ANCHOR_CONFIDENCE = 0.5
_ARTICLES = {"", "the", "some", "many", "most", "all"}
# Texts longer than this (about 8,000 words, longer than nearly any news article) are not batched
# with others for entity recognition (see BatchedRecognition).
LONG_TEXT_CHARS = 50_000


@dataclass
class ExtractStageRows:
    """The extract stage's tables. `extract_rows` holds each one as columns (`ColumnRows`) once it
    is complete, so that the corpus-level steps after it do not work beside its rows as dicts."""

    entities: Sequence[Row] = field(default_factory=list)
    entity_mentions: Sequence[Row] = field(default_factory=list)
    claims: Sequence[Row] = field(default_factory=list)
    dates: Sequence[Row] = field(default_factory=list)
    rejects: list[Row] = field(default_factory=list)
    # What each fully extracted document gave (the `extracted` table; see schemas/extracted.yaml).
    extracted: list[Row] = field(default_factory=list)


@dataclass
class DocumentRows:
    claims: list[Row]
    dates: list[Row]


@dataclass
class _Found:
    mentions: list[Mention]
    claims: list[Claim]
    timexes: list[TemporalExpression]
    anchor: dt.date | None
    anchor_source: str
    # Where the text's sentences start: found with the rest (in a worker, once, and cached), so
    # the corpus-level steps never segment every text again (None: not recorded, segment then).
    sentence_starts: tuple[int, ...] | None = None

    def starts(self, text: str) -> list[int]:
        if self.sentence_starts is not None:
            return list(self.sentence_starts)
        return [s for s, _ in sentence_spans(text)]


@dataclass(frozen=True)
class _Held:
    """A document's extraction while the corpus's is gathered: its mentions as they are (the
    entities of every document are made from them first), its claims and dates packed until its
    rows are built. Claims and dates were over half of what every document's extraction held
    (on 9,808 silver articles: 112 of 199 MiB; pickled, 33 MiB)."""

    bare: _Found  # without claims and dates
    packed: bytes
    # What linking reads of its claims (`clusters.document_items`), packed, when it was read where
    # the document was extracted (a worker process); None: read when its rows are built.
    link_items: bytes | None = None

    def found(self) -> _Found:
        # pickle: bytes this run's processes wrote a moment ago, never read from outside it.
        claims, timexes = pickle.loads(self.packed)
        return replace(self.bare, claims=claims, timexes=timexes)


def held(found: _Found | _Held, doc_id: str | None = None) -> _Held:
    """`found` as held while the corpus's extractions are gathered (see `_Held`); given the
    document's id, with what linking reads of its claims (`items_of`)."""
    if isinstance(found, _Held):
        return found
    # Not compressed: zlib would halve the bytes again, for two thirds more time in the one
    # process that gathers every document's extraction.
    packed = pickle.dumps((found.claims, found.timexes), protocol=pickle.HIGHEST_PROTOCOL)
    items = None if doc_id is None else pickle_items(items_of(doc_id, found))
    return _Held(replace(found, claims=[], timexes=[]), packed, items)


def items_of(doc_id: str, found: _Found) -> list:
    """What linking reads of a document's claims, from its extraction: the same values as its
    claim and date rows hold (`_claim_row`, `_date_row`), without entity ids."""
    claims = [
        {
            "claim_id": _claim_id(doc_id, c),
            "doc_id": doc_id,
            "start_char": c.start,
            "end_char": c.end,
            "surface": c.surface,
        }
        for c in found.claims
    ]
    dates = [
        {"start_char": t.start, "end_char": t.end, "interval_start": t.interval_start, "interval_end": t.interval_end}
        for t in found.timexes
    ]
    return document_items(claims, dates)


def extract_rows(
    documents: Iterable[Mapping[str, Any]],
    recognizer: Recognizer | None = None,
    find: Callable[[Mapping[str, Any]], _Found | _Held] | None = None,
    previous_entities: Mapping[str, str] | None = None,
    prepare: Callable[[Mapping[str, Any]], None] | None = None,
    extracts_here: bool = True,
) -> ExtractStageRows:
    """Run every extractor over every document, then link the rows.

    Entities are canonicalized over the whole corpus at once (one id for one entity across all
    articles), so recognition runs first for all documents and the rows are built afterwards.
    ``find`` replaces the per-document extractors (a refresh passes one that reads a cache);
    ``previous_entities`` is the last release's id registry, so entity ids survive a refresh.
    ``extracts_here=False``: ``find`` only hands over extractions made elsewhere (worker
    processes), so the extractors' rules are not loaded in this process.
    """
    out = ExtractStageRows()
    docs = sorted(documents, key=lambda d: d["doc_id"])
    if find is None:
        recognizer = recognizer if recognizer is not None else load_recognizer()
        batches = BatchedRecognition(recognizer, docs)
        find = functools.partial(find_in_document, batches=batches)
        prepare = batches.prepare_document
    found: dict[str, _Held] = {}
    if docs and extracts_here:
        # The extractors load their rules and lexicons on first use (about a second): shared
        # work, done before the first document's budget starts rather than charged to it.
        extract_claims("Officials said on Monday that talks would resume.")
        find_temporal_expressions("on Monday", anchor=None)
    for doc in docs:
        try:
            if prepare is not None:
                prepare(doc)  # shared work (a batch of recognition), outside the document's own budget
            with time_budget():
                result = find(doc)
        except (Exception, TooSlow) as exc:  # listed in rejects; the document stays, without extracted rows
            out.rejects.append(_reject(doc, exc))
            continue
        found[doc["doc_id"]] = held(result)  # packed outside the document's own budget
    schemas = load_schemas()
    texts = {doc["doc_id"]: doc["text"] for doc in docs if doc["doc_id"] in found}
    # Each table is held as columns as soon as it is made (the mentions, claims and dates a chunk
    # of rows at a time), not as dicts: the corpus's rows as dicts were most of what the stage held.
    mentions = ColumnBuilder(schemas["entity_mentions"])
    entities, _ = entity_tables(
        texts,
        {doc_id: f.bare.mentions for doc_id, f in found.items()},
        previous_entities,
        {doc_id: f.bare.starts(texts[doc_id]) for doc_id, f in found.items()},
        into=mentions,
    )
    out.entities = ColumnRows.taken(entities, schemas["entities"])
    out.entity_mentions = mentions.finish()
    del mentions
    # The mentions are in the table now, and a document's rows read them from there: their
    # objects go before the rows and links are made, which can then reuse that memory.
    for f in found.values():
        f.bare.mentions.clear()
    del texts
    mentions_of = _document_slices(out.entity_mentions)
    claims, dates = ColumnBuilder(schemas["claims"]), ColumnBuilder(schemas["dates"])
    items = Items()
    anchors = {doc_id: f.bare.anchor for doc_id, f in found.items()}
    for doc in docs:
        if doc["doc_id"] not in found:
            continue
        # Let go of each document's extraction once its rows are built: the corpus's rows are
        # held until the tables are written, its extractions need not be as well.
        this_held = found.pop(doc["doc_id"])
        this = this_held.found()
        start, length = mentions_of.get(doc["doc_id"], (0, 0))
        mention_rows = out.entity_mentions.frame.slice(start, length).rows(named=True) if length else []
        try:
            rows = extract_document(doc, this, mention_rows)
        except Exception as exc:  # listed; the document keeps its entity mentions
            out.rejects.append(_reject(doc, exc))
            continue
        # Read where the document was extracted, or here from its rows: the same values.
        doc_items = this_held.link_items
        items.add(
            doc_items if doc_items is not None else document_items(rows.claims, rows.dates),
            [claim["entity_ids"] for claim in rows.claims],
        )
        claims.extend(rows.claims)
        dates.extend(rows.dates)
        out.extracted.append(
            {
                "doc_id": doc["doc_id"],
                "text_sha256": hashlib.sha256(doc["text"].encode("utf-8")).hexdigest(),
                "n_mentions": length,
                "n_claims": len(rows.claims),
                "n_dates": len(rows.dates),
            }
        )
    out.claims, out.dates = claims.finish(), dates.finish()
    release_freed_memory()
    out.claims = link_claim_rows(out.claims, items.taken(), schemas["claims"], anchors)
    # The claims' word sets, held while clustering, are gone; the tables are written next.
    release_freed_memory()
    return out


def _document_slices(mentions: ColumnRows) -> dict[str, tuple[int, int]]:
    """Where each document's mention rows are (first row, number of rows): `entity_tables` gives
    a document's mentions together."""
    frame = mentions.frame.select("doc_id").with_row_index("row")
    spans = frame.group_by("doc_id").agg(
        pl.col("row").min().alias("start"), pl.len().alias("length"), pl.col("row").max().alias("last")
    )
    if (spans["last"] - spans["start"] + 1 != spans["length"]).any():
        raise ValueError("entity mention rows are not grouped by document")
    return {doc_id: (start, length) for doc_id, start, length in spans.select("doc_id", "start", "length").iter_rows()}


def link_claim_rows(
    claims: ColumnRows, items: list, ts: TableSchema, published: Mapping[str, dt.date | None] | None = None
) -> ColumnRows:
    """The claims with their cross-document clusters and conflicts (see
    `broadsheet.extract.claims.clusters`), linked over the whole corpus at once from `items`
    (`clusters.Items.taken`: what linking reads of each claim); ``published`` is each document's
    anchor day, so that poll figures weeks apart are not read as disagreeing; `ts` is the claims
    table's schema, which types the columns written back."""
    links = link_items(items, published)
    del items[:]
    # Column by column, in the claims' order, each read from the links and let go before the
    # next: not a link object and three lists per claim held at once.
    frame = claims.frame
    for name, read in (
        ("cluster_id", lambda link: link.cluster_id),
        ("conflicting_claim_ids", lambda link: list(link.conflicting_claim_ids)),
        ("conflict_kinds", lambda link: list(link.conflict_kinds)),
    ):
        frame = with_values(frame, ts, {name: [read(links[claim_id]) for claim_id in frame["claim_id"].to_list()]})
    del links
    return ColumnRows(frame)


class BatchedRecognition:
    """Entity mentions of a known list of documents, recognized a batch at a time on demand.

    The recognizer reads a batch of texts two to three times faster than the same texts one by
    one (its matrix work is shared, and it decodes the batch's texts in step), so the extract
    stage asks for a document's mentions here: the first request recognizes that document
    together with the next ones in line (by ``doc_id``, the order the stage goes in). The
    answers are those of one-by-one recognition. A batch that fails is dropped, so each of its
    documents is recognized alone and a text that cannot be read fails by itself, with its own
    error.
    """

    def __init__(self, recognizer: Recognizer, documents: Iterable[Mapping[str, Any]], batch_size: int = 64) -> None:
        self._recognizer = recognizer
        self._texts = {doc["doc_id"]: doc["text"] for doc in sorted(documents, key=lambda d: d["doc_id"])}
        self._line = list(self._texts)
        self._place = {doc_id: i for i, doc_id in enumerate(self._line)}
        self._batch_size = batch_size
        self._ready: dict[str, list[Mention]] = {}
        self._alone: set[str] = set()

    def _long(self, doc_id: str) -> bool:
        # A very long text is recognized alone, when it is asked for: its time is then its own
        # (a document's time budget covers its recognition), not that of the document whose
        # request started a batch it was in.
        return len(self._texts[doc_id]) > LONG_TEXT_CHARS

    def prepare(self, doc_id: str) -> None:
        """Recognize the batch `doc_id` starts, if it is not recognized yet, under a time budget of
        its own (one document's budget per text in it).

        Called before a document's own budget starts, so a batch's time is not charged to the one
        document that happened to start it (which then ran out of time, and so did every next
        one that restarted the batch). A batch that runs out of time, or fails, is recognized one
        document at a time instead, each within its own budget. A long text is left alone.
        """
        if doc_id not in self._texts or doc_id in self._ready or doc_id in self._alone or self._long(doc_id):
            return
        start = self._place[doc_id]
        ahead = (self._line[i] for i in range(start, len(self._line)))
        waiting = (d for d in ahead if d in self._texts and d not in self._ready and d not in self._alone and not self._long(d))
        batch = [d for d, _ in zip(waiting, range(self._batch_size), strict=False)]
        try:
            with time_budget(document_budget_s() * len(batch)):
                found = self._recognizer.find_many([self._texts[d] for d in batch])
        except (Exception, TooSlow):  # each document of the batch is tried alone, and fails alone
            self._alone.update(batch)
            return
        self._ready.update(zip(batch, found, strict=True))

    def prepare_document(self, doc: Mapping[str, Any]) -> None:
        """:meth:`prepare` for the document row `doc`, as the extract stage passes it."""
        if self._texts.get(doc["doc_id"]) == doc["text"]:
            self.prepare(doc["doc_id"])

    def mentions(self, doc_id: str, text: str) -> list[Mention]:
        if self._texts.get(doc_id) != text:  # not in the list, or already asked for
            return self._recognizer.find(text)
        self.prepare(doc_id)
        del self._texts[doc_id]
        if doc_id in self._ready:
            return self._ready.pop(doc_id)
        return self._recognizer.find(text)


def find_in_document(doc: Mapping[str, Any], batches: BatchedRecognition) -> _Found:
    """The expensive, per-document part: mentions, claims and dates of one text.

    It reads only the document's text and its anchor (:func:`anchor_for`), which is what a
    refresh keys its cache on; the mentions come from ``batches`` (recognized together with the
    documents after it, the same as one by one).
    """
    text: str = doc["text"]
    anchor, anchor_source = anchor_for(doc)
    # The clean stage's split of this very text when the stage passed it on (splitting is about a
    # sixth of a document's extraction), else the same split made here.
    starts = doc.get("sentence_starts")
    return _Found(
        mentions=batches.mentions(doc["doc_id"], text),
        claims=extract_claims(text),
        timexes=find_temporal_expressions(text, anchor=anchor),
        anchor=anchor,
        anchor_source=anchor_source,
        sentence_starts=tuple(starts) if starts is not None else tuple(s for s, _ in sentence_spans(text)),
    )


def _reject(doc: Mapping[str, Any], exc: BaseException) -> Row:
    too_slow = isinstance(exc, TooSlow)
    return {
        "source_uri": doc["source_uri"],
        "source_format": doc["source_format"],
        "doc_id": doc["doc_id"],
        "stage": "extract",
        "reason": "too_slow" if too_slow else "extraction_error",
        "detail": f"extraction {exc}" if too_slow else f"extraction failed: {type(exc).__name__}: {exc}",
        "raw_sha256": doc["raw_sha256"],
    }


def anchor_for(doc: Mapping[str, Any]) -> tuple[dt.date | None, str]:
    """The date relative expressions resolve against, and which kind of anchor it is."""
    date = doc.get("published_date")
    source = doc.get("published_date_source")
    if date is None or not plausible_publication_date(date):
        # documents never hold such a date; a table built otherwise must not anchor on year 1
        return None, "none"
    if source in _STATED_DATE_SOURCES:
        return date, "published_date"
    if source == "inferred" and doc.get("published_date_confidence", 0) >= _MIN_INFERRED_ANCHOR_CONFIDENCE:
        return date, "inferred_published_date"
    return None, "none"


def extract_document(doc: Mapping[str, Any], found: _Found, mention_rows: Sequence[Row]) -> DocumentRows:
    """One document's claims and dates rows, linked to each other and to its entity mentions."""
    text: str = doc["text"]
    doc_id: str = doc["doc_id"]
    starts = found.starts(text)

    claim_rows = [_claim_row(doc_id, c, starts) for c in found.claims]
    date_rows = [_date_row(doc_id, t, starts, found.anchor, found.anchor_source) for t in found.timexes]

    for claim, c in zip(claim_rows, found.claims, strict=True):
        inside = {
            m["entity_id"] for m in mention_rows if claim["start_char"] <= m["start_char"] and m["end_char"] <= claim["end_char"]
        }
        claim["entity_ids"] = sorted(inside)
        claim["claimant_entity_id"] = _entity_at(text, mention_rows, c.claimant_name_start, c.claimant_name_end) or _entity_at(
            text, mention_rows, c.antecedent_start, c.antecedent_end
        )

    # A date belongs to the narrowest claim whose content contains it.
    for date in date_rows:
        holders = [c for c in claim_rows if c["start_char"] <= date["start_char"] and date["end_char"] <= c["end_char"]]
        if holders:
            holder = min(holders, key=lambda c: (c["end_char"] - c["start_char"], c["claim_id"]))
            date["claim_id"] = holder["claim_id"]
            holder["date_ids"].append(date["date_id"])
    for claim in claim_rows:
        claim["date_ids"].sort()
    return DocumentRows(claim_rows, date_rows)


def _entity_at(text: str, mentions: Sequence[Row], start: int | None, end: int | None) -> str | None:
    """The entity of the mention overlapping a speaker span most (the one inside it, for "Iran's foreign minister").

    A nationality or group word is the speaker only when it is the whole speaker, an article
    aside ("the Kurds said"): "a Russian diplomat" is one person, not the Russians.
    """
    if start is None or end is None:
        return None

    def speaks_for_all(m: Row) -> bool:
        rest = (text[start : m["start_char"]] + " " + text[m["end_char"] : end]).strip().lower()
        return m["start_char"] >= start and m["end_char"] <= end and rest in _ARTICLES

    best = max(
        (
            m
            for m in mentions
            if m["start_char"] < end and start < m["end_char"] and (m.get("entity_type") != "NORP" or speaks_for_all(m))
        ),
        key=lambda m: (min(end, m["end_char"]) - max(start, m["start_char"]), -m["start_char"]),
        default=None,
    )
    return best["entity_id"] if best else None


def _claim_id(doc_id: str, c: Claim) -> str:
    return stable_id("c", doc_id, c.start, c.end)


def _claim_row(doc_id: str, c: Claim, starts: list[int]) -> Row:
    claim_id = _claim_id(doc_id, c)
    return {
        "claim_id": claim_id,
        "doc_id": doc_id,
        "kind": c.kind,
        "start_char": c.start,
        "end_char": c.end,
        "surface": c.surface,
        "claimant_start_char": c.claimant_start,
        "claimant_end_char": c.claimant_end,
        "claimant_text": c.claimant_text,
        "claimant_resolved_text": c.antecedent_text,
        "claimant_entity_id": None,  # set in extract_document from the entity mentions
        "claimant_kind": c.claimant_kind,
        "cue_start_char": c.cue_start,
        "cue_end_char": c.cue_end,
        "cue_text": c.cue_text,
        "modality": c.modality,
        "modality_cues": list(c.modality_cues),
        "entity_ids": [],
        "date_ids": [],
        "sentence_index": sentence_index(starts, c.start),
        "cluster_id": claim_id,  # linked across documents in extract_rows
        "conflicting_claim_ids": [],
        "conflict_kinds": [],
        "confidence": c.confidence,
    }


def _date_row(doc_id: str, t: TemporalExpression, starts: list[int], anchor: dt.date | None, anchor_source: str) -> Row:
    return {
        "date_id": stable_id("t", doc_id, t.start, t.end),
        "doc_id": doc_id,
        "start_char": t.start,
        "end_char": t.end,
        "surface": t.surface,
        "timex_type": t.timex_type,
        "value": t.value,
        "mod": t.mod,
        "granularity": t.granularity,
        "interval_start": t.interval_start,
        "interval_end": t.interval_end,
        "is_relative": t.is_relative,
        "anchor_date": anchor if t.anchored else None,
        "anchor_source": anchor_source if t.anchored else "none",
        "claim_id": None,
        "sentence_index": sentence_index(starts, t.start),
    }
