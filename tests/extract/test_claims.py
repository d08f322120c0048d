"""The claims extractor on short inline news passages written for these tests."""

from __future__ import annotations

import pytest

from broadsheet.extract.claims import Claim, extract_claims
from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.claimants import claimant_kind, is_name_token
from broadsheet.extract.claims.cue_model import CueModel, default_cue_model
from broadsheet.extract.claims.lexicon import default_lexicon, inflect
from broadsheet.lab.cue_training import cue_head, examples, fit
from broadsheet.schema import vocabulary

ARTICLE = """Militia leader approved embassy attack, Pentagon says

The Pentagon said on Tuesday that Abu Mahdi al-Assadi had "approved the attacks on the U.S. Embassy in Baghdad" and warned that further strikes were possible.

"We will not tolerate attacks on American personnel," the Pentagon said in a statement.

Al-Assadi denied any role. "We had nothing to do with it," al-Assadi told reporters in Baghdad.

Hossein Rassam, a former adviser to the British embassy in Tehran, said Iran could retaliate if the strikes continued. He added that a wider war was unlikely.

“The regime is likely to respond through its proxies,” said Andrea Kendall-Taylor, a former senior intelligence officer. “It seems they want to avoid a direct confrontation.

“But nobody can rule out a mistake,” she said.

According to Russia's Foreign and Defense Ministries, Moscow entered the Syrian war in 2015. The ministry said Russian jets had struck only terrorist targets.

Russia entered the war in the summer of 2014, the analyst claimed, but Patrick Wintour wrote that Moscow regarded the deployment as a response to Western pressure.

The strikes killed 25 people in Aleppo on Tuesday. The so-called "red lines" were discussed at length. Will the talks resume?
"""


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    return extract_claims(ARTICLE)


def find(claims: list[Claim], fragment: str, kind: str | None = None) -> Claim:
    hits = [c for c in claims if fragment in c.surface and (kind is None or c.kind == kind)]
    assert hits, f"no claim contains {fragment!r}: {[c.surface for c in claims]}"
    return min(hits, key=lambda c: len(c.surface))


def test_every_span_is_exact_text(claims: list[Claim]) -> None:
    assert claims
    for c in claims:
        assert ARTICLE[c.start : c.end] == c.surface
        if c.claimant_start is not None:
            assert ARTICLE[c.claimant_start : c.claimant_end] == c.claimant_text
        if c.antecedent_start is not None:
            assert ARTICLE[c.antecedent_start : c.antecedent_end] == c.antecedent_text
        if c.cue_start is not None:
            assert ARTICLE[c.cue_start : c.cue_end] == c.cue_text
        assert c.kind in vocabulary("claims", "kind")
        assert c.claimant_kind in vocabulary("claims", "claimant_kind")
        assert c.modality in vocabulary("claims", "modality")
        assert 0.0 <= c.confidence <= 1.0
        assert (c.modality == "asserted") == (c.modality_cues == ())
    assert [(c.start, c.end) for c in claims] == sorted((c.start, c.end) for c in claims)


def test_quote_with_speaker_after(claims: list[Claim]) -> None:
    c = find(claims, "We had nothing to do with it", "direct_quote")
    assert c.surface == "We had nothing to do with it,"  # the quote marks are not content
    assert (c.claimant_text, c.claimant_kind, c.cue_text) == ("al-Assadi", "person", "told")
    assert c.modality == "negated"


def test_organisation_speaker(claims: list[Claim]) -> None:
    c = find(claims, "We will not tolerate", "direct_quote")
    assert c.claimant_text == "the Pentagon" and c.claimant_kind == "organization"


def test_inverted_speaker_with_appositive_and_quote_across_paragraphs(claims: list[Claim]) -> None:
    first = find(claims, "The regime is likely to respond", "direct_quote")
    assert first.claimant_text == "Andrea Kendall-Taylor"
    assert first.modality == "hedged" and "likely" in first.modality_cues
    # The second quote opens a paragraph, is reopened in the next one and closed by "she said".
    second = find(claims, "It seems they want", "direct_quote")
    assert "But nobody can rule out a mistake" in second.surface
    assert second.claimant_text == "she" and second.antecedent_text == "Andrea Kendall-Taylor"


def test_partial_quote_stays_inside_reported_speech(claims: list[Claim]) -> None:
    # The quoted words restate the reported claim's attribution: one row, not two.
    reported = find(claims, "Abu Mahdi al-Assadi had", "reported_speech")
    assert '"approved the attacks on the U.S. Embassy in Baghdad"' in reported.surface
    assert reported.cue_text == "said" and reported.claimant_text == "The Pentagon"
    assert not [c for c in claims if c.kind == "direct_quote" and c.surface.startswith("approved the attacks")]
    assert "warned" not in reported.surface  # the coordinated "and warned that ..." is its own claim
    warned = find(claims, "further strikes were possible")
    assert (warned.claimant_text, warned.cue_text, warned.modality) == ("The Pentagon", "warned", "predicted")


