"""Hostile input at the ingest stage: slow and bomb-shaped fetches, WARC bombs, links out of a
source folder, special files, broken UTF-8, and records that claim someone else's id.

Everything is generated here; nothing is downloaded. The web server is the local one of
conftest.py, on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import gzip
import tracemalloc
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.ingest.fetch import ARTICLE_POLICY, FetchCache, FetchError, FetchFailure, fetch, fetch_or_failure
from tests.ingest.conftest import article_html

# A whole-transfer limit far below both the server's misbehaviour (DRIP_SECONDS) and the read
# timeout, so only the deadline can end these fetches early.
TINY_DEADLINE = replace(ARTICLE_POLICY, connect_timeout_s=2.0, read_timeout_s=10.0, total_timeout_s=0.5)


def _bomb(inflated_bytes: int) -> bytes:
    """A gzip stream of `inflated_bytes` zeros, made a MiB at a time (about 1/1000 of the size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(inflated_bytes >> 20)]
    return b"".join(parts) + compressor.flush()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb(128 << 20)  # 128 MiB of zeros in about 125 KiB


def _peak_bytes(action) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- 4. the fetch deadline holds in wall time -------------------------------------------------


@pytest.mark.parametrize("path", ["/drip-body", "/silent-body", "/drip-headers"])
def test_a_dripping_or_silent_server_is_cut_off_at_the_total_deadline(web, tmp_path: Path, path: str):
    with pytest.raises(FetchError) as caught:
        fetch(web.url(path), tmp_path, TINY_DEADLINE)
    assert (caught.value.reason, caught.value.transient) == ("fetch_timeout", True)
    # The policy's limit is named, not however long it happened to take.
    assert "0.5 s limit on the whole transfer" in caught.value.detail
    assert FetchCache(tmp_path).lookup(web.url(path)) is None
    assert not list(tmp_path.glob(".part-*"))


def test_a_deadline_that_does_not_run_out_leaves_the_fetch_alone(web, tmp_path: Path):
    web.routes["/quick.html"] = (200, {"Content-Type": "text/html"}, article_html("Quick"))
    fetched = fetch(web.url("/quick.html"), tmp_path, replace(TINY_DEADLINE, total_timeout_s=30.0))
    assert fetched.read_bytes() == article_html("Quick")


# --- 5. decompression is bounded by its output -------------------------------------------------


def test_a_gzip_bomb_is_refused_too_large_without_inflating_it(web, tmp_path: Path, bomb: bytes):
    web.routes["/bomb.html"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)
    policy = replace(ARTICLE_POLICY, max_bytes=1 << 20)
    failure, peak = _peak_bytes(lambda: fetch_or_failure(web.url("/bomb.html"), tmp_path, policy))
    assert isinstance(failure, FetchFailure)
    assert (failure.reason, failure.transient) == ("too_large", False)
    assert "1,048,576-byte limit" in failure.detail
    # Pieces of 64 KiB: never the 128 MiB, nor even one network read's worth inflated at once.
    assert peak < 8 << 20, f"{peak:,} bytes held while refusing the bomb"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "gzip-two-members"])
def test_compressed_bodies_still_decode(web, tmp_path: Path, coding: str):
    page = article_html("Compressed") * 50
    if coding == "gzip":
        body, header = gzip.compress(page), "gzip"
    elif coding == "gzip-two-members":
        body, header = gzip.compress(page[:1000]) + gzip.compress(page[1000:]), "gzip"
    elif coding == "deflate":
        body, header = zlib.compress(page), "deflate"
    else:
        squeezer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        body, header = squeezer.compress(page) + squeezer.flush(), "deflate"
    web.routes[f"/{coding}.html"] = (200, {"Content-Type": "text/html", "Content-Encoding": header}, body)
    assert fetch(web.url(f"/{coding}.html"), tmp_path).read_bytes() == page


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (gzip.compress(b"<p>x</p>")[:10] + b"\xff\xff garbage", "does not decompress"),
        (gzip.compress(article_html("Cut"))[:-40], "ends before the compressed stream does"),
    ],
)
def test_a_broken_or_cut_gzip_body_is_a_failure_not_a_crash(web, tmp_path: Path, body: bytes, problem: str):
    web.routes["/broken-gzip.html"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, body)
    failure = fetch_or_failure(web.url("/broken-gzip.html"), tmp_path)
    assert isinstance(failure, FetchFailure)
    assert failure.reason == "fetch_failed" and problem in failure.detail


