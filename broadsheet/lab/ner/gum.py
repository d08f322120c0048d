"""The GUM corpus' entity annotation read as names: proper-noun mentions with their GUM entity
type, cut to the name itself (titles and descriptions left out), and the GUM documents of each
split (news documents are never trained on, whatever GUM split they are in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.entities.gazetteer import is_country
from broadsheet.lab.ner.annotated import AnnotatedSentence, EntitySpan, require_file

_ENTITY_PART = re.compile(r"\(([^()]+)(\))?|(\d+)\)")


_PROPER_TAGS = {"NNP", "NNPS"}


# Lower-case words that may sit inside a name ("Bank of America", "Hotel de Ville").
_NAME_CONNECTORS = {
    "of",
    "the",
    "and",
    "&",
    "de",
    "du",
    "des",
    "la",
    "le",
    "del",
    "della",
    "di",
    "da",
    "von",
    "van",
    "der",
    "den",
    "al",
    "el",
    "bin",
    "y",
    "for",
    "on",
    "-",
    ".",
    "/",
}


# Titles that GUM keeps inside person mentions and CoNLL (and we) leave outside the name.
_TITLES = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "chancellor",
    "premier",
    "secretary",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "governor",
    "gov.",
    "mayor",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "cardinal",
    "bishop",
    "archbishop",
    "rabbi",
    "imam",
    "ayatollah",
    "sheikh",
    "shaikh",
    "general",
    "gen.",
    "colonel",
    "col.",
    "captain",
    "capt.",
    "lieutenant",
    "lt.",
    "major",
    "maj.",
    "sergeant",
    "sgt.",
    "admiral",
    "adm.",
    "commander",
    "chief",
    "officer",
    "agent",
    "detective",
    "inspector",
    "st.",
    "saint",
    "father",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "coach",
    "ambassador",
    "emperor",
    "empress",
    "czar",
    "tsar",
    "sultan",
    "emir",
    "crown",
    "supreme",
    "leader",
    "chairman",
    "ceo",
    "director",
    "candidate",
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
            named.append(
                (EntitySpan(span[0], span[1], mention.kind, mention.entity, mention.identity), mention.end - mention.start)
            )
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
    with require_file(path).open(encoding="utf-8") as fh:
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
    sources = require_file(_gum_dir(corpora) / "sources")
    if which == "all":
        return sorted(sources.glob("GUM_*.conllu"))
    if which == "news":
        return sorted(sources.glob("GUM_news_*.conllu"))
    if which == "train":
        lists = _gum_dir(corpora) / "file-lists"
        listed = set(require_file(lists / "files.train").read_text(encoding="utf-8").split())
        # A few documents are in GUM's train list and also in its dev or test list: they count as
        # held out.
        held = set(require_file(lists / "files.dev").read_text(encoding="utf-8").split())
        held |= set(require_file(lists / "files.test").read_text(encoding="utf-8").split())
        # The reddit documents are listed but not distributed with GUM's text; skip what is absent.
        paths = [sources / f"{name}.conllu" for name in sorted(listed - held) if "_news_" not in name]
        return [p for p in paths if p.exists()]
    raise ValueError(f"GUM selection must be news, train or all, not {which!r}")


def read_gum(corpora: Path, which: str) -> list[AnnotatedSentence]:
    return [s for path in gum_documents(corpora, which) for s in read_gum_document(path)]
