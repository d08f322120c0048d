"""Whether the clause around a date speaks of the past or of the future.

A date without a year, a bare weekday or a quarter is placed by the tense of its clause (see
`values.choose_year`): news narrates the past, so only a clear cue points a date ahead. The cues,
in the order they are trusted:

- the verb right before the date: past after a past-tense verb ("said Friday", "passed in
  March"), future after "effective" or a scheduling verb ("launches June 28");
- the clause (the sentence cut at commas, semicolons, dashes and subordinators): future when it
  holds a future cue from the lexicon ("will", "is due to") that no "had"/"was"/"were" turns into
  a past plan, nothing at all when it is in the past perfect;
- the verb of the date's own clause, when it is in the simple past ("In January, the company
  brought in...", "changed its fiscal year in December");
- a deadline: a date after "by" in a clause with no verb in the past or perfect tense ("to pay
  down the loan by February") is ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.timex.lexicon import Lexicon

WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*|\d+|[$€£#%]")

# A full stop after a lone capital ("Daniel P. Davison") or a title before a name ("Mr. Davison")
# does not end the sentence: cutting there would hide the verb ("will succeed") from the tense.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bGen)"
    r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n"
)
# Where the clause a date belongs to ends. Reported content introduced by a verb of speech
# ("issued a statement Friday saying it will...", "On Monday, the minister said it will...") is a
# clause of its own.
_CLAUSE_BREAK = re.compile(
    r"[,;:—–]|\s-{1,2}\s|\b(?:that|which|who|because|but|while|although|whereas|saying|adding|warning|noting|"
    r"said|says|told|tells|"
    r"arguing|claiming|insisting|predicting|according\s+to)\b",
    re.I,
)
# After the date, a subordinate clause is another clause too ("resigned over the weekend after
# aides learned he was planning to leave": the plan is not the weekend's); before
# it, the date may sit in the subordinate clause itself and still take the main clause's tense.
_CLAUSE_BREAK_AFTER = re.compile(_CLAUSE_BREAK.pattern + r"|\b(?:after|when|whether|if|unless)\b", re.I)
_DETERMINERS = frozenset("a an the this that its his her their our your my".split())
_NOT_PAST_AUXILIARIES = frozenset(
    "is are am be been being will to has have 's 're shall would could may might must can should get gets".split()
)
_PAST_AUXILIARY = re.compile(r"\b(?:had|was|were)\s+(?:been\s+)?$", re.I)
# A plan reported in the past tense ("was due to leave Thursday", "were planning to march on
# Monday") still points ahead: news backshifts what it was told, not when the plan falls.
_PLAN_CUE = re.compile(r"(?:due|scheduled|set|slated|expected|planned|planning|going)\b", re.I)
_PAST_PERFECT = re.compile(r"\bhad\b", re.I)
# "by" right before a date makes it a deadline
_DEADLINE = re.compile(r"\bby\s+$", re.I)
_PERFECT = re.compile(r"\b(?:has|have|had|'ve)\b", re.I)
_IRREGULAR_PAST = frozenset(
    "said told met went came began took made gave held left saw spoke fell rose won lost led ran sent set put read wrote "
    "brought bought thought found kept heard paid sold struck hit shot fought flew drove chose broke stood sat began "
    "became grew knew threw swore tore wore meant felt dealt sought taught caught fled slid spent lent built sank".split()
)
_NOT_PAST = frozenset(
    "need feed speed red bed seed weed breed bleed shed wed indeed proceed exceed succeed steed greed hundred".split()
)
_PAST_FINITE = frozenset("was were did".split())
_PAST_PREPOSITIONS = frozenset("in on during at".split())
# Words skipped between a verb and the date it governs ("said on Friday", "met late last year")
_BETWEEN_VERB_AND_DATE = frozenset("on at in during late early last the of".split())
# A date set between a subject and its verb ("Iran in February stopped", "the minister on Monday
# criticised", "and on Monday criticised"): the verb right after it is the date's.
_PAST_VERB_RIGHT_AFTER = re.compile(r"\s+(?-i:([a-z]+))\b(?!\s+by\b)")
_SUBJECT_BEFORE = re.compile(r"(?:\b(?-i:[A-Z][\w.’'-]*)|\b(?:he|she|they|it|we|and))\s+(?:(?:on|in|late|early)\s+)?$")
_REPORTED = re.compile(r"\b(?:said|says|told|tells)\s*$", re.I)
_LAST_CONJUNCT = re.compile(r"\b(?:and|or|then)\b", re.I)
_QUOTE = re.compile(r"[\"“”'‘’]")
# "to" before a verb rather than a noun phrase: not before an article, a possessive, a number or a name
_INFINITIVE = re.compile(
    r"\bto\s+(?!(?:a|an|the|this|that|these|those|its|his|her|their|our|my|your|some|any|all|each|every)\b)[a-z]", re.I
)
# Words after which an "-ed" form is an adjective or a participle, not a verb in the past tense:
# "the expected profit", "in limited trading", "is owned by", "has risen".
_NOT_PAST_BEFORE_ED = (
    _NOT_PAST_AUXILIARIES
    | _DETERMINERS
    | frozenset("in of for with by on at from into than as more most less newly recently previously".split())
)
_FUTURE_CACHE: dict[int, re.Pattern[str]] = {}


def is_past_verb(word: str) -> bool:
    w = word.lower()
    return w in _IRREGULAR_PAST or (w.endswith("ed") and len(w) > 4 and w not in _NOT_PAST)


def has_past_verb(window: str) -> bool:
    """Whether a clause holds a verb in the simple past ("was", "brought", "were hampered"), not
    an adjective or a participle after an article, a preposition or a present auxiliary."""
    words = WORD.findall(window)
    for i, word in enumerate(words):
        w = word.lower().rstrip(".")
        if w in _PAST_FINITE:
            return True
        if word[:1].isupper() and i > 0:
            continue  # a name ("Ted", "Reed")
        if is_past_verb(w) and (i == 0 or words[i - 1].lower() not in _NOT_PAST_BEFORE_ED):
            return True
    return False


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: up to the nearest sentence end or line break, at most
    300 characters either side."""
    lo = max(0, start - 300)
    before = text[lo:start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    s = lo + cut if cut or lo == 0 else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + 300))
    e = m.start() + 1 if m else min(len(text), end + 300)
    return s, e


