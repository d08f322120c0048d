"""The GX layer on small inline tables: one valid release, and one run that breaks every kind of check.

GX costs about 10 ms per expectation, so the broken tables are validated once (module fixture)
and each violation is asserted in its own test case.
"""

import dataclasses
import datetime as dt
import gc
import hashlib
import json
import weakref

import polars as pl
import pytest

from broadsheet.frames import from_rows
from broadsheet.ids import stable_id
from broadsheet.schema import load_schemas
from broadsheet.text import word_count
from broadsheet.validate.suites import suite_for, validate_stage

SCHEMAS = load_schemas()

TEXT_1 = "Storm closes harbour\n\nThe harbour at Port Ellis closed on Monday, the port authority said."
TEXT_2 = "Café owners in Zürich expect a better summer of 2014, officials said."
D1, D2 = stable_id("d", "a.txt"), stable_id("d", "b.md")
E_PORT, E_AUTH, E_ZURICH = (
    stable_id("e", "GPE", "port ellis"),
    stable_id("e", "ORG", "port authority"),
    stable_id("e", "GPE", "zurich"),
)


def span(text, surface, start=0):
    begin = text.index(surface, start)
    return begin, begin + len(surface)


def document(doc_id, uri, text, **overrides):
    row = {
        "doc_id": doc_id,
        "source_uri": uri,
        "source_name": "inbox",
        "text_license": None,
        "source_format": uri.rsplit(".", 1)[1],
        "source_record_id": None,
        "encoding": "utf-8",
        "url": None,
        "title": text.split("\n")[0],
        "authors": [],
        "publisher": None,
        "original_source": None,
        "original_url": None,
        "published_date": None,
        "published_date_earliest": None,
        "published_date_latest": None,
        "published_date_source": "unknown",
        "published_date_confidence": 0.0,
        "language": "en",
        "text": text,
        "raw_sha256": "a" * 64,
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "n_chars": len(text),
        "n_words": word_count(text),
        "n_sentences": 1,
        "n_removed_segments": 0,
        "duplicate_cluster_id": doc_id,
    }
    return {**row, **overrides}


def entity(entity_id, name, kind, **overrides):
    row = {
        "entity_id": entity_id,
        "canonical_name": name,
        "entity_type": kind,
        "aliases": [name],
        "merge_reasons": [],
        "country_code": None,
        "n_mentions": 1,
        "n_documents": 1,
    }
    return {**row, **overrides}


def mention(doc_id, text, surface, entity_id, kind, **overrides):
    start, end = span(text, surface)
    row = {
        "mention_id": stable_id("m", doc_id, start),
        "doc_id": doc_id,
        "entity_id": entity_id,
        "start_char": start,
        "end_char": end,
        "surface": surface,
        "entity_type": kind,
        "sentence_index": 0,
        "confidence": 0.9,
    }
    return {**row, **overrides}


def claim(doc_id, text, content, claimant, cue, **overrides):
    start, end = span(text, content)
    c_start, c_end = span(text, claimant)
    q_start, q_end = span(text, cue)
    row = {
        "claim_id": stable_id("c", doc_id, start),
        "doc_id": doc_id,
        "kind": "reported_speech",
        "start_char": start,
        "end_char": end,
        "surface": content,
        "claimant_start_char": c_start,
        "claimant_end_char": c_end,
        "claimant_text": claimant,
        "claimant_resolved_text": None,
        "claimant_entity_id": None,
        "claimant_kind": "organization",
        "cue_start_char": q_start,
        "cue_end_char": q_end,
        "cue_text": cue,
        "modality": "asserted",
        "modality_cues": [],
        "entity_ids": [],
        "date_ids": [],
        "sentence_index": 0,
        "cluster_id": stable_id("c", doc_id, start),
        "conflicting_claim_ids": [],
        "conflict_kinds": [],
        "confidence": 0.8,
    }
    return {**row, **overrides}


def date(doc_id, text, surface, value, granularity, **overrides):
    start, end = span(text, surface)
    row = {
        "date_id": stable_id("t", doc_id, start),
        "doc_id": doc_id,
        "start_char": start,
        "end_char": end,
        "surface": surface,
        "timex_type": "DATE",
        "value": value,
        "mod": None,
        "granularity": granularity,
        "interval_start": None,
        "interval_end": None,
        "is_relative": False,
        "anchor_date": None,
        "anchor_source": "none",
        "claim_id": None,
        "sentence_index": 0,
    }
    return {**row, **overrides}


