"""One build over a generated corpus of hostile inputs together with good articles.

Every hostile input must end as a document that passes the release suite or as a rejects row
with a reason code; none may be lost, crash the build or stall it (a document past its time
budget is a `too_slow` reject). The good articles' rows must be the same as in a build of them
alone. The build runs the library's stages (what the flows call), without Prefect.

About half a minute (two builds, one with a 5 MB line stopped by its budget): `-m reliability`,
which `.ci/run` runs.
"""

from __future__ import annotations

import os

import polars as pl
import pytest

from broadsheet.ingest.sources import printable_name
from tests.hostile import build_release_tables, copy_good_articles, write_hostile_corpus

pytestmark = pytest.mark.reliability

# Small enough that the 5 MB line is stopped quickly on any machine, large enough for every
# ordinary input many times over.
BUDGET_S = "2"

# Columns whose values are decided over the whole corpus, not per document: a near copy joins its
# original's near-duplicate cluster, and entity ids and claim clusters are shared across articles.
# Every other column of a good article's rows must be the same with the hostile inputs present.
CORPUS_LEVEL = {
    "documents": {"duplicate_cluster_id"},
    "entity_mentions": {"entity_id"},
    "claims": {"cluster_id", "conflicting_claim_ids", "conflict_kinds", "entity_ids", "claimant_entity_id"},
}
PER_DOCUMENT_TABLES = ("documents", "cleaning_log", "entity_mentions", "claims", "dates")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-build")
    good = copy_good_articles(base / "good")
    kinds = write_hostile_corpus(base / "hostile", good)
    saved = os.environ.get("BROADSHEET_DOCUMENT_BUDGET_S")
    os.environ["BROADSHEET_DOCUMENT_BUDGET_S"] = BUDGET_S
    try:
        alone = build_release_tables([good], base / "alone")
        together = build_release_tables([good, base / "hostile"], base / "together")
    finally:
        if saved is None:
            os.environ.pop("BROADSHEET_DOCUMENT_BUDGET_S", None)
        else:
            os.environ["BROADSHEET_DOCUMENT_BUDGET_S"] = saved
    return base, kinds, alone, together


def _outcomes(tables: dict[str, pl.DataFrame]) -> dict[str, list[tuple[str, str | None]]]:
    """source uri (without a '#record' suffix) → [("document", None) | ("reject", reason)]."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for uri in tables["documents"]["source_uri"].to_list():
        out.setdefault(uri.split("#", 1)[0], []).append(("document", None))
    for uri, reason in tables["rejects"].select("source_uri", "reason").iter_rows():
        out.setdefault(uri.split("#", 1)[0], []).append(("reject", reason))
    return out


def test_the_corpus_has_at_least_sixty_kinds_of_hostile_input(builds):
    _, kinds, _, _ = builds
    assert len({k.name for k in kinds}) >= 60


def test_the_build_with_hostile_inputs_passes_the_release_suite(builds):
    _, _, _, (tables, report) = builds
    assert report.success, report.summary()
    assert tables["documents"].height > 11  # the good articles and the hostile inputs that are fine


def test_every_hostile_input_is_a_document_or_a_reject_with_a_reason(builds):
    _, kinds, _, (tables, _) = builds
    outcomes = _outcomes(tables)
    wrong = []
    for kind in kinds:
        for path in kind.paths:
            got = outcomes.get(path)
            if not got:
                wrong.append(f"{kind.name}: {path!r} is neither a document nor a reject (lost)")
                continue
            kinds_got = {k for k, _ in got}
            reasons = {r for k, r in got if k == "reject"}
            if kind.outcome == "document" and kinds_got != {"document"}:
                wrong.append(f"{kind.name}: expected a document, got {got}")
            elif kind.outcome == "reject" and (kinds_got != {"reject"} or (kind.reasons and not reasons <= kind.reasons)):
                wrong.append(f"{kind.name}: expected a reject ({sorted(kind.reasons)}), got {got}")
            elif (
                kind.outcome == "either"
                and "reject" in kinds_got
                and kind.reasons
                and not reasons <= kind.reasons | {"duplicate_content"}
            ):
                wrong.append(f"{kind.name}: rejected for an unexpected reason: {got}")
    assert not wrong, "\n".join(wrong)


def test_nothing_in_the_hostile_folder_is_passed_over_silently(builds):
    base, _, _, (tables, _) = builds
    outcomes = _outcomes(tables)
    folder = base / "hostile"
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        uri = printable_name(path.relative_to(base).as_posix())  # as the walk names it
        assert uri in outcomes, f"{uri} was passed over"


def test_the_good_articles_rows_are_those_of_a_build_of_them_alone(builds):
    _, _, (alone, alone_report), (together, _) = builds
    assert alone_report.success, alone_report.summary()
    good_ids = alone["documents"]["doc_id"].to_list()
    assert len(good_ids) >= 10
    for table in PER_DOCUMENT_TABLES:
        drop = sorted(CORPUS_LEVEL.get(table, set()))
        a = alone[table].filter(pl.col("doc_id").is_in(good_ids)).drop(drop)
        b = together[table].filter(pl.col("doc_id").is_in(good_ids)).drop(drop)
        assert a.height > 0 or table == "cleaning_log"
        assert a.equals(b), f"{table}: the good articles' rows changed when hostile inputs were added"
    assert alone["rejects"].height == 0 or set(alone["rejects"]["source_uri"]) <= set(together["rejects"]["source_uri"])
