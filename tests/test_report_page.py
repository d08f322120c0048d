"""The release report page and the validation page: self-contained, escaped, deterministic, and
rendered by a real browser (headless Chromium, when installed) with its sections and its plot."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import polars as pl
import pytest

from broadsheet.htmlpage import validation_page_html
from broadsheet.release.report_page import NAV, ReleaseFacts, bar_chart_svg, release_report_html

HOSTILE = '<script>alert("x")</script><img src="https://tracker.example/p.gif">'


def _tables() -> dict[str, pl.DataFrame]:
    documents = pl.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "source_uri": ["inbox/a.txt", "https://news.example/x", "inbox/b.md"],
            "title": [HOSTILE, "Budget passes", None],
            "published_date": [dt.date(2026, 1, 5), dt.date(2026, 3, 9), None],
        }
    )
    entities = pl.DataFrame(
        {
            "entity_id": ["e1", "e2"],
            "canonical_name": ["Dana Ortiz", "Harbour Council"],
            "entity_type": ["PERSON", "ORG"],
            "n_mentions": [4, 2],
            "n_documents": [2, 1],
        }
    )
    claims = pl.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3"],
            "doc_id": ["d1", "d2", "d2"],
            "surface": ["The vote is in March.", "The vote is in May.", HOSTILE],
            "claimant_text": ["she", "Ortiz", None],
            "claimant_resolved_text": ["Dana Ortiz", "Ortiz", None],
            "claimant_entity_id": ["e1", "e1", None],
            "conflicting_claim_ids": [["c2"], ["c1"], []],
            "conflict_kinds": [["date"], ["date"], []],
        }
    )
    return {
        "documents": documents,
        "entities": entities,
        "entity_mentions": pl.DataFrame({"doc_id": ["d1", "d1", "d2"]}),
        "claims": claims,
        "dates": pl.DataFrame({"doc_id": ["d2"]}),
        "rejects": pl.DataFrame({"source_uri": ["inbox/c.bin"], "reason": ["binary_content"]}),
    }


FAILED_VALIDATION = [
    {
        "table": "claims",
        "suite": "claims.checks",
        "n_rows": 3,
        "success": False,
        "expectations": [
            {
                "expectation_type": "expect_column_values_to_be_in_set",
                "meta": {"check": "span", "column": "surface"},
                "success": True,
                "result": {},
            },
            {
                "expectation_type": "expect_column_values_to_be_in_set",
                "meta": {"check": "foreign_key", "column": "doc_id", "rule": "every doc_id is a document"},
                "success": False,
                "result": {"unexpected_count": 1, "examples": ["claim_id=c9"], "offending": [HOSTILE]},
            },
        ],
    }
]
FACTS = ReleaseFacts(
    version="2026.01.01-0123abcd",
    release_date="2026-01-01",
    schema_version="1.3.0",
    previous_version=None,
    rows={"documents": 3, "claims": 3},
)


def test_the_page_has_every_section_escapes_article_text_and_loads_nothing_from_elsewhere():
    page = release_report_html(FACTS, _tables(), FAILED_VALIDATION, None)
    positions = [page.index(f'<section id="{sid}">') for sid, _ in NAV]
    assert positions == sorted(positions)
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert not re.search(r"<[^>]*\s(src|href)=\"?(https?:|//)", page), "a tag that fetches from elsewhere"
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert page == release_report_html(FACTS, _tables(), FAILED_VALIDATION, None), "the same input, the same bytes"


def test_the_page_shows_sources_top_entities_claimants_conflicts_and_failing_rows():
    page = release_report_html(FACTS, _tables(), FAILED_VALIDATION, None)
    coverage = page.split('<section id="sources">')[1].split("</section>")[0]
    assert "<td>inbox/</td>" in coverage and "<td>https://news.example/</td>" in coverage
    assert "binary_content 1" in coverage
    entities = page.split('<section id="entities">')[1].split("</section>")[0]
    assert entities.index("Dana Ortiz") < entities.index("Harbour Council")
    claimants = page.split('<section id="claimants">')[1].split("</section>")[0]
    assert '<td>Dana Ortiz</td><td class="n">2</td>' in claimants, "claimants are counted by their linked entity"
    conflicts = page.split('<section id="conflicts">')[1].split("</section>")[0]
    assert "The vote is in March." in conflicts and "The vote is in May." in conflicts and "1 pair." in conflicts
    validation = page.split('<section id="validation">')[1].split("</section>")[0]
    assert "every doc_id is a document on claims.doc_id (1 rows)" in validation and "claim_id=c9" in validation
    assert "1 of 2" in validation
    over_time = page.split('<section id="over-time">')[1].split("</section>")[0]
    assert "2026-02" in over_time, "an empty month between two dated ones is a bar of its own"
    assert "1 of 3 documents have no publication date" in over_time


def test_the_validation_page_of_a_failed_stage_names_the_failed_check():
    page = validation_page_html("release", FAILED_VALIDATION)
    assert "1 failed check." in page and "claim_id=c9" in page and "<script" not in page


def test_a_bar_chart_has_a_bar_and_a_label_per_month_and_a_text_alternative():
    svg = bar_chart_svg(["2026-01", "2026-02"], {"2026-01": 3})
    assert svg.count('<rect class="bar"') == 2 and "<title>Documents per month: 2026-01: 3, 2026-02: 0</title>" in svg


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGB(A), non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[j : j + 3]) for j in range(0, stride, channels))
        rows[-1] = list(rows[-1])
        prev = line
    return width, height, rows


def test_chromium_renders_every_section_and_the_plot(tmp_path: Path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium)")
    page = tmp_path / "report.html"
    page.write_text(release_report_html(FACTS, _tables(), FAILED_VALIDATION, None), encoding="utf-8")
    flags = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--user-data-dir=" + str(tmp_path / "profile"),
    ]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for sid, _ in NAV:
        assert f'<section id="{sid}">' in dom, sid
    shot = tmp_path / "shot.png"
    subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()], capture_output=True, timeout=120)
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 2400)
    pixels = [px for row in rows for px in row]
    bar = sum(1 for px in pixels if abs(px[0] - 0x3B) < 8 and abs(px[1] - 0x6E) < 8 and abs(px[2] - 0xA5) < 8)
    ink = sum(1 for px in pixels if max(px) < 100)
    assert bar > 500, "the bars of the plot are drawn"
    assert ink > 2000, "text is drawn"
