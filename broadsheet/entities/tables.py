"""The ``entities`` and ``entity_mentions`` rows from documents and the mentions found in them.

A pure function for the extract stage: it takes each document's text and recognized mentions,
groups the mentions into canonical entities (:mod:`broadsheet.entities.canonical`) and returns
rows in the shape of ``schemas/entities.yaml`` and ``schemas/entity_mentions.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from broadsheet.entities.canonical import canonicalize
from broadsheet.entities.recognizer import Mention
from broadsheet.frames import ColumnBuilder
from broadsheet.ids import stable_id
from broadsheet.text import sentence_index, sentence_spans

Row = dict[str, Any]


def entity_tables(
    texts: Mapping[str, str],
    mentions: Mapping[str, Sequence[Mention]],
    previous: Mapping[str, str] | None = None,
    sentence_starts: Mapping[str, Sequence[int]] | None = None,
    into: ColumnBuilder | None = None,
) -> tuple[list[Row], list[Row]]:
    """(entities rows, entity_mentions rows) for documents ``doc_id → text`` and their mentions.

    ``previous`` is :func:`broadsheet.entities.canonical.id_registry` of the last release's
    entities, so that ids survive a refresh. ``sentence_starts`` gives each text's sentence
    starts where they are known already (else the text is segmented here). Every mention's
    surface is checked against the text here, before the release's own span check sees it.

    With `into` (the entity_mentions table's `ColumnBuilder`), each document's mention rows go
    there as they are made, in the order the list would have them, and the list returned is
    empty: over 24,520 articles, 558,000 rows as dicts were the most the step held at once.
    """
    result = canonicalize(mentions, previous, texts)
    rows: list[Row] = []
    # Documents in id order, each one's rows sorted: the whole list is in (doc_id, start_char,
    # mention_id) order, and `into` gets the same rows in the same order.
    for doc_id in sorted(mentions):
        text = texts[doc_id]
        known = sentence_starts.get(doc_id) if sentence_starts is not None else None
        starts = list(known) if known is not None else [start for start, _ in sentence_spans(text)]
        doc_rows: list[Row] = []
        for m in mentions[doc_id]:
            if text[m.start : m.end] != m.text:
                raise ValueError(f"{doc_id}: mention {m.text!r} does not match the text at {m.start}:{m.end}")
            label = result.label_of((doc_id, m.start, m.end), m.label)
            if label is None:
                continue  # a role word alone ("President"): vetting dropped it, naming nobody
            doc_rows.append(
                {
                    "mention_id": stable_id("m", doc_id, m.start, m.end),
                    "doc_id": doc_id,
                    "entity_id": result.entity_of[(doc_id, m.start, m.end)],
                    "start_char": m.start,
                    "end_char": m.end,
                    "surface": m.text,
                    "entity_type": label,
                    "sentence_index": sentence_index(starts, m.start),
                    "confidence": m.confidence,
                }
            )
        doc_rows.sort(key=lambda r: (r["start_char"], r["mention_id"]))
        (rows if into is None else into).extend(doc_rows)
    return result.entities, rows
