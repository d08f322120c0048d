"""Train the entity recognizer from the annotated corpora: ``python -m broadsheet.lab.ner.train``.

    python -m broadsheet.lab.ner.train --corpora ../shared/corpora --out models/<name>

Reads the training splits named in :data:`broadsheet.lab.ner.corpora.TRAIN_SOURCES` (never a
dev split), maps their labels onto ours, holds one document in twenty of each source out as the
validation set that picks the best checkpoint (so no dev set steers training), trains a spaCy
pipeline (tokenizer + CNN tok2vec + transition-based NER) on one thread with fixed seeds, and
saves it with its model card. Same corpora, settings, library versions and CPU: same model.

With several seeds (``--seeds 1,2``, the shipped model's setting) it trains one pipeline per seed,
each in a sub-folder of ``--out``, and lists them in ``ensemble.json``: the recognizer then decodes
with all of them at once (see :meth:`broadsheet.entities.recognizer.Recognizer._decode`).

The dev-set scores in the model card come from :mod:`broadsheet.lab.evaluation.entities`, run on the
saved model after training.
"""

from __future__ import annotations

import os

# One thread: the machine is shared, and the words-per-second figure is a one-core figure. Set
# before numpy or thinc are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from broadsheet.entities.labels import LABELS
from broadsheet.lab.ner.annotated import AnnotatedSentence
from broadsheet.lab.ner.corpora import documents
from broadsheet.lab.ner.settings import DEFAULT_SEEDS, DEFAULT_SOURCES, TrainSettings, split_sources
from broadsheet.lab.ner.vectors import VectorSettings, build_vectors

CONFIG_TEMPLATE = """
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec","ner"]
batch_size = 256
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [{rows}]
include_static_vectors = {static_vectors}

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = {window}
maxout_pieces = 3

[components.ner]
factory = "ner"
incorrect_spans_key = null
moves = null
scorer = {{"@scorers":"spacy.ner_scorer.v1"}}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden_width}
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = {augmenter}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = {dropout}
accumulate_gradient = 1
patience = {patience}
max_epochs = {max_epochs}
max_steps = 0
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = {batch_start}
stop = {batch_stop}
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = {learn_rate}

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = {vectors_path}
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def render_config(settings: TrainSettings, vectors_path: Path | None = None) -> str:
    """The spaCy training config for these settings (with static vectors from ``vectors_path``)."""
    return CONFIG_TEMPLATE.format(
        static_vectors="true" if vectors_path else "false",
        vectors_path=json.dumps(str(vectors_path)) if vectors_path else "null",
        seed=settings.seed,
        width=settings.width,
        depth=settings.depth,
        window=settings.window,
        rows=",".join(str(r) for r in settings.embed_rows),
        hidden_width=settings.hidden_width,
        dropout=settings.dropout,
        learn_rate=settings.learn_rate,
        max_epochs=settings.max_epochs,
        patience=settings.patience,
        eval_frequency=settings.eval_frequency,
        batch_start=settings.batch_start,
        batch_stop=settings.batch_stop,
        augmenter=_augmenter_config(settings.case_augment),
    )


def _augmenter_config(rates: tuple[float, float, float]) -> str:
    """The training corpus' augmenter: recased sentences (see :mod:`broadsheet.lab.ner.augment`)."""
    if not any(rates):
        return "null"
    upper, lower, title = rates
    return f'{{"@augmenters":"broadsheet.case_augmenter.v1","upper":{upper},"lower":{lower},"title":{title}}}'


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges merged into one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def to_spacy_docs(vocab, sentences: Iterable[AnnotatedSentence]) -> list:  # noqa: ANN001 - spaCy types
    """spaCy ``Doc`` objects with gold entities; ``missing`` spans stay unannotated."""
    from spacy.tokens import Doc, Span

    docs = []
    for sentence in sentences:
        doc = Doc(vocab, words=list(sentence.words), spaces=list(sentence.spaces))
        ents = [Span(doc, s.start, s.end, label=s.label) for s in sentence.spans]
        # A missing region may enclose a gold name (GUM); the name wins over the region.
        unknown = [(a, b) for a, b in sentence.missing if not any(s.start < b and a < s.end for s in sentence.spans)]
        missing = [doc[a:b] for a, b in _merged(unknown)]
        doc.set_ents(ents, missing=missing, default="outside")
        docs.append(doc)
    return docs


