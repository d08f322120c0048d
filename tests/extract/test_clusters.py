"""Cross-article claim clusters and conflicts: blocking, entities, predicates, quantities and polarity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from broadsheet.extract.claims.clusters import link_claims


def row(claim_id: str, doc_id: str, surface: str, entities: tuple[str, ...] = (), start: int = 0) -> dict:
    return {
        "claim_id": claim_id,
        "doc_id": doc_id,
        "surface": surface,
        "start_char": start,
        "end_char": start + len(surface),
        "modality": "asserted",
        "entity_ids": list(entities),
    }


def test_common_words_do_not_stop_a_restatement_from_being_found() -> None:
    # Hundreds of claims share "harbour", "council" and "Lindholm"; the two restatements are still
    # compared, through the rarer pair of words they share.
    filler = [
        row(f"c_f{k:03d}", f"d_f{k:03d}", f"the Lindholm harbour council discussed item number {k} of the agenda")
        for k in range(300)
    ]
    a = row("c_a", "d_1", "the Lindholm harbour council banned tankers from entering the northern basin")
    b = row("c_b", "d_2", "a ban on tankers entering the northern basin, the Lindholm harbour council decided")
    links = link_claims([*filler, a, b], [])
    assert links["c_a"].cluster_id == links["c_b"].cluster_id == "c_a"
    assert links["c_f000"].cluster_id != links["c_a"].cluster_id


def test_claims_about_other_entities_are_other_claims() -> None:
    text = "the governor vetoed the river dredging bill after the storm season"
    same_words = [row("c_1", "d_1", text, ("e_a",)), row("c_2", "d_2", text, ("e_b",))]
    links = link_claims(same_words, [])
    assert links["c_1"].cluster_id != links["c_2"].cluster_id
    shared = [row("c_1", "d_1", text, ("e_a", "e_x")), row("c_2", "d_2", text, ("e_a",))]
    links = link_claims(shared, [])
    assert links["c_1"].cluster_id == links["c_2"].cluster_id


def test_names_and_titles_alone_state_nothing() -> None:
    claims = [
        row("c_1", "d_1", "the presumptive Republican nominee Marta Lindqvist of Ostravia"),
        row("c_2", "d_2", "Republican presidential nominee Marta Lindqvist, the Ostravia senator"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].cluster_id != links["c_2"].cluster_id


def test_a_short_claim_restated_inside_a_long_quotation_joins_it() -> None:
    short = "a special prosecutor to investigate the port authority and for its fund to be shut down"
    long = (
        "The port authority fund must be immediately shut down and an independent special prosecutor "
        "appointed to investigate whether its contracts were for sale. It would be a dereliction of duty "
        "by the mayor and his office if they fail to act on these startling new facts right now."
    )
    links = link_claims([row("c_1", "d_1", short), row("c_2", "d_2", long)], [])
    assert links["c_1"].cluster_id == links["c_2"].cluster_id


def test_percent_and_dollar_figures_are_counts_of_their_sign() -> None:
    claims = [
        row("c_1", "d_1", "The Ostravia ferry operator raised its harbour fees by 40% this spring"),
        row("c_2", "d_2", "the Ostravia ferry operator raised its harbour fees by 15 percent"),
        row("c_3", "d_3", "the Ostravia ferry operator paid $5 million for its new harbour terminal"),
        row("c_4", "d_4", "the Ostravia ferry operator paid $9 million for the new harbour terminal"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("number",)
    assert links["c_3"].conflicting_claim_ids == ("c_4",) and links["c_3"].conflict_kinds == ("number",)


def test_the_same_figure_denied_in_one_claim_is_a_polarity_conflict() -> None:
    claims = [
        row("c_1", "d_1", "The Valdonian ministry is not admitting 12,000 refugees from Ostravia"),
        row("c_2", "d_2", "the Valdonian ministry wanted to admit 12,000 refugees from Ostravia this winter"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("polarity",)


def test_a_negation_inside_a_condition_is_not_a_denial() -> None:
    claims = [
        row("c_1", "d_1", "Is the mayor going to finally publish the harbour audit? If he doesn't he should resign"),
        row("c_2", "d_2", "Is the mayor going to finally publish the harbour audit?"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ()
    assert links["c_1"].cluster_id == links["c_2"].cluster_id


def test_the_claim_pairs_set_holds_identifiers_and_labels_only() -> None:
    from broadsheet.lab.evaluation.claim_pairs import LABELS, LABELS_FILE

    with LABELS_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert set(rows[0]) == {"stratum", "half", "a_stem", "a_start", "a_end", "b_stem", "b_start", "b_end", "label"}
    assert {r["label"] for r in rows} <= set(LABELS)
    assert {r["half"] for r in rows} == {"dev", "heldout"}
    # Each class is present in both halves, and pairs join two articles.
    for half in ("dev", "heldout"):
        assert {r["label"] for r in rows if r["half"] == half} == set(LABELS)
    assert all(r["a_stem"] != r["b_stem"] for r in rows)


CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


@pytest.mark.skipif(not (CORPORA / "polnear" / "data" / "metadata.tsv").is_file(), reason="PolNeAR is not here")
def test_the_drawn_pairs_are_the_labelled_ones() -> None:
    from broadsheet.lab.evaluation.claim_pairs import draw_pairs, read_claims, read_labels

    claims, _texts = read_claims(CORPORA)
    drawn = {(p.a, p.b): (p.stratum, p.half) for p in draw_pairs(claims)}
    labels = read_labels()
    assert set(drawn) == set(labels)
    assert all(labels[k][:2] == v for k, v in drawn.items())


def test_the_evaluation_skips_without_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from broadsheet.lab.evaluation.claim_pairs import main

    assert main(["--corpora", str(tmp_path)]) == 0
    assert "not found" in capsys.readouterr().err
