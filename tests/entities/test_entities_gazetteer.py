"""The offline gazetteer: countries, cities and subdivisions to country codes."""

from __future__ import annotations

from broadsheet.entities.gazetteer import country_code, place_country_code


def test_countries_in_their_news_forms() -> None:
    for name in ["United States", "U.S.", "U.S", "U. S.", "US", "America"]:
        assert country_code(name) == "US", name
    assert country_code("Tehran") is None  # a city, not a country
    assert country_code("S.A.") is None  # only abbreviations the table writes with stops


def test_cities_before_subdivisions() -> None:
    assert place_country_code("Moscow") == "RU"  # ISO calls the region "Moskva"
    assert place_country_code("Portland") == "US"  # not the Jamaican parish
    assert place_country_code("Bogotá") == place_country_code("Bogota") == "CO"
    assert place_country_code("St. Louis") == "US"
    assert place_country_code("The Hague") == "NL"
    assert place_country_code("Teheran") == "IR"


def test_subdivisions_and_unknown_places() -> None:
    assert place_country_code("California") == "US"
    assert place_country_code("Hmeimim") is None
    assert place_country_code("Tripoli") is None  # a city in two countries: no guess


def test_a_disputed_place_gets_no_code() -> None:
    assert place_country_code("Jerusalem") is None


def test_one_city_under_several_names() -> None:
    from broadsheet.entities.canonical import canonicalize
    from broadsheet.entities.gazetteer import usual_city_name
    from broadsheet.entities.recognizer import Mention

    assert usual_city_name("Kiev") == usual_city_name("Kyiv") == "Kyiv"
    assert usual_city_name("Moscow") is None  # listed under one name only
    doc = [
        Mention(0, 4, "Kiev", "GPE", 1.0),
        Mention(10, 14, "Kyiv", "GPE", 1.0),
        Mention(20, 27, "Teheran", "GPE", 1.0),
        Mention(30, 36, "Tehran", "GPE", 1.0),
    ]
    result = canonicalize({"d": doc})
    assert sorted((r["canonical_name"], r["country_code"], r["n_mentions"]) for r in result.entities) == [
        ("Kyiv", "UA", 2),
        ("Tehran", "IR", 2),
    ]
