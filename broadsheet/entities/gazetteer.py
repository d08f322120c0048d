"""The offline gazetteer: which names are countries, and their ISO 3166-1 alpha-2 codes.

Country names come from pycountry's ISO 3166 table (name, common name, official name) plus the
news forms listed in ``countries.yaml`` ("U.S.", "Britain", "North Korea"). Nothing is fetched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

_COUNTRIES_FILE = Path(__file__).with_name("countries.yaml")
_SPACES = re.compile(r"\s+")


def name_key(name: str | Sequence[str]) -> str:
    """Case- and spacing-insensitive form of a name, used to look names up."""
    text = name if isinstance(name, str) else " ".join(name)
    return _SPACES.sub(" ", text.replace("\u2019", "'")).strip().casefold()


@functools.cache
def _country_codes() -> dict[str, str]:
    import pycountry

    codes: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                codes[name_key(value)] = c.alpha_2
    with _COUNTRIES_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for code, aliases in data["aliases"].items():
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"countries.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
        for alias in aliases:
            codes[name_key(str(alias))] = code
    return codes


def country_code(name: str | Sequence[str]) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name ("Teheran" is a city: ``None``), else ``None``."""
    key = name_key(name)
    codes = _country_codes()
    if key in codes:
        return codes[key]
    return codes.get(key.removeprefix("the "))


def is_country(name: str | Sequence[str]) -> bool:
    return country_code(name) is not None