# --- 5. ... in WARC archives too ---------------------------------------------------------------


def _gzip_stream(*pieces: bytes | tuple[bytes, int]) -> bytes:
    """The pieces in order as gzip; (byte, n) stands for n copies of the byte.

    The copies are one gzip member of a MiB repeated (concatenated members are one valid gzip
    stream, as a crawler writes a WARC), so a bomb of hundreds of MiB is made in no time.
    """
    out = []
    for piece in pieces:
        if isinstance(piece, tuple):
            byte, count = piece
            out.append(gzip.compress(byte * (1 << 20), compresslevel=9, mtime=0) * (count >> 20))
        else:
            out.append(gzip.compress(piece, mtime=0))
    return b"".join(out)


@pytest.mark.parametrize(
    "archive_start",
    [
        [(b"a", 96 << 20)],  # a version "line" that never ends
        [b"WARC/1.1\r\nWARC-Type: response\r\nX-Pad: ", (b"a", 96 << 20)],  # a header line that never ends
    ],
    ids=["version-line", "header-line"],
)
def test_a_warc_line_bomb_is_damaged_without_being_read_whole(tmp_path: Path, archive_start):
    from broadsheet.ingest.warc import WarcError, iter_warc_pages

    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(_gzip_stream(*archive_start))

    def walk():
        with pytest.raises(WarcError):
            list(iter_warc_pages(path, 1 << 20))

    _, peak = _peak_bytes(walk)
    assert peak < 8 << 20, f"{peak:,} bytes held for one line of the archive"


def test_a_warc_that_inflates_a_thousandfold_is_refused_too_large(tmp_path: Path):
    from broadsheet.ingest import SourceEntry, ingest_sources
    from broadsheet.ingest.warc import WarcBomb, iter_warc_pages
    from tests.ingest.conftest import build_warc, http_response, warc_record

    page = warc_record(
        {"WARC-Type": "response", "WARC-Target-URI": "https://courier.example/a.html", "Content-Type": "application/http"},
        http_response("200 OK", {"Content-Type": "text/html"}, article_html("Before the bomb")),
    )
    size = 512 << 20  # a resource record of 512 MiB of zeros, compressed to about 0.5 MiB
    head = f"WARC/1.1\r\nWARC-Type: resource\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(build_warc([page]) + _gzip_stream(head.encode(), (b"\0", size), b"\r\n\r\n"))

    pages = []
    with pytest.raises(WarcBomb, match="decompression bomb") as caught:
        for item in iter_warc_pages(path, 1 << 20):
            pages.append(item.target_uri)
    assert pages == ["https://courier.example/a.html"], "the pages before the bomb are read"
    assert caught.value.reason == "too_large"

    entry = SourceEntry(name="crawl", kind="warc", path=path, path_text="bomb.warc.gz")
    result = ingest_sources([entry], fetch_dir=tmp_path / "fetch")
    assert [r.source_uri for r in result.records] == ["https://courier.example/a.html"]
    assert [(r.source_uri, r.reason) for r in result.rejects] == [("bomb.warc.gz", "too_large")]


# --- 2. mixed and invalid UTF-8 is repaired, not read whole as cp1252 ---------------------------

ARTICLE = "Le café “Zoë” coûte 5 € — Ça va, señor Müller? 東京 🙂"