def release_rows():
    """Rows of every release table, consistent with each other: every key resolves, every span matches."""
    summer = date(
        D2, TEXT_2, "summer of 2014", "2014-SU", "season", interval_start=dt.date(2014, 6, 1), interval_end=dt.date(2014, 8, 31)
    )
    harbour = claim(
        D1,
        TEXT_1,
        "The harbour at Port Ellis closed on Monday",
        "the port authority",
        "said",
        entity_ids=[E_PORT],
        claimant_entity_id=E_AUTH,
    )
    cafe = claim(
        D2,
        TEXT_2,
        "Café owners in Zürich expect a better summer of 2014",
        "officials",
        "said",
        claimant_kind="unknown",
        entity_ids=[E_ZURICH],
        date_ids=[summer["date_id"]],
        modality="predicted",
    )
    summer["claim_id"] = cafe["claim_id"]
    start, end = span(TEXT_1, "port authority")
    return {
        "documents": [
            document(D1, "a.txt", TEXT_1, authors=["Ann Lee"]),
            document(D2, "b.md", TEXT_2, url="https://example.org/b"),
        ],
        "entities": [
            entity(E_PORT, "Port Ellis", "GPE"),
            entity(E_AUTH, "port authority", "ORG"),
            entity(E_ZURICH, "Zürich", "GPE", country_code="CH"),
        ],
        "entity_mentions": [
            mention(D1, TEXT_1, "Port Ellis", E_PORT, "GPE"),
            mention(D1, TEXT_1, "port authority", E_AUTH, "ORG", start_char=start, end_char=end),
            mention(D2, TEXT_2, "Zürich", E_ZURICH, "GPE"),
        ],
        "claims": [harbour, cafe],
        "dates": [date(D1, TEXT_1, "Monday", "XXXX-WXX-1", "day", is_relative=True), summer],
        "cleaning_log": [
            {
                "doc_id": D1,
                "raw_start_char": 0,
                "raw_end_char": 9,
                "rule_id": "share-links",
                "action": "remove",
                "metadata_field": None,
                "metadata_value": None,
                "removed_text": "Share on ",
            },
        ],
        "rejects": [
            {
                "reject_id": stable_id("r", "c.json"),
                "source_uri": "c.json",
                "doc_id": None,
                "source_format": "json",
                "stage": "ingest",
                "reason": "invalid_json",
                "detail": "line 1: Expecting value",
                "raw_sha256": "c" * 64,
            },
        ],
    }


def frames(rows):
    return {name: from_rows(table_rows, SCHEMAS[name]) for name, table_rows in rows.items()}


# --- suites ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_a_suite_is_generated_for_every_schema(name):
    ts = SCHEMAS[name]
    suite = suite_for(ts)
    kinds = [(e.expectation_type, e.meta["check"], e.meta["column"]) for e in suite.expectations]
    assert suite.name == name
    assert kinds[0] == ("expect_table_columns_to_match_ordered_list", "columns", None)
    assert {c for _, check, c in kinds if check == "type"} == {c.name for c in ts.columns}
    assert {c for _, check, c in kinds if check == "not_null"} == {c.name for c in ts.columns if not c.nullable}
    scalar = [c for c in ts.columns if not c.is_list]
    assert {c for _, check, c in kinds if check == "enum"} == {c.name for c in scalar if c.enum}
    assert {c for _, check, c in kinds if check == "pattern"} == {c.name for c in scalar if c.pattern}
    assert {c for _, check, c in kinds if check == "range"} == {c.name for c in scalar if c.min is not None or c.max is not None}
    assert sum(check == "primary_key" for _, check, _ in kinds) == 1


# --- a valid release ---------------------------------------------------------------------------


def test_valid_tables_pass_every_check_and_get_a_report_and_data_docs(tmp_path):
    report = validate_stage("release", frames(release_rows()), SCHEMAS, tmp_path / "report", cross_table=True)
    assert report.success, report.summary()
    assert report.failures == ()
    assert report.docs_index == tmp_path / "report" / "data_docs" / "index.html" and report.docs_index.is_file()
    results = json.loads(report.results_path.read_text())
    suites = [entry["suite"] for entry in results]
    assert suites[:2] == ["documents", "documents.checks"]
    assert "claims.checks" in suites and "rejects" in suites
    checks = {e["meta"]["check"] for entry in results for e in entry["expectations"]}
    assert {"foreign_key", "span_bounds", "span_text", "element_not_null", "primary_key", "type"} <= checks
    assert sum(len(entry["expectations"]) for entry in results) == report.n_expectations
    assert all(not entry.get("skipped") for entry in results)
    assert report.summary().startswith("validation passed") and str(report.results_path) in report.summary()


