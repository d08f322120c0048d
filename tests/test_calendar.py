"""The calendar words and the one reader of a written date, in its two readings."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from broadsheet.calendar import MONTH_PATTERN, MONTHS, WEEKDAY_PATTERN, WEEKDAYS, month_number, parse_date, weekday_number

JAN_8 = dt.date(2020, 1, 8)


@pytest.mark.parametrize(
    ("word", "number"),
    [("January", 1), ("jan", 1), ("Jan.", 1), ("MAY", 5), ("june", 6), ("Jun", 6), ("Sept.", 9), ("sep", 9), ("September", 9)],
)
def test_month_number_reads_names_and_abbreviations(word, number):
    assert month_number(word) == number


@pytest.mark.parametrize(
    ("word", "number"),
    [("Monday", 1), ("Tues.", 2), ("tue", 2), ("Wed", 3), ("Thurs.", 4), ("thur", 4), ("Thu", 4), ("sunday", 7)],
)
def test_weekday_number_counts_from_monday(word, number):
    assert weekday_number(word) == number


@pytest.mark.parametrize("word", ["", "Ja", "Janu", "Mayday", "Sept..", "Juni", "Thurday", "Jan 8"])
def test_words_that_name_no_month_or_weekday(word):
    assert month_number(word) is None
    assert weekday_number(word) is None


def test_every_spelling_is_in_the_patterns_and_the_patterns_take_nothing_else():
    month = re.compile(rf"{MONTH_PATTERN}\Z", re.IGNORECASE)
    weekday = re.compile(rf"{WEEKDAY_PATTERN}\Z", re.IGNORECASE)
    assert all(month.match(name) for names in MONTHS.values() for name in names)
    assert all(weekday.match(name) for names in WEEKDAYS.values() for name in names)
    assert not month.match("sepember") and not weekday.match("thurday")
    assert sum(map(len, MONTHS.values())) == 24 and sum(map(len, WEEKDAYS.values())) == 17


@pytest.mark.parametrize(
    "text",
    ["Published: Jan. 8, 2020", "BAGHDAD, 8 January 2020 (Courier) -", "Wed, Jan 8, 2020 (Reuters)", "on 2020/01/08"],
)
def test_in_text_the_date_is_found_among_other_words(text):
    assert parse_date(text) == JAN_8
    assert parse_date(text, whole=True) is None  # a metadata value must be a date and nothing else


@pytest.mark.parametrize(
    "value",
    [
        "2020-01-08T23:30:00-05:00",
        "20200108",
        "2020-W02-3",
        "Wed, 08 Jan 2020 10:30:00 +0100",
        "Thursday, 8 Jan 2020",
        "2020.01.08",
    ],
)
def test_whole_values_take_forms_that_only_metadata_writes(value):
    assert parse_date(value, whole=True) == JAN_8


def test_in_text_the_first_form_that_matches_decides_even_when_its_day_does_not_exist():
    assert parse_date("2020-13-01, January 8, 2020") is None
    assert parse_date("8 January 2020, January 9, 2020") == dt.date(2020, 1, 9)  # month-first is tried first


def test_dotted_day_first_is_the_callers_convention():
    assert parse_date("08.01.2020", dotted_day_first=True) == JAN_8
    assert parse_date("08.01.2020") is None
    assert parse_date("08.01.2020", whole=True, dotted_day_first=True) == JAN_8
    assert parse_date("08.01/2020", whole=True, dotted_day_first=True) is None  # only an all-dotted date
    assert parse_date("08/01/2020", dotted_day_first=True) is None


@pytest.mark.parametrize("whole", [False, True])
@pytest.mark.parametrize("text", ["", "2020", "Jan. 8", "May 9th", "February 30, 2020", "01/02/2020", "31.02.2020", "yesterday"])
def test_no_single_real_day_no_date(text, whole):
    assert parse_date(text, whole=whole, dotted_day_first=True) is None


def test_a_time_or_zone_never_moves_the_day():
    assert parse_date("2020-01-08T23:30:00-05:00", whole=True) == JAN_8
    assert parse_date("January 8, 2020, 11:30 PM PST", whole=True) == JAN_8
    assert parse_date("January 8, 2020 23:30 -05:00") == JAN_8


@pytest.mark.parametrize("whole", [False, True])
@pytest.mark.parametrize(
    ("text", "expected"),
    [("ſept. 8, 2020", dt.date(2020, 9, 8)), ("8 Aprıl 2020", dt.date(2020, 4, 8)), ("AUGUſT 8, 2020", dt.date(2020, 8, 8))],
)
def test_letters_that_only_case_folding_matches_still_name_the_month(text, expected, whole):
    # "ſ" matches s and "ı" matches i under case-insensitive matching; the day is read, not a KeyError.
    assert parse_date(text, whole=whole) == expected
    assert month_number("ſept") == 9


def test_the_clean_rules_read_month_and_weekday_words_from_the_calendar():
    """The rules file does not copy the words: the rules code gives it the calendar's."""
    from broadsheet.clean.rules import BUILTIN_FRAGMENTS, DEFAULT_RULES_PATH, RulesError, parse_rules

    fragments = yaml.safe_load(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))["fragments"]
    assert not set(fragments) & set(BUILTIN_FRAGMENTS)
    for fragment, table in (("calendar_month", MONTHS), ("calendar_weekday", WEEKDAYS)):
        pattern = re.compile(BUILTIN_FRAGMENTS[fragment])
        words = {w for names in table.values() for w in names}
        assert all(pattern.fullmatch(w) and pattern.fullmatch(w.upper()) for w in words), fragment
    # misspellings stay the rules file's own: none is a calendar spelling
    misspelt = fragments["weekday_misspelling"][len("(?i:") : -1].split("|")
    assert not set(misspelt) & {w for names in WEEKDAYS.values() for w in names}
    with pytest.raises(RulesError, match="comes from broadsheet.calendar"):
        parse_rules({"version": 1, "formats": ["txt"], "fragments": {"calendar_month": "x"}, "rules": []}, "test")
