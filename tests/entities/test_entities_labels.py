"""The mapping from corpus labels onto ours (labels.yaml applied by broadsheet.entities.labels)."""

from __future__ import annotations

import pytest

from broadsheet.entities import labels as L


@pytest.mark.parametrize(
    ("label", "name", "expected"),
    [
        ("PER", "Hossein Rassam", "PERSON"),
        ("ORG", "Reuters", "ORG"),
        ("LOC", "Tehran", "GPE"),
        ("LOC", "Persian Gulf", "LOC"),
        ("LOC", "Strait of Hormuz", "LOC"),
        ("LOC", "Euphrates River", "LOC"),
        ("LOC", "Middle East", "LOC"),
        ("LOC", "Solomon Islands", "GPE"),
        ("MISC", "Iranian", "NORP"),
        ("MISC", "Shiite", "NORP"),
        ("MISC", "Iraqis", "NORP"),
        ("MISC", "Frenchmen", "NORP"),
        ("MISC", "South Korean", "NORP"),
        ("MISC", "Bosnian Serb", "NORP"),
        ("MISC", "Republicans", "NORP"),
        ("MISC", "Gulf War", "EVENT"),
        ("MISC", "World Cup", "EVENT"),
        ("MISC", "U.S. Open", "EVENT"),
        ("MISC", "Tour de France", "EVENT"),
        ("MISC", "Open", "MISC"),
        ("MISC", "Windows", "MISC"),
        ("MISC", "Western", "MISC"),
    ],
)
def test_conll_labels_split_into_ours(label: str, name: str, expected: str) -> None:
    assert L.map_label("conll2003", label, name) == expected


def test_every_our_label_maps_back_to_conll_without_loss() -> None:
    assert set(L.CONLL_OF) == set(L.LABELS)
    assert {L.to_conll(x) for x in L.LABELS} == {"PER", "ORG", "LOC", "MISC"}
    for label, name in [("LOC", "Tehran"), ("LOC", "Red Sea"), ("MISC", "Kurdish"), ("MISC", "Gulf War"), ("MISC", "Windows")]:
        assert L.to_conll(L.map_label("conll2003", label, name)) == label


def test_uner_other_names_are_missing_and_stray_o_is_none() -> None:
    assert L.map_label("uner", "OTH", "American") == L.MISSING
    assert L.map_label("uner", "O", "whatever") is None
    assert L.map_label("uner", "LOC", "Baghdad") == "GPE"


def test_gum_types() -> None:
    assert L.map_label("gum", "organization", "North Korea") == "GPE"
    assert L.map_label("gum", "organization", "Yonhap") == "ORG"
    assert L.map_label("gum", "person", "Afghans") == "NORP"
    assert L.map_label("gum", "person", "Alireza Mehraban") == "PERSON"
    assert L.map_label("gum", "time", "August") is None
    assert L.map_label("gum", "event", "Olympics") == "EVENT"


def test_unknown_labels_and_corpora_fail_loudly() -> None:
    with pytest.raises(ValueError, match="not in labels.yaml"):
        L.map_label("conll2003", "FAC", "Eiffel Tower")
    with pytest.raises(ValueError, match="no label mapping"):
        L.map_label("ontonotes", "PERSON", "Ann")


def test_rules_reject_an_unknown_target() -> None:
    data = {
        "corpora": {"x": {"PER": "HUMAN"}},
        "places": {"last_words": [], "first_words": [], "names": [], "gpe_exceptions": []},
        "norp": {"words": [], "only_with_others": []},
        "events": {"words": [], "only_with_others": []},
    }
    with pytest.raises(ValueError, match="unknown targets"):
        L.parse_rules(data)


def test_norp_words_need_a_standalone_word() -> None:
    assert not L.is_norp("New")
    assert L.is_norp("New Zealanders")
    assert L.is_norp("Shi\u2019ite")  # typographic apostrophe
    assert not L.is_norp("Tehran")
