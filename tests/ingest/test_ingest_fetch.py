from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.ingest.fetch import (
    ARTICLE_POLICY,
    USER_AGENT,
    FetchCache,
    FetchError,
    FetchFailure,
    check_url,
    fetch,
    fetch_or_failure,
)
from tests.ingest.conftest import ETAG, LAST_MODIFIED, article_html

FAST = replace(ARTICLE_POLICY, connect_timeout_s=2.0, read_timeout_s=0.5, total_timeout_s=5.0)


def test_an_article_is_fetched_with_the_user_agent_and_cached(web, tmp_path: Path):
    web.routes["/article/1.html"] = (200, {"Content-Type": "text/html; charset=utf-8"}, article_html("One"))
    fetched = fetch(web.url("/article/1.html"), tmp_path)
    assert fetched.read_bytes() == article_html("One")
    assert (fetched.content_type, fetched.charset, fetched.not_modified) == ("text/html", "utf-8", False)
    assert fetched.final_url == fetched.url == web.url("/article/1.html")
    sent = web.requests["/article/1.html"][-1]
    assert sent["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("broadsheet/") and "broadsheet news dataset" in USER_AGENT
    assert "if-none-match" not in sent
    assert FetchCache(tmp_path).lookup(web.url("/article/1.html")) == fetched
    assert not list(tmp_path.glob(".part-*")), "no partial download is left behind"


def test_etag_revalidation_gets_304_and_reuses_the_cached_body(web, tmp_path: Path):
    url = web.url("/etag-article.html")
    first = fetch(url, tmp_path)
    assert (first.etag, first.not_modified) == (ETAG, False)
    second = fetch(url, tmp_path)
    assert web.requests["/etag-article.html"][-1]["if-none-match"] == ETAG
    assert second.not_modified is True
    assert second.read_bytes() == first.read_bytes() == article_html("With ETag")


def test_last_modified_revalidation_sends_if_modified_since(web, tmp_path: Path):
    url = web.url("/lastmod-article.html")
    assert fetch(url, tmp_path).last_modified == LAST_MODIFIED
    again = fetch(url, tmp_path)
    assert web.requests["/lastmod-article.html"][-1]["if-modified-since"] == LAST_MODIFIED
    assert again.not_modified and again.read_bytes() == article_html("With date")


def test_a_slow_server_times_out_as_a_transient_failure(web, tmp_path: Path):
    with pytest.raises(FetchError) as caught:
        fetch(web.url("/slow"), tmp_path, FAST)
    assert (caught.value.reason, caught.value.transient) == ("fetch_timeout", True)
    assert "read timeout" in caught.value.detail


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-streamed"])
def test_an_oversized_body_is_refused_and_nothing_is_cached(web, tmp_path: Path, path: str):
    small = replace(FAST, max_bytes=100_000)
    failure = fetch_or_failure(web.url(path), tmp_path, small)
    assert isinstance(failure, FetchFailure)
    assert (failure.reason, failure.transient) == ("too_large", False)
    assert "100,000-byte limit" in failure.detail
    assert FetchCache(tmp_path).lookup(web.url(path)) is None
    assert not list(tmp_path.glob(".part-*"))


def test_a_500_is_transient_and_the_next_try_succeeds(web, tmp_path: Path):
    web.routes["/flaky"] = (200, {"Content-Type": "text/html"}, article_html("Back"))
    web.flaky_failures["/flaky"] = 1
    with pytest.raises(FetchError) as caught:
        fetch_or_failure(web.url("/flaky"), tmp_path)  # transient failures raise, for the retrying task
    assert (caught.value.reason, caught.value.transient) == ("http_error", True)
    assert "HTTP 500" in caught.value.detail
    assert fetch(web.url("/flaky"), tmp_path).read_bytes() == article_html("Back")


def test_a_404_is_a_permanent_failure_returned_as_a_value(web, tmp_path: Path):
    before = web.hits["/missing.html"]
    failure = fetch_or_failure(web.url("/missing.html"), tmp_path)
    assert failure == FetchFailure(
        web.url("/missing.html"), "http_error", f"{web.url('/missing.html')} answered HTTP 404 Not Found"
    )
    assert web.hits["/missing.html"] == before + 1


def test_connection_refused_is_transient(closed_port_url: str, tmp_path: Path):
    with pytest.raises(FetchError) as caught:
        fetch(closed_port_url, tmp_path, FAST)
    assert (caught.value.reason, caught.value.transient) == ("fetch_failed", True)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/a.html",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,hi",
        "//127.0.0.1/a",
        "http:///a",
        "not a url",
        "",
    ],
)
def test_other_schemes_are_refused_before_any_io(web, tmp_path: Path, url: str):
    hits = sum(web.hits.values())
    with pytest.raises(FetchError) as caught:
        fetch(url, tmp_path)
    assert (caught.value.reason, caught.value.transient) == ("bad_url", False)
    assert sum(web.hits.values()) == hits
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_check_url_names_the_scheme():
    with pytest.raises(FetchError, match="scheme 'ftp'; only http and https"):
        check_url("ftp://example.org/x")
    assert check_url("HTTPS://example.org/a?b=1") == "HTTPS://example.org/a?b=1"


def test_redirects_are_followed_and_rechecked(web, tmp_path: Path):
    web.routes["/article/1.html"] = (200, {"Content-Type": "text/html"}, article_html("One"))
    moved = fetch(web.url("/redirect"), tmp_path)
    assert (moved.url, moved.final_url) == (web.url("/redirect"), web.url("/article/1.html"))

    refused = fetch_or_failure(web.url("/redirect-ftp"), tmp_path)
    assert isinstance(refused, FetchFailure) and refused.reason == "bad_url"
    assert "redirected to a refused address" in refused.detail and "ftp" in refused.detail

    looping = fetch_or_failure(web.url("/loop"), tmp_path, replace(FAST, max_redirects=3))
    assert isinstance(looping, FetchFailure) and looping.reason == "too_many_redirects"
    assert web.hits["/loop"] >= 4
