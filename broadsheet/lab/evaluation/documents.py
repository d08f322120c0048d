"""Scores the documents a release would hold against real news pages with gold title, authors, date and body.

Three systems on the same Fundus pages (`fundus-dev/`, see :mod:`broadsheet.lab.evaluation.fundus`):
- broadsheet: the page read by the ingest stage's HTML reader and cleaned by the clean stage
  (`build_documents` over its ingested row), as the documents table would hold it;
- trafilatura: `trafilatura.bare_extraction` with its default settings, as a baseline (its body
  text, without comments);
- broadsheet on Markdown: the page rendered by trafilatura to Markdown (its default rendering,
  title heading and comments included), read by broadsheet as a scraped `.md` article and cleaned.
  The gold describes the HTML page, so only its body figures compare with the others.

Per page, then averaged over pages (English, non-English, all; per publisher on request), and
the spread over publishers of each one's average (mean, median, lowest):
- title: exact match after NFC, whitespace collapsing and stripping; and, as secondary figures,
  case-insensitively, and with quote marks folded (curly to straight) and soft hyphens and
  zero-width spaces dropped: a page often writes its headline with curly quotes in the `<h1>`
  and straight ones in its social-media title, and gold titles follow either;
- authors: set precision, recall and F1 of names normalised (NFC, case-folded, whitespace
  collapsed). Conventions: no gold author and none predicted scores 1 on all three; no gold
  author and some predicted scores 0; gold authors and none predicted scores 0;
- published date: the gold's calendar day as written in its own time zone against the predicted
  day; no prediction is wrong; pages whose gold has no date are left out (and counted);
- body: precision, recall and F1 of the bag of word tokens (Unicode `\\w+`, case-folded) of the
  predicted text against the gold body (summary, section headlines and paragraphs), and the
  share of gold paragraphs (summary and sections) kept whole: found, whitespace-normalised, in
  the whitespace-normalised predicted text. Pages with an empty gold body are left out.
A page a system fails on (a reject, an exception) is scored as an empty prediction and counted
with its reason. Run: `broadsheet evaluate documents --corpora ../shared/corpora`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.lab.evaluation import prf, print_results
from broadsheet.lab.evaluation.fundus import GoldPage, read_pages

FUNDUS_SUBDIR = Path("fundus-dev")
DEFAULT_CORPORA = Path("../shared/corpora")
SYSTEMS = ("broadsheet", "trafilatura", "broadsheet-md")
GROUPS = ("english", "non-english", "all")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Below these a page's body is counted as an error of that kind in the error summary.
_BODY_ERROR_THRESHOLD = 0.9


@dataclass
class Prediction:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | dt.datetime | str | None = None
    text: str = ""
    failure: str | None = None  # why the system gave nothing for this page


# --- scoring -------------------------------------------------------------------------------


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


# Typography that two renderings of one headline write differently: curly and straight quote
# marks, a soft hyphen, a zero-width space. Folded only for the secondary "typography folded"
# figure; the exact match keeps them.
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00ad": None, "\u200b": None}
)


def title_match(gold: str | None, predicted: str | None, *, ignore_case: bool = False, fold_typography: bool = False) -> bool:
    """Whether the titles are equal after NFC, whitespace collapsing and stripping (and case folding,
    and folding quote marks and invisible hyphens and spaces)."""
    if not gold or not predicted:
        return False
    if fold_typography:
        gold, predicted = gold.translate(_TYPOGRAPHY), predicted.translate(_TYPOGRAPHY)
    g, p = normalize_space(gold), normalize_space(predicted)
    if ignore_case:
        g, p = g.casefold(), p.casefold()
    return g == p


def normalize_author(name: str) -> str:
    return normalize_space(name).casefold()


def author_scores(gold: Iterable[str], predicted: Iterable[str]) -> tuple[float, float, float]:
    """Set precision, recall and F1 of normalised names (see the module docstring for empty sets)."""
    g = {normalize_author(a) for a in gold if a.strip()}
    p = {normalize_author(a) for a in predicted if a and a.strip()}
    if not g and not p:
        return 1.0, 1.0, 1.0
    if not g or not p:
        return 0.0, 0.0, 0.0
    return prf(len(g & p), len(p), len(g))


def gold_day(value: str) -> dt.date:
    """The calendar day of an ISO datetime string, in the time zone it is written in."""
    return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()


def predicted_day(value: dt.date | dt.datetime | str | None, zone: dt.tzinfo | None = None) -> dt.date | None:
    """The predicted day; a datetime with an offset is read in `zone` (the gold's) when there is one."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and zone is not None:
            value = value.astimezone(zone)
        return value.date()
    return value


def date_correct(gold: str, predicted: dt.date | dt.datetime | str | None) -> bool:
    """Whether the predicted day is the gold's day in the gold's own time zone."""
    zone = dt.datetime.fromisoformat(gold.strip().replace("Z", "+00:00")).tzinfo
    day = predicted_day(predicted, zone)
    return day is not None and day == gold_day(gold)


def tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFC", text).casefold()))


def token_scores(gold: str, predicted: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the bag of word tokens of `predicted` against `gold`."""
    g, p = tokens(gold), tokens(predicted)
    return prf(sum((g & p).values()), sum(p.values()), sum(g.values()))


def paragraphs_kept(gold_paragraphs: Sequence[str], predicted: str) -> float | None:
    """The share of gold paragraphs found whole (whitespace-normalised) in the predicted text."""
    wanted = [normalize_space(p) for p in gold_paragraphs if p.strip()]
    if not wanted:
        return None
    text = normalize_space(predicted)
    return sum(p in text for p in wanted) / len(wanted)


def score_page(page: GoldPage, prediction: Prediction) -> dict[str, Any]:
    """One page's figures for one system; None where the gold does not allow the field."""
    ap, ar, af = author_scores(page.authors, prediction.authors)
    scores: dict[str, Any] = {
        "failed": prediction.failure is not None,
        "title_exact": title_match(page.title, prediction.title) if page.title else None,
        "title_exact_nocase": title_match(page.title, prediction.title, ignore_case=True) if page.title else None,
        "title_exact_typography": (title_match(page.title, prediction.title, fold_typography=True) if page.title else None),
        "author_precision": ap,
        "author_recall": ar,
        "author_f1": af,
        "date_day": date_correct(page.publishing_date, prediction.date) if page.publishing_date else None,
    }
    if page.body.strip():
        bp, br, bf = token_scores(page.body, prediction.text)
        scores |= {"body_precision": bp, "body_recall": br, "body_f1": bf}
        scores["paragraphs_kept"] = paragraphs_kept(page.body_paragraphs, prediction.text)
    else:
        scores |= {"body_precision": None, "body_recall": None, "body_f1": None, "paragraphs_kept": None}
    return scores


def error_kinds(page: GoldPage, prediction: Prediction, scores: dict[str, Any]) -> list[str]:
    """What went wrong on a page, in words a summary can count."""
    kinds = []
    if prediction.failure is not None:
        kinds.append("page failed")
    if scores["title_exact"] is False:
        kinds.append("title missing" if not prediction.title else "title differs")
    gold_authors = {normalize_author(a) for a in page.authors}
    if scores["author_f1"] < 1:
        if gold_authors and not prediction.authors:
            kinds.append("authors missing")
        elif not gold_authors:
            kinds.append("authors where gold has none")
        else:
            kinds.append("authors differ")
    if scores["date_day"] is False:
        kinds.append("date missing" if prediction.date in (None, "") else "date wrong day")
    if scores["body_recall"] is not None and prediction.failure is None:
        if scores["body_recall"] < _BODY_ERROR_THRESHOLD:
            kinds.append("body text missed (recall < 0.9)")
        if scores["body_precision"] < _BODY_ERROR_THRESHOLD:
            kinds.append("extra text kept (precision < 0.9)")
    return kinds


# --- the systems ---------------------------------------------------------------------------


def _source_uri(page: GoldPage, extension: str) -> str:
    return f"{FUNDUS_SUBDIR.as_posix()}/{page.page_id}.{extension}"


def broadsheet_document(data: bytes, source_format: str, source_uri: str) -> Prediction:
    """The documents row the pipeline makes of one file: its ingest reader, then the clean step."""
    from broadsheet.clean.documents import build_documents
    from broadsheet.ingest.readers import read_source
    from broadsheet.ingest.records import Reject
    from broadsheet.ingest.stage import ingested_row

    items = read_source(source_format, data, source_uri)
    records = [item for item in items if not isinstance(item, Reject)]
    if not records:
        reasons = "; ".join(f"{r.reason}: {r.detail}" for r in items if isinstance(r, Reject))
        return Prediction(failure=f"ingest reject: {reasons or 'no record'}")
    rows = build_documents([ingested_row(record, position) for position, record in enumerate(records)])
    if not rows.documents:
        reasons = "; ".join(f"{r['reason']}: {r['detail']}" for r in rows.rejects)
        return Prediction(failure=f"clean reject: {reasons or 'no document'}")
    doc = rows.documents[0]
    return Prediction(title=doc["title"], authors=list(doc["authors"] or ()), date=doc["published_date"], text=doc["text"])


def run_broadsheet(page: GoldPage, html: bytes) -> Prediction:
    return broadsheet_document(html, "html", _source_uri(page, "html"))


def run_trafilatura(page: GoldPage, html: bytes) -> Prediction:  # noqa: ARG001 - one signature for every system
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True)
    if extracted is None:
        return Prediction(failure="no extraction")
    authors = [a.strip() for a in (extracted.author or "").split(";") if a.strip()]
    return Prediction(title=extracted.title, authors=authors, date=extracted.date, text=extracted.text or "")


def render_markdown(html: bytes) -> str | None:
    """The page as trafilatura renders it to Markdown with its default settings."""
    import trafilatura

    return trafilatura.extract(html, output_format="markdown")


def run_markdown(page: GoldPage, html: bytes) -> Prediction:
    markdown = render_markdown(html)
    if not markdown or not markdown.strip():
        return Prediction(failure="no Markdown rendering")
    return broadsheet_document(markdown.encode("utf-8"), "md", _source_uri(page, "md"))


RUNNERS: dict[str, Callable[[GoldPage, bytes], Prediction]] = {
    "broadsheet": run_broadsheet,
    "trafilatura": run_trafilatura,
    "broadsheet-md": run_markdown,
}


def evaluate_page(page: GoldPage) -> dict[str, Any]:
    """Every system on one page: its scores, error kinds and failure, never an exception."""
    result: dict[str, Any] = {
        "page": page.page_id,
        "publisher": page.publisher,
        "english": page.english,
        "systems": {},
    }
    try:
        html = page.html()
    except Exception as exc:  # an unreadable file fails every system on this page, not the run
        html = None
        unreadable = f"page unreadable: {type(exc).__name__}: {exc}"
    for name, run in RUNNERS.items():
        t0 = time.perf_counter()
        if html is None:
            prediction = Prediction(failure=unreadable)
        else:
            try:
                prediction = run(page, html)
            except Exception as exc:  # one page must not stop the run; it is counted with its reason
                prediction = Prediction(failure=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - t0
        scores = score_page(page, prediction)
        result["systems"][name] = {
            **scores,
            "seconds": seconds,
            "failure": prediction.failure,
            "errors": error_kinds(page, prediction, scores),
            "predicted": {k: v for k, v in asdict(prediction).items() if k != "text"} | {"date": _jsonable(prediction.date)},
        }
    return result


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- averaging and reporting ---------------------------------------------------------------

FIELDS = (
    "title_exact",
    "title_exact_nocase",
    "title_exact_typography",
    "author_precision",
    "author_recall",
    "author_f1",
    "date_day",
    "body_precision",
    "body_recall",
    "body_f1",
    "paragraphs_kept",
)


def average(pages: Sequence[dict[str, Any]], system: str) -> dict[str, Any]:
    """Means over pages of each field (pages where the field is undefined left out, and counted)."""
    figures: dict[str, Any] = {"pages": len(pages)}
    rows = [p["systems"][system] for p in pages]
    for name in FIELDS:
        values = [float(r[name]) for r in rows if r[name] is not None]
        figures[name] = sum(values) / len(values) if values else None
        figures[f"{name}_pages"] = len(values)
    figures["pages_without_gold_date"] = sum(1 for r in rows if r["date_day"] is None)
    figures["failures"] = sum(1 for r in rows if r["failure"] is not None)
    figures["failure_reasons"] = dict(Counter(r["failure"].split(":", 1)[0] for r in rows if r["failure"]))
    figures["errors"] = dict(Counter(kind for r in rows for kind in r["errors"]).most_common())
    figures["seconds"] = sum(r["seconds"] for r in rows)
    return figures


SPREAD_FIELDS = ("title_exact", "author_f1", "date_day", "body_f1")


def spread(pages: Sequence[dict[str, Any]], system: str) -> dict[str, Any]:
    """Each field's per-publisher averages: how many publishers, their mean, median and lowest.

    What is measured elsewhere is pages of publishers never seen here, so a change is judged by
    how it moves publishers, not only by a page average that a publisher with many pages carries.
    """
    by_publisher: dict[str, list[dict[str, Any]]] = {}
    for p in pages:
        by_publisher.setdefault(p["publisher"], []).append(p["systems"][system])
    figures: dict[str, Any] = {"publishers": len(by_publisher)}
    for name in SPREAD_FIELDS:
        means = []
        for rows in by_publisher.values():
            values = [float(r[name]) for r in rows if r[name] is not None]
            if values:
                means.append(sum(values) / len(values))
        figures[name] = (
            {"mean": statistics.fmean(means), "median": statistics.median(means), "min": min(means)} if means else None
        )
    return figures


def summarize(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    groups = {
        "english": [p for p in pages if p["english"]],
        "non-english": [p for p in pages if not p["english"]],
        "all": list(pages),
    }
    publishers: dict[str, list[dict[str, Any]]] = {}
    for p in pages:
        publishers.setdefault(p["publisher"], []).append(p)
    return {
        "groups": {g: {s: average(ps, s) for s in SYSTEMS} for g, ps in groups.items()},
        "spread": {g: {s: spread(ps, s) for s in SYSTEMS} for g, ps in groups.items() if g != "all"},
        "publishers": {name: {s: average(ps, s) for s in SYSTEMS} for name, ps in sorted(publishers.items())},
    }


_ROWS = (
    ("pages", "pages", "{:d}"),
    ("failed pages", "failures", "{:d}"),
    ("title exact", "title_exact", "{:.3f}"),
    ("title exact (any case)", "title_exact_nocase", "{:.3f}"),
    ("title (quotes folded)", "title_exact_typography", "{:.3f}"),
    ("author P", "author_precision", "{:.3f}"),
    ("author R", "author_recall", "{:.3f}"),
    ("author F1", "author_f1", "{:.3f}"),
    ("date: right day", "date_day", "{:.3f}"),
    ("body token P", "body_precision", "{:.3f}"),
    ("body token R", "body_recall", "{:.3f}"),
    ("body token F1", "body_f1", "{:.3f}"),
    ("paragraphs kept whole", "paragraphs_kept", "{:.3f}"),
)


def _cell(value: Any, fmt: str) -> str:
    return "n/a" if value is None else fmt.format(value)


def format_table(summary: dict[str, Any], per_publisher: bool = False) -> str:
    width = 15
    lines = []
    for group, by_system in summary["groups"].items():
        any_system = by_system[SYSTEMS[0]]
        dated = any_system["date_day_pages"]
        lines.append(f"== {group}: {any_system['pages']} pages ({dated} with a gold date) ==")
        lines.append("".ljust(24) + "".join(s.rjust(width) for s in SYSTEMS))
        for label, key, fmt in _ROWS:
            lines.append(label.ljust(24) + "".join(_cell(by_system[s][key], fmt).rjust(width) for s in SYSTEMS))
        lines.append("")
    lines.append("broadsheet-md reads trafilatura's Markdown of the page: compare its body figures only.")
    lines.append("\nper-publisher spread: each publisher's average, then their mean / median / lowest")
    lines.append("".ljust(24) + "".join(s.rjust(width + 7) for s in SYSTEMS))
    for group, by_system in summary["spread"].items():
        lines.append(f"  {group}: {by_system[SYSTEMS[0]]['publishers']} publishers")
        for key in SPREAD_FIELDS:
            cells = []
            for s in SYSTEMS:
                f = by_system[s][key]
                cells.append(("n/a" if f is None else f"{f['mean']:.3f} {f['median']:.3f} {f['min']:.3f}").rjust(width + 7))
            lines.append(f"    {key:20}" + "".join(cells))
    lines.append("\nmost common errors (pages):")
    for s in SYSTEMS:
        counts = summary["groups"]["all"][s]["errors"]
        lines.append(f"  {s}: " + ", ".join(f"{kind} {n}" for kind, n in list(counts.items())[:6]))
    if per_publisher:
        lines.append("\nper publisher: pages; then title exact / author F1 / date day / body F1 for each system")
        lines.append("".ljust(28) + "".join(s.rjust(26) for s in SYSTEMS))
        for name, by_system in summary["publishers"].items():
            cells = []
            for s in SYSTEMS:
                f = by_system[s]
                cells.append(
                    " ".join(_cell(f[k], "{:.2f}") for k in ("title_exact", "author_f1", "date_day", "body_f1")).rjust(26)
                )
            lines.append(f"{name[:22]:22} {by_system[SYSTEMS[0]]['pages']:>4} " + "".join(cells))
    return "\n".join(lines)


def evaluate(folder: Path, jobs: int = 1, limit: int | None = None) -> dict[str, Any]:
    """Every page under `folder` through every system; the per-page records and their averages."""
    pages = read_pages(folder)[:limit]
    t0 = time.perf_counter()
    if jobs > 1 and len(pages) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            records = list(pool.map(evaluate_page, pages, chunksize=4))
    else:
        records = [evaluate_page(p) for p in pages]
    return {
        "corpus": FUNDUS_SUBDIR.as_posix(),
        "seconds": time.perf_counter() - t0,
        **summarize(records),
        "pages": records,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet evaluate documents", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding fundus-dev/ (default: ../shared/corpora)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure, per page too, as JSON")
    parser.add_argument("--per-publisher", action="store_true", help="also print one row per publisher")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="pages scored in N processes (default: 1)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N pages (a quick look)")
    args = parser.parse_args(argv)
    folder = args.corpora / FUNDUS_SUBDIR
    if not folder.is_dir():
        print(f"no document corpus: {folder} not found; pass --corpora", file=sys.stderr)
        return 2
    results = evaluate(folder, jobs=max(1, args.jobs), limit=args.limit)
    if not results["pages"]:
        print(f"no pages (PAGE.gold.json with PAGE.html.gz) under {folder}", file=sys.stderr)
        return 2
    report = format_table(results, per_publisher=args.per_publisher)
    report += f"\n\n{len(results['pages'])} pages in {results['seconds']:.0f} s"
    return print_results(report, results, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
