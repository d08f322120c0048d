"""The attribution finder's view of one document, built once and never changed: its tokens,
sentences and quotations, the lexicon, and which tokens are cues.

Every step of the finder is a function of a `Passage` and token indexes, so a step can be read,
tested and reordered without tracking what an earlier step left behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from broadsheet.extract.claims._text import Quote, TextView, Token
from broadsheet.extract.claims.lexicon import Lexicon

TokenSpan = tuple[int, int]  # token indexes [a, b)

PUNCT_END = frozenset({".", "!", "?", ";", "…"})
DASHES = frozenset({"―", "—", "–", "-"})


@dataclass(frozen=True)
class Attribution:
    """One attributed claim as the extractor read it, before claimant and modality analysis.

    ``content`` is a character span; ``source`` and ``cue`` are character spans or None.
    ``pattern`` names the reading (a key of the lexicon's confidence table).
    """

    content: tuple[int, int]
    kind: str
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    cue_lemma: str | None
    cue_class: str | None
    pattern: str
    ambiguous_cue: bool = False
    source_borrowed: bool = False  # the speaker was taken from an adjacent sentence


@dataclass(frozen=True)
class Cue:
    """A token (with its particle, if any) read as attributing content."""

    start: int  # token index of the cue's first token
    end: int  # token index after the cue (particle included)
    lemma: str
    cls: str
    ambiguous: bool
    passive: bool = False
    quote_only: bool = False  # weak evidence: a cue only next to a quotation


@dataclass(frozen=True, eq=False)
class Passage:
    view: TextView
    lex: Lexicon
    text: str
    toks: tuple[Token, ...]
    cue_at: Mapping[int, Cue] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, view: TextView, lex: Lexicon) -> Passage:
        """A passage whose cues are not known yet (cue detection works on this one)."""
        return cls(view, lex, view.text, tuple(view.tokens))

    def with_cues(self, cues: list[Cue]) -> Passage:
        return Passage(self.view, self.lex, self.text, self.toks, MappingProxyType({c.start: c for c in cues}))

    def sentence_of(self, i: int) -> int:
        return self.view.sentence_of(i)

    def same_sentence(self, i: int, j: int) -> bool:
        return self.view.sentence_of(i) == self.view.sentence_of(j)

    def quote_at(self, char: int) -> Quote | None:
        return self.view.quote_containing(char)

    def chars(self, span: TokenSpan | None) -> tuple[int, int] | None:
        if span is None:
            return None
        a, b = span
        return self.toks[a].start, self.toks[b - 1].end


def bounds(p: Passage, i: int) -> TokenSpan:
    """Token bounds a reported claim around token ``i`` must stay in: its sentence, and the
    quotation it sits in, if any."""
    v = p.view
    lo, hi = v.sentences[v.sentence_of(i)]
    q = v.quote_containing(p.toks[i].start)
    if q is not None:
        lo = max(lo, v.token_at(q.start))
        hi = min(hi, v.token_at(q.end))
    return lo, hi


def sentence_lo(p: Passage, i: int) -> int:
    return bounds(p, i)[0]


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and stray punctuation from both ends; keep a closing quote mark whose
    opening mark is inside the content, so that a partly quoted claim stays balanced."""
    while start < end and (text[start].isspace() or text[start] in "\"“”'‘’,:;—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '"“”,:;—–-'):
        ch = text[end - 1]
        if ch == "”" and text.count("“", start, end) > text.count("”", start, end - 1):
            break
        if ch == '"' and text.count('"', start, end) % 2 == 0:
            break
        end -= 1
    return start, end


def trim_quote_content(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
