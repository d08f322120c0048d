"""The claims lexicon (``cues.yaml``) loaded into lookup tables: cue verb forms, phrases, word classes.

Only the data file says which words are cues; this module expands verb lemmas into their forms and
freezes everything into sets and dicts that the extractor consults per token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from broadsheet import calendar, yamlfile

LEXICON_PATH = Path(__file__).with_name("cues.yaml")
SHARED_ABBREVIATIONS_PATH = Path(__file__).parents[2] / "abbreviations.yaml"

# The calendar words a marker in a word list of cues.yaml stands for: the calendar is the one
# list of month and weekday spellings, so a spelling added there reaches the claims lists too.
_CALENDAR_WORDS = {
    "months": tuple(names[0] for names in calendar.MONTHS.values()),
    "month abbreviations": tuple(name for names in calendar.MONTHS.values() for name in names[1:]),
    "weekdays": tuple(names[0] for names in calendar.WEEKDAYS.values()),
    "weekday abbreviations": tuple(name for names in calendar.WEEKDAYS.values() for name in names[1:]),
}
_MARKER = re.compile(r"<(?P<words>[a-z ]+?)(?: except (?P<but>[a-z ]+))?>")

_VOWELS = set("aeiou")


def inflect(lemma: str) -> list[str]:
    """Regular forms of an English verb: lemma, 3rd person singular, past, present participle.

    Doubling of a final consonant ("admitted") is not guessed; such verbs list their forms.
    """
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


@dataclass(frozen=True)
class Grammar:
    """The closed word classes of the attribution grammar (``cues.yaml``, ``grammar``); what each
    is for is said next to it there. A list missing from the file, or one no field reads, is an
    error, so that the file holds no list the code does not use."""

    non_cue_words: frozenset[str]
    passive_cue_lemmas: frozenset[str]
    irregular_participles: frozenset[str]
    not_participles: frozenset[str]
    passive_openers: frozenset[str]
    between_be_and_participle: frozenset[str]
    be_forms: frozenset[str]
    adverbs_before_verb: frozenset[str]
    noun_context: frozenset[str]
    contracted_subjects: frozenset[str]
    verb_context: frozenset[str]
    plural_lookalikes: frozenset[str]
    adjunct_prepositions: frozenset[str]
    time_words: frozenset[str]
    time_adjunct_heads: frozenset[str]
    non_speaker_pronouns: frozenset[str]
    name_joiners: frozenset[str]
    leading_conjunctions: frozenset[str]
    clause_conjunctions: frozenset[str]
    appositive_head_openers: frozenset[str]
    name_function_words: frozenset[str]
    relative_pronouns: frozenset[str]
    finite_be_have: frozenset[str]
    clause_words: frozenset[str]
    intro_participles: frozenset[str]
    introductory_adverbs: frozenset[str]
    clause_introducers: frozenset[str]
    np_enders: frozenset[str]
    relative_subjects: frozenset[str]
    verb_governors: frozenset[str]
    relative_after_speaker: frozenset[str]
    place_prepositions: frozenset[str]
    appositive_modals: frozenset[str]
    subordinators: frozenset[str]
    not_subject_openers: frozenset[str]
    personal_subjects: frozenset[str]
    object_markers: frozenset[str]
    verb_joiners: frozenset[str]
    relative_speakers: frozenset[str]
    temporal_conjunctions: frozenset[str]
    coordinators: frozenset[str]
    complementizers: frozenset[str]
    content_markers: frozenset[str]
    coordination_clippers: frozenset[str]
    time_modifiers: frozenset[str]
    contrast_conjunctions: frozenset[str]
    dash_conjunctions: frozenset[str]
    addressee_verbs: frozenset[str]
    content_openers: frozenset[str]
    addressee_enders: frozenset[str]
    speaker_pronouns: frozenset[str]
    verb_chain_words: frozenset[str]
    relative_openers: frozenset[str]
    inversion_conjunctions: frozenset[str]
    relative_clause_verbs: frozenset[str]
    possessives: frozenset[str]
    colon_labels: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    verb_forms: dict[str, tuple[str, str]]  # form -> (lemma, class)
    noun_verb_ambiguous: frozenset[str]
    needs_complement: dict[str, frozenset[str]]  # lemma -> words that must follow
    particle_cues: dict[str, tuple[str, frozenset[str]]]  # form -> (lemma, particles)
    object_first: frozenset[str]
    sourceless_adverbs: frozenset[str]
    impersonal_passive: frozenset[str]
    content_nouns: frozenset[str]
    adverbs_between: frozenset[str]
    determiners: frozenset[str]
    subject_pronouns: frozenset[str]
    object_pronouns: frozenset[str]
    subject_boundaries: frozenset[str]
    np_prepositions: frozenset[str]
    trailing_adjunct_openers: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    quantifier_pronouns: frozenset[str]
    person_titles: frozenset[str]
    person_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    organization_words: frozenset[str]
    document_nouns: frozenset[str]
    countries: frozenset[str]
    modality: dict[str, tuple[tuple[str, ...], ...]]  # modality -> cue phrases as token tuples
    modality_by_first: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]  # first word -> (modality, phrase)
    cue_modality: dict[str, str]  # cue form -> modality
    assertion_causal: tuple[tuple[str, ...], ...]
    assertion_prediction: tuple[tuple[str, ...], ...]
    assertion_units: frozenset[str]
    assertion_excluded: tuple[tuple[str, ...], ...]
    confidence: dict[str, float]
    grammar: Grammar
    abbreviations: frozenset[str]
    name_particles: frozenset[str]
    never_names: frozenset[str]
    head_modifiers: frozenset[str]
    document_determiners: frozenset[str]
    description_determiners: frozenset[str]
    feature_auxiliaries: frozenset[str]
    feature_prepositions: frozenset[str]
    modal_noun_blockers: frozenset[str]
    question_words: frozenset[str]
    assertion_number_words: frozenset[str]
    assertion_date_prepositions: frozenset[str]
    assertion_months: frozenset[str]
    # Closed-class words that never are, open or close a speaker by themselves (derived from the
    # grammar's lists, not listed in the file).
    function_words: frozenset[str] = frozenset()


def _phrases(items: list[Any]) -> tuple[tuple[str, ...], ...]:
    out = []
    for item in items:
        words = str(item).lower().replace("’", "'").split()
        if words:
            out.append(tuple(words))
    return tuple(out)


def with_calendar_words(items: Iterable[Any]) -> list[Any]:
    """A word list of cues.yaml with its calendar markers ("<weekdays>", "<months except may>")
    replaced by the calendar's words; a marker naming no calendar list is an error."""
    out: list[Any] = []
    for item in items:
        marker = _MARKER.fullmatch(item) if isinstance(item, str) else None
        if marker is None:
            out.append(item)
            continue
        if marker["words"] not in _CALENDAR_WORDS:
            raise ValueError(f"unknown calendar words {item!r} in the claims lexicon")
        left_out = set((marker["but"] or "").split())
        unknown = left_out - set(_CALENDAR_WORDS[marker["words"]])
        if unknown:
            raise ValueError(f"{item!r} in the claims lexicon leaves out words it does not hold: {sorted(unknown)}")
        out.extend(word for word in _CALENDAR_WORDS[marker["words"]] if word not in left_out)
    return out