def test_reported_speech_with_appositive_subject_and_condition(claims: list[Claim]) -> None:
    c = find(claims, "Iran could retaliate", "reported_speech")
    assert c.surface == "Iran could retaliate if the strikes continued"
    assert (c.claimant_text, c.cue_text, c.modality) == ("Hossein Rassam", "said", "conditional")


def test_pronoun_and_description_resolved_to_named_speaker(claims: list[Claim]) -> None:
    he = find(claims, "a wider war was unlikely")
    assert (he.claimant_text, he.antecedent_text, he.modality) == ("He", "Hossein Rassam", "hedged")
    ministry = find(claims, "Russian jets had struck only terrorist targets")
    assert ministry.claimant_text == "The ministry"
    assert ministry.antecedent_text == "Russia's Foreign and Defense Ministries"
    assert ministry.claimant_kind == "organization"
    # "the analyst" was never introduced by name: no antecedent rather than a wrong one.
    analyst = find(claims, "Russia entered the war in the summer of 2014")
    assert analyst.claimant_text == "the analyst" and analyst.antecedent_text is None


def test_according_to_and_country_claimant(claims: list[Claim]) -> None:
    c = find(claims, "Moscow entered the Syrian war in 2015")
    assert c.cue_text == "According to" and c.claimant_text == "Russia's Foreign and Defense Ministries"
    (moscow,) = extract_claims("Moscow warned that the deployment was a response to Western pressure.")
    assert moscow.claimant_text == "Moscow" and moscow.claimant_kind == "country"


def test_both_sides_of_a_date_conflict_are_claims(claims: list[Claim]) -> None:
    surfaces = [c.surface for c in claims]
    assert any("in 2015" in s for s in surfaces)
    assert any("the summer of 2014" in s for s in surfaces)


def test_headline_attribution_does_not_swallow_the_speaker(claims: list[Claim]) -> None:
    c = find(claims, "Militia leader approved embassy attack")
    assert c.claimant_text == "Pentagon" and c.cue_text == "says"
    assert all("Pentagon says" not in x.surface for x in claims)


def test_scare_quotes_questions_and_assertions(claims: list[Claim]) -> None:
    assert all(c.surface != "red lines" for c in claims)
    assert all("Will the talks resume" not in c.surface for c in claims)
    killed = find(claims, "The strikes killed 25 people")
    assert killed.kind == "assertion" and killed.claimant_kind == "author" and killed.claimant_text is None


def test_split_quote_is_one_claim() -> None:
    text = '"The sanctions are working," the minister said, "and they will stay in place."'
    (c,) = [c for c in extract_claims(text) if c.kind == "direct_quote"]
    assert c.surface.startswith("The sanctions are working") and c.surface.endswith("stay in place.")
    assert c.claimant_text == "the minister" and c.claimant_kind == "person"


def test_speaker_before_colon_and_nested_single_quotes() -> None:
    text = "The spokeswoman said: “They told us, ‘we are not leaving,’ and they meant it.”"
    (c,) = [c for c in extract_claims(text) if c.kind == "direct_quote"]
    assert c.surface == "They told us, ‘we are not leaving,’ and they meant it."
    assert c.claimant_text == "The spokeswoman" and c.cue_text == "said"


def test_quote_continuing_the_previous_speaker() -> None:
    text = (
        '"We are ready," Smith said. "We have been ready for months."\n\n'
        '"Nobody should doubt our resolve on this question."\n\n'
        "The weather was mild."
    )
    quotes = [c for c in extract_claims(text) if c.kind == "direct_quote"]
    assert len(quotes) == 2
    # The next sentence of the same paragraph continues the quote; the next paragraph keeps the
    # speaker and the cue that introduced the passage.
    assert quotes[0].surface.endswith("ready for months.") and quotes[0].claimant_text == "Smith"
    assert quotes[1].claimant_text == "Smith" and quotes[1].cue_text == "said"


def test_quote_without_any_speaker() -> None:
    text = '"This is the end of an era for the whole region," read a banner.\n\n"Nobody saw it coming at all."'
    last = [c for c in extract_claims(text) if "Nobody saw it coming" in c.surface]
    assert last and last[0].kind == "direct_quote"


@pytest.mark.parametrize(
    ("sentence", "modality", "cue"),
    [
        ("The minister said the talks may collapse.", "hedged", "may"),
        ("The minister said the talks will resume next week.", "predicted", "will"),
        ("The minister said the talks would resume if the ceasefire held.", "conditional", "if"),
        ("The minister said the talks had not failed.", "negated", "not"),
        ("The minister asked whether the talks had failed.", "questioned", "asked"),
        ("The minister denied that the talks had failed.", "negated", "denied"),
        ("The minister said the talks had failed.", "asserted", None),
    ],
)
def test_modality(sentence: str, modality: str, cue: str | None) -> None:
    (c,) = [c for c in extract_claims(sentence) if c.kind == "reported_speech"]
    assert c.modality == modality
    assert (cue in c.modality_cues) if cue else c.modality_cues == ()


