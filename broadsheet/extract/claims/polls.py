"""Candidates' shares in the poll figures of a claim, for finding polls that disagree.

News restates one poll in many shapes: "50 percent of respondents chose Clinton while 40 percent
chose Trump", "Trump moving ahead of Cruz in Iowa, 32%-25%", "Trump holds only 14 percent of the
Latino vote compared to Hillary Clinton's 76 percent". The clause words around such figures differ
from article to article, so the clause comparison of `clusters` misses them; what they share is
*who gets which share of whom*. `standing(text)` reads that:

- a *share* is a figure with a percent sign or word ("45 percent", "32%"), or either side of a
  pair of them ("45 to 40 percent", "32%-25%"); a margin ("by 8 percentage points") is not;
- a pair goes to the first and the last candidate named before it in its stretch of text (since
  the figure before), "Trump leading Clinton 44 percent to 37 percent": Trump 44, Clinton 37, or
  when only one is named before it, to that one and the first named in the few words after it
  ("Clinton with a lead of 48 percent to 41 percent over Sanders");
- a single share goes to the candidate named right after a word of support ("40 percent chose
  Trump", "68 percent for ... Hillary Clinton"), else to the nearest one named before it in its
  stretch ("Rubio was at 18%", "Clinton's 76 percent");
- a *candidate* is the last capitalised word of a name ("Hillary Clinton", "Mr. Trump"), less
  titles and the claims' function words; a name after "in", "among", ... (a place or group: "in
  Iowa") or right before a word for the people polled ("Latino voters") is not one;
- the *group* is the words of an "among ..." phrase and of an "of/from ..." phrase right after a
  share, less the words for any poll's people ("likely", "voters", "Republican"), so "among men"
  or "of the Latino vote" is a group and "of likely Republican caucusgoers" is the whole field.

`compare(a, b)` says that two standings disagree when they name the same group and at least two
candidates in common, and some common candidate has no share in one that the other gives him
(within half a point); they agree when every common candidate has a share in both that matches.
Word lists live in ``cues.yaml`` (``clustering``, ``polls``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from broadsheet.extract.claims.lexicon import lexicon_data, with_calendar_words

# Two shares of one candidate closer than this are one figure rounded two ways.
_SAME_SHARE = 0.5
# A support word this many words after a share, and the candidate this many words after it.
_SUPPORT_REACH = 6
_NAME_REACH = 5
# A group phrase after a share reads at most this many words.
_GROUP_REACH = 4

_SHARE = r"\d{1,2}(?:\.\d+)?"
_PERCENT = r"(?:\s*%|\s*percent\b|\s*per cent\b)"
_PAIR = re.compile(rf"(?<![\w.,$])({_SHARE}){_PERCENT}?\s*(?:to|-|–|—)\s*({_SHARE})({_PERCENT})?(?![\w.]\d)")
_SINGLE = re.compile(rf"(?<![\w.,$])({_SHARE}){_PERCENT}(?!\s*(?:age\s+)?points?\b)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*|\d[\d.,]*|%")


@dataclass(frozen=True)
class Standing:
    """Each candidate's shares (candidate in lower case) and the group they are of."""

    shares: dict[str, frozenset[float]] = field(default_factory=dict)
    group: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Words:
    stop: frozenset[str]
    support: frozenset[str]
    group_open: frozenset[str]
    place: frozenset[str]
    population: frozenset[str]
    group_ends: frozenset[str]
    titles: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = lexicon_data()["clustering"]
    polls = data["polls"]

    def lower(items: list[str]) -> frozenset[str]:
        return frozenset(str(w).lower() for w in items)

    return _Words(
        stop=lower(with_calendar_words(data["stop_words"])) | lower(data["role_words"]),
        support=lower(polls["support_words"]),
        group_open=lower(polls["group_words"]),
        place=lower(polls["place_words"]),
        population=lower(polls["population_words"]),
        group_ends=lower(polls["group_ends"]),
        titles=lower(polls["titles"]),
    )


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().rstrip(".").removesuffix("'s").removesuffix("’s")


def standing(text: str) -> Standing:
    """The shares a claim gives candidates, and the group polled (see the module's docstring)."""
    if "%" not in text and "percent" not in text.lower():
        return Standing()
    words = _words()
    toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    figures = _figures(text)
    shares: dict[str, set[float]] = defaultdict(set)
    group: set[str] = set()
    previous_end = 0
    for start, end, values in figures:
        before = [t for t in toks if previous_end <= t.start and t.end <= start]
        after = [t for t in toks if t.start >= end]
        names = _candidates(before, words)
        if len(values) == 2:
            if len(names) == 1:
                names += _candidates(_stretch(after), words)[:1]  # "Clinton with a lead of 48 to 41 over Sanders"
            if len(names) >= 2 and names[0] != names[-1]:
                shares[names[0]].add(values[0])
                shares[names[-1]].add(values[1])
        else:
            who = _supported(after, words) or (names[-1] if names else None)
            if who:
                shares[who].add(values[0])
            group |= _group_after(after, words)
        previous_end = end
    group |= _among(toks, words)
    return Standing({k: frozenset(v) for k, v in shares.items()}, frozenset(group - words.population))


