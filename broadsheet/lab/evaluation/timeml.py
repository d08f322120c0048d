"""Readers for gold temporal annotation: TimeML `.tml` files and GUM CoNLL-U `<date>` tags.

Each reader turns one annotated document into plain text, the date it was written (the anchor
relative expressions resolve against) and the gold expressions as character spans into that text,
so the scorer in `broadsheet.lab.evaluation.dates` can compare them with the extractor's output without
knowing either format.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    surface: str
    timex_type: str | None  # None where the source annotates no type (GUM)
    value: str | None
    mod: str | None = None


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    text: str
    creation_date: dt.date | None
    timexes: tuple[GoldTimex, ...]


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _iso_day(value: str | None) -> dt.date | None:
    m = _ISO_DAY.match(value or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_timeml(xml: str, doc_id: str = "") -> GoldDocument:
    """Text of the `<TEXT>` element with its gold TIMEX3 spans; the creation time is the anchor.

    The TIMEX3 with functionInDocument="CREATION_TIME" (in `<DCT>`) is not part of the text and
    is not a gold expression: it is the date relative expressions are resolved against.
    """
    root = ET.fromstring(xml)
    creation: dt.date | None = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            creation = _iso_day(timex.get("value"))
            break
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{doc_id or 'document'}: no <TEXT> element")
    if not doc_id:
        doc_id = (root.findtext("DOCID") or "").strip()

    parts: list[str] = []
    gold: list[GoldTimex] = []
    length = 0

    def walk(el: ET.Element) -> None:
        nonlocal length
        start = length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if el.tag == "TIMEX3" and el.get("functionInDocument") != "CREATION_TIME":
            # The surface is filled in once the whole text is joined.
            gold.append(GoldTimex(start, length, "", el.get("type"), el.get("value"), el.get("mod")))

    walk(text_el)
    text = "".join(parts)
    timexes = tuple(GoldTimex(g.start, g.end, text[g.start : g.end], g.timex_type, g.value, g.mod) for g in gold)
    return GoldDocument(doc_id, text, creation, timexes)


# GUM writes XML attributes inside MISC with ":::" for "=" (`XML=<date when:::"2017-07-21">`).
_XML_TAG = re.compile(r"<(/?)([A-Za-z_]+)((?:\s+[A-Za-z_]+:::\"[^\"]*\")*)\s*(/?)>")
_XML_ATTR = re.compile(r"([A-Za-z_]+):::\"([^\"]*)\"")


def _gum_tokens(conllu: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Comment metadata and the token stream as (form, MISC, separator before it).

    A multi-word token (`2-3 year's`) is read through its parts when they spell its surface, so
    a tag on one part (`</date>` on `year` of `year's`) lands inside the word; otherwise the
    surface is one token carrying all its parts' MISC.
    """
    meta: dict[str, str] = {}
    tokens: list[tuple[str, str, str]] = []
    sep = ""
    lines = conllu.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("#"):
            key, _, value = line[1:].partition("=")
            meta.setdefault(key.strip(), value.strip())
            if key.strip() == "newpar" and tokens:
                sep = "\n\n"
            continue
        if not line.strip():
            if tokens and sep != "\n\n":
                sep = "\n"
            continue
        cols = line.split("\t")
        if len(cols) < 10 or "." in cols[0]:
            continue  # empty nodes carry no text
        if "-" in cols[0]:
            first, last = (int(x) for x in cols[0].split("-"))
            parts = [lines[i + k].split("\t") for k in range(last - first + 1)]
            i += last - first + 1
            space_after = "SpaceAfter=No" not in cols[9].split("|")
            if "".join(p[1] for p in parts) == cols[1]:
                for k, p in enumerate(parts):
                    tokens.append((p[1], p[9], sep if k == 0 else ""))
            else:
                tokens.append((cols[1], "|".join(p[9] for p in parts), sep))
            sep = " " if space_after else ""
            continue
        tokens.append((cols[1], cols[9], sep))
        sep = "" if "SpaceAfter=No" in cols[9].split("|") else " "
    return meta, tokens


def parse_gum_conllu(conllu: str, doc_id: str = "") -> GoldDocument:
    """Text rebuilt from GUM's tokens, with the `<date>` elements from MISC `XML=` as gold.

    Tokens are joined with a space unless MISC says `SpaceAfter=No`; sentences with a newline and
    paragraphs (`# newpar`) with a blank line. Opening tags in a token's MISC precede the token and
    closing tags follow it. A `<date when=...>` gives the gold value; a date given as a range
    (`from`/`to`, `notBefore`/`notAfter`) has a span but no single value, so it counts for span
    scores and is left out of value scores.
    """
    meta, tokens = _gum_tokens(conllu)
    doc_id = doc_id or meta.get("newdoc id", "")
    creation = _iso_day(meta.get("meta::dateCreated"))
    parts: list[str] = []
    length = 0
    open_dates: list[tuple[int, dict[str, str]]] = []
    gold: list[GoldTimex] = []
    for form, misc, sep in tokens:
        if parts and sep:
            parts.append(sep)
            length += len(sep)
        closes = 0
        for field in misc.split("|"):
            if not field.startswith("XML="):
                continue
            for tag in _XML_TAG.finditer(field[4:]):
                if tag[2] != "date":
                    continue
                if tag[1]:
                    closes += 1
                else:
                    open_dates.append((length, dict(_XML_ATTR.findall(tag[3]))))
                    closes += bool(tag[4])  # self-closing
        parts.append(form)
        length += len(form)
        for _ in range(closes):
            if not open_dates:
                raise ValueError(f"{doc_id}: </date> without <date> at {form!r}")
            start, attrs = open_dates.pop()
            gold.append(GoldTimex(start, length, "", None, attrs.get("when"), None))
    text = "".join(parts)
    timexes = tuple(
        sorted(
            (GoldTimex(g.start, g.end, text[g.start : g.end], g.timex_type, g.value, g.mod) for g in gold),
            key=lambda g: (g.start, g.end),
        )
    )
    return GoldDocument(doc_id, text, creation, timexes)
