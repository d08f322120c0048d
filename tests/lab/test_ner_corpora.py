"""Corpus readers on tiny files written here (never corpus text), and the sets built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.lab.ner import annotated as A
from broadsheet.lab.ner import corpora as C
from broadsheet.lab.ner import gum as G

CONLL = """-DOCSTART- -X- O O

Maria NNP I-NP I-PER
Lindqvist NNP I-NP I-PER
left VBD I-VP O
Oslo NNP I-NP I-LOC
for IN I-PP O
the DT I-NP O
Norwegian JJ I-NP I-MISC
Open NNP I-NP I-MISC
. . O O

-DOCSTART- -X- O O

Acme NNP I-NP I-ORG
Corp NNP I-NP I-ORG
Beta NNP I-NP B-ORG
Ltd NNP I-NP I-ORG
merged VBD I-VP O
"""

UNER = """# newdoc id = doc-1
# sent_id = doc-1-0001
# text = Ana met Bo in Lima, Peruvian style.
1\tAna\tB-PER\t-\tx
2\tmet\tO
3\tBo\tB-PER\t-\tx
4\tin\tO
5\tLima\tB-LOC\t-\tx
6\t,\tO
7\tPeruvian\tB-OTH\t-\tx
8\tstyle\tB-O\t-\tx
9\t.\tO

"""

# A two-sentence CoNLL-U document in GUM's style, written for this test: an organization whose
# mention includes "the", a person with a title, a bare title, a country acting, a date.
GUM = """# newdoc id = GUM_news_test
# sent_id = t-1
# text = The Tallinn Harbour Board thanked President Kalev Saar.
1\tThe\tthe\tDET\tDT\t_\t4\tdet\t_\tEntity=(1-organization-new-x-x-x-sgl
2\tTallinn\tTallinn\tPROPN\tNNP\t_\t4\tcompound\t_\tEntity=(2-place-new-x-x-x-sgl)
3\tHarbour\tHarbour\tPROPN\tNNP\t_\t4\tcompound\t_\t_
4\tBoard\tBoard\tPROPN\tNNP\t_\t5\tnsubj\t_\tEntity=1)
5\tthanked\tthank\tVERB\tVBD\t_\t0\troot\t_\t_
6\tPresident\tPresident\tPROPN\tNNP\t_\t8\tcompound\t_\tEntity=(3-person-new-x-x-x-coref-Kalev_Saar
7\tKalev\tKalev\tPROPN\tNNP\t_\t8\tcompound\t_\t_
8\tSaar\tSaar\tPROPN\tNNP\t_\t5\tobj\t_\tEntity=3)|SpaceAfter=No
9\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_

# sent_id = t-2
# text = The President said Estonia's port grew in May.
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\tEntity=(3-person-giv-x-x-x-coref
2\tPresident\tPresident\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=3)
3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_
4-5\tEstonia's\t_\t_\t_\t_\t_\t_\t_\t_
4\tEstonia\tEstonia\tPROPN\tNNP\t_\t6\tnmod:poss\t_\tEntity=(4-organization-new-x-x-x-sgl(5-place-new-x-x-x-coref)
5\t's\t's\tPART\tPOS\t_\t4\tcase\t_\tEntity=4)
6\tport\tport\tNOUN\tNN\t_\t7\tnsubj\t_\t_
7\tgrew\tgrow\tVERB\tVBD\t_\t3\tccomp\t_\t_
8\tin\tin\tADP\tIN\t_\t9\tcase\t_\t_
9\tMay\tMay\tPROPN\tNNP\t_\t7\tobl\t_\tEntity=(6-time-new-x-x-x-sgl)|SpaceAfter=No
10\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

