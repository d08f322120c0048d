"""The publication-date evaluation: its scoring on tiny intervals, and one run on a corpus written here."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from broadsheet.cli import main as cli_main
from broadsheet.lab.evaluation.pubdate import CORPORA, main, score

PARAGRAPHS = [
    "The harbour board of Eastport approved a new ferry timetable after a long public consultation that drew "
    "more than four hundred written comments from residents and local businesses, its chair said.",
    "The old pier was rebuilt in 2019, and the board bought two new ferries in 2021, the chair added.",
]
TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>{doc}</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>
<TEXT>{text}</TEXT>
</TimeML>
"""


def _row(earliest, latest, day=None, source="inferred"):
    return {
        "published_date": day,
        "published_date_earliest": earliest,
        "published_date_latest": latest,
        "published_date_source": source,
        "published_date_confidence": 0.1,
    }


def test_an_open_end_is_unbounded_and_a_day_outside_is_wrong():
    gold = dt.date(2024, 5, 14)
    lower = score(gold, _row(dt.date(2021, 1, 1), None))
    assert (lower["covered"], lower["within"], lower["wrong"], lower["open"], lower["width"]) == (True, True, False, True, None)
    assert lower["slack"] == (gold - dt.date(2021, 1, 1)).days
    assert score(gold, _row(dt.date(2025, 1, 1), None))["wrong"]
    assert score(gold, _row(None, dt.date(2024, 5, 20)))["within"]
    closed = score(gold, _row(gold, gold, gold, "byline"))
    assert closed["within"] and closed["day"] and closed["width"] == 1
    unknown = score(gold, _row(None, None, source="unknown"))
    assert not unknown["covered"] and not unknown["wrong"] and not unknown["within"]
    assert score(gold, "ingest reject")["failure"] == "ingest reject"


def write_corpus(root: Path) -> Path:
    folder = root / "fundus-dev" / "xx"
    folder.mkdir(parents=True)
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry timetable</title>
<meta property="article:published_time" content="2024-05-14T10:30:00+02:00"></head>
<body><article><h1>Eastport approves earlier ferry timetable</h1>{body}</article></body></html>"""
    (folder / "Gazette_2024_05_14.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    gold = {"title": "Ferry", "authors": [], "publishing_date": "2024-05-14 10:30:00+02:00", "body": {}, "english": True}
    (folder / "Gazette_2024_05_14.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    tbaq = root / "tempeval3" / "Training" / "TBAQ-cleaned" / "TimeBank"
    tbaq.mkdir(parents=True)
    text = "The plant at Harlow was closed in 1994, and its owners sold the site in 1996, workers said."
    (tbaq / "a.tml").write_text(TIMEML.format(doc="a", dct="1998-02-13", text=text), encoding="utf-8")
    silver = root / "tempeval3" / "Training" / "TE3-Silver-data-0"
    silver.mkdir(parents=True)
    text = "The vote will be held on March 3, 2031, and the count is scheduled for the next day."
    (silver / "b.tml").write_text(TIMEML.format(doc="b", dct="2006-11-14", text=text), encoding="utf-8")
    return root


def test_a_run_drops_the_metadata_date_and_scores_every_corpus(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main(["--corpora", str(write_corpus(tmp_path)), "--json", str(out)]) == 0
    assert "coverage" in capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["corpora"]) == set(CORPORA)
    for corpus in CORPORA[:2]:  # the page's own date is removed: only the past events bound it
        figures = results["corpora"][corpus]
        assert figures["documents"] == 1 and figures["failures"] == 0
        assert (figures["covered"], figures["within"], figures["wrong"], figures["open"]) == (1, 1, 0, 1)
    [page] = [r for r in results["documents"] if r["corpus"] == CORPORA[0]]
    assert page["earliest"] == "2021-01-01" and page["latest"] is None and page["source"] == "inferred"
    assert results["corpora"][CORPORA[2]]["within"] == 1
    assert results["corpora"][CORPORA[3]]["covered"] == 0  # a schedule says nothing: unknown


def test_a_missing_corpus_is_said_and_fails(tmp_path, capsys):
    assert cli_main(["evaluate", "pubdate", "--corpora", str(tmp_path / "missing")]) != 0
    assert "missing" in capsys.readouterr().err
