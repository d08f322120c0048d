"""Write a trained model's ``MODEL_CARD.md``: data and licences, labels, scores, speed, size.

Called at the end of ``python -m broadsheet.lab.ner.train``; can be re-run on its own:

    python -m broadsheet.lab.ner.model_card --model models/<name> --corpora ../shared/corpora

Scores and speed are measured here, on the saved model, by :mod:`broadsheet.lab.evaluation.entities`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from broadsheet.entities.labels import LABELS

#: What each training source is, where it comes from, and its licence.
SOURCE_NOTES: dict[str, str] = {
    "conll2003-train": "CoNLL-2003 English `eng.train` (Reuters newswire 1996-97; Reuters research terms, internal use only)",
    "uner-ewt-train": "Universal NER English EWT, draft train file (web text; CC BY-SA 4.0)",
    "wikigold": "wikigold (Wikipedia; CC BY 4.0)",
    "gum-train-nonnews": "GUM training-split documents that are not news (15 genres; Wikinews/Wikipedia parts CC BY, overall CC BY-NC-SA)",
}

LABEL_NOTES: dict[str, str] = {
    "PERSON": "people, without titles",
    "ORG": "companies, agencies, institutions, parties, teams",
    "GPE": "countries, cities, states: places with a government",
    "LOC": "other places: regions, continents, seas, rivers, mountains, streets",
    "NORP": "nationalities, religious and political groups",
    "EVENT": "named events: wars, tournaments, summits, elections",
    "MISC": "other names: works, products, laws, languages",
}


def _size_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and p.name != "MODEL_CARD.md")


def _training_lines(report: Mapping[str, Any], settings: Mapping[str, Any]) -> list[str]:
    minutes = report["train_seconds"] / 60
    seeds = settings.get("seeds")
    if not seeds:
        return [f"- trained in {minutes:.1f} min on one CPU thread, seed {settings['seed']}"]
    return [
        f"- an ensemble of {len(seeds)} such pipelines, trained alike on the same data from seeds "
        f"{', '.join(str(s) for s in seeds)} (sub-folders listed in `ensemble.json`), trained in {minutes:.1f} min",
        "  in all on one CPU thread. They decode together: at each token the tagger takes the action",
        "  with the best mean log-probability over the members, so they agree on one reading.",
    ]


#: The training settings the command line sets, each by ``--`` and its name with hyphens
#: (``hidden_width``: ``--hidden-width``); the vector settings by ``--vector-`` and theirs.
_FLAG_SETTINGS = (
    "width",
    "depth",
    "window",
    "hidden_width",
    "max_epochs",
    "dropout",
    "pretrain_epochs",
    "embed_rows",
    "sources",
    "case_augment",
)
_VECTOR_FLAG_SETTINGS = ("dim", "epochs", "bucket")


def _flag_value(value: Any) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)


def train_command(name: str, settings: Mapping[str, Any]) -> str:
    """The training command that rebuilds a model with these settings: the seeds, and the flags
    whose settings differ from the training command's defaults."""
    from dataclasses import asdict

    from broadsheet.lab.ner.settings import TrainSettings

    defaults = asdict(TrainSettings())
    seeds = settings.get("seeds") or [settings["seed"]]
    flags = [f"--seeds {_flag_value(seeds)}"]
    for key in _FLAG_SETTINGS:
        if key in settings and _flag_value(settings[key]) != _flag_value(defaults[key]):
            flags.append(f"--{key.replace('_', '-')} {_flag_value(settings[key])}")
    if "vectors" in settings:
        if settings["vectors"] is None:
            flags.append("--no-vectors")
        else:
            flags += [
                f"--vector-{key} {settings['vectors'][key]}"
                for key in _VECTOR_FLAG_SETTINGS
                if settings["vectors"][key] != defaults["vectors"][key]
            ]
    return f"python -m broadsheet.lab.ner.train --corpora ../shared/corpora --out models/{name} {' '.join(flags)}"


def _libraries(report: Mapping[str, Any]) -> str:
    libraries = report.get("libraries") or {"spacy": report["spacy_version"]}
    return ", ".join(f"{name} {version}" for name, version in libraries.items())


