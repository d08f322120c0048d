"""How surely a claim is stated: asserted, hedged, predicted, conditional, negated or questioned.

Read the way an editor reads an attribution: from the words of the claim's content, from its cue
("predicted", "denied", "asked", "believes", "appears"), and from the few words that frame the cue
("it is *widely* believed", "*will likely* report", "*perhaps* they are put off by", "*did not*
say"). When several apply, the most qualifying one wins, in the order questioned > conditional >
hedged > predicted > negated; `modality_cues` lists the words that decided it, as written.

Only the content's main clauses count: a modal inside a relative or subordinate clause ("the
pickle a candidate *might* be in", "voters *who* do *not*") leaves the claim as it was. A vague
figure ("about 500 people") is stated, not doubted: approximators do not hedge. The word lists are
the ``modality``, ``cue_modality`` and ``modality_filters`` sections of ``cues.yaml``; the figures
they give on a hand-labelled PolNeAR sample are printed by ``broadsheet evaluate modality``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from broadsheet.extract.claims._text import QUOTE_MARKS, Token
from broadsheet.extract.claims.lexicon import Lexicon, lexicon_data

PRECEDENCE = ("questioned", "conditional", "hedged", "predicted", "negated")

# The modalities that words framing a cue can give the claim: the frame is not the claim, so it
# cannot make it a question (a "?" there belongs to another sentence).
_FRAME_MODALITIES = frozenset({"conditional", "hedged", "predicted", "negated"})
_FRAME_SIZE = 3
_CUE_WORD = re.compile(r"[\w'’]+")
_CLOSERS = "\"”’'» )]"


@dataclass(frozen=True)
class _Filters:
    """The ``modality_filters`` lists this module reads beyond the lexicon's own fields."""

    subordinators: frozenset[str]
    clause_boundaries: frozenset[str]
    advice_words: frozenset[str]
    advice_cues: frozenset[str]
    belief_particles: frozenset[str]
    reported_future: frozenset[str]
    reported_future_blockers: frozenset[str]
    question_cues: frozenset[str]
    whether_blockers: frozenset[str]
    hedge_determiners: frozenset[str]
    hedge_after_determiner: frozenset[str]


@lru_cache(maxsize=1)
def _filters() -> _Filters:
    data = lexicon_data()["modality_filters"]

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return _Filters(
        subordinators=words("subordinators"),
        clause_boundaries=words("clause_boundaries"),
        advice_words=words("advice_words"),
        advice_cues=words("advice_cues"),
        belief_particles=words("belief_particles"),
        reported_future=words("reported_future"),
        reported_future_blockers=words("reported_future_blockers"),
        question_cues=words("question_cues"),
        whether_blockers=words("whether_blockers"),
        hedge_determiners=words("hedge_determiners"),
        hedge_after_determiner=words("hedge_after_determiner"),
    )


