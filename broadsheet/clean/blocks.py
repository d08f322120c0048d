"""Reading an article's block structure: which lines form one heading, paragraph, list item, quote.

What belongs here: the block grammar of Markdown (CommonMark's block starts: ATX and setext
headings, thematic breaks, block quotes, list items with their continuation lines, fenced code,
table rows) and of plain text (blocks between blank lines), read from the input's lines. Nothing
here cuts text or knows a rule: the cleaner runs its inline rules once per block, so markup that
opens on one line and closes on the next (a bold sentence broken by a line break) is read as one
span, and it takes the article's title from a leading level-1 heading.

Why not a Markdown library: the cleaner records every cut as exact offsets into the input, and
the parsers at hand (markdown-it-py, mistune) give block tokens line numbers at best, never the
offsets of the syntax characters inside a line, so the syntax itself is matched by the unwrap
rules of `rules.yaml` and only the block boundaries, which line numbers describe fully, are read
here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Block", "is_prose", "level_one_heading", "read_blocks", "soft_breaks"]

_ATX_HEADING = re.compile(r"(#{1,6})(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"(?:[-*_][ \t]*){3,}$")
_QUOTE = re.compile(r">")
_LIST_ITEM = re.compile(r"(?:[-*+•]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_TABLE_ROW = re.compile(r"\|")
# Lines that start a new block whatever their width: list items, quotes, headings, table rows.
_PARAGRAPH_MARK = re.compile(r"(?:[-*+•>#|]|\d{1,3}[.)])\s")
# Hard-wrapped text is wrapped at a fixed width; outside these widths lines are paragraphs.
_WRAP_WIDTHS = range(40, 101)
# A sentence's end: Latin and CJK full stops, ?, !, an ellipsis; closing quotes or brackets may follow.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»“)\]）」』】]*$")
# A paragraph of prose (see `is_prose`) is at least this long, in characters.
_PROSE_CHARS = 80


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | list_item | quote | code | table | rule
    first: int  # index of its first line among the lines read
    last: int  # index of its last line (inclusive); blank lines inside a block only in code
    level: int = 0  # a heading's level, 1-6; 0 for every other kind


def read_blocks(lines: Sequence[str], markdown: bool) -> list[Block]:
    """The blocks of an article given as its lines (each stripped of surrounding whitespace).

    Plain text: every run of non-blank lines is one paragraph block. Markdown: the blocks a
    CommonMark reader would see at the top level (nested containers are read as their outer
    block: a quote holding a list is a quote).
    """
    if not markdown:
        return _plain_blocks(lines)
    return _markdown_blocks(lines)


def _plain_blocks(lines: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    start = None
    for i, line in enumerate([*lines, ""]):
        if line and start is None:
            start = i
        elif not line and start is not None:
            blocks.append(Block("paragraph", start, i - 1))
            start = None
    return blocks


def _markdown_blocks(lines: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    open_block: Block | None = None  # a paragraph, quote or list item later lines may continue
    fence: str | None = None
    fence_start = 0

    def close() -> None:
        nonlocal open_block
        if open_block is not None:
            blocks.append(open_block)
            open_block = None

    for i, line in enumerate(lines):
        if fence is not None:
            if line.startswith(fence):
                blocks.append(Block("code", fence_start, i))
                fence = None
            continue
        if not line:
            close()
            continue
        opening = _FENCE.match(line)
        if opening:
            close()
            fence, fence_start = opening.group(1), i
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            close()
            blocks.append(Block("heading", i, i, len(heading.group(1))))
            continue
        if (
            open_block is not None
            and open_block.kind == "paragraph"
            and open_block.first == open_block.last
            and _SETEXT_UNDERLINE.match(line)
        ):
            level = 1 if line.startswith("=") else 2
            blocks.append(Block("heading", open_block.first, i, level))
            open_block = None
            continue
        if _THEMATIC_BREAK.match(line):
            close()
            blocks.append(Block("rule", i, i))
            continue
        if _QUOTE.match(line):
            if open_block is not None and open_block.kind == "quote":
                open_block = Block("quote", open_block.first, i)
            else:
                close()
                open_block = Block("quote", i, i)
            continue
        if _LIST_ITEM.match(line):
            close()
            open_block = Block("list_item", i, i)
            continue
        if _TABLE_ROW.match(line):
            close()
            blocks.append(Block("table", i, i))
            continue
        if open_block is not None:
            # A paragraph's next line, or a lazy continuation of a quote or list item.
            open_block = Block(open_block.kind, open_block.first, i)
        else:
            open_block = Block("paragraph", i, i)
    close()
    if fence is not None:  # an unclosed fence runs to the end of the text
        blocks.append(Block("code", fence_start, len(lines) - 1))
    return sorted(blocks, key=lambda b: b.first)


def soft_breaks(contents: list[str]) -> list[bool]:
    """For each break between consecutive lines of a block: is it a hard wrap inside a paragraph?

    A wrapper breaks a line only when the next word would not fit, so a break after a line
    that had room for the next word was meant. A block of lines that all start with a capital
    and end in a word (a list of headlines) is not wrapped prose even when the widths fit.
    """
    if len(contents) < 2:
        return []
    width = max(len(c) for c in contents)
    hard = [False] * (len(contents) - 1)
    if width not in _WRAP_WIDTHS:
        return hard
    breaks = []
    for cur, nxt in zip(contents, contents[1:], strict=False):
        next_word = nxt.split(None, 1)[0]
        fitted = len(cur) + 1 + len(next_word) <= width
        breaks.append(not fitted and not cur.startswith("#") and not _PARAGRAPH_MARK.match(nxt))
    looks_wrapped = any(
        b and (nxt[0].islower() or cur[-1] in ",-–—") for b, cur, nxt in zip(breaks, contents, contents[1:], strict=False)
    )
    return breaks if looks_wrapped else hard


def is_prose(text: str) -> bool:
    """Whether a paragraph (its visible text) reads as prose: it ends like a sentence and is a
    sentence's length or more, in characters, which scripts written without spaces have too."""
    return len(text) >= _PROSE_CHARS and bool(_SENTENCE_END.search(text))


def level_one_heading(blocks: Sequence[Block], first: int, last: int) -> bool:
    """Whether lines `first` to `last` (indices among the lines read) lie in one level-1 heading."""
    return any(b.kind == "heading" and b.level == 1 and b.first <= first and last <= b.last for b in blocks)