@pytest.mark.parametrize(
    ("data", "expected", "encoding", "repaired"),
    [
        # UTF-8 with a quote pasted from a Windows program (cp1252 0x93/0x94)
        (ARTICLE.encode() + b" He said \x93no\x94.", ARTICLE + " He said “no”.", "utf-8+cp1252", 2),
        # a cp1252 paragraph appended to a UTF-8 one
        (
            ARTICLE.encode() + "\n\nCafé crème, déjà vu.".encode("cp1252"),
            ARTICLE + "\n\nCafé crème, déjà vu.",
            "utf-8+cp1252",
            4,
        ),
        # invalid sequences: a lone continuation byte, a cut-off sequence, an overlong NUL, 0xFF
        (ARTICLE.encode() + b" \x80 \xe2\x82 \xc0\x80 \xff", ARTICLE + " € â‚ À€ ÿ", "utf-8+cp1252", 6),
        # a UTF-8 mark and stray bytes: repaired, not refused
        (b"\xef\xbb\xbf" + ARTICLE.encode() + b" \x93ok\x94", ARTICLE + " “ok”", "utf-8-sig+cp1252", 2),
    ],
    ids=["pasted-quotes", "appended-cp1252", "invalid-sequences", "bom-and-stray-bytes"],
)
def test_mostly_utf8_is_decoded_as_utf8_with_only_the_bad_bytes_repaired(data, expected, encoding, repaired):
    from broadsheet.ingest.decode import decode_bytes, repaired_byte_count

    assert decode_bytes(data) == (expected, encoding)
    assert repaired_byte_count(data, encoding) == repaired
    # A Latin-1 label (read as cp1252 by browsers) does not turn the UTF-8 into mojibake either.
    assert decode_bytes(data, declared="iso-8859-1")[0] == expected


@pytest.mark.parametrize(
    ("text", "codec", "expected_encoding"),
    [
        ("Café crème, “déjà vu” – 5 €. " * 20, "cp1252", "cp1252"),
        # a chance valid sequence (É followed by », 0xC9 0xBB) among many stray bytes is no evidence
        ("«CAFÉ» à la crème, déjà brûlée, où ça? " * 20, "cp1252", "cp1252"),
        ("Caf\xe9 cr\xe8me \x81 " + "d\xe9j\xe0 vu. " * 20, "latin-1", "latin-1"),
    ],
    ids=["cp1252", "cp1252-with-a-chance-utf8-pair", "latin-1"],
)
def test_single_byte_files_are_still_detected_whole(text, codec, expected_encoding):
    from broadsheet.ingest.decode import decode_bytes

    assert decode_bytes(text.encode(codec)) == (text, expected_encoding)


def test_a_mixed_utf8_file_is_read_the_same_in_every_text_format(tmp_path: Path):
    import json

    from broadsheet.ingest import ingest_sources

    pasted = ARTICLE.encode() + b" He said \x93no\x94."
    expected = ARTICLE + " He said “no”."
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_bytes(pasted)
    (folder / "b.md").write_bytes(pasted)
    page = b"<html><head><title>T</title></head><body><article><p>" + pasted + b"</p></article></body></html>"
    (folder / "c.html").write_bytes(page)
    line = json.dumps({"id": "m1", "publisher": "P", "text": "placeholder"}, ensure_ascii=False).encode()
    second = line.replace(b"m1", b"m2").replace(b"placeholder", b"caf\xe9")
    (folder / "d.jsonl").write_bytes(line.replace(b"placeholder", pasted) + b"\n" + second + b"\n")
    result = ingest_sources([folder])
    assert result.rejects == ()
    texts = {r.source_uri: (r.text, r.encoding) for r in result.records}
    assert texts["mixed/a.txt"] == (expected, "utf-8+cp1252")
    assert texts["mixed/b.md"] == (expected, "utf-8+cp1252")
    assert texts["mixed/c.html"][0] == expected
    assert texts["mixed/d.jsonl#L1"][0] == expected
    # The second line has no multi-byte UTF-8 of its own; the file as a whole is mostly UTF-8.
    assert texts["mixed/d.jsonl#L2"][0] == "café"


ENCODED_ARTICLE = "The mayor’s “café” plan costs 5 € – déjà vu for Zoë.\nSecond paragraph."
LATIN1_ARTICLE = "The mayor's café plan costs 5 EUR - déjà vu for Zoë.\nSecond paragraph."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ENCODED_ARTICLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ENCODED_ARTICLE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + ENCODED_ARTICLE.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + ENCODED_ARTICLE.encode("utf-16-be"), "utf-16"),
        (ENCODED_ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (ENCODED_ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + ENCODED_ARTICLE.encode("utf-32-le"), "utf-32"),
        (b"\x00\x00\xfe\xff" + ENCODED_ARTICLE.encode("utf-32-be"), "utf-32"),
        (ENCODED_ARTICLE.encode("cp1252"), "cp1252"),
        (LATIN1_ARTICLE.encode("latin-1") + b"\x81", "latin-1"),  # 0x81: undefined in cp1252
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16le-bom",
        "utf-16be-bom",
        "utf-16le",
        "utf-16be",
        "utf-32le-bom",
        "utf-32be-bom",
        "cp1252",
        "latin-1",
    ],
)
def test_every_promised_encoding_ingests_as_the_same_text(tmp_path: Path, data: bytes, encoding: str):
    from broadsheet.ingest import ingest_sources

    path = tmp_path / "article.txt"
    path.write_bytes(data.replace(b"\n", b"\r\n") if encoding == "utf-8" else data)
    (record,) = ingest_sources([path]).records
    expected = ENCODED_ARTICLE if encoding != "latin-1" else data.decode("latin-1")
    assert (record.text, record.encoding) == (expected, encoding)


