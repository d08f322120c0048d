"""Speakers as noun phrases around a cue: the subject before it (past adverbs, auxiliaries and
appositives), the speaker after an inverted cue ("said X"), and a name before a colon.

Without a parser a noun phrase is a run of words bounded by the lexicon's closed classes: a
verb, a conjunction, a clause word or punctuation ends it.
"""

from __future__ import annotations

from broadsheet.extract.claims._text import QUOTE_MARKS, is_abbreviation_stop
from broadsheet.extract.claims.passage import PUNCT_END, Passage, TokenSpan


def is_adverb(p: Passage, k: int) -> bool:
    t = p.toks[k]
    return t.lower in p.lex.adverbs_between or (t.lower.endswith("ly") and len(t.lower) > 4 and t.text.islower())


def subject_before(p: Passage, i: int, lo: int) -> TokenSpan | None:
    """The speaker before a cue at token ``i``: the noun phrase ending before it, skipping
    auxiliaries and adverbs, and an appositive (``X, a former adviser, said``)."""
    toks, g = p.toks, p.lex.grammar
    k = _skip_back_to_subject(p, i - 1, lo)
    if k < lo:
        return None
    if k > lo and toks[k].text in QUOTE_MARKS and toks[k - 1].text == ",":
        k -= 1  # 'X, who calls Trump a "sociopath," said': the comma inside the quote marks
    if _is_dash(p, k):
        return _before_dashes(p, k, lo)
    if toks[k].text == ",":
        if toks[i].lower.endswith("ing"):
            return None  # "..., telling Reuters": a participle; its subject is the clause's
        return appositive_subject(p, k, lo)
    if toks[k].lower in g.adjunct_prepositions or toks[k].lower in g.verb_governors:
        return None  # "by saying", "after telling": the subject is the clause's
    if toks[k].text == ")":
        m = k - 1
        while m >= lo and toks[m].text != "(":
            m -= 1
        if m - 1 >= lo:
            return np_backward(p, m - 1, lo)
        return None
    if toks[k].lower in g.relative_subjects:
        return (k, k + 1)
    return np_backward(p, k, lo)


def _is_dash(p: Passage, k: int) -> bool:
    """A dash setting off a phrase: an em or en dash, or a hyphen standing apart ("X - a pilot -",
    "X -- a pilot --"), not one inside a word."""
    t = p.toks[k]
    if t.text in {"—", "–", "―"}:
        return True
    if t.text != "-":
        return False
    text = p.text
    before, after = text[t.start - 1 : t.start], text[t.end : t.end + 1]
    return before in {" ", "-", "\n"} or after in {" ", "-", "\n"}


def _before_dashes(p: Passage, k: int, lo: int) -> TokenSpan | None:
    """The subject before a phrase set off by dashes that ends at ``k`` ("Jo Roe — a pilot from
    Maine — says ...", "Officials -- including the mayor -- argued"), or None when no opening dash
    stands within reach."""
    m = k
    while m - 1 >= lo and _is_dash(p, m - 1):
        m -= 1  # the first hyphen of "--"
    j = m - 1
    while j >= lo and j > m - 40 and not _is_dash(p, j):
        j -= 1
    if j < lo or j <= m - 40 or j == m - 1:
        return None
    while j - 1 >= lo and _is_dash(p, j - 1):
        j -= 1
    return np_backward(p, j - 1, lo) if j - 1 >= lo else None


def _skip_back_to_subject(p: Passage, k: int, lo: int) -> int:
    """Walk back from before a cue past adverbs and a time adjunct ("X on Sunday defended")."""
    toks, g = p.toks, p.lex.grammar
    while k >= lo:
        t = toks[k]
        if t.lower in p.lex.adverbs_between or (t.lower.endswith("ly") and len(t.lower) > 4 and t.text.islower()):
            k -= 1
        elif t.lower in g.time_words and k - 1 >= lo and toks[k - 1].lower in g.time_adjunct_heads:
            k -= 2
        elif t.lower in _FLOATING_QUANTIFIERS and k - 1 >= lo and _ends_subject(p, k - 1):
            k -= 1  # "X and Y have both argued", "the mayors each said": the quantifier floats off X
        elif t.lower in _LINKING_VERBS and t.text.islower() and k - 1 >= lo and _ends_subject(p, k - 1):
            k -= 1  # "Republicans seem confident", "his donors remain sure": the verb links X to its cue
        else:
            break
    return k


# Quantifiers that float off their subject to stand before the verb.
_FLOATING_QUANTIFIERS = frozenset({"both", "all", "each"})
# Linking verbs other than "be" (an auxiliary of the lexicon): they stand between a subject and
# an adjective cue ("confident", "reluctant", "rattled") and are no part of the speaker.
_LINKING_VERBS = frozenset(
    {"seem", "seems", "seemed", "remain", "remains", "remained", "appear", "appears", "appeared"}
    | {"become", "becomes", "became", "grow", "grows", "grew", "sound", "sounds", "sounded"}
)


