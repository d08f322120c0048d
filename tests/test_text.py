from broadsheet.text import paragraph_spans, sentence_index, sentence_spans, word_count


def test_sentences_are_exact_spans_and_never_cross_paragraphs():
    text = "Mr. Smith went to Washington. He said the U.S. would respond.\n\n\"We will act,\" he said.  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith went to Washington.",
        "He said the U.S. would respond.",
        "\"We will act,\" he said.",
    ]


def test_paragraphs_trim_whitespace_and_skip_blank_runs():
    text = "  First line\ncontinues.\n\n\n \nSecond.\n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["First line\ncontinues.", "Second."]


def test_sentence_index_locates_offsets():
    starts = [0, 10, 25]
    assert [sentence_index(starts, o) for o in (0, 9, 10, 30)] == [0, 0, 1, 2]


def test_word_count_keeps_abbreviations_and_hyphens_whole():
    assert word_count("The U.S.-led strike, on Jan. 3, killed 10 people; it's over.") == 11
