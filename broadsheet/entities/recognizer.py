"""The entity recognizer the pipeline calls: load the shipped model, find mentions in text.

The model is a spaCy pipeline trained by :mod:`broadsheet.lab.ner.train` and stored under
``models/`` in the repository; loading reads that folder and nothing else (no download, no
model hub). Every mention's offsets index the exact string passed in, so
``text[m.start:m.end] == m.text`` always holds.

Confidence is the probability the tagger gives the actions that made the mention (see
:meth:`Recognizer._decode`); :func:`broadsheet.entities.spans.repair_spans` then mends cut
names and country-led organization names, and the one-reading-per-text step
(:func:`one_reading_per_text`) makes repeated names agree. The token encoder runs through :mod:`broadsheet.entities.encoder`,
spaCy's arithmetic at less cost; ``load_recognizer(fast=False)`` runs spaCy's own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.entities.encoder import FastEncoder
from broadsheet.entities.names import fold, same_name
from broadsheet.entities.spans import repair_spans
from broadsheet.entities.tagger import FastTagger
from broadsheet.paths import models_dir

#: The model shipped with the repository.
DEFAULT_MODEL_NAME = "ner-news-en"


def _default_model_dir() -> Path:
    return models_dir() / DEFAULT_MODEL_NAME


DEFAULT_MODEL_DIR = _default_model_dir()


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention: ``text[start:end] == self.text`` in the text it was found in.

    In slots: the extract stage holds every document's mentions until the corpus's entities are
    made, and a mention with a dict of its own took about 400 bytes (about 215 MiB for the
    558,000 mentions of 24,520 articles), half of it the dict."""

    start: int
    end: int
    text: str
    label: str
    confidence: float