def test_lexicon_rules_work_without_the_model() -> None:
    text = 'The ministry said the convoy carried aid. "It was a mistake," she told reporters.'
    claims = extract_claims(text, cue_model=None)
    assert [(c.kind, c.claimant_text, c.cue_text) for c in claims] == [
        ("reported_speech", "The ministry", "said"),
        ("direct_quote", "she", "told"),
    ]


def test_empty_and_claimless_text() -> None:
    assert extract_claims("") == []
    assert extract_claims("The weather was mild and the streets were quiet.") == []


# ---------------------------------------------------------------- building blocks


def test_quotes_across_paragraphs_and_unclosed_quotes() -> None:
    text = '“First part.\n\n“Second part,” he said.\n\n"Never closed\nNext line.'
    quotes = TextView(text).quotes
    assert [text[q.start : q.end] for q in quotes] == ["First part.\n\n“Second part,", "Never closed"]
    assert quotes[1].close is None


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "Mr. Smith met George W. Bush in the U.S. capital. Then he left."
    view = TextView(text)
    sentences = [text[view.tokens[a].start : view.tokens[b - 1].end] for a, b in view.sentences]
    assert sentences == ["Mr. Smith met George W. Bush in the U.S. capital.", "Then he left."]


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        (["the", "Pentagon"], "organization"),
        (["Russia", "'s", "Foreign", "Ministry"], "organization"),
        (["Moscow"], "country"),
        (["Andrea", "Kendall-Taylor"], "person"),
        (["a", "spokesman", "for", "the", "ministry"], "person"),
        (["sources"], "unknown"),
        (["NATO"], "organization"),
        (["she"], "person"),
    ],
)
def test_claimant_kinds(words: list[str], kind: str) -> None:
    assert claimant_kind(words, default_lexicon()) == kind


def test_name_tokens_and_inflection() -> None:
    assert is_name_token("al-Assadi") and is_name_token("Rassam") and not is_name_token("said")
    assert inflect("say") == ["say", "says", "sayed", "saying"]  # irregular verbs list their forms
    assert inflect("deny") == ["deny", "denies", "denied", "denying"]
    assert inflect("argue") == ["argue", "argues", "argued", "arguing"]
    forms = default_lexicon().verb_forms
    assert forms["said"] == ("say", "speech") and "sayed" not in forms


def test_shipped_cue_model_separates_verbs_from_nouns() -> None:
    model = default_cue_model()
    assert model is not None and 0 < model.quote_threshold <= model.threshold < 1
    for text, word in [
        ("She claims the vote was rigged. The claims were false.", "claims"),
        ("Polls show him ahead. The show was cancelled.", "show"),
    ]:
        view = TextView(text)
        scores = model.scores(view, default_lexicon())
        verb, noun = (i for i, t in enumerate(view.tokens) if t.lower == word)
        assert scores[verb] >= model.threshold > scores[noun]


def test_training_learns_cues_from_annotated_text() -> None:
    lex = default_lexicon()
    texts = [f"{name} said the plan works. The plan was said to fail." for name in ("Ann", "Bo", "Cy", "Di")] * 3
    spans = [[(t.index(" said") + 1, t.index(" said") + 5)] for t in texts]
    view = TextView(texts[0])
    assert view.tokens[cue_head(view, *spans[0][0], lex)].text == "said"
    data = examples(texts, spans, lex)
    assert sum(ex.label for ex in data) == len(texts)
    weights = fit(data, epochs=3)
    model = CueModel(weights, frozenset({"said"}), 0.5, 0.5)
    scores = model.scores(TextView("Ed said the plan works. The plan was said to fail."), lex)
    active, passive = sorted(scores)
    assert scores[active] > 0.5 > scores[passive]


# ---------------------------------------------------------------- direct-quote speakers


def speakers(text: str, kind: str = "direct_quote") -> list[tuple[str, str | None, str | None]]:
    return [(c.surface, c.claimant_text, c.cue_text) for c in extract_claims(text) if c.kind == kind]


def test_dash_after_a_quote_names_its_speaker() -> None:
    text = (
        "Readers wrote in after the vote.\n\n"
        "“The bridge should have been fixed years ago.” ― Tomasz Wielki\n"
        "“Nobody asked the people who cross it every day.” ― Mara J. Ostrowska.\n\n"
        '"I will vote again next time, whatever happens."\n\n'
        "- Ines Calder, a teacher from Leeds.\n\n"
        "“What a week it has been for all of us.” – An editor’s note –\n"
    )
    got = speakers(text)
    assert [(s[:12], who, cue) for s, who, cue in got[:3]] == [
        ("The bridge s", "Tomasz Wielki", "―"),
        ("Nobody asked", "Mara J. Ostrowska", "―"),
        ("I will vote ", "Ines Calder", "-"),
    ]
    # A dash before words that are not a name attributes nothing: the quote keeps the last speaker.
    assert got[3][0].startswith("What a week") and got[3][1:] == ("Ines Calder", "-")


