import datetime as dt

from broadsheet.clean.documents import build_documents, headline

BODY = (
    "Storm closes harbour at Port Ellis\n\n"
    "The harbour at Port Ellis was closed on March 3, 2021 after a storm damaged the main pier, "
    "the port authority said. Repairs began in February 2021, officials said.\n\n"
    "Ferries will resume on April 30, 2021, the operator said."
)


def _record(doc_id: str, text: str, **extra) -> dict:
    return {
        "doc_id": doc_id,
        "source_uri": f"inbox/{doc_id}.txt",
        "source_name": "inbox",
        "source_format": "txt",
        "source_record_id": None,
        "raw_sha256": "0" * 64,
        "encoding": "utf-8",
        "raw_text": text,
        "title": None,
        "url": None,
        "authors": [],
        "publisher": None,
        "published_date": None,
        "published_date_raw": None,
        **extra,
    }


def _date_columns(doc: dict) -> tuple:
    return tuple(
        doc[c]
        for c in (
            "published_date",
            "published_date_earliest",
            "published_date_latest",
            "published_date_source",
            "published_date_confidence",
        )
    )


def test_metadata_date_wins_over_everything_else():
    rows = build_documents([_record("d_1", "By Ana Ruiz\nJanuary 08, 2020\n\n" + BODY, published_date=dt.date(2020, 1, 9))])
    doc = rows.documents[0]
    day = dt.date(2020, 1, 9)
    assert _date_columns(doc) == (day, day, day, "metadata", 1.0)
    assert doc["authors"] == ["Ana Ruiz"]


def test_byline_date_is_used_when_metadata_has_none_and_leaves_the_text():
    doc = build_documents([_record("d_1", "By Ana Ruiz\nJanuary 08, 2020\n\n" + BODY)]).documents[0]
    day = dt.date(2020, 1, 8)
    assert _date_columns(doc)[:4] == (day, day, day, "byline")
    assert "January 08, 2020" not in doc["text"] and "Ana Ruiz" not in doc["text"]
    assert doc["n_removed_segments"] == 2


def test_undated_article_gets_only_a_lower_bound_from_the_latest_past_event():
    doc = build_documents([_record("d_1", BODY)]).documents[0]
    # April 30 is in a sentence about the future; March 3 is the latest day the text reports an
    # event on. It bounds the writing from below only: no day, an interval open at its end.
    assert _date_columns(doc) == (None, dt.date(2021, 3, 3), None, "inferred", 0.1)


def test_undated_article_without_any_date_is_unknown():
    doc = build_documents([_record("d_1", "A quiet day\n\nNothing happened in the village, residents said.")]).documents[0]
    assert _date_columns(doc) == (None, None, None, "unknown", 0.0)


def test_headline_is_a_short_first_line_and_stays_in_the_text():
    assert headline(BODY) == "Storm closes harbour at Port Ellis"
    assert headline("The harbour was closed on Monday.\n\nIt reopened later.") is None
    doc = build_documents([_record("d_1", BODY)]).documents[0]
    assert doc["title"] == "Storm closes harbour at Port Ellis" and doc["text"].startswith(doc["title"])


def test_counts_hashes_and_language():
    doc = build_documents([_record("d_1", BODY)]).documents[0]
    assert doc["n_sentences"] == 4 and doc["n_chars"] == len(doc["text"]) and doc["n_words"] > 30
    assert doc["language"] == "en" and len(doc["text_sha256"]) == 64


def test_exact_copies_are_rejected_naming_the_kept_document_and_near_copies_cluster():
    copy = "Submit Your Ad Here\n\n" + BODY + "\n\nLeave a Reply"
    near = BODY.replace("Ferries will resume", "Ferry services are to resume")
    rows = build_documents([_record("d_b", copy), _record("d_a", BODY), _record("d_c", near)])
    assert [d["doc_id"] for d in rows.documents] == ["d_a", "d_c"]
    assert [(r["doc_id"], r["reason"], r["stage"]) for r in rows.rejects] == [("d_b", "duplicate_content", "clean")]
    assert "d_a" in rows.rejects[0]["detail"]
    assert {d["duplicate_cluster_id"] for d in rows.documents} == {"d_a"}
    assert all(r["doc_id"] != "d_b" for r in rows.cleaning_log)
    assert {r["doc_id"] for r in rows.sentences} == {"d_a", "d_c"}