class Recognizer:
    """Finds named-entity mentions with a trained model; build it with :func:`load_recognizer`."""

    version: str

    def __init__(self, nlp: Any | Sequence[Any], version: str, consistent: bool = True, fast: bool = True) -> None:
        members = list(nlp) if isinstance(nlp, (list, tuple)) else [nlp]
        if not members:
            raise ValueError("a recognizer needs at least one trained pipeline")
        self._members = members
        self._nlp = members[0]
        self._tok2vecs = [m.get_pipe("tok2vec") for m in members]
        self._ners = [m.get_pipe("ner") for m in members]
        self._ner = self._ners[0]
        self._consistent = consistent
        self.version = version
        self.labels: tuple[str, ...] = tuple(self._ner.labels)
        names = [self._ner.moves.get_class_name(i) for i in range(self._ner.moves.n_moves)]
        for other in self._ners[1:]:
            # the members decode in step: the same action index must mean the same action
            if [other.moves.get_class_name(i) for i in range(other.moves.n_moves)] != names:
                raise ValueError("ensemble members have different tagger actions; train them on the same labels")
        self._moves = _MoveTable(names)
        # A member's encoder reads its static vectors through the Docs' vocabulary. Members
        # trained alike share one vector table (the vectors are trained without a seed), and
        # then all of them can read the first member's Docs; otherwise each gets copies.
        self._shared_docs = all(_same_vectors(members[0].vocab, m.vocab) for m in members[1:])
        for member in members:
            member.vocab.vectors = _BatchVectors.wrap(member.vocab.vectors)
        # The same encoder and tagger arithmetic, without thinc's per-layer overheads and with
        # each text's products its own (encoder.py, tagger.py); a member of an architecture
        # they do not know keeps spaCy's own path.
        self._fast = [FastEncoder.of(t.model) if fast else None for t in self._tok2vecs]
        self._taggers = [FastTagger.of(n.model) if fast else None for n in self._ners]

    def find(self, text: str) -> list[Mention]:
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str], batch_size: int = 64) -> list[list[Mention]]:
        """Mentions in each text, in order of position; texts are processed in batches.

        A batch is decoded one token position at a time until its longest text ends, so texts
        of like length are batched together (the answers do not depend on the batching).
        """
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[Mention]] = [[] for _ in texts]
        for k in range(0, len(order), batch_size):
            chunk = order[k : k + batch_size]
            for i, found in zip(chunk, self._find_batch([texts[i] for i in chunk]), strict=True):
                out[i] = found
        return out

    def _find_batch(self, texts: Sequence[str]) -> list[list[Mention]]:
        from spacy.tokens import Doc

        docs = [self._nlp.make_doc(text) for text in texts]
        results: list[list[Mention]] = [[] for _ in texts]
        todo = [i for i, doc in enumerate(docs) if len(doc)]
        if not todo:
            return results
        work = [docs[i] for i in todo]
        # Every member reads the same tokens: the first member's Docs, or copies of them in each
        # member's own vocabulary when their vector tables differ (see _decode for why sharing
        # is safe).
        if self._shared_docs:
            per_member = [work] * len(self._members)
        else:
            per_member = [work] + [
                [Doc(m.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]) for d in work]
                for m in self._members[1:]
            ]
        for i, doc, scored in zip(todo, work, self._decode(per_member), strict=True):
            if self._consistent:
                words = [t.text for t in doc]
                scored = one_reading_per_text(words, repair_spans(words, scored))
            results[i] = _mentions(texts[i], doc, scored)
        return results

    def _decode(self, per_member: list[list[Any]]) -> list[Scored]:
        """Greedy decoding, as the tagger was trained, keeping every step's action scores.

        The tagger takes one action per token (O, or B/I/L/U with a label), always the best
        valid one. A mention's confidence is the probability of the actions that made it: the
        product, over its tokens, of the chosen action's softmax among the actions valid there.

        With several members (models trained alike from different seeds), each step's scores
        are the mean of the members' log-probabilities over the actions, and every member takes
        that same action, so all of them stay in step on one reading of the text.
        """
        import numpy as np

        docs = per_member[0]
        # One set of parse states serves every member: a state is positions into the batch's
        # tokens (the same in every member's Docs) and the actions taken, which are the same
        # for all members, so each member's step model reads its own features through it.
        batch = self._ner.moves.init_batch(docs)
        step_models = []
        members = zip(self._tok2vecs, self._fast, self._taggers, self._ners, per_member, strict=True)
        for tok2vec, fast, tagger, ner, member_docs in members:
            if fast is not None and tagger is not None:
                step_models.append(tagger.step_model(member_docs, fast(member_docs)))
                continue
            # At prediction time spaCy's tagger reads its encoder's output from ``doc.tensor``,
            # which the next member's encoder overwrites when the Docs are shared: each member's
            # tagger takes what it needs from the Docs (its per-token features) right after
            # its own encoder has run.
            if fast is not None:
                tok2vec.set_annotations(member_docs, fast(member_docs))
            else:
                for _ in tok2vec.pipe(member_docs, batch_size=len(member_docs)):
                    pass
            step_models.append(ner.model.predict(member_docs))
        steps: list[list[Any]] = [[] for _ in docs]
        position = {id(state): k for k, state in enumerate(batch)}
        states = [state for state in batch if not state.is_final()]
        while states:
            if len(step_models) == 1:
                scores = step_models[0].predict(states)
            else:
                scores = np.mean([_log_softmax(m.predict(states)) for m in step_models], axis=0)
                scores = np.ascontiguousarray(scores, dtype=np.float32)
            for state, row in zip(states, scores, strict=True):
                steps[position[id(state)]].append(row)
            states = self._ner.transition_states(states, scores)
        for step_model in step_models:
            step_model.clear_memory()
        self._ner.set_annotations(docs, batch)
        out: list[Scored] = []
        for doc, rows in zip(docs, steps, strict=True):
            out.append({(e.start, e.end, e.label_): self._moves.confidence(rows, e.start, e.end, e.label_) for e in doc.ents})
        return out


