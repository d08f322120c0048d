"""End-to-end runs of the Prefect flows through the `broadsheet run` command.

These pay Prefect's start-up once per module (a temporary server), so the pipeline's behaviour
as a whole is tested here and everything else is tested on the library directly.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

import broadsheet.extract.rows as extract_stage
from broadsheet import workers
from broadsheet.cli import main
from broadsheet.extract import cached as extract_cached
from broadsheet.flows import clean as clean_flow_module
from broadsheet.flows import extract as extract_flow_module
from broadsheet.ingest import ingest_sources
from tests.repo import SEEDS_DIR

pytestmark = pytest.mark.flow

RELEASE_TABLES = [
    "documents",
    "entities",
    "entity_mentions",
    "claims",
    "dates",
    "claim_entities",
    "claim_dates",
    "cleaning_log",
    "rejects",
]
JAN_1_2026 = "1767225600"


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module", autouse=True)
def small_batches_of_recognition():
    # Two texts make a batch, so that a build in worker processes shares the seeds out in several
    # chunks (a text's mentions do not depend on its batch: tests/entities/test_entities_tagger.py).
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract_cached, "RECOGNITION_BATCH", 2)
        yield


@pytest.fixture(autouse=True)
def fixed_release_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_1_2026)


def run(out: Path, build: Path, *sources: Path, workers: int = 1) -> int:
    args = ["run", "--out", str(out), "--build", str(build), "--workers", str(workers)]
    for source in sources:
        args += ["--source", str(source)]
    return main(args)


def sources_file(folder: Path, seeds: Path, *more: Path) -> Path:
    """A sources file naming `seeds` as the repository's sources.yaml names seeds/ (with its text
    licence, so the documents equal seed_release's), then `more` folders."""
    entries = [{"name": "seeds", "kind": "folder", "path": str(seeds), "license": "CC0-1.0"}]
    entries += [{"name": extra.name, "kind": "folder", "path": str(extra)} for extra in more]
    path = folder / "sources.yaml"
    path.write_text(json.dumps({"sources": entries}))
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def seed_release(tmp_path_factory, prefect_server):
    """One release built from seeds/, shared by the tests that need a previous release."""
    root = tmp_path_factory.mktemp("seed-release")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", JAN_1_2026)
        assert run(root / "dist", root / "build") == 0
    return root / "dist"


