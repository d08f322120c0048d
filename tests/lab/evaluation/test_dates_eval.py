"""The dates evaluation: TimeML and GUM readers, TempEval-3 scoring, and (slow) the dev-set scores."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.extract.dates import TemporalExpression
from broadsheet.lab.evaluation import dates as evaluation
from broadsheet.lab.evaluation.dates import evaluate_gum, evaluate_tbaq, match_relaxed, score_documents
from broadsheet.lab.evaluation.timeml import GoldDocument, GoldTimex, parse_gum_conllu, parse_timeml

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>demo_1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2020-01-08" functionInDocument="CREATION_TIME">January 8, 2020</TIMEX3></DCT>
<TITLE>Talks resume</TITLE>
<TEXT>
Talks <EVENT eid="e1" class="OCCURRENCE">resumed</EVENT> <TIMEX3 tid="t1" type="DATE" value="2020-01-07" functionInDocument="NONE">Tuesday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P2W" mod="APPROX" functionInDocument="NONE">two weeks</TIMEX3> &amp; more, <TIMEX3 tid="t3" type="DATE" value="PRESENT_REF" functionInDocument="NONE">now</TIMEX3>.
</TEXT>
</TimeML>
"""

# Three sentences in two paragraphs: "year's" is a multi-word token whose part carries the
# closing tag, "21" has no space after it, and one date is a range without a single value.
CONLLU = "\n".join(
    [
        "# newdoc id = demo_news",
        "# meta::dateCreated = 2017-07-18",
        "# newpar",
        "# sent_id = demo-1",
        "# text = Friday, July 21",
        '1\tFriday\tFriday\tPROPN\tNNP\t_\t0\troot\t_\tSpaceAfter=No|XML=<date when:::"2017-07-21">',
        "2\t,\t,\tPUNCT\t,\t_\t1\tpunct\t_\t_",
        "3\tJuly\tJuly\tPROPN\tNNP\t_\t1\tappos\t_\t_",
        "4\t21\t21\tNUM\tCD\t_\t3\tnummod\t_\tXML=</date>",
        "",
        "# newpar",
        "# sent_id = demo-2",
        "# text = This year's team left last week.",
        '1\tThis\tthis\tDET\tDT\t_\t2\tdet\t_\tXML=<date when:::"2017">',
        "2-3\tyear's\t_\t_\t_\t_\t_\t_\t_\t_",
        "2\tyear\tyear\tNOUN\tNN\t_\t4\tnmod:poss\t_\tXML=</date>",
        "3\t's\t's\tPART\tPOS\t_\t2\tcase\t_\t_",
        "4\tteam\tteam\tNOUN\tNN\t_\t5\tnsubj\t_\t_",
        "5\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_",
        '6\tlast\tlast\tADJ\tJJ\t_\t7\tamod\t_\tXML=<date from:::"2017-07-10" to:::"2017-07-16">',
        "7\tweek\tweek\tNOUN\tNN\t_\t5\tobl\t_\tSpaceAfter=No|XML=</date>",
        "8\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_",
        "",
        "# sent_id = demo-3",
        "# text = They won Tuesday.",
        "1\tThey\tthey\tPRON\tPRP\t_\t2\tnsubj\t_\t_",
        "2\twon\twin\tVERB\tVBD\t_\t0\troot\t_\t_",
        '3\tTuesday\tTuesday\tPROPN\tNNP\t_\t2\tobl\t_\tSpaceAfter=No|XML=<date when:::"2017-07-18"></date>',
        "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_",
        "",
    ]
)


