"""Mentions whose type the article contradicts: re-typed or dropped before they are merged, with
the reason kept (rule 0 of :mod:`broadsheet.entities.canonical`).

The tagger reads a name from a few words around it; some of its person mentions are plainly no
person once the whole article and the name's own words are looked at. Each rule is a general
pattern, never a listed name:

* **A role word alone** ("President", "Minister", "Gen."): a person mention made only of
  titles and offices (``names.yaml``) names nobody: dropped.
* **A group word** ("Shiite", "Muslims", "Americans"): a person mention every word of which is
  a nationality, religion or party word (``labels.yaml``) is NORP; a religion's own name
  ("Islam", "Christianity"; ``names.yaml``) is MISC, as the annotated corpora type it.
* **An organization's head word** ("... Institute", "... Agency", "... Party"): a person
  mention of two or more words ending in a word that, in the annotated training corpora, ends
  an organization's name and never a person's (``names.yaml`` lists the words with their
  counts) is ORG.
* **A country** ("Peru wants a deal", read as a person): a one-word person mention the gazetteer knows as a
  country is GPE when the article makes it a person more than once (a systematic misreading,
  not a nickname: a lone "America" can be Captain America) and names no person in full with
  that word in the name ("Michael Jordan" makes "Jordan" his surname).
* **Initials** ("(Frs)" after "Freedonia Revenue Service"): a one-word person mention
  that spells the initials of an organization named in the same article is that organization.
* **An acronym** ("XQP's leader", "said the ZNA"): a one-word person mention of two to six
  capitals, in a line of mixed-case text, is ORG. In the training corpora such one-word names
  are organizations 1,192 times, places 720, other names 185 and people 41 (initials such as
  "FDR"); on the dev sets the rule re-types 27 mentions, 16 of them gold organizations and 2
  gold people.
* **A common word** ("Role:" as a label, "Enjoy!" at a line's start): a one-word person mention that the
  article also writes in lower case, as a word of its prose, and that is no part of a person's
  full name there, is a capitalised common word: dropped. On the dev sets it drops 9 mentions,
  8 of them no gold name.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from broadsheet.entities.gazetteer import country_code
from broadsheet.entities.labels import is_norp
from broadsheet.entities.names import MentionLike, _names_file, acronym_of, fold, is_title, name_tokens


@dataclass(frozen=True, slots=True)
class Vetted:
    """A mention as the canonicalizer reads it after vetting: its span, text and decided type."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Decision:
    """What vetting did to one mention: ``label`` is its new type, or None when it was dropped."""

    start: int
    end: int
    text: str
    was: str
    label: str | None
    reason: str


@functools.cache
def _organization_words() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in _names_file()["organization_words"])


@functools.cache
def _religions() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in _names_file()["religions"])


_ACRONYM = re.compile(r"[A-Z]{2,6}")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


def vet(mentions: Sequence[MentionLike], text: str | None = None) -> tuple[list[Vetted], list[Decision]]:
    """One article's mentions with contradicted types re-typed and role words dropped, and a
    decision with its reason for each mention changed (rules in the module docstring).

    ``text`` is the article's text, for the rule on common words (skipped without it)."""
    common = set(_LOWER_WORD.findall(text)) if text else set()
    people = [name_tokens(m.text, m.label) for m in mentions if m.label == "PERSON"]
    repeated = Counter(fold(tokens[0]) for tokens in people if len(tokens) == 1)
    full_name_words = {fold(w) for tokens in people if len(tokens) > 1 for w in tokens}
    org_initials = {acronym_of(name_tokens(m.text, m.label)) for m in mentions if m.label == "ORG"}
    org_initials.discard("")
    kept: list[Vetted] = []
    decisions: list[Decision] = []
    for m in mentions:
        label, reason = m.label, ""
        if m.label == "PERSON":
            label, reason = _person(m, full_name_words, org_initials, repeated)
            word = m.text.strip()
            if label == "PERSON" and " " not in word and word.lower() in common and fold(word) not in full_name_words:
                label, reason = None, f"a common word of the article ({word.lower()} in lower case there), not a name"
            elif label == "PERSON" and text and _ACRONYM.fullmatch(word) and _in_mixed_case(text, m.start, m.end):
                label, reason = "ORG", "an acronym in mixed-case text: an organization's, far more often than a person's"
        if label != m.label:
            decisions.append(Decision(m.start, m.end, m.text, m.label, label, reason))
        if label is not None:
            kept.append(Vetted(m.start, m.end, m.text, label))
    return kept, decisions


def _in_mixed_case(text: str, start: int, end: int) -> bool:
    """Whether the line around a span is mixed-case prose (a third of its letters lower case),
    not a headline or a shouted line where every word is in capitals."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    letters = [c for c in text[line_start : line_end if line_end >= 0 else len(text)] if c.isalpha()]
    return sum(c.islower() for c in letters) * 3 > len(letters)


def _person(m: MentionLike, full_name_words: set[str], org_initials: set[str], repeated: Counter[str]) -> tuple[str | None, str]:
    words = [w for w in m.text.replace("\u2019", "'").split() if w.strip(".,;:'\"")]
    if words and all(is_title(w) for w in words):
        return None, "a role word, not a name"
    tokens = name_tokens(m.text, m.label)
    folded = [fold(t) for t in tokens]
    if tokens and is_norp(list(tokens)):
        return "NORP", "a nationality, religious or political group, not a person"
    if folded and " ".join(folded) in _religions():
        return "MISC", "a religion, not a person"
    if len(tokens) > 1 and folded[-1] in _organization_words():
        return "ORG", f"ends in an organization's word ({tokens[-1]}), not a person's name"
    if len(tokens) == 1:
        if repeated[folded[0]] > 1 and folded[0] not in full_name_words and country_code(list(tokens)):
            return "GPE", "a country, and no person of the article has it in their name"
        if tokens[0].upper().replace(".", "") in org_initials and len(folded[0]) >= 2:
            return "ORG", "the initials of an organization named in the same article"
    return "PERSON", ""
