"""The shapes of English temporal expressions, as one compiled regular expression.

Each rule is a regular expression with named parts (`month`, `day`, `rel`, `unit`, ...), named
for what they capture; a part that several branches of a rule capture has one name in all of
them (`_name_parts`), so a resolver reads `year` whichever way the year was written. All
rules are joined into one alternation so that the text is scanned once, in C; the rule that
matched is `match.lastgroup` and its parts are read through `Rule.parts`. Python's alternation
takes the first branch that matches at a position, not the longest, so the order of `_rules`
matters: longer and more specific shapes come first ("May 9, 2019" before "May 2019" before
"May"; "two years ago" before "two years"; "the past two months" before "the past").

Rules only say where an expression may be and what its parts are. Whether a match is really a
temporal expression ("May" the verb, "1990" the count) and what it means are decided in
`resolvers`, which see the surrounding text.

Where a word decides that a bare word is temporal without being part of it ("for years",
"over the years"), the rule looks back at it with a lookbehind rather than consuming it.

Before any rule is tried, a position must pass a gate (`gate.position_gate`): the first word, or for common
words like "the" and "about" the first two, of some rule. Most positions fail it at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from broadsheet.extract.timex.gate import position_gate
from broadsheet.extract.timex.lexicon import Lexicon, alternation, capitalised, load_lexicon, number_words, unit_words


@dataclass(frozen=True)
class Rule:
    name: str
    group: str  # the rule's own group name in the master pattern
    parts: tuple[tuple[str, str], ...]  # (part name, group name in the master pattern)


@dataclass(frozen=True)
class Grammar:
    master: re.Pattern[str]
    rules: dict[str, Rule]  # by the rule's group name
    single: dict[str, re.Pattern[str]]  # each rule alone, to retry a position after a rejection
    order: tuple[str, ...]


_GROUP = re.compile(r"\(\?P<(\w+)>")
_BARE_PLURAL_CONTEXT = (
    "(?:"
    + "|".join(
        rf"(?<=\b{w}\s)"
        for w in (
            "for",
            "within",
            "in",
            "over",
            "after",
            "take",
            "takes",
            "taken",
            "took",
            "lasted",
            "lasting",
            "last",
            "spent",
            "spend",
            "than",
        )
    )
    + ")"
)


def _fragments(lex: Lexicon) -> dict[str, str]:
    """Reusable pieces (no named groups inside, so a rule can use one several times)."""
    basic = "(?:" + alternation(number_words(lex)) + r")\b"
    num_word = rf"{basic}(?:[-\s]+(?:hundred|thousand)\b(?:\s+(?:and\s+)?{basic})?)?"
    digits = r"(?<![\d$€£.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s+\d/\d)?(?![\d%])"
    vague = alternation(lex.vague_quantities)
    num = rf"(?:{digits}|{num_word}|an?\s+(?:hundred|thousand|dozen)\b|(?:{vague})\b|an?\b|dozen\b)"
    unit = "(?:" + alternation(unit_words(lex)) + r")\b"
    qualifiers = rf"(?:(?:{alternation(lex.unit_qualifiers)})[-\s]+)?"
    month_abbr = r"(?:" + capitalised(lex.month_abbreviations) + r"(?:\.|\b))"
    month_full = capitalised(lex.month_full_names) + r"\b"
    weekday_full = capitalised([w for w in lex.weekday_names if not w.endswith(".")]) + r"\b"
    weekday_abbr = capitalised([w for w in lex.weekday_names if w.endswith(".")])
    weekday = rf"(?:{weekday_full}|{weekday_abbr})"
    weekday_plural = capitalised([w + "s" for w in lex.weekday_names if not w.endswith(".")]) + r"\b"
    ordinal_words = alternation(lex.ordinals)
    point_mods = alternation(lex.point_modifiers)
    quantity_mods = alternation(lex.quantity_modifiers)
    seasons = alternation(lex.seasons)
    parts_of_day = alternation(lex.parts_of_day)
    zones = "(?-i:" + alternation(lex.time_zones) + r")\b"
    return {
        "NUM": num,
        "NUMWORD": num_word,
        "UNIT": unit,
        "QUAL": qualifiers,
        "MONTH": rf"(?:{month_full}|{month_abbr})",
        "MONTH_FULL": month_full,
        "MONTH_DOTTED": rf"(?:{month_full}|" + capitalised(lex.month_abbreviations) + r"\.)",
        "WEEKDAY": weekday,
        "WEEKDAYS": weekday_plural,
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b",
        "YEAR": r"(?:1\d|20)\d\d(?![\d,.]\d|\d)",
        "YEAR_FREE": r"(?:1[6-9]|20)\d\d\b",
        "WYEAR": r"(?:nineteen[-\s]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|hundred)|two\s+thousand(?:\s+and\s+(?:one|two|three|four|five|six|seven|"
        r"eight|nine|ten))?)\b",
        "ORDWORD": rf"(?:{ordinal_words})\b",
        "PMOD": rf"(?:{point_mods})",
        "QMOD": rf"(?:{quantity_mods})",
        "SEASON": rf"(?:{seasons})\b",
        "POD": rf"(?:{parts_of_day})\b",
        "TZ": zones,
        "REL": r"(?:this\s+past|this\s+coming|that\s+same|last|this|next|coming|past|previous|following|current|same|prior|"
        r"preceding|upcoming|that|latest|present|most\s+recent)",
    }


def _rules(f: dict[str, str], lex: Lexicon) -> list[tuple[str, str]]:
    PMOD = rf"(?:(?P<mod>{f['PMOD']})(?:\s+|-))?"
    holiday_names = []
    for phrase in lex.holidays:
        words = [w if w in ("of", "the") else w[:1].upper() + w[1:] for w in phrase.split()]
        holiday_names.append(" ".join(words))
        holiday_names.append(" ".join(words).replace("'", "’"))
    holidays = capitalised(holiday_names) + r"(?![\w'’])"
    clock = (
        r"(?:(?P<hour>[01]?\d|2[0-4])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<meridiem>(?-i:[aApP])\.?\s?(?-i:[mM])\b\.?)"
        r"|(?P<hour24>[01]?\d|2[0-3])[:h](?P<minute24>[0-5]\d)(?![\d:])(?P<hours_word>\s+(?:hours|hrs|local\s+time))?"
        # "1600 GMT": newswire's four-digit clock, a time only where a universal zone follows it,
        # and not where the zone is the subject of a verb ("in 1847 GMT was adopted")
        r"|(?P<hour4>[01]\d|2[0-3])(?P<minute4>[0-5]\d)(?=\s+(?-i:GMT|UTC)\b(?!\s+(?:was|is|has|had|became|remained|replaced)\b))"
        r"|(?P<named_time>noon|midday|midnight)\b"
        r"|(?P<oclock_hour>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['’]clock"
        r"|(?P<hour_in_part>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+in\s+the\s+(?P<part_of_day>morning|afternoon|evening)\b)"
    )
    return [
        (
            "iso",
            r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
            r"(?:[T\s](?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d-])",
        ),
        ("slash", r"(?<![\d/.])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"),
        (
            "time",
            rf"(?:(?P<approx>about|around|approximately|roughly)\s+)?"
            rf"{clock}(?:\s+(?P<zone>{f['TZ']}))?"
            rf"(?:,?\s+(?P<weekday>{f['WEEKDAY']})|\s+(?P<relday>today|tonight|tomorrow|yesterday)\b"
            rf"|,?\s+(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?:,?\s*(?P<year>{f['YEAR']}))?)?",
        ),
        (
            "date",
            rf"(?:(?P<week_of>the\s+week\s+of)\s+)?{PMOD}(?:(?P<weekday>{f['WEEKDAY']}),?\s+(?:the\s+)?)?"
            rf"(?:(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?!\s*(?::\d|[,.]\d))"
            rf"(?:\s*,?\s*(?P<year>{f['YEAR']})|\s*,?\s*['’](?P<short_year>\d\d)\b)?"
            rf"|(?P<day>{f['DAY']})\s+(?:of\s+)?(?P<month>{f['MONTH']})(?:,?\s*(?P<year>{f['YEAR']}))?"
            rf"|(?P<month>{f['MONTH_FULL']})\s+(?:the\s+)?(?P<day>{f['ORDWORD']})(?:,?\s*(?P<year>{f['YEAR']}))?"
            rf"|the\s+(?P<day>{f['ORDWORD']}|{f['DAY']})\s+of\s+(?P<month>{f['MONTH']})(?:,?\s*(?P<year>{f['YEAR']}))?)",
        ),
        (
            "month_year",
            rf"{PMOD}(?P<month>{f['MONTH']})(?:\s+of)?,?\s+"
            rf"(?:(?P<year>{f['YEAR']})|['’](?P<short_year>\d\d)\b|(?P<year_rel>last|this|next)\s+year\b(?!['’]s)|(?P<year_words>{f['WYEAR']}))",
        ),
        (
            "holiday",
            rf"{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next)\s+)?(?P<holiday>{holidays})"
            rf"(?:,?\s+(?P<year>{f['YEAR']}))?(?P<week>\s+week\b(?!-))?",
        ),
        (
            "quarter",
            rf"{PMOD}(?:(?:(?P<the>the)|(?P<possessive_rel>this|last|next)\s+year['’]s|(?P<possessive_year>{f['YEAR']})['’]s)\s+)?"
            rf"(?:(?:fiscal|calendar)[-\s]+)?(?:(?P<year>{f['YEAR']})\s+)?(?:(?:fiscal|calendar)[-\s]+)?"
            rf"(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latter)[-\s]+(?:(?:fiscal|calendar)[-\s]+)?"
            rf"(?P<unit>quarter|half)\b(?!s)"
            rf"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal|calendar)\s+)?(?:(?P<of_year>{f['YEAR']})|"
            rf"(?P<of_rel>last|this|next|the\s+current|the\s+previous|the|that)\s+(?:fiscal\s+|calendar\s+)?year\b))?"
            rf"|(?-i:Q(?P<quarter_number>[1-4]))(?:\s*(?P<year>{f['YEAR']})|\s+of\s+(?P<year>{f['YEAR']})|\s*['’](?P<short_year>\d\d))?\b"
            rf"|(?-i:(?P<quarter_number>[1-4])Q)(?:\s*(?P<year>{f['YEAR']})|(?P<short_year>\d\d))?\b"
            rf"|(?-i:H(?P<half_number>[12]))\s*(?P<year>{f['YEAR']})"
            rf"|{PMOD}(?:(?P<the>the)\s+)?(?:(?P<year>{f['YEAR']})\s+)?"
            rf"(?P<relation>latest|current|same|previous|past|last|next|coming|this|year-ago|year-earlier|comparable|"
            rf"corresponding|prior|preceding|prior-year|year-before|just-ended|just-completed|recent|most\s+recent|"
            rf"year-ago\s+(?:fiscal\s+)?(?:first|second|third|fourth)|year-earlier\s+(?:fiscal\s+)?(?:first|second|third|fourth)|"
            rf"comparable\s+year-ago|comparable\s+year-earlier)[-\s]+(?:fiscal[-\s]+)?(?P<unit>quarter|period)\b"
            rf"(?:\s+(?:of\s+)?(?P<year_back>last\s+year|a\s+year\s+(?:ago|earlier)|the\s+(?:previous|prior)\s+year|the\s+year\s+before)\b"
            rf"|\s+(?:of|in)\s+(?P<of_year>{f['YEAR']}))?"
            rf"|(?P<the>the)\s+(?:(?P<year>{f['YEAR']})\s+)?(?:(?:fiscal|current)\s+)?(?:(?P<unit>quarter)\b(?!\s+(?:of|century|mile|point)\b|-)|(?<=\d\s)period\b)"
            rf"(?:\s+(?P<year_back>a\s+year\s+(?:ago|earlier)))?"
            # "compared with year-earlier profit": the same period a year before
            r"|(?P<year_ago>year-ago|year-earlier|year-before|prior-year)\b(?!\s+(?:fiscal\s+)?(?:quarter|period|first|second|third|fourth)\b)",
        ),
        (
            "decade",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<edge>early|mid|late)[-\s]+)?"
            r"(?:(?P<century>1\d|20)(?P<decade>\d)0['’]?s\b|['’](?P<short_decade>\d)0['’]?s\b|(?P<bare_decade>[2-9])0['’]?s\b"
            r"|(?P<decade_word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
        ),
        (
            "century",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<edge>early|mid|late)[-\s]+)?"
            rf"(?:(?P<ordinal>{f['ORDWORD']}|\d{{1,2}}(?:st|nd|rd|th))[-\s]+(?P<unit>century|millennium)\b"
            rf"|(?P<rel>this|last|next|the\s+previous|the\s+past|the\s+current|the\s+next|the\s+new|the\s+last)\s+"
            rf"(?P<unit>century|millennium)\b)",
        ),
        (
            "season",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<rel>{f['REL']})\s+)?(?:(?P<edge>early|mid|late)[-\s]+)?"
            rf"(?P<season>{f['SEASON']})(?:(?:\s+of)?,?\s+(?P<year>{f['YEAR']})|\s+(?:of\s+)?(?P<year_rel>last|this|next)\s+year\b"
            rf"|\s*['’](?P<short_year>\d\d)\b|(?:\s+of)?\s+(?P<year_words>{f['WYEAR']}))?",
        ),
        (
            # "mid-afternoon", "late evening Tuesday", "the early morning": a part of a day
            # narrowed by where in it (the bare part of day is a time only after a day word)
            "podmod",
            rf"(?:(?P<the>the)\s+)?(?P<edge>early|mid|late)[-\s]+(?P<part_of_day>morning|afternoon|evening|night)\b(?![-\w])"
            rf"(?:\s+(?P<relday>today|yesterday|tomorrow)\b|(?:\s+of)?,?\s+(?:(?P<rel>last|this|next)\s+)?(?P<weekday>{f['WEEKDAY']})"
            rf"|(?:\s+of)?,?\s+(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?!\s*(?::\d|[,.]\d))(?:,?\s*(?P<year>{f['YEAR']}))?)?",
        ),
        (
            # "in the morning", "during the night": a part of the day the text is on (a time only
            # after a preposition of time; "the morning papers", "the night sky" are not)
            "thepod",
            r"(?:(?<=\bin\s)|(?<=\bduring\s)|(?<=\bthrough\s)|(?<=\bthroughout\s))the\s+(?P<part_of_day>morning|afternoon|evening|night)\b"
            r"(?!-|\s+(?:of|sky|skies|shift|shifts|session|sessions|news|show|shows|paper|papers|edition|editions|"
            r"star|stars|prayer|prayers|air|light|lights|sun|market|markets|train|flight|bus|club|clubs|life|time|before|after)\b)",
        ),
        (
            "relday",
            rf"{PMOD}(?:(?P<day_before_after>the\s+day\s+(?:before|after)|day\s+(?:before|after))\s+)?"
            rf"(?P<relday>today|tonight|tonite|yesterday|tomorrow)\b(?:\s+(?P<part_of_day>morning|afternoon|evening|night)\b)?",
        ),
        (
            "weekday",
            rf"(?:(?P<day_before_after>the\s+day\s+(?:before|after))\s+)?{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next|coming|past|previous|following|the\s+previous|"
            rf"the\s+following|the\s+next|that)\s+)?(?:(?P<weekday>{f['WEEKDAY']})|(?P<weekdays>{f['WEEKDAYS']}))"
            rf"(?:\s+(?P<part_of_day>{f['POD']}))?",
        ),
        (
            "ago",
            rf"(?:(?P<quantity_mod>{f['QMOD']})\s+)?(?P<number>{f['NUM']})[-\s]+(?:(?:more|further)\s+)?{f['QUAL']}(?P<unit>{f['UNIT']})(?:\s+or\s+so)?\s+"
            r"(?P<direction>ago|earlier|later|before|after|from\s+now|hence|back|previously|prior|since)\b"
            rf"|(?:(?P<quantity_mod>{f['QMOD']})\s+)?(?P<determiner>the|that|a)\s+(?P<anaphoric_unit>day|week|month|year|night|weekend)\s+"
            r"(?P<direction>before|after|earlier|later)\b",
        ),
        (
            "relunit",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?P<rel>{f['REL']})\s+(?:(?P<calendar>fiscal|calendar|financial|school|academic)\s+)?"
            r"(?P<unit>week|weekend|month|year|decade|century|quarter|half|day|night|morning|afternoon|evening|season)"
            # "this years festival": the possessive of web text written without its apostrophe
            r"(?:(?<=\bthis\syear)s(?=\s+(?-i:[a-z])))?\b(?!-)"
            r"(?:\s+(?P<or_so>or\s+so)\b)?",
        ),
        (
            "periodend",
            r"(?:(?P<approx>around|about)\s+)?(?P<unit>year|month|week|quarter)(?:[-\s]end\b|['’]s\s+end\b)",
        ),
        (
            "theunit",
            rf"(?:(?P<mod>{f['PMOD']})\s+(?:in\s+)?)?(?P<the>the)\s+(?:(?P<calendar>fiscal|calendar|full|entire|whole|current)\s+)?"
            r"(?P<unit>year|month|week|quarter|decade|century|weekend|day)\b(?!-|\s+(?:\d|two\s+thousand|nineteen))",
        ),
        (
            "set",
            rf"(?P<every>every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<number>{f['NUM']})\s+)?"
            rf"(?:(?P<unit>{f['UNIT']})|(?P<weekday>{f['WEEKDAY']})|(?P<month>{f['MONTH_FULL']})|(?P<season>{f['SEASON']})|(?P<part_of_day>{f['POD']}))"
            rf"|(?P<adverb>{alternation(lex.frequency_adverbs)})\b"
            rf"|(?P<times>once|twice|thrice|(?:{f['NUMWORD']}|\d+)\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit>{f['UNIT']})"
            # "six days a week", "24 hours per day": so many units of time in each larger one
            rf"|(?<=[a-z]\s)(?P<per>per|an?)\s+(?P<unit>day|night|week|month|year)\b",
        ),
        (
            "duration",
            rf"(?:(?P<quantity_mod>{f['QMOD']})\s+)?(?:(?P<the>the)\s+)?"
            r"(?:(?P<rel>past|last|next|coming|first|following|previous|final|latest|remaining|additional|other|initial|"
            r"ensuing|intervening|preceding|subsequent|same|entire|whole|full|better\s+part\s+of\s+the|best\s+part\s+of\s+the)\s+)?"
            rf"(?:(?P<number>{f['NUM']})(?:\s+(?:to|or|and)\s+(?P<number_to>{f['NUM']}))?[-\s]+(?:(?P<more>more|additional|further|long)\s+)?"
            rf"{f['QUAL']}(?P<unit>{f['UNIT']})(?!-(?:earlier|ago|before|end))(?:\s+and\s+a\s+half\b)?"
            rf"|(?P<half>half\s+an?|a\s+half)[-\s]+(?P<unit>{f['UNIT']})"
            rf"|(?P<number_and_a_half>{f['NUM']})\s+and\s+a\s+half\s+(?P<unit>{f['UNIT']}))"
            r"(?:-(?P<suffix>long|old)\b)?(?:\s+(?P<or_so>or\s+so)\b)?"
            r"|(?:(?P<the>the)\s+)?(?P<rel>recent|coming|ensuing|intervening|past|last|next|previous|preceding|following)\s+"
            r"(?P<vague_unit>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)\b"
            r"|(?P<the>the)\s+(?P<vague_unit>days|weeks|months|years|decades)\s+(?:ahead|to\s+come)\b"
            r"|(?P<long_unit>hour|day|week|month|year|decade|century|hours|days|weeks|months|years|decades|centuries)-long\b"
            # "for years", "within days": a bare plural after a word that makes it a span of time
            rf"|{_BARE_PLURAL_CONTEXT}(?:many\s+)?(?P<bare_unit>years|months|weeks|days|decades|centuries|hours|minutes)\b"
            r"|(?<!the\s)(?<!these\s)(?<!those\s)(?P<bare_unit>years|decades|centuries)(?=\s+of\s)"
            r"|(?<=\bthe\s)(?P<bare_unit>years|months|weeks|days)(?=\s+(?:before|after|that|since|leading|following|ahead|prior)\b)"
            r"|(?<=\bover\s)the\s+(?P<bare_unit>years|decades|centuries)\b"
            r"|(?<=\bfor\s)(?P<a_while>a\s+(?:long\s+)?while|some\s+time|a\s+long\s+time|a\s+time)\b",
        ),
        (
            "year",
            rf"{PMOD}(?:(?P<prefix>pre|post|mid)-)?(?:(?P<year_kind>fiscal|calendar|financial|model|tax|school)(?:\s+year)?\s+|(?P<the_year>the\s+year)\s+)?"
            rf"(?P<year>{f['YEAR_FREE']})(?!s\b|\s*(?:%|percent|per\s*cent)|-\d{{3}}\b|-\d{{4}}-\d|[.,]\d|\d|[:]\d)"
            r"(?:\s+(?P<open_end>or\s+later|or\s+after|and\s+later|and\s+beyond|and\s+after|onwards?|or\s+earlier|or\s+before|and\s+earlier|and\s+before)\b)?"
            r"|(?-i:FY)\s?['’]?(?P<fiscal_year>\d{4}|\d{2})\b"
            rf"|(?:the\s+year\s+)?(?P<year_words>{f['WYEAR']})",
        ),
        (
            "month",
            rf"{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next|coming|past|previous|following|that|each|every"
            r"|the\s+(?:following|previous|preceding|prior|next))\s+)?"
            rf"(?P<month>{f['MONTH_DOTTED']})(?!\s*\d)",
        ),
        (
            "vague",
            rf"(?P<phrase>{alternation(lex.vague_references)})\b(?!-)(?:\s+(?P<noun>quarters|years|months|periods|dates?|generations))?\b",
        ),
    ]


def _name_parts(rule: str, pattern: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The rule's parts, and its pattern with each group renamed `<rule>__<part>` so that rules
    can share part names in the master pattern.

    A part may be named in several branches of one rule ("May 9" and "9 May" both have a
    `month`), never twice in one branch. `re` takes a group name only once, so the second and
    later groups of a part are numbered (`date__month__2`); as only one branch matches, at most
    one of them holds text, and that is the part's value.
    """
    seen: dict[str, int] = {}
    parts: list[tuple[str, str]] = []

    def rename(m: re.Match[str]) -> str:
        part = m[1]
        seen[part] = seen.get(part, 0) + 1
        group = f"{rule}__{part}" if seen[part] == 1 else f"{rule}__{part}__{seen[part]}"
        parts.append((part, group))
        return f"(?P<{group}>"

    prefixed = _GROUP.sub(rename, pattern)
    return tuple(parts), prefixed


def _compile(lex: Lexicon, gated: bool = True) -> Grammar:
    f = _fragments(lex)
    rules: dict[str, Rule] = {}
    pieces: list[str] = []
    single: dict[str, re.Pattern[str]] = {}
    order = []
    for name, pattern in _rules(f, lex):
        group = f"R_{name}"
        parts, prefixed = _name_parts(name, pattern)
        rules[group] = Rule(name, group, parts)
        pieces.append(f"(?P<{group}>{prefixed})")
        single[group] = re.compile(f"(?P<{group}>{prefixed})", re.IGNORECASE)
        order.append(group)
    # A rule starts at a word boundary (or at the apostrophe of "'90s") and passes the gate;
    # testing both once, outside the alternation, keeps the scan from trying every rule at
    # every character.
    gate = position_gate(lex) if gated else ""
    master = re.compile(r"(?:\b|(?=['’]\d))" + gate + "(?:" + "|".join(pieces) + ")", re.IGNORECASE)
    return Grammar(master, rules, single, tuple(order))


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return _compile(load_lexicon())