def test_quote_speaker_with_stacked_appositives_or_brackets() -> None:
    text = (
        '"The rule is an overreach by federal agencies," Dana Cole, the attorney general of Kansas, '
        "one of the states suing the agency, said at a forum this month."
    )
    assert speakers(text)[0][1:] == ("Dana Cole", "said")
    text = '"We will not back down on this," Sen. Tom Hale (D-Ore.), a member of the panel, said in an interview.'
    assert speakers(text)[0][1] == "Sen. Tom Hale (D-Ore.)"


def test_quote_speaker_with_a_relative_clause() -> None:
    text = '"The port will reopen within a month," a customs officer who asked not to be named told me.'
    claims = extract_claims(text)
    assert [(c.kind, c.claimant_text, c.cue_text) for c in claims] == [("direct_quote", "a customs officer", "told")]


def test_participle_after_a_quote_belongs_to_the_clause_before() -> None:
    text = 'In a filing, Acme said: "The merger was a success for every shareholder," adding that profits doubled.'
    by_surface = {c.surface: (c.kind, c.claimant_text, c.cue_text) for c in extract_claims(text)}
    assert by_surface["The merger was a success for every shareholder,"] == ("direct_quote", "Acme", "said")
    assert by_surface["profits doubled"] == ("reported_speech", "Acme", "adding")


def test_participle_after_a_comma_takes_the_main_subject() -> None:
    text = 'Mayor Ruiz was curt about a builder who said he was never paid, saying, "Perhaps the work was poor."'
    assert speakers(text)[0][1:] == ("Mayor Ruiz", "saying")


def test_coordinated_cue_after_adverbs_and_after_a_subordinate_clause() -> None:
    text = 'Maria then waved at the crowd and repeatedly shouts, "Stay back from the gate," until the doors close.'
    assert speakers(text)[0][1] == "Maria"
    text = 'When my brother raised the subject at dinner, I smiled and said, "I have never voted for anyone."'
    assert speakers(text)[0][1] == "I"


def test_participial_opener_is_not_the_speaker() -> None:
    text = (
        "Speaking at a forum in Kiev on Monday, Olga Berg, a retired judge who now teaches law, said that the "
        'court had been "the most independent body in the country".'
    )
    assert {who for _, who, _ in speakers(text, "reported_speech")} == {"Olga Berg"}


def test_standalone_quote_after_a_sentence_with_two_attributions() -> None:
    text = 'She argued that voters "rarely read the fine print," she said. "They trust the headline instead."'
    assert speakers(text)[-1] == ("They trust the headline instead.", "she", "said")


def test_days_opening_a_sentence_are_no_antecedent() -> None:
    text = "Within one week, the president visited two capitals. On Tuesday he said the visit went well."
    (c,) = [c for c in extract_claims(text) if c.kind == "reported_speech"]
    assert c.claimant_text == "he" and c.antecedent_text is None


def test_quote_resuming_after_a_narrative_sentence_keeps_the_named_speaker() -> None:
    text = (
        '"We have seen this before," Lopez said after meeting the governor. She did not mention the budget. '
        '"We will see it again."'
    )
    # Its cue is the earlier quote's too: the passage is introduced once.
    assert speakers(text)[-1] == ("We will see it again.", "Lopez", "said")


def test_coordinated_cue_skips_the_object_of_the_first_verb() -> None:
    (c,) = [
        c
        for c in extract_claims("In December, Olsen visited Tromso and announced that the base would close.")
        if c.kind == "reported_speech"
    ]
    assert (c.claimant_text, c.cue_text, c.surface) == ("Olsen", "announced", "the base would close")


def test_who_after_an_appositive_resolves_to_the_speaker_of_the_sentence() -> None:
    text = (
        "The war began in spring, according to Ivo Marsh, a blogger with a large following, who argues "
        "that the army had planned it for years."
    )
    who = next(c for c in extract_claims(text) if c.cue_text == "argues")
    assert (who.claimant_text, who.antecedent_text, who.claimant_kind) == ("who", "Ivo Marsh", "person")


# ---------------------------------------------------------------- clusters and conflicts


def claim_row(claim_id: str, doc_id: str, surface: str, modality: str = "asserted", start: int = 0) -> dict:
    return {
        "claim_id": claim_id,
        "doc_id": doc_id,
        "surface": surface,
        "start_char": start,
        "end_char": start + len(surface),
        "modality": modality,
    }


def date_row(doc_id: str, surface: str, phrase: str, interval: tuple[str, str], start: int = 0) -> dict:
    import datetime as dt

    at = start + surface.index(phrase)
    return {
        "doc_id": doc_id,
        "start_char": at,
        "end_char": at + len(phrase),
        "interval_start": dt.date.fromisoformat(interval[0]),
        "interval_end": dt.date.fromisoformat(interval[1]),
    }


