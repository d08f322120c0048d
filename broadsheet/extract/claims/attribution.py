"""Attributed claims: direct quotations and reported speech, each with its cue, source and content.

Works on a `TextView` with the `Lexicon`; returns `Attribution` records of token-level decisions,
which the package's `extract_claims` turns into `Claim`s (claimant kinds, antecedents, modality).
No parser is available offline, so the grammar here is the shallow grammar of news attribution:

- ``"...," X said.`` / ``"...," said X.`` / ``X said: "..."`` (direct quotes; the quote is the content)
- ``X said (that) ...`` (content after the cue, to the end of the sentence)
- ``..., X said.`` / ``..., said X.`` / ``..., X said, ...`` (content before the cue)
- ``according to X, ...`` / ``..., according to X.``
- ``X's claim that ...`` (content nouns), ``it is believed that ...``, ``reportedly`` (no source)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from broadsheet.extract.claims._text import (
    CLOSE_DOUBLE,
    OPEN_DOUBLE,
    QUOTE_MARKS,
    Quote,
    TextView,
    Token,
    is_abbreviation_stop,
)
from broadsheet.extract.claims.claimants import is_name_token
from broadsheet.extract.claims.cue_model import CueModel
from broadsheet.extract.claims.lexicon import Lexicon

TokenSpan = tuple[int, int]  # token indexes [a, b)

_PUNCT_END = {".", "!", "?", ";", "…"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
_DASHES = frozenset({"―", "—", "–", "-"})
_STANDALONE_LOOKBACK = 4  # sentences
_CLAUSE_WORDS = frozenset("that if whether because when while although though since unless to".split())
_FINITE_BE_HAVE = frozenset("is was are were has have had will would can could may might must should does did do".split())
_NON_CUE_WORDS = frozenset(
    "in on at of for to by from with about into over after before during the a an and or but as that "
    "this these those it he she they we i you is was are were be been has have had".split()
)
_ADJUNCT_PREPS = frozenset(
    "in on at during after before since by for from with without under over through throughout across "
    "among amid despite following like unlike about against into toward towards upon within via "
    "outside inside".split()
)
# Verbs whose first object is the addressee, not the content ("told reporters that ...").
_ADDRESSEE_VERBS = frozenset("tell inform assure reassure remind warn ask advise".split())
# Labels that a colon follows in news pages without anyone speaking ("Editor's Note:", "The Latest:").
_COLON_LABELS = frozenset(
    """update updates watch read photos photo video editor note breaking exclusive analysis opinion related
    source sources by question answer q correction corrections clarification name age remember the latest
    notice paid notice poll results transcript""".split()
) | {"the latest", "paid notice", "editor's note", "editor’s note"}
_SUBORDINATORS = frozenset("when whenever after before as while because although though since once until if unless".split())
_INTRO_PARTICIPLES = frozenset("asked pressed questioned reached contacted interviewed challenged".split())
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight morning "
    "afternoon evening night week month year weekend earlier later".split()
)


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
    partial: bool = False  # a quoted part of a reported-speech claim, restating its attribution


@dataclass(frozen=True)
class _QuoteInfo:
    a: int  # first token inside the quotation
    b: int  # first token after its words (the closing mark, if any)
    n_words: int
    fragment: bool
    found: "tuple[_Cue, TokenSpan | None] | None"
    where: str


@dataclass(frozen=True)
class _Cue:
    start: int  # token index of the cue's first token
    end: int  # token index after the cue (particle included)
    lemma: str
    cls: str
    ambiguous: bool
    passive: bool = False
    quote_only: bool = False  # weak evidence: a cue only next to a quotation


def find_attributions(
    view: TextView, lex: Lexicon, cue_model: CueModel | None = None
) -> tuple[list[Attribution], set[int]]:
    """All direct quotations and reported-speech claims of the text, in no particular order, and
    the token indexes read as cues (whether or not they yielded a claim).

    With a cue model, its probabilities decide which tokens are cues; without one, the lexicon's
    hand-written context rules do.
    """
    finder = _Finder(view, lex, cue_model)
    attributions = finder.run()
    return attributions, {c.start for c in finder.cue_at.values() if not c.quote_only}


class _Finder:
    def __init__(self, view: TextView, lex: Lexicon, cue_model: CueModel | None = None) -> None:
        self.v = view
        self.lex = lex
        self.model = cue_model
        self.toks: list[Token] = view.tokens
        self.used_cues: set[int] = set()
        self.cue_at: dict[int, _Cue] = {}
        self.partial_quotes: list[Quote] = []
        self.standalone: list[tuple[Quote, _QuoteInfo]] = []
        self.out: list[Attribution] = []

    # ------------------------------------------------------------------ driver
    def run(self) -> list[Attribution]:
        cues = self._find_cues()
        self.cue_at = {c.start: c for c in cues}
        self._direct_quotes()
        for cue in cues:
            # Attributions inside a quotation ("I think ...") belong to the quoted speech, which is
            # already the claim.
            if cue.start not in self.used_cues and not cue.quote_only and self.v.quote_containing(self.toks[cue.start].start) is None:
                self._reported(cue)
        self._according_to()
        self._content_nouns()
        self._sourceless_adverbs()
        self._headline_colons()
        self._standalone_quotes()
        self._partial_quotes()
        return self.out

    # ------------------------------------------------------------------ cue detection
    def _find_cues(self) -> list[_Cue]:
        if self.model is not None:
            return self._model_cues(self.model)
        return self._lexicon_cues()

    def _model_cues(self, model: CueModel) -> list[_Cue]:
        toks, lex = self.toks, self.lex
        cues: list[_Cue] = []
        for i, p in sorted(model.scores(self.v, lex).items()):
            if p < model.quote_threshold:
                continue
            tok = toks[i]
            w = tok.lower
            if w == "according" or w in _NON_CUE_WORDS or not tok.text[:1].isalpha():
                continue  # "according to" has its own reading; function words only join other cues
            lemma, cls = lex.verb_forms.get(w, (w, "learned"))
            end = i + 1
            if w in lex.particle_cues and end < len(toks) and toks[end].lower in lex.particle_cues[w][1]:
                lemma = lex.particle_cues[w][0]
                end += 1
            passive = self._is_passive(i)
            cues.append(_Cue(i, end, lemma, cls, ambiguous=p < 0.5, passive=passive, quote_only=p < model.threshold))
        return cues

    def _lexicon_cues(self) -> list[_Cue]:
        toks, lex = self.toks, self.lex
        cues: list[_Cue] = []
        for i, tok in enumerate(toks):
            w = tok.lower
            if w in lex.particle_cues:
                lemma, particles = lex.particle_cues[w]
                if i + 1 < len(toks) and toks[i + 1].lower in particles and self._verb_context(i):
                    cues.append(_Cue(i, i + 2, lemma, "speech", ambiguous=False))
                    continue
                if lemma == "call" and w not in lex.verb_forms and self._verb_context(i, strict=True):
                    if i + 1 < len(toks) and (toks[i + 1].lower in lex.object_pronouns or toks[i + 1].text[:1].isupper()
                                              or toks[i + 1].lower in lex.determiners):
                        cues.append(_Cue(i, i + 1, "call", "speech", ambiguous=True))
                    continue
            entry = lex.verb_forms.get(w)
            if entry is None:
                continue
            lemma, cls = entry
            if tok.text[:1].isupper() and i > 0 and self.v.sentence_of(i - 1) == self.v.sentence_of(i) and toks[i - 1].text not in QUOTE_MARKS:
                continue  # a capitalised cue word inside a sentence is a name or a title ("Post")
            ambiguous = w in lex.noun_verb_ambiguous
            if ambiguous and not self._verb_context(i):
                continue
            required = lex.needs_complement.get(lemma)
            if required is not None:
                k = i + 1
                while k < len(toks) and toks[k].lower in lex.adverbs_between:
                    k += 1
                if k >= len(toks) or toks[k].lower not in required:
                    continue
            passive = self._after_be(i)
            if passive and w not in lex.impersonal_passive and lemma not in {"ask", "quote"}:
                continue
            cues.append(_Cue(i, i + 1, lemma, cls, ambiguous=ambiguous, passive=passive))
        return cues

    def _is_passive(self, i: int) -> bool:
        """A participle read as passive: "it is believed", "was asked about", "when asked",
        "Sanders, written off as ...", and the source-less "seems"/"appears"."""
        toks, lex = self.toks, self.lex
        w = toks[i].lower
        if w.startswith(("seem", "appear")):
            return True
        participle = w in lex.impersonal_passive or (w.endswith(("ed", "en")) and w not in {"happen", "listen"}) or w in {
            "told", "written", "shown", "known", "said", "thought", "seen", "heard", "taken", "given"}
        if not participle:
            return False
        if self._after_be(i):
            return True
        prev = toks[i - 1].lower if i > 0 and self.v.sentence_of(i - 1) == self.v.sentence_of(i) else ""
        return prev in {"when", "if", "once", "after", "before", "while", "as", "unless", "until", "widely", "long"}

    def _after_be(self, i: int) -> bool:
        k = i - 1
        while k >= 0 and self.toks[k].lower in {"not", "also", "widely", "generally", "long", "now", "still", "being"}:
            k -= 1
        return k >= 0 and self.toks[k].lower in {"is", "was", "are", "were", "be", "been", "being", "'s", "’s"}

    def _verb_context(self, i: int, strict: bool = False) -> bool:
        """Whether the token at ``i`` reads as a verb from what precedes it.

        After a determiner or possessive it is a noun ("his support", "the show"); after a subject
        pronoun, an auxiliary, "to" or a name it is a verb. ``strict`` also rejects nouns before it.
        """
        toks, lex = self.toks, self.lex
        k = i - 1
        while k >= 0 and toks[k].lower in {"also", "later", "then", "now", "still", "even", "just", "already",
                                           "never", "always", "often", "once", "again", "repeatedly",
                                           "publicly", "recently", "previously", "reportedly"}:
            k -= 1
        if k < 0 or self.v.sentence_of(k) != self.v.sentence_of(i):
            return False
        prev = toks[k]
        p = prev.lower
        if p in {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those",
                 "no", "any", "every", "each", "such", "whose", "of", "for", "in", "on", "with", "without",
                 "by", "from", "at", "about", "against", "into", "among", "tv", "public", "new", "broad",
                 "strong", "widespread", "popular", "grassroots", "financial", "military", "political"}:
            return False
        if p.endswith(("'s", "’s")) and p not in {"it's", "it’s", "he's", "he’s", "she's", "she’s", "that's", "that’s"}:
            return False
        if p in lex.subject_pronouns or p in {"to", "will", "would", "can", "could", "may", "might", "must",
                                              "should", "did", "does", "do", "not", "has", "have", "had",
                                              "who", "which"} or p.endswith(("n't", "n’t")):
            return True
        if prev.text[:1].isupper():
            return True
        if prev.text in {",", "—", "–"}:
            return not strict
        if strict:
            return False
        # A plural or collective noun subject ("voters support", "officials plan").
        return p.endswith("s") and len(p) > 3 and p not in {"is", "was", "has", "does", "this", "its"}

    # ------------------------------------------------------------------ direct quotes
    def _direct_quotes(self) -> None:
        v, toks, text = self.v, self.toks, self.v.text
        quotes = v.quotes
        info: list[_QuoteInfo] = []
        for q in quotes:
            a, b = v.token_at(q.start), v.token_at(q.end)  # b: first token at or after the words' end
            n_words = sum(1 for k in range(a, b) if toks[k].text[:1].isalnum())
            fragment = self._is_fragment(a - 1) or self._continues_after(q, b)
            found: tuple[_Cue, TokenSpan | None] | None = None
            where = ""
            if n_words and not fragment:
                if q.close is not None:
                    found, where = self._dash_attribution(b), "after"
                    if found is None:
                        found, where = self._quote_cue_after(b, q), "after"
                if found is None:
                    found, where = self._quote_cue_before(a - 1), "before"
                # A speech verb the cue model did not pick is trusted only with a speaker.
                if found is not None and found[1] is None and found[0].start not in self.cue_at and not found[0].passive:
                    found = None
            info.append(_QuoteInfo(a, b, n_words, fragment, found, where))
        qi = 0
        while qi < len(quotes):
            q, qinfo = quotes[qi], info[qi]
            if qinfo.n_words == 0:
                qi += 1
                continue
            if qinfo.fragment:
                if qinfo.n_words >= 3:
                    self.partial_quotes.append(q)
                qi += 1
                continue
            if qinfo.found is not None:
                cue, source = qinfo.found
                if qinfo.n_words <= 2 and not self._short_quote_ok(q):
                    qi += 1
                    continue
                self.used_cues.add(cue.start)
                end = q.end
                last = max(cue.end, source[1] if source else 0) - 1  # last token of the attribution
                j = qi + 1
                if qinfo.where == "after":
                    # "A," she said, "B."  -- one statement interrupted by its attribution.
                    same_cue = j < len(quotes) and (info[j].found is None or info[j].found[0].start == cue.start)
                    if same_cue and info[j].n_words and last + 2 < len(toks) \
                            and toks[last + 1].text == "," and toks[last + 2].start == quotes[j].open:
                        end, last, j = quotes[j].end, info[j].b, j + 1
                    # "A," she said. "B."  -- the quote goes on in the next sentence (PolNeAR keeps it
                    # one relation); only within the paragraph and only without an attribution of its own.
                    while j < len(quotes) and info[j].found is None and info[j].n_words and not info[j].fragment \
                            and last < len(toks):
                        s_next = v.sentence_of(min(last, len(toks) - 1)) + 1
                        if s_next >= len(v.sentences) or v.sentences[s_next][0] != info[j].a - 1 \
                                or "\n" in text[toks[last].end : quotes[j].open]:
                            break
                        end, last, j = quotes[j].end, min(info[j].b, len(toks) - 1), j + 1
                attr = Attribution(
                    content=_trim_quote_content(text, q.start, end),
                    kind="direct_quote",
                    source=self._chars(source),
                    cue=self._chars((cue.start, cue.end)),
                    cue_lemma=cue.lemma,
                    cue_class=cue.cls,
                    pattern="direct_quote_with_cue",
                    ambiguous_cue=cue.ambiguous,
                )
                self.out.append(attr)
                qi = j
                continue
            if qinfo.n_words <= 2:
                qi += 1
                continue
            # Speaker decided once every attribution is known (see `_standalone_quotes`).
            self.standalone.append((q, qinfo))
            qi += 1

    def _standalone_quotes(self) -> None:
        """Quotes without a cue of their own. The news convention: a quote standing alone continues
        the speaker of the attribution just before it (in the same paragraph, or ending the one
        before); in the very next sentence of the same paragraph it also shares that cue."""
        v, toks, text = self.v, self.toks, self.v.text
        candidates = [a for a in self.out if a.source is not None and a.cue is not None]
        # An attribution nested in another's content ("X said Y was mentioning Z") speaks for no quote;
        # two that hold each other's cue ("She argued that ..., she said") are one sentence's
        # attribution, and both stay.
        attributed = sorted((a for a in candidates if not any(
            o is not a and o.content[0] <= a.cue[0] < o.content[1] and not a.content[0] <= o.cue[0] < a.content[1]
            for o in candidates)), key=lambda a: a.cue[0])
        cue_starts = [a.cue[0] for a in attributed]
        resolved: list[tuple[int, Attribution]] = []  # (sentence, attribution) of quotes already placed
        for q, qinfo in self.standalone:
            sent = v.sentence_of(qinfo.a)
            best: Attribution | None = None
            best_sent = -10
            i = bisect.bisect_left(cue_starts, q.open) - 1
            if i >= 0:
                best = attributed[i]
                # The attribution's last sentence: its cue's, or its quote's when that runs on.
                last_char = max(best.cue[1], best.content[1]) if best.content[1] <= q.open else best.cue[1]
                best_sent = v.sentence_of(min(v.token_at(last_char) - 1, len(toks) - 1))
            for r_sent, r in resolved:
                if r_sent >= best_sent and r.content[1] <= q.open:
                    best, best_sent = r, r_sent
            announced = self._announcing_sentence(qinfo.a - 1)
            if announced is not None and announced[0] >= best_sent:
                best_sent, best = announced
            source = cue = None
            pattern = "direct_quote_no_speaker"
            lemma = cls = None
            if best is not None and 0 <= sent - best_sent <= _STANDALONE_LOOKBACK:
                end = best.cue[1] if best.cue else best.content[1]
                if best.content[1] <= q.open:
                    end = max(end, best.content[1])
                between = text[end : q.open]
                # Same paragraph, or the paragraph right before; never across a paragraph of its own.
                if len(_PARAGRAPH_BREAK.findall(between)) <= 1:
                    source = best.source
                    pattern = "direct_quote_adjacent_speaker"
                    if sent - best_sent == 1 and "\n" not in between:
                        cue, lemma, cls = best.cue, best.cue_lemma, best.cue_class
                    named = self._quoted_speaker_before(best, q)
                    if named is not None:
                        source, cue, lemma, cls = named.source, None, None, None
            attr = Attribution(
                content=_trim_quote_content(text, q.start, q.end),
                kind="direct_quote",
                source=source,
                cue=cue,
                cue_lemma=lemma,
                cue_class=cls,
                pattern=pattern,
                source_borrowed=source is not None,
            )
            self.out.append(attr)
            if source is not None:
                resolved.append((v.sentence_of(min(max(qinfo.b - 1, qinfo.a), len(toks) - 1)), attr))

    def _quoted_speaker_before(self, best: Attribution, q: Quote) -> Attribution | None:
        """A quote that resumes after a narrative sentence about its speaker ('"A," Lopez said.
        She did not mention the budget. "B."') continues the earlier quote: its speaker is that
        quote's named speaker, not the pronoun of the sentence between. Only within a paragraph,
        and only when the sentence between is not itself a quotation."""
        text = self.v.text
        if best.kind == "direct_quote" or best.source is None:
            return None
        words = text[best.source[0] : best.source[1]].lower()
        if words not in self.lex.person_pronouns and words not in self.lex.group_pronouns:
            return None
        earlier = [a for a in self.out if a.kind == "direct_quote" and a.source is not None
                   and a.content[1] <= best.source[0] and not a.partial]
        if not earlier:
            return None
        prev = max(earlier, key=lambda a: a.content[1])
        if "\n" in text[prev.content[1] : q.open] or self.v.quote_containing(best.cue[0]) is not None:
            return None
        name = text[prev.source[0] : prev.source[1]]
        if name.lower() in self.lex.person_pronouns or name.lower() in self.lex.group_pronouns:
            return None
        return prev

    def _announcing_sentence(self, open_tok: int) -> tuple[int, Attribution] | None:
        """The sentence just before a standalone quote when it is only an attribution with no
        content of its own ("Iowa State University's Dianne Bystrom agreed."), as an attribution."""
        v, toks = self.v, self.toks
        if open_tok <= 0:
            return None
        s = v.sentence_of(open_tok - 1)
        if s == v.sentence_of(open_tok) or "\n\n" in v.text[toks[open_tok - 1].end : toks[open_tok].start]:
            return None
        a, b = v.sentences[s]
        while b > a and toks[b - 1].text in _PUNCT_END | {":"} | QUOTE_MARKS:
            b -= 1
        for k in range(b - 1, a - 1, -1):
            cue = self._cue_token(k)
            if cue is None or k in self.used_cues:
                continue
            if not self._only_trailing_adjuncts(cue.end, b):
                return None
            subject = self._subject_before(k, a)
            if subject is None or subject[0] != self._clause_start(a):
                return None
            attr = Attribution(content=(toks[open_tok].start, toks[open_tok].start), kind="direct_quote",
                               source=self._chars(subject), cue=self._chars((cue.start, cue.end)),
                               cue_lemma=cue.lemma, cue_class=cue.cls, pattern="direct_quote_adjacent_speaker")
            return s, attr
        return None

    def _partial_quotes(self) -> None:
        """A quotation of three words or more inside reported speech ("the Pentagon said he
        'approved the attacks'") is also a direct quote of the same speaker, with the same cue."""
        for q in self.partial_quotes:
            holders = [a for a in self.out if a.kind == "reported_speech" and a.source is not None
                       and a.content[0] <= q.start and q.end <= a.content[1] + 1]
            if not holders:
                continue
            holder = min(holders, key=lambda a: a.content[1] - a.content[0])
            start, end = _trim_quote_content(self.v.text, q.start, q.end)
            self.out.append(
                Attribution(
                    content=(start, end),
                    kind="direct_quote",
                    source=holder.source,
                    cue=holder.cue,
                    cue_lemma=holder.cue_lemma,
                    cue_class=holder.cue_class,
                    pattern="direct_quote_partial",
                    ambiguous_cue=holder.ambiguous_cue,
                    partial=True,
                )
            )

    def _short_quote_ok(self, q: Quote) -> bool:
        """A quote of one or two words is a claim only when it is a complete utterance ("No," he said)."""
        inner = self.v.text[q.start : q.end].rstrip()
        return bool(inner) and inner[-1] in ",.!?" and inner[:1].isupper()

    def _is_fragment(self, open_tok: int) -> bool:
        """Whether a quotation sits inside a sentence's grammar (``called it "a disaster"``)."""
        if open_tok <= 0:
            return False
        prev = self.toks[open_tok - 1]
        if self.v.sentence_of(open_tok - 1) != self.v.sentence_of(open_tok):
            return False
        return prev.text not in {":", ",", "—", "–", "(", "-"} and prev.text not in QUOTE_MARKS and prev.text not in _PUNCT_END

    def _continues_after(self, q: Quote, close_tok: int) -> bool:
        """Whether the sentence goes on after a quotation that did not end an utterance
        (``"a first step" toward peace, she said``): no comma or stop inside the marks, and a
        lower-case word after them that is neither a speaker nor a cue."""
        toks, lex = self.toks, self.lex
        if q.close is None:
            return False
        inner = self.v.text[q.start : q.end].rstrip()
        if not inner or inner[-1] in ",.!?…—–-:;":
            return False
        k = close_tok + 1
        if k >= len(toks) or self.v.sentence_of(k) != self.v.sentence_of(close_tok):
            return False
        nxt = toks[k]
        return nxt.text[:1].islower() and nxt.lower not in {"he", "she", "they", "i", "we", "you", "it", "who"} \
            and nxt.lower not in lex.determiners and k not in self.cue_at and nxt.lower != "according"

    def _quote_cue_after(self, close_tok: int, q: Quote) -> tuple[_Cue, TokenSpan | None] | None:
        """``"...," X said`` / ``"...," said X`` / ``"..." according to X`` after a closing mark."""
        toks, lex = self.toks, self.lex
        k = close_tok + 1
        if k < len(toks) and toks[k].text in {",", "—", "–"}:
            k += 1
        if k >= len(toks) or "\n" in self.v.text[toks[close_tok].end : toks[k].start]:
            return None
        start = k
        # An appositive may stand between the speaker and the verb ("X, who served as ..., told").
        limit = min(len(toks), start + 30)
        while k < limit:
            tok = toks[k]
            if (tok.text in _PUNCT_END and not is_abbreviation_stop(toks, k)) or tok.text in QUOTE_MARKS or tok.text in {";", ":"}:
                return None
            if tok.lower == "according" and k + 1 < len(toks) and toks[k + 1].lower == "to":
                src = self._np_forward(k + 2)
                return _Cue(k, k + 2, "according to", "speech", False), src
            cue = self._cue_token(k)
            if cue is not None:
                # A new sentence after the quote ('"...." He added, "..."') attributes it only when
                # it is nothing but the attribution ('"...?" Bozell answers.').
                new_sentence = self.v.sentence_of(k) != self.v.sentence_of(close_tok)
                s_end = self.v.sentences[self.v.sentence_of(k)][1]
                if k == start:
                    if tok.lower.endswith("ing"):
                        # '"...," adding that ...': a participle hangs on the clause before the
                        # quote; with content of its own it is that clause's second claim.
                        if self._introduces_more(cue.end, s_end):
                            return None
                        return cue, self._shared_subject(k, self._sentence_lo(k))
                    src = self._np_forward(cue.end)
                    if new_sentence and self._introduces_more(src[1] if src else cue.end, s_end):
                        return None
                    return cue, src
                subj = self._subject_before(k, start)
                if subj is not None and subj[0] == start or (subj is not None and all(
                        toks[m].lower in lex.adverbs_between for m in range(start, subj[0]))):
                    if new_sentence and self._introduces_more(cue.end, s_end):
                        return None
                    return cue, subj
                # "an official who declined to be identified told reporters": the speaker is the noun phrase
                # before "who", and the verb after its relative clause is the cue.
                np = self._np_forward(start)
                if np is not None and np[1] + 1 < k and toks[np[1]].lower in {"who", "that"} and not tok.lower.endswith("ing") \
                        and "," not in {t.text for t in toks[np[1] : k]} and any(
                            toks[m].lower in lex.verb_forms for m in range(np[1] + 1, k)):
                    # The relative clause's own verb ("declined to be identified") attributes nothing.
                    self.used_cues.update(m for m in range(np[1] + 1, k) if m in self.cue_at)
                    return cue, np
                # A cue inside an appositive ("X, who has proposed ..., said"): read on.
            if k - start >= 14 and "," not in {t.text for t in toks[start:k]}:
                return None
            k += 1
        return None

    def _dash_attribution(self, close_tok: int) -> tuple[_Cue, TokenSpan | None] | None:
        """``"..." ― Jane Doe`` or ``"..."`` then a line ``- Jane Doe, a voter in Ohio``: the
        epigraph convention of vox pops, fact checks and pull quotes, where a dash and a name right
        after the closing mark, with nothing else on the line but a description after a comma,
        name the speaker. The dash is the cue."""
        toks, text = self.toks, self.v.text
        k = close_tok + 1
        if k >= len(toks) or toks[k].text not in _DASHES:
            return None
        gap = text[toks[close_tok].end : toks[k].start]
        if gap.count("\n") > 2 or gap.strip():
            return None
        dash = k
        while k < len(toks) and toks[k].text in _DASHES and k - dash < 2:
            k += 1  # "--" is two tokens
        a = k
        while k < len(toks) and k - a < 7 and "\n" not in text[toks[k - 1].end : toks[k].start] and (
                is_name_token(toks[k].text) or is_abbreviation_stop(toks, k)):
            k += 1
        if k == a or toks[a].lower in self.lex.determiners or toks[a].lower in self.lex.subject_pronouns:
            return None
        line_end = text.find("\n", toks[k - 1].end)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[toks[k - 1].end : line_end].strip()
        if rest and rest not in {".", "–", "—", "―"} and not rest.startswith(","):
            return None
        return _Cue(dash, dash + 1, "—", "speech", False), (a, k)

    def _introduces_more(self, j: int, end: int) -> bool:
        """Whether an attribution goes on to introduce content of its own (a colon, "that", a
        quotation), so that it belongs to what follows rather than to a quote before it."""
        toks = self.toks
        for k in range(j, end):
            t = toks[k]
            if t.text == ":" or t.lower in {"that", "whether"} or t.text in QUOTE_MARKS:
                return True
        return False

    def _quote_cue_before(self, open_tok: int) -> tuple[_Cue, TokenSpan | None] | None:
        """``X said: "..."`` / ``X said, "..."`` / ``X told Y that "..."`` before an opening mark."""
        toks = self.toks
        k = open_tok - 1
        if k < 0:
            return None
        if toks[k].text not in {":", ",", "—", "–"} and toks[k].lower != "that":
            return None
        if toks[k].text == ":":
            name = self._name_before_colon(k)
            if name is not None:
                return _Cue(k, k + 1, ":", "speech", False), name
        k -= 1
        # Adjuncts between the cue and the colon: "wrote in a letter on Monday:".
        lo = max(0, k - 10)
        while k >= lo:
            tok = toks[k]
            if tok.text in _PUNCT_END or tok.text in QUOTE_MARKS:
                return None
            cue = self._cue_token(k)
            if cue is None and tok.lower == "to" and k > 0 and toks[k - 1].lower == "according":
                return None  # "according to X, '...'" is read by _according_to
            if cue is None and (tok.lower in _CLAUSE_WORDS or tok.lower in _FINITE_BE_HAVE):
                return None  # a clause between cue and quote: the quote ends reported speech
            if cue is not None:
                if cue.passive:
                    return cue, None
                lo = self._sentence_lo(cue.start)
                subj = self._subject_before(cue.start, lo)
                if subj is None:
                    p = cue.start - 1
                    while p > lo and self._is_adverb(p):
                        p -= 1  # "and repeatedly says, '...'"
                    prev = toks[p] if p >= lo and cue.start > lo else None
                    if prev is None or prev.lower in {"and", "but"} and self._np_forward_ok(cue.end):
                        subj = self._np_forward(cue.end)  # "Said X, '...'"
                    if subj is None and (prev is not None and (prev.text == "," or prev.lower in {"and", "but", "before", "after", "while", "by"})
                                         or toks[cue.start].lower.endswith("ing")):
                        subj = self._shared_subject(cue.start, lo)  # "..., adding: '...'"
                    if subj is None and prev is not None and prev.text == ",":
                        return None
                return cue, subj
            k -= 1
        return None

    def _is_adverb(self, k: int) -> bool:
        t = self.toks[k]
        return t.lower in self.lex.adverbs_between or (t.lower.endswith("ly") and len(t.lower) > 4 and t.text.islower())

    def _name_before_colon(self, colon: int) -> TokenSpan | None:
        """``Pew Research: "..."``, ``- Philip Bump: "..."``: a short name opening its clause, then a colon."""
        toks = self.toks
        a = colon
        if a - 1 >= 0 and toks[a - 1].text == ")":  # "Rep. Trey Gowdy (R-S.C.):"
            m = a - 1
            while m > 0 and toks[m].text != "(" and a - m < 10:
                m -= 1
            if toks[m].text == "(":
                a = m
        while a - 1 >= 0 and colon - (a - 1) <= 8 and self.v.sentence_of(a - 1) == self.v.sentence_of(colon):
            t = toks[a - 1]
            attached = a - 2 >= 0 and toks[a - 2].end == t.start and toks[a - 2].text[:1].isupper()
            if t.text[:1].isupper() or (t.text in {".", "'s", "’s"} and attached):
                a -= 1
                continue
            break
        if a == colon:
            return None
        before = toks[a - 1] if a > 0 else None
        if before is not None and self.v.sentence_of(a - 1) == self.v.sentence_of(colon) and before.text not in {"-", "—", "–"}:
            return None
        return (a, colon)

    def _cue_token(self, k: int) -> _Cue | None:
        """The cue starting at token ``k`` of a quotation's attribution: one that cue detection
        found, or any speech verb of the lexicon, since next to a quotation the position itself
        says that it attributes ('"...," she snapped')."""
        cue = self.cue_at.get(k)
        if cue is not None:
            return cue
        tok = self.toks[k]
        entry = self.lex.verb_forms.get(tok.lower)
        if entry is None or entry[1] != "speech" or tok.lower in self.lex.noun_verb_ambiguous:
            return None
        if tok.text[:1].isupper() and k > 0 and self.v.sentence_of(k - 1) == self.v.sentence_of(k) \
                and self.toks[k - 1].text not in QUOTE_MARKS:
            return None  # a capitalised word inside a sentence is a name or a title
        return _Cue(k, k + 1, entry[0], "speech", ambiguous=True, passive=self._is_passive(k), quote_only=True)

    # ------------------------------------------------------------------ reported speech
    def _reported(self, cue: _Cue) -> None:
        v, toks, lex = self.v, self.toks, self.lex
        lo, hi = self._bounds(cue.start)
        if cue.passive:
            # "it is believed that ...", "X is expected to ...", "when asked about ...": no source,
            # unless an agent follows ("was criticized by X").
            content = self._content_after(cue, hi)
            agent = None
            if content is not None:
                by = next((m for m in range(content[0], min(content[1], content[0] + 8)) if toks[m].lower == "by"), None)
                if by is not None and self._np_forward_ok(by + 1):
                    agent = self._np_forward(by + 1)
                self._emit(content, agent, cue, "reported_sourceless" if agent is None else "reported_content_after_cue")
            return
        before = cue.start - 1
        while before >= lo and toks[before].lower in lex.adverbs_between:
            before -= 1
        if before > lo and toks[before].text in QUOTE_MARKS and toks[before - 1].text == ",":
            before -= 1  # '"... can do," said X': the comma sits inside the quote marks
        participle = toks[cue.start].lower.endswith("ing")  # "..., referring to X": never an inversion
        if before >= lo and toks[before].text == "," and not participle and self._appositive_subject(before, lo) is None \
                and self._inversion_ok(cue.end, hi):
            # "..., said X." / "..., added the minister, ..."
            source = self._np_forward(cue.end)
            content = self._content_before(before, lo)
            if content is not None:
                self._emit(content, source, cue, "reported_content_before_cue")
            return
        source = self._subject_before(cue.start, lo)
        if source is None:
            # "X said ... but did not suggest ...", "..., noting that ...": the subject of the clause
            # this cue's verb phrase is coordinated with or hangs from.
            if before >= lo and (toks[before].lower in {"and", "but", "yet", "or"} or toks[before].text == ","
                                 or toks[cue.start].lower.endswith("ing")) or before < lo:
                shared = self._shared_subject(cue.start, lo)
                content = self._content_after(cue, hi)
                if content is not None:
                    self._emit(content, shared, cue, "reported_content_after_cue")
            return
        if source[0] > lo and toks[source[0] - 1].text in {",", "—", "–"} or (
                source[0] > lo and toks[source[0] - 1].text in CLOSE_DOUBLE | {'"', "''"}):
            # "..., X said." or "..., X said, ..." (a parenthetical attribution)
            comma = source[0] - 1
            after = self._skip_addressee(cue.end, hi) if cue.lemma in _ADDRESSEE_VERBS else cue.end
            if self._introductory(self._clause_start(lo), comma):
                pass  # "In response, Twitter said ...": the words before the comma are no content
            elif self._only_trailing_adjuncts(after, hi):
                content = self._content_before(comma, lo)
                if content is not None:
                    self._emit(content, source, cue, "reported_content_before_cue")
                    return
            elif cue.end < hi and toks[cue.end].text == "," or self._adjuncts_then_comma(cue.end, hi):
                first = self._content_before(comma, lo)
                rest = self._content_after_comma(cue.end, hi)
                if first is not None and rest is not None:
                    self._emit((first[0], rest[1]), source, cue, "reported_content_before_cue")
                    return
                if first is not None:
                    self._emit(first, source, cue, "reported_content_before_cue")
                    return
        content = self._content_after(cue, hi)
        if content is not None:
            self._emit(content, source, cue, "reported_content_after_cue")

    def _emit(self, content_tokens: TokenSpan, source: TokenSpan | None, cue: _Cue, pattern: str) -> None:
        a, b = content_tokens
        if b <= a:
            return
        start, end = self.toks[a].start, self.toks[b - 1].end
        start, end = _trim_content(self.v.text, start, end)
        if end - start < 2:
            return
        self.used_cues.add(cue.start)
        self.out.append(
            Attribution(
                content=(start, end),
                kind="reported_speech",
                source=self._chars(source),
                cue=self._chars((cue.start, cue.end)),
                cue_lemma=cue.lemma,
                cue_class=cue.cls,
                pattern=pattern,
                ambiguous_cue=cue.ambiguous,
            )
        )

    def _bounds(self, i: int) -> TokenSpan:
        """Token bounds a reported claim around token ``i`` must stay in: its sentence, and the
        quotation it sits in, if any."""
        v = self.v
        s = v.sentence_of(i)
        lo, hi = v.sentences[s]
        q = v.quote_containing(self.toks[i].start)
        if q is not None:
            lo = max(lo, v.token_at(q.start))
            hi = min(hi, v.token_at(q.end))
        return lo, hi

    def _sentence_lo(self, i: int) -> int:
        return self._bounds(i)[0]

    def _only_trailing_adjuncts(self, j: int, hi: int) -> bool:
        """Whether what follows a cue up to the sentence end is only adjuncts ("in a statement")."""
        toks, lex = self.toks, self.lex
        if j >= hi or toks[j].text in _PUNCT_END or toks[j].text in QUOTE_MARKS:
            return True
        first = toks[j].lower
        # An object pronoun ends an attribution only as an addressee ("..., she told him.").
        addressee = first in lex.object_pronouns and (j + 1 >= hi or toks[j + 1].text in _PUNCT_END
                                                       or toks[j + 1].lower in lex.trailing_adjunct_openers)
        if first not in lex.trailing_adjunct_openers and not addressee:
            return False
        for k in range(j, hi):
            t = toks[k]
            if t.lower in {"that", "whether"} or t.text in {":", ";"}:
                return False
            if t.text == ",":
                return False
            if t.lower in lex.verb_forms and t.lower not in lex.noun_verb_ambiguous:
                return False
            if t.lower in _FINITE_BE_HAVE:
                return False
        return k - j < 12

    def _adjuncts_then_comma(self, j: int, hi: int) -> bool:
        toks, lex = self.toks, self.lex
        if j >= hi or toks[j].lower not in lex.trailing_adjunct_openers:
            return False
        for k in range(j, min(hi, j + 10)):
            if toks[k].text == ",":
                return True
            if toks[k].lower in {"that", "whether"} or toks[k].text in _PUNCT_END:
                return False
        return False

    def _content_before(self, comma: int, lo: int) -> TokenSpan | None:
        """The clause before ``..., X said``: from the sentence (or quotation) start to the comma."""
        toks = self.toks
        a = lo
        while a < comma and (toks[a].text in QUOTE_MARKS or toks[a].text in {"—", "–", "-", "("}):
            a += 1
        b = comma
        while b > a and toks[b - 1].text in QUOTE_MARKS | {","}:
            b -= 1
        return (a, b) if b - a >= 1 and toks[a].text[:1].isalnum() else None

    def _content_after_comma(self, j: int, hi: int) -> TokenSpan | None:
        toks = self.toks
        k = j
        while k < hi and toks[k].text != ",":
            k += 1
        k += 1
        return self._to_clause_end(k, hi)

    def _content_after(self, cue: _Cue, hi: int) -> TokenSpan | None:
        """What a cue introduces after it: skip an addressee and adjuncts, then "that" or a colon."""
        toks, lex = self.toks, self.lex
        k = cue.end
        if k < hi and cue.lemma in _ADDRESSEE_VERBS:
            k = self._skip_addressee(k, hi)
        k = self._skip_adjuncts(k, hi)
        if k < hi and toks[k].text in {":", ",", "—", "–"}:
            k += 1
        if k < hi and toks[k].lower in {"that", "as"} and cue.lemma not in lex.object_first:
            k += 1
        return self._to_clause_end(k, hi, clip=True)

    def _shared_subject(self, i: int, lo: int) -> TokenSpan | None:
        """The speaker of the nearest earlier attribution in the same sentence (as token span)."""
        v, toks = self.v, self.toks
        start_char = toks[lo].start
        cue_char = toks[i].start
        p = i - 1
        while p > lo and self._is_adverb(p):
            p -= 1
        best: Attribution | None = None
        for attr in self.out:
            if attr.source is not None and attr.cue is not None and start_char <= attr.cue[0] < cue_char:
                if best is None or attr.cue[0] > best.cue[0]:
                    best = attr
        if toks[i].lower.endswith("ing") and p >= lo and toks[p].text == "," \
                and not any(toks[m].text in QUOTE_MARKS for m in range(lo, i)) and self._relative_speaker(best, i, lo):
            # "X was defensive about a builder who said ..., saying": a participle after a comma
            # hangs on the main clause, not on the relative clause, whose speaker is "who".
            opening = self._opening_subject(i, lo)
            if opening is not None:
                return opening
        if best is not None and best.source is not None:
            return self._past_subordinate(i, lo, v.token_at(best.cue[1])) or (
                v.token_at(best.source[0]), v.token_at(best.source[1]))
        # An earlier cue of the sentence not read yet (quotes are read before reported speech).
        for k in range(i - 1, lo - 1, -1):
            c = self.cue_at.get(k)
            if c is not None and not c.quote_only and not c.passive and self.toks[k].lower[-3:] != "ing":
                subj = self._subject_before(k, lo)
                if subj is not None:
                    return self._past_subordinate(i, lo, c.end) or subj
                break
        near = self._nearest_subject(i, lo)
        if near is not None:
            return near
        return self._opening_subject(i, lo)

    def _relative_speaker(self, best: Attribution | None, i: int, lo: int) -> bool:
        """Whether the nearest earlier attribution of the sentence is a relative clause's ("who said")."""
        rel = {"who", "which", "that"}
        if best is not None and best.source is not None:
            return self.v.text[best.source[0] : best.source[1]].lower() in rel
        for k in range(i - 1, lo - 1, -1):
            c = self.cue_at.get(k)
            if c is not None and not c.quote_only and not c.passive:
                subj = self._subject_before(k, lo)
                return subj is not None and self.toks[subj[0]].lower in rel and subj[1] - subj[0] == 1
        return False

    def _past_subordinate(self, i: int, lo: int, earlier_cue_end: int) -> TokenSpan | None:
        """"When X raised it, I laughed and said": an earlier attribution inside an opening
        subordinate clause does not lend its speaker; the subject after that clause's comma does."""
        toks = self.toks
        if toks[self._clause_start(lo)].lower not in _SUBORDINATORS:
            return None
        near = self._nearest_subject(i, lo)
        if near is not None and near[0] >= earlier_cue_end and any(t.text == "," for t in toks[earlier_cue_end : near[0]]):
            return near
        return None

    def _opening_subject(self, i: int, lo: int) -> TokenSpan | None:
        """The subject that opens the sentence before token ``i``, when it is a name or a pronoun."""
        a = self._clause_start(lo)
        comma = next((m for m in range(a, min(i, a + 11)) if self.toks[m].text == ","), None)
        if comma is not None and self._introductory(a, comma):
            a = comma + 1  # "On Tuesday, X ...": past the introductory adjunct
        if a < i and self.toks[a].lower not in _ADJUNCT_PREPS and self.toks[a].lower not in _CLAUSE_WORDS and \
                self.toks[a].lower not in {"as", "after", "before", "when", "where", "what", "why", "how"} and (self.toks[a].lower in self.lex.person_pronouns | self.lex.group_pronouns or self.toks[a].text[:1].isupper()):
            np = self._np_forward(a)
            if np is not None and np[1] < i and np[1] - np[0] <= 6:
                return np
        return None

    def _nearest_subject(self, i: int, lo: int) -> TokenSpan | None:
        """The closest subject before a coordinated verb ("he laughed and said"): a subject
        pronoun, or a name followed by a lower-case word and not governed by a preposition."""
        toks, lex = self.toks, self.lex
        for k in range(i - 1, max(lo, i - 25) - 1, -1):
            t = toks[k]
            if t.lower in {"he", "she", "they", "i", "we"}:
                return (k, k + 1)
            if t.text[:1].isupper() and t.lower in lex.determiners:
                np = self._np_forward(k)
                if np is not None and np[1] <= i and np[1] - np[0] > 1:
                    return np  # "The treaty, signed under ...": the whole noun phrase
                continue
            if t.text[:1].isupper() and k + 1 < i and toks[k + 1].text.islower() and toks[k + 1].lower not in lex.np_prepositions:
                a = k
                while a - 1 >= lo and (toks[a - 1].text[:1].isupper() or is_abbreviation_stop(toks, a - 1)):
                    a -= 1
                if a > lo and toks[a - 1].lower in _ADJUNCT_PREPS | {"of", "to", "the", "a", "an"}:
                    continue
                if a > lo and toks[a - 1].text.isalpha() and toks[a - 1].text.islower() and toks[a - 1].lower not in \
                        _CLAUSE_WORDS | _SUBORDINATORS | {"and", "but", "or", "so", "yet", "then", "where", "who"}:
                    continue  # "The mayor visited Lyon and announced": a name after a verb is its object
                if toks[a].lower in _ADJUNCT_PREPS or toks[a].lower in _CLAUSE_WORDS or toks[a].lower in {"when", "as", "after", "before"}:
                    a += 1
                    if a > k:
                        continue
                return (a, k + 1)
        return None

    def _clip_coordination(self, k: int, b: int) -> int:
        """End of a content that a coordinated attribution follows: "... officials but would not
        offer details" ends before "but" when the verb phrase after it has a cue of its own."""
        toks, lex = self.toks, self.lex
        for m in range(k + 1, b):
            if toks[m].lower not in {"but", "and", "yet", "while"}:
                continue
            n = m + 1
            while n < b and n - m <= 4 and (toks[n].lower in lex.adverbs_between or toks[n].lower.endswith(("n't", "n’t"))):
                n += 1
            if n < b and n in self.cue_at and toks[n].text.islower():
                end = m
                while end > k and toks[end - 1].text in {",", ";", "—", "–"}:
                    end -= 1
                return end
        return b

    def _clip_trailing_attribution(self, k: int, b: int, hi: int) -> int:
        """End a content before a closing ``..., X said.`` that attributes the whole sentence to
        someone else (the headline "Leader approved attack, Pentagon says")."""
        toks = self.toks
        for m in range(k + 1, b):
            if toks[m].text != ",":
                continue
            tail = range(m + 1, hi)
            if not 0 < len(tail) <= 10 or any(toks[n].lower in {"that", "whether"} or toks[n].text in QUOTE_MARKS for n in tail):
                continue
            for n in tail:
                cue = self.cue_at.get(n)
                if cue is None or cue.quote_only or not self._only_trailing_adjuncts(cue.end, hi):
                    continue
                subject = self._subject_before(n, m + 1)
                if n == m + 1 or (subject is not None and subject[0] == m + 1):
                    return m
        return b

    def _clip_trailing_clause(self, k: int, b: int) -> int:
        """End a content before what describes the speaker's act rather than the claim: a
        participle after a comma (", raising fears ..."), ", while ...", "- but ...", "; ..."."""
        toks = self.toks
        for m in range(k + 2, b - 1):
            t = toks[m]
            if t.text in {",", "—", "–", "-"} or t.text == "(":
                nxt = toks[m + 1]
                w = nxt.lower
                if w in {"while", "whereas"} or (t.text in {"—", "–", "-"} and w in {"but", "and", "while"}):
                    if self.v.quote_containing(t.start) is self.v.quote_containing(toks[k].start):
                        return m
        return b

    def _to_clause_end(self, k: int, hi: int, clip: bool = False) -> TokenSpan | None:
        toks = self.toks
        if k >= hi:
            return None
        b = hi
        while b > k and (toks[b - 1].text in _PUNCT_END or toks[b - 1].text in {",", ":", "—", "–"}):
            b -= 1
        # A semicolon ends what the cue governs.
        for m in range(k, b):
            if toks[m].text == ";":
                b = m
                break
        if clip:
            b = self._clip_coordination(k, b)
            b = self._clip_trailing_clause(k, b)
            b = self._clip_trailing_attribution(k, b, hi)
        if b - k < 1 or (b - k == 1 and not toks[k].text[:1].isalnum()):
            return None
        return k, b

    def _skip_addressee(self, k: int, hi: int) -> int:
        toks, lex = self.toks, self.lex
        if k >= hi:
            return k
        t = toks[k]
        if t.lower in lex.object_pronouns:
            return k + 1
        if t.lower in {"that", "whether", "if", "why", "how", "what", "when", "about"} or t.text in QUOTE_MARKS:
            return k
        if t.lower in lex.determiners or t.text[:1].isupper():
            m = k + 1
            while m < hi and m < k + 8:
                w = toks[m]
                if w.lower in {"that", "to", "whether", "if", "about", "why", "how", "what", "when", "on", "in", "at",
                               "last", "this", "during", "after", "before"} or not w.text[:1].isalnum() and w.text not in {"'s", "’s", "-", "&", "."}:
                    break
                m += 1
            return m
        return k

    def _skip_adjuncts(self, k: int, hi: int) -> int:
        """Skip "on Tuesday", "in a statement", "in an interview with X" when a "that", colon or
        quotation follows them; otherwise the words are content."""
        toks, lex = self.toks, self.lex
        if k >= hi or (toks[k].lower not in _ADJUNCT_PREPS and toks[k].lower not in _TIME_WORDS and toks[k].lower not in {"last", "this", "earlier"}):
            return k
        for m in range(k, min(hi, k + 12)):
            t = toks[m]
            if t.lower == "that" or t.text in {":"} or (t.text in OPEN_DOUBLE and m > k):
                return m
            if t.text in _PUNCT_END:
                break
            if t.text == "," and m + 1 < hi and (toks[m + 1].lower == "that" or toks[m + 1].text in QUOTE_MARKS):
                return m + 1
        return k

    # ------------------------------------------------------------------ noun phrases
    def _subject_before(self, i: int, lo: int) -> TokenSpan | None:
        """The speaker before a cue at token ``i``: the noun phrase ending before it, skipping
        auxiliaries and adverbs, and an appositive (``X, a former adviser, said``)."""
        toks, lex = self.toks, self.lex
        k = i - 1
        while k >= lo:
            t = toks[k]
            if t.lower in lex.adverbs_between or (t.lower.endswith("ly") and len(t.lower) > 4 and t.text.islower()):
                k -= 1
            elif t.lower in _TIME_WORDS and k - 1 >= lo and toks[k - 1].lower in {"on", "last", "this", "earlier", "late"}:
                k -= 2  # "X on Sunday defended": a time adjunct between speaker and verb
            else:
                break
        if k < lo:
            return None
        if k > lo and toks[k].text in QUOTE_MARKS and toks[k - 1].text == ",":
            k -= 1  # 'X, who calls Trump a "sociopath," said': the comma inside the quote marks
        if toks[k].text == ",":
            if toks[i].lower.endswith("ing"):
                return None  # "..., telling Reuters": a participle; its subject is the clause's
            return self._appositive_subject(k, lo)
        if toks[k].lower in _ADJUNCT_PREPS or toks[k].lower in {"of", "to"}:
            return None  # "by saying", "after telling": the subject is the clause's
        if toks[k].text == ")":
            m = k - 1
            while m >= lo and toks[m].text != "(":
                m -= 1
            if m - 1 >= lo:
                return self._np_backward(m - 1, lo)
            return None
        if toks[k].lower in {"who", "which"}:
            return (k, k + 1)
        return self._np_backward(k, lo)

    def _np_backward(self, k: int, lo: int) -> TokenSpan | None:
        toks, lex = self.toks, self.lex
        if k < lo:
            return None
        end = k + 1
        t = toks[k]
        if t.lower in lex.subject_pronouns and t.lower not in {"that", "which", "this", "all", "both"}:
            return (k, k + 1)
        if t.text in QUOTE_MARKS or not (t.text[:1].isalnum() or t.text in {"'s", "’s"}):
            return None
        if t.lower in lex.subject_boundaries or (t.lower in lex.verb_forms and not t.text[:1].isupper()
                                                 and t.lower not in lex.noun_verb_ambiguous):
            return None  # a verb, not a noun phrase ("report" and "statement" may head one)
        m = k
        while m - 1 >= lo and end - (m - 1) <= 12:
            p = toks[m - 1]
            if p.text in {"-", "&", "'s", "’s", "."} or (p.text[:1].isalnum() and p.lower not in lex.subject_boundaries
                                                          and not (p.lower in lex.verb_forms and p.text.islower()
                                                                   and p.lower not in lex.noun_verb_ambiguous)):
                m -= 1
                continue
            if p.lower in {"and", "to", "for", "of"} and p.text.islower() and m - 2 >= lo and toks[m - 2].text[:1].isupper() \
                    and toks[m].text[:1].isupper():
                m -= 1  # "Foreign and Defense Ministries", "Ambassador to France", "Secretary of State"
                continue
            break
        start = self._np_start(m, end)
        if start is None:
            return None
        return (start, end)

    def _np_start(self, m: int, end: int) -> int | None:
        """Cut a backward-collected run of words to its noun phrase: drop a leading adjunct
        ("On Tuesday the ministry" -> "the ministry") and keep a prepositional modifier
        ("a spokesman for the ministry")."""
        toks, lex = self.toks, self.lex
        s = m
        while s < end and toks[s].lower in _ADJUNCT_PREPS and (toks[s].lower != "of" or toks[s].text == "Of"):
            # Skip the preposition and one noun phrase after it.
            s += 1
            if s < end and toks[s].lower in lex.determiners:
                s += 1
            if s >= end:
                return None
            upper = toks[s].text[:1].isupper()
            s += 1
            while s < end and toks[s].text[:1].isupper() == upper and toks[s].lower not in lex.determiners and toks[s].lower not in _ADJUNCT_PREPS:
                s += 1
        while s < end and toks[s].lower in {"but", "and", "so", "yet", "or", "however", "meanwhile", "still"}:
            s += 1
        if s >= end:
            return None
        # Leading sentence adverbs and time words are not part of a speaker ("Later Tuesday, ...").
        while s < end - 1 and (toks[s].lower in _TIME_WORDS or toks[s].lower in lex.adverbs_between):
            s += 1
        return s

    def _appositive_subject(self, comma: int, lo: int) -> TokenSpan | None:
        """The speaker of ``X, a former adviser, said``: the noun phrase before the appositive that
        ends at ``comma``, when it opens its clause; None when the words before the comma are not
        such a subject (then ``..., said X`` is an inversion)."""
        toks = self.toks
        m = comma - 1
        depth = 0
        while m >= lo and comma - m < 30:
            t = toks[m].text
            if t == ")":
                depth += 1
            elif t == "(":
                depth -= 1
            elif depth == 0 and (t in {",", ";", ":"} or t in QUOTE_MARKS or (t in _PUNCT_END and not is_abbreviation_stop(toks, m))):
                break
            m -= 1
        start = self._clause_start(lo)
        if m >= lo and toks[m].text == ",":
            if not self._appositive_like(m + 1, comma):
                return None
            head_end = m - 1
            if head_end > lo and toks[head_end].text == ")":
                # "Sen. Jane Roe (D-Ore.), a member of the panel, said": the name before the brackets.
                p = head_end - 1
                while p > lo and toks[p].text != "(" and head_end - p < 10:
                    p -= 1
                if toks[p].text == "(":
                    head_end = p - 1
            head = self._np_backward(head_end, lo)
            if head is not None and head_end != m - 1:
                head = (head[0], m)
            if head is not None and head[0] > lo and toks[head[0] - 1].text == "," and toks[head[0]].lower in self.lex.determiners \
                    and head[0] - 1 < comma:
                # Stacked appositives: "X, the attorney general of Kansas, one of the states suing, said".
                outer = self._appositive_subject(head[0] - 1, lo)
                if outer is not None:
                    return outer
            if head is not None and head[0] <= start + 0 or (head is not None and toks[head[0] - 1].text in {"—", "–", "("}):
                return head
            if head is not None and head[0] > lo and toks[head[0] - 1].lower in {"that", "and", "but", "because", "while", "as"}:
                return head
            if head is not None and head[0] > start and toks[head[0] - 1].text == "," and self._introductory(start, head[0] - 1):
                return head
            return None
        if m < lo or toks[m].text in QUOTE_MARKS:
            # No opening comma: the words from the clause start to the comma must be a short name.
            a = max(m + 1, start)
            words = toks[a:comma]
            if 0 < len(words) <= 8 and all(
                    w.text[:1].isupper() or w.text in {"(", ")", "-", ".", "'s", "’s"} or w.lower in {"of", "the", "and", "for"}
                    for w in words):
                return (a, comma)
        return None

    def _appositive_like(self, a: int, b: int) -> bool:
        """Whether tokens [a, b) read as an appositive ("a former adviser", "32", "who served ...")
        rather than a clause with a subject and a verb ("Trump returned the compliment")."""
        toks, lex = self.toks, self.lex
        if a >= b:
            return False
        first = toks[a].lower
        if first in {"who", "whose", "which", "whom"}:
            return True
        for m in range(a + 1, b):
            t = toks[m]
            if t.lower in _FINITE_BE_HAVE and t.lower not in {"can", "may", "will"}:
                return False
            prev = toks[m - 1]
            if t.text.islower() and t.lower.endswith("ed") and (prev.text[:1].isupper() or prev.lower in lex.subject_pronouns) \
                    and prev.lower not in lex.determiners:
                return False
        return True

    def _introductory(self, a: int, comma: int) -> bool:
        """Whether tokens [a, comma) are an introductory adjunct ("In a statement", "On Tuesday")."""
        toks = self.toks
        if comma - a < 1 or comma - a > 10:
            return False
        first = toks[a].lower
        # "Speaking to the press, X said", "Asked about the plan, X said": participial openers.
        participial = toks[a].text[:1].isupper() and (first.endswith("ing") and len(first) > 5 or first in _INTRO_PARTICIPLES
                                                      or comma - a == 1 and first.endswith("ed"))
        return first in _ADJUNCT_PREPS or first in _TIME_WORDS or participial or first in {"last", "earlier", "later", "meanwhile", "separately", "still", "yet", "also"}

    def _clause_start(self, lo: int) -> int:
        """The first token of a clause starting at ``lo``, past quote marks, dashes and a conjunction."""
        toks = self.toks
        a = lo
        while a < len(toks) and (toks[a].text in QUOTE_MARKS or toks[a].text in {"—", "–", "-", "("}):
            a += 1
        while a < len(toks) and toks[a].lower in {"but", "and", "so", "yet", "still", "meanwhile", "however"}:
            a += 1
            if a < len(toks) and toks[a].text == ",":
                a += 1
        return a

    def _inversion_ok(self, j: int, hi: int) -> bool:
        """Whether a speaker follows the cue and closes the clause: ``said X.``, ``said X, a ...``."""
        np = self._np_forward(j)
        if np is None or not self._np_forward_ok(j):
            return False
        end = np[1]
        if end >= hi:
            return True
        t = self.toks[end]
        return t.text in {",", ".", ";", ":", "!", "?", "(", "—", "–"} or t.text in QUOTE_MARKS or \
            t.lower in self.lex.trailing_adjunct_openers or t.lower in {"who", "whose"}

    def _np_forward_ok(self, j: int) -> bool:
        toks, lex = self.toks, self.lex
        if j >= len(toks):
            return False
        t = toks[j]
        return t.text[:1].isupper() or t.lower in lex.determiners or t.lower in lex.person_nouns or t.lower in lex.subject_pronouns

    def _np_forward(self, j: int) -> TokenSpan | None:
        """A speaker after its cue (``said X``, ``according to X``), up to a comma, an adjunct or
        the end of the sentence."""
        toks, lex = self.toks, self.lex
        if j >= len(toks) or toks[j].lower in {"that", "whether", "if", "who", "which", "what", "how", "why"}:
            return None
        sent = self.v.sentence_of(j)
        k = j
        while k < len(toks) and k - j < 14 and self.v.sentence_of(k) == sent:
            t = toks[k]
            if not (t.text[:1].isalnum() or t.text in {"'s", "’s", "-", "&"} or is_abbreviation_stop(toks, k)):
                break
            if k > j and (t.lower in {"that", "who", "which", "and", "but", "as", "when", "while", "after", "before", "because"}
                          or t.lower in _FINITE_BE_HAVE):
                if not (t.lower == "and" and toks[k - 1].text[:1].isupper() and k + 1 < len(toks) and toks[k + 1].text[:1].isupper()):
                    break
            if k > j and (t.lower in lex.trailing_adjunct_openers or t.lower in _ADJUNCT_PREPS) and t.lower not in lex.np_prepositions:
                break
            if k > j and t.lower in lex.np_prepositions and t.lower in {"in", "on", "at"}:
                break
            if k > j and t.lower in lex.verb_forms and t.text.islower() and t.lower not in lex.noun_verb_ambiguous:
                break
            k += 1
        return (j, k) if k > j else None

    # ------------------------------------------------------------------ other cue types
    def _according_to(self) -> None:
        toks = self.toks
        for i in range(len(toks) - 2):
            if toks[i].lower != "according" or toks[i + 1].lower != "to" or i in self.used_cues:
                continue
            lo, hi = self._bounds(i)
            source = self._np_forward(i + 2)
            cue = _Cue(i, i + 2, "according to", "speech", False)
            before = i - 1
            if before >= lo and toks[before].text in {",", "—", "–", "("}:
                content = self._content_before(before, lo)
            elif source is not None and source[1] < hi and toks[source[1]].text == ",":
                content = self._to_clause_end(source[1] + 1, hi)
            elif before < lo:
                content = None
            else:
                content = self._content_before(i, lo)
            if content is not None:
                self._emit(content, source, cue, "reported_source_after_phrase")

    def _content_nouns(self) -> None:
        """``X's claim that ...``, ``the belief that ...``: content after "that", source the possessor."""
        toks, lex = self.toks, self.lex
        for i in range(len(toks) - 2):
            if toks[i].lower not in lex.content_nouns or toks[i + 1].lower != "that":
                continue
            nxt = toks[i + 2]
            # A relative clause ("the report that was released") is not content.
            if nxt.lower in lex.verb_forms or nxt.lower in {"is", "was", "are", "were", "has", "had", "have",
                                                            "would", "will", "could", "can", "may", "might"}:
                continue
            lo, hi = self._bounds(i)
            content = self._to_clause_end(i + 2, hi)
            if content is None:
                continue
            source = None
            p = i - 1
            while p >= lo and toks[p].text.islower() and toks[p].lower not in lex.determiners and toks[p].lower not in {"his", "her", "their", "its", "our", "my", "your"} and i - p < 3:
                p -= 1  # adjectives: "his repeated claim"
            if p >= lo:
                w = toks[p].lower
                if w in {"his", "her", "their", "its", "our", "my", "your"}:
                    source = (p, p + 1)
                elif w.endswith(("'s", "’s")) or (p >= lo and toks[p].text in {"'s", "’s"}):
                    source = self._np_backward(p, lo)
            cue = _Cue(i, i + 1, toks[i].lower, "noun", False)
            self._emit(content, source, cue, "reported_noun_that")

    def _sourceless_adverbs(self) -> None:
        toks, lex = self.toks, self.lex
        for i, t in enumerate(toks):
            if t.lower in lex.sourceless_adverbs and t.lower != "apparently":
                lo, hi = self._bounds(i)
                a = lo
                while a < hi and toks[a].text in QUOTE_MARKS:
                    a += 1
                content = self._to_clause_end(a, hi)
                if content is not None:
                    self._emit(content, None, _Cue(i, i + 1, t.lower, "adverb", False), "reported_sourceless")

    def _headline_colons(self) -> None:
        """``Trump: 'We will win'`` in a title or at a paragraph's start: the name, a colon, the content."""
        toks, v = self.toks, self.v
        for s, (a, b) in enumerate(v.sentences):
            for k in range(a + 1, min(b - 1, a + 5)):
                if toks[k].text != ":":
                    continue
                name = range(a, k)
                if all(toks[m].text[:1].isupper() or toks[m].text in {"'s", "’s", "-", "."} for m in name) and k - a <= 4:
                    words = [toks[m].lower for m in name if toks[m].text[:1].isalnum()]
                    if words[0] in _COLON_LABELS or words[-1] in _COLON_LABELS or " ".join(words) in _COLON_LABELS:
                        break
                    content = self._to_clause_end(k + 1, b)
                    if content is None:
                        break
                    if sum(1 for m in range(*content) if toks[m].text[:1].isalpha()) < 2:
                        break  # "Clinton: 547": a tally, not a statement
                    # A quotation after the colon is already a direct quote; skip it here.
                    if toks[k + 1].text in QUOTE_MARKS:
                        q = v.quote_containing(toks[k + 1].end)
                        if q is not None:
                            for i_attr, attr in enumerate(self.out):
                                if attr.content[0] >= q.start and attr.content[1] <= q.end and attr.source is None:
                                    self.out[i_attr] = Attribution(
                                        content=attr.content, kind="direct_quote", source=self._chars((a, k)),
                                        cue=self._chars((k, k + 1)), cue_lemma=":", cue_class="speech",
                                        pattern="direct_quote_with_cue")
                            break
                    self._emit(content, (a, k), _Cue(k, k + 1, ":", "speech", False), "reported_content_after_cue")
                break

    # ------------------------------------------------------------------ helpers
    def _chars(self, span: TokenSpan | None) -> tuple[int, int] | None:
        if span is None:
            return None
        a, b = span
        return self.toks[a].start, self.toks[b - 1].end


def _trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and stray punctuation from both ends; keep a closing quote mark whose
    opening mark is inside the content, so that a partly quoted claim stays balanced."""
    while start < end and (text[start].isspace() or text[start] in "\"“”'‘’,:;—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"“”,:;—–-"):
        ch = text[end - 1]
        if ch == "”" and text.count("“", start, end) > text.count("”", start, end - 1):
            break
        if ch == '"' and text.count('"', start, end) % 2 == 0:
            break
        end -= 1
    return start, end


def _trim_quote_content(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
