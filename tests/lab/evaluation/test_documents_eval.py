"""The documents scorer: its field comparisons on tiny examples, and one run on a page written here."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from broadsheet.cli import main as cli_main
from broadsheet.lab.evaluation.documents import (
    author_scores,
    date_correct,
    gold_day,
    main,
    paragraphs_kept,
    title_match,
    token_scores,
)
from broadsheet.lab.evaluation.fundus import read_pages

PARAGRAPHS = [
    "The harbour board of Eastport approved a new ferry timetable on Tuesday after a long public consultation "
    "that drew more than four hundred written comments from residents and local businesses.",
    "Under the new plan the first ferry will leave at six in the morning, an hour earlier than today, and the "
    "last crossing will return shortly before midnight on Fridays and Saturdays throughout the summer.",
    "Board chair Maria Lindqvist said the change answered the most common request of commuters, who had asked "
    "for a crossing that reaches the mainland before the first trains leave the central station.",
    "The timetable takes effect on the first of June and will be reviewed after one year of service.",
]
TITLE = "Eastport harbour board approves earlier ferry timetable"


def page_html() -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE} | Eastport Gazette</title>
<meta property="og:title" content="{TITLE}">
<meta name="author" content="Jonas Berg">
<meta property="article:published_time" content="2024-05-14T23:30:00-04:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{TITLE}</h1>
<p class="byline">By Jonas Berg</p>
{body}
</article>
<footer>Copyright Eastport Gazette. All rights reserved.</footer>
</body></html>"""