def test_seeds_build_a_complete_release_and_rebuild_identically(seed_release, tmp_path, capsys, monkeypatch):
    out_a = tmp_path / "dist_a"
    shutil.copytree(seed_release, out_a)
    out_b = tmp_path / "dist_b"
    latest = json.loads((out_a / "latest.json").read_text())
    release = out_a / latest["path"]
    for table in RELEASE_TABLES:
        assert (release / f"{table}.parquet").is_file()
    for name in [
        "manifest.json",
        "datapackage.json",
        "README.md",
        "diff.json",
        "validation/validation_results.json",
        "validation/data_docs/index.html",
    ]:
        assert (release / name).is_file(), name
    index = json.loads((out_a / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == [latest["version"]]

    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["version"] == latest["version"]
    assert set(manifest["tables"]) == set(RELEASE_TABLES)
    for entry in manifest["files"]:
        assert hashlib.sha256((release / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]
    assert manifest["tables"]["documents"]["rows"] == len(ingest_sources([SEEDS_DIR]).records)
    for table in ["entities", "entity_mentions", "claims", "dates"]:
        assert manifest["tables"][table]["rows"] > 0, table

    # A second build from the same inputs, elsewhere: same version, byte-identical tables.
    assert run(out_b, tmp_path / "build_b") == 0
    latest_b = json.loads((out_b / "latest.json").read_text())
    assert latest_b["version"] == latest["version"]
    for table in RELEASE_TABLES:
        assert (release / f"{table}.parquet").read_bytes() == (out_b / latest_b["path"] / f"{table}.parquet").read_bytes()

    # And one in two worker processes (every document is worth a worker here, so the seeds are
    # shared out in several chunks): the same release, byte for byte.
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 1)
    out_c = tmp_path / "dist_c"
    assert run(out_c, tmp_path / "build_c", workers=2) == 0
    latest_c = json.loads((out_c / "latest.json").read_text())
    assert latest_c["version"] == latest["version"]
    assert snapshot(out_c / latest_c["path"]) == snapshot(release)

    # Building again into the first folder publishes nothing new.
    before = snapshot(out_a)
    capsys.readouterr()
    assert run(out_a, tmp_path / "build_a") == 0
    assert "nothing new was published" in capsys.readouterr().out
    assert snapshot(out_a) == before


def test_a_new_article_shows_in_the_next_release_diff_as_one_added_document(seed_release, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(seed_release, out)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "harbour.txt").write_text(
        "Storm closes harbour\n\nThe harbour at Port Ellis was closed on Monday after a storm damaged the main pier, "
        "the port authority said.\n"
    )
    assert run(out, tmp_path / "build", sources_file(tmp_path, SEEDS_DIR, extra)) == 0
    latest = json.loads((out / "latest.json").read_text())
    diff = json.loads((out / latest["path"] / "diff.json").read_text())
    documents = diff["tables"]["documents"]
    assert (documents["added"]["count"], documents["removed"]["count"], documents["changed"]["count"]) == (1, 0, 0)
    assert documents["added"]["examples"] == [{"doc_id": ingest_sources([extra]).records[0].doc_id}]
    index = json.loads((out / "index.json").read_text())
    assert len(index["releases"]) == 2


def _release(dist: Path) -> Path:
    return dist / json.loads((dist / "latest.json").read_text())["path"]


def _ids(release: Path, table: str, key: str, docs: set[str]) -> dict[str, str]:
    frame = pl.read_parquet(release / f"{table}.parquet").filter(pl.col("doc_id").is_in(sorted(docs)))
    column = "entity_id" if table == "entity_mentions" else key
    return dict(zip(frame[key].to_list(), frame[column].to_list(), strict=True))


def test_a_refresh_reprocesses_only_what_changed_and_publishes_what_a_fresh_build_would(
    seed_release, tmp_path, monkeypatch, capsys
):
    import broadsheet.entities.recognizer as recognizer_module

    seeds = tmp_path / "seeds"  # a copy: same source names, so the same doc ids as seed_release
    shutil.copytree(SEEDS_DIR, seeds)
    out, build = tmp_path / "dist", tmp_path / "build"
    shutil.copytree(seed_release, out)
    n = len(ingest_sources([seeds]).records)
    listed = sources_file(tmp_path, seeds)

    # The first run in this build folder processes everything; its content is seed_release's.
    capsys.readouterr()
    assert run(out, build, listed) == 0
    printed = capsys.readouterr().out
    assert f"clean: {n} processed, 0 reused; extract: {n} processed, 0 reused" in printed
    assert "nothing new was published" in printed

    # Nothing new: the run stops after ingest (the previous run recorded what its inputs give), so
    # no stage after it runs and the model is never loaded; every document counts as reused.
    def no_model(*args, **kwargs):
        raise AssertionError("the entity model was loaded although no document changed")

    def no_stage(*args, **kwargs):
        raise AssertionError("a stage ran although nothing changed")

    with monkeypatch.context() as mp:
        mp.setattr(recognizer_module, "load_recognizer", no_model)
        for module in (clean_flow_module, extract_flow_module):
            mp.setattr(module, f"{module.__name__.rsplit('.', 1)[1]}_stage", no_stage)
        before = snapshot(out)
        assert run(out, build, listed) == 0
        printed = capsys.readouterr().out
        assert f"clean: 0 processed, {n} reused; extract: 0 processed, {n} reused" in printed
        assert "nothing new was published" in printed
        assert snapshot(out) == before

    # One article added: only it is processed, and the diff lists exactly it.
    fresh_out = tmp_path / "dist-fresh"
    shutil.copytree(out, fresh_out)
    (seeds / "012-harbour-closed-after-storm.txt").write_text(
        "Storm closes harbour\n\nThe harbour at Port Ellis was closed on Monday after a storm damaged the main pier, "
        "the port authority said. Mayor Dana Whitfield said repairs would take until March.\n"
    )
    added = next(r.doc_id for r in ingest_sources([seeds]).records if r.source_uri.endswith("012-harbour-closed-after-storm.txt"))
    assert run(out, build, listed) == 0
    assert f"clean: 1 processed, {n} reused; extract: 1 processed, {n} reused" in capsys.readouterr().out
    release = _release(out)
    diff = json.loads((release / "diff.json").read_text())
    documents = diff["tables"]["documents"]
    assert (documents["added"]["count"], documents["removed"]["count"], documents["changed"]["count"]) == (1, 0, 0)
    assert documents["added"]["examples"] == [{"doc_id": added}]

    # Right after that publication, the same inputs are nothing new, again without any stage.
    with monkeypatch.context() as mp:
        for module in (clean_flow_module, extract_flow_module):
            mp.setattr(module, f"{module.__name__.rsplit('.', 1)[1]}_stage", no_stage)
        before = snapshot(out)
        assert run(out, build, listed) == 0
        assert "nothing new was published" in capsys.readouterr().out
        assert snapshot(out) == before

    # Old documents keep their entity, claim and date ids.
    old = {r.doc_id for r in ingest_sources([SEEDS_DIR]).records}
    previous = _release(seed_release)
    for table, key in [("entity_mentions", "mention_id"), ("claims", "claim_id"), ("dates", "date_id")]:
        assert _ids(release, table, key, old) == _ids(previous, table, key, old), table

    # The same refresh with an empty cache publishes byte-identical tables and diff.
    assert run(fresh_out, tmp_path / "build-fresh", listed) == 0
    assert f"clean: {n + 1} processed, 0 reused" in capsys.readouterr().out
    fresh_release = _release(fresh_out)
    assert fresh_release.name == release.name
    for name in [f"{t}.parquet" for t in RELEASE_TABLES] + ["diff.json"]:
        assert (fresh_release / name).read_bytes() == (release / name).read_bytes(), name

    # The removal rule: a file deleted from a folder source leaves the next release; the diff
    # lists it as removed, and the earlier releases keep it.
    gone = next(p for p in sorted(seeds.iterdir()) if p.suffix == ".txt")
    gone_id = next(r.doc_id for r in ingest_sources([seeds]).records if r.source_uri.endswith(gone.name))
    gone.unlink()
    assert run(out, build, listed) == 0
    assert "clean: 0 processed" in capsys.readouterr().out
    documents = json.loads((_release(out) / "diff.json").read_text())["tables"]["documents"]
    assert (documents["added"]["count"], documents["removed"]["count"]) == (0, 1)
    assert documents["removed"]["examples"] == [{"doc_id": gone_id}]
    assert gone_id in pl.read_parquet(release / "documents.parquet")["doc_id"].to_list()
    assert gone_id not in pl.read_parquet(_release(out) / "documents.parquet")["doc_id"].to_list()


def test_bad_inputs_are_listed_and_the_run_goes_on(tmp_path, capsys):
    sources = tmp_path / "inbox"
    sources.mkdir()
    (sources / "good.txt").write_text(
        "Storm closes harbour\n\nThe harbour at Port Ellis was closed on Monday after a storm damaged the main pier, "
        "the port authority said. Ferries will resume on Thursday, officials said.\n"
    )
    (sources / "broken.json").write_text('{"text": "unterminated')
    (sources / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (sources / "notes.docx").write_bytes(b"PK\x03\x04")
    assert run(tmp_path / "dist", tmp_path / "build", sources) == 0
    out = capsys.readouterr().out
    assert "1 documents, 3 rejected inputs" in out
    for name in ["broken.json", "picture.txt", "notes.docx"]:
        assert f"inbox/{name}" in out


def test_a_run_with_no_document_publishes_nothing_and_fails(tmp_path, capsys):
    # A folder that exists but holds nothing that can become a document (a run whose sources do
    # not exist at all stops before it starts: tests/test_cli_feedback.py).
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "blank.txt").write_text("   \n")
    assert run(tmp_path / "dist", tmp_path / "build", inbox) == 1
    captured = capsys.readouterr()
    assert "blank.txt" in captured.out and "nothing was published" in captured.err
    assert not (tmp_path / "dist" / "latest.json").exists()


def _corrupting(mutate):
    real = extract_stage.extract_document

    def corrupted(*args):
        rows = real(*args)
        mutate(rows.claims, rows.dates)
        return rows

    return corrupted


def _latest_run_artifact() -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["broadsheet-run"])))
    return max(artifacts, key=lambda a: a.created).data


