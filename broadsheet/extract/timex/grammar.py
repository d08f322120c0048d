"""The shapes of English temporal expressions, as one compiled regular expression.

Each rule is a regular expression with named parts (`month`, `day`, `rel`, `unit`, ...). All
rules are joined into one alternation so that the text is scanned once, in C; the rule that
matched is `match.lastgroup` and its parts are read through `Rule.parts`. Python's alternation
takes the first branch that matches at a position, not the longest, so the order of `_rules`
matters: longer and more specific shapes come first ("May 9, 2019" before "May 2019" before
"May"; "two years ago" before "two years"; "the past two months" before "the past").

Rules only say where an expression may be and what its parts are. Whether a match is really a
temporal expression ("May" the verb, "1990" the count) and what it means are decided in
`resolve`, which sees the surrounding text.

Where a word decides that a bare word is temporal without being part of it ("for years",
"over the years"), the rule looks back at it with a lookbehind rather than consuming it.

Before any rule is tried, a position must pass a gate (`_gate`): the first word, or for common
words like "the" and "about" the first two, of some rule. Most positions fail it at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from broadsheet.extract.timex.lexicon import Lexicon, alternation, capitalised, load_lexicon


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
_BARE_PLURAL_CONTEXT = "(?:" + "|".join(
    rf"(?<=\b{w}\s)"
    for w in ("for", "within", "in", "over", "after", "take", "takes", "taken", "took", "lasted", "lasting", "last", "spent", "spend", "than")
) + ")"


def _number_words(lex: Lexicon) -> list[str]:
    """Cardinal words from one to ninety-nine ("twenty-one" and "twenty one")."""
    small = [w for w, n in lex.numbers.items() if n < 20]
    tens = [w for w, n in lex.numbers.items() if 20 <= n < 100 and n % 10 == 0]
    ones = [w for w, n in lex.numbers.items() if 1 <= n <= 9]
    return small + tens + [f"{t}{sep}{o}" for t in tens for o in ones for sep in ("-", " ")]


def _unit_words(lex: Lexicon) -> list[str]:
    return sorted({*lex.units, *(u + "s" for u in lex.units if not u.endswith(("ies", "ia")))})


def _fragments(lex: Lexicon) -> dict[str, str]:
    """Reusable pieces (no named groups inside, so a rule can use one several times)."""
    number_words = _number_words(lex)
    basic = "(?:" + alternation(number_words) + r")\b"
    num_word = rf"{basic}(?:[-\s]+(?:hundred|thousand)\b(?:\s+(?:and\s+)?{basic})?)?"
    digits = r"(?<![\d$€£.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s+\d/\d)?(?![\d%])"
    vague = alternation(lex.vague_quantities)
    num = rf"(?:{digits}|{num_word}|an?\s+(?:hundred|thousand|dozen)\b|(?:{vague})\b|an?\b|dozen\b)"
    unit = "(?:" + alternation(_unit_words(lex)) + r")\b"
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
        r"(?:(?P<h>[01]?\d|2[0-4])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?-i:[aApP])\.?\s?(?-i:[mM])\b\.?)"
        r"|(?P<h2>[01]?\d|2[0-3])[:h](?P<mi2>[0-5]\d)(?![\d:])(?P<hrs>\s+(?:hours|hrs|local\s+time))?"
        r"|(?P<named>noon|midday|midnight)\b"
        r"|(?P<h3>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['’]clock"
        r"|(?P<h4>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+in\s+the\s+(?P<pod4>morning|afternoon|evening)\b)"
    )
    return [
        (
            "iso",
            r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
            r"(?:[T\s](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d-])",
        ),
        ("slash", r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        (
            "time",
            rf"(?:(?P<qmod>about|around|approximately|roughly)\s+)?"
            rf"{clock}(?:\s+(?P<tz>{f['TZ']}))?"
            rf"(?:,?\s+(?P<wd>{f['WEEKDAY']})|\s+(?P<rd>today|tonight|tomorrow|yesterday)\b"
            rf"|,?\s+(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?:,?\s*(?P<year>{f['YEAR']}))?)?",
        ),
        (
            "date",
            rf"(?:(?P<weekof>the\s+week\s+of)\s+)?{PMOD}(?:(?P<wd>{f['WEEKDAY']}),?\s+(?:the\s+)?)?"
            rf"(?:(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?!\s*(?::\d|[,.]\d))"
            rf"(?:\s*,?\s*(?P<year>{f['YEAR']})|\s*,?\s*['’](?P<yy>\d\d)\b)?"
            rf"|(?P<day2>{f['DAY']})\s+(?:of\s+)?(?P<month2>{f['MONTH']})(?:,?\s*(?P<year2>{f['YEAR']}))?"
            rf"|(?P<month3>{f['MONTH_FULL']})\s+(?:the\s+)?(?P<ord3>{f['ORDWORD']})(?:,?\s*(?P<year3>{f['YEAR']}))?"
            rf"|the\s+(?P<ord4>{f['ORDWORD']}|{f['DAY']})\s+of\s+(?P<month4>{f['MONTH']})(?:,?\s*(?P<year4>{f['YEAR']}))?)",
        ),
        (
            "month_year",
            rf"{PMOD}(?P<month>{f['MONTH']})(?:\s+of)?,?\s+"
            rf"(?:(?P<year>{f['YEAR']})|['’](?P<yy>\d\d)\b|(?P<rel>last|this|next)\s+year\b(?!['’]s)|(?P<wyear>{f['WYEAR']}))",
        ),
        (
            "holiday",
            rf"{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next)\s+)?(?P<hol>{holidays})"
            rf"(?:,?\s+(?P<year>{f['YEAR']}))?(?P<hweek>\s+week\b(?!-))?",
        ),
        (
            "quarter",
            rf"{PMOD}(?:(?:(?P<the>the)|(?P<poss>this|last|next)\s+year['’]s|(?P<pyear>{f['YEAR']})['’]s)\s+)?"
            rf"(?:(?:fiscal|calendar)[-\s]+)?(?:(?P<year>{f['YEAR']})\s+)?(?:(?:fiscal|calendar)[-\s]+)?"
            rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latter)[-\s]+(?:(?:fiscal|calendar)[-\s]+)?"
            rf"(?P<unit>quarter|half)\b(?!s)"
            rf"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal|calendar)\s+)?(?:(?P<year2>{f['YEAR']})|"
            rf"(?P<rel>last|this|next|the\s+current|the\s+previous|the|that)\s+(?:fiscal\s+|calendar\s+)?year\b))?"
            rf"|(?-i:Q(?P<qn>[1-4]))(?:\s*(?P<qy>{f['YEAR']})|\s+of\s+(?P<qy2>{f['YEAR']})|\s*['’](?P<qyy>\d\d))?\b"
            rf"|(?-i:(?P<qn2>[1-4])Q)(?:\s*(?P<qy3>{f['YEAR']})|(?P<qyy2>\d\d))?\b"
            rf"|(?-i:H(?P<hn>[12]))\s*(?P<hy>{f['YEAR']})"
            rf"|{PMOD.replace('<mod>', '<mod2>')}(?:(?P<the2>the)\s+)?(?:(?P<qy4>{f['YEAR']})\s+)?"
            rf"(?P<rq>latest|current|same|previous|past|last|next|coming|this|year-ago|year-earlier|comparable|"
            rf"corresponding|prior|preceding|prior-year|year-before|just-ended|just-completed|recent|most\s+recent|"
            rf"year-ago\s+(?:fiscal\s+)?(?:first|second|third|fourth)|year-earlier\s+(?:fiscal\s+)?(?:first|second|third|fourth)|"
            rf"comparable\s+year-ago|comparable\s+year-earlier)[-\s]+(?:fiscal[-\s]+)?(?P<unit2>quarter|period)\b"
            rf"(?:\s+(?:of\s+)?(?P<ago>last\s+year|a\s+year\s+(?:ago|earlier)|the\s+(?:previous|prior)\s+year|the\s+year\s+before)\b"
            rf"|\s+(?:of|in)\s+(?P<qy6>{f['YEAR']}))?"
            rf"|(?P<the3>the)\s+(?:(?P<qy5>{f['YEAR']})\s+)?(?:(?:fiscal|current)\s+)?(?:(?P<unit3>quarter)\b(?!\s+(?:of|century|mile|point)\b|-)|(?<=\d\s)period\b)"
            rf"(?:\s+(?P<ago2>a\s+year\s+(?:ago|earlier)))?"
            # "compared with year-earlier profit": the same period a year before
            r"|(?P<ya>year-ago|year-earlier|year-before|prior-year)\b(?!\s+(?:fiscal\s+)?(?:quarter|period|first|second|third|fourth)\b)",
        ),
        (
            "decade",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<mod2>early|mid|late)[-\s]+)?"
            r"(?:(?P<c>1\d|20)(?P<t>\d)0['’]?s\b|['’](?P<t2>\d)0['’]?s\b|(?P<t3>[2-9])0['’]?s\b"
            r"|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
        ),
        (
            "century",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<mod2>early|mid|late)[-\s]+)?"
            rf"(?:(?P<ord>{f['ORDWORD']}|\d{{1,2}}(?:st|nd|rd|th))[-\s]+(?P<unit>century|millennium)\b"
            rf"|(?P<rel>this|last|next|the\s+previous|the\s+past|the\s+current|the\s+next|the\s+new|the\s+last)\s+"
            rf"(?P<unit2>century|millennium)\b)",
        ),
        (
            "season",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?:(?P<rel>{f['REL']})\s+)?(?:(?P<mod2>early|mid|late)[-\s]+)?"
            rf"(?P<season>{f['SEASON']})(?:(?:\s+of)?,?\s+(?P<year>{f['YEAR']})|\s+(?:of\s+)?(?P<rel2>last|this|next)\s+year\b"
            rf"|\s*['’](?P<yy>\d\d)\b|(?:\s+of)?\s+(?P<wyear>{f['WYEAR']}))?",
        ),
        (
            # "mid-afternoon", "late evening Tuesday", "the early morning": a part of a day
            # narrowed by where in it (the bare part of day is a time only after a day word)
            "podmod",
            rf"(?:(?P<the>the)\s+)?(?P<edge>early|mid|late)[-\s]+(?P<pod>morning|afternoon|evening|night)\b(?![-\w])"
            rf"(?:\s+(?P<rd>today|yesterday|tomorrow)\b|(?:\s+of)?,?\s+(?:(?P<rel>last|this|next)\s+)?(?P<wd>{f['WEEKDAY']})"
            rf"|(?:\s+of)?,?\s+(?P<month>{f['MONTH']})\s*(?P<day>{f['DAY']})(?!\s*(?::\d|[,.]\d))(?:,?\s*(?P<year>{f['YEAR']}))?)?",
        ),
        (
            # "in the morning", "during the night": a part of the day the text is on (a time only
            # after a preposition of time; "the morning papers", "the night sky" are not)
            "thepod",
            r"(?:(?<=\bin\s)|(?<=\bduring\s)|(?<=\bthrough\s)|(?<=\bthroughout\s))the\s+(?P<pod>morning|afternoon|evening|night)\b"
            r"(?!-|\s+(?:of|sky|skies|shift|shifts|session|sessions|news|show|shows|paper|papers|edition|editions|"
            r"star|stars|prayer|prayers|air|light|lights|sun|market|markets|train|flight|bus|club|clubs|life|time|before|after)\b)",
        ),
        (
            "relday",
            rf"{PMOD}(?:(?P<dba>the\s+day\s+(?:before|after)|day\s+(?:before|after))\s+)?"
            rf"(?P<rd>today|tonight|tonite|yesterday|tomorrow)\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?",
        ),
        (
            "weekday",
            rf"(?:(?P<dba>the\s+day\s+(?:before|after))\s+)?{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next|coming|past|previous|following|the\s+previous|"
            rf"the\s+following|the\s+next|that)\s+)?(?:(?P<wd>{f['WEEKDAY']})|(?P<wdp>{f['WEEKDAYS']}))"
            rf"(?:\s+(?P<pod>{f['POD']}))?",
        ),
        (
            "ago",
            rf"(?:(?P<qmod>{f['QMOD']})\s+)?(?P<num>{f['NUM']})[-\s]+(?:(?:more|further)\s+)?{f['QUAL']}(?P<unit>{f['UNIT']})(?:\s+or\s+so)?\s+"
            r"(?P<dir>ago|earlier|later|before|after|from\s+now|hence|back|previously|prior|since)\b"
            rf"|(?:(?P<qmod2>{f['QMOD']})\s+)?(?P<the>the|that|a)\s+(?P<unit2>day|week|month|year|night|weekend)\s+"
            r"(?P<dir2>before|after|earlier|later)\b",
        ),
        (
            "relunit",
            rf"{PMOD}(?:(?P<the>the)\s+)?(?P<rel>{f['REL']})\s+(?:(?P<cal>fiscal|calendar|financial|school|academic)\s+)?"
            r"(?P<unit>week|weekend|month|year|decade|century|quarter|half|day|night|morning|afternoon|evening|season)\b(?!-)"
            r"(?:\s+(?P<orso>or\s+so)\b)?",
        ),
        (
            "periodend",
            r"(?:(?P<approx>around|about)\s+)?(?P<unit>year|month|week|quarter)(?:[-\s]end\b|['’]s\s+end\b)",
        ),
        (
            "theunit",
            rf"(?:(?P<mod>{f['PMOD']})\s+(?:in\s+)?)?(?P<the>the)\s+(?:(?P<cal>fiscal|calendar|full|entire|whole|current)\s+)?"
            r"(?P<unit>year|month|week|quarter|decade|century|weekend|day)\b(?!-|\s+(?:\d|two\s+thousand|nineteen))",
        ),
        (
            "set",
            rf"(?P<q>every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{f['NUM']})\s+)?"
            rf"(?:(?P<unit>{f['UNIT']})|(?P<wd>{f['WEEKDAY']})|(?P<month>{f['MONTH_FULL']})|(?P<season>{f['SEASON']})|(?P<pod>{f['POD']}))"
            rf"|(?P<adv>{alternation(lex.frequency_adverbs)})\b"
            rf"|(?P<times>once|twice|thrice|(?:{f['NUMWORD']}|\d+)\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit2>{f['UNIT']})"
            rf"|(?P<per>per|an?)\s+(?P<unit3>second|minute|hour|day|night|week|month|quarter|year)\b",
        ),
        (
            "duration",
            rf"(?:(?P<qmod>{f['QMOD']})\s+)?(?:(?P<the>the)\s+)?"
            r"(?:(?P<rel>past|last|next|coming|first|following|previous|final|latest|remaining|additional|other|initial|"
            r"ensuing|intervening|preceding|subsequent|same|entire|whole|full|better\s+part\s+of\s+the|best\s+part\s+of\s+the)\s+)?"
            rf"(?:(?P<num>{f['NUM']})(?:\s+(?:to|or|and)\s+(?P<num2>{f['NUM']}))?[-\s]+(?:(?P<more>more|additional|further|long)\s+)?"
            rf"{f['QUAL']}(?P<unit>{f['UNIT']})(?!-(?:earlier|ago|before|end))(?:\s+and\s+a\s+half\b)?"
            rf"|(?P<half>half\s+an?|a\s+half)[-\s]+(?P<hunit>{f['UNIT']})"
            rf"|(?P<num3>{f['NUM']})\s+and\s+a\s+half\s+(?P<unit3>{f['UNIT']}))"
            r"(?:-(?P<post>long|old)\b)?(?:\s+(?P<orso>or\s+so)\b)?"
            r"|(?:(?P<the2>the)\s+)?(?P<vrel>recent|coming|ensuing|intervening|past|last|next|previous|preceding|following)\s+"
            r"(?P<vunit>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)\b"
            r"|(?P<the3>the)\s+(?P<aunit>days|weeks|months|years|decades)\s+(?:ahead|to\s+come)\b"
            r"|(?P<lunit>hour|day|week|month|year|decade|century|hours|days|weeks|months|years|decades|centuries)-long\b"
            # "for years", "within days": a bare plural after a word that makes it a span of time
            rf"|{_BARE_PLURAL_CONTEXT}(?:many\s+)?(?P<bunit>years|months|weeks|days|decades|centuries|hours|minutes)\b"
            r"|(?<!the\s)(?<!these\s)(?<!those\s)(?P<bunit2>years|decades|centuries)(?=\s+of\s)"
            r"|(?<=\bthe\s)(?P<bunit3>years|months|weeks|days)(?=\s+(?:before|after|that|since|leading|following|ahead|prior)\b)"
            r"|(?<=\bover\s)the\s+(?P<bunit4>years|decades|centuries)\b"
            r"|(?<=\bfor\s)(?P<awhile>a\s+(?:long\s+)?while|some\s+time|a\s+long\s+time|a\s+time)\b",
        ),
        (
            "year",
            rf"{PMOD}(?:(?P<pre>pre|post|mid)-)?(?:(?P<fy>fiscal|calendar|financial|model|tax|school)(?:\s+year)?\s+|(?P<the>the\s+year)\s+)?"
            rf"(?P<year>{f['YEAR_FREE']})(?!s\b|\s*(?:%|percent|per\s*cent)|-\d{{3}}\b|-\d{{4}}-\d|[.,]\d|\d|[:]\d)"
            r"(?:\s+(?P<open>or\s+later|or\s+after|and\s+later|and\s+beyond|and\s+after|onwards?|or\s+earlier|or\s+before|and\s+earlier|and\s+before)\b)?"
            r"|(?-i:FY)\s?['’]?(?P<fyy>\d{4}|\d{2})\b"
            rf"|(?:the\s+year\s+)?(?P<wy>{f['WYEAR']})",
        ),
        (
            "month",
            rf"{PMOD}(?:(?P<rel>this\s+past|this\s+coming|last|this|next|coming|past|previous|following|that|each|every)\s+)?"
            rf"(?P<month>{f['MONTH_DOTTED']})(?!\s*\d)",
        ),
        (
            "vague",
            rf"(?P<v>{alternation(lex.vague_references)})\b(?!-)(?:\s+(?P<vnoun>quarters|years|months|periods|dates?|generations))?\b",
        ),
    ]


# Words that start a temporal expression only in company ("the", "about", "at"): the scan
# considers them only when the next word could continue one. Those in _WEAK_THEN_STRONG may be
# followed by any word that starts an expression by itself ("the 1990s", "about two years");
# the others only by the second words of the lexicon phrases they begin ("at least", "of late")
# or those listed here.
_WEAK_THEN_STRONG = frozenset("the a an about around over under some that this these one".split())
_WEAK_SECOND_WORDS = {
    "the": "past future near distant short long medium old present moment first second third fourth final full entire "
    "whole same end beginning start middle close dawn latter tail opening outset midst recent latest current "
    "comparable corresponding year-ago year-earlier following previous prior preceding next last coming fiscal "
    "calendar period weekend morning afternoon evening night",
    "a": "few couple number dozen hundred thousand half while later minimum additional long time full",
    "an": "additional estimated hour",
    "about": "a an the one",
    "around": "a an the one",
    "over": "a an the one",
    "under": "a an the one",
    "some": "time day",
    "one": "and to or",
    "that": "morning afternoon evening night",
    "this": "morning afternoon evening night",
    "these": "days",
    "more": "than recently",
    "most": "recently recent",
    "just": "under over now",
    "new": "year's year’s",
    "good": "friday",
}
_WEAK_STARTS = frozenset({*_WEAK_THEN_STRONG, *_WEAK_SECOND_WORDS, "at", "as", "no", "not", "up", "well", "close", "right", "until", "of", "long"})


def _gate(lex: Lexicon) -> str:
    """A lookahead that every match must pass: the first word (or first two words) of some rule.

    Tested at each word boundary before any rule, it lets the scan skip, in C, the positions
    where no expression can start, which are most of them.
    """
    strong: set[str] = set()
    second: dict[str, set[str]] = {w: set(_WEAK_SECOND_WORDS.get(w, "").split()) for w in _WEAK_STARTS}
    phrases = [
        *lex.point_modifiers, *lex.quantity_modifiers, *lex.vague_references, *lex.vague_quantities, *lex.holidays,
    ]
    for phrase in phrases:
        words = phrase.split()
        if words[0] in _WEAK_STARTS:
            if len(words) > 1:
                second[words[0]].add(words[1])
        else:
            strong.add(words[0])
    strong |= {name.lower().rstrip(".") for name in (*lex.months, *lex.weekday_names)}
    strong |= set(_number_words(lex)) | set(lex.ordinals) | set(lex.seasons) | set(_unit_words(lex))
    strong |= set(lex.frequency_adverbs) | {w.lower() + "s" for w in lex.weekday_names if not w.endswith(".")}
    strong |= set(
        "last next coming past previous following current prior preceding upcoming latest present recent today tonight "
        "tonite yesterday tomorrow noon midday midnight every each once twice thrice per fiscal calendar financial model "
        "tax school fy q1 q2 q3 q4 h1 h2 1q 2q 3q 4q twenties thirties forties fifties sixties seventies eighties "
        "nineties pre post mid comparable corresponding dozen same half weekend remaining additional initial "
        "ensuing intervening subsequent entire whole full final other better best".split()
    )
    strong -= _WEAK_STARTS
    digit = r"\d|['’]\d|(?-i:FY)\s?['’]?\d"
    strong_re = alternation(strong)
    branches = [digit, rf"(?:{strong_re})\b"]
    with_strong = [w for w in _WEAK_STARTS if w in _WEAK_THEN_STRONG]
    branches.append(rf"(?:{alternation(with_strong)})[\s-]+(?:{digit}|(?:{strong_re})\b)")
    for word in sorted(_WEAK_STARTS):
        if second[word]:
            branches.append(rf"{re.escape(word)}[\s-]+(?:{alternation(second[word])})\b")
    return "(?=" + "|".join(branches) + ")"


def _compile(lex: Lexicon, gated: bool = True) -> Grammar:
    f = _fragments(lex)
    rules: dict[str, Rule] = {}
    pieces: list[str] = []
    single: dict[str, re.Pattern[str]] = {}
    order = []
    for name, pattern in _rules(f, lex):
        group = f"R_{name}"
        parts = tuple((p, f"{name}__{p}") for p in _GROUP.findall(pattern))
        prefixed = _GROUP.sub(lambda m, n=name: f"(?P<{n}__{m[1]}>", pattern)
        rules[group] = Rule(name, group, parts)
        pieces.append(f"(?P<{group}>{prefixed})")
        single[group] = re.compile(f"(?P<{group}>{prefixed})", re.IGNORECASE)
        order.append(group)
    # A rule starts at a word boundary (or at the apostrophe of "'90s") and passes the gate;
    # testing both once, outside the alternation, keeps the scan from trying every rule at
    # every character.
    gate = _gate(lex) if gated else ""
    master = re.compile(r"(?:\b|(?=['’]\d))" + gate + "(?:" + "|".join(pieces) + ")", re.IGNORECASE)
    return Grammar(master, rules, single, tuple(order))


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return _compile(load_lexicon())