def render_card(report: Mapping[str, Any], evaluation: Mapping[str, Any] | None, size_bytes: int) -> str:
    """The model card's Markdown from the training report and the evaluation results."""
    settings = report["settings"]
    lines = [
        f"# {report['name']}",
        "",
        "English named-entity recognizer for news, trained by this project from annotated corpora",
        "(no downloaded weights or vectors). A spaCy pipeline: rule tokenizer, CNN token encoder",
        "over hashed word, prefix, suffix and shape features, transition-based entity tagger.",
        "",
        f"- version: `{report['version']}` (model name @ first 12 hex digits of the training data's SHA-256)",
        f"- {_libraries(report)}; size {size_bytes / 1e6:.1f} MB on disk",
        *_training_lines(report, settings),
        "",
        "Reproduce (same corpora, settings, library versions and CPU: same model; elsewhere the",
        "weights differ slightly and the scores by a few tenths of a point):",
        "",
        "```",
        train_command(report["name"], settings),
        f"python -m broadsheet.lab.evaluation.entities --corpora ../shared/corpora --model models/{report['name']}",
        "```",
        "",
        "## Labels",
        "",
        "| label | meaning |",
        "|---|---|",
    ]
    lines += [f"| {label} | {LABEL_NOTES[label]} |" for label in LABELS]
    lines += [
        "",
        "Corpus labels are mapped onto these by `broadsheet/entities/labels.yaml`: CoNLL's and",
        "wikigold's LOC become GPE unless the place word lists say LOC; their MISC becomes NORP when",
        "every word is a nationality, religious or political group word, EVENT when it carries an",
        "event word, MISC otherwise. UNER's OTH and GUM names it leaves unclassified are",
        "unannotated (neither entity nor non-entity) in training.",
        "",
        "## Training data",
        "",
        "| source | sentences | tokens | " + " | ".join(LABELS) + " |",
        "|---|---|---|" + "---|" * len(LABELS),
    ]
    for name, counts in report["sources"].items():
        lines.append(
            f"| {name} | {counts['sentences']:,} | {counts['tokens']:,} | "
            + " | ".join(f"{counts.get(label, 0):,}" for label in LABELS)
            + " |"
        )
    lines += [""]
    lines += [f"- **{name}**: {SOURCE_NOTES.get(name, name)}" for name in report["sources"]]
    if settings.get("vectors"):
        v = settings["vectors"]
        lines += [
            f"- **static word vectors**: floret skipgram, {v['dim']} dimensions, {v['bucket']:,} hashed rows, "
            f"{v['epochs']} epochs, trained by the training command on {report.get('vector_training_tokens', 0):,} "
            "tokens of unlabeled text: the TempEval-3 silver Gigaword newswire (internal use only), the "
            "PolNeAR training articles (no licence stated, internal use only) and the text of the sources above",
        ]
    if settings.get("pretrain_epochs"):
        lines += [
            f"- **encoder pretraining**: {settings['pretrain_epochs']} epochs of spaCy's character cloze objective "
            "(predict each word's first and last four characters from its context) on the same unlabeled text, "
            "before the tagger is trained",
        ]
    if any(settings.get("case_augment") or ()):
        upper, lower, title = settings["case_augment"]
        lines += [
            f"- **case augmentation**: while training, each sentence is rewritten in UPPER case with probability "
            f"{upper}, lower case {lower} and Title Case {title}, each epoch anew (`broadsheet/lab/ner/augment.py`)",
        ]
    lines += [
        "",
        f"One document in {settings['validation_every']} of each source "
        f"({report['validation']['sentences']:,} sentences) is held out to pick the best checkpoint;",
        "no dev split (CoNLL `eng.testa`, UNER dev, any GUM news document) is read in training.",
        "The weights derive from newswire licensed for research only: check those terms before",
        "any use outside research.",
        "",
        "## Scores",
        "",
        "Exact character span and type, through the recognizer's public API (tokenizer and the",
        "one-reading-per-text step included) on each document's text, one sentence per line. Each",
        "set is scored in its own types (see `broadsheet/evaluation/entities.py`).",
        "",
    ]
    if evaluation is None:
        lines.append("Not measured (the corpora were not available when this card was written).")
    else:
        for set_name, scores in evaluation["sets"].items():
            m = scores["micro"]
            lines += [
                f"### {set_name}: micro F1 {m['f1']:.4f} (P {m['precision']:.4f}, R {m['recall']:.4f})",
                "",
                "| type | P | R | F1 | gold |",
                "|---|---|---|---|---|",
            ]
            for label, prf in scores["per_type"].items():
                lines.append(
                    f"| {label} | {prf['precision']:.4f} | {prf['recall']:.4f} | {prf['f1']:.4f} | {prf['tp'] + prf['fn']} |"
                )
            u = scores["untyped_micro"]
            lines += ["", f"Spans regardless of type: F1 {u['f1']:.4f}.", ""]
        speed = evaluation.get("speed")
        if speed:
            lines += [
                "## Speed",
                "",
                f"{speed['words_per_second']:,.0f} words/s on one core: `Recognizer.find_many` over the",
                f"{speed['texts']} ({speed['words']:,} words in {speed['seconds']} s, best of 3),",
                "tokenization included, with OMP/BLAS threads set to 1,",
                f"measured on one core of {speed.get('cpu', 'an unrecorded CPU')}. The figure depends",
                "on the machine: before its token encoder ran through `broadsheet.entities.encoder`,",
                "this recognizer measured 5,300 words/s on an AMD EPYC core with AVX2 and",
                "10,200-12,400 on Intel Xeon cores with AVX-512.",
                "",
            ]
    lines += [
        "## Settings",
        "",
        "```json",
        json.dumps(settings, indent=2, sort_keys=True),
        "```",
        "",
        "## Limitations",
        "",
        "- Trained on 1990s Reuters, web text, Wikipedia and GUM: names that became common later",
        "  are known only from their shape and context.",
        "- GPE/LOC and NORP/EVENT/MISC distinctions in training come partly from word lists, not",
        "  from annotators; CoNLL scores cannot check them.",
        "- English only; all-caps and lower-case text recognized less well than edited text.",
        "",
    ]
    return "\n".join(lines)


def write_model_card(model_dir: Path, corpora: Path | None) -> Path:
    """Evaluate the saved model (when the corpora are there) and write its ``MODEL_CARD.md``."""
    report = json.loads((model_dir / "training_report.json").read_text(encoding="utf-8"))
    evaluation = None
    if corpora is not None and corpora.is_dir():
        from broadsheet.entities.recognizer import load_recognizer
        from broadsheet.lab.evaluation.entities import evaluate, format_report

        evaluation = evaluate(corpora, load_recognizer(model_dir))
        print(format_report(evaluation))
        (model_dir / "evaluation.json").write_text(json.dumps(evaluation, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    card = model_dir / "MODEL_CARD.md"
    card.write_text(render_card(report, evaluation, _size_bytes(model_dir)), encoding="utf-8")
    return card


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.ner.model_card")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--corpora", type=Path, default=None)
    args = parser.parse_args(argv)
    print(write_model_card(args.model, args.corpora))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
