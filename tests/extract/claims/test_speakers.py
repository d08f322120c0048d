"""Who speaks: claimants that can speak, speakers resolved through the text, the part of a
claimant that names it. Invented sentences, written for these tests."""

from __future__ import annotations

import pytest

from broadsheet.extract.claims import Claim, extract_claims
from broadsheet.extract.claims.claimants import can_speak, gender_of, name_part
from broadsheet.extract.claims.lexicon import default_lexicon


def claims_of(text: str) -> list[Claim]:
    return [c for c in extract_claims(text) if c.kind != "assertion"]


@pytest.mark.parametrize(
    "words",
    [["The"], ["But"], ["An"], ["of", "Republican"], ["receive", "the"], ["seizing", "on", "his", "comments"], ["change", "my"]],
)
def test_function_words_and_verb_phrases_cannot_speak(words: list[str]) -> None:
    assert not can_speak(words, default_lexicon())


@pytest.mark.parametrize(
    "words",
    [["He"], ["his"], ["who"], ["Moscow"], ["the", "ministry"], ["restructuring", "experts"], ["Sen", ".", "Jane", "Roe"]],
)
def test_names_pronouns_and_descriptions_can_speak(words: list[str]) -> None:
    assert can_speak(words, default_lexicon())


def test_an_infinitive_aside_is_no_attribution() -> None:
    text = "Needless to say, the council was not impressed by the plan."
    assert not [c for c in claims_of(text) if c.claimant_text == "Needless"]


def test_a_leading_conjunction_is_cut_from_the_speaker() -> None:
    (c,) = [c for c in claims_of("But the ministry said the talks would resume next week.") if c.cue_text == "said"]
    assert c.claimant_text == "the ministry"


def test_a_continued_quote_goes_to_the_last_speaker_of_its_gender() -> None:
    text = (
        '"We will win," said Ms. Jane Doe, the mayor. "No chance," said Mr. John Roe. '
        'She continued: "We have the votes and the money."'
    )
    last = [c for c in claims_of(text) if "votes and the money" in c.surface][0]
    assert last.claimant_text == "She" and last.antecedent_text == "Ms. Jane Doe"
    assert gender_of(["Mr", ".", "John", "Roe"]) == "m" and gender_of(["her", "husband"]) == "m"


def test_a_description_resolves_to_the_name_in_its_appositive() -> None:
    text = "Its chief executive, John Roe, said the results were strong. He added that more jobs would come."
    said, added = [c for c in claims_of(text) if c.cue_text in {"said", "added"}]
    assert (said.claimant_text, said.antecedent_text) == ("Its chief executive", "John Roe")
    assert (added.claimant_text, added.antecedent_text) == ("He", "John Roe")


def test_only_a_name_at_the_head_links_the_claimant() -> None:
    lex = default_lexicon()
    assert name_part("A former intelligence officer for Russia".split(), lex) is None
    assert name_part(["Iran's", "foreign", "minister"], lex) is None
    words = ["The", "Kremlin's", "spokesman", "Dmitry", "Peskov"]
    assert name_part(words, lex) == (3, 5)
    (c,) = claims_of("A former intelligence officer for Russia said the strikes would continue.")
    assert c.claimant_name_start is None
    (c,) = claims_of("The Pentagon said the strikes would continue.")
    assert c.surface == "the strikes would continue" and c.claimant_name_start is not None


def test_a_headline_word_is_no_antecedent() -> None:
    text = 'Budget talks stall\n\nThe minister said the budget would pass. "It is a good deal," she added.'
    (quote,) = [c for c in claims_of(text) if c.kind == "direct_quote"]
    assert quote.claimant_text == "she" and quote.antecedent_text != "Budget"


def test_an_impersonal_passive_attributes_without_a_source() -> None:
    (c,) = claims_of("It is widely believed that the deal will collapse.")
    assert (c.kind, c.surface, c.claimant_text, c.cue_text) == ("reported_speech", "the deal will collapse", None, "believed")


