"""Measures the publication dates the clean stage infers when no date is stated, against corpora whose day of writing is known.

The date is removed and the pipeline asked: each document goes through the ingest stage's reader
and the clean stage (`build_documents`), with the ingested row's metadata date dropped, and its
`published_date_earliest` / `published_date_latest` interval is compared with the gold day. A date
the text itself states in a byline or dateline is kept (it is the pipeline's own reading of the
text) and counted apart from the inferred ones. Corpora, under `--corpora`:
- fundus-dev: real news pages (`fundus-dev/`, gold `publishing_date` as a day in its own time
  zone), read from their HTML by the ingest reader, and from trafilatura's Markdown rendering;
- TempEval-3: `tempeval3/Training/TBAQ-cleaned` and the silver sets `TE3-Silver-data-*` (newswire;
  the gold is the document creation time), their `<TEXT>` read as a plain-text article.

Per corpus: documents; coverage (an interval with at least one bound); within (the gold day in the
interval, an open end counting as unbounded); wrong (the gold day outside it), both as shares of
all documents; the share given one day; the mean width in days of the intervals closed at both
ends; how many are open (a lower bound only), and how far such a bound lies below the gold day. Run: `broadsheet evaluate pubdate --corpora ../shared/corpora`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from broadsheet.lab.evaluation import print_results
from broadsheet.lab.evaluation.fundus import GoldPage, read_pages
from broadsheet.lab.evaluation.timeml import parse_timeml

DEFAULT_CORPORA = Path("../shared/corpora")
FUNDUS_SUBDIR = Path("fundus-dev")
TEMPEVAL_SUBDIR = Path("tempeval3/Training")
TBAQ = "TBAQ-cleaned"
SILVER_GLOB = "TE3-Silver-data-*"
CORPORA = ("fundus-dev (html)", "fundus-dev (markdown)", "TempEval-3 TBAQ", "TempEval-3 silver")

Task = tuple[str, Any]  # ("fundus", GoldPage) or (corpus name, path of a .tml file)


def undated_document(data: bytes, source_format: str, source_uri: str) -> dict[str, Any] | str:
    """The documents row of one file, read and cleaned with its metadata date removed; or why there is none."""
    from broadsheet.clean.documents import build_documents
    from broadsheet.ingest.readers import read_source
    from broadsheet.ingest.records import Reject
    from broadsheet.ingest.stage import ingested_row

    items = read_source(source_format, data, source_uri)
    records = [item for item in items if not isinstance(item, Reject)]
    if not records:
        return "ingest reject"
    row = ingested_row(records[0], 0) | {"published_date": None, "published_date_raw": None}
    rows = build_documents([row])
    return rows.documents[0] if rows.documents else "clean reject"


def score(gold: dt.date, doc: dict[str, Any] | str) -> dict[str, Any]:
    """One document's interval against its gold day."""
    if isinstance(doc, str):
        return {"failure": doc, "source": "failed", "covered": False, "within": False, "wrong": False}
    # A documents table without the interval columns (before schema 1.3) states its day as the interval.
    earliest = doc.get("published_date_earliest", doc["published_date"])
    latest = doc.get("published_date_latest", doc["published_date"])
    covered = earliest is not None or latest is not None
    within = covered and (earliest is None or earliest <= gold) and (latest is None or gold <= latest)
    closed = earliest is not None and latest is not None
    return {
        "failure": None,
        "source": doc["published_date_source"],
        "confidence": doc["published_date_confidence"],
        "covered": covered,
        "within": within,
        "wrong": covered and not within,
        "day": doc["published_date"] is not None,
        "width": (latest - earliest).days + 1 if closed else None,
        # how loose a lower bound is: days from it to the gold day (where the gold is within)
        "slack": (gold - earliest).days if within and earliest is not None and latest is None else None,
        "open": covered and not closed,
        "earliest": earliest.isoformat() if earliest else None,
        "latest": latest.isoformat() if latest else None,
    }


def evaluate_task(task: Task) -> list[dict[str, Any]]:
    """The records of one page (both readings) or one TimeML file; never an exception."""
    kind, item = task
    if kind == "fundus":
        return _fundus_records(item)
    path = Path(item)
    try:
        doc = parse_timeml(path.read_text(encoding="utf-8"), path.name)
    except Exception as exc:  # an unreadable file is counted, not fatal
        return [{"corpus": kind, "doc": path.name, "gold": None, "failure": f"unreadable: {type(exc).__name__}"}]
    if doc.creation_date is None:
        return []
    try:
        row = undated_document(doc.text.encode("utf-8"), "txt", f"tempeval3/{path.name}.txt")
    except Exception as exc:
        row = f"{type(exc).__name__}: {exc}"
    return [{"corpus": kind, "doc": path.name, "gold": doc.creation_date.isoformat(), **score(doc.creation_date, row)}]


def _fundus_records(page: GoldPage) -> list[dict[str, Any]]:
    from broadsheet.lab.evaluation.documents import gold_day, render_markdown

    if not page.publishing_date:
        return []
    gold = gold_day(page.publishing_date)
    records = []
    for corpus in CORPORA[:2]:
        try:
            html = page.html()
            if corpus == CORPORA[0]:
                row: dict[str, Any] | str = undated_document(html, "html", f"{FUNDUS_SUBDIR}/{page.page_id}.html")
            else:
                markdown = render_markdown(html)
                row = (
                    undated_document(markdown.encode("utf-8"), "md", f"{FUNDUS_SUBDIR}/{page.page_id}.md")
                    if markdown and markdown.strip()
                    else "no Markdown rendering"
                )
        except Exception as exc:  # one page must not stop the run; it is counted with its reason
            row = f"{type(exc).__name__}: {exc}"
        records.append({"corpus": corpus, "doc": page.page_id, "gold": gold.isoformat(), **score(gold, row)})
    return records


