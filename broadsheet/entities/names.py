"""Names as the canonicalizer compares them (:mod:`broadsheet.entities.canonical`, rules 1-3).

Word-level questions about names, with no knowledge of articles or entities: which words of a
mention are its name, whether two spellings are one name, whether a short word can be a
person's surname, which initials an organization's name has. :func:`compared` turns a mention
into the name it is compared by.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from broadsheet import yamlfile
from broadsheet.entities.gazetteer import country_code, usual_city_name

_NAMES_FILE = Path(__file__).with_name("names.yaml")
_TOKEN = re.compile(r"[^\s]+")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>,;:!?"
_VOWELS = set("aeiouy")
# Short words inside organization names that initials skip ("Bank of England" → BoE/BE).
_ACRONYM_SKIP = {"of", "the", "and", "for", "&", "in", "on", "de", "du", "des", "la", "le", "al"}
_MAX_VARIANT_EDITS = 2
_NO = 99
# Types whose names are never a country, even where the gazetteer knows the word as one: the
# person "Jordan" is not the kingdom.
_NEVER_A_COUNTRY = {"PERSON", "NORP", "EVENT", "MISC"}


class MentionLike(Protocol):
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class ComparedMention:
    """A mention with the name it is compared by."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    tokens: tuple[str, ...]  # the name as compared: titles, "the", possessive removed
    key: str  # folded tokens joined by spaces
    country: str | None
    # an organization named without the place in front of its full name in the same article
    # ("Senate" for "U.S. Senate"): like a surname, which one it is depends on the article
    placeless: bool = False


@functools.cache
def _names_file() -> dict:
    with _NAMES_FILE.open(encoding="utf-8") as fh:
        return yamlfile.load(fh)


@functools.cache
def _titles() -> frozenset[str]:
    return frozenset(str(t).casefold().rstrip(".") for t in _names_file()["titles"])


@functools.cache
def _surname_article() -> re.Pattern[str]:
    """The Arabic articles of ``names.yaml`` joined to a surname ("al-" in "al-Assad")."""
    articles = sorted((re.escape(str(a).casefold()) for a in _names_file()["surname_articles"]), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(articles)})[-‐](?=\w{{3}})")


# A corpus's names repeat their words: about 400,000 folds of a few tens of thousands of words for
# the 56,000 mentions of 2,452 articles, and 95,000 readings of far fewer distinct names.
@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """A word as compared: no accents, no full stops or apostrophes, case-folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[.'’`]", "", plain).casefold()


@functools.lru_cache(maxsize=1 << 16)
def name_tokens(surface: str, label: str) -> tuple[str, ...]:
    """The words of a name as compared (see rule 1), keeping their written form."""
    words = [w.strip(_EDGE_PUNCT) for w in _TOKEN.findall(surface)]
    words = [part for w in words if w for part in _split_joined_title(w)]
    if words and re.fullmatch(r"(?i)['’]s", words[-1]):
        words.pop()
    if words:
        words[-1] = re.sub(r"(?i)['’]s$", "", words[-1]) or words[-1]
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    if label == "PERSON":
        titles = _titles()
        i = 0
        while i < len(words) - 1 and (fold(words[i]).rstrip(".") in titles or not words[i][:1].isupper()):
            i += 1
        words = words[i:]
    return tuple(words)


_JOINED_TITLE = re.compile(r"^((?:[A-Za-z]+\.)+)(?=[A-Z][a-z])")


def _split_joined_title(word: str) -> list[str]:
    """A title written onto the name without a space ("Gen.Soleimani", "Maj.Gen.Soleimani")
    as its own words; other dotted words ("U.S.", "St.Louis" when "St" is no title) stay whole."""
    m = _JOINED_TITLE.match(word)
    if not m:
        return [word]
    titles = [t + "." for t in m.group(1).split(".") if t]
    if not all(is_title(t) for t in titles):
        return [word]
    return [*titles, word[m.end() :]]


def is_title(word: str) -> bool:
    """Whether a word is a title, rank or office that comes before a name ("Gen.", "Mr")."""
    return fold(word).rstrip(".") in _titles()


def fold_key(tokens: Sequence[str]) -> str:
    """A name's words, folded and joined: the key names are grouped by."""
    return " ".join(f for f in (fold(t) for t in tokens) if f)


def _hyphen_split(tokens: Sequence[str]) -> list[str]:
    return [p for t in tokens for p in re.split(r"[-‐]", t) if p]


