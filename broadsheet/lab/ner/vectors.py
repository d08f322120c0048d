"""Word vectors for the recognizer, trained here from unlabeled text in the corpora.

No pretrained vectors can be downloaded, so the recognizer's static vectors are floret vectors
(fastText skipgram with subword n-grams hashed into a small table, as spaCy loads them) trained
on text this project may train on: the Gigaword newswire of the TempEval-3 silver data, the
PolNeAR training articles, and the text of the entity training sources. No dev split is read:
not CoNLL ``eng.testa``, UNER dev, GUM news, TempEval's TimeBank/AQUAINT or PolNeAR dev.

Vectors are keyed by the lower-cased norm of each token; the hashed n-grams give every word,
seen or not, a vector, which is what makes them useful for names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from broadsheet.lab.ner.corpora import TRAIN_SOURCES, load_sets

_TML_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class VectorSettings:
    dim: int = 64
    bucket: int = 20000
    minn: int = 3
    maxn: int = 5
    hash_count: int = 2
    epochs: int = 5
    min_count: int = 3
    window: int = 5


def tml_text(markup: str) -> str:
    """The running text of a TimeML document: what is inside ``<TEXT>``, tags removed."""
    match = _TML_TEXT.search(markup)
    body = match.group(1) if match else ""
    return html.unescape(_TAG.sub("", body)).strip()


def unlabeled_texts(corpora: Path, train_sources: Sequence[str]) -> Iterator[str]:
    """Texts for the vectors: TempEval-3 silver newswire, PolNeAR train, the NER training text."""
    tempeval = corpora / "tempeval3" / "Training"
    for path in sorted(tempeval.glob("TE3-Silver-data-*/**/*.tml")):
        text = tml_text(path.read_text(encoding="utf-8", errors="replace"))
        if text:
            yield text
    for path in sorted((corpora / "polnear" / "data" / "train" / "text").glob("*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")
    for sentences in load_sets(corpora, train_sources, TRAIN_SOURCES).values():
        for sentence in sentences:
            yield sentence.text


def write_token_file(texts: Iterable[str], path: Path, tokenizer) -> int:  # noqa: ANN001 - spaCy type
    """One line per paragraph, tokens' norms separated by spaces; returns the number of tokens."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for text in texts:
            for para in text.split("\n"):
                if not para.strip():
                    continue
                norms = [t.norm_ for t in tokenizer(para) if not t.is_space]
                n += len(norms)
                fh.write(" ".join(norms) + "\n")
    return n


def train_floret(token_file: Path, out_prefix: Path, settings: VectorSettings) -> Path:
    """Train floret vectors; returns the ``.floret`` file spaCy reads.

    floret takes no seed: its random state is fixed per thread, so one thread makes the run
    repeatable.
    """
    import floret

    model = floret.train_unsupervised(
        str(token_file),
        model="skipgram",
        mode="floret",
        dim=settings.dim,
        bucket=settings.bucket,
        minn=settings.minn,
        maxn=settings.maxn,
        hashCount=settings.hash_count,
        epoch=settings.epochs,
        minCount=settings.min_count,
        ws=settings.window,
        thread=1,
        verbose=0,
    )
    out = out_prefix.with_suffix(".floret")
    model.save_floret_vectors(str(out))
    return out


def build_vectors(corpora: Path, work: Path, train_sources: Sequence[str], settings: VectorSettings) -> tuple[Path, int]:
    """A spaCy pipeline folder holding only the trained vectors (for ``[initialize] vectors``).

    A work folder that already holds vectors built from the same sources with the same settings
    is reused (experiments in one work folder); a fresh work folder always trains them.
    """
    import json

    import spacy
    from spacy.training.initialize import convert_vectors

    out = work / "vectors_model"
    stamp = work / "vectors_settings.json"
    wanted = json.dumps({"settings": asdict(settings), "sources": list(train_sources)}, sort_keys=True)
    if out.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return out, int(json.loads((work / "vectors_tokens.json").read_text(encoding="utf-8")))
    nlp = spacy.blank("en")
    token_file = work / "unlabeled.txt"
    n_tokens = write_token_file(unlabeled_texts(corpora, train_sources), token_file, nlp.tokenizer)
    floret_file = train_floret(token_file, work / "vectors", settings)
    convert_vectors(nlp, floret_file, truncate=0, prune=-1, mode="floret", name="broadsheet_news_floret", attr="NORM")
    nlp.to_disk(out)
    (work / "vectors_tokens.json").write_text(str(n_tokens), encoding="utf-8")
    stamp.write_text(wanted, encoding="utf-8")
    return out, n_tokens