def _shift_first_date(claims, dates):
    if dates:
        dates[0]["start_char"] += 1
        dates[0]["end_char"] += 1


def _dangling_claim_link(claims, dates):
    if dates:
        dates[0]["claim_id"] = "c_0000000000000000"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [(_shift_first_date, "span"), (_dangling_claim_link, "claims.claim_id")],
    ids=["span-mismatch", "dangling-foreign-key"],
)
def test_corrupted_stage_output_is_refused_and_the_previous_release_untouched(
    seed_release, tmp_path, monkeypatch, capsys, mutate, expected
):
    out = tmp_path / "dist"
    shutil.copytree(seed_release, out)
    before = snapshot(out)

    monkeypatch.setattr(extract_stage, "extract_document", _corrupting(mutate))
    capsys.readouterr()
    assert run(out, tmp_path / "build") == 1
    err = capsys.readouterr().err
    assert "validation failed" in err and expected in err
    assert "report" in err
    assert snapshot(out) == before
    # The run's Prefect artifact tells the same story as the terminal.
    artifact = _latest_run_artifact()
    assert "Validation failed at stage `" in artifact and "nothing was published" in artifact and expected in artifact
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


def test_seed_claims_have_speakers_hedges_links_and_the_date_conflict(seed_release):
    import polars as pl

    release = seed_release / json.loads((seed_release / "latest.json").read_text())["path"]
    claims = pl.read_parquet(release / "claims.parquet")
    dates = pl.read_parquet(release / "dates.parquet")
    entities = pl.read_parquet(release / "entities.parquet")

    # Every quoted statement has its speaker, named or described; a surname ("Sarkisov said") is
    # linked to the entity its full name is.
    quotes = claims.filter(pl.col("kind") == "direct_quote")
    assert quotes.height >= 10 and quotes["claimant_text"].null_count() == 0
    names = dict(zip(entities["entity_id"], entities["canonical_name"], strict=True))
    speakers = (
        set(quotes["claimant_text"])
        | set(quotes["claimant_resolved_text"].drop_nulls())
        | {names[e] for e in quotes["claimant_entity_id"].drop_nulls()}
    )
    for name in [
        "Dana Whitfield",
        "Farhad Mahmoudi",
        "Karim Nassar",
        "a Russian diplomat",
        "Ilya Sarkisov",
        "one senior official",
        "Nicole Barrett",
        "Rachel Oduya",
        "Mikhail Dorin",
        "Lenski",
    ]:
        assert name in speakers, name

    def claim(fragment: str) -> dict:
        (row,) = claims.filter(pl.col("surface").str.contains(fragment, literal=True)).iter_rows(named=True)
        return row

    # Hedged predictions carry their cue words; reported speech keeps speaker and cue.
    likely = claim("Moscow was likely to press for an emergency meeting")
    assert (likely["modality"], likely["claimant_text"], likely["cue_text"]) == ("hedged", "Dorin", "said")
    assert "likely" in likely["modality_cues"]

    # The false "summer of 2014" and the "2015" of another article point at each other as a date conflict.
    early = claim("came in the summer of 2014")
    entered = claim("Russia entered the Syrian war in 2015")
    assert early["doc_id"] != entered["doc_id"] and early["cluster_id"] == entered["cluster_id"]
    assert entered["claim_id"] in early["conflicting_claim_ids"] and early["claim_id"] in entered["conflicting_claim_ids"]
    assert early["conflict_kinds"] == ["date"] == entered["conflict_kinds"]
    # Every article that dates the entry to 2015 contradicts the 2014 claim, not only the one
    # whose wording matches it most closely.
    for fragment in ["entry into Syria in September 2015", "since it entered the Syrian war in 2015"]:
        other = claim(fragment)
        assert other["claim_id"] in early["conflicting_claim_ids"] and early["claim_id"] in other["conflicting_claim_ids"]
    assert claims.filter(pl.col("claim_id").is_in(early["conflicting_claim_ids"]))["doc_id"].n_unique() == 3
    assert early["claimant_text"] == "Viktor Lenski" and early["cue_text"] == "according to"

    # Claims link to the dates and entities inside them.
    (summer,) = dates.filter(pl.col("claim_id") == early["claim_id"]).iter_rows(named=True)
    assert summer["surface"] == "the summer of 2014" and early["date_ids"] == [summer["date_id"]]
    names = set(entities.filter(pl.col("entity_id").is_in(early["entity_ids"]))["canonical_name"])
    assert {"Russia", "Syria"} <= names
    # The two copies of one story restate each other's claims.
    copies = claims.filter(pl.col("surface").str.starts_with("The Pentagon is sending about 3,000"))
    assert copies.height == 2 and copies["cluster_id"].n_unique() == 1 and copies["doc_id"].n_unique() == 2
