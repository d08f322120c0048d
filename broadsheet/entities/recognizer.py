"""The entity recognizer the pipeline calls: load the shipped model, find mentions in text.

The model is a spaCy pipeline trained by :mod:`broadsheet.entities.train` and stored under
``models/`` in the repository; loading reads that folder and nothing else (no download, no
model hub). Every mention's offsets index the exact string passed in, so
``text[m.start:m.end] == m.text`` always holds.

Confidence is the probability the tagger gives the actions that made the mention (see
:meth:`Recognizer._decode`); the one-reading-per-text step (:func:`one_reading_per_text`) then
makes repeated names agree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.paths import PACKAGE_DIR, REPO_ROOT

#: The model shipped with the repository.
DEFAULT_MODEL_NAME = "ner-news-en"


def _default_model_dir() -> Path:
    """``models/<name>`` in a checkout; the packaged copy (``broadsheet/_models``) otherwise."""
    in_checkout = REPO_ROOT / "models" / DEFAULT_MODEL_NAME
    if in_checkout.is_dir():
        return in_checkout
    return PACKAGE_DIR / "_models" / DEFAULT_MODEL_NAME


DEFAULT_MODEL_DIR = _default_model_dir()


@dataclass(frozen=True)
class Mention:
    """A named-entity mention: ``text[start:end] == self.text`` in the text it was found in."""

    start: int
    end: int
    text: str
    label: str
    confidence: float


class Recognizer:
    """Finds named-entity mentions with a trained model; build it with :func:`load_recognizer`."""

    version: str

    def __init__(self, nlp: Any, version: str, consistent: bool = True) -> None:
        self._nlp = nlp
        self._tok2vec = nlp.get_pipe("tok2vec")
        self._ner = nlp.get_pipe("ner")
        self._consistent = consistent
        self.version = version
        self.labels: tuple[str, ...] = tuple(self._ner.labels)
        names = [self._ner.moves.get_class_name(i) for i in range(self._ner.moves.n_moves)]
        self._moves = _MoveTable(names)

    def find(self, text: str) -> list[Mention]:
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str], batch_size: int = 64) -> list[list[Mention]]:
        """Mentions in each text, in order of position; texts are processed in batches."""
        out: list[list[Mention]] = []
        for i in range(0, len(texts), batch_size):
            out.extend(self._find_batch(texts[i : i + batch_size]))
        return out

    def _find_batch(self, texts: Sequence[str]) -> list[list[Mention]]:
        docs = [self._nlp.make_doc(text) for text in texts]
        results: list[list[Mention]] = [[] for _ in texts]
        todo = [i for i, doc in enumerate(docs) if len(doc)]
        if not todo:
            return results
        work = list(self._tok2vec.pipe([docs[i] for i in todo], batch_size=len(todo)))
        for i, doc, scored in zip(todo, work, self._decode(work), strict=True):
            if self._consistent:
                scored = one_reading_per_text([t.text for t in doc], scored)
            results[i] = _mentions(texts[i], doc, scored)
        return results

    def _decode(self, docs: list[Any]) -> list[Scored]:
        """Greedy decoding, as the tagger was trained, keeping every step's action scores.

        The tagger takes one action per token (O, or B/I/L/U with a label), always the best
        valid one. A mention's confidence is the probability of the actions that made it: the
        product, over its tokens, of the chosen action's softmax among the actions valid there.
        """
        ner = self._ner
        batch = ner.moves.init_batch(docs)
        step_model = ner.model.predict(docs)
        steps: list[list[Any]] = [[] for _ in batch]
        position = {id(state): k for k, state in enumerate(batch)}
        states = [state for state in batch if not state.is_final()]
        while states:
            scores = step_model.predict(states)
            for state, row in zip(states, scores, strict=True):
                steps[position[id(state)]].append(row)
            states = ner.transition_states(states, scores)
        step_model.clear_memory()
        ner.set_annotations(docs, batch)
        out: list[Scored] = []
        for doc, rows in zip(docs, steps, strict=True):
            out.append({(e.start, e.end, e.label_): self._moves.confidence(rows, e.start, e.end, e.label_) for e in doc.ents})
        return out


class _MoveTable:
    """Which of the tagger's actions are valid where, by action name ("B-ORG", "L-GPE", "O")."""

    def __init__(self, names: Sequence[str]) -> None:
        import numpy as np

        self._np = np
        self.names = list(names)
        n = len(names)
        self.outside = np.zeros(n, dtype=bool)  # valid when no mention is open: B-*, U-*, O
        self.inside: dict[str, Any] = {}  # label → valid while a mention of it is open: I-, L-
        self.index = {name: i for i, name in enumerate(names)}
        for i, name in enumerate(names):
            kind, _, label = name.partition("-")
            if name == "O" or (kind in {"B", "U"} and label):
                self.outside[i] = True
            elif kind in {"I", "L"} and label:
                self.inside.setdefault(label, np.zeros(n, dtype=bool))[i] = True

    def _prob(self, row: Any, valid: Any, action: str) -> float:
        np = self._np
        scores = np.where(valid, row, -np.inf)
        scores = scores - scores.max()
        weights = np.exp(scores)
        return float(weights[self.index[action]] / weights.sum())

    def confidence(self, rows: Sequence[Any], start: int, end: int, label: str) -> float:
        if end - start == 1:
            return self._prob(rows[start], self.outside, f"U-{label}")
        p = self._prob(rows[start], self.outside, f"B-{label}")
        inside = self.inside[label]
        for t in range(start + 1, end - 1):
            p *= self._prob(rows[t], inside, f"I-{label}")
        return p * self._prob(rows[end - 1], inside, f"L-{label}")


