"""Which tokens attribute content: by the cue model's probabilities, by the lexicon's context
rules when there is no model, or, next to a quotation, by any speech verb at all."""

from __future__ import annotations

from broadsheet.extract.claims._text import QUOTE_MARKS, Token
from broadsheet.extract.claims.cue_model import CueModel
from broadsheet.extract.claims.passage import Cue, Passage


def find_cues(p: Passage, model: CueModel | None) -> list[Cue]:
    cues = model_cues(p, model) if model is not None else lexicon_cues(p)
    if model is not None:
        found = {c.start for c in cues if not c.quote_only}
        impersonal = [c for c in impersonal_passives(p) if c.start not in found]
        taken = {c.start for c in impersonal}
        cues = [c for c in cues if c.start not in taken] + impersonal
    return [c for c in cues if not parenthetical_infinitive(p, c.start, c.end)]


def impersonal_passives(p: Passage) -> list[Cue]:
    """ "it is (widely) believed that ...", "X is said to ...": a passive of the lexicon's
    impersonal verbs before "that" or "to" attributes without a source, whatever the model makes
    of the word (it learned "believed" mostly with a subject)."""
    toks, lex = p.toks, p.lex
    out: list[Cue] = []
    for i, tok in enumerate(toks):
        if tok.lower not in lex.impersonal_passive or i + 1 >= len(toks) or not after_be(p, i):
            continue
        if toks[i + 1].lower in {"that", "to"} and p.same_sentence(i, i + 1):
            lemma, cls = lex.verb_forms.get(tok.lower, (tok.lower, "belief"))
            out.append(Cue(i, i + 1, lemma, cls, ambiguous=False, passive=True))
    return out


def parenthetical_infinitive(p: Passage, start: int, end: int) -> bool:
    """ "Needless to say, ...", "suffice to say, ...", "that is to say, ...": an infinitive cue set
    off by a comma comments on the sentence; nobody in it says anything, and the word before "to"
    is no speaker."""
    toks = p.toks
    return (
        start > 0
        and toks[start - 1].lower == "to"
        and end < len(toks)
        and toks[end].text == ","
        and p.same_sentence(start - 1, end)
    )


def model_cues(p: Passage, model: CueModel) -> list[Cue]:
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    cues: list[Cue] = []
    for i, prob in sorted(model.scores(p.view, lex).items()):
        if prob < model.quote_threshold:
            continue
        tok = toks[i]
        w = tok.lower
        if w == "according" or w in g.non_cue_words or not tok.text[:1].isalpha():
            continue  # "according to" has its own reading; function words only join other cues
        lemma, cls = lex.verb_forms.get(w, (w, "learned"))
        end = i + 1
        if w in lex.particle_cues and end < len(toks) and toks[end].lower in lex.particle_cues[w][1]:
            lemma = lex.particle_cues[w][0]
            end += 1
        # "we are convinced that": a participle the training articles read with its subject as
        # speaker is no passive after "be".
        passive = is_passive(p, i) and not (w in model.subject_participles and after_be(p, i))
        cues.append(Cue(i, end, lemma, cls, ambiguous=prob < 0.5, passive=passive, quote_only=prob < model.threshold))
    return cues


def lexicon_cues(p: Passage) -> list[Cue]:
    cues: list[Cue] = []
    for i, tok in enumerate(p.toks):
        if tok.lower in p.lex.particle_cues:
            cue, decided = _particle_cue(p, i)
            if cue is not None:
                cues.append(cue)
            if decided:
                continue
        cue = _verb_cue(p, i)
        if cue is not None:
            cues.append(cue)
    return cues


def _particle_cue(p: Passage, i: int) -> tuple[Cue | None, bool]:
    """A verb that needs its particle ("called for"); the flag says whether the token is decided."""
    toks, lex = p.toks, p.lex
    w = toks[i].lower
    lemma, particles = lex.particle_cues[w]
    if i + 1 < len(toks) and toks[i + 1].lower in particles and verb_context(p, i):
        return Cue(i, i + 2, lemma, "speech", ambiguous=False), True
    if lemma == "call" and w not in lex.verb_forms and verb_context(p, i, strict=True):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and (nxt.lower in lex.object_pronouns or nxt.text[:1].isupper() or nxt.lower in lex.determiners):
            return Cue(i, i + 1, "call", "speech", ambiguous=True), True
        return None, True
    return None, False


def _verb_cue(p: Passage, i: int) -> Cue | None:
    toks, lex = p.toks, p.lex
    tok = toks[i]
    w = tok.lower
    entry = lex.verb_forms.get(w)
    if entry is None:
        return None
    lemma, cls = entry
    if tok.text[:1].isupper() and i > 0 and p.same_sentence(i - 1, i) and toks[i - 1].text not in QUOTE_MARKS:
        return None  # a capitalised cue word inside a sentence is a name or a title ("Post")
    ambiguous = w in lex.noun_verb_ambiguous
    if ambiguous and not verb_context(p, i):
        return None
    if not _has_complement(p, i, lemma):
        return None
    passive = after_be(p, i)
    if passive and w not in lex.impersonal_passive and lemma not in lex.grammar.passive_cue_lemmas:
        return None
    return Cue(i, i + 1, lemma, cls, ambiguous=ambiguous, passive=passive)