def test_stem_maps_variants_to_one_form() -> None:
    from broadsheet.extract.claims.wording import signature, stem

    assert stem("entered") == stem("entry") == "enter"
    assert stem("Syrian") == stem("Syria") == "syria"
    assert stem("planned") == "plan" and stem("killed") == stem("killing") == "kill"
    assert stem("the") is None and stem("on") is None and stem("said") is None
    assert signature("The army's entry into Syria came in 2015.") == {"army", "enter", "syria"}


def test_date_conflict_across_documents_points_both_ways() -> None:
    from broadsheet.extract.claims.clusters import link_claims

    a = "The Baltic navy entered the Syrian port of Tartus in 2016, when its frigates began patrols"
    b = "the Baltic navy's entry into the port of Tartus came in the spring of 2013"
    c = "The Baltic navy's entry into Tartus came in March 2016"
    unrelated = "Farmers in the valley harvested their grapes in the spring of 2013"
    claims = [
        claim_row("c_a", "d_1", a),
        claim_row("c_b", "d_2", b),
        claim_row("c_c", "d_3", c),
        claim_row("c_d", "d_4", unrelated),
    ]
    dates = [
        date_row("d_1", a, "2016", ("2016-01-01", "2016-12-31")),
        date_row("d_2", b, "the spring of 2013", ("2013-03-01", "2013-05-31")),
        date_row("d_3", c, "March 2016", ("2016-03-01", "2016-03-31")),
        date_row("d_4", unrelated, "the spring of 2013", ("2013-03-01", "2013-05-31")),
    ]
    links = link_claims(claims, dates)
    assert links["c_a"].cluster_id == links["c_b"].cluster_id == links["c_c"].cluster_id == "c_a"
    assert links["c_d"].cluster_id == "c_d" and links["c_d"].conflicting_claim_ids == ()
    assert links["c_a"].conflicting_claim_ids == ("c_b",) and links["c_a"].conflict_kinds == ("date",)
    assert links["c_b"].conflicting_claim_ids == ("c_a", "c_c")
    assert links["c_c"].conflicting_claim_ids == ("c_b",)  # March 2016 lies inside 2016: no conflict with c_a


def test_a_conflict_passes_to_claims_that_agree_with_one_side() -> None:
    from broadsheet.extract.claims.clusters import link_claims

    # c_p says what c_a says (same clause, same year) with a pronoun for the navy, so it shares
    # too few words with c_b to be compared with it directly; agreeing with c_a, it contradicts c_b.
    a = "The Baltic navy entered the Syrian port of Tartus in 2016, when its frigates began patrols"
    b = "the Baltic navy's entry into the port of Tartus came in the spring of 2013"
    p = "For the admirals, the base is a test of the role it has held since it entered the Syrian port in 2016"
    claims = [claim_row("c_a", "d_1", a), claim_row("c_b", "d_2", b), claim_row("c_p", "d_3", p)]
    dates = [
        date_row("d_1", a, "2016", ("2016-01-01", "2016-12-31")),
        date_row("d_2", b, "the spring of 2013", ("2013-03-01", "2013-05-31")),
        date_row("d_3", p, "2016", ("2016-01-01", "2016-12-31")),
    ]
    links = link_claims(claims, dates)
    assert links["c_b"].conflicting_claim_ids == ("c_a", "c_p")
    assert links["c_p"].conflicting_claim_ids == ("c_b",) and links["c_p"].conflict_kinds == ("date",)
    assert links["c_a"].conflicting_claim_ids == ("c_b",)


def test_a_year_after_a_month_name_makes_a_dated_assertion() -> None:
    text = (
        "The harbour authority met on Monday.\n\n"
        "Its first dredging of the channel in September 2015, when the old pier was closed, "
        "changed the shape of the bay."
    )
    assert any(c.kind == "assertion" and "September 2015" in c.surface for c in extract_claims(text))


