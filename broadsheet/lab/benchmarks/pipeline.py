"""Wall time and peak memory of a whole `broadsheet run`, Prefect's start-up included.

Each repetition runs the command in a fresh process with a fresh Prefect home, output folder and
build folder, exactly as a user's first run on a new machine would.

    broadsheet benchmark [--source PATH] [--repeat 3]

With ``--corpus``, one build of that corpus measured stage by stage against the bare extractors
(`broadsheet.lab.benchmarks.build`): documents/s and words/s, wall and CPU time per stage, peak
memory, and with ``--refresh`` the unchanged, +1 % and one-changed refreshes:

    broadsheet benchmark --corpus PATH [PATH ...] [--scale N] [--limit N] [--workers N] [--refresh]

With ``--growth 1,2,4,10`` instead, a full build at each scale and the growth curve (time and
memory per document against the first scale's). With ``--dask-scheduler local`` (or a scheduler's
address) instead, the corpus built on that Dask cluster with one worker and with ``--workers N``,
and the clean and extract stages' time with N workers against one.

With ``--phases``, where the wall time of a first run and of a cached rerun goes, phase by phase
(imports, Prefect's server, the stages, the suites, the exit: `broadsheet.lab.benchmarks.fixedcost`):

    broadsheet benchmark --phases [--source PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from broadsheet.paths import default_seeds_dir


def time_run(sources: list[Path]) -> tuple[float, float]:
    """Seconds and peak resident MiB of one `broadsheet run` in a child process."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
        env.pop("PREFECT_API_URL", None)
        cmd = [sys.executable, "-m", "broadsheet.cli", "run", "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "build")]
        for source in sources:
            cmd += ["--source", str(source)]
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    # ru_maxrss of children is the largest single child so far, in KiB on Linux.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="broadsheet benchmark", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", action="append", type=Path, help="default: seeds/")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--phases", action="store_true", help="wall time of a first run and a cached rerun, phase by phase (fixed costs)"
    )
    corpus = parser.add_argument_group("one build measured stage by stage")
    corpus.add_argument(
        "--corpus",
        action="extend",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="folders (or files) of articles or of TimeML .tml files, such as the TempEval-3 silver newswire (TE3-Silver-data-*)",
    )
    corpus.add_argument(
        "--scale", type=int, default=1, metavar="N", help="the corpus and N-1 copies of it, ids distinct and text altered"
    )
    corpus.add_argument("--limit", type=int, metavar="N", help="only the first N files of the corpus")
    corpus.add_argument(
        "--workers", type=int, metavar="N", help="processes that clean and extract documents (default: all cores)"
    )
    corpus.add_argument(
        "--refresh", action="store_true", help="then time a rerun with nothing changed, +1 %% new articles and one changed"
    )
    corpus.add_argument(
        "--growth",
        type=_scales,
        metavar="N,N,...",
        help="instead: a full build at each of these scales (1,2,4,10), and time and memory per document against the first",
    )
    corpus.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="instead: build on this Dask cluster ('local': a LocalCluster) with one worker and with --workers, "
        "and print the clean and extract stages' time with --workers against one",
    )
    args = parser.parse_args(argv)
    if args.corpus:
        from broadsheet.lab.benchmarks.build import benchmark, growth, worker_scaling

        missing = [str(c) for c in args.corpus if not c.exists()]
        if missing:
            print(f"broadsheet benchmark: no such corpus: {', '.join(missing)}", file=sys.stderr)
            return 2
        if args.scale < 1 or (args.workers is not None and args.workers < 1) or (args.limit is not None and args.limit < 1):
            parser.error("--scale, --limit and --workers must be at least 1")
        if args.dask_scheduler:
            return worker_scaling(args.corpus, args.dask_scheduler, args.limit, args.workers)
        if args.growth:
            return growth(args.corpus, args.growth, args.limit, args.workers)
        return benchmark(args.corpus, args.scale, args.limit, args.workers, args.refresh)
    sources = args.source or [default_seeds_dir()]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        hint = "" if args.source else " (the default is seeds/ in the current folder; name another with --source)"
        print(f"broadsheet benchmark: no such source: {', '.join(missing)}{hint}", file=sys.stderr)
        return 2
    if args.phases:
        from broadsheet.lab.benchmarks.fixedcost import benchmark as phases

        return phases(sources)
    times = []
    peak = 0.0
    for i in range(args.repeat):
        seconds, peak = time_run(sources)
        times.append(seconds)
        print(f"run {i + 1}: {seconds:.1f} s")
    print(
        f"broadsheet run on {', '.join(map(str, sources))}: median {statistics.median(times):.1f} s, "
        f"min {min(times):.1f} s, max {max(times):.1f} s over {len(times)} runs; peak RSS {peak:.0f} MiB; "
        f"{os.cpu_count()} CPUs"
    )
    return 0


def _scales(value: str) -> list[int]:
    from broadsheet.lab.benchmarks.build import scales

    return scales(value)


if __name__ == "__main__":
    sys.exit(main())
