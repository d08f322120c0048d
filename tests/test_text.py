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


def test_sentences_are_placed_in_the_text_as_pysbd_places_them():
    # The segmenter places pysbd's sentences with str.find; pysbd's own method compiles a pattern
    # per sentence. Same spans, including repeated sentences, overlapping repeats, sentences
    # pysbd rewrites (so that they are not found) and runs of odd whitespace.
    import random

    import pysbd

    from broadsheet.text import _Segmenter

    ours = _Segmenter(language="en", clean=False, char_span=True)
    theirs = pysbd.Segmenter(language="en", clean=False, char_span=True)
    texts = [
        "He said so. He said so. He said so.",
        "aa. aa. aaa. a.a. Mr. Smith went to Washington D.C. on Jan. 5. He left.",
        "Prices rose 2.5 per cent.\u00a0\u2003Then they fell.\tAgain?  Yes!\n",
        "“Stop,” she said. “Stop.” Then: nothing. (It ended.) [Really.]",
    ]
    rng = random.Random(7)
    words = ["He", "said", "so.", "U.S.", "Mr.", "aa.", "a", "No!", "Why?", "“Yes.”", "(ok.)", "e.g.", "3.5"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    for text in texts:
        for segmenter in (ours, theirs):
            segmenter.original_text = text
        sentences = theirs.processor(text).process()
        got = [(s.sent, s.start, s.end) for s in ours.sentences_with_char_spans(sentences)]
        want = [(s.sent, s.start, s.end) for s in theirs.sentences_with_char_spans(sentences)]
        assert got == want, text
        # and with sentences pysbd never gives, found out of order or not at all
        odd = [*sentences[::-1], "absent.", *sentences]
        got = [(s.sent, s.start, s.end) for s in ours.sentences_with_char_spans(odd)]
        assert got == [(s.sent, s.start, s.end) for s in theirs.sentences_with_char_spans(odd)], text
