"""Invariants every cleaning must keep, checked by the clean tests on every text they clean."""

from __future__ import annotations

import pytest

from broadsheet.clean import CleanResult
from broadsheet.schema import vocabulary

ACTIONS = set(vocabulary("cleaning_log", "action"))


def assert_clean_invariants(source: str, result: CleanResult) -> None:
    """Cuts are exact, whitespace is normalised, and nothing vanished without a recorded cut.

    Every non-whitespace character of the input ends up either verbatim in the clean text or in
    exactly one segment; the clean text is made of verbatim runs and whitespace separators.
    """
    text = result.text
    assert text == text.strip(), "the clean text starts or ends with whitespace"
    assert "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.split("\n")), "a line ends with spaces"

    owner = [""] * len(source)
    pos = 0
    for clean_start, input_start, length in result.runs:
        assert text[pos:clean_start].isspace() or pos == clean_start, "a separator is not whitespace"
        assert text[clean_start : clean_start + length] == source[input_start : input_start + length]
        for k in range(input_start, input_start + length):
            assert not owner[k], f"input offset {k} is used twice"
            owner[k] = "kept"
        pos = clean_start + length
    assert pos == len(text)

    previous_end = -1
    for seg in result.segments:
        assert seg.action in ACTIONS
        assert (seg.field is not None) == (seg.action == "metadata")
        assert source[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip() and seg.text, "a segment records whitespace"
        assert seg.start >= previous_end, "segments overlap or are out of order"
        previous_end = seg.end
        for k in range(seg.start, seg.end):
            assert not owner[k], f"input offset {k} is both kept and cut"
            owner[k] = seg.rule_id
    lost = [k for k, who in enumerate(owner) if not who and not source[k].isspace() and source[k] != "\ufeff"]
    assert not lost, f"characters vanished without a segment: {[source[k] for k in lost][:20]}"


@pytest.fixture
def invariants():
    return assert_clean_invariants


@pytest.fixture
def clean():
    """`clean_text`, checking the invariants on every result."""
    from broadsheet.clean import clean_text

    def run(text: str, source_format: str = "txt") -> CleanResult:
        result = clean_text(text, source_format)
        assert_clean_invariants(text, result)
        return result

    return run
