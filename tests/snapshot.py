"""Every row the pipeline extracts from a set of corpora, written out so two versions of the code
can be compared row by row (a refactoring must not change a single one).

    python -m tests.snapshot --corpora ../corpora --out /tmp/before
    ... change the code ...
    python -m tests.snapshot --corpora ../corpora --out /tmp/after
    diff -r /tmp/before /tmp/after

What it writes, one JSON Lines file per table, rows sorted:
- `pipeline/<table>.jsonl`: ingest → clean → extract (no cache, no Prefect) over `seeds/`, the
  PolNeAR dev texts and the English fundus-dev pages: every table the build writes before
  validation, so cleaning, entities, claims, dates and their links are all covered;
- `timex/<corpus>.jsonl`: the date extractor alone on the TimeBank/AQUAINT and GUM news texts,
  anchored on each document's creation date;
- `claims/polnear-dev.jsonl`: the claim extractor alone on the PolNeAR dev texts.

Corpora that are absent are skipped with a message; nothing of them is written into the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _jsonable(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _write(path: Path, rows: Iterable[dict]) -> int:
    lines = sorted(json.dumps(_jsonable(r), sort_keys=True, ensure_ascii=False) for r in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _fundus_pages(corpora: Path, into: Path) -> Path | None:
    """The English fundus-dev pages, decompressed into `into` (a temporary folder)."""
    root = corpora / "fundus-dev"
    if not root.is_dir():
        return None
    into.mkdir(parents=True, exist_ok=True)
    for gold in sorted(root.rglob("*.gold.json")):
        if not json.loads(gold.read_text(encoding="utf-8")).get("english"):
            continue
        page = gold.with_name(gold.name[: -len(".gold.json")] + ".html.gz")
        if page.exists():
            target = into / f"{gold.parent.name}-{page.name[:-3]}"
            target.write_bytes(gzip.decompress(page.read_bytes()))
    return into


def pipeline(corpora: Path, out: Path) -> None:
    from broadsheet.clean.stage import clean_stage
    from broadsheet.extract.stage import extract_stage
    from broadsheet.ingest.stage import ingest_stage
    from broadsheet.schema import load_schemas
    from broadsheet.stageio import load_tables

    with tempfile.TemporaryDirectory() as tmp:
        sources: list[Path] = [REPO / "seeds"]
        polnear = corpora / "polnear" / "data" / "dev" / "text"
        if polnear.is_dir():
            sources.append(polnear)
        else:
            print(f"skipped: no PolNeAR dev texts under {corpora}", file=sys.stderr)
        fundus = _fundus_pages(corpora, Path(tmp) / "fundus-dev")
        if fundus is not None:
            sources.append(fundus)
        else:
            print(f"skipped: no fundus-dev under {corpora}", file=sys.stderr)
        build = Path(tmp) / "build"
        schemas = load_schemas()
        ingested = ingest_stage(sources, build)
        cleaned = clean_stage(ingested, build, use_cache=False)
        extracted = extract_stage(cleaned, build, use_cache=False)
        for output in (ingested, cleaned, extracted):
            for name, frame in load_tables(output, schemas).items():
                n = _write(out / "pipeline" / f"{output.stage}-{name}.jsonl", frame.to_dicts())
                print(f"pipeline {output.stage}/{name}: {n} rows")


def timex(corpora: Path, out: Path) -> None:
    from broadsheet.extract.dates import find_temporal_expressions
    from broadsheet.lab.evaluation.dates import read_gum_news, read_tbaq

    sets = {
        "tbaq": (read_tbaq, corpora / "tempeval3" / "Training" / "TBAQ-cleaned"),
        "gum-news": (read_gum_news, corpora / "gum" / "not-to-release" / "sources"),
    }
    for name, (read, path) in sets.items():
        if not path.is_dir():
            print(f"skipped: {path} is absent", file=sys.stderr)
            continue
        rows = [
            {"doc": doc.doc_id, **_jsonable(t)}
            for doc in read(path)
            for t in find_temporal_expressions(doc.text, anchor=doc.creation_date)
        ]
        print(f"timex {name}: {_write(out / 'timex' / f'{name}.jsonl', rows)} expressions")


def claims(corpora: Path, out: Path) -> None:
    from broadsheet.extract.claims import extract_claims
    from broadsheet.lab.evaluation.polnear import read_split

    split = corpora / "polnear" / "data" / "dev"
    if not split.is_dir():
        print(f"skipped: {split} is absent", file=sys.stderr)
        return
    rows = [{"doc": doc.stem, **_jsonable(c)} for doc in read_split(split) for c in extract_claims(doc.text)]
    print(f"claims polnear-dev: {_write(out / 'claims' / 'polnear-dev.jsonl', rows)} claims")


PARTS = {"pipeline": pipeline, "timex": timex, "claims": claims}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True, help="the folder holding the annotated corpora")
    parser.add_argument("--out", type=Path, required=True, help="where to write the rows")
    parser.add_argument("--only", choices=sorted(PARTS), action="append", help="run only these parts")
    args = parser.parse_args(argv)
    for name in args.only or PARTS:
        PARTS[name](args.corpora, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
