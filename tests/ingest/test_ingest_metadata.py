import datetime

import pytest

from broadsheet.ingest.metadata import clean_metadata_string, dedupe_authors, parse_published_date

JAN_8 = datetime.date(2020, 1, 8)


@pytest.mark.parametrize(
    "raw",
    [
        "2020-01-08",
        "2020-01-08T10:30:00Z",
        "2020-01-08T23:30:00-05:00",  # the publisher's day, not the UTC one (Jan 9)
        "2020-01-08T10:30:00.000+0000",
        "2020-01-08 10:30",
        "20200108",
        "2020/01/08",
        "Wed, 08 Jan 2020 10:30:00 GMT",
        "Wed, 08 Jan 2020 10:30:00 +0100",
        "January 8, 2020",
        "Jan. 8, 2020",
        "Jan 8 2020",
        "Wednesday, January 8th, 2020",
        "January 8, 2020, 10:30 AM EST",
        "8 January 2020",
        "8th Jan. 2020",
        "  january 8,   2020 ",
    ],
)
def test_unambiguous_dates_parse(raw):
    assert parse_published_date(raw) == JAN_8


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13/01/2020", datetime.date(2020, 1, 13)),  # day first: 13 cannot be a month
        ("01/13/2020", datetime.date(2020, 1, 13)),  # month first
        ("05.05.2020", datetime.date(2020, 5, 5)),  # both orders agree
        ("Sept. 30, 2019", datetime.date(2019, 9, 30)),
        ("2020-W02-3", JAN_8),
    ],
)
def test_numeric_and_other_forms(raw, expected):
    assert parse_published_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "yesterday",
        "01/02/2020",  # January 2 or February 1: refused rather than guessed
        "2020-02-30",  # not a real day
        "February 30, 2020",
        "2020-01",  # a month, not a day
        "2020",
        "08 Jan 20 10:30:00 GMT",  # two-digit year
        "2020-01-08 and some words",
        "Jan 8",
    ],
)
def test_unparseable_or_ambiguous_dates_give_none(raw):
    assert parse_published_date(raw) is None


def test_metadata_strings_and_authors():
    assert clean_metadata_string("  The   Daily\nPlanet ") == "The Daily Planet"
    assert clean_metadata_string("   ") is None
    assert clean_metadata_string(None) is None
    assert clean_metadata_string("Zoe\u0308") == "Zo\u00eb"
    assert dedupe_authors([" Jane Doe", "", "John Roe ", "Jane Doe"]) == ("Jane Doe", "John Roe")
