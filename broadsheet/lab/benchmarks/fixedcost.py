"""Where the wall time of a small `broadsheet run` goes: its fixed costs, phase by phase.

    broadsheet benchmark --phases [--source PATH]

Runs `broadsheet run` twice in new processes, as a user would: first into empty output and build
folders (with a Prefect home of its own and no configured server, so Prefect's temporary server
creates its database), then again into the same folders, where every document comes from the
cache and nothing new is published. For each run it prints the wall seconds of every phase of
the run's main thread, each second counted once, in the innermost phase it was spent in:

- python start-up: from the command to the first line of the command's own code;
- imports: executing modules (Prefect, Great Expectations, spaCy, the pipeline's own), wherever
  they are imported from;
- Prefect server: waiting for Prefect's temporary server to answer;
- the stages' own work (ingest, clean, extract), the suites of the stages and of the release
  candidate, the release's own steps (recovery, comparison with the latest, assembly,
  finalization, publication);
- Prefect bookkeeping: inside the flows, but in none of the above (flow and task runs, states);
- command line: the rest of the command (parsing, checking the sources, the folder locks);
- exit: from the command's return to its last exit handler (Prefect's threads and handlers, the
  temporary server's stop), then the interpreter's own teardown.

Phases are measured by wrapping the library functions named in :data:`PHASES` as their modules
load, and module execution through an import hook; the wrapping itself costs microseconds.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import importlib.abc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from broadsheet.lab.benchmarks.imports import spec_from_the_others, wrap_execution

# (module, attribute or Class.method, phase): wrapped in the run's process as the module loads, so
# that the modules importing them by name get the wrapped function.
PHASES = (
    ("prefect.server.api.server", "SubprocessASGIServer.start", "Prefect server"),
    ("broadsheet.flows.server", "TemporaryServer.wait", "Prefect server"),
    ("broadsheet.flows.pipeline", "broadsheet_flow", "Prefect bookkeeping"),
    ("broadsheet.ingest.stage", "ingest_stage", "ingest"),
    ("broadsheet.clean.stage", "clean_stage", "clean"),
    ("broadsheet.extract.stage", "extract_stage", "extract"),
    ("broadsheet.validate.stage", "check_stage", "stage suites"),
    ("broadsheet.validate.stage", "validate_candidate", "release suite"),
    (
        "great_expectations.data_context.data_context.abstract_data_context",
        "AbstractDataContext.build_data_docs",
        "release suite: Data Docs",
    ),
    ("broadsheet.release.recover", "recover", "release steps"),
    ("broadsheet.release.stage", "current_version", "release steps"),
    ("broadsheet.release.stage", "assemble", "release steps"),
    ("broadsheet.release.stage", "finalize", "release steps"),
    ("broadsheet.release.stage", "publish", "release steps"),
)
ORDER = (
    "python start-up",
    "imports",
    "command line",
    "Prefect server",
    "Prefect bookkeeping",
    "ingest",
    "clean",
    "extract",
    "stage suites",
    "release suite",
    "release suite: Data Docs",
    "release steps",
    "exit",
    "exit: interpreter teardown",
)


class PhaseClock:
    """Exclusive wall time per phase on the main thread: a nested phase's time is its own, not its caller's."""

    def __init__(self, root: str = "command line") -> None:
        self.totals: dict[str, float] = {}
        self._stack: list[list[Any]] = [[root, time.perf_counter(), 0.0]]
        self._main = threading.main_thread()

    def enter(self, phase: str) -> bool:
        if threading.current_thread() is not self._main:
            return False  # other threads' work overlaps the main thread's: not on its path
        self._stack.append([phase, time.perf_counter(), 0.0])
        return True

    def leave(self) -> None:
        phase, start, nested = self._stack.pop()
        spent = time.perf_counter() - start
        self.totals[phase] = self.totals.get(phase, 0.0) + spent - nested
        self._stack[-1][2] += spent

    def close(self) -> dict[str, float]:
        while self._stack:
            self.leave() if len(self._stack) > 1 else self._close_root()
        return dict(self.totals)

    def _close_root(self) -> None:
        phase, start, nested = self._stack.pop()
        self.totals[phase] = self.totals.get(phase, 0.0) + time.perf_counter() - start - nested

    def timed(self, function: Callable, phase: str) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            entered = self.enter(phase)
            try:
                return function(*args, **kwargs)
            finally:
                if entered:
                    self.leave()

        return timed


class _ImportTimer(importlib.abc.MetaPathFinder):
    """Times the execution of every module the other finders load, and wraps the functions of
    :data:`PHASES` once their module has run."""

    def __init__(self, clock: PhaseClock) -> None:
        self.clock = clock
        self.wrap: dict[str, list[tuple[str, str]]] = {}
        for module, attribute, phase in PHASES:
            self.wrap.setdefault(module, []).append((attribute, phase))

    def find_spec(self, name, path, target=None):
        spec = spec_from_the_others(self, name, path, target)
        if spec is not None:
            # Path-based loaders are one object per module; a shared one (built-ins) is left alone.
            wrap_execution(spec, lambda exec_module: self._timed_exec(exec_module, name))
        return spec

    def _timed_exec(self, exec_module: Callable, name: str) -> Callable:
        def timed(module):
            entered = self.clock.enter("imports")
            try:
                exec_module(module)
            finally:
                if entered:
                    self.clock.leave()
            for attribute, phase in self.wrap.get(name, ()):
                owner, _, method = attribute.rpartition(".")
                holder = getattr(module, owner) if owner else module
                setattr(holder, method, self.clock.timed(getattr(holder, method), phase))

        return timed


def _child(report: str | Path, argv: list[str]) -> int:
    """One `broadsheet run` with its phases timed; the figures go to `report`, and the end of the
    exit handlers is added to them by the first one registered, which runs last."""
    report, started = Path(report), time.time()
    atexit.register(_handlers_done, report)
    clock = PhaseClock()
    sys.meta_path.insert(0, _ImportTimer(clock))
    try:
        from broadsheet.cli import main

        status = main(argv)
    finally:
        phases = clock.close()
        report.write_text(json.dumps({"started": started, "returned": time.time(), "phases": phases}))
    return status


def _handlers_done(report: Path) -> None:
    figures = json.loads(report.read_text())
    report.write_text(json.dumps({**figures, "handlers_done": time.time()}))


def measure(sources: list[Path], dist: Path, build: Path, env: dict[str, str]) -> dict[str, float]:
    """The phases of one run (see the module's docstring) and its whole wall time, under 'whole run'."""
    report = build.parent / "phases.json"
    # Not `-m`: code run as __main__ would show the deprecation warnings of the modules it imports.
    # Ended as the `broadsheet` command ends (broadsheet.cli.leave).
    code = (
        "import sys; from broadsheet.cli import leave; from broadsheet.lab.benchmarks.fixedcost import _child; "
        "leave(_child(sys.argv[1], sys.argv[2:]))"
    )
    command = [sys.executable, "-c", code, str(report), "run", "--out", str(dist), "--build", str(build)]
    for source in sources:
        command += ["--source", str(source)]
    start = time.time()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    end = time.time()
    figures = json.loads(report.read_text())
    phases = dict(figures["phases"])
    phases["python start-up"] = figures["started"] - start
    phases["exit"] = figures["handlers_done"] - figures["returned"]
    phases["exit: interpreter teardown"] = end - figures["handlers_done"]
    phases["whole run"] = end - start
    return phases


def phase_table(runs: dict[str, dict[str, float]]) -> list[str]:
    names = list(runs)
    lines = [f"  {'phase':<28}" + "".join(f"{name:>14}" for name in names)]
    phases = [p for p in ORDER if any(p in r for r in runs.values())]
    phases += sorted({p for r in runs.values() for p in r} - set(ORDER) - {"whole run"})
    for phase in [*phases, "whole run"]:
        lines.append(f"  {phase:<28}" + "".join(f"{runs[name].get(phase, 0.0):14.1f}" for name in names))
    return lines


def benchmark(sources: list[Path], keep: Path | None = None) -> int:
    """`keep`: an empty folder to build in and leave as it is (its `dist/` holds the release), for comparing builds."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-phases-") as tmp:
        folder = keep or Path(tmp)
        env = {**os.environ, "PREFECT_HOME": str(folder / "prefect")}
        for name in ("PREFECT_API_URL", "PREFECT_PROFILE"):
            env.pop(name, None)
        runs = {}
        for label in ("first run", "cached rerun"):
            runs[label] = measure(sources, folder / "dist", folder / "build", env)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"broadsheet run on {', '.join(map(str, sources))}: wall seconds by phase (load average {load:.2f})")
    print("\n".join(phase_table(runs)))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", action="append", type=Path, help="default: seeds/")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build in this empty folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args()
    from broadsheet.paths import default_seeds_dir

    sys.exit(benchmark(args.source or [default_seeds_dir()], args.keep))