# --- 1. nothing outside the named sources is read; special files never block ------------------


def _within(seconds: float, action):
    """Run `action` in a thread; fail (instead of hanging the suite) if it has not ended in time."""
    import threading

    outcome: dict[str, object] = {}

    def run():
        try:
            outcome["value"] = action()
        except BaseException as exc:  # noqa: BLE001 -- handed to the test below
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        return None, False
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"], True


def _release(fifo: Path) -> None:
    """Open a FIFO for writing and close it, so that a reader blocked on it (old code) wakes up."""
    import os

    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


GOOD = "The harbour authority said on Tuesday that the night ferry will stop running from March."
SECRET = "Confidential: this file lives outside every source folder and must never be published."


@pytest.fixture
def linked_corpus(tmp_path: Path) -> Path:
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder").mkdir()
    (outside / "folder" / "secret.txt").write_text(SECRET)
    os.mkfifo(outside / "pipe.txt")

    root = tmp_path / "corpus" / "seeds"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text(GOOD)
    (root / "sub" / "b.txt").write_text(GOOD + " Second.")
    (root / ".hidden" / "c.txt").write_text(GOOD + " Third.")
    (root / ".d.txt").write_text(GOOD + " Fourth.")
    os.symlink(outside / "secret.txt", root / "passwd.txt")  # a file outside
    os.symlink("/etc/hostname", root / "system.txt")  # a system file (absolute link)
    os.symlink("../../outside/secret.txt", root / "relative.txt")  # a relative way out
    os.symlink(outside / "folder", root / "elsewhere")  # a folder outside
    os.symlink(outside / "pipe.txt", root / "pipe-outside.txt")  # a FIFO outside
    os.symlink("/dev/zero", root / "zero.txt")  # a device
    os.symlink(root / "a.txt", root / "alias.txt")  # inside: the same file again
    os.symlink(root / "sub", root / "alias-folder")  # inside: the same folder again
    os.symlink(root / ".hidden", root / "shown")  # inside: a folder the walk skips
    os.symlink(root / ".d.txt", root / "d.txt")  # inside: a file the walk skips
    os.symlink("loop-2.txt", root / "loop-1.txt")  # a chain that never ends
    os.symlink("loop-1.txt", root / "loop-2.txt")
    os.symlink("..", root / "sub" / "up")  # a folder that contains the link
    os.symlink("nowhere.txt", root / "dangling.txt")  # a link to nothing, inside
    os.mkfifo(root / "pipe.txt")  # a FIFO inside the folder
    return root


def test_links_out_of_a_source_folder_are_rejected_unread_and_links_inside_read_once(linked_corpus: Path):
    from broadsheet.ingest import ingest_sources

    result, finished = _within(10, lambda: ingest_sources([linked_corpus]))
    for fifo in (linked_corpus / "pipe.txt", linked_corpus.parent.parent / "outside" / "pipe.txt"):
        _release(fifo)
    assert finished, "ingest blocked on a special file"
    texts = {r.source_uri: r.text for r in result.records}
    assert texts == {
        "seeds/a.txt": GOOD,
        "seeds/sub/b.txt": GOOD + " Second.",
        "seeds/shown/c.txt": GOOD + " Third.",
        "seeds/d.txt": GOOD + " Fourth.",
    }
    assert not any(SECRET in r.text for r in result.records)
    reasons = {r.source_uri: r.reason for r in result.rejects}
    assert reasons == {
        "seeds/passwd.txt": "outside_source",
        "seeds/system.txt": "outside_source",
        "seeds/relative.txt": "outside_source",
        "seeds/elsewhere": "outside_source",
        "seeds/pipe-outside.txt": "outside_source",
        "seeds/zero.txt": "outside_source",
        "seeds/loop-1.txt": "outside_source",
        "seeds/loop-2.txt": "outside_source",
        "seeds/sub/up": "outside_source",
        "seeds/dangling.txt": "unreadable",
        "seeds/pipe.txt": "unreadable",
        "seeds/alias.txt": "duplicate_content",  # listed, naming the file it is read as
    }
    assert "seeds/a.txt" in next(r.detail for r in result.rejects if r.source_uri == "seeds/alias.txt")
    for reject in result.rejects:
        assert str(linked_corpus.parent) not in reject.detail  # no machine paths
    assert "named pipe" in next(r.detail for r in result.rejects if r.source_uri == "seeds/pipe.txt")


