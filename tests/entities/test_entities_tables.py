"""entities and entity_mentions rows: shapes of the schemas, spans that match the text."""

from __future__ import annotations

import pytest

from broadsheet.entities.recognizer import Mention
from broadsheet.entities.tables import entity_tables
from broadsheet.frames import ColumnBuilder, ColumnRows
from broadsheet.schema import load_schemas
from broadsheet.text import sentence_spans


def _m(text: str, surface: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), surface, label, 0.9)


TEXT_A = "Qassem Soleimani was killed in Baghdad. Soleimani led the Quds Force.\n\nThe U.S. said so."
TEXT_B = "Iran mourned Qasem Soleymani in Teheran. The United States sent troops."


def test_rows_follow_the_schemas_and_the_text() -> None:
    texts = {"d_a": TEXT_A, "d_b": TEXT_B}
    mentions = {
        "d_a": [
            _m(TEXT_A, "Qassem Soleimani", "PERSON"),
            _m(TEXT_A, "Baghdad", "GPE"),
            _m(TEXT_A, "Soleimani", "PERSON", 1),
            _m(TEXT_A, "Quds Force", "ORG"),
            _m(TEXT_A, "U.S.", "GPE"),
        ],
        "d_b": [
            _m(TEXT_B, "Iran", "GPE"),
            _m(TEXT_B, "Qasem Soleymani", "PERSON"),
            _m(TEXT_B, "Teheran", "GPE"),
            _m(TEXT_B, "United States", "GPE"),
        ],
    }
    entities, rows = entity_tables(texts, mentions)
    schemas = load_schemas()
    # Made into columns as they come, the rows are the same and in the same order.
    builder = ColumnBuilder(schemas["entity_mentions"])
    assert entity_tables(texts, mentions, into=builder) == (entities, [])
    assert builder.finish().frame.to_dicts() == ColumnRows.of(rows, schemas["entity_mentions"]).frame.to_dicts()
    assert {c.name for c in schemas["entities"].columns} == set(entities[0])
    assert {c.name for c in schemas["entity_mentions"].columns} == set(rows[0])
    assert len(rows) == 9 and len({r["mention_id"] for r in rows}) == 9
    for r in rows:
        assert texts[r["doc_id"]][r["start_char"] : r["end_char"]] == r["surface"]
    ids = {r["entity_id"] for r in rows}
    assert ids == {e["entity_id"] for e in entities}
    by_surface = {r["surface"]: r for r in rows}
    assert by_surface["Soleimani"]["entity_id"] == by_surface["Qasem Soleymani"]["entity_id"]
    assert by_surface["U.S."]["entity_id"] == by_surface["United States"]["entity_id"]
    assert by_surface["Soleimani"]["sentence_index"] == 1 and by_surface["U.S."]["sentence_index"] == 2
    assert sum(e["n_mentions"] for e in entities) == 9
    # Sentence starts found earlier (with the document's extraction) give the same rows.
    starts = {doc_id: [a for a, _ in sentence_spans(text)] for doc_id, text in texts.items()}
    assert entity_tables(texts, mentions, sentence_starts=starts) == (entities, rows)


def test_a_mention_off_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="does not match"):
        entity_tables({"d": "Ann met Bo."}, {"d": [Mention(0, 3, "Bob", "PERSON", 1.0)]})