"""


def _names(sentence: A.AnnotatedSentence) -> list[tuple[str, str]]:
    return list(C.iter_spans_text(sentence))


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["I-PER", "I-PER", "O", "I-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "B-ORG", "I-ORG"], [(0, 1, "ORG"), (1, 3, "ORG")]),
        (["B-PER", "I-PER", "B-PER"], [(0, 2, "PER"), (2, 3, "PER")]),
        (["I-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
        (["O", "O"], []),
    ],
)
def test_spans_from_iob1_and_iob2(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert [(s.start, s.end, s.label) for s in C.spans_from_tags(tags)] == expected


def test_a_broken_tag_is_an_error() -> None:
    with pytest.raises(ValueError, match="not an IOB tag"):
        C.spans_from_tags(["X-PER"])


def test_conll_columns_documents_and_iob1(tmp_path: Path) -> None:
    (tmp_path / "conll2003").mkdir()
    (tmp_path / "conll2003" / "eng.train").write_text(CONLL, encoding="utf-8")
    sentences = C.read_conll2003(tmp_path, "train")
    assert len(sentences) == 2
    assert sentences[0].doc_id != sentences[1].doc_id
    assert _names(sentences[0]) == [("Maria Lindqvist", "PER"), ("Oslo", "LOC"), ("Norwegian Open", "MISC")]
    assert _names(sentences[1]) == [("Acme Corp", "ORG"), ("Beta Ltd", "ORG")]
    ours = C.to_our_labels(sentences[0], "conll2003")
    assert _names(ours) == [("Maria Lindqvist", "PERSON"), ("Oslo", "GPE"), ("Norwegian Open", "EVENT")]
    with pytest.raises(ValueError):
        C.read_conll2003(tmp_path, "testb")


def test_missing_corpus_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(A.CorpusNotFound):
        C.read_conll2003(tmp_path, "testa")


def test_uner_spaces_other_names_and_stray_o(tmp_path: Path) -> None:
    path = tmp_path / "uner-english-ewt" / "draft-train-commit-0c7ce0d"
    path.mkdir(parents=True)
    (path / "en_ewt-ud-train.iob2").write_text(UNER, encoding="utf-8")
    [sentence] = C.read_uner(tmp_path, "train")
    assert sentence.text == "Ana met Bo in Lima, Peruvian style."
    assert sentence.doc_id == "uner/train/doc-1"
    assert _names(sentence) == [("Ana", "PER"), ("Bo", "PER"), ("Lima", "LOC"), ("Peruvian", "OTH")]
    ours = C.to_our_labels(sentence, "uner")
    assert _names(ours) == [("Ana", "PERSON"), ("Bo", "PERSON"), ("Lima", "GPE")]
    assert ours.missing == ((6, 7),)


def test_gum_names_from_proper_noun_mentions(tmp_path: Path) -> None:
    path = tmp_path / "doc.conllu"
    path.write_text(GUM, encoding="utf-8")
    first, second = G.read_gum_document(path)
    assert first.text == "The Tallinn Harbour Board thanked President Kalev Saar."
    # "the" and the title are outside the names; the place inside the board's name is not a
    # second entity.
    assert _names(first) == [("Tallinn Harbour Board", "organization"), ("Kalev Saar", "person")]
    assert first.missing == ()
    # which entity of the document each name is, and its Wikipedia identity where GUM gives one
    assert [(s.entity, s.identity) for s in first.spans] == [("1", ""), ("3", "Kalev_Saar")]
    # A multiword token keeps its text; a bare title is no name; a month is no name to us.
    assert second.text == "The President said Estonia's port grew in May."
    assert _names(second) == [("Estonia", "organization"), ("May", "time")]
    assert second.missing == ()
    ours = C.to_our_labels(second, "gum")
    assert _names(ours) == [("Estonia", "GPE")]


def test_gum_unannotated_proper_nouns_are_missing(tmp_path: Path) -> None:
    text = (
        "# text = Vesi Group boss spoke.\n"
        "1\tVesi\tVesi\tPROPN\tNNP\t_\t2\tcompound\t_\tEntity=(1-person-new-x-x-x-sgl\n"
        "2\tGroup\tGroup\tPROPN\tNNP\t_\t3\tcompound\t_\t_\n"
        "3\tboss\tboss\tNOUN\tNN\t_\t4\tnsubj\t_\tEntity=1)\n"
        "4\tspoke\tspeak\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n"
        "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n"
    )
    path = tmp_path / "doc.conllu"
    path.write_text(text, encoding="utf-8")
    [sentence] = G.read_gum_document(path)
    assert _names(sentence) == []
    assert sentence.missing == ((0, 2),)


def test_join_sentences_separates_like_an_article() -> None:
    a = A.AnnotatedSentence(("Ana", "ran", "."), (A.EntitySpan(0, 1, "PERSON"),), (True, False, False), "d")
    b = A.AnnotatedSentence(("In", "Lima", "."), (A.EntitySpan(1, 2, "GPE"),), (True, False, False), "d", ((0, 1),))
    c = A.AnnotatedSentence(("Bo", "."), (), (False, False), "e")
    docs = C.documents([a, b, c])
    assert len(docs) == 2 and docs[1].text == "Bo."
    joined = docs[0]
    assert joined.text.startswith("Ana ran.") and joined.text.endswith("In Lima.")
    assert joined.text[len("Ana ran.") : -len("In Lima.")] in {" ", "\n", "\n\n"}
    assert [joined.text[s : s + 1] for s in (0,)] == ["A"]
    names = list(C.iter_spans_text(joined))
    assert names == [("Ana", "PERSON"), ("Lima", "GPE")]
    start = joined.missing[0][0]
    assert joined.words[start] == "In"
    assert C.documents([a, b])[0].text == joined.text  # the same text on every run
    assert len(C.documents([a, b], max_sentences=1)) == 2
    seps = {C._separator(f"doc{i}", 1) for i in range(40)}
    assert seps == {" ", "\n", "\n\n"}


def test_dev_and_train_tables_do_not_share_a_source() -> None:
    assert not set(C.TRAIN_SOURCES) & set(C.DEV_SETS)
    with pytest.raises(ValueError, match="unknown set"):
        C.load_sets(Path("."), ["conll2003-testb"], C.DEV_SETS)


@pytest.mark.slow
def test_real_corpora_sizes_and_splits(corpora: Path) -> None:
    assert len(C.read_conll2003(corpora, "train")) == 14041
    assert len(C.read_conll2003(corpora, "testa")) == 3250
    assert len(C.read_uner(corpora, "dev")) == 2001
    assert len(C.read_uner(corpora, "train")) == 12543
    news = G.gum_documents(corpora, "news")
    train = G.gum_documents(corpora, "train")
    assert len(news) == 24
    lists = corpora / "gum" / "not-to-release" / "file-lists"
    held = set((lists / "files.dev").read_text().split()) | set((lists / "files.test").read_text().split())
    assert not {p.stem for p in train} & ({p.stem for p in news} | held)
    # Every name maps onto our labels without an unknown corpus label.
    for name, sentences in C.load_sets(corpora, C.DEV_SETS, C.DEV_SETS).items():
        assert sum(len(s.spans) for s in sentences) > 900, name
