"""How the temporal grammar and its resolvers fit together: rule parts, shared part names, the
resolver table and the names `resolve` offers."""

from __future__ import annotations

import re
from re import _parser

import pytest

from broadsheet.extract.timex.grammar import grammar
from broadsheet.extract.timex.resolve import HANDLERS


def _parts_of(text: str) -> tuple[str, dict[str, str]]:
    """The rule that matches at the start of `text` and its parts, read as the scan reads them."""
    g = grammar()
    m = g.master.match(text)
    assert m is not None and m.lastgroup is not None, text
    rule = g.rules[m.lastgroup]
    return rule.name, {part: m.group(name) for part, name in rule.parts if m.group(name) is not None}


@pytest.mark.parametrize(
    ("text", "day"),
    [("May 9, 2019", "9"), ("9 May 2019", "9"), ("May the ninth, 2019", "ninth"), ("the 9th of May, 2019", "9th")],
)
def test_a_part_has_one_name_whichever_branch_captured_it(text: str, day: str) -> None:
    rule, parts = _parts_of(text)
    assert rule == "date"
    assert (parts["month"], parts["day"], parts["year"]) == ("May", day, "2019")


@pytest.mark.parametrize(
    ("text", "number", "year"),
    [("Q3 2019", "3", "2019"), ("Q3 of 2019", "3", "2019"), ("3Q 2019", "3", "2019")],
)
def test_quarter_codes_share_their_part_names(text: str, number: str, year: str) -> None:
    rule, parts = _parts_of(text)
    assert rule == "quarter"
    assert (parts["quarter_number"], parts["year"]) == (number, year)


def _group_paths(pattern: str) -> tuple[dict[str, int], dict[int, tuple[tuple[str, int], ...]]]:
    """Each capturing group's place in the parse tree: ("at", i) steps through a sequence,
    ("alt", k) into the k-th alternative of a branch."""
    tree = _parser.parse(pattern, re.IGNORECASE)
    paths: dict[int, tuple[tuple[str, int], ...]] = {}

    def walk(items, path):  # noqa: ANN001, ANN202
        for i, (op, av) in enumerate(items):
            here = (*path, ("at", i))
            if op is _parser.BRANCH:
                for k, alternative in enumerate(av[1]):
                    walk(alternative, (*here, ("alt", k)))
            elif op is _parser.SUBPATTERN:
                if av[0]:
                    paths[av[0]] = here
                walk(av[3], here)
            elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
                walk(av[2], here)
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
                walk(av[1], here)
            elif op is _parser.ATOMIC_GROUP:
                walk(av, here)

    walk(list(tree), ())
    return tree.state.groupdict, paths


def _exclusive(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]) -> bool:
    """Whether two groups sit in different alternatives of one branch, so that never both match."""
    for x, y in zip(a, b, strict=False):
        if x != y:
            return x[0] == y[0] == "alt"
    return False


def test_a_part_name_is_never_twice_in_one_branch() -> None:
    """A part named in several branches of a rule is read from whichever group matched; that is
    only sound when no two of its groups can match together."""
    g = grammar()
    for group in g.order:
        names, paths = _group_paths(g.single[group].pattern)
        rule = g.rules[group]
        by_part: dict[str, list[str]] = {}
        for part, name in rule.parts:
            by_part.setdefault(part, []).append(name)
        for part, groups in by_part.items():
            for i, first in enumerate(groups):
                for second in groups[i + 1 :]:
                    assert _exclusive(paths[names[first]], paths[names[second]]), (rule.name, part)


def test_every_rule_has_a_resolver() -> None:
    assert set(HANDLERS) == {rule.name for rule in grammar().rules.values()}


def test_month_and_weekday_words_are_the_calendars() -> None:
    from broadsheet import calendar
    from broadsheet.extract.timex.lexicon import load_lexicon

    lex = load_lexicon()
    assert lex.months == {word: n for n, words in calendar.MONTHS.items() for word in words}
    assert lex.weekdays == {word: n for n, words in calendar.WEEKDAYS.items() for word in words}
    assert lex.month_full_names == tuple(words[0].capitalize() for words in calendar.MONTHS.values())
    # an abbreviation is a weekday only with its full stop: "Sun" and "Wed" are words
    assert [w for w in lex.weekday_names if not w.endswith(".")] == [
        words[0].capitalize() for words in calendar.WEEKDAYS.values()
    ]
    assert "Thurs." in lex.weekday_names and "Thurs" not in lex.weekday_names


def test_names_are_months_only_capitalised() -> None:
    import datetime as dt

    from broadsheet.extract.dates import find_temporal_expressions

    anchor = dt.date(2020, 6, 15)
    assert [t.value for t in find_temporal_expressions("The vote is in March.", anchor=anchor)] == ["2020-03"]
    assert find_temporal_expressions("Protesters march in the rain.", anchor=anchor) == []
    assert find_temporal_expressions("We met on Sun Street.", anchor=anchor) == []