def classify_modality(
    tokens: list[Token],
    text: str,
    content_end: int,
    cue_text: str | None,
    lex: Lexicon,
    frame: list[Token] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """Modality of a claim whose content is ``tokens``; ``content_end`` locates a trailing "?".

    ``frame`` is the words just before the cue (see `frame_before`); none for a claim without a cue.
    """
    found: dict[str, list[str]] = {}
    filters = _filters()
    lower = [t.lower.replace("’", "'") for t in tokens]
    _content_cues(tokens, lower, lex, filters, found)
    if _ends_with_question(tokens, text, content_end):
        found.setdefault("questioned", []).append("?")
    if cue_text is not None:
        _frame_cues(frame or [], cue_text, lex, found)
        _cue_verb_cues(cue_text, lower, lex, filters, found)
        _reported_future(tokens, lower, filters, found)
    for modality in PRECEDENCE:
        if modality in found:
            return modality, tuple(dict.fromkeys(found[modality]))
    return "asserted", ()


def frame_before(tokens: list[Token], cue_index: int) -> list[Token]:
    """The words just before the cue at ``cue_index`` that frame it ("it is widely" believed,
    "perhaps they" are put off by): at most three, back to the nearest punctuation or quote mark,
    so that the end of a quotation or of another clause is never taken for the frame."""
    out: list[Token] = []
    i = cue_index - 1
    while i >= 0 and len(out) < _FRAME_SIZE:
        tok = tokens[i]
        if not (tok.text[:1].isalnum()) or tok.text in QUOTE_MARKS:
            break
        out.append(tok)
        i -= 1
    return out[::-1]


def _ends_with_question(tokens: list[Token], text: str, content_end: int) -> bool:
    """Whether the content's last sentence is a question: a "?" ends it, before or after its
    closing quote marks."""
    k = len(tokens) - 1
    while k >= 0 and tokens[k].text in QUOTE_MARKS:
        k -= 1
    if k >= 0 and tokens[k].text == "?":
        return True
    return text[content_end : content_end + 4].lstrip(_CLOSERS).startswith("?")


def _main_clause(lower: list[str], i: int, filters: _Filters) -> bool:
    """Whether word ``i`` of the content is in a main clause: no subordinator ("who", "how",
    "because", "if") stands between it and the last clause boundary before it."""
    for k in range(i - 1, -1, -1):
        w = lower[k]
        if w in filters.clause_boundaries or w in QUOTE_MARKS:
            return True
        if w in filters.subordinators:
            return False
    return True


def _content_cues(tokens: list[Token], lower: list[str], lex: Lexicon, filters: _Filters, found: dict[str, list[str]]) -> None:
    """Add the modality words of the content's main clauses, as written, to ``found`` by modality."""
    index = lex.modality_by_first
    for i, w in enumerate(lower):
        for modality, phrase in index.get(w, ()):
            size = len(phrase)
            if phrase == ("?",) or (size > 1 and tuple(lower[i : i + size]) != phrase):
                continue
            if not _counts(phrase, i, tokens, lower, lex, filters):
                continue
            if modality != "questioned" and not _main_clause(lower, i, filters):
                continue
            found.setdefault(modality, []).append(" ".join(t.text for t in tokens[i : i + size]))
    for i, w in enumerate(lower):
        if w.endswith("n't") and w != "n't" and _main_clause(lower, i, filters):
            found.setdefault("negated", []).append(tokens[i].text)
            if w in {"won't"}:
                found.setdefault("predicted", []).append(tokens[i].text)


def _frame_cues(frame: list[Token], cue_text: str, lex: Lexicon, found: dict[str, list[str]]) -> None:
    """Modality words in the cue itself and in the words framing it ("will likely report",
    "is perhaps the most outspoken proponent of", "does not indicate", "it is widely believed")."""
    words = [t.text for t in frame] + _CUE_WORD.findall(cue_text)
    lower = [w.lower().replace("’", "'") for w in words]
    index = lex.modality_by_first
    for i, w in enumerate(lower):
        for modality, phrase in index.get(w, ()):
            size = len(phrase)
            if modality not in _FRAME_MODALITIES or tuple(lower[i : i + size]) != phrase:
                continue
            if size == 1 and w in lex.cue_modality:
                continue  # a cue verb ("suggested", "denied") is read with its content below
            if phrase in {("may",), ("will",)} and (i == 0 or lower[i - 1] in lex.modal_noun_blockers):
                continue  # "May" opening the frame is a name or a month; "the will of"
            found.setdefault(modality, []).append(" ".join(words[i : i + size]))
        if w.endswith("n't") and w != "n't":
            found.setdefault("negated", []).append(words[i])


def _cue_verb_cues(cue_text: str, lower: list[str], lex: Lexicon, filters: _Filters, found: dict[str, list[str]]) -> None:
    """Put the cue first among the words of the modality its verb gives ("predicted", "denied",
    "believes", "appears")."""
    cue_words = [w.lower().replace("’", "'") for w in _CUE_WORD.findall(cue_text)]
    for k, w in enumerate(cue_words):
        m = lex.cue_modality.get(w)
        if m is None:
            continue
        if m == "questioned" or w in filters.question_cues:
            # "asked" questions only what is a question: "asked whether ...", "asked why", not
            # "asked him to resign"; "wonder if ..." likewise.
            if lower[:1] and lower[0] in lex.question_words:
                found.pop("conditional", None)  # "asked if ..." asks; it sets no condition
                found.setdefault("questioned", []).insert(0, cue_text)
                continue
            if m == "questioned":
                continue
        if m == "hedged" and k + 1 < len(cue_words) and cue_words[k + 1] in filters.belief_particles:
            continue  # "believe in", "feel about", "looked up to" take a thing, not a proposition
        if m == "hedged" and w in filters.advice_cues and any(a in lower for a in filters.advice_words):
            continue  # "suggested they should drop out" advises; it does not hedge
        found.setdefault(m, []).insert(0, cue_text)


def _reported_future(tokens: list[Token], lower: list[str], filters: _Filters, found: dict[str, list[str]]) -> None:
    """A "would" in the main clause of reported content is the future seen from the past ("she said
    she would visit"), unless a perfect, a wish or a preference follows it ("would have been",
    "would like to")."""
    for i, w in enumerate(lower):
        if w not in filters.reported_future or not _main_clause(lower, i, filters):
            continue
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        after = lower[i + 2] if i + 2 < len(lower) else ""
        if nxt in filters.reported_future_blockers or (nxt == "not" and after in filters.reported_future_blockers):
            continue
        found.setdefault("predicted", []).append(tokens[i].text)
        return


def _counts(phrase: tuple[str, ...], i: int, tokens: list[Token], lower: list[str], lex: Lexicon, filters: _Filters) -> bool:
    """Filters for cue words that are often something else."""
    word = " ".join(phrase)
    nxt = lower[i + len(phrase)] if i + len(phrase) < len(lower) else ""
    prev = lower[i - 1] if i > 0 else ""
    if word in {"may", "will"}:
        # "May 5" is a month; "the will of the people" a noun.
        if tokens[i].text == "May" and (nxt[:1].isdigit() or i > 0):
            return False
        return prev not in lex.modal_noun_blockers
    if word == "if":
        return prev != "as"  # "as if" compares; it does not make a condition
    if word == "soon":
        return prev != "as"
    if word == "whether":
        # "regardless of whether" concedes; it asks nothing
        return prev not in filters.whether_blockers
    if word in filters.hedge_after_determiner:
        return prev not in filters.hedge_determiners  # "that sort of comment" is no hedge
    return True
