"""Content spans: what a cue introduces, as token ranges within a sentence (or quotation).

The content after a cue runs to the end of its clause, past an addressee ("told reporters") and
adjuncts ("in a statement on Tuesday"), and stops before what belongs to someone else: a
coordinated attribution, a trailing "..., X said", or a clause about the speaker's act.
"""

from __future__ import annotations

from broadsheet.extract.claims._text import OPEN_DOUBLE, QUOTE_MARKS
from broadsheet.extract.claims.claimants import noun_like
from broadsheet.extract.claims.passage import PUNCT_END, Cue, Passage, TokenSpan
from broadsheet.extract.claims.speakers import subject_before


def only_trailing_adjuncts(p: Passage, j: int, hi: int) -> bool:
    """Whether what follows a cue up to the sentence end is only adjuncts ("in a statement")."""
    toks, lex = p.toks, p.lex
    if j >= hi or toks[j].text in PUNCT_END or toks[j].text in QUOTE_MARKS:
        return True
    first = toks[j].lower
    # An object pronoun ends an attribution only as an addressee ("..., she told him.").
    addressee = first in lex.object_pronouns and (
        j + 1 >= hi or toks[j + 1].text in PUNCT_END or toks[j + 1].lower in lex.trailing_adjunct_openers
    )
    if first not in lex.trailing_adjunct_openers and not addressee:
        return False
    if first == "to" and _infinitive(p, j + 1, hi):
        return False  # "..., Roe sought to distinguish herself": a verb's object, not "to reporters"
    for k in range(j, hi):
        if _ends_adjuncts(p, k):
            return False
    return k - j < 12


def _infinitive(p: Passage, k: int, hi: int) -> bool:
    """Whether the word at ``k`` (after "to") opens an infinitive rather than a noun phrase."""
    if k >= hi:
        return False
    t, lex = p.toks[k], p.lex
    w = t.lower
    if not t.text.islower() or not w.isalpha():
        return False
    return not (
        w in lex.determiners
        or w in lex.grammar.possessives
        or w in lex.object_pronouns
        or w in lex.np_prepositions
        or noun_like(w, lex)
    )


def _ends_adjuncts(p: Passage, k: int) -> bool:
    """Whether the word at ``k`` shows that more than adjuncts follow a cue."""
    t = p.toks[k]
    if t.lower in p.lex.grammar.complementizers or t.text in {":", ";", ","}:
        return True
    if t.lower in p.lex.verb_forms and t.lower not in p.lex.noun_verb_ambiguous:
        return True
    return t.lower in p.lex.grammar.finite_be_have


def adjuncts_then_comma(p: Passage, j: int, hi: int) -> bool:
    toks = p.toks
    if j >= hi or toks[j].lower not in p.lex.trailing_adjunct_openers:
        return False
    for k in range(j, min(hi, j + 10)):
        if toks[k].text == ",":
            return True
        if toks[k].lower in p.lex.grammar.complementizers or toks[k].text in PUNCT_END:
            return False
    return False


def content_before(p: Passage, comma: int, lo: int) -> TokenSpan | None:
    """The clause before ``..., X said``: from the sentence (or quotation) start to the comma."""
    toks = p.toks
    a = lo
    while a < comma and (toks[a].text in QUOTE_MARKS or toks[a].text in {"—", "–", "-", "("}):
        a += 1
    b = comma
    while b > a and toks[b - 1].text in QUOTE_MARKS | {","}:
        b -= 1
    return (a, b) if b - a >= 1 and toks[a].text[:1].isalnum() else None


def content_after_comma(p: Passage, j: int, hi: int) -> TokenSpan | None:
    k = j
    while k < hi and p.toks[k].text != ",":
        k += 1
    return to_clause_end(p, k + 1, hi)


def content_after(p: Passage, cue: Cue, hi: int) -> TokenSpan | None:
    """What a cue introduces after it: skip an addressee and adjuncts, then "that" or a colon."""
    toks, lex = p.toks, p.lex
    k = cue.end
    if k < hi and cue.lemma in lex.grammar.addressee_verbs:
        k = skip_addressee(p, k, hi)
    k = _skip_adjuncts(p, k, hi)
    if k < hi and toks[k].text in {":", ",", "—", "–"}:
        k += 1
    if k < hi and toks[k].lower in lex.grammar.content_markers and cue.lemma not in lex.object_first:
        k += 1
    return to_clause_end(p, k, hi, clip=True)