def prune_strings(model_dir: Path, labels: Iterable[str]) -> int:
    """Keep only the strings the saved model needs; returns how many were dropped.

    spaCy saves every string it met in training, i.e. a word list of the training text. The model
    works from hashes and recomputes each string from the text it reads, so only the label
    names and spaCy's own strings need to stay.
    """
    import spacy

    path = model_dir / "vocab" / "strings.json"
    before = json.loads(path.read_text(encoding="utf-8"))
    keep = set(spacy.blank("en").vocab.strings) | set(labels)
    kept = sorted(s for s in before if s in keep)
    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    return len(before) - len(kept)


def scrub_config(model_dir: Path) -> None:
    """Drop the training run's temporary file paths from the saved config.

    They point into a deleted work folder and would only leak a machine's layout; the model
    needs none of them to load (vectors are saved inside the model).
    """
    import spacy

    path = model_dir / "config.cfg"
    config = spacy.util.load_config(path, interpolate=False)
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config["initialize"]["vectors"] = None
    config.to_disk(path)


def pretrain_tok2vec(config, texts: Iterable[str], epochs: int, seed: int, batch_words: int = 3000) -> bytes:  # noqa: ANN001 - spaCy type
    """The token encoder's weights after ``epochs`` of the character cloze objective on ``texts``.

    Built from the training config itself, so the weights fit the encoder the tagger is trained
    with; one line of text is one example, shuffled with a fixed seed per epoch.
    """
    import random

    from spacy.training.initialize import init_nlp
    from spacy.training.pretrain import create_pretraining_model, make_update
    from spacy.util import registry
    from thinc.api import Adam, fix_random_seed

    nlp = init_nlp(config, use_gpu=-1)
    objective = registry.architectures.get("spacy.PretrainCharacters.v1")(maxout_pieces=3, hidden_size=300, n_characters=4)
    fix_random_seed(seed)
    model = create_pretraining_model(nlp, {"component": "tok2vec", "layer": "", "objective": objective, "dropout": 0.2})
    loss_of = model.attrs["loss"]
    optimizer = Adam(0.001, L2=0.01, L2_is_weight_decay=True, grad_clip=1.0, use_averages=True)
    lines = [line for text in texts for line in text.split("\n") if len(line.split()) >= 5]
    rng = random.Random(seed)
    for epoch in range(epochs):
        order = list(range(len(lines)))
        rng.shuffle(order)
        batch: list = []
        size = 0
        total = 0.0
        words = 0
        started = time.time()
        for k in order:
            doc = nlp.make_doc(lines[k])
            batch.append(doc)
            size += len(doc)
            if size >= batch_words:
                total += make_update(model, batch, optimizer, loss_of)
                words += size
                batch, size = [], 0
        if batch:
            total += make_update(model, batch, optimizer, loss_of)
            words += size
        print(
            f"pretraining epoch {epoch}: {words} words, loss/word {total / max(words, 1):.4f}, {words / (time.time() - started):.0f} words/s",
            flush=True,
        )
    with model.use_params(optimizer.averages):
        return model.get_ref("tok2vec").to_bytes()


