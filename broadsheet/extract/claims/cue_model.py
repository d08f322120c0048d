"""The learned cue detector: how likely a token is the head of an attribution cue in its context.

A logistic regression over sparse features of the token and its neighbours (the word, its
lexicon class, the shapes of the words around it, whether a quotation, "that" or a colon is near).
It decides which occurrences of a cue word attribute something ("the ministry said" but not "the
said ministry", "voters support" but not "his support") and adds the cue words the hand-written
lexicon lacks. Only words in the model's vocabulary are scored; any other token is not a cue.

Model card. Trained by `broadsheet.lab.cue_training` on the PolNeAR training split (the 694 of
its 840 political news articles from 2016 outside the fixed sample kept as a second dev set, one
annotator per document), label = the first content word of each gold Cue span. Its vocabulary is
the cue lexicon derived from the same articles by counts (``lexicon``: each word's gold cue heads
and occurrences outside quotations), with the rarer forms of a ``cues.yaml`` verb whose forms
together pass (a form too rare to judge alone borrows its lemma's evidence); any other word below
the chosen count and share is never a cue in running text. Weights, vocabulary and counts only; no corpus text is stored. Known limits:
US political news of one period; English only; features depend on ``cues.yaml``, so retrain after
changing its word lists.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from broadsheet.extract.claims._text import QUOTE_MARKS, TextView
from broadsheet.extract.claims.lexicon import Lexicon

MODEL_PATH = Path(__file__).with_name("cue_model.json")


def word_class(word: str, text: str, lex: Lexicon) -> str:
    """A coarse part-of-speech-like class from closed word lists and the word's shape."""
    if word == "that":
        return "THAT"
    if word == "to":
        return "TO"
    if text in QUOTE_MARKS:
        return "Q"
    if word in {":", ";"}:
        return "COLON"
    if word == ",":
        return "COMMA"
    if word in {".", "!", "?"}:
        return "END"
    if word in lex.subject_pronouns:
        return "PRON"
    if word in lex.grammar.possessives or word.endswith(("'s", "’s")):
        return "POSS"
    if word in lex.determiners:
        return "DET"
    if word in lex.feature_auxiliaries or word.endswith(("n't", "n’t")):
        return "AUX"
    if word in lex.feature_prepositions:
        return "PREP"
    if text[:1].isupper():
        return "CAP"
    if text[:1].isdigit():
        return "NUM"
    if word.endswith("ly"):
        return "ADV"
    if word in lex.verb_forms:
        return "CUEV"
    if not text[:1].isalnum():
        return "P"
    return "W"


def token_features(view: TextView, i: int, in_quote: list[bool], lex: Lexicon) -> list[str]:
    """Feature names of token ``i``; the same function serves training and prediction."""
    toks = view.tokens
    sent = view.sentence_of(i)
    a, b = view.sentences[sent]
    t = toks[i]
    w = t.lower

    def at(k: int) -> tuple[str, str]:
        if a <= k < b:
            tok = toks[k]
            return tok.lower, word_class(tok.lower, tok.text, lex)
        return "<s>", "NONE"

    p1, p1c = at(i - 1)
    p2, p2c = at(i - 2)
    n1, n1c = at(i + 1)
    n2, n2c = at(i + 2)
    lex_class = lex.verb_forms.get(w, ("", "none"))[1]
    after_quote = any(toks[k].text in QUOTE_MARKS for k in range(max(a, i - 3), i))
    before_quote = any(toks[k].text in QUOTE_MARKS for k in range(i + 1, min(b, i + 4)))
    that_soon = any(toks[k].lower == "that" for k in range(i + 1, min(b, i + 4)))
    q = "1" if in_quote[i] else "0"
    aq = f"{int(after_quote)}{int(before_quote)}"
    return [
        "bias",
        "w=" + w,
        "lex=" + lex_class,
        "p1=" + p1,
        "n1=" + n1,
        "p1c=" + p1c,
        "n1c=" + n1c,
        "p2c=" + p2c,
        "n2c=" + n2c,
        "w|n1=" + w + "|" + n1,
        "p1|w=" + p1 + "|" + w,
        "p1c|w=" + p1c + "|" + w,
        "w|n1c=" + w + "|" + n1c,
        "lex|n1c=" + lex_class + "|" + n1c,
        "p1c|n1c=" + p1c + "|" + n1c,
        "p2c|p1c=" + p2c + "|" + p1c,
        "s3=" + w[-3:],
        "q=" + q,
        "lex|q=" + lex_class + "|" + q,
        "w|q=" + w + "|" + q,
        f"cap={int(t.text[:1].isupper())}{int(i == a)}",
        f"end={min(b - 1 - i, 4)}",
        f"start={min(i - a, 4)}",
        "aq=" + aq,
        "lex|aq=" + lex_class + "|" + aq,
        "w|aq=" + w + "|" + aq,
        f"that3={int(that_soon)}",
        f"lex|that3={lex_class}|{int(that_soon)}",
    ]


def quote_mask(view: TextView) -> list[bool]:
    """Whether each token lies inside a quotation."""
    mask = [False] * len(view.tokens)
    for q in view.quotes:
        for k in range(view.token_at(q.start), view.token_at(q.end)):
            mask[k] = True
    return mask


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    vocabulary: frozenset[str]
    threshold: float  # probability from which a token is read as a cue in running text
    quote_threshold: float  # lower bar next to a quotation, where the position itself is evidence
    # The derived lexicon's evidence: word -> (gold cue heads, occurrences outside quotations).
    lexicon: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Participles that keep the subject before "be" as their speaker ("we are convinced that",
    # "she was worried that"), unlike a passive ("it is expected that", "he was asked whether"):
    # word -> (gold cues after "be" whose source stands before them, all gold cues after "be").
    subject_participles: dict[str, tuple[int, int]] = field(default_factory=dict)

    def probability(self, features: list[str]) -> float:
        w = self.weights
        z = sum(w.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def scores(self, view: TextView, lex: Lexicon) -> dict[int, float]:
        """Cue probability of every vocabulary token of the text, by token index."""
        mask = quote_mask(view)
        vocab = self.vocabulary
        out: dict[int, float] = {}
        for i, tok in enumerate(view.tokens):
            if tok.lower in vocab:
                out[i] = self.probability(token_features(view, i, mask, lex))
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "quote_threshold": self.quote_threshold,
            "vocabulary": sorted(self.vocabulary),
            "lexicon": {w: list(self.lexicon[w]) for w in sorted(self.lexicon)},
            "subject_participles": {w: list(self.subject_participles[w]) for w in sorted(self.subject_participles)},
            "weights": dict(sorted(self.weights.items())),
        }


def load_cue_model(path: Path = MODEL_PATH) -> CueModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return CueModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        vocabulary=frozenset(data["vocabulary"]),
        threshold=float(data["threshold"]),
        quote_threshold=float(data["quote_threshold"]),
        lexicon={str(w): (int(h), int(n)) for w, (h, n) in data.get("lexicon", {}).items()},
        subject_participles={str(w): (int(h), int(n)) for w, (h, n) in data.get("subject_participles", {}).items()},
    )


@lru_cache(maxsize=1)
def default_cue_model() -> CueModel | None:
    """The model shipped next to this module; None when it is absent (the lexicon alone decides)."""
    if not MODEL_PATH.exists():
        return None
    return load_cue_model(MODEL_PATH)