def test_number_and_polarity_conflicts() -> None:
    from broadsheet.extract.claims.clusters import link_claims

    claims = [
        claim_row("c_1", "d_1", "the flood near the Vistula delta displaced 4,000 families last spring"),
        claim_row("c_2", "d_2", "The flood near the Vistula delta displaced 9,500 families"),
        claim_row("c_3", "d_3", "the flood near the Vistula delta displaced about 4,100 families"),
        # The same words about another river's flood are another subject: no conflict.
        claim_row("c_6", "d_4", "the flood near the Oder delta displaced 700 families"),
        claim_row("c_4", "d_1", "the dam operator opened the northern spillway gates early", start=100),
        claim_row("c_5", "d_2", "the dam operator never opened the northern spillway gates", "negated", start=100),
        claim_row("c_7", "d_3", "the dam operator opened not only the northern spillway gates", start=100),
        claim_row("c_8", "d_4", "the dam operator whose staff were not told opened the northern spillway gates", start=100),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("number",)
    assert links["c_2"].conflicting_claim_ids == ("c_1", "c_3")  # within a tenth is the same count
    assert links["c_6"].conflicting_claim_ids == ()
    assert links["c_4"].cluster_id == links["c_5"].cluster_id == "c_4"
    assert links["c_4"].conflict_kinds == ("polarity",) and links["c_5"].conflicting_claim_ids == ("c_4", "c_7", "c_8")
    assert links["c_7"].conflicting_claim_ids == ("c_5",) and links["c_8"].conflicting_claim_ids == ("c_5",)


def test_overlapping_claims_of_one_document_are_not_paired() -> None:
    from broadsheet.extract.claims.clusters import link_claims

    outer = "the minister said the harbour tunnel would open in 2027 after long delays"
    inner = "the harbour tunnel would open in 2027 after long delays"
    claims = [claim_row("c_o", "d_1", outer), claim_row("c_i", "d_1", inner, start=outer.index(inner))]
    links = link_claims(claims, [])
    assert links["c_o"].cluster_id == "c_o" and links["c_i"].cluster_id == "c_i"


def test_labels_and_tallies_before_a_colon_are_not_speakers() -> None:
    text = (
        "Editor's Note: The following report was updated after the vote.\n\n"
        "The Latest: Lawmakers approve the harbour budget.\n\nAlvarez: 512\n\n"
        "Alvarez: We will build the new pier by spring."
    )
    claims = [(c.claimant_text, c.surface) for c in extract_claims(text) if c.cue_text == ":"]
    assert claims == [("Alvarez", "We will build the new pier by spring")]


def test_each_turn_of_a_quoted_transcript_is_a_claim_of_its_speaker() -> None:
    text = (
        "Ferry Strike Talks Resume.\n\nThe harbour chief spoke to the radio host on Monday. An excerpt:\n\n"
        '"HOST: Let us begin with the strike. Will the ferries sail this week?\n\n'
        '"OKAFOR: Some will. The crews have agreed to run the early boats, and we expect more soon.\n\n'
        '"HOST: Thank you for joining us."'
    )
    turns = [(c.claimant_text, c.cue_text, c.surface) for c in extract_claims(text) if c.start > text.index("An excerpt")]
    assert turns == [
        ("HOST", ":", "Let us begin with the strike. Will the ferries sail this week?"),
        ("OKAFOR", ":", "Some will. The crews have agreed to run the early boats, and we expect more soon."),
        ("HOST", ":", "Thank you for joining us."),
    ]
    # A quotation that turns into a transcript keeps what comes before the first turn.
    text = (
        "The host read the chief's letter aloud.\n\n"
        '"The boats will sail on time, as I promised the town.\n\n'
        '"HOST: Is that still true today?\n\n"OKAFOR: It is, and the crews know it."'
    )
    read = [(c.kind, c.claimant_text, c.surface) for c in extract_claims(text)]
    assert [r[2] for r in read if r[0] == "direct_quote"] == ["The boats will sail on time, as I promised the town."]
    assert read[-2:] == [
        ("reported_speech", "HOST", "Is that still true today?"),
        ("reported_speech", "OKAFOR", "It is, and the crews know it."),
    ]


def test_a_name_and_a_colon_opening_a_paragraph_speak_the_whole_paragraph() -> None:
    text = (
        "Okafor: The Ferries Will Sail.\n\nThe panel then turned to the strike.\n\n"
        "Okafor: The crews have agreed. The early boats will run from Monday.\n\n"
        "Lindqvist: We will wait and see."
    )
    read = [(c.claimant_text, c.surface) for c in extract_claims(text) if c.cue_text == ":"]
    assert read == [
        ("Okafor", "The Ferries Will Sail"),
        ("Okafor", "The crews have agreed. The early boats will run from Monday."),
        ("Lindqvist", "We will wait and see"),
    ]


def test_participle_after_a_comma_keeps_the_nearest_speaker_unless_it_is_a_relative_clause() -> None:
    text = "Tensions rose after Oslo ordered the evacuation of its envoys, citing unspecified threats from the rebels."
    citing = next(c for c in extract_claims(text) if c.cue_text == "citing")
    assert citing.claimant_text == "Oslo"


def test_nearest_subject_takes_the_whole_noun_phrase_after_a_capitalised_determiner() -> None:
    from broadsheet.extract.claims.coordination import nearest_subject
    from broadsheet.extract.claims.passage import Passage

    view = TextView("The agreement, negotiated under President Lars Obst, began to unravel.")
    negotiated = next(i for i, t in enumerate(view.tokens) if t.text == "negotiated")
    a, b = nearest_subject(Passage.of(view, default_lexicon()), negotiated, 0)
    assert view.text[view.tokens[a].start : view.tokens[b - 1].end] == "The agreement"


def test_exported_vocabularies_are_the_schema_enums() -> None:
    from broadsheet.extract import claims
    from broadsheet.extract.claims.clusters import CONFLICT_KINDS

    assert vocabulary("claims", "kind") == claims.KINDS
    assert vocabulary("claims", "claimant_kind") == claims.CLAIMANT_KINDS
    assert vocabulary("claims", "modality") == claims.MODALITIES
    assert vocabulary("claims", "conflict_kinds") == CONFLICT_KINDS


def test_month_and_weekday_words_of_the_lexicon_are_the_calendars() -> None:
    from broadsheet import calendar
    from broadsheet.extract.claims.lexicon import with_calendar_words

    lex = default_lexicon()
    months = {words[0] for words in calendar.MONTHS.values()}
    weekdays = {words[0] for words in calendar.WEEKDAYS.values()}
    abbreviations = {w for table in (calendar.MONTHS, calendar.WEEKDAYS) for words in table.values() for w in words[1:]}
    assert weekdays <= lex.trailing_adjunct_openers and weekdays <= lex.grammar.time_words
    assert abbreviations <= lex.abbreviations
    assert lex.assertion_months == {w for words in calendar.MONTHS.values() for w in words}
    # "May said": a month that is also a name may be a speaker
    assert (months | weekdays) - lex.never_names == {"may"}
    assert with_calendar_words(["on", "<weekdays>"]) == ["on", *(words[0] for words in calendar.WEEKDAYS.values())]
    with pytest.raises(ValueError):
        with_calendar_words(["<seasons>"])
    with pytest.raises(ValueError):
        with_calendar_words(["<months except maybe>"])


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        (
            "The ferry service seems unlikely to resume before June.",
            "The ferry service seems unlikely to resume before June",
            "seems",
        ),
        ("The ferry was widely expected to be late.", "The ferry was widely expected to be late", "expected"),
        ("It is widely believed that the mayor will run again.", "the mayor will run again", "believed"),
    ],
)
def test_sourceless_raising_or_impersonal_passive_keeps_its_subject(text: str, content: str, cue: str) -> None:
    (claim,) = [c for c in extract_claims(text) if c.kind == "reported_speech"]
    assert (claim.surface, claim.cue_text, claim.claimant_text) == (content, cue, None)


