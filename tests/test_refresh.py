"""Incremental refresh on the library, without Prefect: cache keys, reuse, and stable ids."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import broadsheet.entities.recognizer as recognizer_module
from broadsheet import progress
from broadsheet.clean.cached import clean_documents
from broadsheet.clean.documents import build_documents
from broadsheet.doccache import inputs as cache_module
from broadsheet.doccache.codec import Codec
from broadsheet.doccache.inputs import content_key, fingerprint
from broadsheet.doccache.store import DocumentCache
from broadsheet.entities.canonical import id_registry
from broadsheet.extract.cached import extract_documents
from broadsheet.ingest import ingest_sources
from broadsheet.ingest.stage import ingested_row
from broadsheet.report import RunSummary, run_report_markdown, work_line
from tests.repo import PACKAGE_DIR, SEEDS_DIR

ADDED = (
    "Obama adviser recalls 2011 talks\n\n"
    "Barrack Obama spoke with aides about Iran in 2011, a former adviser said on Tuesday. "
    "Barrack Obama wanted a deal, the adviser said. Later, Barrack Obama met envoys in Geneva. "
    "Critics said Barrack Obama moved too slowly.\n"
)


def _records(*sources: Path) -> list[dict]:
    return [ingested_row(r) for r in ingest_sources(list(sources)).records]


def _sorted(rows: list[dict], *key: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    return _records(SEEDS_DIR)


@pytest.fixture(scope="module")
def seed_documents(seed_records) -> list[dict]:
    return build_documents(seed_records).documents


@pytest.fixture(scope="module")
def added_documents(tmp_path_factory) -> list[dict]:
    extra = tmp_path_factory.mktemp("extra")
    (extra / "obama.txt").write_text(ADDED)
    return build_documents(_records(SEEDS_DIR, extra)).documents


def test_cached_cleaning_equals_a_build_from_nothing(seed_records, tmp_path):
    expected = build_documents(seed_records)
    cache = DocumentCache(tmp_path, "clean", "f" * 64)
    cold = clean_documents(seed_records, cache)
    assert (cache.stats.processed, cache.stats.reused) == (len(seed_records), 0)
    warm_cache = DocumentCache(tmp_path, "clean", "f" * 64)
    warm = clean_documents(seed_records, warm_cache)
    assert (warm_cache.stats.processed, warm_cache.stats.reused) == (0, len(seed_records))
    for got in (cold, warm):
        assert _sorted(got.documents, "doc_id") == _sorted(expected.documents, "doc_id")
        assert _sorted(got.cleaning_log, "doc_id", "raw_start_char") == _sorted(expected.cleaning_log, "doc_id", "raw_start_char")
        assert _sorted(got.rejects, "doc_id", "reason") == _sorted(expected.rejects, "doc_id", "reason")


def test_duplicates_are_decided_over_the_whole_corpus_not_per_cached_document(seed_records, tmp_path):
    # The copy is new, its original comes from the cache: still rejected as a duplicate, and the
    # near-duplicate clusters are those of a build from nothing.
    cache = DocumentCache(tmp_path, "clean", "f" * 64)
    clean_documents(seed_records, cache)
    copy = {**seed_records[0], "doc_id": "d_zzzzzzzzzzzzzzzz", "source_uri": "copy/" + seed_records[0]["source_uri"]}
    again = DocumentCache(tmp_path, "clean", "f" * 64)
    got = clean_documents([*seed_records, copy], again)
    expected = build_documents([*seed_records, copy])
    assert [r["reason"] for r in got.rejects] == ["duplicate_content"]
    assert _sorted(got.documents, "doc_id") == _sorted(expected.documents, "doc_id")
    assert (again.stats.processed, again.stats.reused) == (1, len(seed_records))


def test_cached_extraction_gives_the_same_rows_and_never_loads_the_model(seed_documents, tmp_path):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    fresh = extract_documents(seed_documents)
    cold = extract_documents(seed_documents, cache)
    assert cache.stats.processed == len(seed_documents)

    def no_model():
        raise AssertionError("the model was loaded although every document was in the cache")

    warm_cache = DocumentCache(tmp_path, "extract", "e" * 64)
    warm = extract_documents(seed_documents, warm_cache, load_recognizer=no_model)
    assert (warm_cache.stats.processed, warm_cache.stats.reused) == (0, len(seed_documents))
    for got in (cold, warm):
        for table in ("entities", "entity_mentions", "claims", "dates", "rejects"):
            assert getattr(got, table) == getattr(fresh, table), table


def test_adding_an_article_processes_only_it_and_renumbers_no_entity_or_claim(seed_documents, added_documents, tmp_path):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    before = extract_documents(seed_documents, cache)
    registry = id_registry(before.entities)

    after_cache = DocumentCache(tmp_path, "extract", "e" * 64)
    after = extract_documents(added_documents, after_cache, previous_entities=registry)
    assert (after_cache.stats.processed, after_cache.stats.reused) == (1, len(seed_documents))

    old_docs = {d["doc_id"] for d in seed_documents}
    entity_before = {m["mention_id"]: m["entity_id"] for m in before.entity_mentions}
    entity_after = {m["mention_id"]: m["entity_id"] for m in after.entity_mentions if m["doc_id"] in old_docs}
    assert entity_after == entity_before
    claims_before = [(c["claim_id"], c["surface"]) for c in before.claims]
    assert [(c["claim_id"], c["surface"]) for c in after.claims if c["doc_id"] in old_docs] == claims_before
    dates_before = [d["date_id"] for d in before.dates]
    assert [d["date_id"] for d in after.dates if d["doc_id"] in old_docs] == dates_before

    # The added article makes "Barrack Obama" the commoner spelling, so without the registry the
    # canonical name, and with it the content-derived id, would change: the registry is what
    # keeps the id.
    obama_before = next(e for e in before.entities if "Barack Obama" in e["aliases"])
    obama_after = next(e for e in after.entities if "Barack Obama" in e["aliases"])
    assert obama_after["entity_id"] == obama_before["entity_id"]
    unpinned = extract_documents(added_documents, DocumentCache(tmp_path, "extract", "e" * 64))
    obama_unpinned = next(e for e in unpinned.entities if "Barack Obama" in e["aliases"])
    assert obama_unpinned["canonical_name"] != obama_before["canonical_name"]
    assert obama_unpinned["entity_id"] != obama_before["entity_id"]


def test_a_missing_model_stops_extraction_instead_of_rejecting_every_document(seed_documents, tmp_path):
    def missing():
        raise FileNotFoundError("no trained entity model")

    with pytest.raises(FileNotFoundError):
        extract_documents(seed_documents, DocumentCache(tmp_path, "extract", "e" * 64), load_recognizer=missing)


def test_a_changed_text_or_anchor_is_processed_again(seed_documents, tmp_path):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    extract_documents(seed_documents, cache)
    edited = [dict(d) for d in seed_documents]
    edited[0]["text"] = edited[0]["text"] + "\nA correction was appended on Friday."
    edited[1]["published_date"] = None
    edited[1]["published_date_source"] = "unknown"
    edited[1]["published_date_confidence"] = 0.0
    again = DocumentCache(tmp_path, "extract", "e" * 64)
    extract_documents(edited, again)
    assert (again.stats.processed, again.stats.reused) == (2, len(seed_documents) - 2)


def test_fingerprint_follows_code_rules_and_library_versions(tmp_path):
    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "rules.yaml").write_text("a: 1\n")
    (package / "step.py").write_text("X = 1\n")
    base = fingerprint(["rules", "step.py"], ["pyyaml"], package_dir=package)
    assert fingerprint(["rules", "step.py"], ["pyyaml"], package_dir=package) == base
    (package / "rules" / "__pycache__").mkdir()
    (package / "rules" / "__pycache__" / "step.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint(["rules", "step.py"], ["pyyaml"], package_dir=package) == base
    (package / "rules" / "rules.yaml").write_text("a: 2\n")
    ruled = fingerprint(["rules", "step.py"], ["pyyaml"], package_dir=package)
    assert ruled != base
    assert fingerprint(["rules", "step.py"], ["pyyaml", "pytest"], package_dir=package) != ruled
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.bin").write_bytes(b"\1\2")
    with_model = fingerprint(["rules", "step.py"], ["pyyaml"], [model], package_dir=package)
    (model / "weights.bin").write_bytes(b"\1\3")
    assert fingerprint(["rules", "step.py"], ["pyyaml"], [model], package_dir=package) != with_model
    with pytest.raises(FileNotFoundError):
        fingerprint(["no-such-module.py"], package_dir=package)


@pytest.mark.parametrize(
    ("module", "inputs"),
    [("broadsheet.clean.documents", cache_module.CLEAN_INPUTS), ("broadsheet.extract.rows", cache_module.EXTRACT_INPUTS)],
    ids=["clean", "extract"],
)
def test_fingerprint_inputs_cover_every_module_the_step_imports(module, inputs):
    """A module missing from the list would let its edits slip past the cache."""
    script = (
        "import json, sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items())"
        " if n.split('.')[0] == 'broadsheet' and getattr(m, '__file__', None))))"
    )
    files = json.loads(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout)
    covered = [PACKAGE_DIR / rel for rel in inputs]
    missing = [f for f in files if not any(Path(f) == c or c in Path(f).parents for c in covered)]
    assert not missing


@dataclass(frozen=True)
class _Value:
    name: str


VALUE = Codec(_Value)


def test_cache_entries_are_checked_and_old_fingerprints_pruned(tmp_path):
    old = DocumentCache(tmp_path, "extract", "a" * 64)
    old.put(content_key({"text": "x"}), _Value("old"), VALUE)
    new = DocumentCache(tmp_path, "extract", "b" * 64)
    key = content_key({"text": "x"})
    assert new.get(key, VALUE) is None  # another fingerprint's entry is never read
    new.put(key, _Value("new"), VALUE)
    assert new.get(key, VALUE) == _Value("new")
    new._path(key).write_bytes(b"truncated")
    assert new.get(key, VALUE) is None
    assert not new._path(key).exists() and new.stats.evicted == 1
    assert new.lookup(key, lambda: _Value("again"), VALUE) == _Value("again")
    assert new.prune_other_fingerprints() == [old.directory]
    assert not old.directory.exists() and new.directory.is_dir()


def test_content_key_is_canonical():
    import datetime as dt

    a = content_key({"b": 1, "a": dt.date(2020, 1, 3), "c": ["x"]})
    assert a == content_key({"c": ("x",), "a": dt.date(2020, 1, 3), "b": 1})
    assert a != content_key({"b": 1, "a": dt.date(2020, 1, 4), "c": ["x"]})


def test_progress_reports_every_document_and_how_many_were_reused(seed_records, tmp_path):
    import io

    from rich.console import Console

    stream = io.StringIO()
    bar = progress.RichReporter(Console(file=stream, force_terminal=True, width=100))
    previous = progress.set_reporter(bar)
    try:
        with bar:
            cache = DocumentCache(tmp_path, "clean", "f" * 64)
            clean_documents(seed_records, cache)
            clean_documents(seed_records, DocumentCache(tmp_path, "clean", "f" * 64))
    finally:
        progress.set_reporter(previous)
    n = len(seed_records)
    assert f"{n}/{n}" in stream.getvalue()
    assert f"({n} from cache)" in stream.getvalue()


def test_run_report_says_what_was_processed_and_reused():
    work = {"clean": {"processed": 1, "reused": 10}, "extract": {"processed": 1, "reused": 10}}
    assert work_line(work) == "clean: 1 processed, 10 reused; extract: 1 processed, 10 reused"
    published = run_report_markdown(RunSummary("published", "2026.01.01-abcdef12", "/d", 11, (), work))
    assert "Published release `2026.01.01-abcdef12`" in published and "| extract | 1 | 10 |" in published
    unchanged = run_report_markdown(RunSummary("unchanged", "2026.01.01-abcdef12", None, 11, (), work))
    assert unchanged.splitlines()[2].startswith("Nothing new")
    rows = {"documents": 11, "claims": 40}
    counted = run_report_markdown(RunSummary("published", "2026.01.01-abcdef12", "/d/v", 11, (), work, (), rows))
    assert "| documents | 11 |" in counted and "| claims | 40 |" in counted and "`/d/v/report.html`" in counted
    assert "report.html" not in unchanged


def test_a_failed_validation_leaves_an_artifact_with_the_failing_checks_and_rows():
    from broadsheet.report import failed_report_markdown
    from broadsheet.validate.suites import Failure, ValidationReport

    failure = Failure("dates", "span", "text", 2, ("d_01", "d_02"), "dates.text: 2 rows differ from their span | text")
    report = ValidationReport("release", False, (failure,), 120, Path("/b/results.json"), None)
    markdown = failed_report_markdown(report)
    assert "Validation failed at stage `release`: nothing was published" in markdown
    assert "1 of 120 expectations failed" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| dates |"))
    # The message's own "|" cannot break the table.
    assert row.count("|") == 7 and "`d_01`, `d_02`" in row and "| 2 |" in row
    assert "`/b/results.json`" in markdown


def test_the_shipped_model_is_part_of_the_extract_fingerprint():
    assert recognizer_module.DEFAULT_MODEL_DIR.is_dir()
    assert cache_module.extract_fingerprint() != cache_module.fingerprint(
        cache_module.EXTRACT_INPUTS, cache_module.EXTRACT_LIBRARIES
    )


def test_a_record_stopped_by_its_time_budget_is_not_cached_but_tried_again(seed_records, tmp_path, monkeypatch):
    import broadsheet.clean.documents as documents

    real = documents.clean_text
    stalled = seed_records[0]["raw_text"]

    def clean_text(text, source_format, **options):
        if text == stalled:
            while True:
                pass
        return real(text, source_format, **options)

    monkeypatch.setattr(documents, "clean_text", clean_text)
    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "0.2")
    first = clean_documents(seed_records[:2], DocumentCache(tmp_path, "clean", "f" * 64))
    assert [r["reason"] for r in first.rejects] == ["too_slow"]
    monkeypatch.setattr(documents, "clean_text", real)  # the machine is idle again
    again_cache = DocumentCache(tmp_path, "clean", "f" * 64)
    again = clean_documents(seed_records[:2], again_cache)
    assert again.rejects == [] and len(again.documents) == 2
    assert (again_cache.stats.processed, again_cache.stats.reused) == (1, 1)
