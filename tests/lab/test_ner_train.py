"""The training command's pieces, and one tiny end-to-end run on sentences written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.lab.ner import settings as S
from broadsheet.lab.ner import train as T
from broadsheet.lab.ner.annotated import AnnotatedSentence, EntitySpan
from broadsheet.lab.ner.vectors import tml_text, write_token_file


def test_config_renders_and_parses() -> None:
    import spacy

    for vectors in (None, Path("some/vectors")):
        config = spacy.util.load_config_from_str(T.render_config(S.TrainSettings(), vectors), interpolate=False)
        assert config["system"]["seed"] == S.TrainSettings().seed
        assert config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is (vectors is not None)
        assert config["nlp"]["pipeline"] == ["tok2vec", "ner"]


def test_validation_split_is_stable_and_about_one_in_twenty() -> None:
    ids = [f"doc-{i}" for i in range(2000)]
    held = [d for d in ids if S.is_validation_doc(d, 20)]
    assert held == [d for d in ids if S.is_validation_doc(d, 20)]
    assert 60 <= len(held) <= 140


def test_missing_regions_become_unknown_tokens() -> None:
    import spacy

    nlp = spacy.blank("en")
    s = AnnotatedSentence(
        words=("Ana", "met", "Peruvian", "and", "Dutch", "friends"),
        spans=(EntitySpan(0, 1, "PERSON"),),
        spaces=(True,) * 5 + (False,),
        doc_id="d",
        missing=((2, 3), (2, 3), (4, 5)),
    )
    [doc] = T.to_spacy_docs(nlp.vocab, [s])
    assert [t.ent_iob_ for t in doc] == ["B", "O", "", "O", "", "O"]
    assert [(e.text, e.label_) for e in doc.ents] == [("Ana", "PERSON")]


def test_tml_text_keeps_the_running_text() -> None:
    markup = "<TimeML><DCT>x</DCT><TEXT>Rain fell on <TIMEX3 tid='t1'>Monday</TIMEX3> &amp; Tuesday.</TEXT></TimeML>"
    assert tml_text(markup) == "Rain fell on Monday & Tuesday."
    assert tml_text("<TimeML></TimeML>") == ""


def test_token_file_has_one_paragraph_per_line(tmp_path: Path) -> None:
    import spacy

    path = tmp_path / "tokens.txt"
    n = write_token_file(["Ana met Bo.\n\nThey LEFT Lima.", "   "], path, spacy.blank("en").tokenizer)
    assert path.read_text(encoding="utf-8").splitlines() == ["ana met bo .", "they left lima ."]
    assert n == 8


SENTENCES = [
    ("Maria Lindqvist visited Oslo on Monday .", {0: "I-PER", 1: "I-PER", 3: "I-LOC"}),
    ("Acme Corp hired Jonas Berg in Bergen .", {0: "I-ORG", 1: "I-ORG", 3: "I-PER", 4: "I-PER", 6: "I-LOC"}),
    ("The Norwegian team lost to Sweden .", {1: "I-MISC", 5: "I-LOC"}),
    ("Kari Nordmann leads Vesta Bank .", {0: "I-PER", 1: "I-PER", 3: "I-ORG", 4: "I-ORG"}),
]


def _tiny_corpora(root: Path) -> Path:
    lines = []
    for k in range(12):  # several small documents, so that the held-out split is not empty
        lines.append("-DOCSTART- -X- O O\n")
        for text, tags in SENTENCES:
            for i, word in enumerate(text.split()):
                lines.append(f"{word} X X {tags.get(i, 'O')}")
            lines.append("")
        lines.append(f"Doc{k} NNP I-NP O\n")
    (root / "conll2003").mkdir(parents=True)
    (root / "conll2003" / "eng.train").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_train_saves_a_loadable_model_with_its_report(tmp_path: Path) -> None:
    from broadsheet.entities.recognizer import load_recognizer

    corpora = _tiny_corpora(tmp_path / "corpora")
    settings = S.TrainSettings(
        sources=("conll2003-train",),
        max_epochs=2,
        width=32,
        depth=2,
        embed_rows=(500, 200, 200, 100),
        vectors=None,
        validation_every=3,
        eval_frequency=20,
    )
    out = tmp_path / "models" / "tiny-ner"
    report = T.train(corpora, out, settings, work_dir=tmp_path / "work")
    assert report["version"].startswith("tiny-ner@") and len(report["training_data_sha256_12"]) == 12
    assert report["sources"]["conll2003-train"]["sentences"] > 0
    import numpy
    import thinc

    # the weights depend on these libraries' arithmetic: the report names their versions
    assert report["libraries"]["numpy"] == numpy.__version__ and report["libraries"]["thinc"] == thinc.__version__
    saved = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    assert saved["version"] == report["version"]
    strings = json.loads((out / "vocab" / "strings.json").read_text(encoding="utf-8"))
    assert "Lindqvist" not in strings  # the training text's words are not shipped
    config = (out / "config.cfg").read_text(encoding="utf-8")
    assert str(tmp_path) not in config  # no paths into the deleted work folder
    recognizer = load_recognizer(out)
    assert recognizer.version == report["version"]
    text = "Maria Lindqvist visited Oslo ."
    for m in recognizer.find(text):
        assert text[m.start : m.end] == m.text
    # Same data, same seed: the same training data and the same weights, byte for byte.
    again_dir = tmp_path / "models" / "again"
    again = T.train(corpora, again_dir, settings, work_dir=tmp_path / "work2")
    assert again["training_data_sha256_12"] == report["training_data_sha256_12"]
    for part in ("tok2vec/model", "ner/model", "vocab/strings.json"):
        assert (out / part).read_bytes() == (again_dir / part).read_bytes(), part


def test_train_command_refuses_a_missing_corpora_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert T.main(["--corpora", str(tmp_path / "nope"), "--out", str(tmp_path / "m")]) == 2
    assert "corpora folder not found" in capsys.readouterr().err


def test_pretraining_moves_the_encoder_and_repeats_byte_for_byte(tmp_path: Path) -> None:
    corpora = _tiny_corpora(tmp_path / "corpora")
    base = dict(
        sources=("conll2003-train",),
        max_epochs=1,
        width=32,
        depth=2,
        embed_rows=(500, 200, 200, 100),
        vectors=None,
        validation_every=3,
        eval_frequency=20,
    )
    plain = T.train(corpora, tmp_path / "m-plain", S.TrainSettings(**base), work_dir=tmp_path / "w0")
    settings = S.TrainSettings(**base, pretrain_epochs=1)
    report = T.train(corpora, tmp_path / "m-pre", settings, work_dir=tmp_path / "w1")
    T.train(corpora, tmp_path / "m-pre2", settings, work_dir=tmp_path / "w2")
    assert report["settings"]["pretrain_epochs"] == 1 and plain["settings"]["pretrain_epochs"] == 0
    pre = (tmp_path / "m-pre" / "tok2vec" / "model").read_bytes()
    assert pre == (tmp_path / "m-pre2" / "tok2vec" / "model").read_bytes()
    assert pre != (tmp_path / "m-plain" / "tok2vec" / "model").read_bytes()


def test_an_ensemble_needs_two_different_seeds(tmp_path: Path) -> None:
    for seeds in ([1], [2, 2]):
        with pytest.raises(ValueError, match="two or more different seeds"):
            T.train_ensemble(tmp_path, tmp_path / "model", S.TrainSettings(), seeds)


def test_case_augmentation_reaches_the_training_corpus_config() -> None:
    import spacy

    from broadsheet.lab.ner.augment import register

    register()
    plain = spacy.util.load_config_from_str(T.render_config(S.TrainSettings()), interpolate=False)
    assert plain["corpora"]["train"]["augmenter"] is None
    settings = S.TrainSettings(case_augment=(0.04, 0.03, 0.02))
    config = spacy.util.load_config_from_str(T.render_config(settings), interpolate=False)
    assert config["corpora"]["train"]["augmenter"] == {
        "@augmenters": "broadsheet.case_augmenter.v1",
        "upper": 0.04,
        "lower": 0.03,
        "title": 0.02,
    }
    assert config["corpora"]["dev"]["augmenter"] is None  # checkpoints are chosen on the text as written
