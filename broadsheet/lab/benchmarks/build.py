"""A whole build of a corpus, measured stage by stage, against the bare extractors over its texts.

Builds the corpus (see `broadsheet.lab.benchmarks.corpus`) with `broadsheet run` in a new process
(as a user's command would: the imports and Prefect's start-up are part of it), in a temporary
build and output folder with a Prefect home of its own, and prints:

- documents/s and words/s end to end (Prefect's start-up and the imports included);
- wall time and CPU-seconds per stage: the stage's own thread plus the worker processes it ran;
  what is outside every stage (imports, Prefect's server and bookkeeping) is the remainder;
- peak resident memory of the run's process and of its largest worker;
- the bare extractors (entity recognizer in batches, claims, dates) over the same cleaned texts,
  in the benchmark's own process on one core right after the build, and the ratio of the whole
  run to them (both on the same machine in the same minutes, so that the ratio holds on a
  shared machine where the absolute times do not);
- with ``refresh``: a rerun with nothing changed, one with 1 % new articles and one with a single
  article changed, each against the full build.
"""

from __future__ import annotations

import functools
import importlib.abc
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.lab.benchmarks.corpus import Article, copy_of, read_articles, replicate, write_articles
from broadsheet.lab.benchmarks.imports import spec_from_the_others, wrap_execution

# (module, attribute, label): the library functions the flows call, one per stage.
STAGES = (
    ("broadsheet.flows.ingest", "ingest_stage", "ingest"),
    ("broadsheet.flows.clean", "clean_stage", "clean"),
    ("broadsheet.flows.extract", "extract_stage", "extract"),
    ("broadsheet.validate.stage", "check_stage", "stage suites"),
    ("broadsheet.flows.validate", "assemble", "assemble candidate"),
    ("broadsheet.validate.stage", "validate_candidate", "release suite"),
    ("broadsheet.release", "current_version", "compare with latest"),
    ("broadsheet.release", "finalize", "finalize release"),
    ("broadsheet.release", "publish", "publish"),
)