Scored = dict[tuple[int, int, str], float]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word)


#: Legal-form words that end a company's name ("Pirelli SpA", "Lear Corp", "Acme Ltd."): a name
#: ending in one is an organization, whatever the tagger made of the words before it.
LEGAL_FORMS = frozenset(
    "inc corp corporation co cos ltd limited plc llc lp sa spa ag gmbh nv bv ab asa oyj bhd pty srl kk".split()
)


def _key(words: Sequence[str]) -> tuple[str, ...]:
    """What makes two mentions the same name: their words, case aside ("PIRELLI" in a headline
    is the "Pirelli" of the body)."""
    return tuple(w.lower() for w in words)


def _is_legal_form(word: str) -> bool:
    return word.lower().rstrip(".") in LEGAL_FORMS


def one_reading_per_text(words: Sequence[str], scored: Scored) -> Scored:
    """Make a text's mentions agree with each other: one name, one label, everywhere in it.

    The tagger decides each occurrence from a few words of context; an article repeats a name
    with more context elsewhere. So (1) every mention with the same words (case aside) takes the
    label with the most confidence summed over them; a name ending in a legal form ("Pirelli
    SpA") is an organization, and so is the same name without it ("Pirelli"); a one-word mention
    that is the last word of a recognized person's name is that person; (2) an occurrence of a
    recognized name's words that the tagger left out, that starts with a capital and is not part
    of a longer capitalised name, becomes a mention too; so does the last word of a recognized
    person's name standing alone ("Simmons" after "Phil Simmons"). Added mentions take the mean
    confidence of the mentions they copy.
    """
    if not scored:
        return scored
    votes: dict[tuple[str, ...], dict[str, float]] = {}
    first_seen: dict[tuple[tuple[str, ...], str], int] = {}
    for (start, end, label), conf in scored.items():
        key = _key(words[start:end])
        votes.setdefault(key, {}).setdefault(label, 0.0)
        votes[key][label] += conf
        first_seen.setdefault((key, label), start)
    label_of = {
        key: max(options.items(), key=lambda kv: (kv[1], -first_seen[(key, kv[0])]))[0] for key, options in votes.items()
    }
    for key in list(label_of):
        if len(key) > 1 and _is_legal_form(key[-1]):
            label_of[key] = "ORG"
            if key[:-1] in label_of:
                label_of[key[:-1]] = "ORG"
    out: Scored = {}
    confs: dict[tuple[str, ...], list[float]] = {}
    surface: dict[tuple[str, ...], tuple[str, ...]] = {}
    for (start, end, _), conf in sorted(scored.items()):
        key = _key(words[start:end])
        confs.setdefault(key, []).append(conf)
        surface.setdefault(key, tuple(words[start:end]))
    # A person's surname standing alone is that person ("Barrett said" after "Nicole Barrett").
    surnames = {key[-1] for key, label in label_of.items() if label == "PERSON" and len(key) > 1 and _is_capitalised(surface[key][-1])}
    for key in label_of:
        if len(key) == 1 and key[0] in surnames:
            label_of[key] = "PERSON"
    for (start, end, _), conf in scored.items():
        out[(start, end, label_of[_key(words[start:end])])] = conf
    taken = [False] * len(words)
    for start, end, _ in out:
        for i in range(start, end):
            taken[i] = True
    # Names to look for: each recognized name, and the surname of each multi-word person.
    wanted: dict[tuple[str, ...], tuple[str, float]] = {}
    for key, label in label_of.items():
        if not _is_capitalised(surface[key][0]):
            continue
        mean = sum(confs[key]) / len(confs[key])
        wanted[key] = (label, mean)
        last = surface[key][-1]
        if label == "PERSON" and len(key) > 1 and _is_capitalised(last) and len(last) > 2:
            wanted.setdefault((key[-1],), (label, mean))
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w.lower(), []).append(i)
    for key, (label, conf) in sorted(wanted.items(), key=lambda kv: -len(kv[0])):
        n = len(key)
        for i in positions.get(key[0], []):
            j = i + n
            if _key(words[i:j]) != key or any(taken[i:j]) or not _is_capitalised(words[i]):
                continue
            before = words[i - 1] if i > 0 else ""
            after = words[j] if j < len(words) else ""
            if _is_capitalised(before) or _is_capitalised(after):
                continue  # part of a longer name, or a sentence start we cannot judge
            out[(i, j, label)] = conf
            for k in range(i, j):
                taken[k] = True
    return out