def test_a_title_in_quotes_is_no_quote_but_a_headline_quote_is() -> None:
    text = (
        'Her column, "Why Bridges Fall Down Slowly," ran on Monday, the editor said.\n\n'
        "'Nobody Expected This.'\n\n"
        'Mayor Doe: "We Will Rebuild Every Bridge"\n\n'
        '"We will rebuild every bridge," Doe said.'
    )
    quotes = [c.surface for c in claims_of(text) if c.kind == "direct_quote"]
    assert not [q for q in quotes if "Bridges Fall" in q or "Nobody Expected" in q]
    assert "We Will Rebuild Every Bridge" in quotes and "We will rebuild every bridge," in quotes


def test_words_capitalised_by_their_place_or_in_capitals_are_no_speakers() -> None:
    lex = default_lexicon()
    assert not can_speak(["nevertheless"], lex) and not can_speak(["SAVE", "A", "QUARTER", "Let's"], lex)
    assert not can_speak(["Addressing", "about", "100", "members"], lex) and not can_speak(["early", "Friday"], lex)
    assert can_speak(["officials"], lex) and can_speak(["police"], lex) and can_speak(["all"], lex)
    assert can_speak(["Voting", "rights", "advocates"], lex) and can_speak(["A", "reporter", "for", "USA", "Today"], lex)
    text = "Instead, the plan was delayed. Instead said the plan was dead. The council met instead of the board."
    assert not [c for c in claims_of(text) if c.claimant_text == "Instead"]
    text = "Police said the road was closed. The police blocked it."
    assert [c.claimant_text for c in claims_of(text)] == ["Police"]


def test_a_perfect_tense_behind_an_adverb_keeps_its_subject() -> None:
    (c,) = [c for c in claims_of("The senator has long said that the levy would fail.") if c.cue_text == "said"]
    assert c.claimant_text == "The senator"


def test_a_noun_rarely_annotated_as_a_cue_introduces_no_claim() -> None:
    # "notion" was a cue in under a fifth of its "notion that" uses in the training articles.
    assert all(c.cue_text != "notion" for c in claims_of("The mayor dismissed the notion that the ferry would close."))
    (c,) = [c for c in claims_of("Her warning that the ferry would close went unheeded.") if c.cue_text == "warning"]
    assert c.claimant_text == "Her"


def test_a_word_inside_a_quoted_phrase_is_no_speaker() -> None:
    text = 'The mayor has used the phrase "Harbour terrorism" often in her campaign, and criticized the council for it.'
    assert all(c.claimant_text != "Harbour" for c in claims_of(text))


@pytest.mark.parametrize("words", [["Moreover"], ["Sunday"], ["One", "month"], ["Tonight"], ["It's", "worth"]])
def test_linking_adverbs_and_times_cannot_speak(words: list[str]) -> None:
    assert not can_speak(words, default_lexicon())


def test_a_linking_adverb_before_an_appositive_speaker_is_not_the_speaker() -> None:
    text = "Moreover, Jo Roe, a harbour pilot for twenty years, noted that the channel was silting up."
    (c,) = [c for c in claims_of(text) if c.cue_text == "noted"]
    assert c.claimant_text != "Moreover"


def test_a_fronted_participle_speaks_with_the_subject_after_its_comma() -> None:
    (c,) = [c for c in claims_of("Citing a new poll, the mayor said the levy was popular.") if c.cue_text == "Citing"]
    assert (c.claimant_text, c.surface) == ("the mayor", "a new poll")
    (d,) = [c for c in claims_of("Despite questioning the count, Roe conceded the race.") if c.cue_text == "questioning"]
    assert d.claimant_text == "Roe"


def test_an_appositive_with_a_relative_clause_keeps_the_name_before_it_as_speaker() -> None:
    text = "Gov. Jo Roe of Ohio, a Republican who has refused to endorse Smith, said the family deserved better."
    (c,) = [c for c in claims_of(text) if c.cue_text == "said"]
    assert (c.claimant_text, c.surface) == ("Gov. Jo Roe of Ohio", "the family deserved better")


def test_a_relative_clause_claim_ends_where_the_main_clause_resumes() -> None:
    text = "Gov. Jo Roe of Ohio, a Republican who has refused to endorse Smith, said the family deserved better."
    (c,) = [c for c in claims_of(text) if c.cue_text == "refused"]
    assert (c.claimant_text, c.surface) == ("who", "to endorse Smith")


