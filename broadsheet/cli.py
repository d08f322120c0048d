"""The `broadsheet` command."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import importlib.util
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from broadsheet.memory import return_freed_pages_promptly
from broadsheet.paths import BUILD, DIST, BuildLayout
from broadsheet.version import __version__

# Before anything imports Polars or PyArrow (see broadsheet.memory).
return_freed_pages_promptly()

if TYPE_CHECKING:
    from broadsheet.flows.server import TemporaryServer
    from broadsheet.report import RunSummary

# Commands that belong to one module each: the module's own `main(argv)` parses the rest.
EVALUATIONS = {
    "dates": "broadsheet.lab.evaluation.dates",
    "claims": "broadsheet.lab.evaluation.claims",
    "entities": "broadsheet.lab.evaluation.entities",
    "canonical": "broadsheet.lab.evaluation.canonical",
    "documents": "broadsheet.lab.evaluation.documents",
    "pubdate": "broadsheet.lab.evaluation.pubdate",
    "modality": "broadsheet.lab.evaluation.modality",
    "claim-pairs": "broadsheet.lab.evaluation.claim_pairs",
    "sentences": "broadsheet.lab.evaluation.sentences",
}
TOOLS = {
    "train-ner": ("broadsheet.lab.ner.train", "train the entity recognizer from annotated corpora"),
    "train-boilerplate": ("broadsheet.lab.boilerplate", "train the boilerplate classifier on the Fundus dev pages"),
    "benchmark": ("broadsheet.lab.benchmarks.pipeline", "time a whole `broadsheet run` (wall time, peak memory)"),
    "download": ("broadsheet.download", "fetch a release and verify every file against its manifest"),
    "verify": ("broadsheet.verify", "check a local release: files against the manifest, pointers, table schemas"),
}


# Commands that build or measure releases; the light client (`pip install broadsheet`) has only
# download and verify, and these need `pip install "broadsheet[pipeline]"`.
PIPELINE_COMMANDS = frozenset({"run", "serve", "evaluate", "train-ner", "train-boilerplate", "benchmark"})
PIPELINE_MODULES = ("prefect", "great_expectations", "spacy", "trafilatura")


def missing_pipeline() -> list[str]:
    """The pipeline's packages that are not installed (none in a full install)."""
    return [name for name in PIPELINE_MODULES if _spec(name) is None]


def _spec(name: str) -> object | None:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a broken or half-removed installation counts as missing
        return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] and argv[0] in PIPELINE_COMMANDS and (missing := missing_pipeline()):
        print(
            f"broadsheet {argv[0]}: needs the pipeline, which this install lacks ({', '.join(missing)}): "
            'pip install "broadsheet[pipeline]"',
            file=sys.stderr,
        )
        return 2
    # Delegated commands hand every remaining argument (options included) to their module.
    if argv[:1] and argv[0] in TOOLS:
        return importlib.import_module(TOOLS[argv[0]][0]).main(argv[1:])
    if argv[:1] == ["evaluate"] and len(argv) > 1 and argv[1] in EVALUATIONS:
        return importlib.import_module(EVALUATIONS[argv[1]]).main(argv[2:])
    parser = argparse.ArgumentParser(prog="broadsheet", description=__doc__)
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="build a validated release from the sources (sources.yaml if present, else seeds/)")
    run.add_argument(
        "--source",
        action="append",
        type=source_argument,
        metavar="PATH",
        help="an article file, a folder of them, a storage URL of either (s3://bucket/prefix/, any fsspec URL), or a "
        "sources file (.yaml); repeatable (default: ./sources.yaml if it exists, else seeds/)",
    )
    run.add_argument(
        "--sources-file",
        type=Path,
        metavar="PATH",
        help="a sources file of folders, URL lists, RSS/Atom feeds and WARC files (default: ./sources.yaml)",
    )
    run.add_argument("--out", type=Path, default=Path(DIST), metavar="DIR", help="where releases go (default: dist/)")
    run.add_argument("--build", type=Path, default=Path(BUILD), metavar="DIR", help="stage outputs and reports (default: build/)")
    run.add_argument("--verbose", action="store_true", help="show Prefect's own logs")
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="process every document again instead of reusing unchanged documents' results from the build folder",
    )
    run.add_argument(
        "--wait",
        action="store_true",
        help="when another run holds the output or build folder, wait for it instead of stopping with exit status 2",
    )
    run.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="processes that clean and extract documents at once (default: all cores; the release is the same whatever N is)",
    )
    run.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="clean and extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), or 'local' for a "
        "local cluster of --workers processes; the release is the same",
    )

    serve = commands.add_parser(
        "serve",
        help="serve the refresh flow on a cron schedule against the Prefect server in PREFECT_API_URL",
    )
    serve.add_argument("--cron", default="0 6 * * *", help='when to refresh, a cron line in UTC (default: "0 6 * * *")')
    serve.add_argument("--name", default="scheduled", help="the deployment's name (default: scheduled)")
    serve.add_argument(
        "--source",
        action="append",
        type=source_argument,
        metavar="PATH",
        help="as for run: an article file, a folder of them, or a sources file (.yaml); repeatable "
        "(default: ./sources.yaml if it exists, else seeds/)",
    )
    serve.add_argument("--sources-file", type=Path, metavar="PATH", help="as for run (default: ./sources.yaml)")
    serve.add_argument("--out", type=Path, default=Path(DIST), metavar="DIR", help="where releases go (default: dist/)")
    serve.add_argument(
        "--build", type=Path, default=Path(BUILD), metavar="DIR", help="stage outputs, cache and reports (default: build/)"
    )
    serve.add_argument("--workers", type=positive_int, metavar="N", help="as for run (default: every core)")

    evaluate = commands.add_parser("evaluate", help="score an extractor on annotated corpora (prints P/R/F1 and speed)")
    evaluate.add_argument("extractor", choices=sorted(EVALUATIONS))
    evaluate.add_argument("args", nargs=argparse.REMAINDER, help="passed on, e.g. --corpora ../shared/corpora")
    for name, (_module, text) in TOOLS.items():
        tool = commands.add_parser(name, help=text, add_help=False)
        tool.add_argument("args", nargs=argparse.REMAINDER)

    args = parser.parse_args(argv)
    if args.command == "run":
        sources = run_sources(args.source, args.sources_file)
        if sources is None:
            return 2
        return run_command(
            sources,
            args.out,
            args.build,
            verbose=args.verbose,
            use_cache=not args.no_cache,
            wait=args.wait,
            workers=args.workers,
            dask_scheduler=args.dask_scheduler,
        )
    if args.command == "serve":
        sources = run_sources(args.source, args.sources_file)
        if sources is None:
            return 2
        return serve_command(args, sources)
    return 2  # evaluate/tools with valid names were dispatched above; argparse rejected the rest


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


