"""Span and type repairs of the tagger's output (broadsheet.entities.spans)."""

from broadsheet.entities.spans import repair_spans


def _words(text: str) -> list[str]:
    return text.split(" ")


def test_a_name_cut_at_a_connector_is_joined_to_the_name_after_it():
    words = _words("The Government of Freedonia said so .")
    out = repair_spans(words, {(1, 3, "ORG"): 0.4, (3, 4, "GPE"): 0.9})
    assert out == {(1, 4, "ORG"): 0.4}


def test_a_connector_with_no_name_after_it_is_left_out():
    words = _words("The Bank of said so .")
    assert repair_spans(words, {(1, 3, "ORG"): 0.5}) == {(1, 2, "ORG"): 0.5}


def test_a_capitalised_preposition_at_a_sentence_start_is_no_part_of_a_name():
    words = _words("Near Zarqa , fighting .")
    assert repair_spans(words, {(0, 2, "GPE"): 0.7}) == {(1, 2, "GPE"): 0.7}
    # inside a sentence the word is kept: "Port In Verness" is someone's odd name, not a cut
    words = _words("They met Near Zarqa .")
    assert repair_spans(words, {(2, 4, "GPE"): 0.7}) == {(2, 4, "GPE"): 0.7}


def test_a_country_followed_by_more_words_is_an_organization_event_or_place():
    words = _words("The United States Tennis and the Kenya Open near the Taiwan Strait and Kuwait City")
    out = repair_spans(
        words,
        {(1, 4, "GPE"): 0.7, (6, 8, "GPE"): 0.6, (10, 12, "GPE"): 0.6, (13, 15, "GPE"): 0.9},
    )
    assert out == {(1, 4, "ORG"): 0.7, (6, 8, "EVENT"): 0.6, (10, 12, "LOC"): 0.6, (13, 15, "GPE"): 0.9}


def test_a_country_and_other_types_are_left_alone():
    words = _words("Kenya and South Korea and Kenya Airways")
    scored = {(0, 1, "GPE"): 0.9, (2, 4, "GPE"): 0.9, (5, 7, "ORG"): 0.8}
    assert repair_spans(words, scored) == scored