def _has_complement(p: Passage, i: int, lemma: str) -> bool:
    required = p.lex.needs_complement.get(lemma)
    if required is None:
        return True
    toks = p.toks
    k = i + 1
    while k < len(toks) and toks[k].lower in p.lex.adverbs_between:
        k += 1
    return k < len(toks) and toks[k].lower in required


# Auxiliaries of the perfect: a participle after one is active even behind an adverb.
_PERFECT = frozenset({"has", "have", "had", "having"})


def is_passive(p: Passage, i: int) -> bool:
    """A participle read as passive: "it is believed", "was asked about", "when asked",
    "Sanders, written off as ...", and the source-less "seems"/"appears"."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    w = toks[i].lower
    if w.startswith(("seem", "appear")):
        return True
    participle = (
        w in lex.impersonal_passive or (w.endswith(("ed", "en")) and w not in g.not_participles) or w in g.irregular_participles
    )
    if not participle:
        return False
    if after_be(p, i):
        return True
    prev = toks[i - 1].lower if i > 0 and p.same_sentence(i - 1, i) else ""
    if prev in g.passive_openers and i > 1 and toks[i - 2].lower in _PERFECT:
        return False  # "has long said", "had widely reported": a perfect tense with its subject
    if w in _PARTICIPLE_ONLY and not _after_perfect(p, i):
        return True  # "a developer known to ...", "ISIS, also known as ...": no past tense, so passive
    return prev in g.passive_openers


# Participles that are never a simple past: without "have" before them they are passive.
_PARTICIPLE_ONLY = frozenset({"known", "shown", "seen", "written", "given", "taken"})


def _after_perfect(p: Passage, i: int) -> bool:
    """Whether "have" stands before token ``i``, past adverbs and "not" ("has long known")."""
    toks, g = p.toks, p.lex.grammar
    k = i - 1
    while k >= 0 and p.same_sentence(k, i) and (toks[k].lower in g.between_be_and_participle or _is_adverb_token(toks[k])):
        k -= 1
    return k >= 0 and p.same_sentence(k, i) and toks[k].lower in _PERFECT


def _is_adverb_token(tok: Token) -> bool:
    return tok.lower.endswith("ly") and tok.text.islower() and len(tok.lower) > 4


def after_be(p: Passage, i: int) -> bool:
    toks, g = p.toks, p.lex.grammar
    k = i - 1
    # "is not believed", and any adverb in -ly: "has been harshly criticized", "was officially named".
    while k >= 0 and (toks[k].lower in g.between_be_and_participle or (toks[k].lower.endswith("ly") and toks[k].text.islower())):
        k -= 1
    return k >= 0 and toks[k].lower in g.be_forms


def verb_context(p: Passage, i: int, strict: bool = False) -> bool:
    """Whether the token at ``i`` reads as a verb from what precedes it.

    After a determiner or possessive it is a noun ("his support", "the show"); after a subject
    pronoun, an auxiliary, "to" or a name it is a verb. ``strict`` also rejects nouns before it.
    """
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    k = i - 1
    while k >= 0 and toks[k].lower in g.adverbs_before_verb:
        k -= 1
    if k < 0 or not p.same_sentence(k, i):
        return False
    prev = toks[k]
    w = prev.lower
    if w in g.noun_context:
        return False
    if w.endswith(("'s", "’s")) and w not in g.contracted_subjects:
        return False
    if w in lex.subject_pronouns or w in g.verb_context or w.endswith(("n't", "n’t")):
        return True
    if prev.text[:1].isupper():
        return True
    if prev.text in {",", "—", "–"}:
        return not strict
    if strict:
        return False
    # A plural or collective noun subject ("voters support", "officials plan").
    return w.endswith("s") and len(w) > 3 and w not in g.plural_lookalikes


def cue_token(p: Passage, k: int) -> Cue | None:
    """The cue starting at token ``k`` of a quotation's attribution: one that cue detection
    found, or any speech verb of the lexicon, since next to a quotation the position itself
    says that it attributes ('"...," she snapped')."""
    cue = p.cue_at.get(k)
    if cue is not None:
        return cue
    tok = p.toks[k]
    entry = p.lex.verb_forms.get(tok.lower)
    if entry is None or entry[1] != "speech" or tok.lower in p.lex.noun_verb_ambiguous:
        return None
    if tok.text[:1].isupper() and k > 0 and p.same_sentence(k - 1, k) and p.toks[k - 1].text not in QUOTE_MARKS:
        return None  # a capitalised word inside a sentence is a name or a title
    return Cue(k, k + 1, entry[0], "speech", ambiguous=True, passive=is_passive(p, k), quote_only=True)
