"""How a claim is worded, as the clusterer compares it (`broadsheet.extract.claims.clusters`).

The word lists are those of ``cues.yaml`` (``clustering``): a word's compared form (`stem`), a
claim's content words (`signature`), the clause around a date or figure (`clause`), what a figure
counts (`quantity`), and what a claim denies: its main-clause negation (`main_negation`) and the
words in that negation's reach (`denied_words`), and whether it states a fact at all (`asserts`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from broadsheet.extract.claims.lexicon import lexicon_data, with_calendar_words

YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]")
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")


@dataclass(frozen=True)
class Vocabulary:
    stop: frozenset[str]
    same_as: Mapping[str, str]
    clause_break: re.Pattern[str]
    negation: re.Pattern[str]
    multipliers: Mapping[str, float]
    relative_pronouns: frozenset[str]
    sign_units: Mapping[str, str]
    roles: frozenset[str]
    negative_verbs: frozenset[str]
    fractions: re.Pattern[str]
    fraction_values: Mapping[str, float]
    questions: frozenset[str]
    finite: frozenset[str]


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    data = lexicon_data()["clustering"]
    return Vocabulary(
        stop=frozenset(str(w).lower() for w in with_calendar_words(data["stop_words"])),
        same_as={str(k).lower(): str(v).lower() for k, v in data["same_as"].items()},
        # A comma before a number lists figures ("100,000, 200,000 or 250,000"); it ends no clause.
        clause_break=re.compile(r",(?!\s*\d)|[;:()\u2014\u2013]|\b(?:" + _alternatives(data["clause_breaks"]) + r")\b", re.I),
        negation=re.compile(r"\b(?:" + _alternatives(data["negations"]) + r")\b|n['’]t\b", re.I),
        multipliers={str(k).lower(): float(v) for k, v in data["multipliers"].items()},
        relative_pronouns=frozenset(str(w).lower() for w in data["relative_pronouns"]),
        sign_units={str(k): str(v).lower() for k, v in data["sign_units"].items()},
        roles=frozenset(str(w).lower() for w in data["role_words"]),
        negative_verbs=frozenset(str(w).lower() for w in data["negative_verbs"]),
        fractions=re.compile(r"\b(" + _alternatives(sorted(data["fractions"], key=len, reverse=True)) + r")\b", re.I),
        fraction_values={str(k).lower(): float(v) for k, v in data["fractions"].items()},
        questions=frozenset(str(w).lower() for w in data["question_words"]),
        finite=frozenset(str(w).lower() for w in lexicon_data()["grammar"]["finite_be_have"]),
    )


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in words)


def stem(word: str, vocab: Vocabulary | None = None) -> str | None:
    """The form a word is compared in, or None for a word that says nothing about the claim."""
    if vocab is None or vocab is load_vocabulary():
        return _stem_in_default(word)
    return _stem(word, vocab)


# A corpus's claims repeat their words: 900,000 lookups of about 40,000 words in the claims of
# 2,452 articles, half of the time their clustering took before this cache.
@lru_cache(maxsize=1 << 17)
def _stem_in_default(word: str) -> str | None:
    return _stem(word, load_vocabulary())


def _stem(word: str, vocab: Vocabulary) -> str | None:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if not w or w in vocab.stop:
        return None
    form = _form(w, vocab)
    return None if form in vocab.stop else form


def _form(w: str, vocab: Vocabulary) -> str:
    """A lower-cased word without its inflection, mapped to the word it varies ("entry" -> "enter")."""
    if w in vocab.same_as:
        return vocab.same_as[w]
    for suffix, repl, min_len in (("ies", "y", 5), ("ied", "y", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5), ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len:
            if suffix == "es" and not w[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: -len(suffix)] + repl
            if suffix in {"ing", "ed"} and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]  # "planned" -> "plan", but "killed" -> "kill"
            break
    return vocab.same_as.get(w, w)


def signature(text: str, vocab: Vocabulary | None = None) -> frozenset[str]:
    vocab = vocab or load_vocabulary()
    return frozenset(s for m in WORD.finditer(text) if (s := stem(m.group(), vocab)) is not None)


def frame_words(clause: str, vocab: Vocabulary) -> tuple[frozenset[str], frozenset[str]]:
    """A clause's signature, and the stems of its capitalised words after the first (names:
    "Syrian", "Tartus"), which tie a frame to a particular subject."""
    words: set[str] = set()
    names: set[str] = set()
    for k, m in enumerate(WORD.finditer(clause)):
        s = stem(m.group(), vocab)
        if s is None:
            continue
        words.add(s)
        if k > 0 and m.group()[:1].isupper():
            names.add(s)
    return frozenset(words), frozenset(names)


def clause(text: str, pos: int, vocab: Vocabulary) -> tuple[int, int]:
    """The clause of ``text`` around character ``pos``: between the nearest clause breaks."""
    start, end = 0, len(text)
    for m in vocab.clause_break.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() > pos:
            end = m.start()
            break
    return start, end


class WordSets(NamedTuple):
    """What a claim's words give, read in one pass over them (see :func:`word_sets`)."""

    signature: frozenset[str]  # :func:`signature`
    # What happens, not to whom: the stems of its lower-case words less the words of a role.
    predicate: frozenset[str]
    names: frozenset[str]  # the stems of its capitalised words
    contrary: bool  # whether it holds a verb that denies what follows it ("ban", "refuse")


