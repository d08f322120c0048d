"""Release: complete the validated candidate (manifest, datapackage, data card, report) and publish it."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from broadsheet import release


@task(name="finalize-candidate")
def finalize_candidate(candidate: release.Candidate, report, dist_dir: str) -> release.Candidate:
    release.finalize(candidate, report.results_path.parent, report.n_expectations, Path(dist_dir))
    return candidate


@task(name="publish")
def publish(candidate: release.Candidate, dist_dir: str) -> str:
    # A damaged folder of the same version is moved aside, not overwritten: say so in the run's log.
    return str(release.publish(candidate, Path(dist_dir), say=get_run_logger().warning))


@flow(name="release")
def release_flow(candidate: release.Candidate, report, dist_dir: str) -> str:
    finalized = finalize_candidate(candidate, report, dist_dir)
    return publish(finalized, dist_dir)