def _ends_subject(p: Passage, k: int) -> bool:
    """Whether token ``k`` can end a subject or stand between it and its verb: an auxiliary or
    adverb, a pronoun, a name or a plural noun; not a preposition or determiner ("of all",
    "for both")."""
    t, lex = p.toks[k], p.lex
    if t.lower in lex.adverbs_between or t.lower in lex.subject_pronouns:
        return True
    if not t.text[:1].isalnum() or t.lower in lex.determiners or t.lower in lex.np_prepositions:
        return False
    if t.lower in lex.grammar.adjunct_prepositions or t.lower in lex.function_words:
        return False
    return t.text[:1].isupper() or (t.lower.endswith("s") and len(t.lower) > 3)


def np_backward(p: Passage, k: int, lo: int) -> TokenSpan | None:
    toks, lex = p.toks, p.lex
    if k < lo:
        return None
    end = k + 1
    t = toks[k]
    if t.lower in lex.subject_pronouns and t.lower not in lex.grammar.non_speaker_pronouns:
        return (k, k + 1)
    if t.text in QUOTE_MARKS or not (t.text[:1].isalnum() or t.text in {"'s", "’s"}):
        return None
    if t.lower in lex.subject_boundaries or _is_verb(p, t.lower, t.text[:1].isupper()):
        return None  # a verb, not a noun phrase ("report" and "statement" may head one)
    m = k
    while m - 1 >= lo and end - (m - 1) <= 12 and _extends_backward(p, m, lo):
        m -= 1
    start = _np_start(p, m, end)
    if start is None:
        return None
    return (start, end)


def _is_verb(p: Passage, w: str, capitalised: bool) -> bool:
    return w in p.lex.verb_forms and not capitalised and w not in p.lex.noun_verb_ambiguous


def _extends_backward(p: Passage, m: int, lo: int) -> bool:
    """Whether the token before ``m`` still belongs to the noun phrase that starts at ``m``."""
    toks, lex = p.toks, p.lex
    prev = toks[m - 1]
    if _is_dash(p, m - 1):
        return False  # "WASHINGTON -- President Obama", "Casper, Wyo. - Sen. Roe": a dateline or aside ends there
    if prev.text in {"-", "&", "'s", "’s", "."}:
        return True
    if (
        prev.text[:1].isalnum()
        and prev.lower not in lex.subject_boundaries
        and not _is_verb(p, prev.lower, not prev.text.islower())
    ):
        return True
    # "Foreign and Defense Ministries", "Ambassador to France", "Secretary of State"
    return (
        prev.lower in lex.grammar.name_joiners
        and prev.text.islower()
        and m - 2 >= lo
        and toks[m - 2].text[:1].isupper()
        and toks[m].text[:1].isupper()
    )


def _np_start(p: Passage, m: int, end: int) -> int | None:
    """Cut a backward-collected run of words to its noun phrase: drop a leading adjunct
    ("On Tuesday the ministry" -> "the ministry") and keep a prepositional modifier
    ("a spokesman for the ministry")."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    s = m
    while (
        s < end
        and toks[s].lower in g.adjunct_prepositions
        and (toks[s].lower != "of" or toks[s].text == "Of")
        and not _approximates(p, s, end)
    ):
        s = _past_adjunct(p, s + 1, end)
        if s is None:
            return None
    while s < end and toks[s].lower in g.leading_conjunctions:
        s += 1
    if s >= end:
        return None
    # Leading sentence adverbs and time words are not part of a speaker ("Later Tuesday, ...").
    while s < end - 1 and (toks[s].lower in g.time_words or toks[s].lower in lex.adverbs_between):
        s += 1
    return s


# Prepositions that also approximate a number opening a subject ("About 9 percent said").
_APPROXIMATORS = frozenset({"about", "around", "over", "under", "nearly", "almost", "roughly"})


def _approximates(p: Passage, s: int, end: int) -> bool:
    """Whether the preposition at ``s`` approximates the number after it: "About four out of 10
    voters said", not "About the plan, X said"."""
    toks = p.toks
    if toks[s].lower not in _APPROXIMATORS or s + 1 >= end:
        return False
    nxt = toks[s + 1].lower
    return nxt[:1].isdigit() or nxt in _NUMERALS


_NUMERALS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "half", "dozen"})