def tasks(corpora: Path) -> list[Task]:
    """Every document of every corpus found under `corpora`."""
    found: list[Task] = []
    fundus = corpora / FUNDUS_SUBDIR
    if fundus.is_dir():
        found += [("fundus", page) for page in read_pages(fundus)]
    tempeval = corpora / TEMPEVAL_SUBDIR
    if (tempeval / TBAQ).is_dir():
        found += [(CORPORA[2], str(p)) for p in sorted((tempeval / TBAQ).rglob("*.tml"))]
    for folder in sorted(tempeval.glob(SILVER_GLOB)) if tempeval.is_dir() else ():
        found += [(CORPORA[3], str(p)) for p in sorted(folder.rglob("*.tml"))]
    return found


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per corpus: counts and shares of all documents, the mean closed width, the sources."""
    summary: dict[str, Any] = {}
    for corpus in CORPORA:
        rows = [r for r in records if r["corpus"] == corpus]
        if not rows:
            continue
        n = len(rows)
        widths = [r["width"] for r in rows if r.get("width") is not None]
        slacks = [r["slack"] for r in rows if r.get("slack") is not None]
        counts = {k: sum(1 for r in rows if r.get(k)) for k in ("covered", "within", "wrong", "day", "open")}
        inferred = [r for r in rows if r.get("source") == "inferred"]
        summary[corpus] = {
            "documents": n,
            **counts,
            "coverage": counts["covered"] / n,
            "within_share": counts["within"] / n,
            "wrong_share": counts["wrong"] / n,
            "day_share": counts["day"] / n,
            "mean_width_days": sum(widths) / len(widths) if widths else None,
            "closed": len(widths),
            "mean_open_slack_days": sum(slacks) / len(slacks) if slacks else None,
            "inferred": len(inferred),
            "inferred_wrong": sum(1 for r in inferred if r["wrong"]),
            "sources": dict(Counter(r["source"] for r in rows).most_common()),
            "failures": sum(1 for r in rows if r.get("failure")),
        }
    return summary


def format_table(summary: dict[str, Any]) -> str:
    head = (
        f"{'corpus':24}{'docs':>6}{'coverage':>10}{'within':>9}{'wrong':>8}{'one day':>9}{'closed':>8}{'width d':>9}"
        f"{'open':>6}{'slack d':>9}"
    )
    lines = [head]
    for corpus, s in summary.items():
        width = "n/a" if s["mean_width_days"] is None else f"{s['mean_width_days']:.1f}"
        slack = "n/a" if s["mean_open_slack_days"] is None else f"{s['mean_open_slack_days']:.0f}"
        lines.append(
            f"{corpus:24}{s['documents']:>6}{s['coverage']:>10.3f}{s['within_share']:>9.3f}{s['wrong_share']:>8.3f}"
            f"{s['day_share']:>9.3f}{s['closed']:>8}{width:>9}{s['open']:>6}{slack:>9}"
        )
    lines.append("")
    lines.append("within, wrong, one day: shares of all documents; width: mean days of the intervals closed at both ends;")
    lines.append("open: intervals with a lower bound only; slack: mean days from such a bound to the gold day")
    for corpus, s in summary.items():
        sources = ", ".join(f"{k} {v}" for k, v in s["sources"].items())
        lines.append(f"  {corpus}: {sources}; inferred and wrong {s['inferred_wrong']} of {s['inferred']}")
    return "\n".join(lines)


def evaluate(corpora: Path, jobs: int = 1, limit: int | None = None) -> dict[str, Any]:
    todo = tasks(corpora)[:limit]
    t0 = time.perf_counter()
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            records = [r for rs in pool.map(evaluate_task, todo, chunksize=8) for r in rs]
    else:
        records = [r for task in todo for r in evaluate_task(task)]
    return {"seconds": time.perf_counter() - t0, "corpora": summarize(records), "documents": records}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet evaluate pubdate", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help="folder holding fundus-dev/ and tempeval3/ (default: ../shared/corpora)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure, per document too, as JSON")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="documents read in N processes (default: 1)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N pages or files (a quick look)")
    args = parser.parse_args(argv)
    if not (args.corpora / FUNDUS_SUBDIR).is_dir() and not (args.corpora / TEMPEVAL_SUBDIR).is_dir():
        print(
            f"no corpus: neither {args.corpora / FUNDUS_SUBDIR} nor {args.corpora / TEMPEVAL_SUBDIR} found; pass --corpora",
            file=sys.stderr,
        )
        return 2
    results = evaluate(args.corpora, jobs=max(1, args.jobs), limit=args.limit)
    if not results["documents"]:
        print(f"no dated documents under {args.corpora}", file=sys.stderr)
        return 2
    report = format_table(results["corpora"]) + f"\n\n{len(results['documents'])} documents in {results['seconds']:.0f} s"
    return print_results(report, results, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