@dataclass(frozen=True)
class _Clause:
    """The clause of a date: what precedes the date in its sentence (`left`, of which the clause
    proper starts at `cut`) and what follows it (`right`, of which the clause proper runs from
    `lead` to `stop`)."""

    left: str
    cut: int
    right: str
    lead: int
    stop: re.Match[str] | None

    @classmethod
    def around(cls, text: str, start: int, end: int) -> _Clause:
        s, e = sentence_around(text, start, end)
        left = text[s:start]
        cut = max((m.end() for m in _CLAUSE_BREAK.finditer(left)), default=0)
        right = text[end:e]
        # "On Wednesday, they are to travel": a comma right after a fronted date does not end its clause
        lead = re.match(r"\s*,", right)
        lead_end = lead.end() if lead else 0
        return cls(left, cut, right, lead_end, _CLAUSE_BREAK_AFTER.search(right, lead_end))

    @property
    def window(self) -> str:
        return self.left[self.cut :] + " " + (self.right[: self.stop.start()] if self.stop else self.right)

    @property
    def own_left(self) -> str:
        return self.left[self.cut :]


def clause_tense(text: str, start: int, end: int, lex: Lexicon) -> str | None:
    """ "past", "future", or None when the clause around text[start:end] does not say."""
    verb = _tense_of_verb_before(text, start, lex)
    if verb is not None:
        return verb
    if _between_subject_and_past_verb(text, start, end):
        return "past"  # "Iran in February stopped...", "the minister on Monday criticised..."
    clause = _Clause.around(text, start, end)
    if _PAST_PERFECT.search(clause.window):
        return None  # "Until Thursday, they had not called him a suspect"
    if _has_future_cue(clause.window, lex):
        return "future"
    if _own_verb_is_past(clause):
        return "past"
    if _DEADLINE.search(clause.own_left) and not has_past_verb(clause.window) and not _PERFECT.search(clause.window):
        # "to pay down the loan by February": a deadline in a clause with no past verb is ahead
        # (not "By August, the bank has granted...": what is done by then is counted up to now)
        return "future"
    return None


