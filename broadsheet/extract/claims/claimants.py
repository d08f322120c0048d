"""Who a claimant is: its kind (person, organization, country, unknown) and, for pronouns and
descriptions ("he", "the ministry", "the spokesman"), the named speaker it refers back to.

Resolution is deliberately local and simple: the nearest earlier named speaker of a compatible kind,
preferring speakers of earlier claims over other names in the text, within a few sentences. Entity
ids are assigned later, by the pipeline, from entity mentions; this module only gives spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.lexicon import Lexicon, default_lexicon

Span = tuple[int, int]

_POSSESSIVE = re.compile(r"['’]s$")
_LOOKBACK_SENTENCES = 6


def _stem(word: str) -> str:
    """Crude singular stem so that "ministry" finds "Ministries" and "official" "officials"."""
    for suffix in ("ies", "y", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Speaker:
    """A claimant as resolved: its span as written, what it refers to, and its kind."""

    span: Span | None
    antecedent: Span | None
    kind: str


def is_name_token(word: str) -> bool:
    """A capitalised word, or a name with a lower-case particle ("al-Assadi", "bin Salman")."""
    if word[:1].isupper():
        return True
    head, sep, rest = word.partition("-")
    return bool(sep) and head.lower() in default_lexicon().name_particles and rest[:1].isupper()


def claimant_kind(words: list[str], lex: Lexicon) -> str:
    """The kind of a claimant written as ``words`` (already split into tokens).

    The head is the last word before a modifier ("a spokesman for the ministry" -> spokesman).
    """
    if not words:
        return "none"
    lower = [w.lower() for w in words]
    if len(lower) == 1:
        pronoun = _pronoun_kind(lower[0], lex)
        if pronoun is not None:
            return pronoun
    joined = " ".join(_POSSESSIVE.sub("", w) for w in words)
    bare = re.sub(r"^(?:the|The)\s+", "", joined)
    if bare in lex.countries:
        return "country"
    head_end = next((i for i, w in enumerate(lower) if i > 0 and w in lex.head_modifiers), len(words))
    head_words = lower[:head_end]
    head = _POSSESSIVE.sub("", head_words[-1])
    described = _described_kind(words, head_words, head, lex)
    if described is not None:
        return described
    names = [w for w in words[:head_end] if is_name_token(w)]
    if names and len(names) == len(words[:head_end]):
        return _name_kind(names, lex)
    if names and _POSSESSIVE.sub("", names[-1]) in lex.countries and len(names) == 1 and head in lex.countries:
        return "country"
    return "unknown"


def _pronoun_kind(word: str, lex: Lexicon) -> str | None:
    if word in lex.person_pronouns:
        return "person"
    if word in lex.group_pronouns or word in lex.thing_pronouns:
        return "unknown"
    return None


def _described_kind(words: list[str], head_words: list[str], head: str, lex: Lexicon) -> str | None:
    """The kind a claimant's title or head noun gives it ("Sen. Roe", "the ministry", "an analyst")."""
    if head_words[0] in lex.person_titles and len(words) > 1 and is_name_token(words[1]):
        return "person"
    if head in lex.anonymous_nouns:
        return "unknown"
    if head in lex.organization_words or head in lex.document_nouns and head_words[0] in lex.document_determiners:
        if head in lex.document_nouns and head not in lex.organization_words:
            return "unknown"
        return "organization"
    if any(_POSSESSIVE.sub("", w) in lex.organization_words for w in head_words[1:]) and words[-1][:1].isupper():
        return "organization"
    if head in lex.person_nouns or head in lex.person_titles:
        return "person"
    return None


def _name_kind(names: list[str], lex: Lexicon) -> str:
    """The kind of a claimant that is all names ("Moscow", "Pew Research", "NATO", "Jane Roe")."""
    if len(names) == 1 and _POSSESSIVE.sub("", names[0]) in lex.countries:
        return "country"
    if any(_POSSESSIVE.sub("", n).lower() in lex.organization_words for n in names):
        return "organization"
    # Acronyms ("NATO", "FBI") name organisations far more often than people.
    if len(names) == 1 and names[0].isupper() and len(names[0]) > 1:
        return "organization"
    return "person" if len(names) <= 4 else "organization"


