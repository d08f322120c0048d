"""An HTML page's article body around trafilatura: the blocks it keeps from boxes set apart from the
story left out, the standfirst and the article's further containers it leaves out put back.

trafilatura finds the article's container well but keeps what a page nests inside it without being
the article's running text; it leaves out the standfirst (the summary under the headline), which
most pages set above that container, and it may keep only the first of the containers a page cuts
a long article into. All three are read from the page's structure, not from its words:

- :func:`without_set_apart` drops, after extraction, the blocks that the page shows only inside
  an element set apart from the story: a fact box or info box (class names such as ``factbox``,
  ``info-box``), the author's biography box (``author-bio``), an embedded social-media post
  (the networks' embed classes: ``twitter-tweet``, ``instagram-media``, ``tiktok-embed``), and
  teaser cards, where a whole paragraph or heading sits inside one link to another page. An
  element holding half the page's words or more is never a box, whatever its class says (a page
  may name its whole layout "infobox"). The page itself is not pruned before extraction: on
  pages where trafilatura had already left the cards out, pruning them changed which container
  it chose and lost paragraphs.
- :func:`with_continuations` adds the paragraphs of the article's other containers of the
  same kind (tag and class) as the one holding most of the extracted paragraphs, when the page
  cuts the article into several with advertisements between them, and the paragraphs of prose
  the extraction passed over in its own containers (one that is mostly a link, say).
- :func:`standfirst` returns the page's own description (``<meta name="description">``,
  ``og:description``, ``twitter:description``) when the page also shows it, word for word, as the
  whole text of one of its elements, and the extracted text does not hold it yet.
- :func:`without_headline` drops a first block that repeats one of the page's headlines other
  than the title chosen.

Counts over the 216 Fundus dev pages (about 150 publishers, 42 English pages), against their gold
bodies: fact and info boxes held 3,127 words kept by the extraction that no gold body holds, on 6
publishers (Norwegian, German, Austrian, British), against about 280 words of three-word
sequences that also occur in a gold body (shared phrases, no gold paragraph); biography boxes 302
words on 2 publishers against 3; teaser cards 412 words on 5 publishers against 6; embedded
posts (2 English pages of 2 publishers) 54 three-word sequences kept against 9 shared with a gold
body. A shown description that the extraction lacked is the gold summary on all 60 pages (49
publishers, 8 English pages) where it is added. An article cut into containers of one kind is
read on from the extraction's container on 2 pages (2 publishers, 1 English), and prose passed
over inside the extraction's own containers changes the text of 2 more (2 publishers, 1
English; on 4 others what it adds, a newsroom's contact line or a "click here" link, is cut by
the cleaning rules as before): every paragraph added is in the gold body. The check on what the
text already holds matters: without it, a paragraph the extraction had written a little
differently came twice on 2 other pages. The
extracted text opens with the page's own ``<h1>`` on 4 pages (4 publishers, 1 English), none of
whose gold bodies holds it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy

from lxml import etree

__all__ = ["standfirst", "with_continuations", "without_headline", "without_set_apart"]

# Class or id wording that marks an element as set apart from the running text. Matched against
# the attribute values as written; "bio" only as a whole word part ("author-bio", "bio_box"), so
# that "biography" or "antibiotic" in a class name never matches. The embed codes of the social
# networks mark an embedded post: someone else's words, which the story quotes where it needs to.
_SET_APART = re.compile(
    r"(?:fact|info)[-_]?box|(?<![a-z])bio(?![a-z])|authorbio|twitter-tweet|instagram-media|tiktok-embed",
    re.IGNORECASE,
)
_SET_APART_WORDS = ("box", "bio", "tweet", "instagram-media", "tiktok-embed")
# Block elements that a link wraps only when it is a card pointing to another article.
_CARD_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")
# Elements that structure the whole page: never removed as a box.
_PAGE_ELEMENTS = frozenset({"html", "head", "body", "main", "article"})
# Elements whose text a reader never sees.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "meta"})
_DESCRIPTION_KEYS = ("description", "og:description", "twitter:description")
# A description shorter than this many words is a label, not a summary of the article.
_MIN_STANDFIRST_WORDS = 6
_WORD = re.compile(r"\w+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")
# The blocks an article's container holds, and a paragraph long enough to be its prose.
_CONTINUED_BLOCKS = ("p", "h2", "h3", "h4", "blockquote", "ul", "ol")
_PROSE_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")


def without_set_apart(blocks: Sequence[str], tree: etree._Element) -> list[str]:
    """The extracted `blocks` less those that the page shows only inside a set-apart box.

    A block goes when its words are found in a box's text and nowhere else on the page (a
    sentence that the story also tells outside the box stays). The page is not changed: the
    extraction itself chose its blocks from the whole page.
    """
    boxes = _set_apart_elements(tree)
    if not boxes:
        return list(blocks)
    # Compared without any whitespace: a box's heading and paragraph often touch in the markup
    # ("<h3>Title</h3><p>Text") while the extraction puts a line break between them.
    box_texts = [_squeezed(_visible_text(box)) for box in boxes]
    lines = [_lines(block) for block in blocks]
    in_boxes = [i for i, ls in enumerate(lines) if ls and all(any(ln in box for box in box_texts) for ln in ls)]
    if not in_boxes:
        return list(blocks)
    # The page without its boxes is read only when a block is found in one.
    outside = _squeezed(_visible_text(_pruned_copy(tree, boxes)))
    dropped = {i for i in in_boxes if not any(ln in outside for ln in lines[i])}
    return [block for i, block in enumerate(blocks) if i not in dropped]


def _lines(block: str) -> list[str]:
    """A block's lines, squeezed, without the marker the extraction writes before a list item ("- ").

    A list block is written one item a line; each item is looked up on its own.
    """
    lines = (_squeezed(_LIST_MARKER.sub("", line)) for line in block.splitlines())
    return [line for line in lines if line]


def _set_apart_elements(tree: etree._Element) -> list[etree._Element]:
    """The outermost set-apart boxes and teaser cards, none holding half the page's words or more."""
    body_words: int | None = None  # counted once a candidate needs it
    found: list[etree._Element] = []
    inside: set[etree._Element] = set()  # the found ones, to skip what they hold
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _PAGE_ELEMENTS or element.tag in _INVISIBLE:
            continue
        if not _is_set_apart(element) or any(a in inside for a in element.iterancestors()):
            continue
        if body_words is None:
            body_words = _words(_visible_text(tree))
        if 2 * _words(_visible_text(element)) >= body_words:
            continue
        found.append(element)
        inside.add(element)
    return found