def to_clause_end(p: Passage, k: int, hi: int, clip: bool = False) -> TokenSpan | None:
    toks = p.toks
    if k >= hi:
        return None
    b = hi
    while b > k and (toks[b - 1].text in PUNCT_END or toks[b - 1].text in {",", ":", "—", "–"}):
        b -= 1
    # A semicolon does not end what the cue governs: "said the problem was A; the problem was B"
    # is one content in PolNeAR (on the training articles outside the sample, ending there lost
    # 15 matched annotations of 11398).
    if clip:
        b = _clip_coordination(p, k, b)
        b = _clip_trailing_clause(p, k, b)
        b = _clip_trailing_attribution(p, k, b, hi)
    if b - k < 1 or (b - k == 1 and not toks[k].text[:1].isalnum()):
        return None
    return k, b


def _clip_coordination(p: Passage, k: int, b: int) -> int:
    """End of a content that a coordinated attribution follows: "... officials but would not
    offer details" ends before "but" when the verb phrase after it has a cue of its own."""
    toks, lex = p.toks, p.lex
    for m in range(k + 1, b):
        if toks[m].lower not in lex.grammar.coordination_clippers:
            continue
        n = m + 1
        while n < b and n - m <= 4 and (toks[n].lower in lex.adverbs_between or toks[n].lower.endswith(("n't", "n’t"))):
            n += 1
        if (
            n < b
            and n in p.cue_at
            and toks[n].text.islower()
            and (toks[m].lower not in {"and", "but"} or _opens_complement(p, n, b))
        ):
            end = m
            while end > k and toks[end - 1].text in {",", ";", "—", "–"}:
                end -= 1
            return end
    return b


def _opens_complement(p: Passage, n: int, b: int) -> bool:
    """Whether the cue at ``n`` introduces a clause of its own right after it ("and warned that
    ...", "and asked whether ..."), past its particle."""
    toks, g = p.toks, p.lex.grammar
    return any(toks[k].lower in g.complementizers for k in range(p.cue_at[n].end, min(b, p.cue_at[n].end + 2)))


def _clip_trailing_attribution(p: Passage, k: int, b: int, hi: int) -> int:
    """End a content before a closing ``..., X said.`` that attributes the whole sentence to
    someone else (the headline "Leader approved attack, Pentagon says")."""
    toks = p.toks
    for m in range(k + 1, b):
        if toks[m].text != ",":
            continue
        tail = range(m + 1, hi)
        if not 0 < len(tail) <= 10 or any(
            toks[n].lower in p.lex.grammar.complementizers or toks[n].text in QUOTE_MARKS for n in tail
        ):
            continue
        if any(_closes_with_attribution(p, m, n, hi) for n in tail):
            return m
    return b


def _closes_with_attribution(p: Passage, comma: int, n: int, hi: int) -> bool:
    cue = p.cue_at.get(n)
    if cue is None or cue.quote_only or not only_trailing_adjuncts(p, cue.end, hi):
        return False
    subject = subject_before(p, n, comma + 1)
    return n == comma + 1 or (subject is not None and subject[0] == comma + 1)


def _clip_trailing_clause(p: Passage, k: int, b: int) -> int:
    """End a content before what describes the speaker's act rather than the claim: a
    participle after a comma (", raising fears ..."), ", while ...", "- but ...", "; ..."."""
    toks, g = p.toks, p.lex.grammar
    for m in range(k + 2, b - 1):
        t = toks[m]
        if t.text in {",", "—", "–", "-"} or t.text == "(":
            w = toks[m + 1].lower
            contrast = w in g.contrast_conjunctions or (t.text in {"—", "–", "-"} and w in g.dash_conjunctions)
            if contrast and p.quote_at(t.start) is p.quote_at(toks[k].start):
                return m
    return b


def skip_addressee(p: Passage, k: int, hi: int) -> int:
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    if k >= hi:
        return k
    t = toks[k]
    if t.lower in lex.object_pronouns:
        return k + 1
    if t.lower in g.content_openers or t.text in QUOTE_MARKS:
        return k
    if t.lower in lex.determiners or t.text[:1].isupper():
        m = k + 1
        while m < hi and m < k + 8:
            w = toks[m]
            if w.lower in g.addressee_enders or not w.text[:1].isalnum() and w.text not in {"'s", "’s", "-", "&", "."}:
                break
            m += 1
        return m
    return k


def _skip_adjuncts(p: Passage, k: int, hi: int) -> int:
    """Skip "on Tuesday", "in a statement", "in an interview with X" when a "that", colon or
    quotation follows them; otherwise the words are content."""
    toks, g = p.toks, p.lex.grammar
    if k >= hi or (
        toks[k].lower not in g.adjunct_prepositions
        and toks[k].lower not in g.time_words
        and toks[k].lower not in g.time_modifiers
    ):
        return k
    for m in range(k, min(hi, k + 12)):
        t = toks[m]
        if t.lower == "that" or t.text in {":"} or (t.text in OPEN_DOUBLE and m > k):
            return m
        if t.text in PUNCT_END:
            break
        if t.text == "," and m + 1 < hi and (toks[m + 1].lower == "that" or toks[m + 1].text in QUOTE_MARKS):
            return m + 1
    return k
