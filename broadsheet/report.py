"""What a run did, in one value and in words: documents, rejects, work per stage, the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from broadsheet.doccache.store import CacheStats
from broadsheet.schema import load_schemas
from broadsheet.stageio import StageOutput
from broadsheet.tableio import read_table


@dataclass(frozen=True)
class RunSummary:
    status: str  # "published", "unchanged" (the latest release holds this content) or "empty" (no documents)
    version: str | None
    path: str | None
    n_documents: int
    rejects: tuple[dict, ...]  # rows of the rejects table, every stage
    # Per cached stage, documents processed in this run and reused from the cache.
    work: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # What the run must say even though it published: tables that lost more rows than declared.
    warnings: tuple[str, ...] = ()
    # Rows per release table, as the stages wrote them (documents, entities, claims, dates, ...).
    rows: Mapping[str, int] = field(default_factory=dict)


def summarize(
    outputs: Sequence[StageOutput], status: str, version: str | None, path: str | None, warnings: Sequence[str] = ()
) -> RunSummary:
    schemas = load_schemas()
    rejects: list[dict] = []
    n_documents = 0
    work = {o.stage: dict(o.work) for o in outputs if o.work}
    rows = {name: f.rows for o in outputs for name, f in o.files.items() if name in schemas and schemas[name].release}
    for output in outputs:
        if "rejects" in output.files:
            rejects.extend(read_table(output.path("rejects"), schemas["rejects"]).to_dicts())
        if "documents" in output.files:
            n_documents = output.files["documents"].rows
    return RunSummary(status, version, path, n_documents, tuple(rejects), work, tuple(warnings), rows)


def work_line(work: Mapping[str, CacheStats | Mapping[str, int]]) -> str:
    """``clean: 1 processed, 10 reused; extract: 1 processed, 10 reused`` (documents, per stage)."""
    parts = []
    for stage, stats in work.items():
        processed, reused = _counts(stats)
        parts.append(f"{stage}: {processed} processed, {reused} reused")
    return "; ".join(parts)


def _counts(stats: CacheStats | Mapping[str, int]) -> tuple[int, int]:
    if isinstance(stats, CacheStats):
        return stats.processed, stats.reused
    return int(stats.get("processed", 0)), int(stats.get("reused", 0))


def run_report_markdown(summary) -> str:
    """The run's summary as Markdown (a Prefect artifact): outcome, release, work per stage."""
    outcome = {
        "published": f"Published release `{summary.version}`.",
        "unchanged": f"Nothing new: release `{summary.version}` already holds this content; nothing was published.",
        "empty": "No source became a document; nothing was published.",
    }[summary.status]
    lines = [
        "# broadsheet run",
        "",
        outcome,
        "",
        f"{summary.n_documents} documents, {len(summary.rejects)} rejected inputs.",
        "",
        "| stage | documents processed | reused from the cache |",
        "|---|---:|---:|",
    ]
    for stage, stats in summary.work.items():
        processed, reused = _counts(stats)
        lines.append(f"| {stage} | {processed} | {reused} |")
    if summary.rows:
        lines += ["", "| table | rows |", "|---|---:|", *(f"| {name} | {n} |" for name, n in summary.rows.items())]
    if summary.status == "published" and summary.path:
        lines += [
            "",
            f"The release report: `{summary.path}/report.html`; its files are listed in `{summary.path}/manifest.json`.",
        ]
    if summary.warnings:
        lines += ["", *(f"**Rows dropped:** {w}." for w in summary.warnings)]
    if summary.rejects:
        lines += ["", "| rejected input | stage | reason |", "|---|---|---|"]
        lines += [f"| `{r['source_uri']}` | {r['stage']} | {r['reason']} |" for r in summary.rejects]
    return "\n".join(lines) + "\n"


def failed_report_markdown(report) -> str:
    """A run stopped by a failed suite, as Markdown (a Prefect artifact): the same story the
    terminal tells (`broadsheet.validate.suites.ValidationReport.summary`), with the failing rows."""
    lines = [
        "# broadsheet run",
        "",
        f"Validation failed at stage `{report.stage}`: nothing was published, and the previous release is unchanged.",
        "",
        f"{len(report.failures)} of {report.n_expectations} expectations failed:",
        "",
        "| table | column | check | failing rows | e.g. | what failed |",
        "|---|---|---|---:|---|---|",
    ]
    for f in report.failures:
        examples = ", ".join(f"`{e}`" for e in f.examples)
        lines.append(f"| {f.table} | {f.column or ''} | {f.check} | {f.n_failed} | {examples} | {f.message.replace('|', '/')} |")
    if report.results_path is not None:
        lines += ["", f"Validation results: `{report.results_path}`"]
    if report.docs_index is not None:
        lines += ["", f"Data Docs: `{report.docs_index}`"]
    return "\n".join(lines) + "\n"