def test_a_source_named_through_a_link_is_read_as_named(linked_corpus: Path, tmp_path: Path):
    import os

    from broadsheet.ingest import ingest_sources

    os.symlink(linked_corpus, tmp_path / "named-link")
    os.symlink(tmp_path / "outside" / "secret.txt", tmp_path / "named-file.txt")
    (tmp_path / "outside" / "pipe.txt").unlink()
    (linked_corpus / "pipe.txt").unlink()
    via_link = ingest_sources([tmp_path / "named-link", tmp_path / "named-file.txt"])
    texts = {r.source_uri: r.text for r in via_link.records}
    assert texts["named-link/a.txt"] == GOOD
    assert texts["named-file.txt"] == SECRET  # the user named this file: it is read
    assert "named-link/passwd.txt" in {r.source_uri for r in via_link.rejects if r.reason == "outside_source"}


@pytest.mark.parametrize("what", ["url-list", "sources-file", "named-source"])
def test_a_fifo_named_as_a_list_or_source_is_refused_without_blocking(tmp_path: Path, what: str):
    import os

    from broadsheet.ingest import ingest_sources
    from broadsheet.ingest.sourcefile import load_sources_file

    fifo = tmp_path / ("urls.txt" if what == "url-list" else "sources.yaml" if what == "sources-file" else "a.txt")
    os.mkfifo(fifo)
    if what == "url-list":
        (tmp_path / "run.yaml").write_text("sources:\n  - name: wire\n    kind: urls\n    file: urls.txt\n")
        sources = [load_sources_file(tmp_path / "run.yaml").entries[0]]
    else:
        sources = [fifo]
    result, finished = _within(5, lambda: ingest_sources(sources, fetch_dir=tmp_path / "fetch"))
    _release(fifo)
    assert finished, "ingest blocked on a FIFO"
    (reject,) = result.rejects
    assert reject.reason in {"unreadable", "invalid_sources_file"}
    assert result.records == ()


def test_a_file_replaced_after_listing_is_not_read(tmp_path: Path):
    import os

    from broadsheet.ingest.reading import _read_file
    from broadsheet.ingest.sources import find_source_files

    (tmp_path / "outside.txt").write_text(SECRET)
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "b.txt").write_text(GOOD)
    (listed_a, listed_b), rejects = find_source_files(folder)
    assert rejects == []
    (folder / "a.txt").unlink()
    os.symlink(tmp_path / "outside.txt", folder / "a.txt")  # swapped for a link out
    os.link(folder / "b.txt", tmp_path / "kept.txt")  # keeps its inode taken, so the new file differs
    (folder / "b.txt").unlink()
    (folder / "b.txt").write_text(SECRET)  # swapped for another file
    for listed in (listed_a, listed_b):
        (reject,) = _read_file(listed)
        assert reject.reason == "unreadable" and "replaced" in reject.detail


# --- 3. a record cannot take another's id by sorting first ------------------------------------

ORIGINAL = {
    "id": "ldd-0417",
    "publisher": "Levant Daily Digest",
    "title": "Talks resume",
    "published_date": "2020-01-06",
    "text": "Negotiators met again on Monday after a week of silence, officials said.",
}


def _ingest_folder(folder: Path):
    from broadsheet.ingest import ingest_sources

    return ingest_sources([folder])


