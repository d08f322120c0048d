"""The cleaner on real news it has never seen: it must not cut article prose.

PolNeAR's dev articles are scraped news with gold attribution spans (who said what). Every
character of a gold source, cue or content span is article prose, so none may fall inside a cut.
Needs ../shared/corpora (or BROADSHEET_CORPORA); skipped without it.
"""

from __future__ import annotations

import pytest

from broadsheet.clean import clean_text
from broadsheet.lab.evaluation.polnear import read_split

pytestmark = pytest.mark.slow


def test_no_attributed_prose_is_cut_from_polnear_dev(corpora, invariants):
    split = corpora / "polnear" / "data" / "dev"
    if not split.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {split}")
    documents = list(read_split(split))
    assert documents
    gold_chars = cut_chars = 0
    for doc in documents:
        cleaned = clean_text(doc.text, "txt")
        invariants(doc.text, cleaned)
        cuts = [(s.start, s.end) for s in cleaned.segments]
        for relation in doc.relations:
            for start, end in relation.source + relation.cue + relation.content:
                gold_chars += end - start
                cut_chars += sum(max(0, min(end, e) - max(start, s)) for s, e in cuts)
    assert gold_chars > 100_000
    assert cut_chars == 0, f"{cut_chars} of {gold_chars} annotated characters were cut"