class SpeakerResolver:
    """Resolves claimants in reading order, remembering the named speakers seen so far."""

    def __init__(self, view: TextView, lex: Lexicon) -> None:
        self.v = view
        self.lex = lex
        self.named: list[tuple[Span, str, int]] = []  # (span, kind, sentence) of named speakers so far
        self._names: list[tuple[Span, str, int]] | None = None

    def resolve(self, span: Span | None) -> Speaker:
        if span is None:
            return Speaker(None, None, "none")
        v, lex = self.v, self.lex
        a, b = v.token_at(span[0]), v.token_at(span[1])
        words = [t.text for t in v.tokens[a:b]]
        kind = claimant_kind(words, lex)
        sentence = v.sentence_of(min(a, len(v.tokens) - 1))
        lower = [w.lower() for w in words]
        needs_antecedent = (
            len(words) == 1
            and (lower[0] in lex.person_pronouns or lower[0] in lex.group_pronouns or lower[0] in lex.thing_pronouns)
        ) or (len(words) <= 3 and lower[0] in lex.description_determiners and not any(is_name_token(w) for w in words[1:]))
        if not needs_antecedent:
            if any(is_name_token(w) for w in words) and kind != "unknown":
                self.named.append((span, kind, sentence))
            return Speaker(span, None, kind)
        antecedent = self._antecedent(a, lower, kind, sentence)
        if antecedent is None:
            return Speaker(span, None, kind)
        ante_span, ante_kind = antecedent
        return Speaker(span, ante_span, ante_kind if kind == "unknown" or ante_kind != "unknown" else kind)

    def _antecedent(self, first_token: int, lower: list[str], kind: str, sentence: int) -> tuple[Span, str] | None:
        lex = self.lex
        if lower == ["who"] or lower == ["which"]:
            relative = self._relative_antecedent(first_token)
            if relative is None and lower == ["who"]:
                # "according to X, a columnist read by many, who argues ...": the speaker
                # named earlier in the same sentence, past the appositive.
                limit = self.v.tokens[first_token].start
                for span, k, s in reversed(self.named):
                    if s == sentence and span[1] <= limit and k == "person":
                        return span, k
            return relative
        head = lower[-1]
        if head in lex.person_pronouns or head in lex.person_nouns or head in lex.person_titles:
            wanted = {"person"}
        elif head in lex.group_pronouns:
            wanted = {"organization", "country", "person"}
        else:
            wanted = {"organization", "country"}
        limit = self.v.tokens[first_token].start
        for span, k, s in reversed(self.named):
            if sentence - s > _LOOKBACK_SENTENCES:
                break
            if k not in wanted:
                continue
            if not self._compatible(head, span, limit):
                continue
            return span, k
        for span, k, s in reversed(self._name_mentions()):
            if span[0] >= self.v.tokens[first_token].start:
                continue
            if sentence - s > 2:
                break
            if k in wanted and self._compatible(head, span, limit):
                return span, k
        return None

    def _compatible(self, head: str, span: Span, limit: int) -> bool:
        """Whether a named mention can be what a description refers to. Pronouns take any name of
        the right kind; "the ministry" needs a name containing "Ministry"; "the analyst" needs a
        name described as an analyst right before or after it ("analyst Jane Doe", "Jane Doe, a
        former analyst")."""
        lex = self.lex
        if head in lex.person_pronouns or head in lex.group_pronouns or head in lex.thing_pronouns:
            return True
        stem = _stem(head)
        text = self.v.text
        if head in lex.organization_words:
            return stem in text[span[0] : span[1]].lower()
        window = text[max(0, span[0] - 40) : min(span[1] + 80, limit)].lower()
        return re.search(rf"\b{re.escape(stem)}", window) is not None

    def _relative_antecedent(self, who: int) -> tuple[Span, str] | None:
        toks = self.v.tokens
        k = who - 1
        if k >= 0 and toks[k].text == ",":
            k -= 1
        end = k + 1
        while k >= 0 and (is_name_token(toks[k].text) or toks[k].text in {"-", "."}) and end - k <= 5:
            k -= 1
        if end - (k + 1) >= 1 and is_name_token(toks[k + 1].text):
            words = [t.text for t in toks[k + 1 : end]]
            return (toks[k + 1].start, toks[end - 1].end), claimant_kind(words, self.lex)
        return None

    def _name_mentions(self) -> list[tuple[Span, str, int]]:
        """Runs of capitalised words in the text (not sentence-initial function words), with kinds."""
        if self._names is not None:
            return self._names
        v, lex = self.v, self.lex
        toks = v.tokens
        names: list[tuple[Span, str, int]] = []
        sentence_starts = {a for a, _ in v.sentences}
        i = 0
        while i < len(toks):
            if (
                not is_name_token(toks[i].text)
                or toks[i].lower in lex.never_names
                or (
                    i in sentence_starts
                    and toks[i].lower in lex.subject_boundaries | lex.determiners | lex.subject_pronouns | lex.adverbs_between
                )
            ):
                i += 1
                continue
            j = i + 1
            while (
                j < len(toks)
                and (is_name_token(toks[j].text) or toks[j].text == "-")
                and toks[j].lower not in lex.never_names
                and j - i < 6
            ):
                j += 1
            words = [t.text for t in toks[i:j]]
            kind = claimant_kind(words, lex)
            if len(words) >= 2 or kind in {"organization", "country"}:
                names.append(((toks[i].start, toks[j - 1].end), kind, v.sentence_of(i)))
            i = j
        self._names = names
        return names