def test_only_a_verb_of_saying_inverts_with_its_speaker_after_it() -> None:
    text = (
        "70-year-old Jo Roe, founder of the League, a member in the 1980s and long time harbour pilot"
        " from Maine, endorsed Smith last week."
    )
    assert all(c.claimant_text != "Smith" for c in claims_of(text))
    (c,) = [c for c in claims_of("The harbour will close in March, said Jo Roe.") if c.cue_text == "said"]
    assert c.claimant_text == "Jo Roe"


def test_a_passive_behind_an_ly_adverb_has_no_speaker_before_it() -> None:
    text = "The mayor has been harshly criticized for policies that fishermen say cost them their boats."
    assert all(c.claimant_text != "The mayor" for c in claims_of(text) if c.cue_text == "criticized")


def test_a_trailing_participle_speaks_with_a_lower_case_subject_after_an_opening_adjunct() -> None:
    text = "In March, several farm groups sued the agency over the rule, saying it would raise costs."
    (c,) = [c for c in claims_of(text) if c.cue_text == "saying"]
    assert (c.claimant_text, c.surface) == ("several farm groups", "it would raise costs")
    (d,) = [
        c for c in claims_of("In 1990, the High Court blocked the merger, citing a threat to prices.") if c.cue_text == "citing"
    ]
    assert d.claimant_text == "the High Court"
    # A determiner's noun phrase whose head cannot speak is no subject to lend.
    (e,) = [c for c in claims_of("On Monday, the rain flooded the square, saying little.") if c.cue_text == "saying"]
    assert e.claimant_text is None


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Jo Roe and Al Poe have both argued that the levy is unfair.", "Jo Roe and Al Poe"),
        ("The harbour pilots each said the channel was silting up.", "The harbour pilots"),
        ("Both said the channel was silting up.", "Both"),
    ],
)
def test_a_floating_quantifier_before_the_cue_is_not_the_speaker(text: str, speaker: str) -> None:
    (c,) = claims_of(text)
    assert c.claimant_text == speaker


def test_a_linking_verb_before_an_adjective_cue_is_not_part_of_the_speaker() -> None:
    from broadsheet.extract.claims._text import TextView
    from broadsheet.extract.claims.passage import Passage
    from broadsheet.extract.claims.speakers import subject_before

    view = TextView("The harbour pilots remain convinced that the channel is silting up.")
    p = Passage.of(view, default_lexicon())
    cue = next(i for i, t in enumerate(view.tokens) if t.text == "convinced")
    a, b = subject_before(p, cue, 0)
    assert view.text[view.tokens[a].start : view.tokens[b - 1].end] == "The harbour pilots"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Footage contradicts Harbour police's earlier claim that the driver refused to stop.", "Harbour police's"),
        ("The mayor seized on a Daily Courier report that the port lost money in 2010.", "Daily Courier"),
        ("The mayor seized on a Monday report that the port lost money in 2010.", None),
    ],
)
def test_a_content_noun_speaks_for_its_possessor_or_the_name_that_modifies_it(text: str, speaker: str | None) -> None:
    (c,) = [c for c in claims_of(text) if c.reading == "reported_noun_that"]
    assert c.claimant_text == speaker


def test_a_participle_that_is_never_a_past_tense_is_passive_without_have() -> None:
    (c,) = [c for c in claims_of("A developer known to be fond of golf bought the course.") if c.cue_text == "known"]
    assert c.claimant_text is None
    (d,) = [c for c in claims_of("Roe has long known that the channel was silting up.") if c.cue_text == "known"]
    assert d.claimant_text == "Roe"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("About four out of 10 pilots said the channel was silting up.", "About four out of 10 pilots"),
        ("One in five say that the channel is silting up.", "One in five"),
        ("About 9 percent said they had no preference.", "About 9 percent"),
        ("About the channel, the harbour master said it was silting up.", "the harbour master"),
    ],
)
def test_a_share_of_a_group_can_speak_and_an_approximator_is_no_adjunct(text: str, speaker: str) -> None:
    (c,) = claims_of(text)
    assert c.claimant_text == speaker


def test_a_proportion_of_numerals_can_speak() -> None:
    lex = default_lexicon()
    assert can_speak(["One", "in", "five"], lex) and can_speak(["two", "out", "of", "three"], lex)
    assert not can_speak(["in", "five"], lex)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Jo Sims -- a teacher from Mount Pleasant -- says he voted for the levy.", "Jo Sims"),
        ("Harbour officials — including the mayor — have long argued that the channel is silting up.", "Harbour officials"),
        ("The levy passed — the mayor said it would help.", "the mayor"),
    ],
)
def test_a_phrase_set_off_by_dashes_stands_between_the_speaker_and_the_cue(text: str, speaker: str) -> None:
    (c,) = [c for c in claims_of(text) if c.cue_text in {"says", "argued", "said"}]
    assert c.claimant_text == speaker


