"""Cross-article claim clusters and conflicts: blocking, entities, predicates, quantities and polarity."""

from __future__ import annotations

import csv
import datetime as dt
import pickle
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


def date_row(doc_id: str, surface: str, phrase: str, interval: tuple[str, str]) -> dict:
    at = surface.index(phrase)
    return {
        "doc_id": doc_id,
        "start_char": at,
        "end_char": at + len(phrase),
        "interval_start": dt.date.fromisoformat(interval[0]),
        "interval_end": dt.date.fromisoformat(interval[1]),
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


def test_poll_shares_read_in_any_shape_go_to_their_candidates() -> None:
    from broadsheet.extract.claims.polls import standing

    assert standing("52 percent of respondents chose Lindqvist while 41 percent chose Obst").shares == {
        "lindqvist": frozenset({52.0}),
        "obst": frozenset({41.0}),
    }
    pair = standing("Obst moving ahead of Lindqvist in Ostravia, 33%-27%, while Varga was at 12%")
    assert pair.shares == {"obst": frozenset({33.0}), "lindqvist": frozenset({27.0}), "varga": frozenset({12.0})}
    after = standing("Mrs. Lindqvist with a lead of 48 percent to 41 percent over Mr. Obst")
    assert after.shares == {"lindqvist": frozenset({48.0}), "obst": frozenset({41.0})}
    # "in Ostravia" is a place, "Valdonian voters" a group: neither is a candidate.
    group = standing("Obst holds only 14 percent of the Valdonian vote compared to Marta Lindqvist's 70 percent")
    assert group.shares == {"obst": frozenset({14.0}), "lindqvist": frozenset({70.0})}
    assert group.group == {"valdonian"}
    # A margin is no share, and "likely voters" are every poll's people.
    margin = standing("Lindqvist leading Obst by 8 percentage points among likely voters, 49% to 41%")
    assert margin.shares == {"lindqvist": frozenset({49.0}), "obst": frozenset({41.0})} and margin.group == frozenset()


def test_polls_of_one_week_that_give_other_shares_conflict() -> None:
    claims = [
        row("c_1", "d_1", "52 percent of respondents chose Lindqvist while 41 percent chose Obst"),
        row("c_2", "d_2", "Lindqvist beating Obst 47 to 44 percent in the new survey"),
        row("c_3", "d_3", "the survey put Lindqvist at 52 percent and Obst at 41 percent"),
        # Another group of voters, and a poll of a month later, are other measurements.
        row("c_4", "d_4", "Lindqvist leads Obst among men by 8 points, 50% to 42%"),
        row("c_5", "d_5", "Lindqvist beating Obst 47 to 44 percent"),
    ]
    day = dt.date(2016, 5, 2)
    published = {"d_1": day, "d_2": day, "d_3": day, "d_4": day, "d_5": day + dt.timedelta(days=30)}
    links = link_claims(claims, [], published)
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("number",)
    assert links["c_2"].conflicting_claim_ids == ("c_1", "c_3")
    assert links["c_1"].cluster_id == links["c_3"].cluster_id  # the same shares: one poll restated
    assert links["c_4"].conflicting_claim_ids == () and links["c_5"].conflicting_claim_ids == ()


def test_a_denial_in_other_words_contradicts_what_it_denies() -> None:
    claims = [
        row("c_1", "d_1", "he had told the envoy that Valdonia would not pay for the new border fence"),
        row("c_2", "d_2", "that he will make sure Valdonia pays for the border fence"),
        # A stance ("for not paying") and a question assert nothing a denial could contradict;
        # "refuses" denies as "not" does.
        row("c_3", "d_3", "critics faulted Valdonia for not paying for the border fence"),
        row("c_4", "d_4", "whether Valdonia will pay for the border fence"),
        row("c_5", "d_5", "Valdonia refuses to pay for the border fence"),
        row("c_6", "d_6", "Will Valdonia pay for the border fence? The envoy will decide in May."),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("polarity",)
    assert links["c_2"].conflicting_claim_ids == ("c_1",)
    assert [links[c].conflicting_claim_ids for c in ("c_3", "c_4", "c_5", "c_6")] == [(), (), (), ()]


def test_a_fraction_is_a_share() -> None:
    claims = [
        row("c_1", "d_1", "that about three-quarters of Valdonian farmers support a temporary ban on tanker traffic"),
        row("c_2", "d_2", "that 60 percent of Valdonian farmers supported the call for a temporary ban on tanker traffic"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("number",)


def test_only_dates_written_with_their_year_disagree() -> None:
    texts = {
        "c_1": "the 2011 terrorist attacks in Tartus",
        "c_2": "e-mails concerning 2012 Tartus attacks",
        "c_3": "the attacks in Tartus on Monday",
    }
    claims = [row(c, f"d_{c}", t) for c, t in texts.items()]
    dates = [
        date_row("d_c_1", texts["c_1"], "2011", ("2011-01-01", "2011-12-31")),
        date_row("d_c_2", texts["c_2"], "2012", ("2012-01-01", "2012-12-31")),
        date_row("d_c_3", texts["c_3"], "Monday", ("2014-03-03", "2014-03-03")),
    ]
    links = link_claims(claims, dates)
    # Two words in common are enough to disagree on the event's year, not to be one claim.
    assert links["c_1"].conflicting_claim_ids == ("c_2",) and links["c_1"].conflict_kinds == ("date",)
    assert links["c_1"].cluster_id != links["c_2"].cluster_id
    # "Monday" is read against each article's own day: no year to disagree with.
    assert links["c_3"].conflicting_claim_ids == ()


def test_a_hundred_percent_is_no_figure() -> None:
    claims = [
        row("c_1", "d_1", "that he backs the Ostravia harbour plan 100 percent"),
        row("c_2", "d_2", "that support for the Ostravia harbour plan rose to 40 percent"),
    ]
    links = link_claims(claims, [])
    assert links["c_1"].conflicting_claim_ids == ()


def test_candidate_pairs_are_the_pairs_two_lists_or_one_key_hold() -> None:
    import numpy as np

    from broadsheet.extract.claims.candidates import _MAX_POSTINGS, _Postings

    n = 10
    # lists: word 0 holds 1, 2, 4; word 1 holds 1, 4, 7; word 2 holds 3 alone
    words = _Postings.taken([np.array([0, 0, 0, 1, 1, 1, 2]), np.array([1, 2, 4, 1, 4, 7, 3], dtype=np.int32)])
    assert words.pairs(0, n, n, times=2).tolist() == [1 * n + 4]  # 1 and 4 share two lists; 2 and 4 only one
    assert words.pairs(0, n, n).tolist() == [1 * n + 2, 1 * n + 4, 1 * n + 7, 2 * n + 4, 4 * n + 7]
    keys = np.array([5, 5, 5, 9, 7, 7], dtype=np.int64)
    claims = np.array([3, 1, 8, 2, 6, 6], dtype=np.int32)  # claim 6 holds key 7 twice: no pair with itself
    entries = [keys, claims]
    assert _Postings.taken(entries).pairs(0, n, n).tolist() == [1 * n + 3, 1 * n + 8, 3 * n + 8]
    crowded = np.zeros(_MAX_POSTINGS + 1, dtype=np.int64)  # a key too common proposes nothing
    assert entries == []  # handed over: the unsorted arrays are the postings' to let go
    assert _Postings.taken([crowded, np.arange(_MAX_POSTINGS + 1, dtype=np.int32)]).pairs(0, 1000, 1000).size == 0


def test_candidate_pairs_made_a_range_of_claims_at_a_time_are_those_made_at_once(monkeypatch) -> None:
    import numpy as np

    from broadsheet.extract.claims import candidates

    rng = np.random.default_rng(7)
    n = 300
    keys = rng.integers(0, 400, size=3_000)
    claims = rng.integers(0, n, size=3_000).astype(np.int32)
    postings = candidates._Postings.taken([keys, claims])
    whole = postings.pairs(0, n, n)
    monkeypatch.setattr(candidates, "_BLOCK_PROPOSALS", 50)
    ranges = list(candidates._blocks(n, [postings]))
    assert len(ranges) > 10 and ranges[0][0] == 0 and ranges[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))  # consecutive, covering every claim
    parts = np.concatenate([postings.pairs(lo, hi, n) for lo, hi in ranges])
    assert np.array_equal(parts, whole)  # ascending across the ranges, as made at once
    # every pair two claims of one list make, and no other
    expected = {
        (int(i), int(j))
        for k in np.unique(keys)
        for i in claims[keys == k]
        for j in claims[keys == k]
        if i < j and 1 < (keys == k).sum() <= candidates._MAX_POSTINGS
    }
    assert {divmod(int(key), n) for key in whole} == expected


def test_candidate_pairs_are_the_same_whether_keys_and_claims_are_packed_or_not(monkeypatch) -> None:
    import numpy as np

    from broadsheet.extract.claims import candidates

    rng = np.random.default_rng(11)
    n = 500
    keys = rng.integers(0, 5_000, size=20_000)
    claims = rng.integers(0, n, size=20_000).astype(np.int32)
    packed = candidates._KeyedClaims(5_000, n)
    assert packed.packed
    packed.add(keys, claims)
    monkeypatch.setattr(candidates, "_PACKED_BITS", 16)  # 13 bits of key and 9 of claim do not fit
    apart = candidates._KeyedClaims(5_000, n)
    assert not apart.packed
    apart.add(keys, claims)
    one, other = candidates._Postings.taken(packed), candidates._Postings.taken(apart)
    assert one.pairs(0, n, n).size > 100
    for lo, hi in [(0, n), (0, 1), (17, 230), (499, 500)]:
        assert np.array_equal(one.pairs(lo, hi, n), other.pairs(lo, hi, n))
        assert np.array_equal(one.pairs(lo, hi, n, times=2), other.pairs(lo, hi, n, times=2))
    assert np.array_equal(one.proposals_per_claim(n), other.proposals_per_claim(n))


@pytest.mark.parametrize(
    "text",
    [
        "The council would not ban Sunday trading, Mayor Ortiz said on Monday.",
        "Officials refused to confirm whether the Harbour Authority's dredging had begun.",
        "",
        "Prices rose 4 percent as O'Neill's firm entered the Chilean market in 2015.",
    ],
)
def test_word_sets_read_in_one_pass_are_what_each_reading_gives(text):
    from broadsheet.extract.claims.wording import WORD, load_vocabulary, signature, stem, word_sets

    def predicate(text, vocab):  # the reading of its own it replaced
        return frozenset(
            s for w in WORD.findall(text) if not w[:1].isupper() and (s := stem(w, vocab)) is not None and s not in vocab.roles
        )

    vocab = load_vocabulary()
    sets = word_sets(text, vocab)
    assert sets.signature == signature(text, vocab)
    assert sets.predicate == predicate(text, vocab)
    assert sets.names == frozenset(s for w in WORD.findall(text) if w[:1].isupper() and (s := stem(w, vocab)))
    assert sets.contrary == any(w.lower() in vocab.negative_verbs for w in WORD.findall(text))


def _extraction(doc_id: str, text: str, published: dt.date):
    """A document's extraction as a worker makes it, without entity mentions (no model needed)."""
    from broadsheet.extract.claims import extract_claims
    from broadsheet.extract.dates import find_temporal_expressions
    from broadsheet.extract.rows import _Found

    doc = {"doc_id": doc_id, "text": text, "published_date": published, "published_date_source": "metadata"}
    found = _Found(
        mentions=[],
        claims=extract_claims(text),
        timexes=find_temporal_expressions(text, anchor=published),
        anchor=published,
        anchor_source="published_date",
    )
    return doc, found


_ARTICLES = {
    "d_1": "The port authority said on Monday that the Lindholm terminal opened in 2015. "
    '"We will not raise fees by 40 percent," the director told reporters.',
    "d_2": "Officials said the Lindholm terminal opened in 2014, a year earlier than the authority claims. "
    "The director said fees would rise by 25 percent next year.",
}


def test_what_linking_reads_where_a_document_is_extracted_is_what_its_rows_give() -> None:
    # A worker reads each claim's item from the document's extraction; a cached document's
    # items are read from its rows. Both must give the same items, and linking them document by
    # document the same links as linking the rows of the whole corpus.
    from broadsheet.extract.claims.clusters import Items, document_items, link_items
    from broadsheet.extract.rows import extract_document, held

    published = dt.date(2016, 3, 7)
    items, all_claims, all_dates = Items(), [], []
    for doc_id, text in _ARTICLES.items():
        doc, found = _extraction(doc_id, text, published)
        rows = extract_document(doc, found, [])
        assert rows.claims, "the test articles must give claims"
        from_worker = pickle.loads(held(found, doc_id).link_items)
        assert from_worker == document_items(rows.claims, rows.dates)
        assert any(item.frames for item in from_worker)  # dates and numbers inside claims are read
        items.add(from_worker, [claim["entity_ids"] for claim in rows.claims])
        all_claims.extend(rows.claims)
        all_dates.extend(rows.dates)
    assert held(found).link_items is None  # without its id, read when the rows are built
    assert link_items(items.taken(), {"d_1": published, "d_2": published}) == link_claims(
        all_claims, all_dates, {"d_1": published, "d_2": published}
    )
