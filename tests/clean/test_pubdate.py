"""Publication dates inferred only from evidence that dates the writing (broadsheet.clean.pubdate)."""

import datetime as dt

from broadsheet.clean.pubdate import INFERRED_CONFIDENCE, UNKNOWN, PublicationDate, infer_publication_date
from broadsheet.extract.rows import anchor_for

DAY = dt.date(2024, 3, 3)


def _writing_day(day: dt.date) -> PublicationDate:
    return PublicationDate(day, day, day, "inferred", INFERRED_CONFIDENCE["writing_day"])


def test_a_text_about_the_1990s_written_later_gets_at_most_a_lower_bound_that_holds_the_truth():
    text = (
        "How the valley lost its mill\n\n"
        "The textile mill at Harlow Bridge opened in 1921 and employed half the town. "
        "It was sold in 1994, and the new owners closed it in 1997. "
        "Looking back, former workers said the town never recovered."
    )
    found = infer_publication_date(text)
    assert found.date is None and found.latest is None  # no day, no end: it was written some time later
    assert found.earliest == dt.date(1997, 1, 1) and found.source == "inferred"
    assert found.confidence < 0.5
    written = dt.date(2023, 6, 1)
    assert found.earliest <= written


def test_a_dateline_with_a_full_date_near_the_top_dates_the_writing():
    text = "Storm closes harbour\n\nMarch 3, 2024\n\nThe harbour at Port Ellis was closed after a storm, officials said."
    assert infer_publication_date(text) == _writing_day(DAY)
    text = "Storm closes harbour\n\nSunday, 3 March 2024, 10:31 GMT\n\nThe harbour was closed, officials said."
    assert infer_publication_date(text) == _writing_day(DAY)


def test_published_on_and_today_name_the_day_of_writing():
    assert infer_publication_date("Published on March 3, 2024\n\nThe harbour was closed, officials said.") == _writing_day(DAY)
    assert infer_publication_date("Today, March 3, 2024, the harbour was closed by the port authority.") == _writing_day(DAY)


def test_updated_bounds_the_writing_from_above_only():
    found = infer_publication_date("Storm closes harbour\n\nUpdated March 3, 2024\n\nThe harbour was closed, officials said.")
    assert found == PublicationDate(None, None, DAY, "inferred", INFERRED_CONFIDENCE["updated"])
    # with a past event reported in February, the interval closes at both ends
    found = infer_publication_date(
        "Storm closes harbour\n\nUpdated March 3, 2024\n\nThe harbour was damaged in February 2024, officials said."
    )
    assert (found.date, found.earliest, found.latest) == (None, dt.date(2024, 2, 1), DAY)


def test_a_future_tense_schedule_says_nothing_about_when_it_was_written():
    text = (
        "Festival line-up\n\n"
        "The festival will open on June 12, 2031, and the final concert is scheduled for June 20, 2031. "
        "Tickets go on sale in 2030, the organisers expect."
    )
    assert infer_publication_date(text) == UNKNOWN


def test_dates_in_plans_conditions_and_spans_are_not_lower_bounds():
    assert infer_publication_date("The ministry said spending would reach 3% of GDP in 2035.") == UNKNOWN
    assert infer_publication_date("The treaty, signed by both sides, runs until 2036, officials said.") == UNKNOWN
    assert infer_publication_date("The company reported profits for the fiscal year ended in 2027.") == UNKNOWN


def test_text_in_another_language_is_unknown_since_the_cues_are_english():
    text = "Der Hafen wurde am 3. März 2024 nach einem Sturm geschlossen, teilte die Behörde mit."
    assert infer_publication_date(text) == UNKNOWN


def test_only_a_day_the_text_gives_as_its_own_anchors_relative_dates():
    def doc(found: PublicationDate) -> dict:
        return {
            "published_date": found.date,
            "published_date_source": found.source,
            "published_date_confidence": found.confidence,
        }

    assert anchor_for(doc(_writing_day(DAY))) == (DAY, "inferred_published_date")
    lower = infer_publication_date("The harbour was closed on March 3, 2024, officials said.")
    assert lower.earliest == DAY and lower.date is None
    assert anchor_for(doc(lower)) == (None, "none")
