"""The Prefect side of fetching: retries declared on the fetch task, and the ingest flow over URLs.

These pay Prefect's start-up (a temporary server) once for the module; everything else about
fetching is tested on the library directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.ingest.fetch import Fetched, FetchError, FetchFailure
from tests.ingest.conftest import article_html

pytestmark = pytest.mark.flow


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_the_fetch_task_retries_transient_failures_only(web, tmp_path: Path):
    from prefect import flow

    from broadsheet.flows.ingest import FETCH_RETRIES, fetch_url

    assert fetch_url.retries == FETCH_RETRIES >= 1
    quick = fetch_url.with_options(retry_delay_seconds=0)
    web.routes["/flaky"] = (200, {"Content-Type": "text/html"}, article_html("Recovered"))
    web.flaky_failures["/flaky"] = 2

    @flow
    def fetch_both() -> tuple:
        recovered = quick(web.url("/flaky"), str(tmp_path))
        missing = quick(web.url("/gone.html"), str(tmp_path))
        try:
            quick(web.url("/still-down"), str(tmp_path))
        except FetchError as exc:
            down = exc
        return recovered, missing, down

    web.flaky_failures["/still-down"] = 99
    web.routes["/still-down"] = (200, {}, b"")
    before = dict(web.hits)
    recovered, missing, down = fetch_both()
    assert isinstance(recovered, Fetched) and recovered.read_bytes() == article_html("Recovered")
    assert web.hits["/flaky"] - before.get("/flaky", 0) == 3  # two 500s, then the page
    assert isinstance(missing, FetchFailure) and missing.reason == "http_error"
    assert web.hits["/gone.html"] - before.get("/gone.html", 0) == 1  # a 404 is not retried
    assert down.transient and web.hits["/still-down"] - before.get("/still-down", 0) == 1 + FETCH_RETRIES


def test_the_ingest_flow_fetches_the_urls_of_a_sources_file(web, tmp_path: Path, closed_port_url: str, monkeypatch):
    import broadsheet.flows.ingest
    from broadsheet.flows.ingest import ingest_flow
    from broadsheet.schema import load_schemas
    from broadsheet.tableio import read_table

    # The same task, without the waits between tries.
    monkeypatch.setattr(
        broadsheet.flows.ingest, "fetch_url", broadsheet.flows.ingest.fetch_url.with_options(retry_delay_seconds=0)
    )
    web.routes["/flow/1.html"] = (200, {"Content-Type": "text/html"}, article_html("Flow one"))
    urls = [web.url("/flow/1.html"), web.url("/flow/404.html"), closed_port_url]
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - {name: wire, kind: urls, urls: [" + ", ".join(f'"{u}"' for u in urls) + "]}\n"
    )
    output = ingest_flow([str(tmp_path / "sources.yaml")], str(tmp_path / "build"))
    schemas = load_schemas()
    ingested = read_table(output.path("ingested"), schemas["ingested"])
    rejects = read_table(output.path("rejects"), schemas["rejects"])
    assert ingested["source_uri"].to_list() == [web.url("/flow/1.html")]
    assert sorted(rejects.select("source_uri", "stage", "reason").rows()) == sorted(
        [
            (web.url("/flow/404.html"), "ingest", "http_error"),
            (closed_port_url, "ingest", "fetch_failed"),  # after the task's retries
        ]
    )
    assert any((tmp_path / "build" / "fetch" / "urls").rglob("*.body"))
