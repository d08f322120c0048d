"""Dates as bylines, date lines and datelines write them."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.clean.dates import parse_date

JAN_8 = dt.date(2020, 1, 8)


@pytest.mark.parametrize(
    "value",
    [
        "January 08, 2020",
        "January 8, 2020",
        "Jan. 8, 2020",
        "Jan 8 2020",
        "jan. 8th, 2020",
        "8 January 2020",
        "8 Jan. 2020",
        "Wednesday, January 8, 2020 10:31 AM",
        "Wed, Jan 8, 2020 at 10:31 a.m. EST",
        "2020-01-08",
        "2020-01-08T10:31:00+03:00",
        "2020/01/08",
        "08.01.2020",
        "08.01.2020 10:31",
        "Published: January 8, 2020",
    ],
)
def test_written_forms_of_one_day(value):
    assert parse_date(value) == JAN_8


def test_numeric_dates_are_read_only_when_they_cannot_be_misread():
    assert parse_date("13/01/2020") == dt.date(2020, 1, 13)  # day first: 13 cannot be a month
    assert parse_date("01/13/2020") == dt.date(2020, 1, 13)  # month first
    assert parse_date("05/05/2020") == dt.date(2020, 5, 5)  # both readings agree
    assert parse_date("01/02/2020") is None
    assert parse_date("01-02-2020") is None


def test_dotted_dates_follow_the_rules_files_convention():
    assert parse_date("08.01.2020", dotted_numeric="day_first") == JAN_8
    assert parse_date("08.01.2020", dotted_numeric="unambiguous_only") is None
    assert parse_date("13.01.2020", dotted_numeric="unambiguous_only") == dt.date(2020, 1, 13)


@pytest.mark.parametrize(
    "value",
    ["Jan. 8", "May 9th", "Wednesday", "February 30, 2020", "2020-13-01", "31.02.2020", "last May", "", "2020"],
)
def test_no_single_real_day_no_date(value):
    assert parse_date(value) is None
