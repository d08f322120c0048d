"""A corpus of hostile inputs, generated on the spot (nothing is downloaded or committed).

`write_hostile_corpus(folder)` writes one input (or a few that belong together) per kind and
returns the kinds. Each kind says what a correct outcome is: `document` (it must become a
document), `reject` (it must become a rejects row, with one of the listed reasons), or `either`
(a document or a reject, as long as it is one of them: whether a 5 MB line fits the time budget
depends on the machine). Whatever the outcome, no input may be lost, crash the run or hang it.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROSE = (
    "The regional council met on Tuesday to discuss the harbour budget, officials said. "
    "Council member Dana Ortiz said the plan would be put to a vote in March. "
    '"We cannot wait another year," she told reporters outside the chamber. '
)


@dataclass(frozen=True)
class Kind:
    name: str
    paths: tuple[str, ...]  # source uris of the inputs it wrote, relative to the folder's parent
    outcome: str  # "document", "reject" or "either"
    reasons: frozenset[str] = field(default_factory=frozenset)  # allowed reject reasons (any when empty)


def write_hostile_corpus(folder: Path, good: Path) -> list[Kind]:
    """Write the hostile inputs into `folder` (created); `good` is a folder of good articles some
    kinds copy from (an exact copy, a near copy, a stolen id)."""
    folder.mkdir(parents=True)
    root = folder.name
    kinds: list[Kind] = []
    rng = random.Random(20261206)
    good_texts = sorted(p for p in good.iterdir() if p.suffix == ".txt" and not p.name.startswith(("_", ".")))

    def add(name: str, outcome: str, files: dict[str, bytes | Callable[[Path], None]], reasons: tuple[str, ...] = ()) -> None:
        for filename, content in files.items():
            path = folder / filename
            if callable(content):
                content(path)
            else:
                path.write_bytes(content)
        kinds.append(Kind(name, tuple(f"{root}/{f}" for f in files), outcome, frozenset(reasons)))

    def text(name: str, body: str, encoding: str = "utf-8", outcome: str = "document", reasons: tuple[str, ...] = ()) -> None:
        if outcome == "document" and not name.endswith(".json"):
            # distinct texts, so that none is (rightly) a duplicate of another
            tag = f" Item {len(kinds) + 1} of the list was filed on Tuesday."
            body = body.replace("</article>", f"<p>{tag}</p></article>", 1) if "</article>" in body else body + tag
        add(name, outcome, {name: body.encode(encoding)}, reasons)

    def link(target: str) -> Callable[[Path], None]:
        return lambda path: path.symlink_to(target)

    # --- empty and blank ---------------------------------------------------------------------
    text("empty.txt", "", outcome="reject", reasons=("empty_text",))
    text(
        "whitespace.txt",
        "   \t \n\n  \r\n \u00a0\u2003 ",
        outcome="reject",
        reasons=("empty_text", "empty_after_cleaning", "no_words"),
    )
    text("newlines-only.md", "\n" * 5000, outcome="reject", reasons=("empty_text", "empty_after_cleaning"))
    add("empty.json", "reject", {"empty.json": b""}, ("empty_text", "invalid_json"))
    add("empty.html", "reject", {"empty.html": b""}, ("empty_text", "no_main_text"))

    # --- binaries and renamed binaries ------------------------------------------------------
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000))
    add("image.png", "reject", {"image.png": png}, ("unsupported_format",))
    add("png-renamed.txt", "reject", {"png-renamed.txt": png}, ("binary_content", "undecodable"))
    add(
        "pdf-renamed.html",
        "reject",
        {"pdf-renamed.html": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(4000))},
        ("binary_content", "undecodable", "no_main_text"),
    )
    add("gzip-renamed.md", "reject", {"gzip-renamed.md": gzip.compress(PROSE.encode() * 50)}, ("binary_content", "undecodable"))
    add(
        "zip-renamed.json",
        "reject",
        {"zip-renamed.json": b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000))},
        ("binary_content", "undecodable", "invalid_json"),
    )
    add(
        "random-bytes.txt",
        "reject",
        {"random-bytes.txt": bytes(rng.randrange(256) for _ in range(8000))},
        ("binary_content", "undecodable"),
    )

    # --- NUL bytes ---------------------------------------------------------------------------
    text("nul-inside.txt", PROSE.replace("budget", "bud\x00get"), outcome="either")
    add(
        "only-nuls.txt",
        "reject",
        {"only-nuls.txt": bytes(5000)},
        ("binary_content", "undecodable", "empty_text", "no_words", "empty_after_cleaning"),
    )

    # --- huge ---------------------------------------------------------------------------------
    text("huge-one-line.txt", (PROSE * 23_000)[:5_000_000].replace("\n", " "), outcome="either", reasons=("too_slow",))
    add("over-the-limit.txt", "reject", {"over-the-limit.txt": (PROSE * 100_000).encode()[: 21 * 1024 * 1024]}, ("too_large",))
    text("one-long-word.txt", "a" * 1_000_000, outcome="either", reasons=("too_slow", "no_main_text"))
    text("many-short-lines.md", "word\n" * 200_000, outcome="either", reasons=("too_slow",))

    # --- encodings, with and without a byte-order mark ---------------------------------------
    accented = "Café owners in Zürich and São Paulo said the naïve plan would fail. " * 5
    text("utf-8.txt", accented)
    add("utf-8-bom.txt", "document", {"utf-8-bom.txt": b"\xef\xbb\xbf" + (accented + " With a UTF-8 mark.").encode()})
    add("utf-16-le-bom.txt", "document", {"utf-16-le-bom.txt": b"\xff\xfe" + (accented + " In UTF-16 LE.").encode("utf-16-le")})
    add("utf-16-be-bom.txt", "document", {"utf-16-be-bom.txt": b"\xfe\xff" + (accented + " In UTF-16 BE.").encode("utf-16-be")})
    add("utf-16-le-no-bom.txt", "either", {"utf-16-le-no-bom.txt": (accented + " In UTF-16 without a mark.").encode("utf-16-le")})
    add("utf-32-bom.txt", "document", {"utf-32-bom.txt": (accented + " In UTF-32.").encode("utf-32")})
    text("cp1252.txt", accented + " It cost \u20ac5 \u2013 \u201cquoted\u201d.", "cp1252")
    text("latin-1.txt", accented, "latin-1")
    text("koi8-r.txt", "Правительство заявило во вторник, что переговоры возобновятся в марте. " * 6, "koi8_r")
    text("shift-jis.txt", "政府は火曜日に、交渉は三月に再開されると発表した。" * 6, "shift_jis")
    text("gb18030.txt", "政府周二表示，谈判将于三月恢复。官员说，预算将在下周讨论。" * 6, "gb18030")
    text("iso-8859-7.txt", "Η κυβέρνηση ανακοίνωσε την Τρίτη ότι οι συνομιλίες θα συνεχιστούν τον Μάρτιο. " * 5, "iso8859_7")
    add(
        "invalid-utf-8.txt",
        "either",
        {"invalid-utf-8.txt": PROSE.encode() + b"\xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc" + PROSE.encode()},
        ("undecodable",),
    )
    add(
        "mixed-utf-8-and-cp1252.txt",
        "document",
        {"mixed-utf-8-and-cp1252.txt": (accented + PROSE).encode() + "It cost \u20ac5.".encode("cp1252")},
    )
    add(
        "surrogate-bytes.txt",
        "either",
        {"surrogate-bytes.txt": PROSE.encode() + b"\xed\xa0\x80\xed\xb0\x80" + PROSE.encode()},
        ("undecodable",),
    )

    # --- HTML ---------------------------------------------------------------------------------
    paragraphs = "".join(f"<p>{PROSE}</p>" for _ in range(4))
    text(
        "html-scripts.html",
        f"<html><head><title>Council vote</title><script>alert('x');document.write('<p>injected</p>')</script></head>"
        f"<body><article><h1>Council vote</h1>{paragraphs}<script>var a = '<p>not text</p>';</script></article></body></html>",
    )
    text(
        "html-frameset.html",
        "<html><frameset cols='50%,50%'><frame src='a.html'><frame src='b.html'></frameset></html>",
        outcome="reject",
        reasons=("no_main_text",),
    )
    text(
        "html-iframe-only.html",
        "<html><body><iframe src='https://example.org/a'></iframe></body></html>",
        outcome="reject",
        reasons=("no_main_text",),
    )
    text(
        "html-no-body.html", "<html><head><title>Nothing here</title></head></html>", outcome="reject", reasons=("no_main_text",)
    )
    text(
        "html-broken-markup.html",
        f"<html><body><div><p>{PROSE}<p>{PROSE}<b><i>{PROSE}</div></span></body><p>{PROSE}",
        outcome="document",
    )
    text("html-deep-nesting.html", "<div>" * 20_000 + PROSE * 3 + "</div>" * 20_000, outcome="either", reasons=("no_main_text",))
    text(
        "html-entity-bomb.html",
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><html><body><p>&lol3;</p>'
        + f"<p>{PROSE}</p>" * 3
        + "</body></html>",
        outcome="either",
        reasons=("no_main_text",),
    )
    text(
        "html-lying-charset.html",
        f"<html><head><meta charset='shift_jis'></head><body><article>{paragraphs}</article></body></html>",
        outcome="document",
    )
    text("markdown-that-is-html.md", f"<html><body>{paragraphs}</body></html>", outcome="either", reasons=("no_words",))

    # --- JSON and JSON Lines ------------------------------------------------------------------
    article = {"id": "h-1", "publisher": "Hostile Test Wire", "title": "Council vote", "text": PROSE * 3}
    text("json-invalid.json", '{"id": "x", "text": "unterminated', outcome="reject", reasons=("invalid_json",))
    text(
        "json-text-number.json",
        json.dumps({"id": "h-2", "text": 12345}),
        outcome="reject",
        reasons=("missing_text", "invalid_json"),
    )
    text(
        "json-text-null.json", json.dumps({"id": "h-3", "text": None}), outcome="reject", reasons=("missing_text", "invalid_json")
    )
    text(
        "json-wrong-field-types.json",
        json.dumps({**article, "id": "h-4", "authors": {"a": 1}, "title": ["x"], "published_date": 7}),
        outcome="either",
        reasons=("missing_text", "invalid_json"),
    )
    text("json-not-an-object.json", json.dumps(["just", "a", "list"]), outcome="reject", reasons=("invalid_json", "missing_text"))
    text("json-deep-nesting.json", "[" * 100_000 + "]" * 100_000, outcome="reject", reasons=("invalid_json", "missing_text"))
    text("json-nan.json", '{"id": "h-5", "text": NaN}', outcome="reject", reasons=("invalid_json", "missing_text"))
    text(
        "json-lone-surrogate.json",
        '{"id": "h-\\udc00", "publisher": "Hostile Test Wire", "title": "Vote \\ud800", '
        '"published_date": "2020-01-0\\ud8001", "text": "' + PROSE.replace('"', "'") + ' A lone \\ud800 half of a pair."}',
    )
    text(
        "html-lone-surrogate.html",
        f"<html><body><article><p>{PROSE} A lone &#xD800; half of a pair.</p>{paragraphs}</article></body></html>",
    )
    text(
        "json-duplicate-keys.json",
        '{"id": "h-dk", "text": "first", "text": "' + PROSE.replace('"', "'") + ' The later key wins."}',
    )
    text("json-huge-integer-id.json", json.dumps({"id": 10**40, "text": PROSE + " Filed with a huge numeric id."}))
    text("json-object-id.json", json.dumps({"id": {"a": 1}, "text": PROSE}), outcome="reject", reasons=("invalid_json",))
    lines = [
        json.dumps({**article, "id": "h-6"}),
        "{broken json",
        json.dumps({**article, "id": "h-7", "text": PROSE * 2}),
        "",
        "[]",
    ]
    add("jsonl-one-bad-line.jsonl", "either", {"jsonl-one-bad-line.jsonl": "\n".join(lines).encode()})
    stolen = {"id": "h-8", "publisher": "Hostile Test Wire", "text": PROSE * 4}
    add(
        "json-id-collision",
        "reject",
        {
            "collision-a.json": json.dumps(stolen).encode(),
            "collision-b.json": json.dumps({**stolen, "text": PROSE * 5}).encode(),
        },
        ("duplicate_id",),
    )

    # --- absurd dates -------------------------------------------------------------------------
    for n, date in enumerate(["0001-01-01", "9999-12-31", "2020-13-45", "-5000-01-01", "yesterday", "1e9", "2020-02-30"]):
        text(
            f"json-absurd-date-{n}.json",
            json.dumps(
                {
                    **article,
                    "id": f"h-date-{n}",
                    "text": PROSE * 2 + f" It happened yesterday, in case {n}.",
                    "published_date": date,
                }
            ),
        )
    text("absurd-date-in-text.txt", "Dated 9999-12-31.\n\n" + PROSE * 2 + " The plan was announced yesterday.")

    # --- odd file names -----------------------------------------------------------------------
    text("name with spaces.txt", PROSE * 2)
    text("ünïcödé-名前-اسم.txt", PROSE * 2)
    text("line\nbreak.txt", PROSE * 2)
    text("tab\tname.txt", PROSE * 2)
    text("-starts-with-dash.txt", PROSE * 2)
    text(("long-" * 48) + ".txt", PROSE * 2)
    text("UPPER.TXT", PROSE * 2)
    text("no-extension", PROSE * 2, outcome="reject", reasons=("unsupported_format",))
    text("quote'and\"semi;colon.txt", PROSE * 2)
    # A name whose bytes are not UTF-8: listed under a backslash-escaped name and read.
    (folder / os.fsdecode(b"bad-bytes-\xff\xfe.txt")).write_bytes(f"{PROSE * 2} Filed under a name that is not UTF-8.".encode())
    kinds.append(Kind("bad-bytes-name.txt", (f"{root}/bad-bytes-\\xff\\xfe.txt",), "document"))

    # --- links and special files --------------------------------------------------------------
    (folder / "inner").mkdir()
    (folder / "inner" / "linked-target.txt").write_text("Linked target. " + PROSE)
    kinds.append(Kind("inner/linked-target.txt", (f"{root}/inner/linked-target.txt",), "document"))
    add("link-inside.txt", "reject", {"link-inside.txt": link("inner/linked-target.txt")}, ("duplicate_content",))  # read once
    add("link-outside.txt", "reject", {"link-outside.txt": link("/etc/hostname")}, ("outside_source",))
    add("link-folder-outside", "reject", {"link-folder-outside": link("/etc")}, ("outside_source",))
    add(
        "link-up-and-out.txt",
        "reject",
        {"link-up-and-out.txt": link(f"../{good.name}/{good_texts[0].name}")},
        ("outside_source",),
    )
    add(
        "link-loop",
        "reject",
        {"loop-a.txt": link("loop-b.txt"), "loop-b.txt": link("loop-a.txt")},
        ("outside_source", "unreadable"),
    )
    add("link-dangling.txt", "reject", {"link-dangling.txt": link("inner/missing.txt")}, ("unreadable", "missing_source"))

    def fifo(path: Path) -> None:
        os.mkfifo(path)

    add("fifo.txt", "reject", {"fifo.txt": fifo}, ("unreadable",))

    def unreadable(path: Path) -> None:
        path.write_text(PROSE * 2)
        path.chmod(0)

    # As root the file is readable all the same, so either outcome is correct; it must not be lost.
    add("unreadable.txt", "either", {"unreadable.txt": unreadable}, ("unreadable",))

    # --- duplicates and near-duplicates of good articles ---------------------------------------
    original = good_texts[0].read_bytes()
    add("aaa-exact-copy.txt", "reject", {"aaa-exact-copy.txt": original}, ("duplicate_content",))
    near = original.decode("utf-8").replace(" the ", " a ", 1).encode()
    add("aaa-near-copy.txt", "document", {"aaa-near-copy.txt": near})
    add(
        "internal-copies",
        "either",
        {"copy-1.txt": (PROSE * 3).encode(), "copy-2.txt": (PROSE * 3).encode()},
        ("duplicate_content",),
    )

    # --- scripts, symbols, marks --------------------------------------------------------------
    text("arabic-rtl.txt", "قال المجلس الإقليمي يوم الثلاثاء إن التصويت على الميزانية سيجري في مارس. " * 5)
    text("hebrew-rtl.txt", "המועצה האזורית אמרה ביום שלישי כי ההצבעה על התקציב תתקיים במרץ. " * 5)
    text("bidi-controls.txt", "\u202eThe council\u202c said \u2066on Tuesday\u2069 the vote is set. " * 5)
    text("chinese.txt", "地区委员会周二表示，预算投票将于三月举行。官员们说，计划将按时完成。" * 5)
    text("japanese.txt", "地域評議会は火曜日、予算案の採決を三月に行うと発表した。" * 5)
    text("korean.txt", "지역 의회는 화요일 예산안 표결을 3월에 실시한다고 밝혔다. " * 5)
    text("emoji.txt", "The council 🏛️ met on Tuesday 📅 and the vote 🗳️ passed 👍🏽👨‍👩‍👧. " * 5)
    text("combining-marks.txt", "".join(c + "\u0301\u0308\u0327" * 4 if c.isalpha() else c for c in PROSE))
    text("zero-width.txt", PROSE.replace(" ", " \u200b\u200d\ufeff"))
    text("control-characters.txt", PROSE.replace("said", "sa\x1b[31mid\x07\x08"), outcome="either")
    text("crlf-and-cr.txt", PROSE.replace(". ", ".\r\n\r\n") + PROSE.replace(". ", ".\r\r"))

    # --- no text to speak of -------------------------------------------------------------------
    text(
        "only-punctuation.txt",
        "!!! ??? ... --- *** ;;; ::: ,,, ''' \"\"\" ((( ))) " * 20,
        outcome="reject",
        reasons=("no_words", "empty_after_cleaning"),
    )
    text("only-quotes.txt", "\"\"\" “”“” ‘’‘’ «» ''' " * 50, outcome="reject", reasons=("no_words", "empty_after_cleaning"))
    text(
        "only-markup.md",
        "# \n\n**\n\n---\n\n* * *\n\n> >\n\n```\n```\n\n| | |\n|---|---|\n\n![]()\n",
        outcome="reject",
        reasons=("no_words", "empty_after_cleaning"),
    )
    text(
        "no-sentence-punctuation.txt",
        " ".join(rng.choice(["council", "harbour", "budget", "vote", "march", "plan", "said"]) for _ in range(3000)),
    )
    text("one-url.txt", "https://example.org/" + "a/" * 2000, outcome="either", reasons=("no_words", "empty_after_cleaning"))

    return kinds


def copy_good_articles(folder: Path) -> Path:
    """The sample articles of seeds/, copied into `folder` (created): the good inputs."""
    import shutil

    from tests.repo import SEEDS_DIR

    folder.mkdir(parents=True)
    for path in sorted(SEEDS_DIR.iterdir()):
        if path.is_file() and not path.name.startswith(("_", ".")):
            shutil.copy(path, folder / path.name)
    return folder


def build_release_tables(sources: list[Path], root: Path):
    """Build `sources` through the library's stages (what the flows call, without Prefect) into
    folders under `root`; the candidate release's tables with the audit tables, and the release
    suite's report."""
    from broadsheet import release
    from broadsheet.clean.stage import clean_stage
    from broadsheet.extract.stage import extract_stage
    from broadsheet.ingest.stage import ingest_stage
    from broadsheet.schema import load_schemas
    from broadsheet.stageio import audit_tables
    from broadsheet.validate.suites import validate_stage

    build, dist = root / "build", root / "dist"
    dist.mkdir(parents=True)
    outputs = [ingest_stage([str(s) for s in sources], build)]
    outputs.append(clean_stage(outputs[0], build, use_cache=False))
    outputs.append(extract_stage(outputs[1], build, None, use_cache=False))
    candidate = release.assemble(outputs, dist)
    tables = {**release.read_candidate(candidate), **audit_tables(outputs)}
    report = validate_stage("release", tables, load_schemas(), root / "report", cross_table=True, data_docs=False)
    return tables, report


