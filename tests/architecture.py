"""The module graph of the package, read from its imports: what `docs/architecture.md` shows.

    python -m tests.architecture          # print the generated part
    python -m tests.architecture --write  # rewrite it in docs/architecture.md

`tests/test_architecture.py` holds the document to the code (the generated part must equal what
the imports say) and the code to its rules (no import circle, no module over the size limit, no
Prefect or training code in the library).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.repo import PACKAGE_DIR, REPO_ROOT

DOC = REPO_ROOT / "docs" / "architecture.md"
BEGIN = "<!-- BEGIN GENERATED: python -m tests.architecture --write -->"
END = "<!-- END GENERATED -->"
PACKAGE = PACKAGE_DIR.name


@dataclass(frozen=True)
class Module:
    name: str  # dotted
    path: Path
    lines: int
    summary: str  # the docstring's first sentence
    imports: frozenset[str]  # package modules it imports, anywhere in the file but TYPE_CHECKING blocks


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _summary(tree: ast.Module) -> str:
    doc = ast.get_docstring(tree) or ""
    first = " ".join(doc.split("\n\n")[0].split())
    end = first.find(". ")
    return first if end < 0 else first[: end + 1]


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped.update(id(child) for child in ast.walk(node))
    return skipped


def modules() -> dict[str, Module]:
    paths = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    names = {_name(p) for p in paths}
    out: dict[str, Module] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        skipped = _type_checking_nodes(tree)
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    found.add(target if target in names else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        name = _name(path)
        imports = frozenset(m for m in found if m in names and m != name)
        out[name] = Module(name, path, text.count("\n"), _summary(tree), imports)
    return out


def cycles(graph: dict[str, Module]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v].imports):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def _package_of(name: str, graph: dict[str, Module]) -> str:
    """The module's folder within the package (`broadsheet.extract.claims`), or the package itself."""
    parts = name.split(".")
    if graph[name].path.name == "__init__.py":
        return name
    return ".".join(parts[:-1])


def render(graph: dict[str, Module] | None = None) -> str:
    graph = graph if graph is not None else modules()
    short = lambda n: n[len(PACKAGE) + 1 :] or PACKAGE  # noqa: E731
    lines = [BEGIN, "", "## Every module, by folder", ""]
    lines.append("What each module is for (its docstring's first sentence) and which modules of the package it imports.")
    lines.append("")
    by_folder: dict[str, list[Module]] = {}
    for module in graph.values():
        by_folder.setdefault(_package_of(module.name, graph), []).append(module)
    for folder in sorted(by_folder):
        lines += [f"### `{folder.replace('.', '/')}/`", "", "| module | what it is | imports |", "|---|---|---|"]
        for module in sorted(by_folder[folder], key=lambda m: m.name):
            rel = module.path.relative_to(PACKAGE_DIR.parent).as_posix()
            imports = ", ".join(f"`{short(m)}`" for m in sorted(module.imports)) or "—"
            summary = module.summary.replace("|", "\\|")
            lines.append(f"| `{rel}` | {summary} | {imports} |")
        lines.append("")
    lines += ["## Folders and what they import", "", "```mermaid", "flowchart LR"]
    edges = sorted(
        {
            (_package_of(m.name, graph), _package_of(t, graph))
            for m in graph.values()
            for t in m.imports
            if _package_of(m.name, graph) != _package_of(t, graph)
        }
    )
    ids = {folder: folder.replace(".", "_") for folder in by_folder}
    for folder in sorted(by_folder):
        lines.append(f'    {ids[folder]}["{short(folder)}"]')
    lines += [f"    {ids[a]} --> {ids[b]}" for a, b in edges]
    lines += ["```", "", END]
    return "\n".join(lines) + "\n"


def document_with(generated: str, document: str) -> str:
    start, end = document.index(BEGIN), document.index(END) + len(END) + 1
    return document[:start] + generated + document[end:]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    generated = render()
    if "--write" in argv:
        DOC.write_text(document_with(generated, DOC.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {DOC.relative_to(REPO_ROOT)}")
    else:
        sys.stdout.write(generated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
