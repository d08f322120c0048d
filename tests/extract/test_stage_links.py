"""How the extract stage ties a claim's speaker to an entity mention."""

from broadsheet.extract.rows import _entity_at


def _mention(text: str, surface: str, entity_id: str, entity_type: str) -> dict:
    start = text.index(surface)
    return {"start_char": start, "end_char": start + len(surface), "entity_id": entity_id, "entity_type": entity_type}


def _speaker(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_a_person_described_by_nationality_is_not_the_nation() -> None:
    text = "A Danish diplomat said the talks would resume."
    mentions = [_mention(text, "Danish", "e_danes", "NORP")]
    assert _entity_at(text, mentions, *_speaker(text, "A Danish diplomat")) is None


def test_a_group_named_whole_is_the_speaker() -> None:
    text = "The Kurds said the road was open. Kurds said so again."
    mentions = [_mention(text, "Kurds", "e_kurds", "NORP")]
    assert _entity_at(text, mentions, *_speaker(text, "The Kurds")) == "e_kurds"


def test_the_name_inside_a_title_is_the_speaker() -> None:
    text = "Norway's foreign minister said the talks would resume."
    mentions = [_mention(text, "Norway", "e_norway", "GPE")]
    assert _entity_at(text, mentions, *_speaker(text, "Norway's foreign minister")) == "e_norway"
