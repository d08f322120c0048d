"""Loading and checking the cleaning rules file (`rules.yaml` next to this module).

What belongs here: the rule data model, the YAML schema it is read with, and the compilation of
patterns (fragments spliced in, every regex compiled once). Nothing here looks at an article;
`broadsheet.clean.cleaner` applies the rules. A rules file with a key, kind, action, field or
pattern this module does not understand is refused with a `RulesError` naming the rule, never
half-applied.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from broadsheet import yamlfile
from broadsheet.calendar import MONTH_PATTERN, WEEKDAY_PATTERN
from broadsheet.schema import vocabulary

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "rules.yaml"

KINDS = ("inline", "line", "list", "dateline", "model", "repeat")
ACTIONS = {
    "inline": ("remove", "unwrap"),
    "line": ("remove", "metadata"),
    "list": ("remove",),
    "dateline": ("read",),
    "model": ("remove",),
    "repeat": ("remove",),
}
# The metadata a rule may fill: the cleaning_log vocabulary (schemas/cleaning_log.yaml).
FIELDS = vocabulary("cleaning_log", "metadata_field")
DOTTED_DATE_READINGS = ("day_first", "unambiguous_only")

_COMMON_KEYS = {"id", "description", "kind", "action", "formats"}
_KEYS = {
    "inline": _COMMON_KEYS | {"pattern"},
    "line": _COMMON_KEYS
    | {"pattern", "field", "group", "first_lines", "last_lines", "trailing", "max_words", "not_in_body", "below"}
    | {"same_as_title", "title_heading", "rest", "after_prose"},
    "list": _COMMON_KEYS | {"heading", "item", "max_item_words", "first_lines", "last_lines"},
    "dateline": _COMMON_KEYS | {"pattern", "field", "group", "first_paragraphs"},
    "model": _COMMON_KEYS | {"model", "cues", "related"},
    "repeat": _COMMON_KEYS | {"min_words"},
}
_REQUIRED = {
    "inline": {"pattern"},
    "line": {"pattern"},
    "list": {"heading", "item"},
    "dateline": {"pattern", "field", "group", "first_paragraphs"},
    "model": {"model"},
    "repeat": {"min_words"},
}
_FRAGMENT_REF = re.compile(r"\{:([a-z_]+)\}")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RulesError(ValueError):
    """The rules file says something the cleaner cannot apply as written."""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    kind: str  # one of KINDS
    action: str  # remove | metadata | unwrap | read
    pattern: re.Pattern[str] | None = None
    heading: re.Pattern[str] | None = None  # list rules
    item: re.Pattern[str] | None = None  # list rules
    max_item_words: int | None = None
    formats: frozenset[str] | None = None  # None: every format
    field: str | None = None
    group: str | None = None
    first_lines: int | None = None
    last_lines: int | None = None
    trailing: bool = False
    max_words: int | None = None
    not_in_body: str | None = None  # group holding a name that must not occur in the kept text
    below: frozenset[str] | None = None  # trailing rules: only right above a paragraph these rules cut
    same_as_title: bool = False  # line rules: only a line whose words are the record's title's
    title_heading: bool = False  # line rules: only the text's leading level-1 heading, which becomes the title
    rest: bool = False  # line rules: every line below goes too, when the text above is longer
    after_prose: bool = False  # trailing rules: only where a paragraph of prose stands above
    first_paragraphs: int | None = None
    model: Path | None = None  # model rules: the weights file, beside the rules file
    cues: re.Pattern[str] | None = None  # model rules: words that mark page furniture
    related: re.Pattern[str] | None = None  # model rules: a related-articles label, whole
    min_words: int | None = None  # repeat rules: a paragraph this long or longer, in words

    def applies_to(self, source_format: str) -> bool:
        return self.formats is None or source_format in self.formats


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    formats: frozenset[str]
    dotted_numeric_dates: str  # one of DOTTED_DATE_READINGS
    source: str  # where the rules were read from
    sha256: str  # of the rules file's bytes, so a cleaning can be traced to the exact rules

    def of_kind(self, kind: str, source_format: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == kind and r.applies_to(source_format))


def load_rules(path: Path | None = None) -> Rules:
    """Read and compile a rules file; the packaged `rules.yaml` when no path is given."""
    if path is None:
        return _default_rules()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return _load(DEFAULT_RULES_PATH)


def _load(path: Path) -> Rules:
    raw = path.read_bytes()
    try:
        doc = yamlfile.load(raw)
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: not valid YAML: {exc}") from exc
    return parse_rules(doc, source=str(path), sha256=hashlib.sha256(raw).hexdigest())


def parse_rules(doc: Any, source: str = "<memory>", sha256: str = "") -> Rules:
    """Build `Rules` from an already-parsed rules document (the YAML's top-level mapping)."""
    if not isinstance(doc, Mapping):
        raise RulesError(f"{source}: the rules file must be a mapping")
    unknown = set(doc) - {"version", "formats", "dates", "fragments", "rules"}
    if unknown:
        raise RulesError(f"{source}: unknown top-level keys {sorted(unknown)}")
    if doc.get("version") != 1:
        raise RulesError(f"{source}: unsupported rules version {doc.get('version')!r} (expected 1)")
    formats = frozenset(_string_list(doc.get("formats"), f"{source}: formats"))
    if not formats:
        raise RulesError(f"{source}: formats must list the source formats the rules know")
    dotted = (doc.get("dates") or {}).get("dotted_numeric", "unambiguous_only")
    if dotted not in DOTTED_DATE_READINGS:
        raise RulesError(f"{source}: dates.dotted_numeric must be one of {DOTTED_DATE_READINGS}, not {dotted!r}")
    fragments = _expand_fragments(doc.get("fragments") or {}, source)

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, spec in enumerate(doc.get("rules") or []):
        rule = _parse_rule(spec, index, fragments, formats, source)
        if rule.id in seen:
            raise RulesError(f"{source}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
        rules.append(rule)
    if not rules:
        raise RulesError(f"{source}: no rules")
    return Rules(tuple(rules), formats, dotted, source, sha256)


def _parse_rule(spec: Any, index: int, fragments: Mapping[str, str], formats: frozenset[str], source: str) -> Rule:
    if not isinstance(spec, Mapping):
        raise RulesError(f"{source}: rule #{index} is not a mapping")
    rule_id = spec.get("id")
    where = f"{source}: rule {rule_id or '#' + str(index)}"
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RulesError(f"{where}: id must be lower-case words joined by '-'")
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        raise RulesError(f"{where}: every rule must say why it exists (description)")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RulesError(f"{where}: kind must be one of {KINDS}, not {kind!r}")
    unknown = set(spec) - _KEYS[kind]
    if unknown:
        raise RulesError(f"{where}: keys {sorted(unknown)} mean nothing for a {kind} rule")
    missing = _REQUIRED[kind] - set(spec)
    if missing:
        raise RulesError(f"{where}: a {kind} rule needs {sorted(missing)}")
    action = spec.get("action")
    if action not in ACTIONS[kind]:
        raise RulesError(f"{where}: a {kind} rule's action must be one of {ACTIONS[kind]}, not {action!r}")

    rule_formats = None
    if "formats" in spec:
        rule_formats = frozenset(_string_list(spec["formats"], f"{where}: formats"))
        if not rule_formats <= formats:
            raise RulesError(f"{where}: formats {sorted(rule_formats - formats)} are not among {sorted(formats)}")

    # An inline rule is searched in a whole block at once (see `broadsheet.clean.blocks`), its
    # lines joined by "\n": `^` and `$` anchor at each line's edges, as in a single line.
    flags = re.MULTILINE if kind == "inline" else 0
    compiled = {
        key: _compile(spec[key], fragments, f"{where}: {key}", flags)
        for key in ("pattern", "heading", "item", "cues", "related")
        if key in spec
    }
    pattern = compiled.get("pattern")

    field, group = spec.get("field"), spec.get("group")
    reads_metadata = action in ("metadata", "read")
    if reads_metadata != (field is not None) or reads_metadata != (group is not None):
        raise RulesError(f"{where}: field and group go with the metadata and read actions, and only with them")
    if field is not None and field not in FIELDS:
        raise RulesError(f"{where}: field must be one of {FIELDS}, not {field!r}")
    for group_key in ("group", "not_in_body"):
        name = spec.get(group_key)
        if name is not None and (pattern is None or name not in pattern.groupindex):
            raise RulesError(f"{where}: {group_key} names a group {name!r} that the pattern does not have")
    if action == "unwrap" and (pattern is None or "keep" not in pattern.groupindex):
        raise RulesError(f"{where}: an unwrap rule's pattern needs a (?P<keep>...) group")
    if "first_lines" in spec and "last_lines" in spec:
        raise RulesError(f"{where}: first_lines and last_lines exclude each other")
    below = None
    if "below" in spec:
        below = frozenset(_string_list(spec["below"], f"{where}: below"))
        if not spec.get("trailing"):
            raise RulesError(f"{where}: below goes with trailing rules, which read the end upwards")
    if spec.get("title_heading") and (action != "remove" or spec.get("trailing") or spec.get("rest")):
        raise RulesError(f"{where}: title_heading goes with remove rules that read the text downwards (not trailing, not rest)")
    if spec.get("after_prose") and not spec.get("trailing"):
        raise RulesError(f"{where}: after_prose goes with trailing rules, which read the end upwards")
    if spec.get("rest") and (action != "remove" or spec.get("trailing")):
        raise RulesError(f"{where}: rest goes with remove rules that read the text downwards (not trailing)")
    model = None
    if kind == "model":
        if not isinstance(spec["model"], str) or "/" in spec["model"] or "\\" in spec["model"]:
            raise RulesError(f"{where}: model must name a file beside the rules file")
        # Beside the rules file read; a rules document given in memory uses the packaged models.
        base = Path(source).parent if Path(source).is_file() else DEFAULT_RULES_PATH.parent
        model = base / spec["model"]
        if not model.is_file():
            raise RulesError(f"{where}: model file {spec['model']!r} not found beside the rules file")

    return Rule(
        id=rule_id,
        description=" ".join(spec["description"].split()),
        kind=kind,
        action=action,
        pattern=pattern,
        heading=compiled.get("heading"),
        item=compiled.get("item"),
        max_item_words=_positive_int(spec, "max_item_words", where),
        formats=rule_formats,
        field=field,
        group=group,
        first_lines=_positive_int(spec, "first_lines", where),
        last_lines=_positive_int(spec, "last_lines", where),
        trailing=_bool(spec, "trailing", where),
        max_words=_positive_int(spec, "max_words", where),
        not_in_body=spec.get("not_in_body"),
        below=below,
        same_as_title=_bool(spec, "same_as_title", where),
        title_heading=_bool(spec, "title_heading", where),
        rest=_bool(spec, "rest", where),
        after_prose=_bool(spec, "after_prose", where),
        first_paragraphs=_positive_int(spec, "first_paragraphs", where),
        model=model,
        cues=compiled.get("cues"),
        related=compiled.get("related"),
        min_words=_positive_int(spec, "min_words", where),
    )


def _case_blind(pattern: str) -> str:
    """`(?:a|b)` → `(?i:a|b)`: the calendar's alternations are lower case, dates in text are not."""
    assert pattern.startswith("(?:")
    return "(?i:" + pattern[len("(?:") :]


# Fragments every rules file can use without defining them: the month and weekday words of
# broadsheet.calendar, so a spelling is added in one place for the cleaner and the date readers.
BUILTIN_FRAGMENTS = {
    "calendar_month": _case_blind(MONTH_PATTERN),
    "calendar_weekday": _case_blind(WEEKDAY_PATTERN),
}


def _expand_fragments(raw: Any, source: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise RulesError(f"{source}: fragments must map names to pattern strings")
    redefined = sorted(set(raw) & set(BUILTIN_FRAGMENTS))
    if redefined:
        raise RulesError(f"{source}: fragment {redefined[0]!r} comes from broadsheet.calendar and cannot be redefined")
    raw = {**BUILTIN_FRAGMENTS, **raw}
    expanded: dict[str, str] = {}

    def expand(name: str, trail: tuple[str, ...]) -> str:
        if name in trail:
            raise RulesError(f"{source}: fragment {name!r} refers to itself through {' -> '.join(trail)}")
        if name not in raw:
            raise RulesError(f"{source}: unknown fragment {{:{name}}}" + (f" in fragment {trail[-1]!r}" if trail else ""))
        if name not in expanded:
            expanded[name] = _FRAGMENT_REF.sub(lambda m: expand(m.group(1), (*trail, name)), raw[name])
        return expanded[name]

    for name in raw:
        expand(name, ())
    return expanded


def _compile(value: Any, fragments: Mapping[str, str], where: str, flags: int = 0) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise RulesError(f"{where}: must be a non-empty pattern string")

    def splice(match: re.Match[str]) -> str:
        if match.group(1) not in fragments:
            raise RulesError(f"{where}: unknown fragment {{:{match.group(1)}}}")
        return fragments[match.group(1)]

    try:
        return re.compile(_FRAGMENT_REF.sub(splice, value), flags)
    except re.error as exc:
        raise RulesError(f"{where}: not a valid regular expression: {exc}") from exc


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where} must be a list of strings")
    return value


def _positive_int(spec: Mapping[str, Any], key: str, where: str) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RulesError(f"{where}: {key} must be a positive integer")
    return value


def _bool(spec: Mapping[str, Any], key: str, where: str) -> bool:
    value = spec.get(key, False)
    if not isinstance(value, bool):
        raise RulesError(f"{where}: {key} must be true or false")
    return value
