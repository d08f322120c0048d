"""Progress of the per-document work, for whoever is watching: a terminal bar, or nobody.

The stages report through one process-wide reporter, set by the command line when stdout is a
terminal; Prefect runs its tasks in worker threads of the same process, so a module-level
reporter (not a context variable) is what reaches them. The default reporter does nothing.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, stage: str, reused: bool) -> None: ...

    def finish(self, stage: str) -> None: ...


class NullReporter:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, reused: bool) -> None:
        pass

    def finish(self, stage: str) -> None:
        pass


_lock = threading.Lock()
_reporter: Reporter = NullReporter()


def set_reporter(reporter: Reporter | None) -> Reporter:
    """Install `reporter` (None: the silent one); returns the one it replaces."""
    global _reporter
    with _lock:
        previous, _reporter = _reporter, reporter or NullReporter()
    return previous


def reporter() -> Reporter:
    return _reporter


class RichReporter:
    """One bar per stage: documents done of the total, with how many came from the cache."""

    def __init__(self, console=None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents ({task.fields[reused]} from cache)"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, int] = {}
        self._reused: dict[str, int] = {}
        self._totals: dict[str, int] = {}

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def start(self, stage: str, total: int) -> None:
        self._reused[stage] = 0
        self._totals[stage] = total
        if stage in self._tasks:
            self.progress.reset(self._tasks[stage], total=total, reused=0)
        else:
            self._tasks[stage] = self.progress.add_task(stage, total=total, reused=0)

    def advance(self, stage: str, reused: bool) -> None:
        if stage not in self._tasks:
            return
        self._reused[stage] += int(reused)
        self.progress.update(self._tasks[stage], advance=1, reused=self._reused[stage])

    def finish(self, stage: str) -> None:
        if stage in self._tasks:
            self.progress.update(self._tasks[stage], completed=self._totals[stage])


class LineReporter:
    """Plain lines for logs and pipes, where a bar would be noise: a stage's start, every tenth of
    its documents, and its end, each flushed at once so a tail or a CI log sees the run move."""

    def __init__(self, write=None, steps: int = 10) -> None:
        import sys

        self._write = write or (lambda line: print(line, file=sys.stdout, flush=True))
        self._steps = steps
        self._lock = threading.Lock()
        self._done: dict[str, int] = {}
        self._reused: dict[str, int] = {}
        self._totals: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        with self._lock:
            self._done[stage], self._reused[stage], self._totals[stage] = 0, 0, total
        self._write(f"broadsheet: {stage}: {_documents(total)}")

    def advance(self, stage: str, reused: bool) -> None:
        with self._lock:
            if stage not in self._totals:
                return
            self._done[stage] += 1
            self._reused[stage] += int(reused)
            done, total = self._done[stage], self._totals[stage]
            # A line each time the count crosses a tenth of the total (every document when few).
            step = max(1, -(-total // self._steps))
            line = (
                f"broadsheet: {stage}: {done}/{total} ({self._reused[stage]} from cache)"
                if done % step == 0 and done < total
                else None
            )
        if line:
            self._write(line)

    def finish(self, stage: str) -> None:
        with self._lock:
            if stage not in self._totals:
                return
            done, reused = self._totals[stage], self._reused[stage]
        self._write(f"broadsheet: {stage}: done, {_documents(done)} ({reused} from cache)")


def _documents(n: int) -> str:
    return f"{n} document" + ("" if n == 1 else "s")