def _past_adjunct(p: Passage, s: int, end: int) -> int | None:
    """The token after the noun phrase of a preposition's object that starts at ``s``."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    if s < end and toks[s].lower in lex.determiners:
        s += 1
    if s >= end:
        return None
    upper = toks[s].text[:1].isupper()
    s += 1
    while (
        s < end
        and toks[s].text[:1].isupper() == upper
        and toks[s].lower not in lex.determiners
        and toks[s].lower not in g.adjunct_prepositions
    ):
        s += 1
    return s


def appositive_subject(p: Passage, comma: int, lo: int) -> TokenSpan | None:
    """The speaker of ``X, a former adviser, said``: the noun phrase before the appositive that
    ends at ``comma``, when it opens its clause; None when the words before the comma are not
    such a subject (then ``..., said X`` is an inversion)."""
    toks = p.toks
    m = _appositive_open(p, comma, lo)
    if m >= lo and toks[m].text == ",":
        return _appositive_head(p, m, comma, lo)
    if m < lo or toks[m].text in QUOTE_MARKS:
        return _short_name(p, max(m + 1, clause_start(p, lo)), comma)
    return None


def _appositive_open(p: Passage, comma: int, lo: int) -> int:
    """The token that opens the appositive ending at ``comma`` (outside brackets), or ``lo - 1``."""
    toks = p.toks
    m = comma - 1
    depth = 0
    while m >= lo and comma - m < 30:
        t = toks[m].text
        if t == ")":
            depth += 1
        elif t == "(":
            depth -= 1
        elif depth == 0 and (t in {",", ";", ":"} or t in QUOTE_MARKS or (t in PUNCT_END and not is_abbreviation_stop(toks, m))):
            break
        m -= 1
    return m


def _appositive_head(p: Passage, m: int, comma: int, lo: int) -> TokenSpan | None:
    """The noun phrase before the comma at ``m`` that the appositive [m + 1, comma) describes."""
    toks = p.toks
    if not appositive_like(p, m + 1, comma):
        return None
    head_end = m - 1
    if head_end > lo and toks[head_end].text == ")":
        # "Sen. Jane Roe (D-Ore.), a member of the panel, said": the name before the brackets.
        q = head_end - 1
        while q > lo and toks[q].text != "(" and head_end - q < 10:
            q -= 1
        if toks[q].text == "(":
            head_end = q - 1
    head = np_backward(p, head_end, lo)
    if head is None:
        return None
    if head_end != m - 1:
        head = (head[0], m)
    return _accepted_head(p, head, comma, lo)


def _accepted_head(p: Passage, head: TokenSpan, comma: int, lo: int) -> TokenSpan | None:
    """A head opens its clause, or follows a dash, bracket, conjunction or introductory adjunct."""
    toks, lex = p.toks, p.lex
    h = head[0]
    start = clause_start(p, lo)
    if h > lo and toks[h - 1].text == "," and toks[h].lower in lex.determiners and h - 1 < comma:
        # Stacked appositives: "X, the attorney general of Kansas, one of the states suing, said".
        outer = appositive_subject(p, h - 1, lo)
        if outer is not None:
            return outer
    if h <= start or toks[h - 1].text in {"—", "–", "("}:
        return head
    if h > lo and toks[h - 1].lower in lex.grammar.appositive_head_openers:
        return head
    if h > start and toks[h - 1].text == "," and introductory(p, start, h - 1):
        return head
    return None


def _short_name(p: Passage, a: int, comma: int) -> TokenSpan | None:
    """No opening comma: the words from the clause start to the comma must be a short name."""
    words = p.toks[a:comma]
    if 0 < len(words) <= 8 and all(
        w.text[:1].isupper() or w.text in {"(", ")", "-", ".", "'s", "’s"} or w.lower in p.lex.grammar.name_function_words
        for w in words
    ):
        return (a, comma)
    return None


def appositive_like(p: Passage, a: int, b: int) -> bool:
    """Whether tokens [a, b) read as an appositive ("a former adviser", "32", "who served ...")
    rather than a clause with a subject and a verb ("Trump returned the compliment")."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    if a >= b:
        return False
    if toks[a].lower in g.relative_pronouns:
        return True
    for m in range(a + 1, b):
        t = toks[m]
        if t.lower in g.relative_pronouns and t.lower != "that":
            return True  # "a Republican who has refused ...": the verbs after are the relative clause's
        if t.lower in g.finite_be_have and t.lower not in g.appositive_modals:
            return False
        prev = toks[m - 1]
        if (
            t.text.islower()
            and t.lower.endswith("ed")
            and (prev.text[:1].isupper() or prev.lower in lex.subject_pronouns)
            and prev.lower not in lex.determiners
        ):
            return False
    return True


def introductory(p: Passage, a: int, comma: int) -> bool:
    """Whether tokens [a, comma) are an introductory adjunct ("In a statement", "On Tuesday")."""
    toks, g = p.toks, p.lex.grammar
    if comma - a < 1 or comma - a > 10:
        return False
    first = toks[a].lower
    # "Speaking to the press, X said", "Asked about the plan, X said": participial openers.
    participial = toks[a].text[:1].isupper() and (
        first.endswith("ing") and len(first) > 5 or first in g.intro_participles or comma - a == 1 and first.endswith("ed")
    )
    return first in g.adjunct_prepositions or first in g.time_words or participial or first in g.introductory_adverbs