class _BatchVectors:
    """A floret vector table that works out each distinct word's vector once per batch.

    Floret builds a word's vector by hashing its character n-grams, about a tenth of the
    recognizer's time; a batch repeats most of its words, and in an ensemble reading shared Docs
    every member asks for the very same batch. spaCy's encoder calls ``get_batch`` on any
    vectors object that has one; everything else is left to the wrapped table. Nothing is kept
    from one batch to the next but the last answer, so the speed measured is that of new text.
    """

    def __init__(self, vectors: Any) -> None:
        self._vectors = vectors
        self._last: tuple[Any, Any] | None = None

    @classmethod
    def wrap(cls, vectors: Any) -> Any:
        from spacy.vectors import Mode, Vectors

        if isinstance(vectors, Vectors) and vectors.mode == Mode.floret:
            return cls(vectors)
        return vectors

    def __getattr__(self, name: str) -> Any:
        return getattr(self._vectors, name)

    def get_batch(self, keys: Any) -> Any:
        import numpy as np

        keys = np.asarray(keys, dtype=np.uint64)
        if self._last is not None and np.array_equal(self._last[0], keys):
            return self._last[1]
        distinct, where = np.unique(keys, return_inverse=True)
        rows = np.asarray(self._vectors.get_batch(distinct))[where.reshape(-1)]
        self._last = (keys, rows)
        return rows


def _same_vectors(a: Any, b: Any) -> bool:
    """Whether two vocabularies hold the same static vector table (same mode, keys and rows)."""
    import numpy as np

    va, vb = a.vectors, b.vectors
    if va is vb:
        return True
    if va.mode != vb.mode or va.shape != vb.shape or not np.array_equal(va.data, vb.data):
        return False
    # the rest: the key-to-row table, and floret's n-gram and hashing settings
    return bool(va.to_bytes(exclude=["vectors"]) == vb.to_bytes(exclude=["vectors"]))


def _log_softmax(scores: Any) -> Any:
    import numpy as np

    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


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
    [
        "inc",
        "corp",
        "corporation",
        "co",
        "cos",
        "ltd",
        "limited",
        "plc",
        "llc",
        "lp",
        "sa",
        "spa",
        "ag",
        "gmbh",
        "nv",
        "bv",
        "ab",
        "asa",
        "oyj",
        "bhd",
        "pty",
        "srl",
        "kk",
    ]
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
    person's name standing alone ("Simmons" after "Phil Simmons"); (3) so does a person's name
    or surname in another spelling ("Soleymani" after "Qassem Soleimani"). Added mentions take
    the mean confidence of the mentions they copy.
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
    label_of = {key: max(options.items(), key=lambda kv: (kv[1], -first_seen[(key, kv[0])]))[0] for key, options in votes.items()}
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
    surnames = {
        key[-1] for key, label in label_of.items() if label == "PERSON" and len(key) > 1 and _is_capitalised(surface[key][-1])
    }
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
    _add_spelling_variants(words, wanted, taken, out)
    return out


