"""The PolNeAR reader and the claims scorer, on small annotation files written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.extract.claims import extract_claims
from broadsheet.lab.evaluation.claims import (
    Gold,
    Predicted,
    evaluate,
    gold_relations,
    is_enclosed_in_quotes,
    is_partial_quote,
    main,
    score_document,
)
from broadsheet.lab.evaluation.polnear import annotator_files, parse_ann, read_split

TEXT = (
    'Budget talks stall\n\nThe minister said the budget would pass. "It is a good deal," she added. Reportedly, talks continue.'
)


def span(fragment: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def ann_lines(text: str = TEXT) -> str:
    """A brat file for TEXT: two relations with sources, one without, a discontinuous content."""
    t = {
        "T1": ("Source", span("The minister", text)),
        "T2": ("Cue", span("said", text)),
        "T3": ("Content", span("the budget would pass", text)),
        "T5": ("Source", span("she", text)),
        "T6": ("Cue", span("added", text)),
        "T8": ("Cue", span("Reportedly", text)),
    }
    lines = [f"{k}\t{label} {a} {b}\t{text[a:b]}" for k, (label, (a, b)) in t.items()]
    q1, q2 = span('"It is a good', text), span('deal,"', text)
    lines.append(f"T7\tContent {q1[0]} {q1[1]};{q2[0]} {q2[1]}\t{text[q1[0] : q1[1]]} {text[q2[0] : q2[1]]}")
    a, b = span("talks continue", text)
    lines.append(f"T9\tContent {a} {b}\ttalks\ncontinue")  # a span text may run over two lines
    lines += [
        f"T4\tAttribution {t['T2'][1][0]} {t['T2'][1][1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "E2\tAttribution:T4 Content:T7 Cue:T6 Source:T5",
        "#1\tAnnotatorNotes T9\ta note",
        "E3\tAttribution-no-source:T4 Content:T9 Cue:T8",
    ]
    return "\n".join(lines) + "\n"


def test_parse_ann_reads_relations_fragments_and_missing_sources() -> None:
    rels = parse_ann(ann_lines())
    assert len(rels) == 3
    said, added, reportedly = rels
    assert [TEXT[a:b] for a, b in said.source] == ["The minister"] and said.has_source_label
    assert len(added.content) == 2  # discontinuous content
    assert reportedly.source == () and not reportedly.has_source_label
    assert [TEXT[a:b] for a, b in reportedly.content] == ["talks continue"]


def test_enclosed_in_quotes() -> None:
    rels = parse_ann(ann_lines())
    assert is_enclosed_in_quotes(TEXT, rels[1].content)
    assert not is_enclosed_in_quotes(TEXT, rels[0].content)


def test_score_matches_by_half_of_the_gold_words_one_to_one() -> None:
    text = "alpha beta gamma delta epsilon zeta"
    gold = [Gold(content=(span("alpha beta gamma delta", text),), source=(span("zeta", text),), cue=(), direct_quote=False)]
    half = Predicted(content=span("gamma delta", text), claimant=span("zeta", text), cue=None, direct_quote=False)
    less = Predicted(content=span("delta", text), claimant=None, cue=None, direct_quote=False)
    t = score_document(text, gold, [half, less])
    assert (t.gold, t.predicted, t.matched, t.speaker_correct, t.cue_correct) == (1, 2, 1, 1, 1)
    assert t.precision == 0.5 and t.recall == 1.0 and abs(t.f1 - 2 / 3) < 1e-9
    assert score_document(text, gold, [less]).matched == 0


def test_tight_prediction_wins_over_one_covering_everything() -> None:
    text = "one two three four five six seven eight"
    gold = [Gold(content=(span("one two three", text),), source=(), cue=(), direct_quote=False)]
    wide = Predicted(content=(0, len(text)), claimant=(0, 1), cue=None, direct_quote=False)
    tight = Predicted(content=span("two three", text), claimant=None, cue=None, direct_quote=False)
    t = score_document(text, gold, [wide, tight])
    assert t.matched == 1 and t.speaker_correct == 1  # the tight one (no claimant, like the gold) won


def test_extractor_output_scores_perfectly_on_its_own_kind_of_text() -> None:
    gold = gold_relations(TEXT, parse_ann(ann_lines()))
    from broadsheet.lab.evaluation.claims import predictions_from_claims

    claims = extract_claims(TEXT)
    t = score_document(TEXT, gold, predictions_from_claims(claims))
    assert t.matched == 3 and t.speaker_correct == 3 and t.cue_correct == 3


def test_partial_quotes_are_recognised_and_the_extractor_gives_none() -> None:
    from broadsheet.extract.claims import Claim

    text = 'The Pentagon said the leader "approved the attacks on the embassy."'
    claims = extract_claims(text)
    assert not [c for c in claims if is_partial_quote(c, claims)]  # the quote is inside the reported claim
    (reported,) = claims
    quote = Claim(**{**reported.__dict__, "kind": "direct_quote", "start": text.index("approved"), "end": len(text) - 2})
    assert is_partial_quote(quote, [reported, quote]) and not is_partial_quote(reported, [reported, quote])


def write_split(root: Path) -> Path:
    split = root / "polnear" / "data" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "paper_2016-01-01_budget.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "paper_2016-01-01_budget_b2.ann").write_text(ann_lines(), encoding="utf-8")
    (split / "attributions" / "paper_2016-01-01_budget_a1.ann").write_text(ann_lines().split("\nE2")[0] + "\n", encoding="utf-8")
    return split


def test_read_split_picks_the_first_annotator(tmp_path: Path) -> None:
    split = write_split(tmp_path)
    (doc,) = read_split(split)
    assert doc.annotator == "a1" and doc.text == TEXT
    assert len(doc.relations) == 1  # a1's file stops after the first relation
    assert [p.name for p in annotator_files(split)["paper_2016-01-01_budget"]] == [
        "paper_2016-01-01_budget_a1.ann",
        "paper_2016-01-01_budget_b2.ann",
    ]


def test_evaluate_and_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    split = write_split(tmp_path)
    report = evaluate(split)
    assert report.documents == 1 and report.every_row.gold == 1 and report.every_row.matched == 1
    assert report.every_row.recall == 1.0 and report.seconds > 0
    # Every row counts: the claims a1 did not annotate are unmatched rows here.
    rows = len(extract_claims(TEXT))
    assert report.every_row.predicted == sum(n for n, _ in report.kinds.values()) == rows > 1
    assert report.by_confidence[0.5].predicted <= report.every_row.predicted
    assert main(["--corpora", str(tmp_path), "--split", "dev"]) == 0
    out = capsys.readouterr().out
    assert "every claim row" in out and "attributions alone" in out and "direct quotes" in out and "documents/s" in out


def test_the_train_sample_is_fixed_and_apart_from_the_rest(tmp_path: Path) -> None:
    from broadsheet.lab.evaluation.polnear import in_train_sample

    stems = [f"paper_2016-01-{d:02d}_story-{d}" for d in range(1, 31)] * 10
    stems = [f"{s}-{k}" for k, s in enumerate(stems)]
    share = sum(map(in_train_sample, stems)) / len(stems)
    assert 0.12 < share < 0.24  # about 18 %, by a hash of the name
    assert [in_train_sample(s) for s in stems] == [in_train_sample(s) for s in stems]
    split = write_split(tmp_path)
    everything = {d.stem for d in read_split(split)}
    sample, rest = {d.stem for d in read_split(split, "sample")}, {d.stem for d in read_split(split, "rest")}
    assert sample | rest == everything and not sample & rest


def test_command_skips_cleanly_without_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpora", str(tmp_path / "absent")]) == 0
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
def test_polnear_dev_meets_the_targets(corpora: Path) -> None:
    split = corpora / "polnear" / "data" / "dev"
    if not split.is_dir():
        pytest.skip(f"PolNeAR dev split not found under {corpora}")
    report = evaluate(split)
    print("\n".join(report.lines()))
    # Every claim row counted (assertions included); and what a user keeps at confidence 0.8.
    assert report.every_row.precision >= 0.77 and report.every_row.f1 >= 0.72
    assert report.every_row.speaker_accuracy >= 0.89 and report.every_row.cue_accuracy >= 0.90
    assert report.every_row_quotes.f1 >= 0.90 and report.every_row_quotes.speaker_accuracy >= 0.95
    assert report.by_confidence[0.8].precision >= 0.89


def test_annotator_agreement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from broadsheet.lab.evaluation.claims import agreement

    split = write_split(tmp_path)
    overall, quotes, documents = agreement(split)
    # a1 annotated one of b2's three relations: each is half the other's gold, pair by pair.
    assert documents == 1 and (overall.gold, overall.predicted, overall.matched) == (4, 4, 2)
    assert overall.speaker_accuracy == 1.0 and quotes.gold == 1 and quotes.matched == 0
    assert main(["--corpora", str(tmp_path), "--agreement"]) == 0
    assert "annotator agreement on 1 documents" in capsys.readouterr().out