# A storage URL (s3://..., or an fsspec chain such as simplecache::s3://...) is kept as written,
# since a Path would fold its '//'; broadsheet.ingest.objectstore reads it. Checked here with a
# pattern of its own so that parsing the command line does not import the ingest package.
_STORAGE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*(://|::.*://)")


def source_argument(text: str) -> Path | str:
    """A `--source`: a local path, or a storage URL as written."""
    return text if _STORAGE_URL.match(text) else Path(text)


def run_sources(sources: list[Path | str] | None, sources_file: Path | None) -> list[Path | str] | None:
    """The sources of `broadsheet run`: those named, else ./sources.yaml, else seeds/.

    Every sources file is checked before anything runs; None (after saying why) when one is unusable.
    """
    named = [*(sources or []), *([sources_file] if sources_file else [])]
    # Said in the first second, before the ingest package's imports and Prefect's server: a missing
    # source is still listed as a `missing_source` reject, but a run with none that exists stops here.
    missing = [source for source in named if not isinstance(source, str) and not os.path.lexists(source)]
    for source in missing:
        print(f"broadsheet: {source}: no such file or folder", file=sys.stderr)
    if missing and len(missing) == len(named):
        print("broadsheet: none of the sources exists; nothing to build", file=sys.stderr)
        return None

    from broadsheet.ingest.objectstore import as_source, is_url
    from broadsheet.ingest.sourcefile import SourcesFileError, default_sources, is_sources_file, load_sources_file

    named = [as_source(source) for source in named]  # a file:// URL is the local path it names
    for source in named:
        if is_url(source) and is_sources_file(source):
            print(
                f"broadsheet: {source}: a sources file is read from local disk (its entries may name storage URLs)",
                file=sys.stderr,
            )
            return None

    if sources_file is not None and not is_sources_file(sources_file):
        print(f"broadsheet: {sources_file}: a sources file is YAML and must end in .yaml or .yml", file=sys.stderr)
        return None
    chosen = named or default_sources()
    for source in chosen:
        if is_sources_file(source):
            try:
                load_sources_file(source)
            except SourcesFileError as exc:
                print(f"broadsheet: {exc}", file=sys.stderr)
                return None
    return chosen


def prepare_prefect_environment(build_dir: Path, verbose: bool = False) -> None:
    """Offline, quiet defaults for Prefect, set before it is imported; the user's settings win.

    With no Prefect server or profile configured, the temporary server's database goes under the
    build folder instead of creating ~/.prefect.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    # The temporary server can take >20 s to start on a loaded 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    user_profile = Path.home() / ".prefect" / "profiles.toml"
    if not any(k in os.environ for k in ("PREFECT_API_URL", "PREFECT_HOME", "PREFECT_PROFILE")) and not user_profile.exists():
        os.environ["PREFECT_HOME"] = str(BuildLayout(build_dir).prefect_home.resolve())


def start_prefect_server() -> TemporaryServer | None:
    """Prefect's temporary server for this run, launched now, when no Prefect server is configured
    (None when one is, or when Prefect may not start a temporary one)."""
    from broadsheet.flows import server

    if "prefect" in sys.modules:
        # Prefect is imported already (a run from Python code): its settings are at hand, and exact.
        from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

        if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
            return None
    elif server.configured_elsewhere():
        return None
    return server.temporary_server()


@contextlib.contextmanager
def prefect_api(temporary: TemporaryServer | None) -> Iterator[None]:
    """Within the block, flows report to `temporary` (a server started for this run), unless
    Prefect's own settings name a server after all (a profile, a prefect.toml, a .env file) or
    forbid a temporary one; then Prefect is left to do as it is configured."""
    if temporary is None:
        yield
        return
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_EPHEMERAL_ENABLED,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        temporary.stop()
        yield
        return
    url = temporary.wait(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    # No heartbeats: they let a server mark a flow run whose process died, but this server ends
    # with the process, and each flow's end waits up to a second for its heartbeat thread.
    with temporary_settings(updates={PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def run_command(
    sources: list[Path | str],
    dist_dir: Path,
    build_dir: Path,
    verbose: bool = False,
    use_cache: bool = True,
    wait: bool = False,
    workers: int | None = None,
    dask_scheduler: str | None = None,
) -> int:
    """One run, holding the lock of both folders throughout (see broadsheet.lock); 2 if another run holds one.

    `workers`: the processes that clean and extract documents at once (None: every core this process
    may run on); the release does not depend on it. `dask_scheduler`: that work on a Dask cluster
    instead (an address, or "local" for a local cluster of `workers` processes)."""
    from broadsheet import lock
    from broadsheet.workers import available_cores

    try:
        with lock.hold([dist_dir, build_dir], wait=wait):
            return _locked_run(sources, dist_dir, build_dir, verbose, use_cache, workers or available_cores(), dask_scheduler)
    except lock.FolderLocked as exc:
        print(f"broadsheet: {exc}; nothing was done", file=sys.stderr)
        return 2


def _locked_run(
    sources: list[Path | str],
    dist_dir: Path,
    build_dir: Path,
    verbose: bool,
    use_cache: bool,
    workers: int,
    dask_scheduler: str | None = None,
) -> int:
    # Said before the imports and Prefect's start-up, which take tens of seconds on a small machine.
    named = ", ".join(str(s) for s in sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    where = f"{workers} worker{'s' if workers != 1 else ''}"
    if dask_scheduler == "local":
        where = f"a local Dask cluster of {where}"
    elif dask_scheduler is not None:
        where = f"the Dask cluster at {dask_scheduler}"
    print(f"broadsheet: building from {named} into {dist_dir} ({where}); starting", flush=True)
    dist_dir.mkdir(parents=True, exist_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    stopped = _nothing_new(sources, dist_dir, build_dir) if use_cache else None
    if stopped is not None:
        return _said(stopped, build_dir)
    prepare_prefect_environment(build_dir, verbose)
    # Before the imports below, which take seconds: the server comes up meanwhile in its own process.
    temporary = start_prefect_server()
    from broadsheet import release

    # No other run is alive in these folders now: finish or clear what a killed one left.
    release.recover(dist_dir)
    from broadsheet import progress
    from broadsheet.flows.pipeline import broadsheet_flow
    from broadsheet.release import unchanged
    from broadsheet.stageio import StageValidationError
    from broadsheet.validate.suites import load_great_expectations

    # A run that builds validates; Great Expectations' imports take seconds, spent here while the
    # server may still be starting rather than at the first suite. A refresh that may find nothing
    # new leaves them to the first suite, which it never reaches when it stops after ingest.
    if not unchanged.may_be_unchanged(build_dir, dist_dir) or not use_cache:
        load_great_expectations()

    # A progress bar for a person at a terminal; logs and pipes get a line per tenth of each stage.
    bar = progress.RichReporter() if sys.stdout.isatty() else None
    previous = progress.set_reporter(bar or progress.LineReporter())
    try:
        with bar or contextlib.nullcontext(), prefect_api(temporary):
            summary = broadsheet_flow(
                sources=[str(s) for s in sources],
                dist_dir=str(dist_dir.resolve()),
                build_dir=str(build_dir.resolve()),
                use_cache=use_cache,
                workers=workers,
                dask_scheduler=dask_scheduler,
            )
    except StageValidationError as exc:
        print(f"broadsheet: validation failed; nothing was published.\n{exc.report.summary()}", file=sys.stderr)
        return 1
    finally:
        progress.set_reporter(previous)

    return _said(summary, build_dir)


def _said(summary: RunSummary, build_dir: Path) -> int:
    """The run's outcome for the person who started it; its exit status."""
    from broadsheet.report import work_line

    print(f"broadsheet: {summary.n_documents} documents, {len(summary.rejects)} rejected inputs")
    if summary.work:
        # processed: new or changed since the cache was filled; reused: read back from the cache.
        print(f"broadsheet: documents {work_line(summary.work)} (cache: {build_dir / 'cache'})")
    for reject in summary.rejects:
        print(f"  rejected {reject['source_uri']} at {reject['stage']} ({reject['reason']}): {reject['detail']}")
    if summary.status == "empty":
        print("broadsheet: no source could become a document; nothing was published", file=sys.stderr)
        return 1
    if summary.status == "unchanged":
        print(f"release {summary.version} already holds this content; nothing new was published")
    else:
        print(f"published release {summary.version} to {summary.path}")
    for warning in summary.warnings:
        print(f"broadsheet: warning: {warning}", file=sys.stderr)
    return 0


def _nothing_new(sources: list[Path | str], dist_dir: Path, build_dir: Path) -> RunSummary | None:
    """A refresh that finds nothing new, said without starting Prefect; None when the run must go on.

    The check is the pipeline's own (broadsheet.release.unchanged, right after ingest), made before
    Prefect's temporary server and the flows are started, which are most of what such a refresh
    costs. Only where nothing is lost by it: the sources are local files and folders, directly or
    through a sources file (a URL, a feed or storage would be fetched twice when the refresh goes
    on to build: then the flow checks after its own ingest), and the run would report to a temporary server of its own, whose
    records end with the run (a configured Prefect server sees every run, this one included).
    """
    from broadsheet.flows import server
    from broadsheet.ingest.sourcefile import local_only
    from broadsheet.release import unchanged

    if server.configured_elsewhere() or not unchanged.may_be_unchanged(build_dir, dist_dir):
        return None
    if not local_only(sources):
        return None
    from broadsheet import release
    from broadsheet.ingest import MAX_FILE_BYTES, readlog
    from broadsheet.ingest.stage import ingest_stage
    from broadsheet.paths import BuildLayout

    release.recover(dist_dir)  # what a killed run left is finished or cleared first, as for any run

    # The files as the last ingest read them: its tables' digest without parsing a file again
    # (an ingest now would write those very tables, so it could not decide otherwise).
    log = BuildLayout(build_dir.resolve()).cache / readlog.FILE
    known = readlog.known_ingest(log, sources, MAX_FILE_BYTES)
    if known is None:
        ingested = ingest_stage(sources, build_dir.resolve(), dist_dir=dist_dir.resolve(), read_log=log)
        known = (ingested.digest, ingested.files["ingested"].rows)
    ingest_digest, records = known
    version = unchanged.unchanged_release(build_dir, dist_dir, unchanged.inputs_digest_of(ingest_digest))
    return None if version is None else unchanged.unchanged_summary(records, dist_dir, version)


def serve_command(args: argparse.Namespace, sources: list[Path | str]) -> int:
    """`broadsheet serve`: the refresh flow on a cron schedule, run by this process until stopped."""
    # INFO, so the stage counts reach the server's logs; the user's own setting still wins.
    prepare_prefect_environment(args.build, verbose=True)
    from broadsheet.flows.refresh import NoServerError, require_server, serve

    try:
        url = require_server()
    except NoServerError as exc:
        print(f"broadsheet serve: {exc}", file=sys.stderr)
        return 2
    try:
        from prefect.client.schemas.schedules import CronSchedule

        CronSchedule(cron=args.cron)
    except ValueError as exc:
        print(f"broadsheet serve: not a valid cron line {args.cron!r}: {exc}", file=sys.stderr)
        return 2
    print(f"broadsheet serve: refresh on {args.cron!r} (UTC) against {url}; Ctrl-C stops serving")
    serve(
        cron=args.cron,
        sources=[str(s) for s in sources],
        dist_dir=str(args.out),
        build_dir=str(args.build),
        name=args.name,
        workers=args.workers,
    )
    return 0


def leave(status: int) -> NoReturn:
    """End the process with `status` once its exit handlers have run, skipping the interpreter's
    own teardown, which only frees memory: about 1 s on a small machine for the modules of Prefect,
    Great Expectations and spaCy, a twentieth of a small run. Everything a command writes is
    closed by then (each file in its own `with` block; Prefect's handlers send the last logs, and
    logging's flushes its handlers). While a thread that Python would wait for is still running,
    the exit is Python's own."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def entry() -> NoReturn:
    """The `broadsheet` command."""
    leave(main())


if __name__ == "__main__":
    entry()
