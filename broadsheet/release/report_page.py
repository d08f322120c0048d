"""The release report (`report.html`): one self-contained page a person opens to see what a release holds.

Counts, documents over time, coverage per source, the top entities and claimants, the claims in
conflict, the validation outcome (with the failing rows of any check that failed) and the diff
against the previous release. No script, no stylesheet or font from elsewhere: the plot is inline
SVG, so the page renders the same offline and from a mirror. Every text from an article is
escaped (articles are untrusted input), and the page is a pure function of its inputs, so the
same release gets the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from broadsheet.htmlpage import escape, page, section, table, validation_html
from broadsheet.release.datapackage import source_group

# The columns the page reads: compact keys and short texts, never whole tables.
COLUMNS = {
    "documents": ["doc_id", "source_uri", "title", "published_date"],
    "entities": ["entity_id", "canonical_name", "entity_type", "n_mentions", "n_documents"],
    "entity_mentions": ["doc_id"],
    "claims": [
        "claim_id",
        "doc_id",
        "surface",
        "claimant_text",
        "claimant_resolved_text",
        "claimant_entity_id",
        "conflicting_claim_ids",
        "conflict_kinds",
    ],
    "dates": ["doc_id"],
    "rejects": ["source_uri", "reason"],
}
TOP = 15  # entities and claimants listed
MAX_CONFLICTS = 25  # conflicting pairs listed
QUOTE_CHARS = 220  # a claim's text is cut to this length on the page


@dataclass(frozen=True)
class ReleaseFacts:
    """What the page is about: the release's name and the tables' row counts."""

    version: str
    release_date: str
    schema_version: str
    previous_version: str | None
    rows: Mapping[str, int]


def release_report_html(
    facts: ReleaseFacts,
    tables: Mapping[str, pl.DataFrame],
    validation: Sequence[Mapping[str, Any]],
    diff: Mapping[str, Any] | None,
) -> str:
    """The whole page. `tables` holds at least COLUMNS of each table; `validation` is the list in
    `validation_results.json`; `diff` the release's `diff.json` (None for a first release)."""
    sections = [
        section("counts", "Counts", _counts(facts, diff)),
        section("over-time", "Documents over time", _over_time(tables["documents"])),
        section("sources", "Coverage per source", _coverage(tables)),
        section("entities", "Top entities", _top_entities(tables["entities"])),
        section("claimants", "Top claimants", _top_claimants(tables["claims"], tables["entities"])),
        section("conflicts", "Claims in conflict", _conflicts(tables["claims"], tables["documents"])),
        section("validation", "Validation", validation_html(validation)),
        section("changes", "Changes since the previous release", _changes(diff)),
    ]
    previous = (
        f"previous release {escape(facts.previous_version)}" if facts.previous_version else "the first release in its folder"
    )
    subtitle = f"Released {escape(facts.release_date)}, schema version {escape(facts.schema_version)}, {previous}."
    return page(f"broadsheet release {facts.version}", subtitle, NAV, sections)


NAV = (
    ("counts", "Counts"),
    ("over-time", "Over time"),
    ("sources", "Sources"),
    ("entities", "Entities"),
    ("claimants", "Claimants"),
    ("conflicts", "Conflicts"),
    ("validation", "Validation"),
    ("changes", "Changes"),
)


def _counts(facts: ReleaseFacts, diff: Mapping[str, Any] | None) -> str:
    changes = (diff or {}).get("tables", {})
    rows = []
    for name, n in facts.rows.items():
        change = changes.get(name)
        if change:
            delta = f"+{change['added']['count']} / −{change['removed']['count']} / ~{change['changed']['count']}"
        else:
            delta = "new" if diff is None else "—"
        rows.append((name, n, delta))
    return table(("table", "rows", "added / removed / changed"), rows, numeric=(1,))


def _over_time(documents: pl.DataFrame) -> str:
    months = Counter(d.strftime("%Y-%m") if d is not None else None for d in documents["published_date"].to_list())
    undated = months.pop(None, 0)
    note = f"<p>{undated} of {documents.height} documents have no publication date.</p>" if undated else ""
    if not months:
        return note or "<p>No document has a publication date.</p>"
    return bar_chart_svg(_month_range(sorted(months)), months) + note


