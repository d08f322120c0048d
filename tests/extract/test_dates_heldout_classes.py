"""The error classes that held-out news showed, each as a general rule on invented sentences:
durations read as dates, ranges, times in UTC, an explicit year after a yearless date, relative
dates inside a narrative set in another time, and digits inside web and e-mail addresses."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.extract.dates import find_temporal_expressions

ANCHOR = dt.date(2020, 1, 8)  # a Wednesday


def found(text: str, anchor: dt.date | None = ANCHOR) -> list[tuple[str, str, str]]:
    return [(t.surface, t.timex_type, t.value) for t in find_temporal_expressions(text, anchor)]


# --- a stretch of time before "earlier", "later", "from now" is a duration ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A month earlier, the council had voted against it.", [("A month", "DURATION", "P1M")]),
        ("The plant will close ten years from now.", [("ten years", "DURATION", "P10Y")]),
        ("The treaty expires two weeks hence.", [("two weeks", "DURATION", "P2W")]),
        ("She moved abroad and returned three years later.", [("three years", "DURATION", "P3Y")]),
    ],
)
def test_an_offset_from_an_event_or_from_now_is_a_duration_without_its_signal(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sales rose 15% from $4 million a year earlier.",
        "Net income was $1.2 million, or 30 cents a share, a year earlier.",
        "A year earlier the company earned $2.4 million.",
    ],
)
def test_a_year_earlier_that_figures_are_compared_with_stays_a_date(text):
    (expression,) = [e for e in find_temporal_expressions(text, ANCHOR) if "year" in e.surface]
    assert (expression.surface.lower(), expression.timex_type, expression.value) == ("a year earlier", "DATE", "2019")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices will rise over the next decade.", [("the next decade", "DURATION", "P10Y")]),
        ("Crime fell in the past decade or so.", [("the past decade or so", "DURATION", "P10Y")]),
        ("The worst storm of the past century hit.", [("the past century", "DURATION", "P100Y")]),
    ],
)
def test_the_past_or_next_decade_is_the_stretch_up_to_or_from_now(text, expected):
    assert found(text) == expected


def test_the_last_century_of_something_is_not_a_stretch_up_to_now():
    assert all(t != "DURATION" for _, t, _ in found("It fell in the last century of the empire."))


def test_ago_stays_inside_a_date():
    assert found("The bridge opened two years ago.") == [("two years ago", "DATE", "2018")]


# --- times in UTC keep their Z -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The launch is at 14:00 UTC today.", "2020-01-08T14:00Z"),
        ("It happened at 2:30 p.m. GMT yesterday.", "2020-01-07T14:30Z"),
        ("The polls close at 9 p.m. EST today.", "2020-01-08T21:00"),
    ],
)
def test_a_time_in_utc_is_written_with_z_and_other_zones_keep_the_clock_time(text, value):
    (expression,) = find_temporal_expressions(text, ANCHOR)
    assert expression.value == value and expression.interval_start == dt.date.fromisoformat(value[:10])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ferry left at 0645 GMT.", [("0645 GMT", "TIME", "2020-01-08T06:45Z")]),
        ("Voting will end at 1800 UTC Friday.", [("1800 UTC Friday", "TIME", "2020-01-10T18:00Z")]),
    ],
)
def test_a_four_digit_clock_before_gmt_or_utc_is_a_time_in_utc_not_a_year(text, expected):
    assert found(text) == expected


def test_four_digits_without_a_universal_zone_stay_what_they_were():
    assert found("The fort was built in 1645 by traders.") == [("1645", "DATE", "1645")]
    # other zones are local clocks, which newswire writes with a colon: four digits there are no time
    assert all(t != "TIME" for _, t, _ in found("Shares in 1800 EST units rose."))
    # the zone as the subject of a verb: the digits before it are a year
    assert found("In 1847 GMT was adopted by the railways.") == [("1847", "DATE", "1847")]


# --- no dates out of web or e-mail addresses -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Read it at https://example.org/2019/05/03/report.html for details.",
        "The archive is at www.example.org/news/march-2018 for readers.",
        "Write to desk.2019@example.org with tips.",
    ],
)
def test_nothing_is_read_out_of_a_web_or_e_mail_address(text):
    assert found(text) == []


def test_dates_after_an_address_are_still_read():
    text = "See https://example.org/2019/05/03/ and the report of May 3, 2019."
    assert found(text) == [("May 3, 2019", "DATE", "2019-05-03")]


# --- ranges: each end is an expression -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He faces between 12 and 18 months in prison.", [("12", "DURATION", "P12M"), ("18 months", "DURATION", "P18M")]),
        ("Repairs take two to three weeks.", [("two", "DURATION", "P2W"), ("three weeks", "DURATION", "P3W")]),
        ("Delivery takes two or three days.", [("two or three days", "DURATION", "PXD")]),
        ("Prices rose in the past two to three years.", [("the past two to three years", "DURATION", "PXY")]),
    ],
)
def test_a_range_of_lengths_has_two_ends_and_an_alternative_stays_one_vague_length(text, expected):
    assert found(text) == expected


# --- an explicit year written after a yearless date ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Nobody forgot that January day in 1998.", "that January", "1998-01"),
        ("On March 3 of 2001 the fire started.", "March 3", "2001-03-03"),
        ("The May morning in 1994 was cold.", "May", "1994-05"),
        ("Rioters burned two shops on Christmas Eve in 1996.", "Christmas Eve", "1996-12-24"),
        ("The parade was cancelled at Thanksgiving of 2003.", "Thanksgiving", "2003-11-27"),
    ],
)
def test_a_year_written_after_a_yearless_date_is_its_year(text, surface, value):
    got = {s: v for s, _, v in found(text)}
    assert got[surface] == value


def test_a_year_that_is_a_figure_does_not_date_the_month():
    got = {s: v for s, _, v in found("In March in 2015.5 percent of cases were mild.")}
    assert got.get("March") != "2015-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The fair runs from June 2 to September 14, 2031, in the park.",
            [("June 2", "DATE", "2031-06-02"), ("September 14, 2031", "DATE", "2031-09-14")],
        ),
        (
            "Floods struck on April 3 and 5, 1927, downstream.",
            [("April 3", "DATE", "1927-04-03"), ("5, 1927", "DATE", "1927-04-05")],
        ),
        (
            "The strike lasted from Dec. 27 through Jan. 4, 1951.",
            [("Dec. 27", "DATE", "1950-12-27"), ("Jan. 4, 1951", "DATE", "1951-01-04")],
        ),
    ],
)
def test_the_year_written_once_after_a_range_or_a_pair_of_days_dates_both_ends(text, expected):
    assert found(text) == expected


def test_a_range_without_a_year_and_a_pair_before_a_count_keep_the_anchor():
    assert found("Voting will run from March 3 to March 9.") == [
        ("March 3", "DATE", "2020-03-03"),
        ("March 9", "DATE", "2020-03-09"),
    ]
    assert found("Rain fell on May 3 and 4 people drowned.") == [("May 3", "DATE", "2019-05-03")]
    # a year of its own after the second day is not the first day's
    assert found("It closed on March 3, 2009 and 4, 2010.")[0] == ("March 3, 2009", "DATE", "2009-03-03")


# --- the time a text or a sentence is set in -----------------------------------------------------


def test_a_yearless_date_in_a_sentence_set_in_a_past_year_is_read_in_that_year():
    text = "On Oct. 3, 1990, the troops crossed, and on Nov. 5 they left."
    assert found(text)[1] == ("Nov. 5", "DATE", "1990-11-05")


def test_a_weekday_in_a_sentence_set_on_a_day_of_a_past_year_is_the_one_nearest_that_day():
    text = "On Oct. 3, 1990, the troops crossed, and on Friday they left."
    assert found(text)[1] == ("Friday", "DATE", "1990-10-05")


def test_a_weekday_in_the_next_sentence_counts_from_the_time_of_writing_again():
    text = "On Oct. 3, 1990, the troops crossed. On Friday the memorial opened."
    assert found(text)[1] == ("Friday", "DATE", "2020-01-03")


def test_the_next_sentence_is_back_in_the_time_of_writing():
    text = "The treaty was signed on Dec. 21, 1988. In April the talks resumed."
    assert found(text)[1] == ("April", "DATE", "2019-04")


def test_a_date_line_at_the_head_of_the_text_is_its_date_of_writing():
    text = "Sweden beat Korea\n\nTuesday, June 19, 2018\n\nYesterday, Sweden won 1-0."
    assert found(text, dt.date(2018, 6, 18))[1] == ("Yesterday", "DATE", "2018-06-18")


def test_a_date_alone_on_a_line_further_down_heads_a_timeline_entry_and_changes_nothing():
    head = "A timeline of the dispute. " * 20
    text = head + "\nMarch 3, 2015\nYesterday the talks broke down."
    assert found(text, dt.date(2018, 6, 18))[-1] == ("Yesterday", "DATE", "2018-06-17")


def test_that_same_day_after_a_month_is_an_unknown_day_of_that_month():
    text = "He was killed last October. His name was crossed out that same day."
    assert found(text)[1] == ("that same day", "DATE", "2019-10-XX")


def test_that_week_after_a_year_is_an_unknown_week_of_that_year():
    assert found("It happened in 1995. That week, he resigned.")[1] == ("That week", "DATE", "1995-WXX")


def test_a_quoted_document_counts_its_days_from_the_day_it_was_written():
    text = 'In an e-mail sent on March 3, 2009, he wrote: "I will call you tomorrow and we meet Friday."'
    assert found(text)[1:] == [("tomorrow", "DATE", "2009-03-04"), ("Friday", "DATE", "2009-03-06")]


def test_a_quoted_speaker_and_an_undated_document_keep_the_day_of_writing():
    said = 'On March 3, 2009, he said: "I will call you tomorrow."'
    undated = 'In an e-mail, he wrote: "I will call you tomorrow."'
    assert found(said)[1] == ("tomorrow", "DATE", "2020-01-09")
    assert found(undated) == [("tomorrow", "DATE", "2020-01-09")]


def test_the_next_day_counts_from_the_last_day_named_even_after_a_year_in_between():
    text = "The vote was held on Sunday. In 2011, fewer people voted. The count ended the next day."
    assert found(text)[-1] == ("the next day", "DATE", "2020-01-06")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mill opened in 1987. That summer, it hired forty weavers.", ("That summer", "DATE", "1987-SU")),
        ("The mill opened in May 1987. The same winter, it closed.", ("The same winter", "DATE", "1987-WI")),
    ],
)
def test_that_season_after_a_year_the_text_named_is_in_that_year(text, expected):
    assert found(text)[-1] == expected


def test_that_season_with_no_date_named_before_is_the_season_of_the_time_of_writing():
    assert found("That winter was mild.", dt.date(2020, 1, 8)) == [("That winter", "DATE", "2019-WI")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dam was approved in 2004 and opened the following January.", ("the following January", "DATE", "2005-01")),
        ("The dam opened in 2004, after a vote the previous March.", ("the previous March", "DATE", "2003-03")),
        ("The dam was approved in May 2004 and opened the following October.", ("the following October", "DATE", "2004-10")),
    ],
)
def test_the_following_or_previous_month_counts_from_the_last_date_named(text, expected):
    assert found(text)[-1] == expected


def test_the_following_month_with_no_date_named_before_counts_from_the_anchor():
    assert found("The dam will open the following March.") == [("the following March", "DATE", "2020-03")]
