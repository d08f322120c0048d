import json
from types import SimpleNamespace

import pytest

from broadsheet.ingest.htmlmeta import JsonLdArticle, PageMetadata, combine, read_page_metadata


def page(head: str = "", body: str = "<p>Text.</p>") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def jsonld(value) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def trafilatura_result(title=None, author=None, date=None, sitename=None):
    return SimpleNamespace(title=title, author=author, date=date, sitename=sitename)


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "The Valley Courier", "url": "https://courier.example/"},
        {"@type": "WebPage", "name": "Floods close the valley road | The Valley Courier", "datePublished": "2019-01-01"},
        {"@type": "ImageObject", "name": "The flooded road", "datePublished": "2020-11-30T08:00:00Z"},
        {
            "@type": "NewsArticle",
            "headline": "Floods close the valley road",
            "datePublished": "2021-02-03T09:00:00+01:00",
            "dateModified": "2021-02-05T10:00:00+01:00",
            "image": {"@type": "ImageObject", "datePublished": "2020-11-30", "author": "Photo Agency"},
            "author": [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "Tom Berg"}],
            "publisher": {"@type": "Organization", "name": "The Valley Courier"},
        },
    ],
}


def test_the_article_object_is_read_from_a_graph_and_not_from_an_image_or_the_web_page():
    found = read_page_metadata(page(jsonld(GRAPH)))
    assert found.articles == (
        JsonLdArticle(
            headline="Floods close the valley road",
            authors=("Ana Lima", "Tom Berg"),
            published="2021-02-03T09:00:00+01:00",
            publisher="The Valley Courier",
        ),
    )
    assert "The Valley Courier" in found.site_names
    chosen = combine(found, trafilatura_result(title="The flooded road", date="2020-11-30"))
    assert chosen.title == "Floods close the valley road"
    assert chosen.authors == ("Ana Lima", "Tom Berg")
    assert chosen.date_raw == "2021-02-03T09:00:00+01:00"
    assert chosen.publisher == "The Valley Courier"  # trafilatura named none


def test_article_objects_in_a_list_and_typed_by_a_list_are_found():
    value = [{"@type": "BreadcrumbList"}, {"@type": ["ReportageNewsArticle", "Thing"], "headline": "Inside the dam"}]
    assert read_page_metadata(page(jsonld(value))).articles[0].headline == "Inside the dam"


def test_broken_json_ld_is_ignored_and_the_other_blocks_still_count():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", </script>' + jsonld(
        {"@type": "Article", "headline": "Second block"}
    )
    assert [a.headline for a in read_page_metadata(page(head)).articles] == ["Second block"]


def test_html_entities_in_json_ld_are_read_as_characters():
    head = jsonld({"@type": "NewsArticle", "headline": "Mayor&#8217;s &quot;last&quot; word", "author": "Jo&#235;l Roux"})
    chosen = combine(read_page_metadata(page(head)), trafilatura_result())
    assert chosen.title == 'Mayor\u2019s "last" word'
    assert chosen.authors == ("Jo\u00ebl Roux",)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Council approves new bridge | Riverside Gazette", "Council approves new bridge"),
        ("Council approves new bridge - RIVERSIDE GAZETTE", "Council approves new bridge"),
        ("Council approves new bridge – riversidegazette.com", "Council approves new bridge"),
        # What a site writes after its name: the author, the day, a section.
        ("Council approves new bridge | Riverside Gazette | by Jane Doe", "Council approves new bridge"),
        ("Council approves new bridge – Riverside Gazette – 13.06.2023", "Council approves new bridge"),
        ("Council approves new bridge * Riverside Gazette * Local news", "Council approves new bridge"),
        # A full-width colon or bar before the name, written without spaces.
        ("Council approves new bridge：Riverside Gazette", "Council approves new bridge"),
        ("Council approves new bridge｜Riverside Gazette", "Council approves new bridge"),
        # Not the site's name: a part of the headline, kept.
        ("Bridge or ferry - the town decides", "Bridge or ferry - the town decides"),
        # The name as a piece of a longer headline: what follows it is more than a signature.
        (
            "Award for the - Riverside Gazette - the paper that kept a small town informed for a century",
            "Award for the - Riverside Gazette - the paper that kept a small town informed for a century",
        ),
    ],
)
def test_a_trailing_site_name_is_stripped_from_the_title_and_nothing_else(title, expected):
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Riverside Gazette">'
    assert combine(read_page_metadata(page(head)), trafilatura_result(title=title)).title == expected


def test_a_title_tag_with_section_and_site_is_cut_back_to_the_headline_it_starts_with():
    head = "<title>Council approves new bridge | Local News | Gazette</title>"
    chosen = combine(read_page_metadata(page(head, "<h1>Council approves new bridge</h1><p>Text.</p>")), None)
    assert chosen.title == "Council approves new bridge"


def test_the_pages_own_headline_wins_over_the_social_media_one():
    head = jsonld({"@type": "NewsArticle", "headline": "Council approves a new bridge after four years"}) + (
        '<meta property="og:title" content="You won\'t believe what the council did">'
    )
    chosen = combine(read_page_metadata(page(head)), trafilatura_result(title="You won't believe what the council did"))
    assert chosen.title == "Council approves a new bridge after four years"


