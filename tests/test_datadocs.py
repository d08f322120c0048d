"""Data Docs readable offline: a static list of every page at the top of the index."""

from __future__ import annotations

from pathlib import Path

from broadsheet.release.datadocs import add_static_index


def test_the_index_lists_every_suite_and_validation_page_without_scripts(tmp_path: Path):
    docs = tmp_path / "data_docs"
    pages = [
        "expectations/claims.html",
        "expectations/claims/checks.html",
        "validations/claims/checks/__none__/20260101T000001.000000Z/release-claims.checks.html",
    ]
    for page in pages:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("<html><body>suite</body></html>")
    (docs / "index.html").write_text(
        '<html><head><script src="https://cdn.example/x.js"></script></head><body class="x"><div id="t"></div></body></html>'
    )
    add_static_index(docs)
    once = (docs / "index.html").read_text()
    add_static_index(docs)
    assert (docs / "index.html").read_text() == once, "adding it twice changes nothing"
    block = once.split('<body class="x">', 1)[1].split('<div id="t">', 1)[0]
    assert '<a href="expectations/claims.html">claims</a>' in block
    assert '<a href="expectations/claims/checks.html">claims.checks</a>' in block
    assert f'<a href="{pages[2]}">claims.checks</a>' in block
    assert block.index("Expectation suites") < block.index("Validation results")