def spelling_variant(a: str, b: str) -> bool:
    """Whether two (folded) words are spellings of one name (rule 3).

    They must share first and last letters and be at most two edits apart, where the only edits
    allowed are a vowel (a, e, i, o, u, y) swapped for another, a vowel added or dropped inside
    the word, and a letter doubled or undoubled (one edit only in words under six letters):
    "Qasem"/"Qassem", "Soleimani"/"Soleymani", "Teheran"/"Tehran", "Barrack"/"Barack",
    "Mohammed"/"Muhammad"; not "Putin"/"Patton", not "Conn"/"Coon".
    """
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    # two edits in a short word make another word ("Conn" ~ "Coon"): one below six letters
    allowed = _MAX_VARIANT_EDITS if min(len(a), len(b)) >= 6 else 1
    return _variant_cost(a, b) <= allowed


def _variant_cost(a: str, b: str) -> int:
    def dropable(w: str, i: int) -> bool:
        inner_vowel = 0 < i < len(w) - 1 and w[i] in _VOWELS
        doubled = (i > 0 and w[i - 1] == w[i]) or (i + 1 < len(w) and w[i + 1] == w[i])
        return inner_vowel or doubled

    n, k = len(a), len(b)
    cost = [[_NO] * (k + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(k + 1):
            here = cost[i][j]
            if here >= _NO:
                continue
            if i < n and j < k:
                step = 0 if a[i] == b[j] else (1 if a[i] in _VOWELS and b[j] in _VOWELS else _NO)
                cost[i + 1][j + 1] = min(cost[i + 1][j + 1], here + step)
            if i < n and dropable(a, i):
                cost[i + 1][j] = min(cost[i + 1][j], here + 1)
            if j < k and dropable(b, j):
                cost[i][j + 1] = min(cost[i][j + 1], here + 1)
    return cost[n][k]


def surname_fits(last: str, short: str) -> bool:
    """Whether ``short`` (folded) can stand for a person whose full name ends in ``last``
    (folded): the same word, a spelling of it, or either without a joined Arabic article."""
    if spelling_variant(last, short):
        return True
    article = _surname_article()
    a, b = article.sub("", last), article.sub("", short)
    return (a, b) != (last, short) and spelling_variant(a, b)


def surname_forms(word: str) -> tuple[str, ...]:
    """A (folded) surname as :func:`surname_fits` compares it: itself, and without a joined
    Arabic article when it has one."""
    return tuple(dict.fromkeys((word, _surname_article().sub("", word))))


def same_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two folded names are one name: as many words, each a spelling of the other."""
    return len(a) == len(b) and all(spelling_variant(x, y) for x, y in zip(a, b, strict=True))


def ends_with(tokens: Sequence[str], tail: Sequence[str]) -> bool:
    """Whether a name's last words are ``tail`` (folded), each the same or a spelling of it."""
    return all(spelling_variant(fold(a), b) for a, b in zip(tokens[-len(tail) :], tail, strict=True))


def acronym_of(tokens: Sequence[str]) -> str:
    """Initials of a multi-word name, skipping short function words ("Bank of England" → "BE")."""
    words = [w for w in _hyphen_split(tokens) if fold(w) not in _ACRONYM_SKIP]
    return "".join(fold(w)[:1] for w in words if fold(w)).upper()


def is_acronym(surface_tokens: Sequence[str]) -> bool:
    """Whether a name is one all-capitals word that could be initials ("IRGC", "U.N.")."""
    if len(surface_tokens) != 1:
        return False
    plain = re.sub(r"[.&]", "", surface_tokens[0])
    return 2 <= len(plain) <= 8 and plain.isalpha() and plain.isupper()


def initials(word: str) -> str:
    """An acronym's letters as :func:`acronym_of` spells them ("U.N." → "UN", "AT&T" → "ATT")."""
    return re.sub(r"[.&]", "", word).upper()


def compared(doc_id: str, m: MentionLike) -> ComparedMention:
    """The mention with its name as compared (rule 1) and the country it names, if any (rule 2)."""
    tokens = name_tokens(m.text, m.label) or (m.text.strip(),)
    code = None if m.label in _NEVER_A_COUNTRY else country_code(tokens)
    key = fold_key(tokens)
    if m.label in {"GPE", "LOC"} and code is None:
        # one city under its several names ("Kiev", "Kyiv"): one name to compare
        usual = usual_city_name(tokens)
        key = fold_key(usual.split()) if usual else key
    return ComparedMention(doc_id, m.start, m.end, m.text, m.label, tokens, key, code)


def name_key(m: ComparedMention) -> str:
    """``"TYPE|name key"``: the name without where it stands (what an id registry remembers)."""
    return f"GPE|country:{m.country}" if m.country else f"{m.label}|{m.key}"