def test_parse_timeml_keeps_the_text_and_leaves_the_creation_time_out():
    doc = parse_timeml(TIMEML)
    assert doc.doc_id == "demo_1"
    assert doc.creation_date == dt.date(2020, 1, 8)
    assert doc.text == "\nTalks resumed Tuesday after two weeks & more, now.\n"
    assert [(t.surface, t.timex_type, t.value, t.mod) for t in doc.timexes] == [
        ("Tuesday", "DATE", "2020-01-07", None),
        ("two weeks", "DURATION", "P2W", "APPROX"),
        ("now", "DATE", "PRESENT_REF", None),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.surface


def test_parse_gum_rebuilds_text_and_date_spans():
    doc = parse_gum_conllu(CONLLU)
    assert doc.doc_id == "demo_news"
    assert doc.creation_date == dt.date(2017, 7, 18)
    assert doc.text == "Friday, July 21\n\nThis year's team left last week.\nThey won Tuesday."
    assert [(t.surface, t.value) for t in doc.timexes] == [
        ("Friday, July 21", "2017-07-21"),
        ("This year", "2017"),
        ("last week", None),
        ("Tuesday", "2017-07-18"),
    ]


def _pred(text: str, surface: str, ttype: str, value: str, occurrence: int = 0) -> TemporalExpression:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return TemporalExpression(start, start + len(surface), surface, ttype, value, None, "day", None, None, False, False)


def test_scores_follow_the_tempeval3_definitions():
    doc = parse_timeml(TIMEML)
    text = doc.text
    predicted = [
        _pred(text, "Tuesday", "DATE", "2020-01-07"),  # strict match, right value
        _pred(text, "two weeks &", "DURATION", "P3W"),  # relaxed match only, wrong value
        _pred(text, "Talks", "DATE", "XXXX"),  # spurious
    ]  # "now" is missed
    result = score_documents([doc], extract=lambda d: predicted, keep_errors=True)
    assert (result["gold"], result["predicted"]) == (3, 3)
    assert result["strict_precision"] == pytest.approx(1 / 3)
    assert result["strict_recall"] == pytest.approx(1 / 3)
    assert result["relaxed_precision"] == pytest.approx(2 / 3)
    assert result["relaxed_recall"] == pytest.approx(2 / 3)
    assert result["relaxed_f1"] == pytest.approx(2 / 3)
    assert result["type_accuracy"] == pytest.approx(1.0)
    # TE3 scores type like value: right type on a relaxed match, over predictions and gold
    assert result["type_precision"] == pytest.approx(2 / 3)
    assert result["type_recall"] == pytest.approx(2 / 3)
    assert result["type_f1"] == pytest.approx(result["type_accuracy"] * result["relaxed_f1"])
    assert result["value_precision"] == pytest.approx(1 / 3)
    assert result["value_recall"] == pytest.approx(1 / 3)
    kinds = sorted(e.kind for e in result["errors"])
    assert kinds == ["missed", "span", "spurious", "value"]
    assert result["words"] > 0 and result["words_per_second"] > 0


def test_gold_dates_without_a_value_count_for_spans_only():
    doc = parse_gum_conllu(CONLLU)
    text = doc.text
    predicted = [
        _pred(text, "last week", "DATE", "2017-W28"),
        _pred(text, "Tuesday", "DATE", "2017-07-18"),
    ]
    result = score_documents([doc], extract=lambda d: predicted)
    assert result["relaxed_precision"] == 1.0
    assert result["value_precision"] == 1.0  # "last week" is left out of value precision
    assert result["value_recall"] == pytest.approx(1 / 3)  # three gold dates carry a value
    assert result["type_accuracy"] is None  # GUM has no types
    assert result["type_f1"] is None


def test_values_are_compared_as_written_like_the_tempeval3_scorer():
    # TempEval-3's scorer compares value strings exactly: "2000-W7" (as some gold files write
    # week 7) is not the ISO "2000-W07", and "1989" is not "1989-XX"; no normalisation here either.
    gold = [GoldTimex(0, 9, "last week", "DATE", "2000-W7"), GoldTimex(10, 14, "1989", "DATE", "1989-XX")]
    doc = GoldDocument("d", "last week 1989", None, tuple(gold))
    predicted = [
        TemporalExpression(0, 9, "last week", "DATE", "2000-W07", None, "week", None, None, True, True),
        TemporalExpression(10, 14, "1989", "DATE", "1989", None, "year", None, None, False, False),
    ]
    result = score_documents([doc], extract=lambda d: predicted)
    assert result["strict_f1"] == 1.0
    assert result["value_precision"] == 0.0 and result["value_recall"] == 0.0


def test_relaxed_matching_is_one_to_one():
    gold = [GoldTimex(0, 5, "", "DATE", "a"), GoldTimex(6, 10, "", "DATE", "b")]
    wide = TemporalExpression(0, 10, "", "DATE", "a", None, "day", None, None, False, False)
    assert match_relaxed(gold, [wide]) == [(0, 0)]


def test_the_extractor_on_the_inline_timeml():
    result = score_documents([parse_timeml(TIMEML)])
    assert result["strict_f1"] == 1.0
    assert result["value_f1"] == 1.0


def test_command_skips_cleanly_without_corpora(tmp_path, capsys):
    assert evaluation.main(["--corpora", str(tmp_path)]) == 2
    assert "no evaluation corpus" in capsys.readouterr().err


def test_command_prints_the_table(tmp_path, capsys):
    folder = tmp_path / "tempeval3" / "Training" / "TBAQ-cleaned"
    folder.mkdir(parents=True)
    (folder / "demo_1.tml").write_text(TIMEML, encoding="utf-8")
    assert evaluation.main(["--corpora", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "strict span F1" in out and "type F1" in out and "words/s" in out


# --- the real dev sets (slow; skipped where ../shared/corpora is absent) ----------------------


@pytest.mark.slow
def test_tbaq_dev_scores(corpora):
    result = evaluate_tbaq(corpora / "tempeval3" / "Training" / "TBAQ-cleaned")
    assert result["documents"] == 256 and result["gold"] == 1822
    # Floors at the level reached when this was written, so that a regression shows; the
    # targets in the issue are strict span F1 0.87 and value F1 0.85.
    assert result["strict_f1"] >= 0.87
    assert result["relaxed_f1"] >= 0.93
    assert result["value_f1"] >= 0.823
    assert result["words_per_second"] >= 50_000


@pytest.mark.slow
def test_gum_news_scores(corpora):
    result = evaluate_gum(corpora / "gum" / "not-to-release" / "sources")
    assert result["documents"] == 24 and result["gold"] == 194
    # GUM marks only calendar dates (no durations, sets or vague references), which caps precision.
    assert result["relaxed_recall"] >= 0.9
    assert result["value_recall"] >= 0.84
    assert result["value_f1"] >= 0.705


@pytest.mark.slow
def test_every_gold_span_of_the_corpora_is_text(corpora):
    docs: list[GoldDocument] = evaluation.read_tbaq(corpora / "tempeval3" / "Training" / "TBAQ-cleaned")
    docs += evaluation.read_gum_news(corpora / "gum" / "not-to-release" / "sources")
    for doc in docs:
        for t in doc.timexes:
            assert doc.text[t.start : t.end] == t.surface and t.surface.strip()