@pytest.mark.parametrize(
    ("og_title", "expected"),
    [
        # The <h1> and og:title agree: the JSON-LD headline only repeats the search-engine title.
        ("How one town halved its heating bills", "How one town halved its heating bills"),
        # They do not: the JSON-LD headline stays.
        ("You will not believe these heating bills", "Heating bills: ten ways to save"),
    ],
)
def test_a_json_ld_headline_that_only_repeats_the_title_tag_gives_way_to_the_visible_headline(og_title, expected):
    head = (
        jsonld({"@type": "NewsArticle", "headline": "Heating bills: ten ways to save"})
        + "<title>Heating bills: ten ways to save | Valley Courier</title>"
        + f'<meta property="og:title" content="{og_title}"><meta property="og:site_name" content="Valley Courier">'
    )
    found = read_page_metadata(page(head, "<h1>How one town halved its heating bills</h1><p>Text.</p>"))
    assert combine(found, trafilatura_result()).title == expected


@pytest.mark.parametrize(
    ("headline", "og_title", "h1", "expected"),
    [
        # The JSON-LD headline is og:title after a topic label: the label is not the headline.
        ("Flood defences: Council approves new bridge", "Council approves new bridge", None, "Council approves new bridge"),
        ('"We waited years": Council approves new bridge', "Council approves new bridge", None, "Council approves new bridge"),
        # Only the visible <h1> goes without the label: the page's metadata all carry it, kept.
        (
            "Flood defences: Council approves new bridge",
            "Flood defences: Council approves new bridge",
            "Council approves new bridge",
            "Flood defences: Council approves new bridge",
        ),
        # What stands before the colon is longer than what follows it: a sentence, not a label.
        (
            "After four hours of debate the council gave its answer: yes",
            "yes",
            None,
            "After four hours of debate the council gave its answer: yes",
        ),
    ],
)
def test_a_topic_label_before_the_social_media_headline_is_left_out(headline, og_title, h1, expected):
    head = jsonld({"@type": "NewsArticle", "headline": headline}) + f"<meta property='og:title' content='{og_title}'>"
    body = f"<h1>{h1}</h1><p>Text.</p>" if h1 else "<p>Text.</p>"
    assert combine(read_page_metadata(page(head, body)), trafilatura_result()).title == expected


def test_an_author_that_is_the_site_name_is_not_a_person_but_names_the_publisher():
    head = '<meta name="author" content="The Riverside Gazette"><meta property="og:site_name" content="The Riverside Gazette">'
    chosen = combine(read_page_metadata(page(head)), trafilatura_result(author="The Riverside Gazette; Jane Doe"))
    assert chosen.authors == ("Jane Doe",)
    assert chosen.publisher == "The Riverside Gazette"


def test_an_organization_credited_in_the_json_ld_is_an_author():
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Valley Radio News"}})
    assert combine(read_page_metadata(page(head)), trafilatura_result()).authors == ("Valley Radio News",)


def test_surname_given_is_one_person():
    from_meta = read_page_metadata(page('<meta name="author" content="Doe, Jane">'))
    assert combine(from_meta, trafilatura_result(author="Doe; Jane")).authors == ("Jane Doe",)
    from_jsonld = read_page_metadata(page(jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Doe, Jane"}})))
    assert combine(from_jsonld, trafilatura_result(author="Doe; Jane")).authors == ("Jane Doe",)


def test_one_credit_naming_several_authors_is_split():
    credit = "Ana Lima and Tom Berg, The Valley Courier"
    head = jsonld({"@type": "NewsArticle", "author": credit, "publisher": {"name": "The Valley Courier"}})
    assert combine(read_page_metadata(page(head)), trafilatura_result()).authors == ("Ana Lima", "Tom Berg")


def test_case_and_slug_variants_and_web_addresses_are_not_separate_authors():
    chosen = combine(PageMetadata(), trafilatura_result(author="Jane Doe; JANE DOE; Jane-Doe; Www Example Com; https"))
    assert chosen.authors == ("Jane Doe",)


def test_a_live_blogs_date_is_its_publication_not_its_last_update():
    head = (
        jsonld(
            {
                "@type": "LiveBlogPosting",
                "headline": "Storm live: updates",
                "datePublished": "2024-03-01T06:00:00+00:00",
                "dateModified": "2024-03-03T22:10:00+00:00",
            }
        )
        + '<meta property="article:modified_time" content="2024-03-03T22:10:00+00:00">'
    )
    chosen = combine(read_page_metadata(page(head)), trafilatura_result(date="2024-03-03"))
    assert chosen.date_raw == "2024-03-01T06:00:00+00:00"


def test_a_json_ld_date_that_names_no_day_leaves_trafilaturas():
    head = jsonld({"@type": "NewsArticle", "datePublished": "soon"})
    assert combine(read_page_metadata(page(head)), trafilatura_result(date="2024-03-01")).date_raw == "2024-03-01"


def test_a_page_without_structured_data_keeps_trafilaturas_metadata():
    found = read_page_metadata(page("<title>Council approves new bridge</title>"))
    assert found.articles == ()
    result = trafilatura_result(title="Council approves new bridge", author="Jane Doe", date="2021-03-04", sitename="Gazette")
    assert combine(found, result) == combine(PageMetadata(), result)
    chosen = combine(found, result)
    assert (chosen.title, chosen.authors, chosen.date_raw, chosen.publisher) == (
        "Council approves new bridge",
        ("Jane Doe",),
        "2021-03-04",
        "Gazette",
    )


@pytest.mark.parametrize("html", ["", "   ", "<?xml version='1.0' encoding='utf-8'?><html><body><h1>Hi</h1></body></html>"])
def test_any_string_can_be_read(html):
    found = read_page_metadata(html)
    assert isinstance(found, PageMetadata)