def test_an_impostor_sorting_first_does_not_displace_the_original(tmp_path: Path):
    import json

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "500-original.json").write_text(json.dumps(ORIGINAL))
    forged = {**ORIGINAL, "text": "Negotiators walked out on Monday, officials said."}
    (folder / "000-impostor.jsonl").write_text(json.dumps(forged) + "\n")
    (folder / "600-bystander.txt").write_text(GOOD)
    result = _ingest_folder(folder)
    # No forged text under the trusted id, and no silent loss either: both are named.
    assert [r.source_uri for r in result.records] == ["feeds/600-bystander.txt"]
    rejects = {r.source_uri: r for r in result.rejects}
    assert {uri: r.reason for uri, r in rejects.items()} == {
        "feeds/000-impostor.jsonl#L1": "duplicate_id",
        "feeds/500-original.json": "duplicate_id",
    }
    assert "feeds/500-original.json" in rejects["feeds/000-impostor.jsonl#L1"].detail
    assert "feeds/000-impostor.jsonl#L1" in rejects["feeds/500-original.json"].detail

    # Whichever name sorts first, the outcome is the same.
    (folder / "000-impostor.jsonl").rename(folder / "900-impostor.jsonl")
    renamed = _ingest_folder(folder)
    assert [r.source_uri for r in renamed.records] == ["feeds/600-bystander.txt"]
    assert sorted(r.reason for r in renamed.rejects) == ["duplicate_id", "duplicate_id"]

    # A third claimant is refused too, naming the earlier ones.
    (folder / "950-third.json").write_text(json.dumps({**ORIGINAL, "text": "A third story."}))
    third = {r.source_uri: r for r in _ingest_folder(folder).rejects}["feeds/950-third.json"]
    assert third.reason == "duplicate_id" and "feeds/500-original.json" in third.detail


def test_an_id_published_before_stays_with_its_source_whatever_claims_it_later(tmp_path: Path):
    import json

    from broadsheet.ingest import ingest_sources

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "500-original.json").write_text(json.dumps(ORIGINAL))
    first = ingest_sources([folder], fetch_dir=tmp_path / "fetch")
    [record] = first.records
    published = {record.doc_id: record.source_uri}
    forged = {**ORIGINAL, "text": "Negotiators walked out on Monday, officials said."}
    for name in ("000-impostor.jsonl", "900-impostor.jsonl"):  # sorting before it, and after
        for old in folder.glob("*-impostor.jsonl"):
            old.unlink()
        (folder / name).write_text(json.dumps(forged) + "\n")
        result = ingest_sources([folder], fetch_dir=tmp_path / "fetch", published=published)
        assert [(r.source_uri, r.text) for r in result.records] == [("feeds/500-original.json", record.text)]
        [reject] = result.rejects
        assert (reject.source_uri, reject.reason) == (f"feeds/{name}#L1", "duplicate_id")
        assert "feeds/500-original.json" in reject.detail and "previous release" in reject.detail


def test_an_exact_copy_of_a_record_keeps_one_and_names_the_other(tmp_path: Path):
    import json

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "500-original.json").write_text(json.dumps(ORIGINAL))
    (folder / "000-copy.json").write_text(json.dumps(ORIGINAL, indent=2))
    result = _ingest_folder(folder)
    (record,) = result.records
    assert record.text == ORIGINAL["text"]
    (reject,) = result.rejects
    assert reject.reason == "duplicate_id" and record.source_uri in reject.detail


def test_a_record_id_cannot_take_the_id_of_a_file_or_url(tmp_path: Path):
    import json

    from broadsheet.ingest import make_doc_id

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    claims = [
        {"id": "feeds/a.txt", "text": "Claims the file's uri as its id."},
        {"id": "a.txt", "publisher": "uri:feeds", "text": "Claims it through the publisher."},
        {"id": "feeds/a.txt", "publisher": "uri", "text": "And again."},
    ]
    (folder / "b.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    result = _ingest_folder(folder)
    assert result.rejects == ()
    assert len({r.doc_id for r in result.records}) == 4
    assert {r.source_uri: r.doc_id for r in result.records}["feeds/a.txt"] == make_doc_id("feeds/a.txt")


def test_record_ids_are_one_to_one_even_with_a_colon_in_the_publisher():
    from broadsheet.ingest import make_doc_id

    assert make_doc_id("x", "a:b", "c") != make_doc_id("x", "a", "b:c")
    assert make_doc_id("x", "a:b", "c") != make_doc_id("x", "a:b:c", None) != make_doc_id("x", "a", "b")
    # Ids of records whose publisher has no colon are as they always were (the shipped release).
    assert make_doc_id("seeds/x.json", "Levant Daily Digest", "ldd-20200106-0417") == "d_cb76822bec27e412"
    assert make_doc_id("seeds/001.txt") == make_doc_id("seeds/001.txt", None, None)


def test_repeated_captures_in_one_archive_keep_the_first(tmp_path: Path):
    from broadsheet.ingest import SourceEntry, ingest_sources
    from tests.ingest.conftest import build_warc, http_response, warc_record

    def capture(title: str) -> bytes:
        return warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://courier.example/a.html", "Content-Type": "application/http"},
            http_response("200 OK", {"Content-Type": "text/html"}, article_html(title)),
        )

    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(build_warc([capture("Monday"), capture("Tuesday")]))
    entry = SourceEntry(name="crawl", kind="warc", path=path, path_text="crawl.warc.gz")
    result = ingest_sources([entry], fetch_dir=tmp_path / "fetch")
    (record,) = result.records
    assert record.title == "Monday"
    assert [r.reason for r in result.rejects] == ["duplicate_id"]


