"""How surely a claim is stated: asserted, hedged, predicted, conditional, negated or questioned.

Read from the words of the claim's content and from its cue ("predicted", "denied", "asked"). When
several apply, the most qualifying one wins, in the order questioned > conditional > hedged >
predicted > negated; `modality_cues` lists the words that decided it, as written.
"""

from __future__ import annotations

from broadsheet.extract.claims._text import Token
from broadsheet.extract.claims.lexicon import Lexicon

PRECEDENCE = ("questioned", "conditional", "hedged", "predicted", "negated")


def classify_modality(
    tokens: list[Token], text: str, content_end: int, cue_text: str | None, lex: Lexicon
) -> tuple[str, tuple[str, ...]]:
    """Modality of a claim whose content is ``tokens``; ``content_end`` locates a trailing "?"."""
    found: dict[str, list[str]] = {}
    lower = [t.lower.replace("’", "'") for t in tokens]
    _content_cues(tokens, lower, lex, found)
    trailing = text[content_end : content_end + 3]
    if (tokens and tokens[-1].text == "?") or trailing.lstrip("\"”’' ").startswith("?") or trailing[:1] == "?":
        found.setdefault("questioned", []).append("?")
    if cue_text is not None:
        _cue_verb_cues(cue_text, lower, lex, found)
    for modality in PRECEDENCE:
        if modality in found:
            return modality, tuple(dict.fromkeys(found[modality]))
    return "asserted", ()


def _content_cues(tokens: list[Token], lower: list[str], lex: Lexicon, found: dict[str, list[str]]) -> None:
    """Add the modality words of the content, as written, to ``found`` by modality."""
    index = lex.modality_by_first
    for i, w in enumerate(lower):
        for modality, phrase in index.get(w, ()):
            size = len(phrase)
            if phrase == ("?",) or (size > 1 and tuple(lower[i : i + size]) != phrase):
                continue
            if not _counts(phrase, i, tokens, lower, lex):
                continue
            found.setdefault(modality, []).append(" ".join(t.text for t in tokens[i : i + size]))
    for i, w in enumerate(lower):
        if w.endswith("n't") and w != "n't":
            found.setdefault("negated", []).append(tokens[i].text)
            if w in {"won't"}:
                found.setdefault("predicted", []).append(tokens[i].text)


def _cue_verb_cues(cue_text: str, lower: list[str], lex: Lexicon, found: dict[str, list[str]]) -> None:
    """Put the cue first among the words of the modality its verb gives ("predicted", "denied")."""
    for w in cue_text.lower().split():
        m = lex.cue_modality.get(w)
        if m is None:
            continue
        # "asked" questions only when it introduces a question, not "asked him to resign".
        if m == "questioned" and not (lower[:1] and lower[0] in lex.question_words) and "questioned" not in found:
            continue
        found.setdefault(m, []).insert(0, cue_text)


def _counts(phrase: tuple[str, ...], i: int, tokens: list[Token], lower: list[str], lex: Lexicon) -> bool:
    """Filters for cue words that are often something else."""
    word = " ".join(phrase)
    nxt = lower[i + len(phrase)] if i + len(phrase) < len(lower) else ""
    prev = lower[i - 1] if i > 0 else ""
    if word in lex.approximators:
        return nxt[:1].isdigit() or nxt in lex.quantity_starts
    if word in {"may", "will"}:
        # "May 5" is a month; "the will of the people" a noun.
        if tokens[i].text == "May" and (nxt[:1].isdigit() or i > 0):
            return False
        return prev not in lex.modal_noun_blockers
    if word == "if":
        return prev != "as"  # "as if" compares; it does not make a condition
    if word in {"soon"}:
        return prev not in {"as"}
    return True