def _pruned_copy(tree: etree._Element, elements: Sequence[etree._Element]) -> etree._Element:
    """A copy of `tree` without `elements` (their tails kept)."""
    marker = "data-set-apart-box"
    for element in elements:
        element.set(marker, "")
    try:
        copy = deepcopy(tree)
    finally:
        for element in elements:
            del element.attrib[marker]
    for element in list(copy.iter()):
        if isinstance(element.tag, str) and element.get(marker) is not None:
            _drop_keeping_tail(element)
    return copy


def _is_set_apart(element: etree._Element) -> bool:
    if element.tag == "a":
        # A link around a paragraph or a heading is a teaser card: the story it shows is elsewhere.
        return any(True for _ in element.iterdescendants(*_CARD_BLOCKS))
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    # Most elements hold none of the words at all: a plain substring test spares them the pattern.
    lowered = names.lower()
    return any(word in lowered for word in _SET_APART_WORDS) and bool(_SET_APART.search(names))


def _drop_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def with_continuations(blocks: Sequence[str], tree: etree._Element) -> list[str]:
    """`blocks` with the paragraphs of the article's other containers that the extraction left out.

    Pages cut a long article into several containers of one kind (the same tag and class) with
    advertisements or embeds between them, and the extraction may keep the first only. The
    container that holds most of the extracted paragraphs names the kind; every other container
    of that kind on the page that holds a paragraph of prose gives its paragraphs, headings,
    quotes and lists, each in its place in the page's order. What the text already holds is not
    added twice.
    """
    order = {element: i for i, element in enumerate(tree.iter())}
    shown: dict[str, etree._Element] = {}
    for element in tree.iter(*_CONTINUED_BLOCKS):
        shown.setdefault(_squeezed(_visible_text(element)), element)
    placed = [shown.get(_squeezed(block)) for block in blocks]
    kinds: Counter[tuple[str, str]] = Counter()
    holders: set[etree._Element] = set()
    for block, element in zip(blocks, placed, strict=True):
        parent = element.getparent() if element is not None else None
        if parent is not None and parent.get("class") and _words(block) >= _PROSE_WORDS:
            kinds[(parent.tag, parent.get("class"))] += 1
            holders.add(parent)
    if not kinds:
        return list(blocks)
    (tag, cls), _ = kinds.most_common(1)[0]
    have = _trigrams(" ".join(blocks))
    positions = [order.get(e, -1) if e is not None else -1 for e in placed]
    added: list[tuple[int, str]] = []
    around = {a for holder in holders for a in holder.iterancestors()}  # what holds a holder
    for container in tree.iter(tag):
        if container.get("class") != cls or container in around:
            continue
        if any(a in holders for a in container.iterancestors()):
            continue
        found = [(order[child], child.tag, _block_text(child)) for child in container if child.tag in _CONTINUED_BLOCKS]
        found = [(at, kind, text) for at, kind, text in found if text and not _held(text, have)]
        if container in holders:
            # The extraction's own container: only the paragraphs of prose it passed over (one
            # that is mostly a link, say), not its headings and lists, which it judged.
            added.extend((at, text) for at, kind, text in found if kind == "p" and _is_prose(text))
        elif any(kind == "p" and _is_prose(text) for _, kind, text in found):
            added.extend((at, text) for at, _, text in found)
    if not added:
        return list(blocks)
    # Each block keeps its place; one the page does not show as an element stands where the
    # block before it stands.
    merged: list[tuple[int, int, str]] = []
    last = -1
    for k, (block, at) in enumerate(zip(blocks, positions, strict=True)):
        last = at if at >= 0 else last
        merged.append((last, k, block))
    merged.extend((at, len(blocks) + k, text) for k, (at, text) in enumerate(added))
    return [text for _, _, text in sorted(merged)]


