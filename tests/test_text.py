from broadsheet.text import paragraph_spans, sentence_index, sentence_spans, word_count


def test_sentences_are_exact_spans_and_never_cross_paragraphs():
    text = 'Mr. Smith went to Washington. He said the U.S. would respond.\n\n"We will act," he said.  '
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith went to Washington.",
        "He said the U.S. would respond.",
        '"We will act," he said.',
    ]


def test_paragraphs_trim_whitespace_and_skip_blank_runs():
    text = "  First line\ncontinues.\n\n\n \nSecond.\n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["First line\ncontinues.", "Second."]


def test_sentence_index_locates_offsets():
    starts = [0, 10, 25]
    assert [sentence_index(starts, o) for o in (0, 9, 10, 30)] == [0, 0, 1, 2]


def test_word_count_keeps_abbreviations_and_hyphens_whole():
    assert word_count("The U.S.-led strike, on Jan. 3, killed 10 people; it's over.") == 11


def test_a_long_paragraph_is_cut_for_the_splitter_at_safe_sentence_ends():
    from broadsheet.text import MAX_SEGMENT_CHARS, _segment_pieces

    sentence = "The minister said on Tuesday that the talks would resume. Mr. Smith's office disagreed! "
    text = sentence * 400  # one paragraph of about 35,000 characters
    pieces = _segment_pieces(text, 0, len(text))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))  # contiguous, nothing lost
    assert all(e - s <= MAX_SEGMENT_CHARS for s, e in pieces)
    # every cut is at a sentence end the splitter also makes, never after "Mr."
    assert all(text[:e].rstrip().endswith(("resume.", "disagreed!")) for _, e in pieces[:-1])
    spans = sentence_spans(text)
    assert len(spans) == 800 and all(text[s:e] in sentence for s, e in spans)


def test_text_without_sentence_punctuation_or_spaces_is_still_cut_to_size():
    from broadsheet.text import MAX_SEGMENT_CHARS, _segment_pieces

    for text in ("word " * 30_000, "x" * 30_000):
        pieces = _segment_pieces(text, 0, len(text))
        assert len(pieces) > 1 and all(e - s <= MAX_SEGMENT_CHARS for s, e in pieces)
        assert "".join(text[s:e] for s, e in pieces) == text


def test_short_paragraphs_are_segmented_whole():
    from broadsheet.text import _segment_pieces

    text = "A short paragraph. Another sentence."
    assert _segment_pieces(text, 0, len(text)) == [(0, len(text))]