def _same_predictions(before, after, texts: Sequence[str]) -> bool:  # noqa: ANN001 - spaCy types
    ents = lambda nlp: [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]  # noqa: E731
    return ents(before) == ents(after)


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def train(corpora: Path, out: Path, settings: TrainSettings, work_dir: Path | None = None) -> dict:
    """Train, save the pipeline to ``out`` and return the training report."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_nlp
    from thinc.api import NumpyOps, set_current_ops

    from broadsheet.lab.ner.augment import register

    register()
    started = time.time()
    train_sets, validation = split_sources(corpora, settings.sources, settings.validation_every)
    nlp = spacy.blank("en")
    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="broadsheet-ner-"))
    work.mkdir(parents=True, exist_ok=True)
    train_bin = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"])
    counts: dict[str, dict[str, int]] = {}
    for name in settings.sources:
        # Whole documents (sentences joined by newlines), as the pipeline gives articles.
        docs = to_spacy_docs(nlp.vocab, documents(train_sets[name], max_sentences=20))
        for doc in docs:
            train_bin.add(doc)
        counts[name] = {
            "sentences": len(train_sets[name]),
            "tokens": sum(len(d) for d in docs),
            **{label: sum(1 for s in train_sets[name] for e in s.spans if e.label == label) for label in LABELS},
        }
    dev_bin = DocBin(
        attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], docs=to_spacy_docs(nlp.vocab, documents(validation, max_sentences=20))
    )
    train_bytes = train_bin.to_bytes()
    data_hash = hashlib.sha256(train_bytes).hexdigest()[:12]
    (work / "train.spacy").write_bytes(train_bytes)
    dev_bin.to_disk(work / "validation.spacy")
    vectors_path = None
    vector_tokens = 0
    if settings.vectors is not None:
        print("training word vectors from unlabeled text", flush=True)
        vectors_path, vector_tokens = build_vectors(corpora, work, settings.sources, settings.vectors)
    config_path = work / "config.cfg"
    config_path.write_text(render_config(settings, vectors_path), encoding="utf-8")
    print(
        f"training on {sum(c['tokens'] for c in counts.values())} tokens from {list(counts)}; data hash {data_hash}", flush=True
    )
    output = work / "output"
    output.mkdir(parents=True, exist_ok=True)
    # numpy's BLAS rather than thinc's bundled BLIS: several times faster on this hardware for
    # the same arithmetic (see recognizer.py, which loads the model the same way).
    set_current_ops(NumpyOps(use_blis=False))
    config = spacy.util.load_config(
        config_path,
        overrides={"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "validation.spacy")},
        interpolate=False,
    )
    weights = None
    if settings.pretrain_epochs:
        from broadsheet.lab.ner.vectors import unlabeled_texts

        print(f"pretraining the token encoder for {settings.pretrain_epochs} epochs on unlabeled text", flush=True)
        weights = pretrain_tok2vec(config, unlabeled_texts(corpora, settings.sources), settings.pretrain_epochs, settings.seed)
    nlp_to_train = init_nlp(config, use_gpu=-1)
    if weights is not None:
        # As spaCy's [initialize] init_tok2vec does: after the components are initialized.
        nlp_to_train.get_pipe("tok2vec").model.from_bytes(weights)
    train_nlp(nlp_to_train, output, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
    best = output / "model-best"
    name = out.name
    trained = spacy.load(best)
    trained.meta["name"] = name.replace("-", "_")
    trained.meta["version"] = "1.0.0"
    trained.meta["description"] = f"broadsheet news NER, training data {data_hash}"
    trained.meta["broadsheet"] = {"training_data_sha256_12": data_hash, "settings": asdict(settings)}
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trained.to_disk(out)
    dropped = prune_strings(out, LABELS)
    scrub_config(out)
    check_texts = [d.text for d in documents(validation, max_sentences=20)]
    if not _same_predictions(trained, spacy.load(out), check_texts):
        raise RuntimeError("the model predicts differently after its string table was pruned")
    print(f"dropped {dropped} training strings from the saved vocabulary", flush=True)
    report = {
        "name": name,
        "version": f"{name}@{data_hash}",
        "training_data_sha256_12": data_hash,
        "settings": asdict(settings),
        "sources": counts,
        "validation": {"sentences": len(validation), "tokens": sum(len(s.words) for s in validation)},
        "vector_training_tokens": vector_tokens,
        "validation_scores": {k: v for k, v in trained.meta.get("performance", {}).items() if k.startswith("ents")},
        "train_seconds": round(time.time() - started, 1),
        "spacy_version": spacy.__version__,
        "libraries": library_versions(),
        "size_bytes": _tree_size(out),
    }
    (out / "training_report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return report


def library_versions() -> dict[str, str]:
    """The libraries whose arithmetic the weights depend on: with other versions (or another
    CPU, whose BLAS kernels round differently) the same seed trains a slightly different model."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("spacy", "thinc", "numpy", "floret"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # floret: only needed when training vectors
            continue
    return found


def member_dir_name(seed: int) -> str:
    return f"seed-{seed}"


