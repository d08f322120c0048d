"""The house rules, read from the code: the architecture document says what the imports say, no
module imports itself in a circle, no module grows past what a reader can hold, the library does
not import Prefect, and the pipeline never imports training or evaluation code."""

from __future__ import annotations

import pytest

from tests import architecture

# About what a reader can hold; the few that approach it are tables of rules, not logic.
MAX_MODULE_LINES = 600

# Where Prefect may be imported: the flows, and the command line that starts them.
PREFECT_ALLOWED = ("broadsheet.flows", "broadsheet.cli")

# Training, evaluation and benchmarks: reached only through the command line, at the command.
LAB = "broadsheet.lab"


@pytest.fixture(scope="module")
def graph() -> dict[str, architecture.Module]:
    return architecture.modules()


def test_the_architecture_document_shows_the_imports_as_they_are(graph) -> None:
    document = architecture.DOC.read_text(encoding="utf-8")
    expected = architecture.document_with(architecture.render(graph), document)
    assert document == expected, "docs/architecture.md is out of date: run python -m tests.architecture --write"


def test_no_import_circle(graph) -> None:
    assert architecture.cycles(graph) == []


def test_no_module_is_too_long_to_read(graph) -> None:
    long = {m.name: m.lines for m in graph.values() if m.lines > MAX_MODULE_LINES}
    assert long == {}


def test_every_module_says_what_it_is_for(graph) -> None:
    assert [m.name for m in graph.values() if not m.summary] == []


def test_the_library_does_not_import_prefect() -> None:
    import ast

    offenders = []
    for module in architecture.modules().values():
        if module.name.startswith(PREFECT_ALLOWED):
            continue
        tree = ast.parse(module.path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{module.name}: {n}" for n in names if n.split(".")[0] == "prefect"]
    assert offenders == []


def test_the_pipeline_never_imports_training_or_evaluation(graph) -> None:
    offenders = [f"{m.name} → {t}" for m in graph.values() if not m.name.startswith(LAB) for t in m.imports if t.startswith(LAB)]
    assert offenders == []


def test_the_cycle_finder_finds_a_circle() -> None:
    from pathlib import Path

    def module(name: str, *imports: str) -> architecture.Module:
        return architecture.Module(name, Path(f"{name}.py"), 1, "x.", frozenset(imports))

    graph = {"a": module("a", "b"), "b": module("b", "c"), "c": module("c", "a"), "d": module("d", "a")}
    assert architecture.cycles(graph) == [["a", "b", "c"]]
