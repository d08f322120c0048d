"""Who a claimant is: its kind (person, organization, country, unknown) and, for pronouns and
descriptions ("he", "the ministry", "the spokesman"), the named speaker it refers back to.

Resolution is deliberately local and simple: the nearest earlier named speaker of a compatible kind,
preferring speakers of earlier claims over other names in the text, within a few sentences. Entity
ids are assigned later, by the pipeline, from entity mentions; this module only gives spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.claims._text import TextView, Token
from broadsheet.extract.claims.lexicon import Lexicon, default_lexicon

Span = tuple[int, int]

_POSSESSIVE = re.compile(r"['’]s$")
# Contracted expletive subjects: "it's worth noting", "there's no doubt" say who speaks nowhere.
_EXPLETIVES = frozenset({"it's", "it’s", "there's", "there’s"})
# Numbers written out, which count a time ("One month after ...") as a determiner would.
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"})
_LOOKBACK_SENTENCES = 6
# Words that say a person's gender, so that "she" does not resolve to a man named just before.
# Possessives are left out: "her husband" is a man. A name's gender is learned only from its own
# title or description, never from a pronoun resolved to it, so that one wrong resolution does not
# make the next one wrong too.
_FEMALE = frozenset(
    {
        "she",
        "herself",
        "mrs",
        "ms",
        "miss",
        "madam",
        "woman",
        "spokeswoman",
        "congresswoman",
        "chairwoman",
        "businesswoman",
        "mother",
        "wife",
        "daughter",
        "sister",
        "grandmother",
        "queen",
        "princess",
        "lady",
        "dame",
        "actress",
        "girl",
    }
)
_MALE = frozenset(
    {
        "he",
        "him",
        "himself",
        "mr",
        "sir",
        "man",
        "spokesman",
        "congressman",
        "chairman",
        "businessman",
        "father",
        "husband",
        "son",
        "brother",
        "grandfather",
        "king",
        "prince",
        "lord",
        "actor",
        "boy",
    }
)


def gender_of(words: list[str]) -> str | None:
    """ "f" or "m" when a pronoun, title or noun of the phrase says so, else None."""
    lower = {w.lower().rstrip(".") for w in words}
    if lower & _FEMALE and not lower & _MALE:
        return "f"
    if lower & _MALE and not lower & _FEMALE:
        return "m"
    return None


def has_name(words: list[str], lex: Lexicon) -> bool:
    """Whether a phrase holds a name: a capitalised word that is not a function word, pronoun or
    possessive capitalised at the start of a sentence ("Her husband", "The ministry")."""
    return any(
        is_name_token(w)
        and w.lower() not in lex.function_words
        and w.lower() not in lex.grammar.possessives
        and w.lower() not in lex.subject_pronouns
        and w.lower() not in lex.determiners
        for w in words
    )


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
    # The full stop of an abbreviated title is its own token ("Ms", ".", "Jane", "Doe").
    words = [w for k, w in enumerate(words) if w != "." or k == 0] or words
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


def can_speak(words: list[str], lex: Lexicon) -> bool:
    """Whether a claimant written as ``words`` is a noun phrase that can speak: a pronoun, a name,
    or a description with a noun head; not a run of words the shallow grammar took for one.

    Refused: a phrase opening with a lower-case preposition, conjunction, clause word or verb
    form ("of Republican", "seizing on ...", "heard"); one ending in a function word, a
    possessive pronoun or an adverb ("the", "change my", "almost"); and a single word that is a
    function word wherever it stands ("But", "Perhaps", "An"), or a lower-case word that is no
    noun a speaker could be ("nevertheless", "get"); a time ("early Friday"); a participial clause
    ("Addressing the members"); a heading in capitals.
    """
    if not words:
        return False
    g = lex.grammar
    lower = [w.lower() for w in words]
    first, last = lower[0], _POSSESSIVE.sub("", lower[-1])
    if len(words) > 1 and first in _EXPLETIVES:
        return False  # "It's worth noting that ...": an impersonal clause, not a speaker
    if len(words) == 1:
        if first in lex.person_pronouns or first in lex.group_pronouns or first in lex.thing_pronouns:
            return True
        if first in g.relative_subjects or first in g.possessives:
            return True  # "who said", "his claim that": they stand for a speaker named elsewhere
        if first in lex.function_words or words[0].islower() and (first.endswith("ly") or _verb_form(first, lex)):
            return False
        if first in g.time_words or first in lex.never_names:
            return False  # "Sunday", "Tonight": a time standing where a subject would
        if words[0].islower() and not noun_like(first, lex) and first not in lex.subject_pronouns:
            return False  # "nevertheless", "together", "get": no noun that could speak
        return words[0][:1].isalnum()
    if words[0][:1].islower():
        if first in lex.determiners or first in lex.subject_pronouns and first not in g.relative_pronouns:
            pass
        elif first in lex.function_words or first in lex.np_prepositions or first in g.adjunct_prepositions:
            return False
        elif _verb_form(first, lex) and (not words[1][:1].islower() or _closed(lower[1], lex)):
            return False  # a verb and its object ("seizing on ...", "receive the"), not "restructuring experts"
    if _proportion(lower):
        return True  # "One in five", "two out of three": a share of a group, as polls report it
    if last in lex.function_words or last in g.possessives or last in lex.np_prepositions or last in g.adjunct_prepositions:
        return False
    if not words[0][:1].isalnum():
        return False  # ". Blige's ...", a piece of a name cut at its initial
    if (last in g.time_words or last in lex.never_names) and all(
        w.islower() or w.lower() in lex.determiners or w.lower() in _NUMBER_WORDS or w.isdigit() for w in words[:-1]
    ):
        return False  # "early Friday", "One month": a time, not "a reporter for USA Today"
    if words[0][:1].isupper() and first.endswith("ing") and len(first) > 5 and _closed(lower[1], lex):
        return False  # "Addressing about 100 members ...": a participial clause, not "Sterling Brown"
    if sum(1 for w in words if w.isalpha() and w.isupper() and len(w) >= 4) >= 2:
        return False  # "FELLOW DOCTORS", "SAVE A QUARTER": a heading in capitals
    return not (words[-1].islower() and (last.endswith("ly") or last in lex.adverbs_between))


def _numeral(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS


def _proportion(lower: list[str]) -> bool:
    """ "one in five", "two out of three", "9 of 10": a numeral, "in" or "(out) of", a numeral."""
    if len(lower) < 3 or not _numeral(lower[0]) or not _numeral(lower[-1]):
        return False
    return lower[1:-1] in (["in"], ["of"], ["out", "of"])


def name_part(words: list[str], lex: Lexicon) -> tuple[int, int] | None:
    """The words [a, b) of a claimant that name it, when its head is a name ("Sen. Jane Roe",
    "the Kremlin's spokesman Dmitry Peskov"); None for a pronoun or a role description, even one
    that mentions a name in a modifier or possessive ("a former officer for Russia", "Iran's
    foreign minister"): such a speaker is not that country, and is linked to an entity only
    through the name the text gives it (an appositive, a resolved antecedent)."""
    lower = [w.lower() for w in words]
    end = next((i for i, w in enumerate(lower) if i > 0 and w in lex.head_modifiers), len(words))
    while end > 0 and words[end - 1] in {".", "'s", "’s"}:
        end -= 1
    if end == 0 or _POSSESSIVE.search(words[end - 1]):
        return None

    def naming(w: str) -> bool:
        return has_name([w], lex) and not _POSSESSIVE.search(w)

    if not naming(words[end - 1]):
        return None
    a = end - 1
    while a > 0 and (naming(words[a - 1]) or words[a - 1] in {".", "-"} and a > 1 and naming(words[a - 2])):
        a -= 1
    return a, end


def noun_like(word: str, lex: Lexicon) -> bool:
    """A lower-case word that can be a speaker by itself: a plural ("officials", "critics") or a
    noun of the claimant lists ("police", "staff")."""
    return (
        (word.endswith("s") and not word.endswith("ss") and len(word) > 3)
        or word in lex.person_nouns
        or word in lex.organization_words
        or word in lex.anonymous_nouns
        or word in lex.document_nouns
        or word in lex.person_titles
    )


def _closed(word: str, lex: Lexicon) -> bool:
    return (
        word in lex.function_words
        or word in lex.determiners
        or word in lex.object_pronouns
        or word in lex.grammar.possessives
        or word in lex.np_prepositions
        or word in lex.grammar.adjunct_prepositions
    )


def trimmed_speaker(words: list[str], lex: Lexicon) -> int:
    """How many leading words of a claimant to cut: a conjunction or clause word before the noun
    phrase ("But the ministry", "what the senators")."""
    k = 0
    while k < len(words) - 1 and (
        words[k].lower() in lex.grammar.leading_conjunctions or words[k].lower() in lex.grammar.clause_introducers
    ):
        k += 1
    return k


def _verb_form(word: str, lex: Lexicon) -> bool:
    """A lower-case word that reads as a verb form at the start of a phrase ("seizing", "heard")."""
    if word in lex.verb_forms and word not in lex.noun_verb_ambiguous:
        return True
    if word in lex.grammar.irregular_participles or word in lex.grammar.finite_be_have:
        return True
    return len(word) > 5 and word.endswith("ing")


class SpeakerResolver:
    """Resolves claimants in reading order, remembering the named speakers seen so far."""

    def __init__(self, view: TextView, lex: Lexicon) -> None:
        self.v = view
        self.lex = lex
        self.named: list[tuple[Span, str, int]] = []  # (span, kind, sentence) of named speakers so far
        self.gender: dict[str, str] = {}  # a person's key (`_person_key`) -> "f" or "m", once the text says
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
        named = has_name(words, lex)
        needs_antecedent = (
            len(words) == 1
            and (lower[0] in lex.person_pronouns or lower[0] in lex.group_pronouns or lower[0] in lex.thing_pronouns)
        ) or (len(words) <= 3 and lower[0] in lex.description_determiners and not named)
        if not needs_antecedent:
            if named and kind != "unknown":
                self.named.append((span, kind, sentence))
                self._learn_gender(span, gender_of(words))
                return Speaker(span, None, kind)
            apposed = self._appositive_name(b)
            if apposed is not None:
                # "Her husband, John Doe, said": the text itself names the one it describes.
                ante_words = [t.text for t in v.tokens[v.token_at(apposed[0]) : v.token_at(apposed[1])]]
                ante_kind = claimant_kind(ante_words, lex)
                self.named.append((apposed, ante_kind, sentence))
                self._learn_gender(apposed, gender_of(words) or gender_of(ante_words))
                return Speaker(span, apposed, ante_kind if ante_kind != "unknown" else kind)
            return Speaker(span, None, kind)
        antecedent = self._antecedent(a, lower, kind, sentence)
        if antecedent is None:
            return Speaker(span, None, kind)
        ante_span, ante_kind = antecedent
        return Speaker(span, ante_span, ante_kind if kind == "unknown" or ante_kind != "unknown" else kind)

    def _learn_gender(self, span: Span, gender: str | None) -> None:
        if gender is not None:
            self.gender.setdefault(self._person_key(span), gender)

    def _person_key(self, span: Span) -> str:
        """One person's key across mentions: the name's words without a title ("Ms. Jane Doe" and
        "Jane Doe"); not the surname alone, which a family shares."""
        words = re.findall(r"[\w'’-]+", self.v.text[span[0] : span[1]])
        return " ".join(_POSSESSIVE.sub("", w).lower() for w in words if w.lower() not in self.lex.person_titles)

    def _appositive_name(self, end_token: int) -> Span | None:
        """The name set off by commas right after a description: ``Its chief executive, John Roe,``."""
        toks = self.v.tokens
        k = end_token
        if k >= len(toks) or toks[k].text != ",":
            return None
        a = k + 1
        m = a
        while m < len(toks) and m - a < 6 and (is_name_token(toks[m].text) or toks[m].text in {".", "-"}):
            m += 1
        if m == a or m >= len(toks) or toks[m].text != "," or not has_name([t.text for t in toks[a:m]], self.lex):
            return None
        if toks[a].lower in self.lex.never_names or claimant_kind([t.text for t in toks[a:m]], self.lex) == "country":
            return None
        return (toks[a].start, toks[m - 1].end)

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
        gender = gender_of(lower)
        for span, k, s in reversed(self.named):
            if sentence - s > _LOOKBACK_SENTENCES:
                break
            if k not in wanted or not self._same_gender(span, gender) or self._in_headline(span):
                continue
            if not self._compatible(head, span, limit):
                continue
            return span, k
        for span, k, s in reversed(self._name_mentions()):
            if span[0] >= self.v.tokens[first_token].start:
                continue
            if sentence - s > 2:
                break
            if (
                k in wanted
                and self._same_gender(span, gender)
                and not self._in_headline(span)
                and self._compatible(head, span, limit)
            ):
                return span, k
        return None

    def _in_headline(self, span: Span) -> bool:
        """Whether a speaker stands in a headline (a short line of its own without a full stop):
        the body names its speakers again, and a headline's capitalised words are no evidence of a
        name ("Budget talks stall" then "she added")."""
        text = self.v.text
        a = text.rfind("\n", 0, span[0]) + 1
        b = text.find("\n", span[1])
        line = text[a : len(text) if b < 0 else b].strip()
        return bool(line) and line[-1] not in ".!?\"”’'" and len(line.split()) <= 20

    def _same_gender(self, span: Span, gender: str | None) -> bool:
        """A "she" never resolves to a man the text called "Mr." or "he", nor "he" to a woman."""
        if gender is None:
            return True
        known = self.gender.get(self._person_key(span))
        if known is None:
            known = gender_of(re.findall(r"[\w'’-]+", self.v.text[span[0] : span[1]]))
        return known is None or known == gender

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
        return self._relative_description(who, end)

    def _relative_description(self, who: int, end: int) -> tuple[Span, str] | None:
        """ "the union leaders, who said ...", "economists who argue ...": the description before
        the relative pronoun (and its comma) when its last word is a noun that can speak, from its
        determiner or possessive, or from the verb, preposition or punctuation before it (at most
        five words)."""
        toks, lex = self.v.tokens, self.lex
        if end < 1 or end < who - 1 or not toks[end - 1].text.islower() or not noun_like(toks[end - 1].lower, lex):
            return None
        m = end - 1

        def modifier(t: Token) -> bool:
            verb = _verb_form(t.lower, lex) or t.lower.endswith("ed") and len(t.lower) > 4
            return t.text.isalnum() and not verb and not _closed(t.lower, lex)

        while m - 1 >= 0 and end - m < 5 and modifier(toks[m - 1]):
            m -= 1
        if m - 1 >= 0 and (toks[m - 1].lower in lex.determiners or _POSSESSIVE.search(toks[m - 1].lower)):
            m -= 1
        elif end - m >= 5:
            return None  # no word that opens a noun phrase within reach
        words = [t.text for t in toks[m:end]]
        return (toks[m].start, toks[end - 1].end), claimant_kind(words, lex)

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
