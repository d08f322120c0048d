"""Reader for PolNeAR, the political news attribution corpus (brat standoff annotations).

Layout of a split folder: ``text/<stem>.txt`` (the title on the first line, then the article) and
``attributions/<stem>_<annotator>.ann``. In an ``.ann`` file, ``T`` lines are labelled spans
(``Source``, ``Cue``, ``Content``, ``Attribution`` or ``Attribution-no-source``, ``Discard``,
``Discuss``) whose offsets index the ``.txt`` file, possibly as several ``start end`` fragments
joined by ``;``; ``E`` lines tie one relation together (``Attribution:T4 Content:T3 Cue:T2
Source:T1``). Some documents were annotated by several people: `read_split` keeps one annotator
file per document, the first in sorted file-name order, so that the choice is deterministic.

The training split also gives a second dev set: a fixed sample of its articles (`in_train_sample`,
about 18 % of them, 146 of the 840, chosen by a hash of the file name so that it never depends on
the listing order) that nothing is derived from: the cue model is trained and the cue lexicon
counted on the other training articles only (`read_split(..., sample="rest")`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ANNOTATOR_SUFFIX = re.compile(r"_[^_]+\.ann$")
# Percent of the training articles set aside as the second dev set; 18 % gives 146 of the 840,
# between 15 and 26 per outlet, enough to read a figure to about two points.
_TRAIN_SAMPLE_PERCENT = 18
SAMPLES = ("all", "sample", "rest")


@dataclass(frozen=True)
class Relation:
    """One gold attribution relation: the content, its cue and its source, each as span fragments.

    ``source`` is empty for an ``Attribution-no-source`` relation; a relation whose annotator gave
    no content has an empty ``content``.
    """

    content: tuple[Span, ...]
    cue: tuple[Span, ...]
    source: tuple[Span, ...]
    has_source_label: bool


@dataclass(frozen=True)
class Document:
    stem: str
    annotator: str
    text: str
    relations: tuple[Relation, ...]


def parse_ann(ann: str) -> list[Relation]:
    """Relations of one ``.ann`` file's text.

    A span's own text in the ``T`` line is ignored (it may contain newlines and so run over several
    lines); callers cut it from the document by offsets.
    """
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.splitlines():
        if m := _T_LINE.match(line):
            fragments = tuple((int(a), int(b)) for a, b in (frag.split() for frag in m.group(3).split(";") if frag.strip()))
            spans[m.group(1)] = (m.group(2), fragments)
        elif m := _E_LINE.match(line):
            events.append([tuple(arg.split(":", 1)) for arg in m.group(2).split() if ":" in arg])  # type: ignore[misc]
    relations = []
    for args in events:
        roles: dict[str, list[Span]] = {"Content": [], "Cue": [], "Source": []}
        no_source = False
        for role, ref in args:
            role = role.rstrip("0123456789")  # brat numbers repeated roles: Content2, Source2
            if role.startswith("Attribution"):
                no_source = role == "Attribution-no-source"
            elif role in roles and ref in spans:
                roles[role].extend(spans[ref][1])
        relations.append(
            Relation(
                content=tuple(sorted(roles["Content"])),
                cue=tuple(sorted(roles["Cue"])),
                source=tuple(sorted(roles["Source"])),
                has_source_label=not no_source,
            )
        )
    return relations


def in_train_sample(stem: str) -> bool:
    """Whether a training article belongs to the fixed sample kept apart as a second dev set."""
    return int(hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8], 16) % 100 < _TRAIN_SAMPLE_PERCENT


def read_split(split_dir: Path, sample: str = "all") -> Iterator[Document]:
    """The documents of one split folder (e.g. ``<corpora>/polnear/data/dev``), in file-name order.

    ``sample``: ``all`` the documents, only those of the fixed held-out ``sample``
    (`in_train_sample`), or the ``rest``.
    """
    if sample not in SAMPLES:
        raise ValueError(f"unknown sample {sample!r}; one of {SAMPLES}")
    chosen: dict[str, Path] = {}
    for ann_path in sorted((split_dir / "attributions").glob("*.ann")):
        stem = _ANNOTATOR_SUFFIX.sub("", ann_path.name)
        if sample != "all" and in_train_sample(stem) != (sample == "sample"):
            continue
        chosen.setdefault(stem, ann_path)
    for stem, ann_path in chosen.items():
        text = (split_dir / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        relations = parse_ann(ann_path.read_text(encoding="utf-8"))
        annotator = ann_path.name[len(stem) + 1 : -len(".ann")]
        yield Document(stem=stem, annotator=annotator, text=text, relations=tuple(relations))


def annotator_files(split_dir: Path) -> dict[str, list[Path]]:
    """Every annotator file of each document, for agreement studies on multiply-annotated documents."""
    files: dict[str, list[Path]] = {}
    for ann_path in sorted((split_dir / "attributions").glob("*.ann")):
        files.setdefault(_ANNOTATOR_SUFFIX.sub("", ann_path.name), []).append(ann_path)
    return files