def test_each_frame_is_let_go_once_its_table_is_validated_and_none_is_fingerprinted(tmp_path, monkeypatch):
    # GX's data source keeps every frame it validated; one source per validation lets each go, so a
    # suite holds one table's frame at a time instead of all of them.
    import broadsheet.validate.suites as suites

    original, seen, alive, markers = suites._run, [], [], []

    def run(context, stage, name, suite, frame, *rest):
        gc.collect()
        alive.append([seen_name for seen_name, ref in seen if ref() is not None])
        seen.append((name, weakref.ref(frame)))
        result = original(context, stage, name, suite, frame, *rest)
        markers.append(result.meta.get("batch_markers") or {})
        return result

    monkeypatch.setattr(suites, "_run", run)
    report = validate_stage("release", frames(release_rows()), SCHEMAS, tmp_path / "report", cross_table=True)
    assert report.success, report.summary()
    assert len(seen) > 10 and alive == [[]] * len(seen)
    assert markers and not any("pandas_data_fingerprint" in m for m in markers)


def test_a_stage_without_documents_checks_its_own_tables_and_skips_nothing_silently(tmp_path):
    rows = release_rows()
    tables = frames({"claims": rows["claims"], "rejects": rows["rejects"]})
    report = validate_stage("extract", tables, SCHEMAS, tmp_path, cross_table=True, data_docs=False)
    assert report.success, report.summary()
    assert report.docs_index is None and not (tmp_path / "data_docs").exists()
    skipped = {
        (s["column"], s["check"]) for entry in json.loads(report.results_path.read_text()) for s in entry.get("skipped", [])
    }
    assert ("doc_id", "foreign_key") in skipped and ("entity_ids", "foreign_key") in skipped
    assert ("surface", "span") in skipped


# --- every kind of violation, validated in one run ----------------------------------------------


def broken_tables():
    rows = release_rows()
    docs, ents, ments, claims, dates, log = (
        rows[n] for n in ["documents", "entities", "entity_mentions", "claims", "dates", "cleaning_log"]
    )
    docs[1]["language"] = "english"  # pattern
    docs[0]["text_sha256"] = "b" * 64  # a hash of another text (stale after the text changed)
    docs[1]["n_words"] += 1  # a count that disagrees with the text
    ents[2]["canonical_name"] = None  # null in a non-null column
    ments.append(dict(ments[0]))  # duplicate primary key
    ments[2]["surface"] = "Zurich"  # surface differs from the text
    claims[0]["kind"] = "rumour"  # enum
    claims[0]["entity_ids"] = [E_PORT, stable_id("e", "GPE", "atlantis")]  # dangling key inside a list
    claims[1]["confidence"] = 1.5  # out of range
    dates[0]["end_char"] = len(TEXT_1) + 5  # span beyond the text
    dates[1]["claim_id"] = stable_id("c", "nowhere")  # dangling key
    log.append(dict(log[0], raw_end_char=4, removed_text="Shar"))  # duplicate compound key
    tables = frames(rows)
    tables["entities"] = tables["entities"].with_columns(pl.col("n_documents").cast(pl.Float64))  # wrong type
    tables["rejects"] = tables["rejects"].drop("raw_sha256")  # missing column
    return tables


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    report_dir = tmp_path_factory.mktemp("broken")
    return validate_stage("release", broken_tables(), SCHEMAS, report_dir, cross_table=True, data_docs=False)


BAD_ENTITY = stable_id("e", "GPE", "atlantis")


def test_building_each_configuration_once_per_validation_gives_the_same_results(broken, tmp_path, monkeypatch):
    # The broken tables exercise passing and failing expectations of every kind the suites make.
    import contextlib

    from broadsheet.validate import gxkwargs

    monkeypatch.setattr(gxkwargs, "one_configuration_per_validation", contextlib.nullcontext)
    unshared = validate_stage("release", broken_tables(), SCHEMAS, tmp_path, cross_table=True, data_docs=False)
    assert unshared.failures == broken.failures
    assert unshared.results_path.read_text() == broken.results_path.read_text()


