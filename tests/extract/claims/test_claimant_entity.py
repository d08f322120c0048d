"""The claimant's canonical entity: linked through the part of the claimant that names it, or its
resolved antecedent, never through a name inside a role description. Invented text."""

from __future__ import annotations

from broadsheet.extract.claims import extract_claims
from broadsheet.extract.rows import _Found, extract_document

TEXT = (
    "A former intelligence officer for Russia said the strikes would continue. "
    "Jane Roe, the mayor, said the bridge would reopen. She added that the city would pay."
)


def mention(entity_id: str, name: str, entity_type: str) -> dict[str, object]:
    start = TEXT.index(name)
    return {"entity_id": entity_id, "start_char": start, "end_char": start + len(name), "entity_type": entity_type}


def test_a_role_description_is_not_the_country_it_names() -> None:
    mentions = [mention("e_russia", "Russia", "GPE"), mention("e_roe", "Jane Roe", "PERSON")]
    doc = {"doc_id": "d1", "text": TEXT}
    found = _Found([], extract_claims(TEXT), [], None, "none")
    rows = extract_document(doc, found, mentions).claims
    by_cue = {(r["claimant_text"], r["cue_text"]): r["claimant_entity_id"] for r in rows if r["kind"] != "assertion"}
    assert by_cue[("A former intelligence officer for Russia", "said")] is None
    assert by_cue[("Jane Roe", "said")] == "e_roe"
    assert by_cue[("She", "added")] == "e_roe"  # through the pronoun's antecedent
