"""`broadsheet run`'s source arguments: --source, --sources-file, and the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.cli import main, run_sources
from tests.repo import SEEDS_DIR


def test_named_sources_are_used_as_given(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b.txt").write_text("An article.")
    assert run_sources([tmp_path / "a", tmp_path / "b.txt"], None) == [tmp_path / "a", tmp_path / "b.txt"]


def test_the_default_is_sources_yaml_in_the_current_folder_else_its_seeds(tmp_path: Path, monkeypatch):
    # The current folder, not the package's location: an installed package must not read its own checkout.
    monkeypatch.chdir(tmp_path)
    assert run_sources(None, None) == [Path("seeds")]
    assert Path("seeds").resolve() != SEEDS_DIR
    (tmp_path / "sources.yaml").write_text("sources: [{name: s, kind: folder, path: seeds}]\n")
    assert run_sources(None, None) == [Path("sources.yaml")]


def test_a_sources_file_option_joins_the_named_sources(tmp_path: Path):
    file = tmp_path / "mine.yml"
    file.write_text("sources: [{name: s, kind: folder, path: x}]\n")
    assert run_sources(None, file) == [file]
    assert run_sources([tmp_path / "a"], file) == [tmp_path / "a", file]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("sources: [{name: s, kind: rss, url: 'https://x.example/'}]", "bad.yaml", "entry 1 ('s'): unknown kind 'rss'"),
        ("sources: [{name: s, kind: folder, path: x}]", "sources.txt", "must end in .yaml or .yml"),
    ],
)
def test_an_unusable_sources_file_stops_the_run_before_it_starts(tmp_path: Path, capsys, content, name, message):
    file = tmp_path / name
    file.write_text(content)
    assert main(["run", "--sources-file", str(file), "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "b")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


def test_a_missing_sources_file_given_as_a_source_stops_the_run(tmp_path: Path, capsys):
    assert main(["run", "--source", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "dist")]) == 2
    assert "nope.yaml: no such file or folder" in capsys.readouterr().err
