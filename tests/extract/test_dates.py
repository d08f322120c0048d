"""Temporal expressions: detection, TIMEX3 normalization, intervals and anchoring, on small cases."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.extract import dates
from broadsheet.extract.dates import TemporalExpression, find_temporal_expressions
from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.grammar import _compile
from broadsheet.extract.timex.lexicon import load_lexicon

D = dt.date
ANCHOR = D(2020, 1, 8)  # a Wednesday


def one(text: str, anchor: dt.date | None = ANCHOR) -> TemporalExpression:
    found = find_temporal_expressions(text, anchor)
    assert len(found) == 1, [(t.surface, t.value) for t in found]
    return found[0]


def surfaces(text: str, anchor: dt.date | None = ANCHOR) -> list[str]:
    return [t.surface for t in find_temporal_expressions(text, anchor)]


def by_surface(text: str, anchor: dt.date | None = ANCHOR) -> dict[str, TemporalExpression]:
    return {t.surface: t for t in find_temporal_expressions(text, anchor)}


# --- absolute dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "granularity", "interval"),
    [
        ("It was signed on January 08, 2020, in Paris.", "January 08, 2020", "2020-01-08", "day", (D(2020, 1, 8), D(2020, 1, 8))),
        ("The office opened in May 2018 downtown.", "May 2018", "2018-05", "month", (D(2018, 5, 1), D(2018, 5, 31))),
        ("The law was passed in 2007 by parliament.", "2007", "2007", "year", (D(2007, 1, 1), D(2007, 12, 31))),
        ("Prices fell throughout the 1990s and beyond.", "the 1990s", "199", "decade", (D(1990, 1, 1), D(1999, 12, 31))),
        ("He was born in the 20th century, they said.", "the 20th century", "19", "century", (D(1900, 1, 1), D(1999, 12, 31))),
        ("They met on 8 March 2019 in Kyiv.", "8 March 2019", "2019-03-08", "day", (D(2019, 3, 8), D(2019, 3, 8))),
        ("The report is dated 2019-11-30 at the top.", "2019-11-30", "2019-11-30", "day", (D(2019, 11, 30), D(2019, 11, 30))),
        ("Filed 12/31/2019 with the court.", "12/31/2019", "2019-12-31", "day", (D(2019, 12, 31), D(2019, 12, 31))),
        ("Sales rose in Q3 2019 from a year earlier.", "Q3 2019", "2019-Q3", "quarter", (D(2019, 7, 1), D(2019, 9, 30))),
        (
            "It lost money in the third quarter of 2019.",
            "the third quarter of 2019",
            "2019-Q3",
            "quarter",
            (D(2019, 7, 1), D(2019, 9, 30)),
        ),
        ("Profit doubled in fiscal 2018, the firm said.", "fiscal 2018", "2018", "year", (D(2018, 1, 1), D(2018, 12, 31))),
        ("FY2018 results were restated.", "FY2018", "2018", "year", (D(2018, 1, 1), D(2018, 12, 31))),
        (
            "The club was founded in the nineteen-seventies? No: in nineteen seventy-nine.",
            "nineteen seventy-nine",
            "1979",
            "year",
            (D(1979, 1, 1), D(1979, 12, 31)),
        ),
    ],
)
def test_absolute_dates(text, surface, value, granularity, interval):
    t = by_surface(text)[surface]
    assert (t.timex_type, t.value, t.granularity) == ("DATE", value, granularity)
    assert (t.interval_start, t.interval_end) == interval
    assert not t.is_relative and not t.anchored


def test_two_digit_years_take_the_anchor_century():
    t = one("Sales peaked in 4Q19, analysts said.")
    assert (t.value, t.interval_start, t.interval_end) == ("2019-Q4", D(2019, 10, 1), D(2019, 12, 31))
    assert one("Sales peaked in 4Q99, analysts said.").value == "1999-Q4"


def test_summer_of_2014_is_a_queryable_range_in_the_northern_hemisphere():
    t = one("Russia's entry came in the summer of 2014, the blogger claimed.")
    assert (t.surface, t.value, t.granularity) == ("the summer of 2014", "2014-SU", "season")
    assert (t.interval_start, t.interval_end) == (D(2014, 6, 1), D(2014, 8, 31))


def test_winter_runs_into_the_next_year():
    t = one("The talks stalled in the winter of 2014 after the vote.")
    assert t.value == "2014-WI"
    assert (t.interval_start, t.interval_end) == (D(2014, 12, 1), D(2015, 2, 28))


def test_early_mid_late_narrow_the_interval_to_a_third():
    found = by_surface("Talks began in early 2019, stalled in mid-2019 and ended in late November 2019.")
    early, mid, late = found["early 2019"], found["mid-2019"], found["late November 2019"]
    assert (early.value, early.mod, early.interval_start, early.interval_end) == ("2019", "START", D(2019, 1, 1), D(2019, 4, 30))
    assert (mid.value, mid.mod, mid.interval_start, mid.interval_end) == ("2019", "MID", D(2019, 5, 1), D(2019, 8, 31))
    assert (late.value, late.mod, late.interval_start, late.interval_end) == ("2019-11", "END", D(2019, 11, 21), D(2019, 11, 30))


def test_weekday_with_a_date_is_one_expression():
    t = one("The paper said in an editorial on Thursday, Jan. 6, 2000, that it disagreed.", None)
    assert (t.surface, t.value) == ("Thursday, Jan. 6, 2000", "2000-01-06")


def test_the_election_year_is_a_date_but_money_and_counts_are_not():
    assert surfaces("The 2007 election was a mess.") == ["2007"]
    for text in (
        "The fee was $2015 for each seat.",
        "Turnout reached 2015 voters in the ward.",
        "Growth was 2015% over the period.",
        "The index closed at 2082.1 on the day.",
        "Call 1-800-555-2020 for details.",
        "Install version 2.0.1 or Windows 2000 to run it.",
        "The population was 1,500 and the road is 2,019 metres long.",
    ):
        assert [t for t in find_temporal_expressions(text, ANCHOR) if t.granularity == "year"] == [], text


# --- relative dates and the anchor ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "interval"),
    [
        ("The strike on Jan. 3 killed him.", "Jan. 3", "2020-01-03", (D(2020, 1, 3), D(2020, 1, 3))),
        ("Talks failed last May in Vienna.", "last May", "2019-05", (D(2019, 5, 1), D(2019, 5, 31))),
        ("Protests grew last week in the capital.", "last week", "2020-W01", (D(2019, 12, 30), D(2020, 1, 5))),
        ("Exports fell last year by a third.", "last year", "2019", (D(2019, 1, 1), D(2019, 12, 31))),
        ("The vote is tomorrow, officials said.", "tomorrow", "2020-01-09", (D(2020, 1, 9), D(2020, 1, 9))),
        ("He left office two years ago after a scandal.", "two years ago", "2018", (D(2018, 1, 1), D(2018, 12, 31))),
        ("Growth has slowed this year in most regions.", "this year", "2020", (D(2020, 1, 1), D(2020, 12, 31))),
        ("Sales rose in the previous decade, it said.", "the previous decade", "201", (D(2010, 1, 1), D(2019, 12, 31))),
        ("Rates rose sharply at the end of last year.", "the end of last year", "2019", (D(2019, 9, 1), D(2019, 12, 31))),
        ("The ministry said on Monday that it would wait.", "Monday", "2020-01-06", (D(2020, 1, 6), D(2020, 1, 6))),
        ("The company lost money in the third quarter.", "the third quarter", "2019-Q3", (D(2019, 7, 1), D(2019, 9, 30))),
        ("Demonstrators marched last summer in the city.", "last summer", "2019-SU", (D(2019, 6, 1), D(2019, 8, 31))),
        (
            "Crowds gathered on New Year's Eve near the embassy.",
            "New Year's Eve",
            "2019-12-31",
            (D(2019, 12, 31), D(2019, 12, 31)),
        ),
    ],
)
def test_relative_expressions_resolve_against_the_anchor(text, surface, value, interval):
    t = by_surface(text)[surface]
    assert t.value == value
    assert (t.interval_start, t.interval_end) == interval
    assert t.is_relative and t.anchored


def test_wednesday_is_the_most_recent_one_unless_the_clause_speaks_of_the_future():
    assert one("Iran fired missiles on Wednesday, the Pentagon said.").value == "2020-01-08"
    assert one("Officials said Tuesday that talks had failed.").value == "2020-01-07"
    assert one("The council will vote on Tuesday.").value == "2020-01-14"
    assert one("The council will vote on Wednesday.").value == "2020-01-08"


def test_an_event_set_slated_or_planned_for_a_day_is_the_coming_one():
    assert one("The launch is set for Monday.").value == "2020-01-13"
    assert one("A second round is slated for Sunday.").value == "2020-01-12"
    assert one("A hearing is planned for Tuesday.").value == "2020-01-14"
    # reported in the past tense, a plan still points ahead
    assert one("The rally was planned for Friday.").value == "2020-01-10"


def test_a_relative_year_after_a_month_day_is_its_year():
    found = by_surface("The plant was shut on Jan. 5 last year and reopens on 3 May next year.")
    assert found["Jan. 5"].value == "2019-01-05"
    assert found["3 May"].value == "2021-05-03"
    # the words stay an expression of their own
    assert (found["last year"].value, found["next year"].value) == ("2019", "2021")
    # "last year's" owns a noun: it does not date the day before it
    assert by_surface("The price on Jan. 5 last year's crop fetched was low.")["Jan. 5"].value == "2020-01-05"


def test_yearless_month_day_goes_to_the_year_news_means():
    assert one("The strike on Dec. 27 killed a contractor.").value == "2019-12-27"
    # a date a few days ahead is the coming one, even without a future cue
    assert one("Holders of record on Jan. 14 receive the dividend.").value == "2020-01-14"
    # far ahead in the past narrative is last year's
    assert one("Protests began on Oct. 1 in Baghdad.").value == "2019-10-01"


def test_an_initial_does_not_end_the_sentence_that_holds_the_future_cue():
    # "P." is an initial: the clause still holds "will", so Feb. 1 is the coming one
    assert one("Mr. Smith, 52 years old, will succeed Daniel P. Davison Feb. 1.", D(1989, 10, 26)).value == "1990-02-01"


def test_what_something_comes_ahead_of_is_still_to_come():
    # ANCHOR is a Wednesday: without the cue, a bare weekday is the last one
    assert one("Candidates toured the region ahead of Sunday's vote.").value == "2020-01-12"
    assert one("Stocks slipped in the run-up to the Friday holiday.").value == "2020-01-10"
    assert one("Crowds gathered in the lead-up to the ceremony in March.", D(2019, 10, 26)).value == "2020-03"


def test_a_future_cue_that_governs_another_date_does_not_move_this_one():
    # "as early as" and "until" belong to the date right after them, not to the month
    found = by_surface("Police have evidence in the October robbery to charge him as early as next week.", D(1999, 4, 19))
    assert found["October"].value == "1998-10"
    found = by_surface("The suspects, arrested Sunday, can be held until Friday.", D(2006, 12, 20))
    assert found["Sunday"].value == "2006-12-17"
    # right before the date itself, the cue still points ahead
    assert one("Talks could resume as early as Monday, he said.").value == "2020-01-13"


def test_a_future_cue_in_a_subordinate_clause_after_the_date_is_not_the_date_s():
    # ANCHOR is a Wednesday: the weekend and the Monday that are past
    assert one("He resigned over the weekend after aides learned he was planning to leave.").value == "2020-W01-WE"
    assert one("Shares fell Monday after the bank said it will cut jobs.").value == "2020-01-06"
    assert one("The minister left Monday, when talks were expected to resume.").value == "2020-01-06"
    # a date inside the subordinate clause still takes the main clause's future
    assert one("The party will hold no office after the handover in March.", D(2019, 10, 26)).value == "2020-03"


def test_a_date_between_a_subject_and_a_past_verb_is_past():
    # the later "will" is another clause's; the verb right after the date is this date's
    text = "The lawyer said the trial will be unfair and on Monday criticised the judges."
    assert by_surface(text, D(2005, 12, 6))["Monday"].value == "2005-12-05"
    assert one("Norway in February halted the exports, and it will review them.", D(2006, 12, 27)).value == "2006-02"
    # not when the verb after the date belongs to a longer subject ("a cut from February showed")
    assert one("A cut in output from February showed resolve.", D(2006, 12, 15)).value == "2007-02"


def test_a_range_of_months_runs_forward_and_is_read_as_a_whole():
    # written in November: January alone would be the coming one, but the range ends in October
    found = by_surface("Exports rose 9% from January to October, customs data showed.", D(2006, 11, 16))
    assert (found["January"].value, found["October"].value) == ("2006-01", "2006-10")
    found = by_surface("Frost is expected from December to February.", D(2006, 11, 17))
    assert (found["December"].value, found["February"].value) == ("2006-12", "2007-02")
    # the year written once, after the last month, is the range's
    found = by_surface("She was finance minister between April and August 2005.", D(2006, 11, 28))
    assert found["April"].value == "2005-04"


def test_what_is_due_on_a_day_is_ahead():
    assert one("Traders wait for the jobs data due on Friday.").value == "2020-01-10"
    assert one("The vote, due in March, will decide the matter.", D(2019, 10, 26)).value == "2020-03"
    assert one("The report was published in March.", D(2019, 10, 26)).value == "2019-03"


def test_effective_dates_are_ahead():
    assert one("The cost of the new labor pact effective June 1 weighs on results.", D(1989, 10, 26)).value == "1990-06-01"


def test_days_later_is_a_duration_with_the_signal_left_out():
    # TimeML marks "two days" in "two days later" as a DURATION; "later" is the signal that ties
    # it to the event, outside the extent (TimeBank does so for days, hours and minutes)
    found = by_surface(
        "A rocket attack on Dec. 27 killed a contractor, and two days later jets struck back. A day earlier, talks failed."
    )
    assert (found["two days"].timex_type, found["two days"].value) == ("DURATION", "P2D")
    assert (found["A day"].timex_type, found["A day"].value) == ("DURATION", "P1D")
    assert found["Dec. 27"].value == "2019-12-27"
    half = one("The ferry left the harbour and, just over an hour later, turned back.")
    assert (half.surface, half.value, half.mod) == ("an hour", "PT1H", "MORE_THAN")  # "just over" outside, as TimeBank writes it
    assert one("A few weeks later the mill reopened.").value == "PXW"


def test_years_later_is_a_duration_too():
    found = by_surface("The dam opened in 1962, and eight years later the valley flooded.")
    assert (found["eight years"].timex_type, found["eight years"].value) == ("DURATION", "P8Y")
    assert found["1962"].value == "1962"
    assert one("A few months later the mill shut.").value == "PXM"


def test_a_year_earlier_stays_a_date():
    found = by_surface("Sales reached $4 million in 2018, up from $3 million a year earlier.")
    assert (found["a year earlier"].timex_type, found["a year earlier"].value) == ("DATE", "2017")


def test_a_year_ago_in_results_news_is_the_same_quarter_a_year_before():
    found = by_surface("Net income rose in the third quarter to $5 million from $3 million a year ago.")
    assert found["the third quarter"].value == "2019-Q3"
    assert found["a year ago"].value == "2018-Q3"


def test_after_the_nine_months_a_year_earlier_is_the_year_before():
    found = find_temporal_expressions(
        "Net rose in the third quarter from a year ago. For the nine months, net was $9 million, compared with "
        "year-earlier net of $7 million and a loss in the 1988 period. Profit in the quarter was up from a year earlier.",
        D(1989, 10, 26),
    )
    assert [(t.surface, t.value) for t in found] == [
        ("the third quarter", "1989-Q3"),
        ("a year ago", "1988-Q3"),
        ("the nine months", "P9M"),
        ("year-earlier", "1988"),
        ("the 1988 period", "1988"),
        ("the quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),  # naming the quarter again makes it the period reported on
    ]


def test_the_latest_quarter_is_the_one_the_text_reports_on():
    # a company whose fiscal second quarter ended in September: "the latest period" is that
    # quarter, not the last calendar quarter before the article
    found = by_surface(
        "The brewer posted a loss for the fiscal second quarter. The latest period includes a charge of $3 million.",
        D(1989, 10, 26),
    )
    assert found["the fiscal second quarter"].value == "1989-Q2"
    assert found["The latest period"].value == "1989-Q2"
    # with no quarter named, the last one completed at the anchor
    assert one("Sales in the latest quarter were flat.", D(1989, 10, 26)).value == "1989-Q3"


def test_the_same_period_of_a_named_year_takes_the_year_into_its_extent():
    found = by_surface("Profit rose in the third quarter from the same period of 2018.", D(2019, 11, 5))
    assert found["the same period of 2018"].value == "2018-Q3"
    found = by_surface("Sales rose in the third quarter over the same period of last year.", D(2019, 11, 5))
    assert found["the same period of last year"].value == "2018-Q3"


def test_any_run_of_months_reported_on_makes_a_year_earlier_the_year_before():
    # "the first ten months", "the first three quarters": like "the nine months", a stretch of the
    # year, so the comparison is with the same stretch of the year before, written as that year
    found = by_surface("Exports rose in the first ten months, up 9 percent over the same period last year.", D(2006, 11, 10))
    assert found["the same period last year"].value == "2005"
    found = by_surface("Output grew in the first three quarters, up from the same period of 2005.", D(2006, 11, 10))
    assert found["the same period of 2005"].value == "2005"
    # a quarter alone is still compared quarter with quarter
    assert (
        by_surface("Output grew in the third quarter from a year earlier.", D(2006, 11, 10))["a year earlier"].value == "2005-Q3"
    )


def test_an_unnamed_quarter_is_the_calendar_quarter_its_end_date_closes():
    found = by_surface("In the quarter ended July 31, sales fell from a year earlier.", D(1989, 10, 30))
    assert found["the quarter"].value == "1989-Q2"  # May to July: mostly the second quarter
    assert found["a year earlier"].value == "1988-Q2"
    # once the text has named the quarter, its end date does not rename it
    found = by_surface("Sun reported its fiscal first quarter. Sales for the quarter ended Sept. 29 rose.", D(1989, 10, 26))
    assert found["the quarter"].value == found["fiscal first quarter"].value


def test_the_year_to_a_month_is_twelve_months_running_to_that_month():
    # the British way of writing "the year ended": a length of time, and the month it runs to
    found = by_surface("The brewer's output rose 4% in the year to March, the board said.", D(2011, 5, 20))
    assert (found["the year"].timex_type, found["the year"].value) == ("DURATION", "P1Y")
    assert found["March"].value == "2011-03"
    found = by_surface("Exports grew in the three months to December 2010.", D(2011, 2, 3))
    assert [(s, t.value) for s, t in found.items()] == [("the three months", "P3M"), ("December 2010", "2010-12")]
    # "to" before a capitalised verb or a modal is no month
    assert surfaces("Crowds plan to March on the capital; the year to may be lean.", D(2011, 5, 20)) == []


def test_last_fall_is_a_season_even_before_in_but_the_last_fall_in_prices_is_not():
    assert one("Slepian was shot last fall in his home.", D(1999, 6, 7)).value == "1998-FA"
    assert surfaces("The last fall in prices was steep.", D(1999, 6, 7)) == []


def test_without_an_anchor_relative_expressions_stay_underspecified():
    found = by_surface(
        "Every year on May 9th there is a parade. On Wednesday and last week and Jan. 3 and tomorrow, nothing.", None
    )
    for surface, value in (
        ("May 9th", "XXXX-05-09"),
        ("Wednesday", "XXXX-WXX-3"),
        ("last week", "XXXX-WXX"),
        ("Jan. 3", "XXXX-01-03"),
        ("tomorrow", "XXXX-XX-XX"),
    ):
        t = found[surface]
        assert t.value == value
        assert t.interval_start is None and t.interval_end is None
        assert t.is_relative and not t.anchored


def test_anaphora_resolves_against_the_text_even_without_an_anchor():
    found = by_surface("The base was expanded in 2017, and the same year a second runway opened.", None)
    assert found["the same year"].value == "2017"
    assert not found["the same year"].anchored


# --- durations, sets, vague references ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "mod"),
    [
        ("Tensions have been building for two years, diplomats said.", "two years", "P2Y", None),
        ("The country has been at war for decades.", "decades", "PXDE", None),
        ("It lasted more than a decade.", "more than a decade", "P10Y", "MORE_THAN"),
        ("The flight took 5 1/2 hours.", "5 1/2 hours", "PT5H30M", None),
        ("They waited half an hour outside.", "half an hour", "PT30M", None),
        ("He spent several months in jail.", "several months", "PXM", None),
        ("The 16-hour flight landed late.", "16-hour", "PT16H", None),
        ("Profit rose over the past two months.", "the past two months", "P2M", None),
        ("Shares were held for about two weeks.", "two weeks", "P2W", "APPROX"),
        # "barely" and "under" set the mod and stay outside, as TimeBank and TempEval-3 mostly write them
        ("The truce came barely a month after the raid.", "a month", "P1M", "LESS_THAN"),
        ("Inmates jailed for under a year were freed.", "a year", "P1Y", "LESS_THAN"),
    ],
)
def test_durations(text, surface, value, mod):
    t = by_surface(text)[surface]
    assert (t.timex_type, t.value, t.mod, t.granularity) == ("DURATION", value, mod, "duration")
    assert t.interval_start is None


def test_an_age_is_not_a_duration():
    assert surfaces("A 52-year-old man, 40 years old, was arrested.") == []
    assert surfaces("They came with their 6-month-old son and a nine-day-old puppy.") == []
    assert surfaces("The three-decade old party and a 10-week old cub.") == []
    # after "aged" or "at the age of", a range's upper end included
    assert surfaces("Pupils aged 11-14 years sat the test; a calf fell ill at the age of six weeks.") == []
    assert surfaces("Volunteers between the ages of 20 and 40 years took part.") == []
    # the age does not hide a length of time that follows it
    assert surfaces("He was sent to prison at the age of 19 for three years.") == ["three years"]


@pytest.mark.parametrize(
    ("text", "surface", "value", "mod"),
    [
        ("The final lasted three hours and 12 minutes.", "three hours and 12 minutes", "PT3H12M", None),
        ("She served two years and five months in prison.", "two years and five months", "P2Y5M", None),
        ("The winner crossed the line after 2 hours 41 minutes.", "2 hours 41 minutes", "PT2H41M", None),
        ("The yacht sailed for one day, six hours, 12 minutes and 30 seconds.",
         "one day, six hours, 12 minutes and 30 seconds", "P1DT6H12M30S", None),
        ("The meeting ran for about an hour and 20 minutes.", "an hour and 20 minutes", "PT1H20M", "APPROX"),
    ],
)  # fmt: skip
def test_a_length_written_in_several_units_is_one_duration(text, surface, value, mod):
    t = by_surface(text)[surface]
    assert (t.timex_type, t.value, t.mod, t.granularity) == ("DURATION", value, mod, "duration")
    assert len(find_temporal_expressions(text, ANCHOR)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of lengths, not one: commas without a closing "and"
        ("He trained for ten years, six days a week.", ["ten years", "six days", "a week"]),
        ("They ruled for one year, 40 days or three months.", ["one year", "40 days", "three months"]),
        # the two ends of a range, and units that do not get smaller
        ("It takes between 10 and 14 days.", ["10", "14 days"]),
        ("The trip took two weeks and three days.", ["two weeks", "three days"]),
        ("He slept five hours and worked two days.", ["five hours", "two days"]),
    ],
)
def test_lengths_that_are_not_one_compound_stay_apart(text, expected):
    assert surfaces(text) == expected


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("The festival is held every year in June.", "every year", "P1Y"),
        ("Rallies are held almost daily.", "daily", "P1D"),
        ("Flights leave twice a week from Bombay.", "twice a week", "P1W"),
        ("Shops close every Monday at noon.", "every Monday", "XXXX-WXX-1"),
        ("The ward is staffed 24 hours a day.", "a day", "P1D"),
        ("Guards patrol three nights per week.", "per week", "P1W"),
    ],
)
def test_sets(text, surface, value):
    t = by_surface(text)[surface]
    assert (t.timex_type, t.value, t.granularity) == ("SET", value, "set")


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Prices have recently risen.", "recently", "PAST_REF"),
        ("The army is now in control.", "now", "PRESENT_REF"),
        ("Such deals failed in the past.", "the past", "PAST_REF"),
        ("Nobody knows what the future holds.", "the future", "FUTURE_REF"),
        ("The firm currently employs 90 people.", "currently", "PRESENT_REF"),
    ],
)
def test_vague_references(text, surface, value):
    t = by_surface(text)[surface]
    assert (t.timex_type, t.value, t.granularity, t.interval_start) == ("DATE", value, "ref", None)


def test_the_unit_of_a_rate_is_no_expression():
    # an amount per unit of time is a rate, which TimeML corpora leave unmarked
    assert surfaces("The plan saves $500 million a year and the mill ships 40 crates a week.") == []
    assert surfaces("Rooms cost 90 euros a night; pilots fly 12 routes per day.") == []
    assert surfaces("Sales should rise 8% annually, and the plant will make 5,000 vans yearly.") == []
    assert surfaces("The survey is published annually.") == ["annually"]
    # a length after a preposition, or with "earlier"/"ago", is still one
    assert surfaces("The index fell 3% during a week of losses.") == ["a week"]
    assert surfaces("Output rose to 40 tonnes from 30 tonnes a day earlier.") == ["a day"]


def test_every_day_after_an_owner_is_the_adjective_everyday():
    assert surfaces("Her photos show the sailors' every day routine and their every day lives.") == []
    assert surfaces("The ferry sails every day.") == ["every day"]


def test_idioms_timebank_never_marks_are_no_expressions():
    assert surfaces("At present the mill runs one shift and is presently idle at the moment.") == []
    assert surfaces("In the long run, and over the long term, costs fall; in the short run they rise.") == []
    # the references it does mark stay
    assert surfaces("The mill is currently idle and may reopen in the near future.") == ["currently", "the near future"]


def test_the_adjective_recent_is_no_expression_but_recently_and_recent_years_are():
    assert surfaces("A recent survey blamed the recent floods.") == []
    assert surfaces("The mill recently shut; output fell in recent years.") == ["recently", "recent years"]


# --- times ----------------------------------------------------------------------------------


def test_a_clock_time_is_on_the_day_written_after_it():
    # ANCHOR is Wednesday 2020-01-08
    found = by_surface("The quake struck at about 4:10 a.m. local time (2110 GMT) on Monday.")
    assert found["4:10 a.m."].value == "2020-01-06T04:10"
    assert found["2110 GMT"].value == "2020-01-06T21:10Z"
    found = by_surface("The truce began at 6 a.m. on Thursday, Jan. 2, officials said.")
    assert found["6 a.m."].value == "2020-01-02T06:00"
    # without a day after it, the time stays on the day the text is on
    assert one("The blast happened at 10:30 a.m., police said.").value == "2020-01-08T10:30"


def test_clock_times_take_the_day_being_talked_about():
    found = by_surface("The strike came on Friday, Jan. 3, 2020, shortly after 1 a.m. local time.")
    assert found["1 a.m."].value == "2020-01-03T01:00"
    assert found["1 a.m."].timex_type == "TIME"
    assert one("The blast happened at 10:30 a.m., police said.").value == "2020-01-08T10:30"
    assert one("The blast happened at 10:30 a.m., police said.", None).value == "T10:30"
    assert one("The deadline is 9 a.m. EST Tuesday, officials said.", None).value == "XXXX-WXX-2T09:00"


def test_parts_of_the_day():
    found = by_surface("Rockets landed on Saturday evening; last night it was quiet.")
    assert (found["Saturday evening"].timex_type, found["Saturday evening"].value) == ("TIME", "2020-01-04TEV")
    assert found["last night"].value == "2020-01-07TNI"


# --- false positives ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "She may be right, and they may not agree.",
        "May I ask a question?",
        "Theresa May said the vote may wait.",
        "Thousands joined a march on Washington.",
        "It was an august body of scholars.",
        "Advertise with us. Only $1/click!",
        "The vote was 21:15 in the end, a win for the left.",
        "They won 3-1 at home and 2-0 away.",
        "About 5,000 troops and 120 tanks took part.",
        "The Arab Spring changed the region.",
        "Prices fall when supply rises, and the fall of the Wall came later.",
        "He told LA Weekly that he was innocent.",
        "He was quoted by the state-run Herald daily. The daily said more.",
        "A second round of talks is planned.",
        "He serves a second term as mayor.",
    ],
)
def test_no_false_positives(text):
    assert find_temporal_expressions(text, ANCHOR) == []


def test_march_and_may_as_months_in_month_context():
    assert [t.value for t in find_temporal_expressions("The law passed in March and took effect in May.", ANCHOR)] == [
        "2019-03",
        "2019-05",
    ]


@pytest.mark.parametrize(
    "text", ["Fares rose between March and May.", "Fares rose from January to May.", "Polls were held in April and May."]
)
def test_may_after_a_month_and_a_coordinator_is_the_month(text):
    assert [t.value for t in find_temporal_expressions(text, ANCHOR)][-1] == "2019-05"


def test_may_after_a_coordinator_with_no_date_before_stays_a_verb():
    assert find_temporal_expressions("Fares rose and May fall.", ANCHOR) == []


# --- the contract of the output -------------------------------------------------------------


TEXT = (
    "BAGHDAD, Jan. 8, 2020 — Iran fired missiles early on Wednesday at bases in Iraq, days after the U.S. strike "
    "that killed Gen. Qassem Soleimani last week. Tensions had been climbing since last May, and an attack on oil "
    "facilities in September followed. For decades, and every year since 2003, the two have clashed; the 1990s "
    "were calmer. The talks may resume in the spring or early next year, about two weeks after the vote on "
    "March 3. At 10:30 a.m. on Thursday, a 16-hour meeting began. Recently, officials said the third quarter "
    "was the worst since the summer of 2014."
)


def test_spans_match_the_text_in_order_without_overlaps():
    found = find_temporal_expressions(TEXT, ANCHOR)
    assert len(found) >= 15
    for t in found:
        assert TEXT[t.start : t.end] == t.surface
        assert t.timex_type in dates.TIMEX_TYPES
        assert t.granularity in dates.GRANULARITIES
        assert (t.interval_start is None) == (t.interval_end is None)
        if t.interval_start is not None:
            assert t.interval_start <= t.interval_end
        if t.anchored:
            assert t.is_relative
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_the_scan_gate_loses_nothing():
    """The lookahead gate that skips most positions must find exactly what the plain scan finds."""
    ungated = _compile(load_lexicon(), gated=False)
    gated = find_temporal_expressions(TEXT, ANCHOR)
    original = dates.grammar
    try:
        dates.grammar = lambda: ungated
        plain = find_temporal_expressions(TEXT, ANCHOR)
    finally:
        dates.grammar = original
    assert gated == plain


# --- calendar conventions -------------------------------------------------------------------


def test_calendar_helpers():
    assert cal.easter(2020) == D(2020, 4, 12)
    assert cal.easter(2019) == D(2019, 4, 21)
    assert cal.interval_of("2020-W02-WE") == (D(2020, 1, 11), D(2020, 1, 12))
    assert cal.interval_of("2020-H2") == (D(2020, 7, 1), D(2020, 12, 31))
    assert cal.interval_of("XXXX-05-09") is None
    assert cal.interval_of("P2Y") is None
    assert cal.interval_of("2019-02-30") is None
    assert cal.apply_mod((D(1990, 1, 1), D(1999, 12, 31)), "decade", "END") == (D(1997, 1, 1), D(1999, 12, 31))
    assert cal.apply_mod((D(2019, 1, 1), D(2019, 12, 31)), "year", "AFTER") is None
    assert cal.us_election_day(2020) == D(2020, 11, 3)


@pytest.mark.slow
def test_the_scan_gate_loses_nothing_on_real_news(corpora):
    from broadsheet.lab.evaluation.dates import read_gum_news, read_tbaq

    docs = read_tbaq(corpora / "tempeval3" / "Training" / "TBAQ-cleaned")
    docs += read_gum_news(corpora / "gum" / "not-to-release" / "sources")
    gated = [find_temporal_expressions(d.text, d.creation_date) for d in docs]
    ungated = _compile(load_lexicon(), gated=False)
    original = dates.grammar
    try:
        dates.grammar = lambda: ungated
        plain = [find_temporal_expressions(d.text, d.creation_date) for d in docs]
    finally:
        dates.grammar = original
    assert gated == plain


def test_the_last_unit_of_something_is_the_final_one_not_the_past_one():
    assert surfaces("Volunteers knocked on doors in the last week of the race.") == []
    assert surfaces("The last month of her term was quiet.") == []
    assert one("He said he had served well in the last week of trying.").value == "2020-W01"
    found = by_surface("Exports grew in the last half of the '90s and again last week.")
    assert found["the '90s"].value == "199"
    assert found["last week"].value == "2020-W01"


def test_a_scheduled_event_in_the_present_tense_points_ahead():
    # news writes what is planned in the simple present: the date is the coming one
    assert one("The probe launches June 28 from the coast.", D(2011, 4, 13)).value == "2011-06-28"
    assert one("The new toll takes effect Jan. 15.", D(2011, 10, 20)).value == "2012-01-15"
    assert one("The new toll took effect Jan. 15.", D(2011, 10, 20)).value == "2011-01-15"
    assert one("The assembly convenes Monday.").value == "2020-01-13"
    # a noun that looks like one of those verbs says nothing about the date
    assert one("The fair got off to a slow start on Saturday.").value == "2020-01-04"


def test_a_deadline_with_no_past_verb_is_ahead():
    # "by" a month names a deadline: in a clause without a past verb it is the coming one
    assert one("The plan is to repay the bridge loan by February.", D(1989, 10, 30)).value == "1990-02"
    # what was done by then is past
    assert one("The volcano calmed down by September.", D(1989, 10, 30)).value == "1989-09"
    assert one("By August, the bank has granted 200 loans.", D(1989, 10, 30)).value == "1989-08"


@pytest.mark.parametrize(
    ("text", "surface", "value", "mod"),
    [
        ("By mid afternoon, the square had emptied.", "mid afternoon", "2020-01-08TAF", "MID"),
        ("At mid-afternoon yesterday, the index was flat.", "mid-afternoon yesterday", "2020-01-07TAF", "MID"),
        ("The ferry sank in the early morning.", "the early morning", "2020-01-08TMO", "START"),
        ("Crews worked through late evening Monday.", "late evening Monday", "2020-01-06TEV", "END"),
    ],
)
def test_a_part_of_the_day_narrowed_by_early_mid_late_is_a_time(text, surface, value, mod):
    t = one(text)
    assert (t.surface, t.timex_type, t.value, t.mod) == (surface, "TIME", value, mod)


def test_a_narrowed_part_of_the_day_follows_the_day_the_text_is_on():
    found = by_surface("The storm reached the coast on Jan. 3, and by late evening the river had burst its banks.")
    assert found["late evening"].value == "2020-01-03TEV"
    assert surfaces("She hosts a late night television show.") == []


def test_reported_speech_after_a_participle_is_a_clause_of_its_own():
    # "will" belongs to what was said, not to when the statement was issued
    t = one("The ministers issued a statement Friday saying the border will reopen.")
    assert t.value == "2020-01-03"


def test_the_week_of_a_date_is_that_week():
    t = one("The appeal will be heard the week of Feb. 17.")
    assert (t.surface, t.value, t.granularity) == ("the week of Feb. 17", "2020-W08", "week")
    assert (t.interval_start, t.interval_end) == (D(2020, 2, 17), D(2020, 2, 23))
    assert one("The appeal will be heard the week of Feb. 17.", None).value == "XXXX-WXX"


def test_a_month_named_by_its_possessive_or_before_a_noun():
    assert one("Analysts revised November's payroll figures.").value == "2019-11"
    assert one("The March accession lets the three states join.").value == "2020-03"
    assert surfaces("Thousands joined the March on Washington.") == []
    assert surfaces("April's mother spoke to reporters.") == []


def test_the_second_day_of_a_pair_takes_the_first_ones_month():
    found = find_temporal_expressions("The summit will meet on April 24 and 25 in Oslo.", ANCHOR)
    assert [(t.surface, t.value) for t in found] == [("April 24", "2020-04-24"), ("25", "2020-04-25")]
    assert found[1].interval_start == D(2020, 4, 25)
    assert [t.value for t in find_temporal_expressions("Polls on Sept. 3, 2019 and 4 in Ohio.", None)] == [
        "2019-09-03",
        "2019-09-04",
    ]
    assert surfaces("Ballots cast on May 3 and 4 people left.") == ["May 3"]
    assert surfaces("Snow fell on Feb. 28 and 30 schools shut.") == ["Feb. 28"]


def test_a_narrowed_part_of_the_day_with_its_date():
    found = by_surface("The siege ran from the late evening of March 29 until early morning last Wednesday.", D(1997, 4, 2))
    assert found["the late evening of March 29"].value == "1997-03-29TEV"
    assert found["early morning last Wednesday"].value == "1997-03-26TMO"


def test_a_plan_reported_in_the_past_tense_still_points_ahead():
    assert one("The envoy was due to arrive in Oslo Thursday.").value == "2020-01-09"
    assert one("Protesters were planning to march on Monday.").value == "2020-01-13"
    # a plan that had already fallen through does not
    assert one("The vote had been scheduled for Monday.").value == "2020-01-06"


def test_a_holiday_week_is_the_week_holding_the_holiday():
    t = one("Crowds gathered as Easter week began.", D(2021, 3, 30))
    assert (t.surface, t.value, t.granularity) == ("Easter week", "2021-W13", "week")  # Easter fell on April 4
    assert one("Shops shut for Christmas week.", None).value == "XXXX-WXX"


def test_the_day_before_a_weekday():
    t = one("The day before last Tuesday's hearing, the uncle met the lawyers.", D(2000, 2, 24))
    assert (t.surface, t.value) == ("The day before last Tuesday", "2000-02-21")
    assert one("They met the day after Monday's vote.", None).value == "XXXX-XX-XX"


def test_a_month_whose_clause_is_in_the_past_tense_is_the_last_one():
    # two months ahead would be the nearer January; the verb of the date's clause says it is past
    assert one("In January, the company brought in a new chief executive.", D(1989, 10, 27)).value == "1989-01"
    assert one("The operator changed its accounts to the calendar in December.", D(1989, 10, 27)).value == "1988-12"
    # without a past verb the nearer, coming one stays
    assert one("In January, the company brings in a new chief executive.", D(1989, 10, 27)).value == "1990-01"


def test_a_fronted_month_whose_clause_ends_in_a_past_verb_or_said_is_the_last_one():
    # the verb last in the clause ("rose.") and a verb of saying count as the clause's verb
    assert one("In February, sales rose.").value == "2019-02"
    assert one("In February, the company said it expects higher sales.").value == "2019-02"
    # but not the "she said" after a quotation that ends with the date
    assert (
        by_surface('"I must rest before the final, on December 4," she said.', D(2006, 11, 30))["December 4"].value
        == "2006-12-04"
    )


def test_a_past_verb_does_not_move_a_deadline_a_plan_or_reported_speech():
    assert one("The offer was extended to Nov. 20.", D(1989, 10, 27)).value == "1989-11-20"
    assert one("He subpoenaed the boy to testify before the committee on Feb. 10.", D(2000, 1, 7)).value == "2000-02-10"
    assert one("Klein said he saw few changes after an expected election in January.", D(2005, 11, 24)).value == "2006-01"
    # a past verb in another conjunct is not the date's
    assert by_surface("The drill started on Nov. 7 and ends on Nov. 20.", D(2005, 11, 12))["Nov. 20"].value == "2005-11-20"


def test_said_ends_the_clause_of_a_fronted_date():
    # "will" belongs to what the minister said, not to Monday
    assert one("On Monday, the minister said the border will reopen.").value == "2020-01-06"


def test_a_holiday_name_that_only_describes_a_thing_is_not_a_date():
    assert surfaces("Children sang Christmas carols around the Christmas tree.") == []
    assert surfaces("Exports of Christmas commodities fell, and Easter eggs sold out.") == []
    assert surfaces('"Merry Christmas" might offend customers.') == []
    # a holiday that dates an event or a stretch of time still does
    assert one("He left for the Christmas holidays.", D(2006, 12, 12)).value == "2006-12-25"
    assert one("The concert is on Christmas Eve.", D(2006, 12, 12)).value == "2006-12-24"


def test_until_and_just_stay_outside_the_extent():
    t = one("Until recently, the company had been telling its sales force otherwise.")
    assert (t.surface, t.value) == ("recently", "PAST_REF")
    t = one("He was declared dead just over an hour later.")
    assert (t.surface, t.value, t.mod) == ("an hour", "PT1H", "MORE_THAN")
    assert one("They came just now.").surface == "now"


def test_earlier_or_later_before_a_day_is_a_signal_outside_the_extent():
    t = one("Earlier Friday, lawyers filed a petition.", D(2000, 1, 7))
    assert (t.surface, t.value) == ("Friday", "2000-01-07")
    assert one("A news conference is scheduled for later today.").surface == "today"
    # and before the current week
    t = one("The two envoys met earlier this week in Geneva.", D(2000, 2, 10))
    assert (t.surface, t.value) == ("this week", "2000-W06")
    assert one("Results are due later this week.").surface == "this week"
    assert one("The fair opens later this weekend.").surface == "later this weekend"
    # before a longer period it stays part of the expression
    assert one("The company went public earlier this month.").surface == "earlier this month"


def test_the_morning_after_a_preposition_is_a_part_of_the_day_the_text_is_on():
    found = by_surface("The quake struck on Jan. 3, and aftershocks followed through the morning.")
    assert (found["the morning"].timex_type, found["the morning"].value) == ("TIME", "2020-01-03TMO")
    t = one("Dealers placed heavy buy orders in the afternoon.")
    assert (t.surface, t.value) == ("the afternoon", "2020-01-08TAF")
    assert one("The helicopters landed in the morning.", None).value == "XXXX-XX-XXTMO"
    # not a time: the thing the part of the day names, or "the morning" without a preposition
    assert surfaces("He read it in the morning papers under the night sky.") == []
    assert surfaces("She spent the morning at home.") == []


def test_today_ending_the_name_of_a_newspaper_or_a_programme_is_not_a_date():
    assert surfaces("The interview ran in Metro Today on Monday.") == ["Monday"]
    assert surfaces("He told Harbour Today magazine that prices rose.") == []
    assert surfaces("The daily Al-Yawm (Today) reported the fire.") == []
    # the day itself, at the start of a sentence, after a name, or in a title-case headline
    assert one("The minister left. Today, the talks resume.").value == "2020-01-08"
    assert one("Council Votes Today On Budget").value == "2020-01-08"
    assert one("Shares of Acme Corp. Today rose.").value == "2020-01-08"


def test_about_or_around_before_a_possessive_day_is_a_preposition_outside_the_extent():
    t = one("The growers looked for a way to get around Thursday's decision.", D(2000, 1, 7))
    assert (t.surface, t.value, t.mod) == ("Thursday", "2000-01-06", None)
    assert one("They argued about Monday's vote in the hall.", D(2000, 1, 7)).surface == "Monday"
    # an approximation of the day itself keeps its modifier
    t = one("The cargo arrives around Thursday, the port said.", D(2000, 1, 7))
    assert (t.surface, t.mod) == ("around Thursday", "APPROX")


def test_this_years_without_its_apostrophe_is_the_current_year():
    t = one("The theme of this years harvest fair is the river.", D(2007, 3, 5))
    assert (t.surface, t.value) == ("this years", "2007")
    # a plural after another word stays what it was
    assert one("He sold it over the last years of his life.").value == "PXY"


def test_year_end_before_a_noun_is_a_kind_of_thing_not_a_date():
    assert surfaces("Traders spoke of a year-end rally in steel stocks.") == []
    assert surfaces("She took questions at a month-end briefing.") == []
    # the end of the period itself
    t = one("The merger should close by year-end, the lender said.", D(2006, 11, 2))
    assert (t.surface, t.value, t.mod) == ("year-end", "2006", "END")
    assert one("Output will recover by year end as planned.", D(2006, 11, 2)).value == "2006"
