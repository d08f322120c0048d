"""The further entity dev sets: which parts of a corpus span are scored as names."""

from broadsheet.lab.evaluation.entities import MEAN_OVER, VIEWS, mean_micro_f1
from broadsheet.lab.evaluation.entity_sets import name_part


def test_a_name_after_a_determiner_is_kept_without_it():
    assert name_part(["the", "United", "Nations"]) == (1, 3)
    assert name_part(["Bank", "of", "England"]) == (0, 3)


def test_nominal_mentions_and_pronouns_are_no_names():
    assert name_part(["the", "army"]) is None
    assert name_part(["State", "radio"]) is None
    assert name_part(["west", "of", "Ankara"]) is None
    assert name_part(["We"]) is None


def test_a_persons_name_starts_after_the_last_title():
    assert name_part(["Office", "Minister", "Anna", "Keller"], person=True) == (2, 4)
    assert name_part(["Mr", "Keller"], person=True) == (1, 2)
    assert name_part(["Secretary"], person=True) is None
    # an organization keeps its words: "Minister" there is part of its name
    assert name_part(["Office", "Minister", "Anna"], person=False) == (0, 3)


def test_the_mean_is_over_the_scored_sets_only():
    results = {
        "sets": {"conll2003-testa": {"micro": {"f1": 0.9}}, "re3d": {"micro": {"f1": 0.7}}, "re3d-news": {"micro": {"f1": 0.1}}}
    }
    mean = mean_micro_f1(results)
    assert mean == {"sets": ["conll2003-testa", "re3d"], "f1": 0.8}
    assert set(MEAN_OVER) <= set(VIEWS)