def _words(items: list[Any]) -> frozenset[str]:
    return frozenset(str(x).lower() for x in with_calendar_words(items))


def build_lexicon(data: dict[str, Any]) -> Lexicon:
    """Turn the parsed YAML document into lookup tables; an unknown cue class is an error."""
    verb_forms: dict[str, tuple[str, str]] = {}
    for cls, lemmas in data["cue_verbs"].items():
        if cls not in {"speech", "belief", "evidence", "stance"}:
            raise ValueError(f"unknown cue verb class {cls!r} in the claims lexicon")
        for lemma, forms in lemmas.items():
            lemma = str(lemma)
            for form in [lemma, *(forms or inflect(lemma))]:
                # The first class listed wins: "suggest" is speech before evidence.
                verb_forms.setdefault(str(form).lower(), (lemma, cls))
    particle_cues: dict[str, tuple[str, frozenset[str]]] = {}
    for lemma, particles in data["particle_cues"].items():
        for form in data["particle_verb_forms"][lemma]:
            particle_cues[str(form)] = (str(lemma), _words(particles))
    cue_modality: dict[str, str] = {}
    for modality, forms in data["cue_modality"].items():
        for form in forms:
            cue_modality.setdefault(str(form).lower(), modality)
    modality = {str(m): _phrases(v) for m, v in data["modality"].items()}
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for m, phrases in modality.items():
        for phrase in phrases:
            by_first.setdefault(phrase[0], []).append((m, phrase))
    kinds = data["claimant_kinds"]
    signals = data["assertion_signals"]
    filters = data["modality_filters"]
    grammar = _grammar(data["grammar"])
    determiners, subject_pronouns = _words(data["determiners"]), _words(data["subject_pronouns"])
    function_words = (
        (determiners - subject_pronouns)
        | _words(data["subject_boundaries"])
        | ((_words(data["adverbs_between"]) | grammar.leading_conjunctions | grammar.introductory_adverbs) - subject_pronouns)
        | grammar.subordinators
        | grammar.not_subject_openers
    )
    return Lexicon(
        verb_forms=verb_forms,
        noun_verb_ambiguous=_words(data["noun_verb_ambiguous"]),
        needs_complement={str(k): _words(v) for k, v in data["needs_complement"].items()},
        particle_cues=particle_cues,
        object_first=_words(data["object_first_cues"]),
        sourceless_adverbs=_words(data["sourceless_adverbs"]),
        impersonal_passive=_words(data["impersonal_passive_verbs"]),
        content_nouns=_words(data["content_nouns"]),
        adverbs_between=_words(data["adverbs_between"]),
        determiners=_words(data["determiners"]),
        subject_pronouns=_words(data["subject_pronouns"]),
        object_pronouns=_words(data["object_pronouns"]),
        subject_boundaries=_words(data["subject_boundaries"]),
        np_prepositions=_words(data["np_prepositions"]),
        trailing_adjunct_openers=_words(data["trailing_adjunct_openers"]),
        person_pronouns=_words(kinds["person_pronouns"]),
        group_pronouns=_words(kinds["group_pronouns"]),
        thing_pronouns=_words(kinds["thing_pronouns"]),
        quantifier_pronouns=_words(kinds["quantifier_pronouns"]),
        person_titles=_words(kinds["person_titles"]),
        person_nouns=_words(kinds["person_nouns"]),
        anonymous_nouns=_words(kinds["anonymous_nouns"]),
        organization_words=_words(kinds["organization_words"]),
        document_nouns=_words(kinds["document_nouns"]),
        countries=frozenset(str(c) for c in data["countries"]),
        modality=modality,
        modality_by_first={w: tuple(v) for w, v in by_first.items()},
        cue_modality=cue_modality,
        assertion_causal=_phrases(signals["causal"]),
        assertion_prediction=_phrases(signals["prediction"]),
        assertion_units=_words(signals["quantity_units"]),
        assertion_excluded=_phrases(signals["excluded"]),
        confidence={str(k): float(v) for k, v in data["confidence"].items()},
        grammar=grammar,
        abbreviations=_words(data["abbreviations"]) | shared_abbreviations(),
        name_particles=_words(kinds["name_particles"]),
        never_names=_words(kinds["never_names"]),
        head_modifiers=_words(kinds["head_modifiers"]),
        document_determiners=_words(kinds["document_determiners"]),
        description_determiners=_words(kinds["description_determiners"]),
        feature_auxiliaries=_words(data["cue_features"]["auxiliaries"]),
        feature_prepositions=_words(data["cue_features"]["prepositions"]),
        modal_noun_blockers=_words(filters["modal_noun_blockers"]),
        question_words=_words(filters["question_words"]),
        assertion_number_words=_words(signals["number_words"]),
        assertion_date_prepositions=_words(signals["date_prepositions"]),
        assertion_months=_words(signals["months"]),
        function_words=function_words,
    )


def _grammar(data: dict[str, Any]) -> Grammar:
    try:
        return Grammar(**{str(k): _words(v) for k, v in data.items()})
    except TypeError as exc:
        raise ValueError(f"the claims lexicon's grammar lists do not match the code: {exc}") from None


def shared_abbreviations() -> frozenset[str]:
    """The titles and companies' legal forms of ``broadsheet/abbreviations.yaml``."""
    with SHARED_ABBREVIATIONS_PATH.open(encoding="utf-8") as fh:
        data = yamlfile.load(fh)
    return _words([*data["titles"], *data["companies"]])


@lru_cache(maxsize=1)
def lexicon_data() -> dict[str, Any]:
    """The parsed ``cues.yaml`` shipped next to this module, read once per process."""
    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return yamlfile.load(fh)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped next to this module, built once per process."""
    return build_lexicon(lexicon_data())