def test_each_document_comes_with_the_sentences_it_counts():
    from broadsheet.text import sentence_spans

    rows = build_documents([_record("d_1", BODY), _record("d_2", BODY.replace("Ferries", "Boats"))])
    for doc in rows.documents:
        own = [(r["start_char"], r["end_char"]) for r in rows.sentences if r["doc_id"] == doc["doc_id"]]
        assert own == sentence_spans(doc["text"]) and len(own) == doc["n_sentences"]


def test_text_that_is_all_debris_is_rejected():
    rows = build_documents([_record("d_1", "Submit Your Ad Here\nLeave a Reply\n")])
    assert rows.documents == [] and rows.rejects[0]["reason"] == "empty_after_cleaning"


def test_text_without_any_letter_or_digit_is_rejected_not_published():
    # A file of only quote marks or of only Markdown markup has no word: as a document it would
    # fail the documents suite and stop the whole release.
    for text in ('"""""" “”“” \'\'\'', "**\n\n---\n\n* * *\n\n> >", "!!! ??? ... --- ***"):
        rows = build_documents([_record("d_1", text), _record("d_2", BODY)])
        assert [d["doc_id"] for d in rows.documents] == ["d_2"], text
        assert [(r["doc_id"], r["reason"]) for r in rows.rejects] == [("d_1", "no_words")]


def test_a_record_whose_cleaning_runs_past_its_budget_is_rejected_too_slow(monkeypatch):
    import broadsheet.clean.documents as documents

    real = documents.clean_text

    def clean_text(text, source_format, **options):
        if "stall" in text:
            while True:
                pass
        return real(text, source_format, **options)

    monkeypatch.setattr(documents, "clean_text", clean_text)
    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "0.2")
    rows = build_documents([_record("d_1", "stall " + BODY), _record("d_2", BODY)])
    assert [d["doc_id"] for d in rows.documents] == ["d_2"]
    [reject] = rows.rejects
    assert (reject["doc_id"], reject["reason"], reject["stage"]) == ("d_1", "too_slow", "clean")
    assert "0.2 s" in reject["detail"]


def test_an_absurd_stated_date_is_not_believed_and_relative_dates_are_kept():
    from broadsheet.extract.rows import anchor_for

    text = "Talks in Port Ellis ended yesterday, officials said. They resume next week."
    for absurd in (dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        doc = build_documents([_record("d_1", text, published_date=absurd)]).documents[0]
        assert doc["published_date"] is None and doc["published_date_source"] == "unknown"
        # with no anchor the relative dates stay, underspecified, instead of overflowing away
        assert anchor_for({**doc, "published_date": absurd, "published_date_source": "metadata"}) == (None, "none")
        from broadsheet.extract.dates import find_temporal_expressions

        found = [t.surface for t in find_temporal_expressions(doc["text"], anchor=anchor_for(doc)[0])]
        assert found == ["yesterday", "next week"]


def test_an_absurd_year_in_the_text_is_not_inferred_as_the_publication_date():
    text = "The file in the archive is dated 9999-12-31. The ministry opened it on March 3, 2021."
    doc = build_documents([_record("d_1", text)]).documents[0]
    assert _date_columns(doc)[:4] == (None, dt.date(2021, 3, 3), None, "inferred")


def test_a_copy_never_displaces_the_published_article_it_copies():
    # The copy's doc id sorts first; the article it copies is in the previous release.
    original, copy = _record("d_b", BODY), _record("d_a", BODY, source_uri="inbox/aaa-copy.txt")
    fresh = build_documents([original, copy])
    assert [d["doc_id"] for d in fresh.documents] == ["d_a"]  # no history: the smallest id
    refresh = build_documents([original, copy], published={"d_b"})
    assert [d["doc_id"] for d in refresh.documents] == ["d_b"]
    [reject] = refresh.rejects
    assert (reject["doc_id"], reject["reason"]) == ("d_a", "duplicate_content") and "d_b" in reject["detail"]


def test_a_document_its_schema_would_refuse_is_a_reject_not_an_unpublishable_release(monkeypatch):
    import broadsheet.clean.documents as documents

    real = documents.detect_language
    monkeypatch.setattr(documents, "detect_language", lambda text: "english" if "Ellis" in text else real(text))
    rows = build_documents([_record("d_1", BODY), _record("d_2", "Talks in Geneva resumed on Monday, officials said.")])
    assert [d["doc_id"] for d in rows.documents] == ["d_2"]
    [reject] = rows.rejects
    assert (reject["doc_id"], reject["reason"]) == ("d_1", "cleaning_error")
    assert "would fail the documents suite" in reject["detail"] and "language 'english'" in reject["detail"]