def _between_subject_and_past_verb(text: str, start: int, end: int) -> bool:
    after = _PAST_VERB_RIGHT_AFTER.match(text, end)
    if after is None or not is_past_verb(after[1]):
        return False
    return _SUBJECT_BEFORE.search(text, max(0, start - 40), start) is not None


def _tense_of_verb_before(text: str, start: int, lex: Lexicon) -> str | None:
    prev = WORD.findall(text[max(0, start - 40) : start])
    while prev and prev[-1].lower() in _BETWEEN_VERB_AND_DATE and len(prev) > 1:
        prev = prev[:-1]
    if prev and prev[-1].lower() == "effective":
        return "future"  # "effective Feb. 1": news announces when a change takes effect, ahead of it
    lowered = [w.lower() for w in prev[-3:]]
    if any(
        " ".join(lowered[i:]) in lex.scheduled_verbs and (i == 0 or lowered[i - 1] not in _DETERMINERS)
        for i in range(len(lowered))
    ):
        return "future"  # "the mission launches June 28", "the ministers meet Monday": a schedule
    # a participle after "is", "will be", "to be", "has" is a plan or a state, not a past event
    if prev and is_past_verb(prev[-1]) and (len(prev) < 2 or prev[-2].lower() not in _NOT_PAST_AUXILIARIES):
        return "past"
    return None


def _future_re(lex: Lexicon) -> re.Pattern[str]:
    key = id(lex)
    if key not in _FUTURE_CACHE:
        words = sorted(lex.future_cues, key=len, reverse=True)
        alt = "|".join(r"\s+".join(re.escape(w) for w in c.split()) for c in words)
        _FUTURE_CACHE[key] = re.compile(rf"(?<![\w'’])(?:{alt})(?![\w'’])", re.IGNORECASE)
    return _FUTURE_CACHE[key]


# A cue that stands right before another date of the clause is that date's ("charges over the
# March robbery could come as early as next week"), not the one being placed.
_GOVERNS_A_DATE = re.compile(
    r"\s+(?:next|this|tomorrow|tonight|today|mid-?|early|late|(?-i:[A-Z][a-z]+day\b)|(?-i:(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z.]*)|\d)",
    re.I,
)
_DATE_GOVERNING_CUES = frozenset({"as early as", "as soon as", "until"})


def _has_future_cue(window: str, lex: Lexicon) -> bool:
    for cue in _future_re(lex).finditer(window):
        if " ".join(cue.group(0).lower().split()) in _DATE_GOVERNING_CUES and _GOVERNS_A_DATE.match(window, cue.end()):
            continue
        if not _PAST_AUXILIARY.search(window, max(0, cue.start() - 20), cue.start()) or _PLAN_CUE.match(cue.group(0)):
            return True
    return False


def _own_verb_is_past(clause: _Clause) -> bool:
    """Whether the verb of the date's own clause is in the simple past: the one after a date that
    opens it ("In January, the company brought in a new chief"), else the one before
    "in"/"on"/"during" and the date ("changed its fiscal year in December"). A date after "by",
    "to", "until" or "for" is an end or a plan, whatever the tense ("was extended to Nov. 20",
    "asked to respond by Oct. 31")."""
    head = [w.lower() for w in WORD.findall(clause.own_left)]
    if not head or (len(head) == 1 and head[0] in _PAST_PREPOSITIONS):
        return _fronted_date_verb_is_past(clause)
    return head[-1] in _PAST_PREPOSITIONS and _verb_before_is_past(clause)


def _fronted_date_verb_is_past(clause: _Clause) -> bool:
    stop = clause.stop
    if has_past_verb(clause.right[clause.lead : stop.start() if stop else len(clause.right)]):
        return True
    if stop is None or stop.group(0).lower() not in ("said", "told"):
        return False
    # "In February, the company said it expects...": the saying is the date's (not the "she
    # said" after a quotation that ends with the date)
    return not _QUOTE.search(clause.right[clause.lead : stop.start()])


def _verb_before_is_past(clause: _Clause) -> bool:
    # not "subpoenaed him to testify on Feb. 10" (the date is the infinitive's), nor "said he saw
    # changes after an election in January" (reported speech shifts its tenses back)
    own = _LAST_CONJUNCT.split(clause.own_left)[-1]
    return has_past_verb(own) and not _INFINITIVE.search(own) and not _REPORTED.search(clause.left[: clause.cut])