# Parts of a stage, shown under it: its per-document work when it ran in worker processes, and
# its corpus-level steps (which always run in the run's own process).
PARTS = (
    ("broadsheet.clean.cached", "process_in_workers", "clean: in workers"),
    ("broadsheet.clean.documents", "cluster_near_duplicates", "clean: near duplicates"),
    ("broadsheet.extract.cached", "process_in_workers", "extract: in workers"),
    ("broadsheet.extract.rows", "entity_tables", "extract: entity tables"),
    ("broadsheet.extract.rows", "link_items", "extract: claim clusters"),
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Meter:
    """Wall and CPU time of each stage function while installed (see :data:`STAGES`)."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    # The process's peak RSS (MiB) when the stage last ended: the stage at which it reaches the
    # run's peak is where the memory goes.
    peak_rss: dict[str, float] = field(default_factory=dict)
    _restore: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __reduce__(self):
        # Prefect sends a task's context to Dask workers, the stage functions this meter wrapped
        # among its globals, and with them the meter: there it is a new, empty one (its lock
        # cannot travel, and a worker's time is counted by the process that waits for it).
        return (Meter, ())

    def install(self) -> None:
        """Wrap each stage function of a module already imported now, and of the others as the
        run imports them: importing them here would add to a refresh that stops early the
        seconds of imports (Prefect, the flows) that the run itself never makes."""
        pending: dict[str, list[tuple[str, str]]] = {}
        for module_name, attribute, label in (*STAGES, *PARTS):
            pending.setdefault(module_name, []).append((attribute, label))
        for module_name in [name for name in pending if name in sys.modules]:
            self._wrap(sys.modules[module_name], pending.pop(module_name))
        self._finder = _AfterImport(pending, self._wrap)
        sys.meta_path.insert(0, self._finder)

    def uninstall(self) -> None:
        finder = getattr(self, "_finder", None)
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        for module, attribute, original in reversed(self._restore):
            setattr(module, attribute, original)
        self._restore.clear()

    def _wrap(self, module: Any, attributes: list[tuple[str, str]]) -> None:
        for attribute, label in attributes:
            original = getattr(module, attribute)
            setattr(module, attribute, self._timed(original, label))
            self._restore.append((module, attribute, original))

    def _timed(self, function: Callable, label: str) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            # thread_time: this stage's thread only, not Prefect's others; the children's
            # time is that of the worker processes, which have ended when the stage returns.
            wall, cpu, children = time.perf_counter(), time.thread_time(), _children_cpu()
            try:
                return function(*args, **kwargs)
            finally:
                with self._lock:
                    self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - wall
                    spent = time.thread_time() - cpu + _children_cpu() - children
                    self.cpu[label] = self.cpu.get(label, 0.0) + spent
                    self.peak_rss[label] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return timed


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls `then(module, attributes)` right after one of the `pending` modules has run."""

    def __init__(self, pending: dict[str, list[tuple[str, str]]], then: Callable) -> None:
        self.pending, self.then = pending, then

    def find_spec(self, name, path, target=None):
        if name not in self.pending:
            return None
        spec = spec_from_the_others(self, name, path, target)
        if spec is None:
            return None
        attributes = self.pending[name]

        def then_wrap(exec_module: Callable) -> Callable:
            def exec_then_wrap(module):
                exec_module(module)
                self.then(module, attributes)

            return exec_then_wrap

        if wrap_execution(spec, then_wrap):
            del self.pending[name]
        return spec


@dataclass
class RunFigures:
    wall: float
    cpu: float
    stages_wall: dict[str, float]
    stages_cpu: dict[str, float]
    status: int
    output: str
    peak_rss_mib: float = 0.0  # the run's own process
    peak_worker_rss_mib: float = 0.0  # the largest of its worker processes
    stages_peak_rss: dict[str, float] = field(default_factory=dict)  # the run's peak RSS as each stage ended


def _measured_run(
    connection, sources: list[Path], dist: Path, build: Path, workers: int, dask_scheduler: str | None = None
) -> None:
    """One `broadsheet run`, in the child process the benchmark started for it; the figures are sent back."""
    import contextlib
    import io

    from broadsheet.cli import prepare_prefect_environment, run_command

    # Before the meter imports the flows, and with them Prefect, which reads its settings once.
    prepare_prefect_environment(build)
    meter = Meter()
    meter.install()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            status = run_command(sources, dist, build, workers=workers, dask_scheduler=dask_scheduler)
    except BaseException as exc:  # noqa: BLE001 - reported by the benchmark, which then stops
        status, printed = 1, io.StringIO(f"{type(exc).__name__}: {exc}")
    finally:
        meter.uninstall()
    connection.send(
        RunFigures(
            0.0,
            _self_cpu() + _children_cpu(),
            meter.wall,
            meter.cpu,
            status,
            printed.getvalue(),
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            meter.peak_rss,
        )
    )
    connection.close()
    # The run's process ends as the `broadsheet` command does (broadsheet.cli.leave): the
    # benchmark's wall time runs until it has ended.
    from broadsheet.cli import leave

    leave(0)


def _quietly_run(sources: list[Path], dist: Path, build: Path, workers: int, dask_scheduler: str | None = None) -> RunFigures:
    """One `broadsheet run` in a new process, measured from its start to its end."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    wall = time.perf_counter()
    child = context.Process(target=_measured_run, args=(send, sources, dist, build, workers, dask_scheduler))
    child.start()
    send.close()
    try:
        figures = receive.recv()
    except EOFError:
        child.join()
        return RunFigures(time.perf_counter() - wall, 0.0, {}, {}, 1, f"the run's process died (exit code {child.exitcode})")
    child.join()
    figures.wall = time.perf_counter() - wall
    return figures


@dataclass
class BareFigures:
    wall: float
    cpu: float
    parts: dict[str, float]


def bare_extractors(documents: Sequence[dict]) -> BareFigures:
    """The extractors alone over the documents' texts, in this process: the recognizer in the
    batches the extract stage makes, then claims and dates text by text (the model's loading
    and the rules' first use not counted)."""
    from broadsheet.entities.recognizer import load_recognizer
    from broadsheet.extract.cached import RECOGNITION_BATCH
    from broadsheet.extract.claims import extract_claims
    from broadsheet.extract.dates import find_temporal_expressions
    from broadsheet.extract.rows import anchor_for
    from broadsheet.workers import one_blas_thread

    recognizer = load_recognizer()
    extract_claims("Officials said on Monday that talks would resume.")
    find_temporal_expressions("on Monday", anchor=None)
    documents = sorted(documents, key=lambda d: d["doc_id"])
    texts = [d["text"] for d in documents]
    parts: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    start = time.process_time()
    with one_blas_thread():  # as the extract stage runs it
        for k in range(0, len(texts), RECOGNITION_BATCH):
            recognizer.find_many(texts[k : k + RECOGNITION_BATCH])
    parts["entities"] = time.process_time() - start
    start = time.process_time()
    for text in texts:
        extract_claims(text)
    parts["claims"] = time.process_time() - start
    start = time.process_time()
    for doc in documents:
        find_temporal_expressions(doc["text"], anchor=anchor_for(doc)[0])
    parts["dates"] = time.process_time() - start
    return BareFigures(time.perf_counter() - wall, time.process_time() - cpu, parts)


def _isolate_prefect(home: Path) -> None:
    """A Prefect home of the benchmark's own and no configured server: a user's first run (the
    run's processes inherit it)."""
    os.environ["PREFECT_HOME"] = str(home)
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE"):
        os.environ.pop(name, None)


def _stage_table(run: RunFigures) -> list[str]:
    lines = [f"  {'stage':<26}{'wall s':>9}{'CPU s':>9}{'peak RSS MiB at its end':>26}"]

    def line(name: str, label: str) -> str:
        rss = run.stages_peak_rss.get(label)
        return f"  {name:<26}{run.stages_wall[label]:9.1f}{run.stages_cpu[label]:9.1f}" + (f"{rss:26,.0f}" if rss else "")

    for _module, _attribute, label in STAGES:
        if label in run.stages_wall:
            lines.append(line(label, label))
        for _module, _attribute, part in PARTS:
            if part.startswith(f"{label}:") and part in run.stages_wall:
                lines.append(line("  " + part.removeprefix(f"{label}: "), part))
    stages = {label for _module, _attribute, label in STAGES}
    rest_wall = run.wall - sum(v for k, v in run.stages_wall.items() if k in stages)
    rest_cpu = run.cpu - sum(v for k, v in run.stages_cpu.items() if k in stages)
    lines.append(f"  {'outside the stages':<26}{rest_wall:9.1f}{rest_cpu:9.1f}   (imports, Prefect)")
    lines.append(f"  {'whole run':<26}{run.wall:9.1f}{run.cpu:9.1f}")
    return lines


def _work_line(output: str) -> str:
    for line in output.splitlines():
        if line.startswith("broadsheet: documents "):
            return line.removeprefix("broadsheet: documents ").split(" (cache:")[0]
    return "?"


def _published(output: str) -> str:
    return "nothing published" if "nothing new was published" in output else "published a release"


def benchmark(
    sources: Sequence[Path], scale: int = 1, limit: int | None = None, workers: int | None = None, refresh: bool = False
) -> int:
    from broadsheet.workers import available_cores

    workers = workers or available_cores()
    articles = replicate(_corpus(sources, limit), scale)
    if not articles:
        return 1
    with tempfile.TemporaryDirectory(prefix="broadsheet-benchmark-") as tmp:
        root = Path(tmp)
        _isolate_prefect(root / "prefect")
        corpus = root / "corpus"
        n = write_articles(articles, corpus)
        dist, build = root / "dist", root / "build"
        print(
            f"corpus: {n:,} article files from {', '.join(map(str, sources))} (scale x{scale}); "
            f"workers: {workers} of {available_cores()} cores",
            flush=True,
        )
        full = _quietly_run([corpus], dist, build, workers)
        if full.status != 0:
            print(full.output)
            print(f"the build failed (exit status {full.status})")
            return full.status
        documents = _documents(build)
        words = sum(d["n_words"] for d in documents)
        print(
            f"full build: {len(documents):,} documents, {words:,} words in {full.wall:.1f} s wall, {full.cpu:.1f} CPU-s: "
            f"{len(documents) / full.wall:.1f} documents/s, {words / full.wall:,.0f} words/s end to end"
        )
        print("\n".join(_stage_table(full)))
        print(f"peak RSS: the run's process {full.peak_rss_mib:,.0f} MiB, its largest worker {full.peak_worker_rss_mib:,.0f} MiB")

        if refresh:
            _refreshes(articles, corpus, n, dist, build, workers, full)

        bare = bare_extractors(documents)
        parts = ", ".join(f"{k} {v:.1f}" for k, v in bare.parts.items())
        print(
            f"bare extractors over the same {len(documents):,} texts (this process, one core): "
            f"{bare.wall:.1f} s wall, {bare.cpu:.1f} CPU-s ({parts})"
        )
        print(
            f"whole run / bare extractors: {full.wall / bare.wall:.2f} (wall), {full.cpu / bare.cpu:.2f} (CPU); "
            f"extract stage / bare extractors: {full.stages_wall.get('extract', 0.0) / bare.wall:.2f} (wall)"
        )
    return 0


def growth(sources: Sequence[Path], scales: Sequence[int], limit: int | None = None, workers: int | None = None) -> int:
    """A full build of the corpus at each scale (the corpus and N-1 altered copies of it), each in
    folders of its own, and the curve: time and memory per document against the first scale's."""
    from broadsheet.workers import available_cores

    workers = workers or available_cores()
    base = _corpus(sources, limit)
    if not base:
        return 1
    print(
        f"growth: {len(base):,} articles from {', '.join(map(str, sources))} at scales {', '.join(f'x{k}' for k in scales)}; workers: {workers}"
    )
    print(
        f"  {'scale':<7}{'documents':>10}{'wall s':>9}{'CPU-s':>9}{'docs/s':>8}{'wall s/doc':>11}{'vs first':>9}{'RSS MiB':>9}{'worker':>8}"
    )
    first: float | None = None
    for scale in scales:
        run, n = _fresh_build(replicate(base, scale), workers)
        if run.status != 0:
            print(f"the build at x{scale} failed (exit status {run.status})")
            return run.status
        per_doc = run.wall / n
        first = first if first is not None else per_doc
        print(
            f"  x{scale:<6}{n:>10,}{run.wall:>9.1f}{run.cpu:>9.1f}{n / run.wall:>8.1f}{per_doc:>11.4f}"
            f"{per_doc / first:>9.2f}{run.peak_rss_mib:>9,.0f}{run.peak_worker_rss_mib:>8,.0f}",
            flush=True,
        )
    print("  vs first: wall time per document against the first scale's (1.00 at every scale: linear growth)")
    return 0


def worker_scaling(sources: Sequence[Path], dask_scheduler: str, limit: int | None = None, workers: int | None = None) -> int:
    """The corpus built on the Dask cluster at `dask_scheduler` (``local``: a LocalCluster) with one
    worker and with `workers`, each in folders of its own: the clean and extract stages' wall time
    with `workers` against one."""
    from broadsheet.workers import available_cores

    workers = workers or available_cores()
    articles = _corpus(sources, limit)
    if not articles:
        return 1
    print(f"worker scaling on Dask ({dask_scheduler}): {len(articles):,} articles from {', '.join(map(str, sources))}")
    runs: dict[int, RunFigures] = {}
    for n in sorted({1, workers}):
        run, _ = _fresh_build(articles, n, dask_scheduler)
        if run.status != 0:
            print(f"the build with {n} worker(s) failed (exit status {run.status})")
            return run.status
        runs[n] = run
        print(f"{n} worker(s): whole run {run.wall:.1f} s wall")
        print("\n".join(_stage_table(run)), flush=True)
    for label in ("clean", "extract", "clean: in workers", "extract: in workers"):
        one, many = runs[1].stages_wall.get(label), runs[workers].stages_wall.get(label)
        if one and many:
            print(f"{label}: {many:.1f} s with {workers} workers, {one:.1f} s with one: {many / one:.2f}")
    return 0


def _corpus(sources: Sequence[Path], limit: int | None) -> list[Article]:
    """The articles of `sources`; none (and why, said) when there are no article files."""
    articles = read_articles(list(sources), limit)
    if not articles:
        print(f"no article files (.txt, .md, .html, .json, .jsonl) or TimeML (.tml) files in {', '.join(map(str, sources))}")
    return articles


def _fresh_build(articles: Sequence[Article], workers: int, dask_scheduler: str | None = None) -> tuple[RunFigures, int]:
    """One build of `articles` in folders and a Prefect home of its own, as a user's first run:
    its figures and its number of documents (its output is printed when it failed)."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-benchmark-") as tmp:
        root = Path(tmp)
        _isolate_prefect(root / "prefect")
        write_articles(articles, root / "corpus")
        run = _quietly_run([root / "corpus"], root / "dist", root / "build", workers, dask_scheduler)
        if run.status != 0:
            print(run.output)
            return run, 0
        return run, len(_documents(root / "build"))


def _documents(build: Path) -> list[dict]:
    from broadsheet.schema import load_schemas
    from broadsheet.tableio import read_table

    return read_table(build / "clean" / "documents.parquet", load_schemas()["documents"]).to_dicts()


def _refreshes(articles: list[Article], corpus: Path, n: int, dist: Path, build: Path, workers: int, full: RunFigures) -> None:
    """The unchanged, +1 % and one-changed refreshes of the full build, each in the same folders."""

    def report(name: str, run: RunFigures) -> None:
        print(
            f"refresh, {name}: {run.wall:.1f} s wall ({run.wall / full.wall:.1%} of the build), "
            f"{run.cpu:.1f} CPU-s ({run.cpu / full.cpu:.1%}); documents {_work_line(run.output)}; {_published(run.output)}"
        )
        slowest = sorted(run.stages_wall.items(), key=lambda kv: -kv[1])[:4]
        print("    slowest stages: " + ", ".join(f"{label} {s:.1f} s" for label, s in slowest))

    report("nothing changed", _quietly_run([corpus], dist, build, workers))
    extra = corpus / "added"
    added = max(1, round(n / 100))
    # New articles: copies of the first ones under new names, their text altered.
    write_articles((copy_of(a, 9) for a in articles[:added]), extra)
    report(f"{added} new articles (+1 %)", _quietly_run([corpus], dist, build, workers))
    first = next(p for p in sorted(corpus.rglob("*")) if p.is_file() and p.parent.name == "0000")
    first.write_bytes(first.read_bytes().replace(b"the", b"The", 1) + b" ")
    report("one article changed", _quietly_run([corpus], dist, build, workers))


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--growth", type=scales)
    parser.add_argument("--dask-scheduler")
    args = parser.parse_args(argv)
    if args.dask_scheduler:
        return worker_scaling(args.corpus, args.dask_scheduler, args.limit, args.workers)
    if args.growth:
        return growth(args.corpus, args.growth, args.limit, args.workers)
    return benchmark(args.corpus, args.scale, args.limit, args.workers, args.refresh)


def scales(value: str) -> list[int]:
    """`--growth 1,2,4,10`: the scales to build, each at least 1."""
    import argparse

    try:
        scales = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of whole numbers: {value!r}") from None
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError(f"scales are whole numbers of at least 1: {value!r}")
    return scales


if __name__ == "__main__":
    sys.exit(main())