@pytest.mark.parametrize(
    ("table", "check", "column", "n_failed", "example", "words"),
    [
        ("documents", "pattern", "language", 1, D2, "'english'"),
        ("documents", "derived", "text_sha256", 1, D1, "sha256(text)"),
        ("documents", "derived", "n_words", 1, D2, "words(text)"),
        ("entities", "not_null", "canonical_name", 1, E_ZURICH, "must not be null"),
        ("entities", "type", "n_documents", 0, None, "float"),
        ("entity_mentions", "primary_key", "mention_id", 2, stable_id("m", D1, span(TEXT_1, "Port Ellis")[0]), "unique"),
        ("entity_mentions", "span_text", "surface", 1, stable_id("m", D2, span(TEXT_2, "Zürich")[0]), "'Zürich' != 'Zurich'"),
        ("claims", "enum", "kind", 1, None, "'rumour'"),
        ("claims", "foreign_key", "entity_ids", 1, None, BAD_ENTITY),
        ("claims", "range", "confidence", 1, None, "[0, 1]"),
        ("dates", "span_bounds", "surface", 1, None, "len(documents.text)"),
        ("dates", "foreign_key", "claim_id", 1, None, "claims.claim_id"),
        ("cleaning_log", "primary_key", None, 2, None, "(doc_id, raw_start_char)"),
        ("rejects", "columns", None, 0, None, "missing raw_sha256"),
    ],
)
def test_each_violation_is_reported_with_table_check_column_count_and_examples(
    broken, table, check, column, n_failed, example, words
):
    assert not broken.success
    matches = [f for f in broken.failures if (f.table, f.check, f.column) == (table, check, column)]
    assert len(matches) == 1, [f.message for f in broken.failures]
    failure = matches[0]
    assert failure.n_failed == n_failed
    prefix = f"{table}.{column} [{check}]" if column else f"{table} [{check}]"
    assert failure.message.startswith(prefix) and words in failure.message, failure.message
    if n_failed:
        assert failure.examples and all(e in failure.message for e in failure.examples)
    if example:
        assert example in failure.examples


def test_examples_of_a_compound_key_name_each_column(broken):
    failure = next(f for f in broken.failures if f.table == "cleaning_log")
    assert failure.examples == (f"doc_id={D1} raw_start_char=0",)


def test_the_summary_lists_every_failure_and_where_the_report_is(broken):
    summary = broken.summary()
    assert summary.startswith(f"validation failed: stage 'release', {len(broken.failures)} of {broken.n_expectations}")
    assert all(f.message in summary for f in broken.failures)
    assert f"report: {broken.results_path}" in summary
    results = json.loads(broken.results_path.read_text())
    failed = [e for entry in results for e in entry["expectations"] if not e["success"]]
    # Checks on a missing column cannot run; they fail too rather than pass unnoticed.
    assert len(failed) == len(broken.failures)
    missing = [f for f in broken.failures if f.table == "rejects" and f.column == "raw_sha256"]
    assert {f.check for f in missing} == {"type", "pattern"}
    assert all(f.message.endswith("could not be checked: the column is missing") for f in missing)


def test_a_valid_run_after_a_failed_one_replaces_its_report(tmp_path):
    rejects = release_rows()["rejects"]
    failed = validate_stage("ingest", frames({"rejects": [dict(rejects[0], reason="gremlins")]}), SCHEMAS, tmp_path)
    assert not failed.success and [f.check for f in failed.failures] == ["enum"]
    assert "gremlins" in failed.failures[0].message
    report = validate_stage("ingest", frames({"rejects": rejects}), SCHEMAS, tmp_path, data_docs=False)
    assert report.success
    assert [entry["success"] for entry in json.loads(report.results_path.read_text())] == [True]
    assert not (tmp_path / "data_docs").exists()


# --- the published tables against the extract stage's record --------------------------------------


def extracted_rows(rows):
    return [
        {
            "doc_id": doc["doc_id"],
            "text_sha256": hashlib.sha256(doc["text"].encode()).hexdigest(),
            "n_mentions": sum(m["doc_id"] == doc["doc_id"] for m in rows["entity_mentions"]),
            "n_claims": sum(c["doc_id"] == doc["doc_id"] for c in rows["claims"]),
            "n_dates": sum(d["doc_id"] == doc["doc_id"] for d in rows["dates"]),
        }
        for doc in rows["documents"]
    ]


def test_tables_that_agree_with_what_was_extracted_pass(tmp_path):
    rows = release_rows()
    rows["extracted"] = extracted_rows(rows)
    report = validate_stage("release", frames(rows), SCHEMAS, tmp_path, cross_table=True, data_docs=False)
    assert report.success, report.summary()
    checks = {e["meta"]["check"] for entry in json.loads(report.results_path.read_text()) for e in entry["expectations"]}
    assert {"counts", "matches", "covered", "derived"} <= checks


