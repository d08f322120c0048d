"""Attributed claims: direct quotations and reported speech, each with its cue, source and content.

Works on a `TextView` with the `Lexicon`; returns `Attribution` records of token-level decisions,
which the package's `extract_claims` turns into `Claim`s (claimant kinds, antecedents, modality).
No parser is available offline, so the grammar here is the shallow grammar of news attribution:

- ``"...," X said.`` / ``"...," said X.`` / ``X said: "..."`` (direct quotes; the quote is the content)
- ``X said (that) ...`` (content after the cue, to the end of the sentence)
- ``..., X said.`` / ``..., said X.`` / ``..., X said, ...`` (content before the cue)
- ``according to X, ...`` / ``..., according to X.``
- ``X's claim that ...`` (content nouns), ``it is believed that ...``, ``reportedly`` (no source)

The readings run in a fixed order over one immutable `Passage`: quotations first (their cues are
then taken), then each cue verb, the fixed phrases, and last the quotes that borrow a speaker
from the attributions before them. What one reading needs from the earlier ones (the
attributions found, the cue tokens used) is passed to it explicitly.
"""

from __future__ import annotations

from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.continuation import standalone_quotes
from broadsheet.extract.claims.cue_detection import find_cues
from broadsheet.extract.claims.cue_model import CueModel
from broadsheet.extract.claims.frames import according_to, content_nouns, cut_at_turns, headline_colons, sourceless_adverbs
from broadsheet.extract.claims.lexicon import Lexicon
from broadsheet.extract.claims.passage import Attribution, Passage
from broadsheet.extract.claims.quotes import direct_quotes
from broadsheet.extract.claims.speech_verbs import reported_speech

__all__ = ["Attribution", "find_attributions"]


def find_attributions(view: TextView, lex: Lexicon, cue_model: CueModel | None = None) -> tuple[list[Attribution], set[int]]:
    """All direct quotations and reported-speech claims of the text, in no particular order, and
    the token indexes read as cues (whether or not they yielded a claim).

    With a cue model, its probabilities decide which tokens are cues; without one, the lexicon's
    hand-written context rules do.
    """
    base = Passage.of(view, lex)
    cues = find_cues(base, cue_model)
    p = base.with_cues(cues)
    quotes = direct_quotes(p)
    attrs, used = quotes.attributions, quotes.used
    for cue in cues:
        # Attributions inside a quotation ("I think ...") belong to the quoted speech, which is
        # already the claim.
        if cue.start in used or cue.quote_only or p.quote_at(p.toks[cue.start].start) is not None:
            continue
        attr = reported_speech(p, cue, attrs)
        if attr is not None:
            attrs, used = (*attrs, attr), used | {cue.start}
    for found in (according_to(p, used), content_nouns(p), sourceless_adverbs(p)):
        # As for the verbs: a frame inside a quotation ('"... the claim that ...," she said') is
        # the quoted speaker's: in the training articles outside the sample, 33 such rows fewer
        # cost one matched annotation.
        found = [(a, k) for a, k in found if p.quote_at(p.toks[k].start) is None]
        attrs, used = (*attrs, *(a for a, _ in found)), used | {k for _, k in found}
    attrs, found = headline_colons(p, attrs)
    attrs, used = (*attrs, *(a for a, _ in found)), used | {k for _, k in found}
    attrs = cut_at_turns(p, standalone_quotes(p, quotes.standalone, attrs, used))
    # Every token read as a likely cue, even one trusted only next to a quotation: a sentence that
    # holds one may be someone else's, and is then no authorial assertion.
    return list(attrs), {c.start for c in cues}