def clause_start(p: Passage, lo: int) -> int:
    """The first token of a clause starting at ``lo``, past quote marks, dashes and a conjunction."""
    toks = p.toks
    a = lo
    while a < len(toks) and (toks[a].text in QUOTE_MARKS or toks[a].text in {"—", "–", "-", "("}):
        a += 1
    while a < len(toks) and toks[a].lower in p.lex.grammar.clause_conjunctions:
        a += 1
        if a < len(toks) and toks[a].text == ",":
            a += 1
    return a


def inversion_ok(p: Passage, j: int, hi: int) -> bool:
    """Whether a speaker follows the cue and closes the clause: ``said X.``, ``said X, a ...``."""
    np = np_forward(p, j)
    if np is None or not np_forward_ok(p, j):
        return False
    end = np[1]
    if end >= hi:
        return True
    t = p.toks[end]
    return (
        t.text in {",", ".", ";", ":", "!", "?", "(", "—", "–"}
        or t.text in QUOTE_MARKS
        or t.lower in p.lex.trailing_adjunct_openers
        or t.lower in p.lex.grammar.relative_after_speaker
    )


def np_forward_ok(p: Passage, j: int) -> bool:
    toks, lex = p.toks, p.lex
    if j >= len(toks):
        return False
    t = toks[j]
    return t.text[:1].isupper() or t.lower in lex.determiners or t.lower in lex.person_nouns or t.lower in lex.subject_pronouns


def np_forward(p: Passage, j: int) -> TokenSpan | None:
    """A speaker after its cue (``said X``, ``according to X``), up to a comma, an adjunct or
    the end of the sentence."""
    toks = p.toks
    if j >= len(toks) or toks[j].lower in p.lex.grammar.clause_introducers:
        return None
    sent = p.sentence_of(j)
    k = j
    while k < len(toks) and k - j < 14 and p.sentence_of(k) == sent:
        t = toks[k]
        if not (t.text[:1].isalnum() or t.text in {"'s", "’s", "-", "&"} or is_abbreviation_stop(toks, k)):
            break
        if k > j and _ends_forward_np(p, k):
            break
        k += 1
    return (j, k) if k > j else None


def _ends_forward_np(p: Passage, k: int) -> bool:
    """Whether the word at ``k`` ends a speaker read forwards: a clause word, an adjunct or a verb."""
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    w = toks[k].lower
    # "Smith and Wesson": "and" between two names joins them.
    joins_names = w == "and" and toks[k - 1].text[:1].isupper() and k + 1 < len(toks) and toks[k + 1].text[:1].isupper()
    if (w in g.np_enders or w in g.finite_be_have) and not joins_names:
        return True
    if (w in lex.trailing_adjunct_openers or w in g.adjunct_prepositions) and w not in lex.np_prepositions:
        return True
    if w in lex.np_prepositions and w in g.place_prepositions:
        return True
    return w in lex.verb_forms and toks[k].text.islower() and w not in lex.noun_verb_ambiguous


def name_before_colon(p: Passage, colon: int) -> TokenSpan | None:
    """``Pew Research: "..."``, ``- Philip Bump: "..."``, ``More from Jo Roe and Al Poe: "..."``: a
    short name opening its clause or handed the quotation by "from" or "according to", then a
    colon."""
    toks = p.toks
    a = colon
    if a - 1 >= 0 and toks[a - 1].text == ")":  # "Rep. Trey Gowdy (R-S.C.):"
        m = a - 1
        while m > 0 and toks[m].text != "(" and a - m < 10:
            m -= 1
        if toks[m].text == "(":
            a = m
    while a - 1 >= 0 and colon - (a - 1) <= 8 and p.same_sentence(a - 1, colon):
        t = toks[a - 1]
        attached = a - 2 >= 0 and toks[a - 2].end == t.start and toks[a - 2].text[:1].isupper()
        joins = t.lower == "and" and a < colon and toks[a].text[:1].isupper() and a - 2 >= 0 and toks[a - 2].text[:1].isupper()
        if t.text[:1].isupper() or (t.text in {".", "'s", "’s"} and attached) or joins:
            a -= 1
            continue
        break
    if a == colon or toks[a].lower == "and":
        return None
    before = toks[a - 1] if a > 0 else None
    if before is not None and p.same_sentence(a - 1, colon) and before.text not in {"-", "—", "–"}:
        # "More from Jo Roe:", "According to the Herald:": a source named by the preposition
        # that hands the quotation to it.
        handed = before.lower == "from" or (before.lower == "to" and a - 2 >= 0 and toks[a - 2].lower == "according")
        if not handed:
            return None
    return (a, colon)