def _stretch(after: list[_Tok]) -> list[_Tok]:
    """The few words right after a figure, up to the next figure."""
    out = []
    for t in after[: _NAME_REACH + 1]:
        if t.text[:1].isdigit():
            break
        out.append(t)
    return out


def _figures(text: str) -> list[tuple[int, int, tuple[float, ...]]]:
    """The pairs and single shares of a text in order; a pair needs a percent mark on a side or
    a percent figure elsewhere in the claim ("Cruz by three points (45 to 42)")."""
    out: list[tuple[int, int, tuple[float, ...]]] = []
    taken: list[tuple[int, int]] = []
    for m in _PAIR.finditer(text):
        a, b = float(m.group(1)), float(m.group(2))
        if 0 < a <= 100 and 0 < b <= 100:
            out.append((m.start(), m.end(), (a, b)))
            taken.append((m.start(), m.end()))
    for m in _SINGLE.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            out.append((m.start(), m.end(), (float(m.group(1)),)))
    return sorted(out)


def _is_name(toks: list[_Tok], k: int, words: _Words) -> bool:
    t = toks[k]
    if not t.text[:1].isupper() or t.low in words.stop or t.low in words.titles or t.low in words.population:
        return False
    if k + 1 < len(toks) and toks[k + 1].text[:1].isupper() and toks[k + 1].low not in words.stop:
        return False  # not the last word of the name
    start = k
    while start > 0 and toks[start - 1].text[:1].isupper():
        start -= 1
    if start > 0 and toks[start - 1].low in words.place:
        return False  # "in Iowa", "among Latinos"
    return not (k + 1 < len(toks) and toks[k + 1].low in words.population)  # "Sanders voters"


def _candidates(toks: list[_Tok], words: _Words) -> list[str]:
    return [toks[k].low for k in range(len(toks)) if _is_name(toks, k, words)]


def _supported(after: list[_Tok], words: _Words) -> str | None:
    """The candidate a share goes to when a support word follows it: "40 percent chose Trump"."""
    for k, t in enumerate(after[:_SUPPORT_REACH]):
        if t.text[:1].isdigit():
            return None  # the next figure's stretch
        if t.low in words.support:
            for j in range(k + 1, min(len(after), k + 1 + _NAME_REACH)):
                if after[j].text[:1].isdigit():
                    return None
                if _is_name(after, j, words):
                    return after[j].low
            return None
    return None


def _group_after(after: list[_Tok], words: _Words) -> set[str]:
    """The words of the "of/from ..." phrase right after a share ("support from Latino voters")."""
    k = 0
    if after and after[0].low in words.support and len(after) > 1:
        k = 1  # "20 percent support from ..."
    if k >= len(after) or after[k].low not in words.group_open:
        return set()
    out = set()
    for t in after[k + 1 : k + 1 + _GROUP_REACH]:
        if t.low in words.support or t.text[:1].isdigit() or (t.low in words.stop and t.low not in words.population):
            break
        out.add(t.low)
        if t.low in words.group_ends:
            break
    return out


def _among(toks: list[_Tok], words: _Words) -> set[str]:
    """The words of every "among ..." phrase: "Trump leads Clinton among men by 8 points"."""
    out: set[str] = set()
    for k, t in enumerate(toks):
        if t.low != "among":
            continue
        for u in toks[k + 1 : k + 1 + _GROUP_REACH]:
            if u.text[:1].isdigit() or (u.low in words.stop and u.low not in words.population):
                break
            out.add(u.low)
            if u.low in words.group_ends:
                break
    return out


def compare(a: Standing, b: Standing) -> str | None:
    """ "conflict" when two standings disagree, "agree" when they give the same shares, None when
    they are not comparable (other group, fewer than two common candidates)."""
    common = a.shares.keys() & b.shares.keys()
    if len(common) < 2 or a.group != b.group:
        return None
    for c in common:
        if not any(abs(x - y) <= _SAME_SHARE for x in a.shares[c] for y in b.shares[c]):
            return "conflict"
    return "agree"


def keys(s: Standing) -> list[tuple[str, str]]:
    """Blocking keys: every pair of candidates a claim gives shares to."""
    names = sorted(s.shares)
    return [(x, y) for i, x in enumerate(names) for y in names[i + 1 :]]
