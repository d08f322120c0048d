"""The speaker of a cue with no subject of its own: a verb coordinated with an earlier one ("X
laughed and said"), or a participle hanging on its clause ("..., adding that ...").

It is the speaker of the nearest earlier attribution in the same sentence, unless that one sits
in an opening subordinate clause or a relative clause; failing that, the nearest subject-like
word before the cue, or the subject that opens the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from broadsheet.extract.claims._text import CLOSE_DOUBLE, QUOTE_MARKS, is_abbreviation_stop
from broadsheet.extract.claims.claimants import noun_like
from broadsheet.extract.claims.passage import Attribution, Passage, TokenSpan
from broadsheet.extract.claims.speakers import clause_start, introductory, is_adverb, np_forward, subject_before


def shared_subject(p: Passage, i: int, lo: int, prior: Sequence[Attribution]) -> TokenSpan | None:
    """The speaker of the nearest earlier attribution in the same sentence (as token span).

    ``prior`` are the attributions found so far; cues not read yet count through their subjects.
    """
    v, toks = p.view, p.toks
    best = _latest_attribution(prior, toks[lo].start, toks[i].start)
    if _hangs_on_main_clause(p, i, lo, best):
        # "X was defensive about a builder who said ..., saying": a participle after a comma
        # hangs on the main clause, not on the relative clause, whose speaker is "who".
        opening = _opening_subject(p, i, lo)
        if opening is not None:
            return opening
    if best is not None and best.source is not None:
        return _past_subordinate(p, i, lo, v.token_at(best.cue[1])) or (v.token_at(best.source[0]), v.token_at(best.source[1]))
    earlier = _earlier_cue_subject(p, i, lo)
    if earlier is not None:
        return earlier
    near = nearest_subject(p, i, lo)
    if near is not None:
        return near
    return _opening_subject(p, i, lo) or after_fronted_participle(p, i, lo)


def after_fronted_participle(p: Passage, i: int, lo: int) -> TokenSpan | None:
    """ "Citing a poll, Roe said ...", "Despite challenging the count, Roe conceded": a participle
    in an adjunct that opens the sentence has the subject of the clause after its comma."""
    toks, g = p.toks, p.lex.grammar
    if not toks[i].lower.endswith("ing"):
        return None
    a = clause_start(p, lo)
    # Only a preposition may stand before it ("Despite", "After", "In addition to"), or a
    # conjunction that takes a participle ("While denouncing ..., Roe hasn't ...").
    if i - a > 3 or any(
        toks[m].lower not in g.adjunct_prepositions
        and toks[m].lower not in _PARTICIPLE_CONJUNCTIONS
        and toks[m].lower != "addition"
        for m in range(a, i)
    ):
        return None
    hi = p.view.sentences[p.sentence_of(i)][1]
    comma = next((m for m in range(i + 1, min(hi, i + 30)) if toks[m].text == ","), None)
    # "Rattling off promises to cut debt, reform schools and fix roads, Roe ...": a comma before
    # a lower-case word that opens no noun phrase parts a series inside the adjunct.
    while comma is not None and comma + 1 < hi and _series_item(p, comma + 1):
        comma = next((m for m in range(comma + 1, min(hi, i + 30)) if toks[m].text == ","), None)
    if comma is None:
        return None
    after = comma + 1
    if any(toks[m].text in QUOTE_MARKS for m in range(i, comma)):
        # 'After saying it was "too late," Roe said ...': a quotation the adjunct holds closes at
        # its comma; any other comma inside quotation marks belongs to the quotation.
        if after >= hi or toks[after].text not in CLOSE_DOUBLE:
            return None
        after += 1
    np = np_forward(p, after)
    if np is None or np[1] - np[0] > 4 or np[1] >= hi or not toks[np[1]].text.islower():
        return None
    first = toks[np[0]]
    if not (first.text[:1].isupper() or first.lower in g.personal_subjects or first.lower in p.lex.determiners):
        return None
    return np


def _series_item(p: Passage, k: int) -> bool:
    t, lex = p.toks[k], p.lex
    return (
        t.text.isalpha() and t.text.islower() and t.lower not in lex.determiners and t.lower not in lex.grammar.personal_subjects
    )


# Conjunctions that open an adjunct on a participle as prepositions do ("while saying", "when
# asking"); "after", "before" and "since" are prepositions of the lexicon already.
_PARTICIPLE_CONJUNCTIONS = frozenset({"while", "whilst", "when", "though", "although", "once", "until"})


def _latest_attribution(prior: Sequence[Attribution], start_char: int, cue_char: int) -> Attribution | None:
    best: Attribution | None = None
    for attr in prior:
        if attr.source is None or attr.cue is None or not start_char <= attr.cue[0] < cue_char:
            continue
        if best is None or attr.cue[0] > best.cue[0]:
            best = attr
    return best


def _hangs_on_main_clause(p: Passage, i: int, lo: int, best: Attribution | None) -> bool:
    toks = p.toks
    if not toks[i].lower.endswith("ing"):
        return False
    k = i - 1
    while k > lo and is_adverb(p, k):
        k -= 1
    return (
        k >= lo
        and toks[k].text == ","
        and not any(toks[m].text in QUOTE_MARKS for m in range(lo, i))
        and _relative_speaker(p, best, i, lo)
    )


def _earlier_cue_subject(p: Passage, i: int, lo: int) -> TokenSpan | None:
    """The subject of an earlier cue of the sentence not read yet (quotes are read before
    reported speech)."""
    for k in range(i - 1, lo - 1, -1):
        c = p.cue_at.get(k)
        if c is not None and not c.quote_only and not c.passive and p.toks[k].lower[-3:] != "ing":
            subj = subject_before(p, k, lo)
            if subj is not None:
                return _past_subordinate(p, i, lo, c.end) or subj
            return None
    return None


def _relative_speaker(p: Passage, best: Attribution | None, i: int, lo: int) -> bool:
    """Whether the nearest earlier attribution of the sentence is a relative clause's ("who said")."""
    rel = p.lex.grammar.relative_speakers
    if best is not None and best.source is not None:
        return p.text[best.source[0] : best.source[1]].lower() in rel
    for k in range(i - 1, lo - 1, -1):
        c = p.cue_at.get(k)
        if c is not None and not c.quote_only and not c.passive:
            subj = subject_before(p, k, lo)
            return subj is not None and p.toks[subj[0]].lower in rel and subj[1] - subj[0] == 1
    return False