def test_rows_lost_after_extraction_a_changed_text_or_a_document_never_extracted_are_refused(tmp_path):
    rows = release_rows()
    rows["extracted"] = extracted_rows(rows)
    rows["claims"] = [c for c in rows["claims"] if c["doc_id"] != D1]  # D1's claim lost on the way
    rows["extracted"][1]["text_sha256"] = "e" * 64  # D2 extracted from another text
    extracted = {r["doc_id"]: r for r in rows["extracted"]}
    rows["dates"] = [d for d in rows["dates"] if d["doc_id"] != D2 or d["claim_id"] is None]
    for d in rows["dates"]:
        d["claim_id"] = d["claim_id"] if any(c["claim_id"] == d["claim_id"] for c in rows["claims"]) else None
    assert extracted[D2]["n_dates"] == 1
    report = validate_stage("release", frames(rows), SCHEMAS, tmp_path, cross_table=True, data_docs=False)
    found = {(f.table, f.check, f.column): f for f in report.failures}
    assert ("extracted", "counts", "n_claims") in found and D1 in found[("extracted", "counts", "n_claims")].message
    assert ("extracted", "matches", "text_sha256") in found
    assert ("extracted", "counts", "n_dates") in found

    # A document with neither a record of its extraction nor an extract-stage reject.
    rows = release_rows()
    rows["extracted"] = [r for r in extracted_rows(rows) if r["doc_id"] != D2]
    report = validate_stage("release", frames(rows), SCHEMAS, tmp_path / "2", cross_table=True, data_docs=False)
    [failure] = report.failures
    assert (failure.table, failure.check) == ("documents", "covered") and D2 in failure.message
    # ... which an extract-stage reject accounts for.
    rows["rejects"].append(
        {
            "reject_id": stable_id("r", "b.md"),
            "source_uri": "b.md",
            "doc_id": D2,
            "source_format": "md",
            "stage": "extract",
            "reason": "too_slow",
            "detail": "stopped",
            "raw_sha256": "a" * 64,
        }
    )
    rows["entity_mentions"] = [m for m in rows["entity_mentions"] if m["doc_id"] != D2]
    report = validate_stage("release", frames(rows), SCHEMAS, tmp_path / "3", cross_table=True, data_docs=False)
    assert report.success, report.summary()


# --- bridge tables -----------------------------------------------------------------------------


def test_bridge_tables_are_built_from_their_list_columns_and_checked_both_ways(tmp_path):
    from broadsheet.frames import unnest

    tables = frames(release_rows())
    for bridge in ("claim_entities", "claim_dates"):
        tables[bridge] = unnest(tables["claims"], SCHEMAS[bridge], SCHEMAS)
    pairs = {(c, e) for c, ids in tables["claims"].select("claim_id", "entity_ids").iter_rows() for e in ids}
    assert set(tables["claim_entities"].iter_rows()) == pairs and len(pairs) == tables["claim_entities"].height > 0
    assert tables["claim_dates"].height == sum(len(ids) for ids in tables["claims"]["date_ids"]) > 0
    report = validate_stage("release", tables, SCHEMAS, tmp_path / "ok", cross_table=True, data_docs=False)
    assert report.success, report.summary()
    checks = {e["meta"]["check"] for entry in json.loads(report.results_path.read_text()) for e in entry["expectations"]}
    assert {"unnests", "unnested"} <= checks

    # A row lost from the bridge, and a row the list does not hold: each named.
    broken = dict(tables)
    claim, entity = tables["claim_entities"].row(0)
    other_claim = next(c for c in tables["claims"]["claim_id"] if c != claim)
    broken["claim_entities"] = pl.concat(
        [tables["claim_entities"].slice(1), pl.DataFrame({"claim_id": [other_claim], "entity_id": [entity]})]
    )
    report = validate_stage("release", broken, SCHEMAS, tmp_path / "broken", cross_table=True, data_docs=False)
    found = {(f.table, f.check, f.column): f for f in report.failures}
    assert claim in found[("claims", "unnested", "entity_ids")].message
    assert f"({other_claim}, {entity})" in found[("claim_entities", "unnests", "entity_id")].message


def test_a_bridge_must_be_two_key_columns_over_a_list_column():
    from broadsheet.schema import SchemaError, bridge_columns

    bridge = SCHEMAS["claim_entities"]
    assert bridge_columns(bridge, SCHEMAS) == ("claim_id", "claim_id", "entity_id", "entity_ids")
    for unnests in ("claims.doc_id", "claims.date_ids", "documents.authors"):
        with pytest.raises(SchemaError, match="unnests"):
            bridge_columns(dataclasses.replace(bridge, unnests=unnests), SCHEMAS)
