"""Where a temporal expression can start: the gate every position of the text must pass before
the grammar's rules are tried there (see `grammar`)."""

from __future__ import annotations

import re

from broadsheet.extract.timex.lexicon import Lexicon, alternation, number_words, unit_words

# Words that start a temporal expression only in company ("the", "about", "at"): the scan
# considers them only when the next word could continue one. Those in _WEAK_THEN_STRONG may be
# followed by any word that starts an expression by itself ("the 1990s", "about two years");
# the others only by the second words of the lexicon phrases they begin ("at least", "of late")
# or those listed here.
_WEAK_THEN_STRONG = frozenset("the a an about around over under some that this these one".split())
_WEAK_SECOND_WORDS = {
    "the": "past future near distant short long medium old present moment first second third fourth final full entire "
    "whole same end beginning start middle close dawn latter tail opening outset midst recent latest current "
    "comparable corresponding year-ago year-earlier following previous prior preceding next last coming fiscal "
    "calendar period weekend morning afternoon evening night",
    "a": "few couple number dozen hundred thousand half while later minimum additional long time full",
    "an": "additional estimated hour",
    "about": "a an the one",
    "around": "a an the one",
    "over": "a an the one",
    "under": "a an the one",
    "some": "time day",
    "one": "and to or",
    "that": "morning afternoon evening night",
    "this": "morning afternoon evening night",
    "these": "days",
    "more": "than recently",
    "most": "recently recent",
    "just": "under over now",
    "new": "year's year’s",
    "good": "friday",
}
_WEAK_STARTS = frozenset(
    {*_WEAK_THEN_STRONG, *_WEAK_SECOND_WORDS, "at", "as", "no", "not", "up", "well", "close", "right", "until", "of", "long"}
)


def position_gate(lex: Lexicon) -> str:
    """A lookahead that every match must pass: the first word (or first two words) of some rule.

    Tested at each word boundary before any rule, it lets the scan skip, in C, the positions
    where no expression can start, which are most of them.
    """
    strong: set[str] = set()
    second: dict[str, set[str]] = {w: set(_WEAK_SECOND_WORDS.get(w, "").split()) for w in _WEAK_STARTS}
    phrases = [
        *lex.point_modifiers,
        *lex.quantity_modifiers,
        *lex.vague_references,
        *lex.vague_quantities,
        *lex.holidays,
    ]
    for phrase in phrases:
        words = phrase.split()
        if words[0] in _WEAK_STARTS:
            if len(words) > 1:
                second[words[0]].add(words[1])
        else:
            strong.add(words[0])
    strong |= {name.lower().rstrip(".") for name in (*lex.months, *lex.weekday_names)}
    strong |= set(number_words(lex)) | set(lex.ordinals) | set(lex.seasons) | set(unit_words(lex))
    strong |= set(lex.frequency_adverbs) | {w.lower() + "s" for w in lex.weekday_names if not w.endswith(".")}
    strong |= set(
        "last next coming past previous following current prior preceding upcoming latest present recent today tonight "
        "tonite yesterday tomorrow noon midday midnight every each once twice thrice per fiscal calendar financial model "
        "tax school fy q1 q2 q3 q4 h1 h2 1q 2q 3q 4q twenties thirties forties fifties sixties seventies eighties "
        "nineties pre post mid comparable corresponding dozen same half weekend remaining additional initial "
        "ensuing intervening subsequent entire whole full final other better best".split()
    )
    strong -= _WEAK_STARTS
    digit = r"\d|['’]\d|(?-i:FY)\s?['’]?\d"
    strong_re = alternation(strong)
    branches = [digit, rf"(?:{strong_re})\b"]
    with_strong = [w for w in _WEAK_STARTS if w in _WEAK_THEN_STRONG]
    branches.append(rf"(?:{alternation(with_strong)})[\s-]+(?:{digit}|(?:{strong_re})\b)")
    for word in sorted(_WEAK_STARTS):
        if second[word]:
            branches.append(rf"{re.escape(word)}[\s-]+(?:{alternation(second[word])})\b")
    return "(?=" + "|".join(branches) + ")"
