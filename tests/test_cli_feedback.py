"""Arguments are checked in the first second, before the pipeline's imports and Prefect's server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from broadsheet.cli import main
from tests.repo import REPO_ROOT


def test_a_run_whose_sources_all_do_not_exist_stops_at_once_with_status_2(tmp_path: Path, capsys):
    code = main(
        ["run", "--source", str(tmp_path / "no-such-folder"), "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "b")]
    )
    err = capsys.readouterr().err
    assert code == 2 and "no-such-folder: no such file or folder" in err and "nothing to build" in err
    assert not (tmp_path / "dist").exists() and not (tmp_path / "b").exists(), "nothing was started"


def test_a_missing_source_beside_others_is_named_at_once_and_the_run_goes_on(tmp_path: Path, capsys, monkeypatch):
    started = []
    monkeypatch.setattr("broadsheet.cli.run_command", lambda sources, *a, **k: started.append(sources) or 0)
    (tmp_path / "here").mkdir()
    assert main(["run", "--source", str(tmp_path / "here"), "--source", str(tmp_path / "gone")]) == 0
    assert "gone: no such file or folder" in capsys.readouterr().err
    assert started == [[tmp_path / "here", tmp_path / "gone"]], "the missing one still reaches ingest, to be listed as a reject"


def test_the_check_needs_none_of_the_pipeline_imports(tmp_path: Path):
    script = (
        "import sys\n"
        "from broadsheet.cli import main\n"
        f"code = main(['run', '--source', {str(tmp_path / 'gone')!r}])\n"
        "heavy = sorted(m for m in ('prefect', 'great_expectations', 'spacy', 'trafilatura') if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "2 []", done.stdout + done.stderr


def test_piped_output_gets_a_line_per_tenth_of_each_stage_and_its_end():
    from broadsheet.progress import LineReporter

    lines: list[str] = []
    reporter = LineReporter(lines.append)
    reporter.start("clean", 25)
    for i in range(25):
        reporter.advance("clean", reused=i < 5)
    reporter.finish("clean")
    reporter.advance("extract", reused=False)  # a stage never started says nothing
    assert lines[0] == "broadsheet: clean: 25 documents"
    assert lines[1] == "broadsheet: clean: 3/25 (3 from cache)"
    assert lines[-2] == "broadsheet: clean: 24/25 (5 from cache)" and len(lines) == 10
    assert lines[-1] == "broadsheet: clean: done, 25 documents (5 from cache)"
