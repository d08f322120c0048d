"""Direct quotations with an attribution of their own: ``"...," X said`` / ``"...," said X`` /
``X said: "..."`` / ``"..." ― Jane Doe``, and a quote interrupted or run on by its attribution.

Each quotation is read once into a `QuoteReading`; quotes without a cue of their own are left to
`continuation`; quotations inside a sentence's grammar are part of the claim around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.claims._text import QUOTE_MARKS, Quote, is_abbreviation_stop
from broadsheet.extract.claims.claimants import is_name_token
from broadsheet.extract.claims.coordination import shared_subject
from broadsheet.extract.claims.cue_detection import cue_token
from broadsheet.extract.claims.passage import (
    DASHES,
    PUNCT_END,
    Attribution,
    Cue,
    Passage,
    TokenSpan,
    sentence_lo,
    trim_content,
    trim_quote_content,
)
from broadsheet.extract.claims.speakers import is_adverb, name_before_colon, np_forward, np_forward_ok, subject_before


@dataclass(frozen=True)
class Found:
    """A quotation's cue and speaker; ``consumed`` are cue tokens the reading used up (the verbs
    of a relative clause in its speaker), which then attribute nothing else."""

    cue: Cue
    source: TokenSpan | None
    consumed: frozenset[int] = frozenset()


@dataclass(frozen=True)
class QuoteReading:
    quote: Quote
    a: int  # first token inside the quotation
    b: int  # first token after its words (the closing mark, if any)
    n_words: int
    fragment: bool
    found: Found | None
    where: str  # "after" or "before": where the attribution stands


@dataclass(frozen=True)
class DirectQuotes:
    attributions: tuple[Attribution, ...]
    used: frozenset[int]  # cue tokens that attributed a quotation
    standalone: tuple[QuoteReading, ...]  # quotations without a cue of their own


def direct_quotes(p: Passage) -> DirectQuotes:
    readings = [read_quote(p, q) for q in p.view.quotes]
    used = frozenset(m for r in readings if r.found is not None for m in r.found.consumed)
    attrs: list[Attribution] = []
    standalone: list[QuoteReading] = []
    qi = 0
    while qi < len(readings):
        r = readings[qi]
        qi += 1
        if r.n_words == 0:
            continue
        if r.fragment or is_title(p, r):
            continue
        if r.found is not None:
            if r.n_words <= 2 and not _short_quote_ok(p, r.quote):
                continue
            attr, qi = _attributed_quote(p, readings, qi - 1)
            attrs.append(attr)
            used |= {r.found.cue.start}
            continue
        if r.n_words > 2:
            standalone.append(r)  # its speaker is decided once every attribution is known
    return DirectQuotes(tuple(attrs), used, tuple(standalone))


def is_title(p: Passage, r: QuoteReading) -> bool:
    """Whether quoted words are a title ("All Bets Are Off.", "Make Your Kid a Millionaire"),
    named rather than said: every word of four letters or more is capitalised, on a line of its
    own (a subheading) or in a sentence that is not itself in title case (a headline quoting its
    speaker, 'Trump: "We Will Win"', keeps the quote)."""
    words = [t.text for t in p.toks[r.a : r.b] if t.text[:1].isalpha() and len(t.text) >= 4]
    if len(words) < 2 or not all(w[:1].isupper() for w in words) or all(w.isupper() for w in words):
        return False
    line_start = p.text.rfind("\n", 0, r.quote.open) + 1
    line_end = p.text.find("\n", r.quote.end)
    rest = p.text[line_start : r.quote.open] + " " + p.text[r.quote.end : len(p.text) if line_end < 0 else line_end]
    around = [w for w in re.findall(r"[A-Za-z][\w'’-]*", rest) if len(w) >= 4]
    return not around or not all(w[:1].isupper() for w in around)


def read_quote(p: Passage, q: Quote) -> QuoteReading:
    v, toks = p.view, p.toks
    a, b = v.token_at(q.start), v.token_at(q.end)  # b: first token at or after the words' end
    n_words = sum(1 for k in range(a, b) if toks[k].text[:1].isalnum())
    fragment = _is_fragment(p, a - 1) or _continues_after(p, q, b)
    found: Found | None = None
    where = ""
    if n_words and not fragment:
        if q.close is not None:
            found, where = _dash_attribution(p, b) or _cue_after(p, b), "after"
        if found is None:
            found, where = _cue_before(p, a - 1), "before"
        # A speech verb the cue model did not pick is trusted only with a speaker.
        if found is not None and found.source is None and found.cue.start not in p.cue_at and not found.cue.passive:
            found = None
    return QuoteReading(q, a, b, n_words, fragment, found, where)


def _attributed_quote(p: Passage, readings: list[QuoteReading], qi: int) -> tuple[Attribution, int]:
    """The claim of the quotation at ``qi`` with its cue, and the index of the next unread one."""
    r = readings[qi]
    cue, source = r.found.cue, r.found.source
    end, j = r.quote.end, qi + 1
    if r.where == "after":
        last = max(cue.end, source[1] if source else 0) - 1  # last token of the attribution
        end, j = _run_on(p, readings, qi, end, last)
    lead = _fronted_words(p, r)
    opening = p.view.quote_containing(p.toks[lead].start) if lead is not None else None
    if opening is not None and opening.end <= p.toks[cue.start].start:
        # '"A," she said on radio, "b"': the fronted words are the quote's own first part, so
        # the claim is the whole interrupted quotation.
        lead = None
        r = QuoteReading(opening, r.a, r.b, r.n_words, r.fragment, r.found, r.where)
    if lead is not None:
        # '..., X said, "we were ..."', 'With ..., "there is ...," X said': the quote finishes a
        # sentence whose first part the writer paraphrased; the claim is the whole sentence, and
        # not a quotation.
        attr = Attribution(
            content=trim_content(p.text, p.toks[lead].start, end),
            kind="reported_speech",
            source=p.chars(source),
            cue=p.chars((cue.start, cue.end)),
            cue_lemma=cue.lemma,
            cue_class=cue.cls,
            pattern="reported_mixed_quote",
            ambiguous_cue=cue.ambiguous,
        )
        return attr, j
    attr = Attribution(
        content=trim_quote_content(p.text, r.quote.start, end),
        kind="direct_quote",
        source=p.chars(source),
        cue=p.chars((cue.start, cue.end)),
        cue_lemma=cue.lemma,
        cue_class=cue.cls,
        pattern="direct_quote_with_cue",
        ambiguous_cue=cue.ambiguous,
    )
    return attr, j


def _fronted_words(p: Passage, r: QuoteReading) -> int | None:
    """The first token of the words a sentence opens with before a quotation that carries it on
    in lower case, and before its attribution when that stands first ('So when the firm called,
    Jo Roe said, "we were stunned."', 'With ten ferries, "there is no risk," she said'), or None
    when the attribution or the quote opens the sentence or the quote opens its own utterance.
    PolNeAR annotates such a sentence as one attribution whose content runs from the fronted
    words to the quote's end: the quote alone covers too little of it to match."""
    toks, found = p.toks, r.found
    if found is None or r.a >= len(toks) or not toks[r.a].text[:1].islower():
        return None
    if r.where == "before":
        first = min(found.cue.start, found.source[0] if found.source else found.cue.start)
    else:
        first = r.a - 1  # the opening mark
    lo = sentence_lo(p, first)
    while lo < first and (toks[lo].lower in p.lex.grammar.leading_conjunctions or not toks[lo].text[:1].isalnum()):
        lo += 1
    if lo >= first or not any(toks[k].text[:1].isalnum() for k in range(lo, first)):
        return None
    return lo


def _run_on(p: Passage, readings: list[QuoteReading], qi: int, end: int, last: int) -> tuple[int, int]:
    """Where a quote attributed after it really ends: the quotes that continue it."""
    toks, v = p.toks, p.view
    cue_start = readings[qi].found.cue.start
    j = qi + 1
    # "A," she said, "B."  -- one statement interrupted by its attribution.
    if j < len(readings):
        nxt = readings[j]
        same_cue = nxt.found is None or nxt.found.cue.start == cue_start
        comma = _comma_before_quote(p, last, nxt)
        if same_cue and nxt.n_words and comma is not None:
            end, last, j = nxt.quote.end, nxt.b, j + 1
    # "A," she said. "B."  -- the quote goes on in the next sentence (PolNeAR keeps it one
    # relation); only within the paragraph and only without an attribution of its own.
    while (
        j < len(readings) and readings[j].found is None and readings[j].n_words and not readings[j].fragment and last < len(toks)
    ):
        nxt = readings[j]
        s_next = v.sentence_of(min(last, len(toks) - 1)) + 1
        if s_next >= len(v.sentences) or v.sentences[s_next][0] != nxt.a - 1 or "\n" in p.text[toks[last].end : nxt.quote.open]:
            break
        end, last, j = nxt.quote.end, min(nxt.b, len(toks) - 1), j + 1
    return end, j


def _comma_before_quote(p: Passage, last: int, nxt: QuoteReading) -> int | None:
    """The comma that hands an interrupted quotation back after its attribution ends at token
    ``last``: right after it ('"A," she said, "b"'), or, when the quote resumes in lower case and
    so cannot open an utterance of its own, after the attribution's adjuncts and appositives
    ('"A," she told a radio host on Monday, "b"', '"A," said Jo Roe, the mayor, "b"')."""
    toks = p.toks
    if last + 2 < len(toks) and toks[last + 1].text == "," and toks[last + 2].start == nxt.quote.open:
        return last + 1
    if nxt.a >= len(toks) or not toks[nxt.a].text[:1].islower():
        return None
    k = nxt.a - 2  # the token before the opening mark
    if k <= last or k - last > 15 or toks[k].text != "," or not p.same_sentence(last, k):
        return None
    for m in range(last + 1, k):
        t = toks[m].text
        if t in QUOTE_MARKS or t in {";", ":"} or (t in PUNCT_END and not is_abbreviation_stop(toks, m)):
            return None
    return k


def _short_quote_ok(p: Passage, q: Quote) -> bool:
    """A quote of one or two words is a claim only when it is a complete utterance ("No," he said)."""
    inner = p.text[q.start : q.end].rstrip()
    return bool(inner) and inner[-1] in ",.!?" and inner[:1].isupper()


def _is_fragment(p: Passage, open_tok: int) -> bool:
    """Whether a quotation sits inside a sentence's grammar (``called it "a disaster"``)."""
    if open_tok <= 0:
        return False
    prev = p.toks[open_tok - 1]
    if not p.same_sentence(open_tok - 1, open_tok):
        return False
    if _speech_verb_before(p, open_tok) is not None:
        return False  # 'Roe declared "We will win"': the verb introduces the quotation
    return prev.text not in {":", ",", "—", "–", "(", "-"} and prev.text not in QUOTE_MARKS and prev.text not in PUNCT_END


def _speech_verb_before(p: Passage, open_tok: int) -> Cue | None:
    """The speech verb right before an opening mark when the quotation opens in capitals, as an
    utterance does ('Roe declared "I think the plan is dead"'); a lower-case quotation after a
    verb is part of its clause ('called it "a disaster"')."""
    k = open_tok - 1
    if k < 0 or open_tok + 1 >= len(p.toks) or not p.toks[open_tok + 1].text[:1].isupper():
        return None
    cue = cue_token(p, k)
    if cue is None or cue.cls != "speech" or cue.passive or not p.same_sentence(k, open_tok):
        return None
    return cue


def _continues_after(p: Passage, q: Quote, close_tok: int) -> bool:
    """Whether the sentence goes on after a quotation that did not end an utterance
    (``"a first step" toward peace, she said``): no comma or stop inside the marks, and a
    lower-case word after them that is neither a speaker nor a cue."""
    toks, lex = p.toks, p.lex
    if q.close is None:
        return False
    inner = p.text[q.start : q.end].rstrip()
    if not inner or inner[-1] in ",.!?…—–-:;":
        return False
    k = close_tok + 1
    if k >= len(toks) or not p.same_sentence(k, close_tok):
        return False
    nxt = toks[k]
    return (
        nxt.text[:1].islower()
        and nxt.lower not in lex.grammar.speaker_pronouns
        and nxt.lower not in lex.determiners
        and k not in p.cue_at
        and nxt.lower != "according"
    )


def _cue_after(p: Passage, close_tok: int) -> Found | None:
    """``"...," X said`` / ``"...," said X`` / ``"..." according to X`` after a closing mark."""
    toks = p.toks
    k = close_tok + 1
    if k < len(toks) and toks[k].text in {",", "—", "–"}:
        k += 1
    if k >= len(toks) or "\n" in p.text[toks[close_tok].end : toks[k].start]:
        return None
    start = k
    # An appositive may stand between the speaker and the verb ("X, who served as ..., told").
    limit = min(len(toks), start + 30)
    while k < limit:
        tok = toks[k]
        if (tok.text in PUNCT_END and not is_abbreviation_stop(toks, k)) or tok.text in QUOTE_MARKS or tok.text in {";", ":"}:
            return None
        if tok.lower == "according" and k + 1 < len(toks) and toks[k + 1].lower == "to":
            return Found(Cue(k, k + 2, "according to", "speech", False), np_forward(p, k + 2))
        cue = cue_token(p, k)
        if cue is not None:
            decided, found = _attribution_after(p, cue, start, close_tok)
            if decided:
                return found
        if k - start >= 14 and "," not in {t.text for t in toks[start:k]}:
            return None
        k += 1
    return None


def _attribution_after(p: Passage, cue: Cue, start: int, close_tok: int) -> tuple[bool, Found | None]:
    """Whether a cue after a quotation, from ``start`` on, decides its attribution, and how.
    Undecided: a cue inside an appositive ("X, who has proposed ..., said"); read on."""
    toks, k = p.toks, cue.start
    # A new sentence after the quote ('"...." He added, "..."') attributes it only when it is
    # nothing but the attribution ('"...?" Bozell answers.').
    new_sentence = not p.same_sentence(k, close_tok)
    s_end = p.view.sentences[p.sentence_of(k)][1]
    if k == start:
        if toks[k].lower.endswith("ing"):
            # '"...," adding that ...': a participle hangs on the clause before the quote; with
            # content of its own it is that clause's second claim.
            if _introduces_more(p, cue.end, s_end):
                return True, None
            return True, Found(cue, shared_subject(p, k, sentence_lo(p, k), ()))
        src = np_forward(p, cue.end)
        if new_sentence and _introduces_more(p, src[1] if src else cue.end, s_end):
            return True, None
        return True, Found(cue, src)
    subj = subject_before(p, k, start)
    if subj is not None and (subj[0] == start or all(toks[m].lower in p.lex.adverbs_between for m in range(start, subj[0]))):
        if new_sentence and _introduces_more(p, cue.end, s_end):
            return True, None
        return True, Found(cue, subj)
    relative = _relative_clause_speaker(p, cue, start)
    if relative is not None:
        return True, relative
    return False, None


def _relative_clause_speaker(p: Passage, cue: Cue, start: int) -> Found | None:
    """ "an official who declined to be identified told reporters": the speaker is the noun phrase
    before "who", and the verb after its relative clause is the cue."""
    toks, k = p.toks, cue.start
    np = np_forward(p, start)
    if (
        np is not None
        and np[1] + 1 < k
        and toks[np[1]].lower in p.lex.grammar.relative_openers
        and not toks[k].lower.endswith("ing")
        and "," not in {t.text for t in toks[np[1] : k]}
        and any(toks[m].lower in p.lex.verb_forms for m in range(np[1] + 1, k))
    ):
        # The relative clause's own verb ("declined to be identified") attributes nothing.
        return Found(cue, np, frozenset(m for m in range(np[1] + 1, k) if m in p.cue_at))
    return None


def _dash_attribution(p: Passage, close_tok: int) -> Found | None:
    """``"..." ― Jane Doe`` or ``"..."`` then a line ``- Jane Doe, a voter in Ohio``: the
    epigraph convention of vox pops, fact checks and pull quotes, where a dash and a name right
    after the closing mark, with nothing else on the line but a description after a comma,
    name the speaker. The dash is the cue."""
    toks, text, lex = p.toks, p.text, p.lex
    k = close_tok + 1
    if k >= len(toks) or toks[k].text not in DASHES:
        return None
    gap = text[toks[close_tok].end : toks[k].start]
    if gap.count("\n") > 2 or gap.strip():
        return None
    dash = k
    while k < len(toks) and toks[k].text in DASHES and k - dash < 2:
        k += 1  # "--" is two tokens
    a = k
    while (
        k < len(toks)
        and k - a < 7
        and "\n" not in text[toks[k - 1].end : toks[k].start]
        and (is_name_token(toks[k].text) or is_abbreviation_stop(toks, k))
    ):
        k += 1
    if k == a or toks[a].lower in lex.determiners or toks[a].lower in lex.subject_pronouns:
        return None
    line_end = text.find("\n", toks[k - 1].end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[toks[k - 1].end : line_end].strip()
    if rest and rest not in {".", "–", "—", "―"} and not rest.startswith(","):
        return None
    return Found(Cue(dash, dash + 1, "—", "speech", False), (a, k))


def _introduces_more(p: Passage, j: int, end: int) -> bool:
    """Whether an attribution goes on to introduce content of its own (a colon, "that", a
    quotation), so that it belongs to what follows rather than to a quote before it."""
    for k in range(j, end):
        t = p.toks[k]
        if t.text == ":" or t.lower in p.lex.grammar.complementizers or t.text in QUOTE_MARKS:
            return True
    return False


def _cue_before(p: Passage, open_tok: int) -> Found | None:
    """``X said: "..."`` / ``X said, "..."`` / ``X told Y that "..."`` before an opening mark."""
    toks, g = p.toks, p.lex.grammar
    k = open_tok - 1
    if k < 0:
        return None
    verb = _speech_verb_before(p, open_tok)
    if verb is not None:
        return _speaker_before_quote(p, verb)
    if toks[k].text not in {":", ",", "—", "–"} and toks[k].lower != "that":
        return None
    if toks[k].text == ":":
        name = name_before_colon(p, k)
        if name is not None:
            return Found(Cue(k, k + 1, ":", "speech", False), name)
    k -= 1
    # Adjuncts between the cue and the colon: "wrote in a letter on Monday:".
    lo = max(0, k - 10)
    while k >= lo:
        tok = toks[k]
        if tok.text in PUNCT_END or tok.text in QUOTE_MARKS:
            return None
        cue = cue_token(p, k)
        if cue is None and tok.lower == "to" and k > 0 and toks[k - 1].lower == "according":
            return None  # "according to X, '...'" is an "according to" frame
        if cue is None and (tok.lower in g.clause_words or tok.lower in g.finite_be_have):
            return None  # a clause between cue and quote: the quote ends reported speech
        if cue is not None:
            return _speaker_before_quote(p, cue)
        k -= 1
    return None


def _speaker_before_quote(p: Passage, cue: Cue) -> Found | None:
    toks = p.toks
    if cue.passive:
        return Found(cue, None)
    lo = sentence_lo(p, cue.start)
    subj = subject_before(p, cue.start, lo)
    if subj is not None:
        return Found(cue, subj)
    k = cue.start - 1
    while k > lo and is_adverb(p, k):
        k -= 1  # "and repeatedly says, '...'"
    prev = toks[k] if k >= lo and cue.start > lo else None
    if prev is None or prev.lower in p.lex.grammar.inversion_conjunctions and np_forward_ok(p, cue.end):
        subj = np_forward(p, cue.end)  # "Said X, '...'"
    if subj is None and (
        prev is not None
        and (prev.text == "," or prev.lower in p.lex.grammar.verb_chain_words)
        or toks[cue.start].lower.endswith("ing")
    ):
        subj = shared_subject(p, cue.start, lo, ())  # "..., adding: '...'"
    if subj is None and prev is not None and prev.text == ",":
        return None
    return Found(cue, subj)
