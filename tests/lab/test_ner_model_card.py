"""The model card's reproduce command and speed line, from a training report."""

from __future__ import annotations

from dataclasses import asdict, replace

from broadsheet.lab.ner import train as T
from broadsheet.lab.ner.model_card import render_card, train_command


def _settings(**changes: object) -> dict:
    return asdict(replace(T.TrainSettings(), **changes))


def test_the_reproduce_command_names_the_seeds_and_only_the_settings_that_differ() -> None:
    assert (
        train_command("m", _settings())
        == "python -m broadsheet.lab.ner.train --corpora ../shared/corpora --out models/m --seeds 1"
    )
    ensemble = {**_settings(), "seed": None, "seeds": [1, 2]}
    assert train_command("m", ensemble).endswith("--out models/m --seeds 1,2")
    other = _settings(width=64, depth=2, embed_rows=(100, 10, 10, 1), sources=("wikigold",))
    command = train_command("m", other)
    assert command.endswith("--seeds 1 --width 64 --depth 2 --embed-rows 100,10,10,1 --sources wikigold")
    assert train_command("m", _settings(vectors=None)).endswith("--seeds 1 --no-vectors")
    assert train_command("m", _settings(case_augment=(0.04, 0.04, 0.04))).endswith("--seeds 1 --case-augment 0.04,0.04,0.04")
    fewer = _settings(vectors=replace(T.VectorSettings(), dim=32, bucket=5000))
    assert train_command("m", fewer).endswith("--seeds 1 --vector-dim 32 --vector-bucket 5000")


def test_the_card_says_which_cpu_measured_the_speed() -> None:
    report = {
        "name": "m",
        "version": "m@0123456789ab",
        "settings": _settings(vectors=None),
        "sources": {"wikigold": {"sentences": 3, "tokens": 30}},
        "validation": {"sentences": 1},
        "train_seconds": 60.0,
        "spacy_version": "3",
    }
    evaluation = {
        "sets": {},
        "speed": {"words_per_second": 12345.0, "texts": "some texts", "words": 100, "seconds": 0.01, "cpu": "Some CPU 9000"},
    }
    card = render_card(report, evaluation, 1_000_000)
    assert "12,345 words/s" in card and "Some CPU 9000" in card
    assert "--out models/m --seeds 1" in card
