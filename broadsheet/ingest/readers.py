"""Format readers: the raw bytes of one source file → article records and rejects.

One reader per source format; each is a pure function of the bytes and the file's source uri,
and never raises for bad input: whatever cannot become an article comes back as a `Reject`
naming the reason and the place (a JSON Lines line number, a JSON list index). Which files
reach which reader, and what happens across files (duplicate ids), is `broadsheet.ingest`'s
business.

Formats:
- txt, md: the decoded text as it is (markdown syntax is the clean stage's to strip).
- html: the main text and the canonical url that trafilatura finds (navigation, footers and
  comment sections are left out); the title, authors, date and site name chosen by
  `broadsheet.ingest.htmlmeta` from the page's own metadata (JSON-LD, OpenGraph) and
  trafilatura's.
- json: one object, or a list of objects; jsonl: one object per line. Each object carries
  `text` and optionally `id`, `title`, `url`, `published_date`, `authors` (a list or a single
  name) and `publisher`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from broadsheet.ingest.decode import (
    UndecodableError,
    decode_as,
    decode_bytes,
    html_declared_charset,
    normalize_text,
    scrub_surrogates,
)
from broadsheet.ingest.htmlbody import standfirst, with_continuations, without_headline, without_set_apart
from broadsheet.ingest.htmlmeta import combine, read_page_metadata
from broadsheet.ingest.metadata import clean_metadata_string, dedupe_authors, parse_published_date
from broadsheet.ingest.records import Reject, SourceRecord, make_doc_id, make_reject, sha256_hex

__all__ = ["FORMAT_BY_EXTENSION", "read_source"]

Item = SourceRecord | Reject

FORMAT_BY_EXTENSION: Mapping[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}

# Only metadata dates: the default extensive search would take a date from the article text or
# the URL and present it as the published date. Bounds wide enough for any news archive, and
# fixed so that the result does not depend on the day the pipeline runs.
_HTML_DATE_PARAMS = {
    "extensive_search": False,
    "original_date": True,
    "min_date": "1800-01-01",
    "max_date": "2999-12-31",
}
_HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_OPTIONAL_STRING_FIELDS = ("title", "url", "publisher")


def read_source(source_format: str, data: bytes, source_uri: str, charset: str | None = None) -> list[Item]:
    """Read one file's bytes in the given format (a value of `FORMAT_BY_EXTENSION`).

    `charset` is what the container says about the bytes (an HTTP Content-Type, say); the text
    formats use it as a declared charset, under the rule of `broadsheet.ingest.decode` (JSON is
    UTF-8 by definition and ignores it).
    """
    if charset is not None and source_format in _TEXT_FORMATS:
        return _TEXT_FORMATS[source_format](data, source_uri, source_format, charset)
    return _READERS[source_format](data, source_uri, source_format)


def read_plain_text(data: bytes, source_uri: str, source_format: str, charset: str | None = None) -> list[Item]:
    raw_sha256 = sha256_hex(data)
    doc_id = make_doc_id(source_uri)
    try:
        text, encoding = decode_bytes(data, declared=charset)
    except UndecodableError as exc:
        return [make_reject(source_uri, source_format, exc.reason, str(exc), raw_sha256, doc_id)]
    if not text.strip():
        return [make_reject(source_uri, source_format, "empty_text", _empty_detail(data), raw_sha256, doc_id)]
    return [
        SourceRecord(
            doc_id=doc_id,
            source_uri=source_uri,
            source_format=source_format,
            source_record_id=None,
            raw_sha256=raw_sha256,
            encoding=encoding,
            text=text,
            title=None,
            url=None,
            authors=(),
            publisher=None,
            published_date=None,
            published_date_raw=None,
        )
    ]


def read_html(data: bytes, source_uri: str, source_format: str, charset: str | None = None) -> list[Item]:
    raw_sha256 = sha256_hex(data)
    doc_id = make_doc_id(source_uri)
    try:
        # The page's own declaration first: it travels with the bytes, a server's header is
        # often a site-wide default.
        html, encoding = decode_bytes(data, declared=html_declared_charset(data) or charset)
    except UndecodableError as exc:
        return [make_reject(source_uri, source_format, exc.reason, str(exc), raw_sha256, doc_id)]
    if not html.strip():
        return [make_reject(source_uri, source_format, "empty_text", _empty_detail(data), raw_sha256, doc_id)]
    try:
        # The page parsed once, as trafilatura parses it: the extraction reads a copy of it.
        tree = load_html(html)
        extracted = trafilatura.bare_extraction(
            tree if tree is not None else html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_HTML_DATE_PARAMS),
        )
    except Exception as exc:  # a parser failure on one page must not stop the run; it is listed
        detail = f"the HTML could not be parsed for its main text: {type(exc).__name__}: {exc}"
        return [make_reject(source_uri, source_format, "no_main_text", detail, raw_sha256, doc_id)]
    # The page's own structured metadata where it states the article's, trafilatura's elsewhere.
    page = read_page_metadata(html)
    metadata = combine(page, extracted)
    blocks = _main_blocks(extracted) if extracted is not None else []
    headlines = [page.h1, page.og_title, *(article.headline for article in page.articles)]
    blocks = without_headline(blocks, headlines, metadata.title)
    lead = None
    if tree is not None and blocks:
        try:
            # The page's structure around the extraction (htmlbody): boxes out, the rest of a cut
            # article and the standfirst in.
            blocks = without_set_apart(with_continuations(blocks, tree), tree)
            lead = standfirst(tree, "\n\n".join(blocks))
        except (ValueError, TypeError, RecursionError, etree.Error):
            pass  # a refinement only: the extraction's own blocks stand without it
    text = "\n\n".join(blocks)
    if lead is not None and text.strip():
        text = f"{normalize_text(lead)}\n\n{text}"
    if not text.strip():
        detail = "no main article text could be extracted from the HTML (only boilerplate, or no body)"
        return [make_reject(source_uri, source_format, "no_main_text", detail, raw_sha256, doc_id)]
    date_raw = clean_metadata_string(metadata.date_raw)
    url = clean_metadata_string(extracted.url)
    return [
        SourceRecord(
            doc_id=doc_id,
            source_uri=source_uri,
            source_format=source_format,
            source_record_id=None,
            raw_sha256=raw_sha256,
            encoding=encoding,
            text=text,
            title=clean_metadata_string(metadata.title),
            # A relative or non-web canonical link does not locate the article on its own.
            url=url if url is not None and _HTTP_URL.match(url) else None,
            authors=dedupe_authors(metadata.authors),
            publisher=clean_metadata_string(metadata.publisher),
            published_date=parse_published_date(date_raw),
            published_date_raw=date_raw,
        )
    ]


def read_json(data: bytes, source_uri: str, source_format: str) -> list[Item]:
    raw_sha256 = sha256_hex(data)
    try:
        text, _ = decode_bytes(data)
    except UndecodableError as exc:
        return [make_reject(source_uri, source_format, exc.reason, str(exc), raw_sha256)]
    if not text.strip():
        return [make_reject(source_uri, source_format, "empty_text", _empty_detail(data), raw_sha256)]
    value, error = _parse_json(text)
    if error is not None:
        detail = f"the file is not valid JSON: {error}"
        return [make_reject(source_uri, source_format, "invalid_json", detail, raw_sha256)]
    if isinstance(value, dict):
        return [_record_from_object(value, source_uri, source_format, raw_sha256, "the JSON object")]
    if not isinstance(value, list):
        detail = f"the file holds a JSON {_json_type(value)}; expected an object or a list of objects"
        return [make_reject(source_uri, source_format, "invalid_json", detail, raw_sha256)]
    if not value:
        return [make_reject(source_uri, source_format, "empty_text", "the JSON list holds no records", raw_sha256)]
    items: list[Item] = []
    for index, element in enumerate(value):
        uri = f"{source_uri}#{index}"
        # A list element has no bytes of its own; its canonical serialization stands in for them.
        element_sha = sha256_hex(json.dumps(element, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        where = f"element {index} of the JSON list"
        if isinstance(element, dict):
            items.append(_record_from_object(element, uri, source_format, element_sha, where))
        else:
            detail = f"{where} is a JSON {_json_type(element)}; expected an object"
            items.append(make_reject(uri, source_format, "invalid_json", detail, element_sha))
    return items


def read_jsonl(data: bytes, source_uri: str, source_format: str) -> list[Item]:
    raw_sha256 = sha256_hex(data)
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as exc:
        return [make_reject(source_uri, source_format, exc.reason, str(exc), raw_sha256)]
    if not text.strip():
        return [make_reject(source_uri, source_format, "empty_text", _empty_detail(data), raw_sha256)]
    items: list[Item] = []
    for number, line, line_bytes in _jsonl_lines(data, text, encoding):
        if not line.strip():
            continue  # blank lines separate nothing in JSON Lines; skipping them loses nothing
        uri = f"{source_uri}#L{number}"
        line_sha = sha256_hex(line_bytes)
        value, error = _parse_json(line, one_line=True)
        if error is not None:
            detail = f"line {number} is not valid JSON: {error}"
            items.append(make_reject(uri, source_format, "invalid_json", detail, line_sha))
            continue
        if isinstance(value, dict):
            items.append(_record_from_object(value, uri, source_format, line_sha, f"line {number}"))
        else:
            detail = f"line {number} holds a JSON {_json_type(value)}; expected an object"
            items.append(make_reject(uri, source_format, "invalid_json", detail, line_sha))
    return items


_READERS: Mapping[str, Callable[[bytes, str, str], list[Item]]] = {
    "txt": read_plain_text,
    "md": read_plain_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
}
_TEXT_FORMATS: Mapping[str, Callable[[bytes, str, str, str | None], list[Item]]] = {
    "txt": read_plain_text,
    "md": read_plain_text,
    "html": read_html,
}


def _main_blocks(extracted: Any) -> list[str]:
    """The extracted body's blocks (headings, paragraphs, lists, quotes), each as plain text.

    trafilatura's own plain text puts a single newline between blocks, the same as a line break
    inside a paragraph; the documents table separates paragraphs by a blank line, so the blocks
    are rendered one by one and joined that way.
    """
    body = getattr(extracted, "body", None)
    if body is None:
        text = normalize_text(extracted.text or "").strip()
        return [text] if text else []
    blocks = (normalize_text(xmltotxt(block, include_formatting=False)).strip() for block in body)
    return [block for block in blocks if block]


def _parse_json(text: str, *, one_line: bool = False) -> tuple[Any, str | None]:
    """The parsed value and None, or None and what is wrong with the JSON text."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        return None, f"{exc.msg} at {where}"
    except (ValueError, RecursionError) as exc:
        # Beyond the grammar: an integer too long to convert, nesting deeper than the parser goes.
        return None, f"{type(exc).__name__}: {exc}"


