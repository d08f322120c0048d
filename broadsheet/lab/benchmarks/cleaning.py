"""How fast the clean stage's per-article step is: milliseconds per article and words per second.

    python -m broadsheet.lab.benchmarks.cleaning [--source PATH ...] [--repeat 5]

Times `broadsheet.clean.clean_text` (the cleaning rules alone) and
`broadsheet.clean.documents.build_documents` (cleaning plus the documents row: dates, language,
sentences) over the text files of each source (default: seeds/), in this process, after one
warm-up pass. The best of `--repeat` passes is printed, since anything else running on the
machine only ever adds time.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from broadsheet.paths import default_seeds_dir

_TEXT_SUFFIXES = {".txt", ".md"}


def _records(sources: list[Path]) -> list[dict]:
    records = []
    for source in sources:
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.suffix in _TEXT_SUFFIXES)
        for path in files:
            if path.name.startswith(("_", ".")):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            records.append(
                {
                    "doc_id": "d_" + hashlib.sha256(str(path).encode()).hexdigest()[:16],
                    "source_uri": path.name,
                    "source_format": "md" if path.suffix == ".md" else "txt",
                    "source_record_id": None,
                    "raw_sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "encoding": "utf-8",
                    "raw_text": text,
                    "title": None,
                    "url": None,
                    "authors": [],
                    "publisher": None,
                    "published_date": None,
                    "published_date_raw": None,
                    "position": None,
                }
            )
    return records


def _best(action, repeat: int) -> float:
    action()  # warm-up: compiled rules, lexicons
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    from broadsheet.clean import clean_text
    from broadsheet.clean.documents import build_documents

    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.benchmarks.cleaning", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--source", action="append", type=Path, help="a text file or a folder of .txt/.md files (default: seeds/)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    records = _records(args.source or [default_seeds_dir()])
    if not records:
        print("no .txt or .md files in the sources")
        return 1
    words = sum(len(r["raw_text"].split()) for r in records)
    rules = _best(lambda: [clean_text(r["raw_text"], r["source_format"]) for r in records], args.repeat)
    rows = _best(lambda: build_documents(records), args.repeat)
    n = len(records)
    print(f"{n} articles, {words:,} words (best of {args.repeat})")
    print(f"cleaning rules:       {rules / n * 1000:8.1f} ms per article, {words / rules:10,.0f} words/s")
    print(f"cleaning + documents: {rows / n * 1000:8.1f} ms per article, {words / rows:10,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
