"""Wall time and peak memory of a whole `broadsheet run`, Prefect's start-up included.

Each repetition runs the command in a fresh process with a fresh Prefect home, output folder and
build folder, exactly as a user's first run on a new machine would.

    python -m broadsheet.lab.benchmarks.pipeline [--source PATH] [--repeat 3]
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", action="append", type=Path, help="default: seeds/")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sources = args.source or [default_seeds_dir()]
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


if __name__ == "__main__":
    sys.exit(main())
