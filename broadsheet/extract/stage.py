"""The extract stage's transform: documents → entities, entity_mentions, claims and dates rows.

Each extractor works on one document's text and returns spans; this module turns their output
into table rows with stable ids, sentence indexes and the links between tables (the dates and
entities inside a claim, the claim a date sits in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from broadsheet.extract.claims import Claim, extract_claims
from broadsheet.extract.dates import TemporalExpression, find_temporal_expressions
from broadsheet.ids import stable_id
from broadsheet.text import sentence_index, sentence_spans

Row = dict[str, Any]

# A stated date anchors relative expressions. An inferred one only when it was inferred from a
# full calendar day: a year-level lower bound would turn "Wednesday" into a guess.
_STATED_DATE_SOURCES = {"metadata", "byline", "text"}
_MIN_INFERRED_ANCHOR_CONFIDENCE = 0.5


@dataclass
class ExtractStageRows:
    entities: list[Row] = field(default_factory=list)
    entity_mentions: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    dates: list[Row] = field(default_factory=list)
    rejects: list[Row] = field(default_factory=list)


def extract_rows(documents: Iterable[Mapping[str, Any]]) -> ExtractStageRows:
    out = ExtractStageRows()
    for doc in sorted(documents, key=lambda d: d["doc_id"]):
        try:
            claims, dates = extract_document(doc)
        except Exception as exc:  # listed in rejects; the document stays, without extracted rows
            out.rejects.append(
                {
                    "source_uri": doc["source_uri"],
                    "source_format": doc["source_format"],
                    "doc_id": doc["doc_id"],
                    "stage": "extract",
                    "reason": "extraction_error",
                    "detail": f"extraction failed: {type(exc).__name__}: {exc}",
                    "raw_sha256": doc["raw_sha256"],
                }
            )
            continue
        out.claims.extend(claims)
        out.dates.extend(dates)
    return out


def anchor_for(doc: Mapping[str, Any]) -> tuple[dt.date | None, str]:
    """The date relative expressions resolve against, and which kind of anchor it is."""
    date = doc.get("published_date")
    source = doc.get("published_date_source")
    if date is None:
        return None, "none"
    if source in _STATED_DATE_SOURCES:
        return date, "published_date"
    if source == "inferred" and doc.get("published_date_confidence", 0) >= _MIN_INFERRED_ANCHOR_CONFIDENCE:
        return date, "inferred_published_date"
    return None, "none"


def extract_document(doc: Mapping[str, Any]) -> tuple[list[Row], list[Row]]:
    text: str = doc["text"]
    doc_id: str = doc["doc_id"]
    starts = [s for s, _ in sentence_spans(text)]
    anchor, anchor_source = anchor_for(doc)

    timexes = find_temporal_expressions(text, anchor=anchor)
    claims = extract_claims(text)

    claim_rows = [_claim_row(doc_id, c, starts) for c in claims]
    date_rows = [_date_row(doc_id, t, starts, anchor, anchor_source) for t in timexes]

    # Link dates and claims: a date belongs to the narrowest claim whose content contains it.
    for date in date_rows:
        holders = [c for c in claim_rows if c["start_char"] <= date["start_char"] and date["end_char"] <= c["end_char"]]
        if holders:
            holder = min(holders, key=lambda c: (c["end_char"] - c["start_char"], c["claim_id"]))
            date["claim_id"] = holder["claim_id"]
            holder["date_ids"].append(date["date_id"])
    for claim in claim_rows:
        claim["date_ids"].sort()
    return claim_rows, date_rows


def _claim_row(doc_id: str, c: Claim, starts: list[int]) -> Row:
    return {
        "claim_id": stable_id("c", doc_id, c.start, c.end),
        "doc_id": doc_id,
        "kind": c.kind,
        "start_char": c.start,
        "end_char": c.end,
        "surface": c.surface,
        "claimant_start_char": c.claimant_start,
        "claimant_end_char": c.claimant_end,
        "claimant_text": c.claimant_text,
        "claimant_resolved_text": c.antecedent_text,
        "claimant_entity_id": None,  # filled once canonical entities exist (entity resolution)
        "claimant_kind": c.claimant_kind,
        "cue_start_char": c.cue_start,
        "cue_end_char": c.cue_end,
        "cue_text": c.cue_text,
        "modality": c.modality,
        "modality_cues": list(c.modality_cues),
        "entity_ids": [],
        "date_ids": [],
        "sentence_index": sentence_index(starts, c.start),
        "confidence": c.confidence,
    }


def _date_row(
    doc_id: str, t: TemporalExpression, starts: list[int], anchor: dt.date | None, anchor_source: str
) -> Row:
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