def _month_range(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last, so gaps show as empty bars (at most 20 years)."""
    year, month = map(int, months[0].split("-"))
    last = months[-1]
    out = []
    while len(out) < 240:
        label = f"{year:04d}-{month:02d}"
        out.append(label)
        if label >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def bar_chart_svg(labels: Sequence[str], counts: Mapping[str, int], height: int = 160) -> str:
    """A bar per label, its count above it, the label below; inline SVG with a text alternative."""
    top = max([counts.get(label, 0) for label in labels] + [1])
    width = max(40 * len(labels), 200)
    step = width / len(labels)
    bars = []
    for i, label in enumerate(labels):
        n = counts.get(label, 0)
        h = round((height - 40) * n / top)
        x = round(i * step + step * 0.15, 1)
        w = round(step * 0.7, 1)
        y = height - 20 - h
        bars.append(
            f'<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}"><title>{escape(label)}: {n}</title></rect>'
            f'<text x="{round(x + w / 2, 1)}" y="{y - 3}" text-anchor="middle">{n}</text>'
            f'<text x="{round(x + w / 2, 1)}" y="{height - 5}" text-anchor="middle">{escape(label)}</text>'
        )
    summary = ", ".join(f"{label}: {counts.get(label, 0)}" for label in labels)
    return (
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Documents per month: {escape(summary)}</title>' + "".join(bars) + "</svg>"
    )


def _coverage(tables: Mapping[str, pl.DataFrame]) -> str:
    documents = tables["documents"]
    group_of_doc = {doc: source_group(uri) for doc, uri in zip(documents["doc_id"], documents["source_uri"], strict=True)}

    def per_group(frame: pl.DataFrame) -> Counter[str]:
        return Counter(group_of_doc.get(doc, "?") for doc in frame["doc_id"].to_list())

    docs, mentions, claims, dates = (
        per_group(documents),
        per_group(tables["entity_mentions"]),
        per_group(tables["claims"]),
        per_group(tables["dates"]),
    )
    rejects = Counter(source_group(uri) for uri in tables["rejects"]["source_uri"].to_list())
    groups = sorted(set(docs) | set(rejects))
    if not groups:
        return "<p>No source gave a document or a reject.</p>"
    rows = [(g, docs[g], mentions[g], claims[g], dates[g], rejects[g]) for g in groups]
    body = table(("source", "documents", "entity mentions", "claims", "dates", "rejects"), rows, numeric=(1, 2, 3, 4, 5))
    reasons = Counter(tables["rejects"]["reason"].to_list())
    if reasons:
        body += "<p>Rejects by reason: " + ", ".join(f"{escape(r)} {n}" for r, n in sorted(reasons.items())) + ".</p>"
    return body


def _top_entities(entities: pl.DataFrame) -> str:
    if entities.is_empty():
        return "<p>No entity in this release.</p>"
    top = entities.sort(["n_documents", "n_mentions", "canonical_name"], descending=[True, True, False]).head(TOP)
    rows = top.select("canonical_name", "entity_type", "n_documents", "n_mentions").rows()
    return table(("entity", "type", "documents", "mentions"), rows, numeric=(2, 3))


def _top_claimants(claims: pl.DataFrame, entities: pl.DataFrame) -> str:
    """Claimants counted by entity where the claimant is linked to one, else by the words naming them."""
    names = dict(zip(entities["entity_id"].to_list(), entities["canonical_name"].to_list(), strict=True))
    counts: Counter[str] = Counter()
    for entity_id, resolved, text in zip(
        claims["claimant_entity_id"], claims["claimant_resolved_text"], claims["claimant_text"], strict=True
    ):
        who = names.get(entity_id) if entity_id else None
        who = who or resolved or text
        if who:
            counts[who] += 1
    if not counts:
        return "<p>No claim has a claimant in this release.</p>"
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return table(("claimant", "claims"), rows, numeric=(1,))


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _conflicts(claims: pl.DataFrame, documents: pl.DataFrame) -> str:
    titles = dict(zip(documents["doc_id"].to_list(), documents["title"].to_list(), strict=True))
    by_id = {row["claim_id"]: row for row in claims.select("claim_id", "doc_id", "surface").iter_rows(named=True)}
    pairs = []
    for claim_id, others, kinds in zip(
        claims["claim_id"].to_list(), claims["conflicting_claim_ids"].to_list(), claims["conflict_kinds"].to_list(), strict=True
    ):
        for other in others or []:
            if claim_id < other and other in by_id:
                pairs.append((claim_id, other, ", ".join(kinds or [])))
    if not pairs:
        return "<p>No two claims in this release contradict each other on a date, a number or polarity.</p>"
    rows = []
    for a, b, kinds in sorted(pairs)[:MAX_CONFLICTS]:
        ra, rb = by_id[a], by_id[b]
        rows.append(
            (
                kinds,
                _short(ra["surface"]),
                titles.get(ra["doc_id"]) or ra["doc_id"],
                _short(rb["surface"]),
                titles.get(rb["doc_id"]) or rb["doc_id"],
            )
        )
    n = len(pairs)
    more = f"<p>{n} pair{'s' if n != 1 else ''}" + (
        f" in all; the first {MAX_CONFLICTS} are shown.</p>" if n > MAX_CONFLICTS else ".</p>"
    )
    return table(("on", "one claim", "in", "the other", "in"), rows) + more


def _changes(diff: Mapping[str, Any] | None) -> str:
    if diff is None:
        return "<p>This is the first release in its folder: nothing to compare with.</p>"
    rows = []
    for name, change in diff.get("tables", {}).items():
        schema = change.get("schema", {})
        schema_notes = "; ".join(
            f"{key.replace('_', ' ')}: {', '.join(map(str, value))}" for key, value in schema.items() if value
        )
        rows.append(
            (
                name,
                change.get("status"),
                change.get("rows_old"),
                change.get("rows_new"),
                change["added"]["count"],
                change["removed"]["count"],
                change["changed"]["count"],
                schema_notes or "—",
            )
        )
    head = f"<p>Against {escape(diff.get('old_version'))}.</p>"
    return head + table(
        ("table", "status", "rows before", "rows now", "added", "removed", "changed", "schema"), rows, numeric=(2, 3, 4, 5, 6)
    )