def train_ensemble(corpora: Path, out: Path, settings: TrainSettings, seeds: Sequence[int], work_dir: Path | None = None) -> dict:
    """Train one pipeline per seed under ``out/seed-<n>``, list them in ``out/ensemble.json`` and
    return the ensemble's training report (each member keeps its own report too)."""
    from broadsheet.entities.recognizer import ENSEMBLE_FILE

    if len(set(seeds)) != len(seeds) or len(seeds) < 2:
        raise ValueError(f"an ensemble needs two or more different seeds, not {list(seeds)}")
    staging = out.parent / f".{out.name}.training"
    if staging.exists():
        shutil.rmtree(staging)
    members = []
    for seed in seeds:
        member_settings = replace(settings, seed=seed)
        member_work = (Path(work_dir) / member_dir_name(seed)) if work_dir else None
        print(f"training ensemble member with seed {seed}", flush=True)
        member = train(corpora, staging / member_dir_name(seed), member_settings, member_work)
        members.append(member)
    hashes = {m["training_data_sha256_12"] for m in members}
    if len(hashes) != 1:
        raise RuntimeError(f"ensemble members saw different training data: {sorted(hashes)}")
    (data_hash,) = hashes
    name = out.name
    (staging / ENSEMBLE_FILE).write_text(
        json.dumps({"members": [member_dir_name(s) for s in seeds]}, indent=2) + "\n", encoding="utf-8"
    )
    report = {
        "name": name,
        "version": f"{name}@{data_hash}",
        "training_data_sha256_12": data_hash,
        "settings": {**asdict(settings), "seed": None, "seeds": list(seeds)},
        "sources": members[0]["sources"],
        "validation": members[0]["validation"],
        "vector_training_tokens": members[0]["vector_training_tokens"],
        "validation_scores": {member_dir_name(s): m["validation_scores"] for s, m in zip(seeds, members, strict=True)},
        "train_seconds": round(sum(m["train_seconds"] for m in members), 1),
        "spacy_version": members[0]["spacy_version"],
        "libraries": members[0]["libraries"],
        "size_bytes": _tree_size(staging),
    }
    (staging / "training_report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    # Replace the old model only once every member is trained.
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.ner.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True, help="the annotated corpora folder (../shared/corpora)")
    parser.add_argument("--out", type=Path, required=True, help="where to save the model, e.g. models/<name>")
    parser.add_argument("--sources", default=",".join(DEFAULT_SOURCES), help="comma-separated training sources")
    parser.add_argument("--work-dir", type=Path, default=None, help="keep the intermediate files here")
    parser.add_argument(
        "--seeds",
        default=",".join(str(s) for s in DEFAULT_SEEDS),
        help="comma-separated seeds: one seed trains one pipeline, several train an ensemble of one pipeline per seed",
    )
    parser.add_argument("--width", type=int, default=TrainSettings.width)
    parser.add_argument("--depth", type=int, default=TrainSettings.depth)
    parser.add_argument("--window", type=int, default=TrainSettings.window)
    parser.add_argument("--hidden-width", type=int, default=TrainSettings.hidden_width)
    parser.add_argument("--max-epochs", type=int, default=TrainSettings.max_epochs)
    parser.add_argument("--dropout", type=float, default=TrainSettings.dropout)
    parser.add_argument(
        "--embed-rows",
        default=",".join(str(r) for r in TrainSettings.embed_rows),
        help="hash table rows for NORM,PREFIX,SUFFIX,SHAPE",
    )
    parser.add_argument("--vector-dim", type=int, default=VectorSettings.dim)
    parser.add_argument("--vector-epochs", type=int, default=VectorSettings.epochs)
    parser.add_argument("--vector-bucket", type=int, default=VectorSettings.bucket, help="rows of the hashed vector table")
    parser.add_argument(
        "--pretrain-epochs",
        type=int,
        default=TrainSettings.pretrain_epochs,
        help="epochs of pretraining the token encoder on unlabeled text",
    )
    parser.add_argument(
        "--case-augment",
        default=",".join(str(r) for r in TrainSettings.case_augment),
        help="per-sentence probabilities of rewriting a training sentence in UPPER, lower and Title case",
    )
    parser.add_argument("--no-vectors", action="store_true", help="train without static word vectors")
    parser.add_argument("--no-card", action="store_true", help="skip the dev-set evaluation and the model card")
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"corpora folder not found: {args.corpora}; nothing to train on", file=sys.stderr)
        return 2
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    settings = TrainSettings(
        sources=tuple(s for s in args.sources.split(",") if s),
        seed=seeds[0],
        width=args.width,
        depth=args.depth,
        window=args.window,
        hidden_width=args.hidden_width,
        max_epochs=args.max_epochs,
        dropout=args.dropout,
        embed_rows=tuple(int(r) for r in args.embed_rows.split(",")),
        pretrain_epochs=args.pretrain_epochs,
        case_augment=tuple(float(r) for r in args.case_augment.split(",")),
        vectors=None
        if args.no_vectors
        else VectorSettings(dim=args.vector_dim, epochs=args.vector_epochs, bucket=args.vector_bucket),
    )
    if len(seeds) > 1:
        report = train_ensemble(args.corpora, args.out, settings, seeds, args.work_dir)
    else:
        report = train(args.corpora, args.out, settings, args.work_dir)
    print(json.dumps({k: report[k] for k in ("version", "validation_scores", "train_seconds", "size_bytes")}, indent=2))
    if not args.no_card:
        from broadsheet.lab.ner.model_card import write_model_card

        write_model_card(args.out, args.corpora)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