def _add_spelling_variants(
    words: Sequence[str], wanted: dict[tuple[str, ...], tuple[str, float]], taken: list[bool], out: Scored
) -> None:
    """(3) of :func:`one_reading_per_text`: a person's name written in another spelling in the
    same text ("Soleymani" after "Soleimani"; names transliterated from Arabic, Persian or
    Russian reach one article under several) is that person, by the spelling rule the
    canonicalizer uses (:func:`broadsheet.entities.names.same_name`: vowels, doubled letters,
    first and last letters kept)."""
    shapes: dict[tuple[int, str, str], list[tuple[tuple[str, ...], float]]] = {}
    for key, (label, conf) in wanted.items():
        # six letters at least: shorter names are one vowel away from common words ("Mike"/"Make")
        if label == "PERSON" and len(key) <= 2 and all(len(w) >= MIN_VARIANT_LETTERS for w in key):
            known = tuple(fold(w) for w in key)
            shapes.setdefault(_shape(known), []).append((known, conf))
    if not shapes:
        return
    # only capitalised words long enough can be a variant: fold those alone, once
    initials = {shape[1][:1].upper() for shape in shapes}
    # (a word whose initial is no ASCII letter may fold onto one: "Ólafur" is "Olafur")
    folded = [fold(w) if len(w) >= MIN_VARIANT_LETTERS and (w[:1] in initials or not w[:1].isascii()) else "" for w in words]
    starts = [i for i, f in enumerate(folded) if len(f) >= MIN_VARIANT_LETTERS and not taken[i]]
    for n in (2, 1):
        for i in starts:
            j = i + n
            if j > len(words) or any(taken[i:j]) or (n == 2 and len(folded[i + 1]) < MIN_VARIANT_LETTERS):
                continue
            name = tuple(folded[i:j])
            candidates = shapes.get(_shape(name))
            if not candidates:
                continue
            if (i > 0 and _is_capitalised(words[i - 1])) or (j < len(words) and _is_capitalised(words[j])):
                continue
            fits = [conf for known, conf in candidates if known != name and same_name(known, name)]
            if fits:
                out[(i, j, "PERSON")] = max(fits)
                for k in range(i, j):
                    taken[k] = True


#: Shortest word a spelling variant is looked for (see :func:`_add_spelling_variants`).
MIN_VARIANT_LETTERS = 6


def _shape(folded: Sequence[str]) -> tuple[int, str, str]:
    """What two spellings of one name share: word count, initials and last letter."""
    return (len(folded), "".join(w[:1] for w in folded), folded[-1][-1:] if folded and folded[-1] else "")


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
    members = ensemble_members(path)
    meta = json.loads((members[0] / "meta.json").read_text(encoding="utf-8")) if members else {}
    return f"{path.name}@{meta.get('version', 'unknown')}"


def load_recognizer(path: Path | None = None, consistent: bool = True, fast: bool = True) -> Recognizer:
    """The recognizer saved at ``path`` (default: the model shipped under ``models/``).

    ``fast=False`` runs the token encoder through spaCy itself instead of :mod:`encoder`'s
    equivalent (for checking that the two agree)."""
    import spacy
    from thinc.api import use_ops

    model_dir = Path(path) if path is not None else DEFAULT_MODEL_DIR
    members = ensemble_members(model_dir)
    if not members:
        raise FileNotFoundError(
            f"no trained entity model at {model_dir}; train one with "
            "`python -m broadsheet.lab.ner.train --corpora ../shared/corpora --out models/<name>`"
        )
    # numpy's BLAS instead of thinc's bundled BLIS: the same arithmetic, several times faster on
    # the machines measured (AMD EPYC), and the model was trained this way.
    with use_ops("numpy", use_blis=False):
        nlps = [spacy.load(member) for member in members]
    return Recognizer(nlps, model_version(model_dir), consistent=consistent, fast=fast)


#: Lists an ensemble's member pipelines (sub-folders), in a model folder that holds several.
ENSEMBLE_FILE = "ensemble.json"


def ensemble_members(model_dir: Path) -> list[Path]:
    """The spaCy pipeline folders a model is made of: the folder itself for a single pipeline,
    the folders its ``ensemble.json`` names for an ensemble; empty when there is no model."""
    listing = model_dir / ENSEMBLE_FILE
    if listing.is_file():
        names = json.loads(listing.read_text(encoding="utf-8"))["members"]
        members = [model_dir / name for name in names]
        missing = [str(m) for m in members if not (m / "meta.json").is_file()]
        if missing:
            raise FileNotFoundError(f"ensemble members missing from {model_dir}: {', '.join(missing)}")
        return members
    return [model_dir] if (model_dir / "meta.json").is_file() else []
