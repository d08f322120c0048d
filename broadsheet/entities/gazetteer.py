"""The offline gazetteer: which names are countries or known places, and their country codes.

Country names come from pycountry's ISO 3166 table (name, common name, official name) plus the
news forms listed in ``countries.yaml`` ("U.S.", "Britain", "North Korea"). Other places are
looked up, by name without accents, first among the capitals and much-reported cities of
``cities.yaml`` ("Moscow", "Damascus", "Portland"), then among ISO 3166-2 subdivisions (states,
provinces, governorates: "California", "Anbar") when the name belongs to one country only.
Nothing is fetched.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from broadsheet import yamlfile

_COUNTRIES_FILE = Path(__file__).with_name("countries.yaml")
_CITIES_FILE = Path(__file__).with_name("cities.yaml")
_SPACES = re.compile(r"\s+")


def name_key(name: str | Sequence[str]) -> str:
    """Case- and spacing-insensitive form of a name, used to look names up."""
    text = name if isinstance(name, str) else " ".join(name)
    return _SPACES.sub(" ", text.replace("\u2019", "'")).strip().casefold()


@functools.cache
def _countries_file() -> dict:
    with _COUNTRIES_FILE.open(encoding="utf-8") as fh:
        return yamlfile.load(fh)


@functools.cache
def _country_codes() -> dict[str, str]:
    import pycountry

    codes: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                codes[name_key(value)] = c.alpha_2
    data = _countries_file()
    for code, aliases in data["aliases"].items():
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"countries.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
        for alias in aliases:
            codes[name_key(str(alias))] = code
    return codes


@functools.cache
def _dotted_codes() -> dict[str, str]:
    """Country abbreviations written with full stops ("U.S.", "U.A.E."), keyed without them, so
    that "U.S", "U. S." and "U.S." are all found; abbreviations written without stops are not
    added ("SA" is not South Africa)."""
    return {_undotted(k): code for k, code in _country_codes().items() if "." in k}


def _undotted(key: str) -> str:
    return re.sub(r"[.\s]", "", key)


def country_code(name: str | Sequence[str]) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name ("Teheran" is a city: ``None``), else ``None``."""
    key = name_key(name)
    codes = _country_codes()
    if key in codes:
        return codes[key]
    key = key.removeprefix("the ")
    if key in codes:
        return codes[key]
    if "." in key and re.fullmatch(r"(?:\w\.\s*)+\w?\.?", key):
        return _dotted_codes().get(_undotted(key))
    return None


# Words of a state's form that an official name's head must hold ("Islamic Republic" of Iran):
# a head without one ("Virgin Islands" of the U.S.) is a place of its own, not a short form.
_STATE_FORMS = {"republic", "kingdom", "federation", "emirate", "emirates", "sultanate", "duchy", "principality", "commonwealth"}


@functools.cache
def _official_heads() -> dict[str, frozenset[str]]:
    import pycountry

    heads: dict[str, set[str]] = {}
    for c in pycountry.countries:
        official = getattr(c, "official_name", None) or ""
        head, of, _ = official.partition(" of ")
        words = name_key(head).split()
        if of and len(words) >= 2 and _STATE_FORMS & set(words):
            heads.setdefault(name_key(head), set()).add(c.alpha_2)
    return {k: frozenset(v) for k, v in heads.items()}


def countries_of_long_form(name: str | Sequence[str]) -> frozenset[str]:
    """The countries whose official name starts with ``name`` followed by "of" ("Islamic
    Republic" → Afghanistan, Iran, Mauritania, Pakistan): news writes "the Islamic Republic"
    for a country it has named; which one only the article can tell."""
    return _official_heads().get(name_key(name).removeprefix("the "), frozenset())


def is_country(name: str | Sequence[str]) -> bool:
    return country_code(name) is not None


def country_name(code: str) -> str:
    """The name news uses for a country code ("US" → "United States")."""
    import pycountry

    preferred = _countries_file().get("canonical", {})
    if code in preferred:
        return str(preferred[code])
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {code!r}")
    return str(getattr(country, "common_name", None) or country.name)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return name_key("".join(c for c in decomposed if not unicodedata.combining(c)))


# Subdivisions named by a plain word ("West" in Cameroon, "Gulf" in Papua New Guinea) would give a
# country to every use of the word.
_GENERIC_PLACE_WORDS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "capital",
    "gulf",
    "coast",
    "coastal",
    "islands",
    "island",
    "lakes",
    "lake",
    "mountain",
    "mountains",
    "river",
    "upper",
    "lower",
    "federal",
    "city",
    "border",
    "delta",
    "plateau",
    "valley",
    "highlands",
    "lowlands",
    "interior",
    "north east",
    "north west",
    "south east",
    "south west",
    "far north",
    "littoral",
    "sea",
    "red sea",
    "east end",
}


@functools.cache
def _subdivision_codes() -> dict[str, str]:
    import pycountry

    found: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        name = _plain(sub.name)
        if name in _GENERIC_PLACE_WORDS:
            continue
        found.setdefault(name, set()).add(sub.country_code)
    # A name several countries use ("Punjab") says nothing about which one.
    return {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1}


def _city_key(name: str) -> str:
    return _plain(name).replace(".", "")


@functools.cache
def _cities() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """From ``cities.yaml``: city key → country code, city key → the city's usual name (for a
    name listed with others of the same city), and the keys of places given no code."""
    import pycountry

    with _CITIES_FILE.open(encoding="utf-8") as fh:
        data = yamlfile.load(fh)
    codes: dict[str, str] = {}
    usual: dict[str, str] = {}
    for code, entries in data["cities"].items():
        if pycountry.countries.get(alpha_2=str(code)) is None:
            raise ValueError(f"cities.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
        for entry in entries:
            names = [str(n) for n in entry] if isinstance(entry, list) else [str(entry)]
            for city in names:
                key = _city_key(city)
                if key in codes:
                    raise ValueError(f"cities.yaml: {city!r} is listed twice")
                codes[key] = str(code)
                if len(names) > 1:
                    usual[key] = names[0]
    return codes, usual, frozenset(_city_key(str(n)) for n in data.get("no_country", []))


def usual_city_name(name: str | Sequence[str]) -> str | None:
    """The usual name of a city listed under several names ("Kiev" → "Kyiv"), else ``None``."""
    text = name if isinstance(name, str) else " ".join(name)
    return _cities()[1].get(_city_key(text))


def place_country_code(name: str | Sequence[str]) -> str | None:
    """Country code of a country, of a city in ``cities.yaml``, or of a place named like a
    subdivision of exactly one country."""
    code = country_code(name)
    if code is not None:
        return code
    text = name if isinstance(name, str) else " ".join(name)
    cities, _, disputed = _cities()
    for key in dict.fromkeys([_city_key(text), _city_key(text).removeprefix("the ")]):
        if key in disputed:
            return None
        if key in cities:
            return cities[key]
    return _subdivision_codes().get(_plain(text).removeprefix("the "))