def word_sets(text: str, vocab: Vocabulary) -> WordSets:
    """:func:`signature`, the predicate, the stems of the capitalised words and whether a denying
    verb is among them, from one reading of the text's words (each was a reading of its own, and
    together a sixth of the claim clustering's time)."""
    words = WORD.findall(text)
    stems = [stem(w, vocab) for w in words]
    return WordSets(
        signature=frozenset(s for s in stems if s is not None),
        predicate=frozenset(
            s for w, s in zip(words, stems, strict=True) if s is not None and not w[:1].isupper() and s not in vocab.roles
        ),
        names=frozenset(s for w, s in zip(words, stems, strict=True) if w[:1].isupper() and s),
        contrary=any(w.lower() in vocab.negative_verbs for w in words),
    )


def quantity(text: str, m: re.Match[str], vocab: Vocabulary) -> tuple[float, str | None, int]:
    """A number's value, the form of what it counts and where its quantity ends: "$5 million"
    (dollar), "40%" (percent), "3 million people" (people), "25 people"; no unit for a bare number
    or one followed by a function word ("45 to 40")."""
    value = float(m.group().replace(",", ""))
    end = m.end()
    unit = vocab.sign_units.get(text[m.start() - 1]) if m.start() else None
    nxt = _next_word(text, end)
    if nxt and nxt[0].lower() in vocab.multipliers:
        value *= vocab.multipliers[nxt[0].lower()]
        end = nxt[1]
        nxt = _next_word(text, end)
    if unit is not None:
        return value, unit, end
    if text[end : end + 1] in vocab.sign_units:
        return value, vocab.sign_units[text[end]], end + 1
    if nxt:
        w = nxt[0].lower().replace("’", "'")
        form = _form(w, vocab)
        if w not in vocab.stop or form in vocab.sign_units.values():
            return value, form, nxt[1]
    return value, None, end


def _next_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word right after one space at ``pos``, and where it ends."""
    if text[pos : pos + 1] != " ":
        return None
    w = WORD.match(text, pos + 1)
    return (w.group(), w.end()) if w else None


def negated(text: str, vocab: Vocabulary) -> bool:
    return main_negation(text, vocab) is not None


def main_negation(text: str, vocab: Vocabulary) -> re.Match[str] | None:
    """The negation by which a claim denies what it states: one in its main clause, not in a
    relative clause about one of its nouns ("voters who are not citizens"), nor an additive "not only"."""
    for m in vocab.negation.finditer(text):
        if re.match(r"\s+(?:just|only|merely)\b", text[m.end() :], re.I):
            continue
        before = WORD.findall(text[max(0, m.start() - 30) : m.start()])[-3:]
        if not any(w.lower() in vocab.relative_pronouns for w in before):
            return m
    return None


def denied_words(text: str, negation: re.Match[str], vocab: Vocabulary) -> tuple[str, ...]:
    """The lower-case words from a negation to the end of its clause, in order: what it denies.
    Nothing for a denied gerund that is no progressive ("criticized her for not releasing the
    transcripts", "his position of not allowing Muslims"): it describes a stance or a reproach,
    which a report of the act's being asked for or planned does not contradict; nor for a
    denial of a denying verb or of a negation ("not trying to avoid", "can't not speak"), which
    asserts. The reach ends with the clause or the sentence."""
    _c0, c1 = clause(text, negation.end(), vocab)
    stop = _SENTENCE_END.search(text, negation.end(), c1)
    words = [m.group() for m in WORD.finditer(text, negation.end(), stop.start() if stop else c1)]
    before = WORD.findall(text[: negation.start()])[-1:]
    if words and words[0].lower().endswith("ing") and not (before and before[0].lower() in vocab.finite):
        return ()
    if any(w.lower() in vocab.negative_verbs for w in words) or (words and vocab.negation.fullmatch(words[0])):
        return ()
    out: list[str] = []
    for w in words:
        s = stem(w, vocab)
        if s is not None and not w[:1].isupper() and s not in out:
            out.append(s)
    return tuple(out)


def asserts(text: str, vocab: Vocabulary) -> bool:
    """Whether a claim states a fact: not an indirect question nor one that asks anything, and not
    a wish whose first verb is an infinitive ("Sanders to accept the reality"): some finite word ("is",
    "will", "had") comes before any "to"."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words or words[0] in vocab.questions or (words[0] == "that" and words[1:2] and words[1] in vocab.questions):
        return False
    if "?" in text:
        return False  # a quotation that asks ("are you going to vote for him? ...") asserts no answer
    for w in words:
        if w in vocab.finite or (w.endswith("ed") and len(w) > 4):
            return True
        if w == "to":
            return False
    return True