def _mentions(text: str, doc: Any, scored: dict[tuple[int, int, str], float]) -> list[Mention]:
    mentions: list[Mention] = []
    for (start, end, label), confidence in sorted(scored.items()):
        span = doc[start:end]
        begin, finish = span.start_char, span.end_char
        surface = text[begin:finish]
        if not surface or surface != span.text:
            raise AssertionError(f"mention offsets do not match the text: {surface!r} != {span.text!r}")
        mentions.append(Mention(begin, finish, surface, label, round(min(max(confidence, 0.0), 1.0), 4)))
    return mentions


def model_version(path: Path) -> str:
    """``<model name>@<training data hash>`` from the model's training report."""
    report = path / "training_report.json"
    if report.exists():
        return str(json.loads(report.read_text(encoding="utf-8"))["version"])
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return f"{path.name}@{meta.get('version', 'unknown')}"


def load_recognizer(path: Path | None = None, consistent: bool = True) -> Recognizer:
    """The recognizer saved at ``path`` (default: the model shipped under ``models/``)."""
    import spacy
    from thinc.api import use_ops

    model_dir = Path(path) if path is not None else DEFAULT_MODEL_DIR
    if not (model_dir / "meta.json").is_file():
        raise FileNotFoundError(
            f"no trained entity model at {model_dir}; train one with "
            "`python -m broadsheet.entities.train --corpora ../shared/corpora --out models/<name>`"
        )
    # numpy's BLAS instead of thinc's bundled BLIS: the same arithmetic, several times faster on
    # the machines measured (AMD EPYC), and the model was trained this way.
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model_dir)
    return Recognizer(nlp, model_version(model_dir), consistent=consistent)
