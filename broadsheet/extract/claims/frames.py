"""Attributions fixed by a phrase rather than a verb: ``according to X, ...`` /
``..., according to X.``, ``X's claim that ...`` (content nouns), ``reportedly ...`` (no source)
and ``Trump: 'We will win'`` (a name and a colon opening a title or paragraph).

Each function returns the new attributions with the token index of the cue each used.
"""

from __future__ import annotations

from dataclasses import replace

from broadsheet.extract.claims._text import QUOTE_MARKS
from broadsheet.extract.claims.content import content_before, to_clause_end
from broadsheet.extract.claims.passage import Attribution, Cue, Passage, TokenSpan, bounds, trim_content
from broadsheet.extract.claims.speakers import np_backward, np_forward
from broadsheet.extract.claims.speech_verbs import emit

Emitted = list[tuple[Attribution, int]]  # (attribution, its cue's first token)


def according_to(p: Passage, used: frozenset[int]) -> Emitted:
    toks = p.toks
    out: Emitted = []
    for i in range(len(toks) - 2):
        if toks[i].lower != "according" or toks[i + 1].lower != "to" or i in used:
            continue
        lo, hi = bounds(p, i)
        source = np_forward(p, i + 2)
        before = i - 1
        comma = _comma_after_source(p, source, hi)
        if before >= lo and toks[before].text in {",", "—", "–", "("}:
            content = content_before(p, before, lo)
            if content is not None and toks[before].text == "," and comma is not None:
                # "Among the cases at risk, according to X, are 16 ...": the phrase interrupts
                # one statement, which PolNeAR annotates whole.
                rest = to_clause_end(p, comma + 1, hi)
                if rest is not None:
                    content = content[0], rest[1]
        elif comma is not None:
            content = to_clause_end(p, comma + 1, hi)
        elif before < lo:
            content = None
        else:
            content = content_before(p, i, lo)
        if content is not None:
            _add(out, p, content, source, Cue(i, i + 2, "according to", "speech", False), "reported_source_after_phrase")
    return out


def _comma_after_source(p: Passage, source: TokenSpan | None, hi: int) -> int | None:
    """The comma that ends an "according to" source, also past the words a speaker read
    forwards stops at ("According to early results of polls conducted for the network, ..."),
    or None when the sentence goes on without one."""
    toks = p.toks
    if source is None:
        return None
    for k in range(source[1], min(hi, source[1] + 20)):
        t = toks[k]
        if t.text == ",":
            return k
        if t.text in QUOTE_MARKS or t.text in {";", ":", "—", "–", "(", ")"}:
            return None
    return None


def content_nouns(p: Passage) -> Emitted:
    """``X's claim that ...``, ``the belief that ...``: content after "that", source the possessor."""
    toks, lex = p.toks, p.lex
    out: Emitted = []
    for i in range(len(toks) - 2):
        if toks[i].lower not in lex.content_nouns or toks[i + 1].lower != "that":
            continue
        nxt = toks[i + 2].lower
        # A relative clause ("the report that was released") is not content.
        if nxt in lex.verb_forms or nxt in lex.grammar.relative_clause_verbs:
            continue
        lo, hi = bounds(p, i)
        content = to_clause_end(p, i + 2, hi)
        if content is not None:
            _add(out, p, content, _possessor(p, i, lo), Cue(i, i + 1, toks[i].lower, "noun", False), "reported_noun_that")
    return out


def _possessor(p: Passage, noun: int, lo: int) -> TokenSpan | None:
    toks, lex, g = p.toks, p.lex, p.lex.grammar
    k = noun - 1
    while (
        k >= lo
        and toks[k].text.islower()
        and toks[k].lower not in lex.determiners
        and toks[k].lower not in g.possessives
        and not toks[k].lower.endswith(("'s", "’s"))  # "the ministry's", "police 's": the holder
        and noun - k < 3
    ):
        k -= 1  # adjectives: "his repeated claim"
    if k < lo:
        return None
    w = toks[k].lower
    if w in g.possessives:
        return (k, k + 1)
    if w.endswith(("'s", "’s")) or toks[k].text in {"'s", "’s"}:
        holder = np_backward(p, k, lo)
        if holder is None:
            return None
        a, b = holder
        # "Video contradicting City police's claim": a lower-case word before a name (no
        # determiner) is the clause's verb; the holder starts after it.
        for m in range(b - 2, a - 1, -1):
            if toks[m].text.islower() and toks[m].lower not in lex.determiners and toks[m + 1].text[:1].isupper():
                return m + 1, b
        return a, b
    if k == noun - 1 and toks[k].text[:1].isupper() and w not in g.time_words and w not in lex.never_names:
        # "a Daily Courier report that ...": a name modifying the noun is whose report it is.
        a = k
        while a - 1 >= lo and toks[a - 1].text[:1].isupper() and p.same_sentence(a - 1, k):
            a -= 1
        return (a, k + 1) if a > lo or len(toks) > k else None
    return None


def sourceless_adverbs(p: Passage) -> Emitted:
    toks = p.toks
    out: Emitted = []
    for i, t in enumerate(toks):
        if t.lower in p.lex.sourceless_adverbs:
            lo, hi = bounds(p, i)
            a = lo
            while a < hi and toks[a].text in QUOTE_MARKS:
                a += 1
            content = to_clause_end(p, a, hi)
            if content is not None:
                _add(out, p, content, None, Cue(i, i + 1, t.lower, "adverb", False), "reported_sourceless")
    return out


