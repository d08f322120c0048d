"""The `broadsheet` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from broadsheet import __version__
from broadsheet.paths import DEFAULT_BUILD_DIR, DEFAULT_DIST_DIR, SEEDS_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet", description=__doc__)
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="build a validated release from the sources (seeds/ by default)")
    run.add_argument(
        "--source", action="append", type=Path, metavar="PATH",
        help="an article file or a folder of them; repeatable (default: seeds/)",
    )
    run.add_argument("--out", type=Path, default=DEFAULT_DIST_DIR, metavar="DIR", help="where releases go (default: dist/)")
    run.add_argument("--build", type=Path, default=DEFAULT_BUILD_DIR, metavar="DIR", help="stage outputs and reports (default: build/)")
    run.add_argument("--verbose", action="store_true", help="show Prefect's own logs")

    args = parser.parse_args(argv)
    if args.command == "run":
        return run_command(args.source or [SEEDS_DIR], args.out, args.build, verbose=args.verbose)
    return 2


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
        os.environ["PREFECT_HOME"] = str((build_dir / "prefect").resolve())


def run_command(sources: list[Path], dist_dir: Path, build_dir: Path, verbose: bool = False) -> int:
    dist_dir.mkdir(parents=True, exist_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    prepare_prefect_environment(build_dir, verbose)
    # Great Expectations narrates every temporary docs folder it creates at INFO.
    logging.getLogger("great_expectations").setLevel(logging.INFO if verbose else logging.WARNING)
    from broadsheet.stages import StageValidationError
    from flows.pipeline import broadsheet_flow

    try:
        summary = broadsheet_flow(
            sources=[str(s) for s in sources], dist_dir=str(dist_dir.resolve()), build_dir=str(build_dir.resolve())
        )
    except StageValidationError as exc:
        print(f"broadsheet: validation failed; nothing was published.\n{exc.report.summary()}", file=sys.stderr)
        return 1

    print(f"broadsheet: {summary.n_documents} documents, {len(summary.rejects)} rejected inputs")
    for reject in summary.rejects:
        print(f"  rejected {reject['source_uri']} at {reject['stage']} ({reject['reason']}): {reject['detail']}")
    if summary.status == "unchanged":
        print(f"release {summary.version} already holds this content; nothing new was published")
    else:
        print(f"published release {summary.version} to {summary.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