def _past_subordinate(p: Passage, i: int, lo: int, earlier_cue_end: int) -> TokenSpan | None:
    """ "When X raised it, I laughed and said": an earlier attribution inside an opening
    subordinate clause does not lend its speaker; the subject after that clause's comma does."""
    toks = p.toks
    if toks[clause_start(p, lo)].lower not in p.lex.grammar.subordinators:
        return None
    near = nearest_subject(p, i, lo)
    if near is not None and near[0] >= earlier_cue_end and any(t.text == "," for t in toks[earlier_cue_end : near[0]]):
        return near
    return None


def _opening_subject(p: Passage, i: int, lo: int) -> TokenSpan | None:
    """The subject that opens the sentence before token ``i``, when it is a name or a pronoun."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    a = clause_start(p, lo)
    comma = next((m for m in range(a, min(i, a + 11)) if toks[m].text == ","), None)
    if comma is not None and introductory(p, a, comma):
        a = comma + 1  # "On Tuesday, X ...": past the introductory adjunct
    if a >= i:
        return None
    w = toks[a].lower
    if w in g.adjunct_prepositions or w in g.clause_words or w in g.not_subject_openers:
        return None
    if w in lex.person_pronouns or w in lex.group_pronouns or toks[a].text[:1].isupper():
        np = np_forward(p, a)
        if np is not None and np[1] < i and np[1] - np[0] <= 6:
            return np
    elif w in lex.determiners:
        return _determiner_subject(p, a, i)
    return None


def _determiner_subject(p: Passage, a: int, i: int) -> TokenSpan | None:
    """ "In 2010, several groups sued the firm, saying ...": after an introductory adjunct the
    subject opens in lower case. A determiner's noun phrase is that subject when its head can
    speak (a plural, a noun of the claimant lists, a name) and a lower-case word, its verb,
    follows; "the rain flooded ..." has no such head."""
    toks, lex = p.toks, p.lex

    def verb_next(k: int) -> bool:
        return k < i and toks[k].text.isalpha() and toks[k].text.islower() and toks[k].lower not in lex.np_prepositions

    for k in range(a + 1, min(i, a + 6)):
        t = toks[k]
        if t.text[:1].isupper():
            end = k
            while end < i and toks[end].text[:1].isupper():
                end += 1
            return (a, end) if verb_next(end) else None
        if noun_like(t.lower, lex) and verb_next(k + 1):
            return (a, k + 1)
        if not t.text.isalpha():
            return None
    return None


def nearest_subject(p: Passage, i: int, lo: int) -> TokenSpan | None:
    """The closest subject before a coordinated verb ("he laughed and said"): a subject
    pronoun, or a name followed by a lower-case word and not governed by a preposition."""
    toks, lex = p.toks, p.lex
    for k in range(i - 1, max(lo, i - 25) - 1, -1):
        t = toks[k]
        if t.lower in lex.grammar.personal_subjects:
            return (k, k + 1)
        if t.text[:1].isupper() and t.lower in lex.determiners:
            np = np_forward(p, k)
            if np is not None and np[1] <= i and np[1] - np[0] > 1:
                return np  # "The treaty, signed under ...": the whole noun phrase
            continue
        if t.text[:1].isupper() and k + 1 < i and toks[k + 1].text.islower() and toks[k + 1].lower not in lex.np_prepositions:
            name = _name_subject(p, k, lo)
            if name is not None:
                return name
    return None


def _name_subject(p: Passage, k: int, lo: int) -> TokenSpan | None:
    """The name ending at ``k`` when it reads as a subject, not a preposition's or a verb's object."""
    toks, g = p.toks, p.lex.grammar
    a = k
    while a - 1 >= lo and (toks[a - 1].text[:1].isupper() or is_abbreviation_stop(toks, a - 1)):
        a -= 1
    if a > lo:
        prev = toks[a - 1]
        if prev.lower in g.adjunct_prepositions or prev.lower in g.object_markers:
            return None
        if (
            prev.text.isalpha()
            and prev.text.islower()
            and prev.lower not in g.clause_words
            and prev.lower not in g.subordinators
            and prev.lower not in g.verb_joiners
        ):
            return None  # "The mayor visited Lyon and announced": a name after a verb is its object
    if (
        toks[a].lower in g.adjunct_prepositions
        or toks[a].lower in g.clause_words
        or toks[a].lower in g.temporal_conjunctions
        or toks[a].lower in g.leading_conjunctions  # "Yet many officials ...": capitalised, no name
    ):
        a += 1
        if a > k:
            return None
    return (a, k + 1)
