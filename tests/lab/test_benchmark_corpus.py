"""The benchmark's corpus: TimeML files become JSON articles, and copies for scale are distinct."""

from __future__ import annotations

from broadsheet.ingest import ingest_sources
from broadsheet.lab.benchmarks.corpus import altered, read_articles, replicate, write_articles

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>XYZ_ENG_20010203.0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-02-03" functionInDocument="CREATION_TIME">February 3, 2001</TIMEX3></DCT>
<TITLE>Ferry service resumes</TITLE>
<TEXT>
The ferry <EVENT eid="e1">resumed</EVENT> service on <TIMEX3 tid="t1" type="DATE" value="2001-02-02">Friday</TIMEX3> after 12 days, the operator said.
</TEXT>
</TimeML>
"""


def test_timeml_files_become_json_articles_that_ingest_reads(tmp_path):
    source = tmp_path / "tml"
    source.mkdir()
    (source / "XYZ_ENG_20010203.0001.tml").write_text(TIMEML)
    (source / "notes.csv").write_text("not an article")
    [article] = read_articles([source])
    assert article.record == {
        "id": "XYZ_ENG_20010203.0001",
        "title": "Ferry service resumes",
        "text": "The ferry resumed service on Friday after 12 days, the operator said.",
        "published_date": "2001-02-03",
    }
    out = tmp_path / "articles"
    assert write_articles(replicate([article], 3), out) == 3
    records = ingest_sources([out]).records
    assert len(records) == 3 and len({r.doc_id for r in records}) == 3
    assert {r.text for r in records} == {
        "The ferry resumed service on Friday after 12 days, the operator said.",
        "The ferry resumed service on Friday after 23 days, the operator said.",
        "The ferry resumed service on Friday after 34 days, the operator said.",
    }
    assert all(str(r.published_date) == "2001-02-03" for r in records)


def test_article_files_are_used_as_they_are_and_copies_renamed(tmp_path):
    (tmp_path / "a.txt").write_text("Storm closes harbour\n\nThe harbour closed on 4 May.\n")
    articles = replicate(read_articles([tmp_path], limit=1), 2)
    assert [a.name for a in articles] == ["a.txt", "a-x1.txt"]
    assert articles[1].data.decode() == "Storm closes harbour\n\nThe harbour closed on 5 May.\n"
    assert altered("1999", 1) == "2000" and altered("No digits here.\n", 4) == "No digits here.\n\n(4)\n"


def test_growth_scales_are_a_list_of_whole_numbers_of_at_least_one():
    import argparse

    import pytest

    from broadsheet.lab.benchmarks.build import scales

    assert scales("1,2,4,10") == [1, 2, 4, 10]
    assert scales("3") == [3]
    for bad in ("0,1", "1,two", "", "-2"):
        with pytest.raises(argparse.ArgumentTypeError):
            scales(bad)


def test_a_missing_source_is_a_clear_error_not_a_traceback(tmp_path, capsys, monkeypatch):
    from broadsheet.lab.benchmarks import pipeline

    assert pipeline.main(["--source", str(tmp_path / "missing"), "--repeat", "1"]) == 2
    assert "no such source" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)  # no seeds/ here: the default is named in the message
    assert pipeline.main(["--phases"]) == 2
    assert "the default is seeds/ in the current folder" in capsys.readouterr().err