def test_a_socket_or_device_in_a_source_folder_is_refused_without_blocking(tmp_path: Path, monkeypatch):
    import os
    import socket
    import stat

    from broadsheet.ingest import ingest_sources

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    monkeypatch.chdir(folder)  # a relative socket name: socket paths are short
    expected = {"src/sock.txt": "unreadable"}
    try:
        os.mknod("zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is
        expected["src/zero.txt"] = "unreadable"
    except (PermissionError, OSError):
        pass  # no right to make device nodes here; the socket still stands for special files
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("sock.txt")
        server.listen()
        result, finished = _within(5, lambda: ingest_sources([folder]))
    assert finished, "ingest blocked on a special file"
    assert [r.source_uri for r in result.records] == ["src/a.txt"]
    assert {r.source_uri: r.reason for r in result.rejects} == expected


def test_a_gzip_bomb_page_inside_a_warc_is_refused_too_large(tmp_path: Path, bomb: bytes):
    from broadsheet.ingest import SourceEntry, ingest_sources
    from tests.ingest.conftest import build_warc, http_response, warc_record

    record = warc_record(
        {"WARC-Type": "response", "WARC-Target-URI": "https://courier.example/bomb.html", "Content-Type": "application/http"},
        http_response("200 OK", {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb),
    )
    path = tmp_path / "crawl.warc"
    path.write_bytes(build_warc([record], compress=False))
    entry = SourceEntry(name="crawl", kind="warc", path=path, path_text="crawl.warc")
    result, peak = _peak_bytes(lambda: ingest_sources([entry], fetch_dir=tmp_path / "fetch"))
    assert result.records == ()
    assert [(r.source_uri, r.reason) for r in result.rejects] == [("https://courier.example/bomb.html", "too_large")]
    assert peak < 64 << 20, f"{peak:,} bytes held"  # the 20 MiB page limit, not the 128 MiB bomb


def test_a_file_name_that_is_not_utf8_and_lone_surrogates_in_the_text_do_not_fail_the_run(tmp_path: Path):
    import os

    from broadsheet.frames import from_rows
    from broadsheet.ingest import ingest_sources
    from broadsheet.ingest.stage import ingested_row
    from broadsheet.schema import load_schema

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / os.fsdecode(b"bad-\xff.txt")).write_text(GOOD)
    (folder / "lone.json").write_text('{"id": "x-\\udc00", "title": "A \\ud800", "text": "' + GOOD + ' A lone \\ud800 half."}')
    (folder / "lone.html").write_text(
        f"<html><body><article><p>{GOOD} A lone &#xD800; half.</p><p>{GOOD}</p></article></body></html>"
    )
    result = ingest_sources([folder], fetch_dir=tmp_path / "fetch")
    assert result.rejects == ()
    uris = sorted(r.source_uri for r in result.records)
    assert uris == ["feeds/bad-\\xff.txt", "feeds/lone.html", "feeds/lone.json"]
    for record in result.records:  # every string can be stored: no lone surrogate is left
        for value in (record.text, record.title or "", record.source_uri, record.source_record_id or ""):
            value.encode("utf-8")
    assert "\ufffd" in next(r.text for r in result.records if r.source_uri == "feeds/lone.json")
    from_rows([ingested_row(r, n) for n, r in enumerate(result.records)], load_schema("ingested"))
