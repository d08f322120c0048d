"""Our entity label set and the mapping from each annotated corpus' labels onto it.

The mapping itself is data (``labels.yaml`` beside this module); this module applies it. A
corpus label the mapping does not know raises: a silently dropped label would quietly change the
training data.

CoNLL-2003 and wikigold only say LOC and MISC. A LOC name becomes GPE unless the place word lists
say LOC (seas, rivers, continents, streets, ...); a MISC name becomes NORP when every word is a
nationality, religious or political group word, EVENT when it carries an event word, MISC
otherwise. Scoring against a corpus goes the other way with :func:`to_conll` (GPE and LOC are
CoNLL's LOC; NORP, EVENT and MISC its MISC), which loses nothing, so the split cannot cost CoNLL
points.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet import yamlfile
from broadsheet.entities.gazetteer import is_country
from broadsheet.schema import vocabulary

# What the recognizer labels a span as: the entity types of schemas/entities.yaml.
LABELS: tuple[str, ...] = vocabulary("entities", "entity_type")

#: Our label → CoNLL-2003's four types.
CONLL_OF: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "MISC": "MISC",
}

#: Returned by :func:`map_label` for spans the corpus leaves unspecified.
MISSING = "<missing>"

_LABELS_FILE = Path(__file__).with_name("labels.yaml")
_TARGETS = set(LABELS) | {"place", "misc", "person", "organization", "missing", "none"}
_WORD_SPLIT = re.compile(r"[-\s]+")


@dataclass(frozen=True)
class LabelRules:
    corpora: dict[str, dict[str, str]]
    place_last: frozenset[str]
    place_first: frozenset[str]
    place_names: frozenset[str]
    gpe_exceptions: frozenset[str]
    norp_words: frozenset[str]
    norp_not_alone: frozenset[str]
    event_words: frozenset[str]
    event_phrases: tuple[tuple[str, ...], ...]
    event_not_alone: frozenset[str]


def _fold(word: str) -> str:
    # Typographic apostrophes occur in news text ("Shi’ite"); the lists use the ASCII one.
    return word.casefold().replace("\u2019", "'")


def _plurals(word: str) -> set[str]:
    forms = {word, word + "s", word + "es"}
    if word.endswith("man"):
        forms.add(word[:-3] + "men")
    return forms


def parse_rules(data: dict[str, Any]) -> LabelRules:
    """Build the rules from the parsed YAML; unknown targets are an error, not a default."""
    corpora = {name: {str(k): str(v) for k, v in mapping.items()} for name, mapping in data["corpora"].items()}
    for name, mapping in corpora.items():
        bad = {v for v in mapping.values() if v not in _TARGETS}
        if bad:
            raise ValueError(f"labels.yaml: corpus {name!r} maps to unknown targets {sorted(bad)}")
    places, norp, events = data["places"], data["norp"], data["events"]
    norp_words: set[str] = set()
    for word in norp["words"]:
        norp_words |= _plurals(_fold(str(word)))
    event_single = {_fold(str(w)) for w in events["words"] if " " not in str(w)}
    event_phrases = tuple(tuple(_fold(str(w)).split()) for w in events["words"] if " " in str(w))
    return LabelRules(
        corpora=corpora,
        place_last=frozenset(_fold(str(w)) for w in places["last_words"]),
        place_first=frozenset(_fold(str(w)) for w in places["first_words"]),
        place_names=frozenset(_fold(str(w)) for w in places["names"]),
        gpe_exceptions=frozenset(_fold(str(w)) for w in places["gpe_exceptions"]),
        norp_words=frozenset(norp_words),
        norp_not_alone=frozenset(_fold(str(w)) for w in norp["only_with_others"]),
        event_words=frozenset(event_single),
        event_phrases=event_phrases,
        event_not_alone=frozenset(_fold(str(w)) for w in events["only_with_others"]),
    )


@functools.cache
def rules() -> LabelRules:
    """The rules shipped in ``labels.yaml``."""
    with _LABELS_FILE.open(encoding="utf-8") as fh:
        return parse_rules(yamlfile.load(fh))


def _words(name: str | Sequence[str]) -> list[str]:
    text = name if isinstance(name, str) else " ".join(name)
    return [_fold(w) for w in _WORD_SPLIT.split(text.strip()) if w]


def _joined(name: str | Sequence[str]) -> str:
    return " ".join(_words(name))


def place_kind(name: str | Sequence[str], r: LabelRules | None = None) -> str:
    """``"LOC"`` for natural features, regions, streets and buildings, ``"GPE"`` otherwise."""
    r = r or rules()
    words = _words(name)
    if not words:
        return "GPE"
    joined = " ".join(words)
    if joined in r.gpe_exceptions:
        return "GPE"
    if joined in r.place_names:
        return "LOC"
    if len(words) > 1 and (words[-1] in r.place_last or words[0] in r.place_first):
        return "LOC"
    return "GPE"


def is_norp(name: str | Sequence[str], r: LabelRules | None = None) -> bool:
    """Whether every word of the name is a nationality, religious or political group word."""
    r = r or rules()
    words = [w for w in _words(name) if w not in {"'s", "the"}]
    if not words or not all(w in r.norp_words for w in words):
        return False
    return any(w not in r.norp_not_alone for w in words)


def is_event(name: str | Sequence[str], r: LabelRules | None = None) -> bool:
    """Whether the name carries an event word ("World Cup", "Gulf War", "U.S. Open")."""
    r = r or rules()
    words = _words(name)
    n = len(words)
    for phrase in r.event_phrases:
        k = len(phrase)
        if any(tuple(words[i : i + k]) == phrase for i in range(n - k + 1)):
            return True
    hits = [w for w in words if w in r.event_words]
    if not hits:
        return False
    if n == 1:
        return hits[0] not in r.event_not_alone
    return True


def misc_kind(name: str | Sequence[str], r: LabelRules | None = None) -> str:
    """NORP, EVENT or MISC for a name a corpus calls MISC."""
    r = r or rules()
    if is_norp(name, r):
        return "NORP"
    if is_event(name, r):
        return "EVENT"
    return "MISC"


def map_label(corpus: str, label: str, name: str | Sequence[str], r: LabelRules | None = None) -> str | None:
    """Our label for a span a corpus labels ``label``; ``None`` for no entity, :data:`MISSING` for unknown.

    ``name`` is the span's text (or its words); it decides the finer type where the corpus' type is
    coarse.
    """
    r = r or rules()
    try:
        mapping = r.corpora[corpus]
    except KeyError:
        raise ValueError(f"no label mapping for corpus {corpus!r}") from None
    try:
        target = mapping[label]
    except KeyError:
        raise ValueError(f"corpus {corpus!r}: label {label!r} is not in labels.yaml") from None
    if target == "none":
        return None
    if target == "missing":
        return MISSING
    if target == "place":
        return place_kind(name, r)
    if target == "misc":
        return misc_kind(name, r)
    if target == "person":
        return "NORP" if is_norp(name, r) else "PERSON"
    if target == "organization":
        return "GPE" if is_country(name) else "ORG"
    return target


def to_conll(label: str) -> str:
    """CoNLL-2003's type for one of our labels."""
    return CONLL_OF[label]
