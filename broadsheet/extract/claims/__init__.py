"""Claims: who claimed what, and how surely, as exact spans of one document's text.

`extract_claims(text)` finds three kinds of claim:

- ``direct_quote``: words in quotation marks (straight or curly, with nested single quotes, across
  paragraphs) with the speaker and cue next to them, or the speaker of the adjacent sentence when
  the quote stands alone; scare quotes of one or two words are not claims;
- ``reported_speech``: indirect speech and other attributed content ("X said that ...",
  "according to X, ...", "X warned ...", "Moscow regarded ..."), including attributions without a
  speaker ("reportedly", "it is believed that ...");
- ``assertion``: the author's own checkable statements (numbers, causes, predictions), chosen
  conservatively.

Every claim carries its content span, the claimant span as written with the named antecedent of
pronouns and descriptions, the claimant's kind, the cue span and the modality with its cue words.
What counts as a cue, a hedge or an assertion signal lives in ``cues.yaml`` next to this module.
Entity ids and cross-document clusters are assigned later by the pipeline.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.assertions import find_assertions
from broadsheet.extract.claims.attribution import Attribution, find_attributions
from broadsheet.extract.claims.claimants import SpeakerResolver, can_speak, name_part, noun_like, trimmed_speaker
from broadsheet.extract.claims.cue_model import CueModel, default_cue_model
from broadsheet.extract.claims.lexicon import Lexicon, default_lexicon
from broadsheet.extract.claims.modality import classify_modality, frame_before
from broadsheet.schema import vocabulary

__all__ = ["Claim", "extract_claims"]

# The claims table's schema is the one definition of these vocabularies; a copy here could drift.
KINDS = vocabulary("claims", "kind")
CLAIMANT_KINDS = vocabulary("claims", "claimant_kind")
MODALITIES = vocabulary("claims", "modality")

# Preference between two readings of the same content span.
_KIND_RANK = {"direct_quote": 0, "reported_speech": 1, "assertion": 2}


@dataclass(frozen=True)
class Claim:
    """One claim in a document. Every span is a ``[start, end)`` character range of the text and
    ``text[start:end]`` equals its surface.

    ``start``/``end``/``surface``: the claim's content (quotation marks excluded for direct quotes;
    a quote interrupted by its attribution, ``"A," she said, "B."``, is one claim from A to B).
    ``claimant_*``: the speaker as written, possibly a pronoun; None when no speaker is given.
    ``antecedent_*``: the named speaker a pronoun or description resolves to, else None.
    ``claimant_kind``: person, organization, country, author (assertions), unknown or none.
    ``cue_*``: the verb or phrase that attributes the content ("said", "according to", ":").
    ``modality``/``modality_cues``: how surely it is stated and the words that say so.
    ``confidence``: the share of predictions made by the same reading (direct quote with a cue,
    content after the cue, ...) that matched a gold attribution on held-out PolNeAR training
    documents, less measured penalties for cues the model was unsure of and for cues that are not
    speech verbs; an assertion's is the share that held no annotated attribution times the share
    judged checkable by hand. Calibrated per reading, not per claim (numbers in ``cues.yaml``);
    keep rows at 0.8 or more where precision matters.
    """

    start: int
    end: int
    surface: str
    kind: str
    claimant_start: int | None
    claimant_end: int | None
    claimant_text: str | None
    antecedent_start: int | None
    antecedent_end: int | None
    antecedent_text: str | None
    claimant_kind: str
    cue_start: int | None
    cue_end: int | None
    cue_text: str | None
    modality: str
    modality_cues: tuple[str, ...]
    confidence: float
    # How the claim was read (a key of the lexicon's confidence table), the cue's class and whether
    # the cue model was unsure of it: what its confidence is calibrated from.
    reading: str = "assertion"
    cue_class: str | None = None
    ambiguous_cue: bool = False
    # The part of the claimant that names it ("Jane Roe" of "Sen. Jane Roe, D-Ore."), None for a
    # pronoun or a role description: the span an entity mention must cover to be the claimant.
    claimant_name_start: int | None = None
    claimant_name_end: int | None = None


_DEFAULT = object()


def extract_claims(text: str, lexicon: Lexicon | None = None, cue_model: CueModel | None | object = _DEFAULT) -> list[Claim]:
    """All claims of one document, ordered by content start, then end.

    ``lexicon`` and ``cue_model`` default to those shipped with the package; pass
    ``cue_model=None`` to decide cues by the lexicon's rules alone.
    """
    lex = lexicon or default_lexicon()
    model = default_cue_model() if cue_model is _DEFAULT else cue_model
    view = TextView(text)
    attributions, cue_tokens = find_attributions(view, lex, model)  # type: ignore[arg-type]
    best: dict[tuple[int, int], Attribution] = {}
    for attr in attributions:
        if attr.content[1] <= attr.content[0]:
            continue
        kept = best.get(attr.content)
        if kept is None or _rank(attr, lex) < _rank(kept, lex):
            best[attr.content] = attr
    ordered = sorted(best.values(), key=lambda a: (a.source[0] if a.source else a.content[0], a.content))
    ordered = _without_weak_nested(ordered)
    resolver = SpeakerResolver(view, lex)
    claims: list[Claim] = []
    for attr in ordered:
        if attr.source is not None:
            attr = _speaking(view, attr, lex)
            if attr is None:
                continue
        speaker = resolver.resolve(attr.source)
        claims.append(_to_claim(view, attr, speaker, lex))
    covered = [(c.start, c.end) for c in claims]
    cue_words = model.vocabulary if isinstance(model, CueModel) else frozenset()
    for start, end, _signal in find_assertions(view, lex, covered, cue_tokens, cue_words):
        claims.append(_assertion(view, start, end, lex))
    claims.sort(key=lambda c: (c.start, c.end, _KIND_RANK[c.kind]))
    return claims


def _without_weak_nested(attrs: list[Attribution]) -> list[Attribution]:
    """The attributions less the weak ones nested in another's content: reported speech whose cue
    the model was unsure of, or a content noun ("the claim that ..."), inside the content of
    another attribution that starts before its cue ("X said officials were seen backing ...").
    On the PolNeAR training articles outside the sample such nested readings matched an annotated
    attribution in about a quarter of the cases (22 of 96 with an unsure cue, 13 of 41 content
    nouns), less than half the F1 at which a row pays for itself; the outer reading holds the
    words anyway."""

    def weak_nested(a: Attribution) -> bool:
        if a.kind != "reported_speech" or a.cue is None:
            return False
        if not (a.ambiguous_cue or a.pattern == "reported_noun_that"):
            return False
        cue = a.cue[0]
        return any(o is not a and o.content[0] <= cue and a.content[1] <= o.content[1] and o.content != a.content for o in attrs)

    return [a for a in attrs if not weak_nested(a)]


def _speaking(view: TextView, attr: Attribution, lex: Lexicon) -> Attribution | None:
    """The attribution with its speaker cut to the noun phrase ("But the ministry" -> "the
    ministry"), or None when what stands as its speaker cannot speak ("Needless", "of
    Republican", "receive the"): the shallow grammar misread the sentence, and on PolNeAR dev
    such a reading matched no annotated attribution in about half of the cases, and had the
    wrong speaker in most of the others."""
    assert attr.source is not None
    quoted = view.quote_containing(attr.source[0])
    if quoted is not None and (attr.cue is None or view.quote_containing(attr.cue[0]) is not quoted):
        # 'On "Face the Nation," X said', 'the phrase "Islamic terrorism" ... criticized': a
        # speaker inside quotation marks its cue stands outside of is a piece of a title or a
        # quoted phrase; none of the 9 such readings on the two PolNeAR dev sets had the annotated
        # speaker. A quotation keeps its claim without one; reported speech was misread.
        return dataclasses.replace(attr, source=None) if attr.kind == "direct_quote" else None
    a, b = view.token_at(attr.source[0]), view.token_at(attr.source[1])
    cut = trimmed_speaker([t.text for t in view.tokens[a:b]], lex)
    if cut:
        a += cut
        attr = dataclasses.replace(attr, source=(view.tokens[a].start, attr.source[1]))
    words = [t.text for t in view.tokens[a:b]]
    pronoun = _contracted_pronoun(words, lex)
    if pronoun:
        # "they're looking to ...", "she'll want ...": the pronoun before the auxiliary speaks.
        return dataclasses.replace(attr, source=(view.tokens[a].start, view.tokens[a].start + len(pronoun)))
    if not can_speak(words, lex):
        kept = _before_trailing_adverbs(words, lex)
        if 0 < kept < len(words) and can_speak(words[:kept], lex):
            # "Mexicans often say", "officials privately said": an adverb between the speaker and
            # its cue is no part of the speaker.
            words = words[:kept]
            attr = dataclasses.replace(attr, source=(attr.source[0], view.tokens[a + kept - 1].end))
        elif not (len(words) == 1 and words[0].lower() in lex.quantifier_pronouns):
            return None
    if len(words) == 1 and not _pronoun(words[0].lower(), lex) and _lower_elsewhere(view, a, lex):
        return None  # "Instead said", "Continuing": a capitalised word the text also writes in lower case
    return attr


def _before_trailing_adverbs(words: list[str], lex: Lexicon) -> int:
    """How many words of a speaker are left before the adverbs it ends with: lower-case words
    of the lexicon's adverbs between a subject and its verb, and words in -ly."""
    n = len(words)
    while n > 1:
        w = words[n - 1]
        low = w.lower()
        if not w.islower() or not (low in lex.adverbs_between or low.endswith("ly") and len(low) > 4):
            break
        n -= 1
    return n


def _contracted_pronoun(words: list[str], lex: Lexicon) -> str:
    """The personal pronoun of a lone contracted subject ("they're", "we’ve", "she'll"), else ""."""
    if len(words) != 1:
        return ""
    head, mark, tail = words[0].replace("’", "'").partition("'")
    if not mark or tail.lower() not in _CONTRACTED_AUXILIARIES:
        return ""
    return head if head.lower() in lex.person_pronouns or head.lower() in lex.group_pronouns else ""


_CONTRACTED_AUXILIARIES = frozenset({"re", "ve", "ll", "d", "m"})


def _pronoun(word: str, lex: Lexicon) -> bool:
    return (
        word in lex.quantifier_pronouns
        or word in lex.person_pronouns
        or word in lex.group_pronouns
        or word in lex.thing_pronouns
        or word in lex.subject_pronouns
        or word in lex.grammar.possessives
    )


def _lower_elsewhere(view: TextView, k: int, lex: Lexicon) -> bool:
    """Whether the capitalised word at token ``k`` opens its sentence and the text also writes it
    in lower case: then it is an ordinary word capitalised by its position, not a name."""
    tok = view.tokens[k]
    if not tok.text[:1].isupper() or tok.text.isupper() or view.sentences[view.sentence_of(k)][0] != k:
        return False
    return any(t.text == tok.lower for t in view.tokens) and not noun_like(tok.lower, lex)


def _rank(attr: Attribution, lex: Lexicon) -> tuple[int, float]:
    return (_KIND_RANK[attr.kind], -_confidence(attr, lex))


def _confidence(attr: Attribution, lex: Lexicon) -> float:
    conf = lex.confidence[attr.pattern]
    if attr.ambiguous_cue:
        conf -= lex.confidence["ambiguous_cue_penalty"]
    if attr.cue_class in {"belief", "evidence", "stance", "learned"}:
        conf -= lex.confidence["other_cue_penalty"]
    return round(min(max(conf, 0.05), 0.99), 2)


def _to_claim(view: TextView, attr: Attribution, speaker, lex: Lexicon) -> Claim:  # type: ignore[no-untyped-def]
    text = view.text
    start, end = attr.content
    tokens = view.tokens[view.token_at(start) : view.token_at(end)]
    cue_text = text[attr.cue[0] : attr.cue[1]] if attr.cue else None
    frame = frame_before(view.tokens, view.token_at(attr.cue[0])) if attr.cue else None
    modality, cues = classify_modality(tokens, text, end, cue_text, lex, frame=frame)
    span, ante = speaker.span, speaker.antecedent
    name = None
    if span is not None:
        a, b = view.token_at(span[0]), view.token_at(span[1])
        part = name_part([t.text for t in view.tokens[a:b]], lex)
        if part is not None:
            name = (view.tokens[a + part[0]].start, view.tokens[a + part[1] - 1].end)
    return Claim(
        start=start,
        end=end,
        surface=text[start:end],
        kind=attr.kind,
        claimant_start=span[0] if span else None,
        claimant_end=span[1] if span else None,
        claimant_text=text[span[0] : span[1]] if span else None,
        antecedent_start=ante[0] if ante else None,
        antecedent_end=ante[1] if ante else None,
        antecedent_text=text[ante[0] : ante[1]] if ante else None,
        claimant_kind=speaker.kind,
        cue_start=attr.cue[0] if attr.cue else None,
        cue_end=attr.cue[1] if attr.cue else None,
        cue_text=cue_text,
        modality=modality,
        modality_cues=cues,
        confidence=_confidence(attr, lex),
        reading=attr.pattern,
        cue_class=attr.cue_class,
        ambiguous_cue=attr.ambiguous_cue,
        claimant_name_start=name[0] if name else None,
        claimant_name_end=name[1] if name else None,
    )


def _assertion(view: TextView, start: int, end: int, lex: Lexicon) -> Claim:
    text = view.text
    tokens = view.tokens[view.token_at(start) : view.token_at(end)]
    modality, cues = classify_modality(tokens, text, end, None, lex)
    return Claim(
        start=start,
        end=end,
        surface=text[start:end],
        kind="assertion",
        claimant_start=None,
        claimant_end=None,
        claimant_text=None,
        antecedent_start=None,
        antecedent_end=None,
        antecedent_text=None,
        claimant_kind="author",
        cue_start=None,
        cue_end=None,
        cue_text=None,
        modality=modality,
        modality_cues=cues,
        confidence=lex.confidence["assertion"],
    )