def _block_text(element: etree._Element) -> str:
    """A block as the extraction writes it: its words on one line, a list one item a line."""
    if element.tag in ("ul", "ol"):
        items = (" ".join(_visible_text(item).split()) for item in element.iter("li"))
        return "\n".join(f"- {item}" for item in items if item)
    return " ".join(_visible_text(element).split())


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _held(text: str, have: set[tuple[str, ...]]) -> bool:
    """Whether most of `text`'s word trigrams are in `have`: the block is there already, perhaps
    written a little differently (a hidden "opens in a new tab" the extraction left out)."""
    mine = _trigrams(text)
    return 2 * len(mine & have) >= len(mine)


def _is_prose(text: str) -> bool:
    return _words(text) >= _PROSE_WORDS and bool(_SENTENCE_END.search(text))


def without_headline(blocks: Sequence[str], headlines: Iterable[str | None], title: str | None) -> list[str]:
    """`blocks` without the first when it repeats one of the page's other headlines and more follow.

    The document keeps its title apart; a headline left at the top of the text that is not the
    title chosen (the page's ``<h1>`` where the title is the JSON-LD headline, say) is not the
    article's body either. A first block that is the title itself stays: the clean stage cuts it
    and logs the cut. Only the words count, not case, spaces or punctuation: a headline shown
    under its topic label reads "Label Headline" where the page's metadata write "Label: Headline".
    """
    wanted = {_word_key(h) for h in headlines if h} - {_word_key(title or "")} - {()}
    if len(blocks) > 1 and _word_key(blocks[0]) in wanted:
        return list(blocks[1:])
    return list(blocks)


def _word_key(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def standfirst(tree: etree._Element, text: str) -> str | None:
    """The page's description when the page shows it as an element's whole text and `text` lacks it.

    A description that only sits in the page's head is a search-engine snippet, not part of the
    article; one shown on the page as a block of its own is the article's standfirst.
    """
    descriptions = _descriptions(tree)
    if not descriptions:
        return None
    have = _folded(text)
    wanted = {_folded(d): d for d in descriptions if len(_WORD.findall(d)) >= _MIN_STANDFIRST_WORDS}
    wanted = {key: d for key, d in wanted.items() if key not in have}
    if not wanted:
        return None
    for shown in _shown_texts(tree):
        found = wanted.get(_folded(shown))
        if found is not None:
            return found
    return None


def _descriptions(tree: etree._Element) -> list[str]:
    found: dict[str, None] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if key in _DESCRIPTION_KEYS and content:
            found.setdefault(content, None)
    return list(found)


def _shown_texts(tree: etree._Element) -> Iterator[str]:
    """The whole visible text of every element in the page's body that has text of its own."""
    body = next(tree.iter("body"), None)
    if body is None:
        return
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
            continue
        if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
            yield _visible_text(element)


_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")


def _visible_text(element: etree._Element) -> str:
    """The text a reader sees in `element`: its text nodes, not those of scripts and styles."""
    return "".join(str(part) for part in _VISIBLE_TEXT(element))


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def _words(text: str) -> int:
    return len(_WORD.findall(text))
