"""The ``entities`` rows and ids of the clusters the merge rules found
(:mod:`broadsheet.entities.canonical`), and the id registry that keeps ids across releases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from broadsheet.entities.gazetteer import country_name, place_country_code, usual_city_name
from broadsheet.entities.names import ComparedMention, compared, fold, fold_key, name_key
from broadsheet.ids import stable_id

MentionKey = tuple[str, int, int]  # (doc_id, start, end)


@dataclass
class CanonicalEntities:
    """Entities rows (schema ``entities``) and the entity of each mention."""

    entities: list[dict[str, Any]]
    entity_of: dict[MentionKey, str]
    #: Mentions vetting re-typed (their new type) or dropped (None), with the reason, by mention.
    decisions: dict[MentionKey, Any] = field(default_factory=dict)

    def label_of(self, key: MentionKey, label: str) -> str | None:
        """The type a mention ends up with (``label`` unless vetting changed it; None: dropped)."""
        decision = self.decisions.get(key)
        return label if decision is None else decision.label


@dataclass(frozen=True)
class Cluster:
    """The mentions of one entity and why their differing names were put together."""

    mentions: list[ComparedMention]
    reasons: list[str]


@dataclass(frozen=True)
class _Described:
    cluster: Cluster
    entity_type: str
    canonical: str
    canonical_key: str
    country_code: str | None


@dataclass(frozen=True)
class _Alias:
    start: int
    end: int
    text: str
    label: str


def entity_id(entity_type: str, canonical_key: str) -> str:
    return stable_id("e", entity_type, canonical_key)


def entity_rows(
    clusters: Sequence[Cluster], previous: Mapping[str, str], decisions: Mapping[str, Sequence[Any]] | None = None
) -> CanonicalEntities:
    """One row per cluster, and each mention's entity id.

    ``decisions`` are vetting's per document (:mod:`broadsheet.entities.vetting`): a re-typed
    mention's reason joins its entity's merge reasons; a dropped mention has no entity.

    ``clusters`` come in a fixed order (that of their names), which decides which of two
    namesakes gets the plain id and which the counted one.
    """
    found = [_describe(c) for c in clusters]
    ids = _assign_ids(found, previous)
    rows: list[dict[str, Any]] = []
    entity_of: dict[MentionKey, str] = {}
    by_key = {(doc_id, d.start, d.end): d for doc_id, ds in (decisions or {}).items() for d in ds}
    for d, eid in zip(found, ids, strict=True):
        ms = d.cluster.mentions
        retyped: list[str] = []
        for m in ms:
            entity_of[(m.doc_id, m.start, m.end)] = eid
            v = by_key.get((m.doc_id, m.start, m.end))
            if v is not None:
                retyped.append(f"re-typed {v.was} → {v.label}: {v.text}, {v.reason}")
        rows.append(
            {
                "entity_id": eid,
                "canonical_name": d.canonical,
                "entity_type": d.entity_type,
                "aliases": sorted({m.text for m in ms}),
                "merge_reasons": sorted(set(d.cluster.reasons) | set(retyped)),
                "country_code": d.country_code,
                "n_mentions": len(ms),
                "n_documents": len({m.doc_id for m in ms}),
            }
        )
    rows.sort(key=lambda r: r["entity_id"])
    return CanonicalEntities(rows, entity_of, by_key)


def _describe(cluster: Cluster) -> _Described:
    """The entity's type, canonical name and key, and country."""
    ms = cluster.mentions
    countries = {m.country for m in ms if m.country}
    if countries:
        code = sorted(countries)[0]
        return _Described(cluster, "GPE", country_name(code), f"country:{code}", code)
    entity_type = _majority(m.label for m in ms)
    place = entity_type in {"GPE", "LOC"}
    canonical = _canonical_form(ms, prefer_known_places=place)
    return _Described(cluster, entity_type, canonical, fold_key(canonical.split()), _place_code(ms) if place else None)