def write_corpus(root: Path) -> Path:
    folder = root / "fundus-dev" / "xx"
    folder.mkdir(parents=True)
    (folder / "Gazette_2024_05_14.html.gz").write_bytes(gzip.compress(page_html().encode("utf-8")))
    gold = {
        "title": TITLE,
        "authors": ["Jonas Berg"],
        "publishing_date": "2024-05-14 23:30:00-04:00",
        "body": {"summary": [], "sections": [{"headline": [], "paragraphs": PARAGRAPHS}]},
        "url": "https://gazette.example/ferry",
        "crawl_date": "2024-05-15 08:00:00",
        "publisher": "Gazette",
        "english": True,
    }
    (folder / "Gazette_2024_05_14.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


def test_titles_match_after_nfc_and_whitespace_and_optionally_case():
    assert title_match("Caf\u00e9  au\u00a0lait ", "Cafe\u0301 au lait")
    assert not title_match("Café au lait", "café au lait")
    assert title_match("Café au lait", "CAFÉ AU LAIT", ignore_case=True)
    assert not title_match("Café au lait", "Café au lait | The Daily")
    assert not title_match("Café au lait", None)


def test_the_secondary_title_figure_folds_quote_marks_and_invisible_hyphens_only():
    assert not title_match("Harbour 'to reopen'", "Harbour ‘to reopen’")
    assert title_match("Harbour 'to reopen'", "Harbour ‘to reopen’", fold_typography=True)
    assert title_match("Hafen\u00adanlage \u201eoffen\u201c", 'Hafenanlage "offen"', fold_typography=True)
    assert not title_match("Harbour to reopen", "Harbour to re-open", fold_typography=True)


def test_author_sets_and_their_empty_conventions():
    assert author_scores(["Anna  Smith", "Bo Li"], ["anna smith"]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert author_scores(["Anna Smith"], ["Anna Smith", "Reuters"]) == pytest.approx((0.5, 1.0, 2 / 3))
    assert author_scores([], []) == (1.0, 1.0, 1.0)  # nothing to find and nothing found
    assert author_scores([], ["Staff"]) == (0.0, 0.0, 0.0)  # a name where the page has none
    assert author_scores(["Anna Smith"], []) == (0.0, 0.0, 0.0)


def test_the_date_is_the_gold_day_in_the_gold_time_zone():
    assert gold_day("2024-05-14 23:30:00-04:00") == dt.date(2024, 5, 14)  # 03:30 on the 15th in UTC
    assert date_correct("2024-05-14 23:30:00-04:00", dt.date(2024, 5, 14))
    assert not date_correct("2024-05-14 23:30:00-04:00", dt.date(2024, 5, 15))
    assert date_correct("2024-05-14 23:30:00-04:00", "2024-05-14")
    # a predicted instant is read in the gold's zone: 03:30 UTC on the 15th is the 14th there
    assert date_correct("2024-05-14 23:30:00-04:00", dt.datetime(2024, 5, 15, 3, 30, tzinfo=dt.UTC))
    assert date_correct("2024-05-14 10:00:00", dt.date(2024, 5, 14))  # no offset: the day as written
    assert not date_correct("2024-05-14 10:00:00", None)
    assert not date_correct("2024-05-14 10:00:00", "not a date")


def test_body_tokens_are_a_case_folded_bag_of_words():
    assert token_scores("The cat sat. The end", "the CAT sat") == pytest.approx((1.0, 0.6, 0.75))
    p, r, f = token_scores("Grüße aus Köln", "Grüße aus Köln, Anzeige")
    assert (p, r) == pytest.approx((0.75, 1.0))
    assert token_scores("some words", "") == (0.0, 0.0, 0.0)


def test_a_paragraph_is_kept_whole_when_it_appears_whitespace_normalised():
    gold = ["First paragraph here.", "Second  one,\nacross lines.", "Third is lost."]
    predicted = "Headline\n\nFirst paragraph here. Second one, across lines.\n\nSomething else."
    assert paragraphs_kept(gold, predicted) == pytest.approx(2 / 3)
    assert paragraphs_kept(["first paragraph here."], predicted) == 0.0  # case matters
    assert paragraphs_kept([], predicted) is None


def test_the_reader_takes_the_gold_body_apart(tmp_path):
    (page,) = read_pages(write_corpus(tmp_path) / "fundus-dev")
    assert page.page_id == "xx/Gazette_2024_05_14"
    assert page.english and page.publisher == "Gazette"
    assert page.body_paragraphs == tuple(PARAGRAPHS)
    assert page.body == "\n\n".join(PARAGRAPHS)


def test_a_run_on_a_small_corpus_writes_every_figure(tmp_path, capsys):
    corpora = write_corpus(tmp_path)
    out = tmp_path / "figures.json"
    assert main(["--corpora", str(corpora), "--json", str(out), "--per-publisher"]) == 0
    printed = capsys.readouterr().out
    assert "body token F1" in printed and "Gazette" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    assert len(results["pages"]) == 1
    for system in ("broadsheet", "trafilatura", "broadsheet-md"):
        figures = results["groups"]["english"][system]
        assert figures["pages"] == 1 and figures["failures"] == 0
        assert figures["body_recall"] == pytest.approx(1.0)
        assert figures["paragraphs_kept"] == pytest.approx(1.0)
        assert results["groups"]["non-english"][system]["pages"] == 0
    broadsheet = results["groups"]["all"]["broadsheet"]
    assert broadsheet["title_exact"] == 1.0
    assert broadsheet["author_f1"] == 1.0
    assert broadsheet["date_day"] == 1.0
    assert results["publishers"]["Gazette"]["broadsheet"]["pages"] == 1
    spread = results["spread"]["english"]["broadsheet"]
    assert spread["publishers"] == 1
    assert spread["body_f1"]["min"] == spread["body_f1"]["median"] == pytest.approx(broadsheet["body_f1"])
    assert results["spread"]["non-english"]["broadsheet"]["title_exact"] is None
    assert "per-publisher spread" in printed


def test_a_missing_corpus_is_said_and_fails(tmp_path, capsys):
    assert cli_main(["evaluate", "documents", "--corpora", str(tmp_path / "missing")]) != 0
    assert "missing" in capsys.readouterr().err
