"""Direct quotations: interrupted quotes, quotes that finish a paraphrased sentence. Invented
sentences, written for these tests."""

from __future__ import annotations

from broadsheet.extract.claims import Claim, extract_claims
from broadsheet.extract.claims._text import TextView


def claims_of(text: str) -> list[Claim]:
    return [c for c in extract_claims(text) if c.kind != "assertion"]


def test_a_quote_interrupted_by_an_attribution_with_adjuncts_is_one_claim() -> None:
    text = '"The harbour will reopen," Jo Roe told a radio host on Monday, "but not before the spring."'
    quotes = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert [(c.surface, c.claimant_text, c.cue_text) for c in quotes] == [
        ('The harbour will reopen," Jo Roe told a radio host on Monday, "but not before the spring.', "Jo Roe", "told")
    ]


def test_an_upper_case_quote_after_an_adjunct_is_a_new_utterance() -> None:
    text = '"The harbour will reopen," Jo Roe told a radio host on Monday, "We have the money."'
    quotes = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert "The harbour will reopen," in [c.surface for c in quotes]
    assert all("told a radio host" not in c.surface for c in quotes)


def test_a_lower_case_quote_finishing_a_paraphrased_sentence_is_reported_speech() -> None:
    text = 'So when the ferry company called last week, the mayor said, "we were stunned."'
    (c,) = [c for c in claims_of(text) if c.cue_text == "said"]
    assert c.kind == "reported_speech"
    assert c.surface.startswith("when the ferry company called last week")
    assert c.surface.endswith("we were stunned.")
    assert c.claimant_text == "the mayor"


def test_a_quote_after_an_attribution_that_opens_the_sentence_stays_a_quote() -> None:
    text = 'The mayor said, "we were stunned by the offer."'
    (c,) = [c for c in claims_of(text) if c.cue_text == "said"]
    assert c.kind == "direct_quote"
    assert c.surface == "we were stunned by the offer."


def test_a_quote_inside_reported_speech_after_a_comma_is_no_claim_of_its_own() -> None:
    text = 'The mayor said the ferry fares were, "in a word, a disgrace to the city."'
    claims = claims_of(text)
    assert [c.kind for c in claims] == ["reported_speech"]
    assert claims[0].surface.endswith('a disgrace to the city."')


def test_a_lower_case_quote_after_fronted_words_and_before_its_attribution_is_reported_speech() -> None:
    text = 'With two ferries in dry dock, "there is no spare boat this winter," the mayor said.'
    (c,) = [c for c in claims_of(text) if c.cue_text == "said"]
    assert c.kind == "reported_speech"
    assert c.surface.startswith("With two ferries in dry dock")
    assert c.claimant_text == "the mayor"


def test_a_speech_verb_right_before_a_capitalised_quote_introduces_it() -> None:
    text = 'In a radio interview the mayor declared "The ferry will run all winter."'
    (c,) = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert (c.surface, c.claimant_text, c.cue_text) == ("The ferry will run all winter.", "the mayor", "declared")


def test_a_lower_case_quote_after_a_verb_is_part_of_its_clause() -> None:
    text = 'The mayor called the levy "a tax on fishermen and their families."'
    assert not [c for c in claims_of(text) if c.kind == "direct_quote"]


def test_a_curly_quotation_inside_a_straight_one_is_nested() -> None:
    text = 'The pollster went on:\n\n"I will read you the question: “Is the levy fair?” Most said no, and a third were unsure."'
    quotes = TextView(text).quotes
    assert [text[q.start : q.end] for q in quotes] == [
        "I will read you the question: “Is the levy fair?” Most said no, and a third were unsure."
    ]


def test_a_name_handed_a_quotation_by_a_colon_line_speaks_it() -> None:
    text = 'The harbour pilots were worried.\n\nMore from Jo Roe and Al Poe: "The channel is silting up faster than anyone said."'
    (c,) = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert (c.claimant_text, c.cue_text) == ("Jo Roe and Al Poe", ":")
    text = 'According to Harbour Weekly: "The channel is silting up faster than anyone said."'
    (c,) = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert c.claimant_text == "Harbour Weekly"


def test_the_subject_of_a_sentence_ending_in_a_colon_speaks_the_quotation_after_it() -> None:
    text = (
        '"We will dredge in March," the mayor said.\n\n'
        'On May 6, Roe made the following remark:\n\n"The channel is silting up faster than anyone said."'
    )
    (c,) = [c for c in claims_of(text) if c.surface.startswith("The channel")]
    assert (c.claimant_text, c.cue_text) == ("Roe", ":")