def test_a_capitalised_conjunction_opening_the_sentence_is_no_name_to_lend() -> None:
    # The coordinated cue finds no subject of its own; "Yet" is no name to lend it one, and
    # the claim stays without a speaker instead of being dropped for a speaker that cannot speak.
    text = "Yet many growers in the valley believe relief is possible and have been calling on Congress to change the rule."
    (c,) = [c for c in claims_of(text) if c.cue_text == "calling on"]
    assert c.claimant_text is None


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "News of the harbour closure was first reported by the Daily Courier.",
            "the Daily Courier",
            "News of the harbour closure",
        ),
        ("Roe responded by refusing to answer questions.", "Roe", "by refusing to answer questions"),
    ],
)
def test_a_cue_with_its_agent_after_by_attributes_the_subject_to_the_agent(text: str, speaker: str, content: str) -> None:
    (c,) = [c for c in claims_of(text) if c.cue_text in {"reported", "responded"}]
    assert (c.claimant_text, c.surface) == (speaker, content)


def test_a_fronted_participle_holding_a_quotation_speaks_with_the_subject_after_it() -> None:
    text = "After saying the channel was “silting up fast,” Roe told the pilots to wait."
    (c,) = [c for c in claims_of(text) if c.cue_text == "saying"]
    assert (c.claimant_text, c.surface) == ("Roe", "the channel was “silting up fast,”")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("HARBOURTON -- Mayor Jo Roe said the channel was silting up.", "Mayor Jo Roe"),
        ("Casper, Wyo. - Sen. Jo Roe said the channel was silting up.", "Sen. Jo Roe"),
        ("Jean-Luc Roe said the channel was silting up.", "Jean-Luc Roe"),
    ],
)
def test_a_dash_standing_apart_ends_the_speaker_read_backwards(text: str, speaker: str) -> None:
    (c,) = claims_of(text)
    assert c.claimant_text == speaker


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        (
            "When the survey of the harbour was published, Roe did not want to close the channel.",
            "want",
            "Roe",
            "to close the channel",
        ),
        (
            "Although the council did not name the builder, it blamed “a shortage of steel” for the delays.",
            "blamed",
            "it",
            "a shortage of steel” for the delays",
        ),
    ],
)
def test_an_opening_adverbial_clause_is_not_the_content_of_the_cue_after_it(
    text: str, cue: str, speaker: str, content: str
) -> None:
    # The content is what the cue governs; the clause before the comma is no part of it.
    (c,) = [c for c in claims_of(text) if c.cue_text == cue]
    assert c.claimant_text == speaker and c.surface.endswith(content) and "," not in c.surface


def test_an_opening_adverbial_clause_stays_content_around_a_parenthetical_cue() -> None:
    text = "If the dredging stops, Roe said, the channel will silt up within a year."
    (c,) = claims_of(text)
    assert c.claimant_text == "Roe" and c.surface.startswith("If the dredging stops")


def test_a_participle_after_while_speaks_with_the_subject_after_its_adjunct() -> None:
    text = "While saying that she respects the council, Roe questioned the dredging plan."
    (c,) = [c for c in claims_of(text) if c.cue_text == "saying"]
    assert (c.claimant_text, c.surface) == ("Roe", "she respects the council")


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Continuing to explain the dredging plan, Roe said the channel would stay open.", "explain", "the dredging plan"),
        (
            "Rattling off promises to dredge the channel, widen the quay and cut fees, Roe vowed to win the port back.",
            "promises",
            "to dredge the channel, widen the quay and cut fees",
        ),
    ],
)
def test_a_capitalised_participle_opening_the_sentence_speaks_with_the_subject_after_its_adjunct(
    text: str, cue: str, content: str
) -> None:
    # The participle is no noun phrase; a series inside its adjunct does not end the adjunct.
    (c,) = [c for c in claims_of(text) if c.cue_text == cue]
    assert (c.claimant_text, c.surface) == ("Roe", content)