def test_quote_resumed_in_the_same_paragraph_is_one_claim() -> None:
    text = 'The harbor plan is "a costly mistake," Jo Lane said. "Nobody asked the fishermen."'
    (claim,) = extract_claims(text)
    assert (claim.surface, claim.kind, claim.claimant_text) == (
        'The harbor plan is "a costly mistake," Jo Lane said. "Nobody asked the fishermen.',
        "reported_speech",
        "Jo Lane",
    )
    text = '"We will not raise the fees," Mayor Jane Roe said on the show "Morning Desk." "The budget is balanced."'
    (claim,) = extract_claims(text)
    assert claim.kind == "direct_quote" and claim.surface.endswith("The budget is balanced.")
    text = '"We will not raise the fees," Mayor Jane Roe said.\n\n"The budget is balanced."'
    assert [c.surface for c in extract_claims(text)] == ["We will not raise the fees,", "The budget is balanced."]


def test_according_to_with_a_long_source_or_interrupting_the_statement() -> None:
    text = (
        "According to early results of surveys conducted for the county paper and two radio stations, "
        "most residents oppose the new toll."
    )
    claims = extract_claims(text)
    (claim,) = [c for c in claims if c.cue_text == "According to"]
    assert claim.surface == "most residents oppose the new toll"
    assert claim.claimant_text is not None and claim.claimant_text.startswith("early results of surveys")
    # The stance the statement reports ("residents oppose ...") may be read as well, but only
    # inside it: it neither cuts the statement short nor takes the long source for content.
    assert all(claim.start <= c.start and c.end <= claim.end for c in claims)
    text = "Among the bridges at risk, according to the state engineer, are four built before 1950."
    (claim,) = extract_claims(text)
    assert (claim.surface, claim.claimant_text) == (
        "Among the bridges at risk, according to the state engineer, are four built before 1950",
        "the state engineer",
    )
    (claim,) = extract_claims("The toll will rise in May, according to the county.")
    assert (claim.surface, claim.claimant_text) == ("The toll will rise in May", "the county")


def test_frames_inside_a_quotation_belong_to_the_quote() -> None:
    text = '"We reject the claim that the mill will close, and reportedly so does the union," the mayor said.'
    assert [(c.kind, c.cue_text) for c in extract_claims(text)] == [("direct_quote", "said")]
    text = '"Sales fell, according to the owner, but we will stay open," the clerk said.'
    assert [(c.kind, c.cue_text) for c in extract_claims(text)] == [("direct_quote", "said")]


def test_content_runs_past_and_or_while_without_a_new_attribution() -> None:
    said = extract_claims("The mayor said the bridge was late and wants a new contractor.")
    assert [(c.surface, c.cue_text) for c in said] == [("the bridge was late and wants a new contractor", "said")]
    found = extract_claims("The survey found that older residents favored the plan, while younger ones opposed it.")
    assert [c.surface for c in found] == ["older residents favored the plan, while younger ones opposed it"]
    warned = extract_claims("The mayor said the bridge was late and warned that costs would rise.")
    assert [(c.surface, c.cue_text) for c in warned] == [("the bridge was late", "said"), ("costs would rise", "warned")]


def test_content_takes_in_a_quotation_running_past_its_sentence() -> None:
    text = 'The mayor said the plan was "a mistake from the start. We never agreed to it." The council met later.'
    assert [(c.kind, c.surface) for c in extract_claims(text)] == [
        ("reported_speech", 'the plan was "a mistake from the start. We never agreed to it.')
    ]