def _jsonl_lines(data: bytes, text: str, encoding: str) -> list[tuple[int, str, bytes]]:
    """(line number, decoded line, the line's own bytes) for each line of a JSON Lines file."""
    if encoding.startswith(("utf-16", "utf-32")):
        # A line of UTF-16 has no byte boundary to cut at in the raw data without decoding it;
        # its UTF-8 encoding stands in for its bytes.
        return [(number, line, line.encode("utf-8")) for number, line in enumerate(text.split("\n"), start=1)]
    lines = []
    # In UTF-8 and the 8-bit encodings, byte 0x0A is always a newline and nothing else.
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        if number == 1 and encoding.startswith("utf-8-sig"):
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        # decode_as: a repaired file ("utf-8+cp1252") is repaired the same way line by line.
        lines.append((number, normalize_text(decode_as(raw, encoding)), raw))
    return lines


def _record_from_object(obj: Mapping[str, Any], uri: str, source_format: str, raw_sha256: str, where: str) -> Item:
    def invalid(detail: str) -> Reject:
        return make_reject(uri, source_format, "invalid_json", f"{where}: {detail}", raw_sha256)

    record_id = obj.get("id")
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record_id = str(record_id)
    elif record_id is not None:
        if not isinstance(record_id, str) or not record_id.strip():
            return invalid(f"field 'id' must be a non-empty string or an integer, not {_json_repr(record_id)}")
        record_id = scrub_surrogates(record_id.strip())

    strings: dict[str, str | None] = {}
    for field in _OPTIONAL_STRING_FIELDS:
        value = obj.get(field)
        if value is not None and not isinstance(value, str):
            return invalid(f"field '{field}' must be a string, not a JSON {_json_type(value)}")
        strings[field] = clean_metadata_string(value)
    if strings["url"] is not None and not _HTTP_URL.match(strings["url"]):
        return invalid(f"field 'url' must be an absolute http(s) address, not {strings['url']!r}")

    authors_value = obj.get("authors")
    if authors_value is None:
        authors: tuple[str, ...] = ()
    elif isinstance(authors_value, str):
        authors = dedupe_authors([authors_value])
    elif isinstance(authors_value, list) and all(isinstance(name, str) for name in authors_value):
        authors = dedupe_authors(authors_value)
    else:
        return invalid("field 'authors' must be a string or a list of strings")

    doc_id = make_doc_id(uri, strings["publisher"], record_id)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = (
            "is missing"
            if text is None
            else "is empty"
            if isinstance(text, str)
            else (f"is a JSON {_json_type(text)}, not a string")
        )
        return make_reject(uri, source_format, "missing_text", f"{where}: field 'text' {problem}", raw_sha256, doc_id)

    # A date that does not parse is kept as found and the article with it: the clean stage may
    # still find the date in a byline, and the raw string shows what the source said.
    date_value = obj.get("published_date")
    if date_value is None or (isinstance(date_value, str) and not date_value.strip()):
        date_raw = None
    elif isinstance(date_value, str):
        date_raw = scrub_surrogates(date_value)
    else:
        date_raw = scrub_surrogates(json.dumps(date_value, ensure_ascii=False))
    return SourceRecord(
        doc_id=doc_id,
        source_uri=uri,
        source_format=source_format,
        source_record_id=record_id,
        raw_sha256=raw_sha256,
        encoding="json",
        text=normalize_text(text),
        title=strings["title"],
        url=strings["url"],
        authors=authors,
        publisher=strings["publisher"],
        published_date=parse_published_date(date_raw),
        published_date_raw=date_raw,
    )


def _empty_detail(data: bytes) -> str:
    return "the file is empty" if not data else "the file holds only whitespace"


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _json_repr(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:60]
