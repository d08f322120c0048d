"""Cleaning one article: cut scraping debris, keep every sentence, turn metadata lines into metadata.

What belongs here: the interpreter of the rules in `rules.yaml` (see `broadsheet.clean.rules`)
and the whitespace normalisation of the result (which lines form a block or a wrapped paragraph
is `broadsheet.clean.blocks`'). What to cut is decided by the rules file, not by this module; a
new kind of debris is a new rule there.

How a text is cleaned, in order:
1. The input is split into lines, and the lines are read as blocks (`broadsheet.clean.blocks`:
   headings, paragraphs, list items, quotes). `inline` rules cut inside each block, its lines
   joined (markdown syntax, photo credits; a bold sentence over two lines is one span); later
   rules see each line as a reader would, with that syntax gone.
2. `line` rules cut whole lines (or whole hard-wrapped paragraphs); a `metadata` rule's capture
   becomes a field of the result (authors, published_date, original_url, ...). A label alone on
   its line ("Original url:") is tried with the paragraph under it as one line. A `rest` rule
   also cuts everything below its line (a comment section) when the text above is longer.
3. `list` rules cut a related-headlines heading together with the headline lines under it; a
   line already cut in step 2 ("Post a comment") ends the list, so each cut keeps its own rule.
4. `line` rules marked `trailing` are tried on the last paragraphs only, from the end upwards,
   stopping at the first paragraph none of them matches (author bios, "Tags:" lines); one marked
   `after_prose` only where a paragraph of prose stands above.
5. A `model` rule scores each paragraph left with the boilerplate classifier
   (`broadsheet.clean.boilerplate`) and cuts those it finds to be page debris (never the first:
   the title or headline where there is one).
6. A `repeat` rule cuts every later copy of a paragraph the text already holds word for word
   (a page rendered twice, a consent notice under every embed).
7. When no byline or date line gave a date, a `dateline` rule may read one from the opening
   words of the first paragraphs ("BAGHDAD, Jan. 8, 2020 (Agency) —"); the dateline stays.
8. The title: the leading level-1 Markdown heading a `title_heading` rule cut from the text, or
   else the first paragraph left when it is a level-1 heading (one the rules left in place).

Whitespace is then normalised: every line is stripped; spaces left doubled where a cut was made
inside a line collapse to one; lines of a hard-wrapped paragraph (a line broken only because the
next word did not fit) are joined by one space; every other line break, and every run of blank
lines, becomes one paragraph break "\\n\\n". The text never starts or ends with whitespace.

Offsets. Every `Segment` records a cut as `[start, end)` offsets into the INPUT text, trimmed
of surrounding whitespace, with `text == input[start:end]`. Whitespace dropped or rewritten by
the normalisation is not a cut and is not recorded. Every character of the clean text is
either a verbatim character of the input or a separator the normalisation wrote (the " " of a
joined wrap, the "\\n\\n" of a paragraph break). `CleanResult.runs` lists the verbatim
stretches as `(clean_start, input_start, length)`, so clean offset `c` inside a run maps to
input offset `input_start + (c - clean_start)`; `offset_map()` does that for every position
and `input_span()` for a span.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from broadsheet.clean.blocks import is_prose, level_one_heading, read_blocks, soft_breaks
from broadsheet.clean.boilerplate import Paragraph, feature_rows, load_model, plain_kind
from broadsheet.clean.dates import parse_date
from broadsheet.clean.result import CleanResult, Segment
from broadsheet.clean.rules import Rule, Rules, load_rules

__all__ = ["CleanResult", "Segment", "clean_text", "model_paragraphs"]

# Invisible characters scraped text carries at line edges (zero-width spaces, a stray BOM);
# stripping them is whitespace normalisation, not a cut.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _INVISIBLE
_WORD = re.compile(r"\S+")
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
# A label alone on its line, its value on a line of its own below: a few words and a colon.
_LABEL = re.compile(r"[^\W\d_](?:[\w'’-]*)(?:\s+[\w'’-]+){0,3}\s*:")


def clean_text(text: str, source_format: str, rules: Rules | None = None, title: str | None = None) -> CleanResult:
    """Clean one article's decoded text; `source_format` is one of the rules file's formats.

    `title`: the title the record's metadata gives, which `same_as_title` rules compare lines with.
    """
    rules = rules or load_rules()
    if source_format not in rules.formats:
        raise ValueError(f"unknown source format {source_format!r}; the rules know {sorted(rules.formats)}")
    return _Cleaning(text, source_format, rules, title).run()


def model_paragraphs(text: str, source_format: str, rules: Rules | None = None, title: str | None = None) -> list[Paragraph]:
    """The paragraphs a `model` rule scores: what is left once every other rule has cut (for training)."""
    cleaning = _Cleaning(text, source_format, rules or load_rules(), title)
    return [p for _, p in cleaning.paragraphs(cleaning.prepare())]


class _Line:
    __slots__ = ("start", "end", "position", "index", "runs", "cuts", "removed", "_visible")

    def __init__(self, start: int, end: int, position: int, index: int) -> None:
        self.start, self.end = start, end  # the line without its surrounding whitespace
        self.index = index  # index among all the input's lines, blank ones included
        self.position = position  # index among the input's non-blank lines; -1 when blank
        self.runs: list[tuple[int, int]] = [(start, end)] if end > start else []
        self.cuts: list[Segment] = []  # inline cuts inside this line
        self.removed = False
        self._visible: str | None = None

    def visible(self, text: str) -> str:
        """The line as a reader sees it after inline cuts, stripped."""
        if self._visible is None:
            self._visible = "".join(text[a:b] for a, b in self.runs).strip(_STRIP)
        return self._visible

    @property
    def live(self) -> bool:
        return not self.removed and self._visible != ""

    def cut(self, text: str, ranges: Sequence[tuple[int, int]], rule: Rule) -> None:
        for a, b in ranges:
            self.runs = _subtract(self.runs, a, b)
            segment = _segment(text, a, b, rule)
            if segment is not None:
                # A cut that spans earlier cuts (a credit holding an italic) absorbs them.
                self.cuts = [s for s in self.cuts if s.end <= segment.start or s.start >= segment.end]
                self.cuts.append(segment)
        self._visible = None


@dataclass
class _Candidate:
    """A line, or a hard-wrapped paragraph of several lines, that line rules are tried on."""

    lines: list[_Line]
    text: str

    @property
    def first(self) -> int:
        return self.lines[0].position

    @property
    def last(self) -> int:
        return self.lines[-1].position


class _Cleaning:
    def __init__(self, text: str, source_format: str, rules: Rules, title: str | None = None) -> None:
        self.text = text
        self.title_words = _words(title or "")
        self.format = source_format
        self.rules = rules
        self.lines = _split_lines(text)
        self.blocks = read_blocks([text[ln.start : ln.end] for ln in self.lines], markdown=source_format == "md")
        self.n_positions = sum(1 for ln in self.lines if ln.position >= 0)
        self.segments: list[Segment] = []
        self.authors: list[str] = []
        self.published_date: dt.date | None = None
        self.date_source: str | None = None
        self.fields: dict[str, str] = {}
        self.heading_title: str | None = None  # the leading heading a title_heading rule cut

    def prepare(self) -> list[list[_Line]]:
        """Steps 1-4 (inline, line, list and trailing rules); the paragraphs, as lines."""
        for rule in self.rules.of_kind("inline", self.format):
            self._apply_inline(rule)
        for line in self.lines:
            line.visible(self.text)  # fixes which lines were emptied by inline cuts
        units = _units(self.text, self.lines)
        line_rules = self.rules.of_kind("line", self.format)
        self._apply_lines(units, [r for r in line_rules if not r.trailing])
        for rule in self.rules.of_kind("list", self.format):
            self._apply_list(rule)
        self._apply_trailing(units, [r for r in line_rules if r.trailing])
        return units

    def run(self) -> CleanResult:
        units = self.prepare()
        for rule in self.rules.of_kind("model", self.format):
            self._apply_model(units, rule)
        for rule in self.rules.of_kind("repeat", self.format):
            self._apply_repeat(units, rule)
        if self.published_date is None:
            for rule in self.rules.of_kind("dateline", self.format):
                self._apply_dateline(units, rule)
        for line in self.lines:
            if not line.removed:
                self.segments.extend(line.cuts)
        clean, runs = _assemble(self.text, units)
        return CleanResult(
            title=self._title(units, clean),
            text=clean,
            segments=tuple(sorted(self.segments, key=lambda s: (s.start, s.end))),
            authors=tuple(self.authors),
            published_date=self.published_date,
            published_date_source=self.date_source,
            original_url=self.fields.get("original_url"),
            original_source=self.fields.get("original_source"),
            publisher=self.fields.get("publisher"),
            runs=runs,
        )

    # --- the four kinds of rule ----------------------------------------------------------------

    def _apply_inline(self, rule: Rule) -> None:
        # Once per block, its lines joined by a line break: markup that opens on one line of a
        # paragraph and closes on the next is one span; `^` and `$` anchor at each line.
        assert rule.pattern is not None
        for block in self.blocks:
            lines = self.lines[block.first : block.last + 1]
            if not any(line.runs for line in lines):
                continue
            visible, offsets = _block_visible(self.text, lines)
            ranges: list[tuple[int, int]] = []
            for m in rule.pattern.finditer(visible):
                if m.end() == m.start():
                    continue
                if rule.action == "unwrap" and m.start("keep") >= 0:
                    pieces = [(m.start(), m.start("keep")), (m.end("keep"), m.end())]
                else:
                    pieces = [m.span()]
                ranges.extend((offsets[a], offsets[b - 1] + 1) for a, b in pieces if a < b)
            for line in lines:
                inside = [(max(a, line.start), min(b, line.end)) for a, b in ranges]
                inside = [(a, b) for a, b in inside if a < b]
                if inside:
                    line.cut(self.text, inside, rule)

    def _apply_list(self, rule: Rule) -> None:
        assert rule.heading is not None and rule.item is not None
        live = [ln for ln in self.lines if ln._visible != ""]  # cut lines too: they end a list
        i = 0
        while i < len(live):
            heading = live[i]
            if (
                not heading.removed
                and self._placed(rule, heading.position, heading.position)
                and rule.heading.fullmatch(heading.visible(self.text))
            ):
                items: list[_Line] = []
                for line in live[i + 1 :]:
                    words = len(_WORD.findall(line.visible(self.text)))
                    if line.removed or not rule.item.fullmatch(line.visible(self.text)):
                        break
                    if rule.max_item_words is not None and words > rule.max_item_words:
                        break
                    items.append(line)
                if items:
                    self._remove([heading, *items], rule)
                    i += len(items)
            i += 1

    def _apply_lines(self, units: list[list[_Line]], rules: Sequence[Rule]) -> None:
        for i, unit in enumerate(units):
            # Only metadata is read across the break: a heading over a list ("Read more:") is
            # the list rules' to cut with its items.
            labelled = self._labelled(unit, units[i + 1 :])
            if labelled is not None and any(self._try(r, labelled) for r in rules if r.action == "metadata"):
                continue
            for candidate in self._candidates(unit):
                if any(line.removed for line in candidate.lines):
                    continue
                for rule in rules:
                    if self._try(rule, candidate):
                        break

    def _apply_trailing(self, units: list[list[_Line]], rules: Sequence[Rule]) -> None:
        below: str | None = None  # the rule that cut the paragraph under this one
        texts = (" ".join(ln.visible(self.text) for ln in unit if ln.live) for unit in units)
        first_prose = next((k for k, text in enumerate(texts) if is_prose(text)), len(units))
        for k in reversed(range(len(units))):
            live = [ln for ln in units[k] if ln.live]
            if not live:
                continue
            usable = [r for r in rules if (r.below is None or below in r.below) and (k > first_prose or not r.after_prose)]
            whole = _Candidate(live, " ".join(ln.visible(self.text) for ln in live))
            below = next((r.id for r in usable if self._try(r, whole)), None)
            if below is not None:
                continue
            if len(live) == 1:
                return  # the first paragraph of prose from the end: the trailer is over
            for line in reversed(live):
                below = next((r.id for r in usable if self._try(r, _Candidate([line], line.visible(self.text)))), None)
                if below is None:
                    return

    def _apply_dateline(self, units: list[list[_Line]], rule: Rule) -> None:
        assert rule.pattern is not None and rule.group is not None and rule.first_paragraphs is not None
        paragraphs = [[ln for ln in unit if ln.live] for unit in units]
        for lines in [p for p in paragraphs if p][: rule.first_paragraphs]:
            match = rule.pattern.match(" ".join(ln.visible(self.text) for ln in lines))
            if match:
                self.published_date = parse_date(match.group(rule.group), self.rules.dotted_numeric_dates)
                self.date_source = "text" if self.published_date else None
                return

    def _apply_model(self, units: list[list[_Line]], rule: Rule) -> None:
        assert rule.model is not None
        found = self.paragraphs(units)
        paragraphs = [p for _, p in found]
        rows = feature_rows(paragraphs, rule.cues, rule.related)
        for (lines, _), debris in zip(found, load_model(rule.model).debris(paragraphs, rows), strict=True):
            if debris:
                self._remove(lines, rule)

    def _apply_repeat(self, units: list[list[_Line]], rule: Rule) -> None:
        # After the model, which reads a paragraph's repeats as a sign of furniture; the first
        # copy stays, so the text keeps every sentence once. Case and punctuation aside.
        assert rule.min_words is not None
        seen: set[tuple[str, ...]] = set()
        for unit in units:
            live = [ln for ln in unit if ln.live]
            words = tuple(_words(" ".join(ln.visible(self.text) for ln in live)))
            if len(words) < rule.min_words:
                continue
            if words in seen:
                self._remove(live, rule)
            seen.add(words)

    # --- helpers ---------------------------------------------------------------------------------

    def paragraphs(self, units: list[list[_Line]]) -> list[tuple[list[_Line], Paragraph]]:
        """The paragraphs left, each with its live lines, as the boilerplate model reads them."""
        kinds = {i: b.kind for b in self.blocks for i in range(b.first, b.last + 1)}
        found = []
        for unit in units:
            live = [ln for ln in unit if ln.live]
            if live:
                raw = self.text[live[0].start : live[-1].end]
                kind = kinds.get(live[0].index, "paragraph") if self.format == "md" else plain_kind(raw)
                visible = " ".join(ln.visible(self.text) for ln in live)
                found.append((live, Paragraph(visible, raw, kind, self.format == "md")))
        return found

    def _candidates(self, unit: list[_Line]) -> Iterator[_Candidate]:
        live = [ln for ln in unit if ln.live]
        if len(live) > 1:
            yield _Candidate(live, " ".join(ln.visible(self.text) for ln in live))
        for line in live:
            yield _Candidate([line], line.visible(self.text))

    def _labelled(self, unit: list[_Line], rest: list[list[_Line]]) -> _Candidate | None:
        """A label alone on its line ("Original url:", "Published:") read with the value under it.

        The value is the next paragraph that has words, blank lines between allowed; the two are
        tried as one line ("Original url: https://..."), so a rule sees them as a reader does.
        """
        live = [ln for ln in unit if ln.live]
        if len(live) != 1 or live[0].removed:
            return None
        label = live[0].visible(self.text)
        if not _LABEL.fullmatch(label):
            return None
        for following in rest:
            value = [ln for ln in following if ln.live]
            if value:
                if any(ln.removed for ln in value):
                    return None
                text = " ".join([label, *(ln.visible(self.text) for ln in value)])
                return _Candidate([live[0], *value], text)
        return None

    def _leading_heading(self, candidate: _Candidate) -> bool:
        """Whether the candidate is a level-1 heading with no text kept above it and some below."""
        first, last = candidate.lines[0].index, candidate.lines[-1].index
        # The heading test first: the rule is tried on every line, and most are no heading.
        if not level_one_heading(self.blocks, first, last):
            return False
        return not any(ln.live for ln in self.lines[:first]) and any(ln.live for ln in self.lines[last + 1 :])

    def _title(self, units: list[list[_Line]], clean: str) -> str | None:
        """The leading heading a title_heading rule cut, or the first paragraph left when it is a level-1 heading."""
        if self.heading_title is not None:
            return self.heading_title
        for unit in units:
            live = [ln for ln in unit if ln.live and _line_pieces(self.text, ln.runs)]
            if live:
                return clean.split("\n\n", 1)[0] if level_one_heading(self.blocks, live[0].index, live[-1].index) else None
        return None

    def _placed(self, rule: Rule, first: int, last: int) -> bool:
        if rule.first_lines is not None and first >= rule.first_lines:
            return False
        return rule.last_lines is None or last >= self.n_positions - rule.last_lines

    def _try(self, rule: Rule, candidate: _Candidate) -> bool:
        assert rule.pattern is not None
        if not self._placed(rule, candidate.first, candidate.last):
            return False
        if rule.max_words is not None and len(_WORD.findall(candidate.text)) > rule.max_words:
            return False
        if rule.same_as_title and not (self.title_words and _words(candidate.text) == self.title_words):
            return False
        if rule.title_heading and not self._leading_heading(candidate):
            return False
        match = rule.pattern.fullmatch(candidate.text)
        if match is None:
            return False
        if rule.not_in_body is not None and self._named_in_body(match.group(rule.not_in_body), candidate.lines):
            return False
        value = None
        if rule.action == "metadata":
            value = self._take_metadata(rule, match.group(rule.group))
        if rule.title_heading:
            self.heading_title = _assemble(self.text, [candidate.lines])[0]
        self._remove(candidate.lines, rule, value)
        if rule.rest:
            self._remove_rest(candidate.lines[-1], rule)
        return True

    def _remove_rest(self, last: _Line, rule: Rule) -> None:
        """Every line below `last` (a section that ends the page), when the text above is longer.

        Lines another rule already cut keep their own cut; the rest go in runs, one cut each.
        """
        below = [ln for ln in self.lines if ln.index > last.index and ln.position >= 0]
        above = [ln for ln in self.lines if ln.index < last.index and ln.live]
        words_below = sum(len(_WORD.findall(ln.visible(self.text))) for ln in below if ln.live)
        words_above = sum(len(_WORD.findall(ln.visible(self.text))) for ln in above)
        if words_below >= words_above:
            return
        run: list[_Line] = []
        for line in [*below, None]:
            if line is not None and not line.removed:
                run.append(line)
                continue
            if run:
                self._remove(run, rule)
                run = []

    def _named_in_body(self, name: str, excluded: list[_Line]) -> bool:
        surname = name.split()[-1]
        pattern = re.compile(rf"(?<!\w){re.escape(surname)}(?!\w)")
        return any(pattern.search(ln.visible(self.text)) for ln in self.lines if ln.live and ln not in excluded)

    def _take_metadata(self, rule: Rule, raw: str) -> str | None:
        if rule.field == "authors":
            names = [" ".join(n.split()) for n in _NAME_SPLIT.split(raw) if n.strip()]
            for name in names:
                if name not in self.authors:
                    self.authors.append(name)
            return "; ".join(names)
        if rule.field == "published_date":
            date = parse_date(raw, self.rules.dotted_numeric_dates)
            if date is not None and self.published_date is None:
                self.published_date, self.date_source = date, "byline"
            return date.isoformat() if date else None
        value = " ".join(raw.split()).rstrip(".,;:")
        assert rule.field is not None
        self.fields.setdefault(rule.field, value)
        return value

    def _remove(self, lines: list[_Line], rule: Rule, value: str | None = None) -> None:
        start, end = lines[0].start, lines[-1].end
        for line in lines:
            line.removed = True
        self.segments.append(Segment(start, end, rule.id, rule.action, rule.field, value, self.text[start:end]))


# --- text structure ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    # Case and punctuation aside: a page's headline and its title metadata differ in quote marks.
    return re.findall(r"\w+", text.casefold())


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset, position = 0, 0
    for index, raw in enumerate(text.split("\n")):
        start, end = offset, offset + len(raw)
        while start < end and _is_space(text[start]):
            start += 1
        while end > start and _is_space(text[end - 1]):
            end -= 1
        if end > start:
            lines.append(_Line(start, end, position, index))
            position += 1
        else:
            lines.append(_Line(start, start, -1, index))
        offset += len(raw) + 1
    return lines


def _units(text: str, lines: list[_Line]) -> list[list[_Line]]:
    """Paragraphs: blocks between blank input lines, split at every line break that is not a wrap."""
    units: list[list[_Line]] = []
    block: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.position >= 0:
            block.append(line)
            continue
        if block:
            soft = soft_breaks([text[ln.start : ln.end] for ln in block])
            unit = [block[0]]
            for is_soft, line_in_block in zip(soft, block[1:], strict=True):
                if is_soft:
                    unit.append(line_in_block)
                else:
                    units.append(unit)
                    unit = [line_in_block]
            units.append(unit)
            block = []
    return units


def _block_visible(text: str, lines: Sequence[_Line]) -> tuple[str, list[int]]:
    """A block's lines as inline rules see them, joined by "\\n", and each character's input offset.

    A joining "\\n" maps to the end of the line before it (whitespace of the input), so a cut
    that takes it along takes nothing visible.
    """
    chars: list[str] = []
    offsets: list[int] = []
    for k, line in enumerate(lines):
        if k:
            chars.append("\n")
            offsets.append(lines[k - 1].end)
        for a, b in line.runs:
            chars.append(text[a:b])
            offsets.extend(range(a, b))
    return "".join(chars), offsets


def _subtract(runs: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for s, e in runs:
        if e <= a or s >= b:
            kept.append((s, e))
            continue
        if s < a:
            kept.append((s, a))
        if e > b:
            kept.append((b, e))
    return kept


def _segment(text: str, a: int, b: int, rule: Rule) -> Segment | None:
    while a < b and _is_space(text[a]):
        a += 1
    while b > a and _is_space(text[b - 1]):
        b -= 1
    if a == b:
        return None  # only whitespace went: normalisation, not a cut
    return Segment(a, b, rule.id, rule.action, None, None, text[a:b])


def _line_pieces(text: str, runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """A kept line's verbatim pieces: stripped, and with one space where a cut left two."""
    pieces: list[tuple[int, int]] = []
    for a, b in runs:
        if pieces and pieces[-1][1] != a and _is_space(text[pieces[-1][1] - 1]):
            while a < b and _is_space(text[a]):
                a += 1
        if not pieces:
            while a < b and _is_space(text[a]):
                a += 1
        if a < b:
            pieces.append((a, b))
    while pieces:
        a, b = pieces[-1]
        while b > a and _is_space(text[b - 1]):
            b -= 1
        if b > a:
            pieces[-1] = (a, b)
            break
        pieces.pop()
    return pieces


def _assemble(text: str, units: list[list[_Line]]) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    pos = 0

    def emit(a: int, b: int) -> None:
        nonlocal pos
        out.append(text[a:b])
        if runs and runs[-1][0] + runs[-1][2] == pos and runs[-1][1] + runs[-1][2] == a:
            c, i, n = runs[-1]
            runs[-1] = (c, i, n + b - a)
        else:
            runs.append((pos, a, b - a))
        pos += b - a

    def separator(sep: str) -> None:
        nonlocal pos
        out.append(sep)
        pos += len(sep)

    first_paragraph = True
    for unit in units:
        lines = [p for p in (_line_pieces(text, ln.runs) for ln in unit if ln.live) if p]
        if not lines:
            continue
        if not first_paragraph:
            separator("\n\n")
        first_paragraph = False
        for k, pieces in enumerate(lines):
            if k:
                separator(" ")
            for a, b in pieces:
                emit(a, b)
    return "".join(out), tuple(runs)