def headline_colons(p: Passage, attrs: tuple[Attribution, ...]) -> tuple[tuple[Attribution, ...], Emitted]:
    """``Trump: 'We will win'`` in a title or at a paragraph's start: the name, a colon, the content.

    A quotation after the colon is already a direct quote: it takes the name as its speaker
    (``attrs`` is returned with those readings replaced) and yields no second claim.
    """
    out: Emitted = []
    for a, b in p.view.sentences:
        k = _headline_colon(p, a, b)
        if k is None and _opens_quoted_paragraph(p, a, b):
            k = _headline_colon(p, a + 1, b)
            if k is not None:
                # '"ROE: Well, ...' opening a paragraph of a quoted transcript: each speaker's turn
                # is one claim of that speaker, to the end of the paragraph (PolNeAR annotates a
                # turn whole, however many sentences it holds), not part of one long quotation.
                turn = _turn(p, k + 1)
                if turn is not None:
                    _add(out, p, turn, (a + 1, k), Cue(k, k + 1, ":", "speech", False), "reported_transcript_turn")
                continue
        if k is None:
            continue
        if p.toks[k + 1].text in QUOTE_MARKS:
            q = p.quote_at(p.toks[k + 1].end)
            if q is not None:
                attrs = tuple(
                    _spoken_by(p, attr, a, k)
                    if attr.content[0] >= q.start and attr.content[1] <= q.end and attr.source is None
                    else attr
                    for attr in attrs
                )
                continue
        content = to_clause_end(p, k + 1, b)
        start = p.toks[a].start
        if content is not None and start > 0 and p.text[start - 1] == "\n" and p.quote_at(p.toks[k + 1].start) is None:
            # A body paragraph opened by a name and a colon is that speaker's turn, however many
            # sentences follow (a title is one line): on the training articles outside the sample,
            # matched 52 -> 57 of these 93 rows.
            turn = _turn(p, k + 1)
            content = turn if turn is not None and turn[1] > b else content
        _add(out, p, content, (a, k), Cue(k, k + 1, ":", "speech", False), "reported_headline_colon")
    return attrs, out


def cut_at_turns(p: Passage, attrs: tuple[Attribution, ...]) -> tuple[Attribution, ...]:
    """``attrs`` with each direct quote that runs into a transcript turn cut before the first one,
    or dropped when it opens with one: the turns are the claims."""
    turns = [a.source[0] for a in attrs if a.pattern == "reported_transcript_turn" and a.source is not None]
    if not turns:
        return attrs
    return tuple(cut for attr in attrs if (cut := _before_turns(p, attr, turns)) is not None)


def _opens_quoted_paragraph(p: Passage, a: int, b: int) -> bool:
    """Whether the sentence [a, b) opens a paragraph with a quote mark that starts or carries on
    a quotation holding the sentence's words."""
    toks = p.toks
    if b - a < 3 or toks[a].text not in QUOTE_MARKS or toks[a].start > 0 and p.text[toks[a].start - 1] != "\n":
        return False
    return p.quote_at(toks[a + 1].start) is not None


def _turn(p: Passage, k: int) -> TokenSpan | None:
    """The tokens from ``k`` to the end of its paragraph and quotation, when two words or more."""
    q = p.quote_at(p.toks[k].start) if k < len(p.toks) else None
    end = p.text.find("\n", p.toks[k].start) if k < len(p.toks) else -1
    end = len(p.text) if end < 0 else end
    if q is not None:
        end = min(end, q.end)
    b = p.view.token_at(end)
    if sum(1 for m in range(k, b) if p.toks[m].text[:1].isalpha()) < 2:
        return None
    return k, b


def _before_turns(p: Passage, attr: Attribution, turns: list[int]) -> Attribution | None:
    """A direct quote cut before the first transcript turn it runs into; None when nothing of it is
    left before that turn (the turns are the claims)."""
    if attr.kind != "direct_quote":
        return attr
    inside = [t for t in turns if attr.content[0] <= t < attr.content[1]]
    if not inside:
        return attr
    # The turn's paragraph and its opening quote mark are no part of what precedes it.
    start, end = trim_content(p.text, attr.content[0], p.text.rfind("\n", 0, min(inside)) + 1 or attr.content[0])
    if sum(1 for ch in p.text[start:end] if ch.isalpha()) < 2:
        return None
    return replace(attr, content=(start, end))


def _headline_colon(p: Passage, a: int, b: int) -> int | None:
    """The colon after a short name opening the sentence [a, b), when a statement follows it."""
    toks = p.toks
    for k in range(a + 1, min(b - 1, a + 5)):
        if toks[k].text != ":":
            continue
        name = range(a, k)
        if not (all(toks[m].text[:1].isupper() or toks[m].text in {"'s", "’s", "-", "."} for m in name) and k - a <= 4):
            return None
        words = [toks[m].lower for m in name if toks[m].text[:1].isalnum()]
        labels = p.lex.grammar.colon_labels
        if words[0] in labels or words[-1] in labels or " ".join(words) in labels:
            return None
        content = to_clause_end(p, k + 1, b)
        if content is None:
            return None
        if sum(1 for m in range(*content) if toks[m].text[:1].isalpha()) < 2:
            return None  # "Clinton: 547": a tally, not a statement
        return k
    return None


def _spoken_by(p: Passage, attr: Attribution, a: int, k: int) -> Attribution:
    return Attribution(
        content=attr.content,
        kind="direct_quote",
        source=p.chars((a, k)),
        cue=p.chars((k, k + 1)),
        cue_lemma=":",
        cue_class="speech",
        pattern="direct_quote_with_cue",
    )


def _add(out: Emitted, p: Passage, content: TokenSpan, source: TokenSpan | None, cue: Cue, pattern: str) -> None:
    attr = emit(p, content, source, pattern, cue)
    if attr is not None:
        out.append((attr, cue.start))