def test_a_contracted_pronoun_speaks() -> None:
    claims = extract_claims("The union met on Monday, and they're hoping to hire more workers.")
    assert [(c.surface, c.claimant_text, c.cue_text) for c in claims] == [("to hire more workers", "they", "hoping")]


@pytest.mark.parametrize(
    ("sentence", "adjuncts_only"),
    [("Roe said to reporters.", True), ("Roe spoke to the crowd.", True), ("Roe sought to calm the crowd.", False)],
)
def test_an_infinitive_after_a_cue_is_no_trailing_adjunct(sentence: str, adjuncts_only: bool) -> None:
    from broadsheet.extract.claims.content import only_trailing_adjuncts
    from broadsheet.extract.claims.passage import Passage

    view = TextView(sentence)
    assert only_trailing_adjuncts(Passage.of(view, default_lexicon()), 2, len(view.tokens) - 1) is adjuncts_only


def test_content_runs_past_but_and_a_semicolon_without_a_new_attribution() -> None:
    claims = extract_claims("The mayor said she backs a higher wage but wants a delay for small shops.")
    assert [c.surface for c in claims] == ["she backs a higher wage but wants a delay for small shops"]
    claims = extract_claims("The mayor said the problem was not the toll; the problem was the bridge itself.")
    assert [c.surface for c in claims] == ["the problem was not the toll; the problem was the bridge itself"]
    claims = extract_claims("The mayor said the toll was fair but warned that costs would rise.")
    assert [(c.surface, c.cue_text) for c in claims] == [("the toll was fair", "said"), ("costs would rise", "warned")]


def test_a_quantifier_standing_for_the_speakers_before_it_speaks() -> None:
    text = "The two mayors met on Friday, each saying the other had broken the deal."
    assert [(c.claimant_text, c.surface) for c in extract_claims(text)] == [("each", "the other had broken the deal")]
    text = "Several officials spoke to reporters. Several said the bridge was unsafe."
    assert [(c.claimant_text, c.surface) for c in extract_claims(text)] == [("Several", "the bridge was unsafe")]
    # Still no speaker: a quantifier with the noun it determines cut off, or a function word.
    assert [c.claimant_text for c in extract_claims("Instead said the ferry was late.")] == []


def test_a_speaker_loses_the_adverbs_between_it_and_its_cue() -> None:
    from broadsheet.extract.claims import _before_trailing_adverbs
    from broadsheet.extract.claims.lexicon import default_lexicon

    lex = default_lexicon()
    assert _before_trailing_adverbs(["Harbour", "pilots", "often"], lex) == 2
    assert _before_trailing_adverbs(["the", "pilots", "privately", "also"], lex) == 2
    assert _before_trailing_adverbs(["the", "pilots"], lex) == 2
    # A capitalised word or a function word ends no run of adverbs.
    assert _before_trailing_adverbs(["Kelly"], lex) == 1
    assert _before_trailing_adverbs(["the", "only"], lex) == 2


def test_a_relative_pronoun_speaks_for_the_description_before_it() -> None:
    def read(text: str) -> list[tuple[str | None, str | None]]:
        return [(c.claimant_text, c.antecedent_text) for c in extract_claims(text) if c.claimant_text in {"who", "which"}]

    assert read("The plan drew fire from the union leaders, who said the cuts were unfair.") == [("who", "the union leaders")]
    assert read("There are harbour pilots who argue that the channel is too shallow.") == [("who", "harbour pilots")]
    assert read("The plan angered many harbour pilots who say the channel is too shallow.") == [("who", "many harbour pilots")]
    assert read("The plan drew fire from Mayor Jane Roe, who said the cuts were unfair.") == [("who", "Mayor Jane Roe")]


def test_a_content_noun_inside_another_claim_is_no_claim_of_its_own() -> None:
    claims = extract_claims("The senator said the governor's claim that taxes would fall was false.")
    assert [c.reading for c in claims] == ["reported_content_after_cue"]
    assert claims[0].surface == "the governor's claim that taxes would fall was false"


def test_only_weak_readings_nested_in_another_content_are_dropped() -> None:
    from broadsheet.extract.claims import _without_weak_nested
    from broadsheet.extract.claims.attribution import Attribution

    outer = Attribution((10, 80), "reported_speech", (0, 5), (6, 10), "say", "speech", "reported_content_after_cue")
    unsure = Attribution((40, 80), "reported_speech", (20, 30), (31, 39), "back", "learned", "reported_content_after_cue", True)
    sure = Attribution((40, 70), "reported_speech", (20, 30), (31, 39), "back", "learned", "reported_content_after_cue")
    alone = Attribution((95, 120), "reported_speech", (82, 88), (89, 94), "back", "learned", "reported_content_after_cue", True)
    kept = _without_weak_nested([outer, unsure, sure, alone])
    assert kept == [outer, sure, alone]