def main() -> int:
    """Build the sample articles with the hostile corpus (library stages, as the reliability test
    does) and print what became of every input: `python -m tests.hostile`."""
    import tempfile
    import time
    from collections import Counter

    os.environ.setdefault("BROADSHEET_DOCUMENT_BUDGET_S", "2")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        good = copy_good_articles(base / "good")
        kinds = write_hostile_corpus(base / "hostile", good)
        started = time.monotonic()
        tables, report = build_release_tables([good, base / "hostile"], base / "together")
        elapsed = time.monotonic() - started
        docs = {uri.split("#", 1)[0] for uri in tables["documents"]["source_uri"].to_list()}
        rejects = tables["rejects"].select("source_uri", "reason").rows()
        rejected = {uri.split("#", 1)[0] for uri, _ in rejects}
        paths = [p for k in kinds for p in k.paths]
        lost = [p for p in paths if p not in docs and p not in rejected]
        print(f"hostile kinds: {len(kinds)}, inputs: {len(paths)} (with {len(list(good.iterdir()))} good articles)")
        print(
            f"became documents: {sum(p in docs for p in paths)}; rejected with a reason: {sum(p in rejected and p not in docs for p in paths)}"
        )
        by_reason = Counter(reason for uri, reason in rejects if uri.split("#", 1)[0] in set(paths))
        print("rejects by reason: " + ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items())))
        print(f"lost: {len(lost)} {lost if lost else ''}".rstrip())
        print(f"release suite: {'passed' if report.success else 'FAILED'} ({report.n_expectations} expectations)")
        print(f"build time: {elapsed:.0f} s, document budget {os.environ['BROADSHEET_DOCUMENT_BUDGET_S']} s")
        return 0 if report.success and not lost else 1


if __name__ == "__main__":
    raise SystemExit(main())
