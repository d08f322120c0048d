"""The extract stage recognizes entity mentions a batch of documents at a time."""

from __future__ import annotations

import pytest

from broadsheet.entities.recognizer import Mention
from broadsheet.extract.rows import BatchedRecognition


class FakeRecognizer:
    """Mentions every capitalised word; a text containing "BOOM" cannot be read."""

    def __init__(self) -> None:
        self.batches: list[int] = []
        self.singles = 0

    def find(self, text: str) -> list[Mention]:
        self.singles += 1
        return self._read(text)

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        self.batches.append(len(texts))
        return [self._read(t) for t in texts]

    @staticmethod
    def _read(text: str) -> list[Mention]:
        if "BOOM" in text:
            raise ValueError("unreadable text")
        out, at = [], 0
        for word in text.split():
            at = text.index(word, at)
            if word[:1].isupper():
                out.append(Mention(at, at + len(word), word, "PERSON", 1.0))
            at += len(word)
        return out


TEXTS = {f"d{i:03d}": f"Text {i} names Alice and Bob" for i in range(150)}


def docs(texts: dict[str, str]) -> list[dict[str, str]]:
    return [{"doc_id": doc_id, "text": text} for doc_id, text in texts.items()]


def test_documents_are_recognized_in_batches_with_the_same_answers() -> None:
    fake = FakeRecognizer()
    batches = BatchedRecognition(fake, docs(TEXTS), batch_size=64)
    for doc_id, text in TEXTS.items():
        assert batches.mentions(doc_id, text) == FakeRecognizer._read(text)
    assert fake.batches == [64, 64, 22] and fake.singles == 0


def test_a_failing_batch_is_read_one_document_at_a_time() -> None:
    fake = FakeRecognizer()
    texts = dict(TEXTS)
    texts["d010"] = "BOOM goes this one"
    batches = BatchedRecognition(fake, docs(texts), batch_size=64)
    for doc_id, text in texts.items():
        if doc_id == "d010":
            with pytest.raises(ValueError, match="unreadable"):
                batches.mentions(doc_id, text)
        else:
            assert batches.mentions(doc_id, text) == FakeRecognizer._read(text)
    # the first batch failed, so its 64 documents were read alone; the rest still in batches
    assert fake.batches == [64, 64, 22] and fake.singles == 64


def test_a_document_outside_the_list_or_asked_twice_is_read_alone() -> None:
    fake = FakeRecognizer()
    batches = BatchedRecognition(fake, docs({"a": "Alice met Bob"}))
    assert batches.mentions("other", "Carol") == FakeRecognizer._read("Carol")
    assert batches.mentions("a", "Alice met Bob") == FakeRecognizer._read("Alice met Bob")
    assert batches.mentions("a", "Alice met Bob") == FakeRecognizer._read("Alice met Bob")
    assert fake.batches == [1] and fake.singles == 2


def test_a_very_long_text_is_recognized_alone_when_it_is_asked_for() -> None:
    from broadsheet.extract.rows import LONG_TEXT_CHARS

    fake = FakeRecognizer()
    texts = dict(TEXTS)
    texts["d005"] = "Alice " * (LONG_TEXT_CHARS // 6 + 1)
    batches = BatchedRecognition(fake, docs(texts), batch_size=64)
    for doc_id, text in texts.items():
        assert batches.mentions(doc_id, text) == FakeRecognizer._read(text)
    # d000-d004 and d006-d064 make the first batch; the long one is read by itself when reached
    assert fake.batches == [64, 64, 21] and fake.singles == 1


def test_a_document_whose_extraction_runs_past_its_budget_is_rejected_too_slow(monkeypatch) -> None:
    from broadsheet.extract.rows import extract_rows

    def find(doc):
        if "stall" in doc["text"]:
            while True:
                pass
        raise AssertionError("only the stalling document is asked for in this test")

    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "0.2")
    doc = {
        "doc_id": "d_1",
        "text": "stall",
        "source_uri": "a.txt",
        "source_name": "inbox",
        "source_format": "txt",
        "raw_sha256": "0" * 64,
    }
    out = extract_rows([doc], find=find)
    [reject] = out.rejects
    assert (reject["doc_id"], reject["stage"], reject["reason"]) == ("d_1", "extract", "too_slow")
    assert out.claims == [] and out.entities == []


def test_a_batch_slower_than_one_documents_budget_is_not_charged_to_the_document_that_started_it(monkeypatch) -> None:
    import time

    from broadsheet.extract.rows import extract_rows

    class SlowBatches(FakeRecognizer):
        def find_many(self, texts):
            end = time.monotonic() + 0.3  # longer than one document's budget, well within three
            while time.monotonic() < end:
                pass
            return super().find_many(texts)

    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "0.2")
    rows = [
        {
            "doc_id": f"d_{i}",
            "text": f"Alice met Bob in Paris {i}.",
            "source_uri": f"{i}.txt",
            "source_name": "inbox",
            "source_format": "txt",
            "raw_sha256": "0" * 64,
            "published_date": None,
            "published_date_source": "unknown",
        }
        for i in range(3)
    ]
    fake = SlowBatches()
    out = extract_rows(rows, recognizer=fake)
    assert out.rejects == []
    assert fake.batches == [3] and {r["doc_id"] for r in out.extracted} == {"d_0", "d_1", "d_2"}


def test_the_clean_stages_sentences_are_used_when_they_add_up_and_split_anew_otherwise() -> None:
    import polars as pl

    from broadsheet.extract.rows import find_in_document
    from broadsheet.extract.stage import with_sentence_starts
    from broadsheet.text import sentence_spans

    text = "Alice arrived on Monday. Bob said she would stay.\n\nThey left."
    split = [start for start, _ in sentence_spans(text)]
    documents = [
        {"doc_id": "d_a", "text": text, "n_sentences": 3},
        {"doc_id": "d_b", "text": text, "n_sentences": 3},  # two rows of three: not trusted
        {"doc_id": "d_c", "text": text, "n_sentences": 3},  # no rows at all
    ]
    sentences = pl.DataFrame(
        {"doc_id": ["d_a"] * 3 + ["d_b"] * 2, "start_char": [split[2], split[0], split[1], split[0], split[1]]}
    )
    with_sentence_starts(documents, sentences)
    assert [d.get("sentence_starts") for d in documents] == [tuple(split), None, None]

    batches = BatchedRecognition(FakeRecognizer(), documents)
    given = dict(documents[0], sentence_starts=(0, 5))  # what the stage passed is what is used
    assert find_in_document(given, batches).sentence_starts == (0, 5)
    assert find_in_document(documents[2], batches).sentence_starts == tuple(split)