def _assign_ids(found: Sequence[_Described], previous: Mapping[str, str]) -> list[str]:
    """Each entity's id: the one it keeps from the previous release, else one from its content.

    Ids kept from the previous release are handed out first, so that a new entity whose
    content-derived id happens to equal one of them cannot take it from its owner; a
    content-derived id that is already taken (a namesake, or a kept id) gets a counter.
    """
    ids: list[str | None] = _previous_ids([d.cluster.mentions for d in found], previous)
    used_ids: set[str] = {eid for eid in ids if eid}
    for n, d in enumerate(found):
        if ids[n] is None:
            eid = entity_id(d.entity_type, d.canonical_key)
            repeat = 2
            while eid in used_ids:
                eid = stable_id("e", d.entity_type, d.canonical_key, repeat)
                repeat += 1
            ids[n] = eid
            used_ids.add(eid)
    return [eid for eid in ids if eid is not None]


def _majority(labels: Iterable[str]) -> str:
    counts = Counter(labels)
    best = max(counts.values())
    return sorted(label for label, n in counts.items() if n == best)[0]


def _canonical_form(ms: Sequence[ComparedMention], prefer_known_places: bool = False) -> str:
    """The fullest common name: most words, then (for places) one the gazetteer knows, under
    its usual name, then most frequent, then alphabetical."""
    forms = Counter(" ".join(m.tokens) for m in ms)

    def unknown(form: str) -> bool:
        return prefer_known_places and place_country_code(form) is None

    def other_name(form: str) -> bool:  # "Teheran" where the gazetteer's usual name is "Tehran"
        usual = usual_city_name(form) if prefer_known_places else None
        return usual is not None and fold(usual) != fold(form)

    return sorted(forms, key=lambda f: (-len(f.split()), unknown(f), other_name(f), -forms[f], f))[0]


def _place_code(ms: Sequence[ComparedMention]) -> str | None:
    """The country code most of a place's names have in the gazetteer, if any has one."""
    codes = Counter(c for c in (place_country_code(" ".join(m.tokens)) for m in ms) if c)
    if not codes:
        return None
    best = max(codes.values())
    return sorted(c for c, n in codes.items() if n == best)[0]


def _previous_ids(entities: Sequence[Sequence[ComparedMention]], previous: Mapping[str, str]) -> list[str | None]:
    """The earlier release's id each entity keeps, if any.

    Each entity's mentions vote for the ids their names had; the strongest claims are granted
    first, each id to one entity only. Granting by vote rather than in entity order matters when
    an entity holds a name the earlier release gave to another one as well: it must not take
    that other entity's id, which would renumber both and make a refresh of unchanged input
    publish a new release.
    """
    claims: list[tuple[int, str, int]] = []
    for n, ms in enumerate(entities):
        votes = Counter(previous[key] for key in map(name_key, ms) if key in previous)
        claims.extend((count, eid, n) for eid, count in votes.items())
    ids: list[str | None] = [None] * len(entities)
    granted: set[str] = set()
    for _count, eid, n in sorted(claims, key=lambda c: (-c[0], c[1], c[2])):
        if ids[n] is None and eid not in granted:
            ids[n] = eid
            granted.add(eid)
    return ids


def id_registry(entities: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``"TYPE|name key"`` → entity id from a release's entities rows, for ``previous``.

    Built from each entity's aliases and type, so a release's entities table is all a refresh
    needs to keep its ids.
    """
    registry: dict[str, str] = {}
    shared: set[str] = set()
    for row in sorted(entities, key=lambda r: r["entity_id"]):
        for alias in row["aliases"]:
            m = compared("", _Alias(0, len(alias), alias, row["entity_type"]))
            key = name_key(m)
            if registry.setdefault(key, row["entity_id"]) != row["entity_id"]:
                shared.add(key)
    # A name two entities shared ("Smith" for two people) says nothing about which is which.
    return {key: eid for key, eid in registry.items() if key not in shared}
