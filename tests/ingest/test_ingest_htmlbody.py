"""The article body around trafilatura: set-apart boxes left out, the shown standfirst put back."""

from trafilatura.utils import load_html

from broadsheet.ingest.htmlbody import standfirst, with_continuations, without_headline, without_set_apart
from broadsheet.ingest.readers import read_source

STORY = (
    "<p>The harbour board met on Monday evening and agreed, after a long and noisy session, to "
    "dredge the old channel before the autumn storms arrive in the bay.</p>"
    "<p>Fishing crews had asked for the work for three years, saying that their boats scraped the "
    "bottom at low tide and that two of them had lost their rudders last winter.</p>"
    "<p>The board will pay for the dredging from its reserve fund and expects the work to take six "
    "weeks, weather permitting, with the channel closed to traffic at night.</p>"
)


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>Harbour</title>{head}</head><body><article>{body}</article></body></html>"


def test_a_fact_box_inside_the_article_is_left_out():
    box = '<div class="story-factbox"><h3>The channel in numbers</h3><p>Depth at low tide: two metres</p></div>'
    blocks = ["The channel in numbers", "Depth at low tide: two metres", "The harbour board met."]
    tree = load_html(page(STORY + box))
    assert without_set_apart(blocks, tree) == ["The harbour board met."]


def test_a_box_heading_run_into_its_text_and_a_list_written_one_item_a_line_still_match():
    box = '<div class="info-box"><b>Key dates</b><ul><li>May: survey</li><li>June: dredging</li></ul></div>'
    tree = load_html(page(STORY + box))
    assert without_set_apart(["Key dates\nMay: survey", "- May: survey\n- June: dredging"], tree) == []


def test_a_sentence_the_story_also_tells_outside_the_box_stays():
    sentence = "The board will pay for the dredging from its reserve fund"
    box = f'<aside class="factbox"><p>{sentence}</p></aside>'
    tree = load_html(page(STORY + box))
    assert without_set_apart([sentence], tree) == [sentence]


def test_an_author_biography_box_is_left_out_but_not_a_class_that_only_contains_bio():
    bio = '<div class="author-bio"><p>Ann Reed has covered the coast for twenty years.</p></div>'
    other = '<div class="biology-notes"><p>Seagrass grows back within two seasons.</p></div>'
    tree = load_html(page(STORY + bio + other))
    blocks = ["Ann Reed has covered the coast for twenty years.", "Seagrass grows back within two seasons."]
    assert without_set_apart(blocks, tree) == ["Seagrass grows back within two seasons."]


def test_a_teaser_card_a_link_around_a_heading_and_paragraph_is_left_out():
    card = '<a href="/other-story"><h4>Ferry fares rise</h4><p>Tickets will cost more from June.</p></a>'
    inline = '<p>See <a href="/map">the map of the channel</a> for the route.</p>'
    tree = load_html(page(STORY + inline + card))
    blocks = ["See the map of the channel for the route.", "Ferry fares rise", "Tickets will cost more from June."]
    assert without_set_apart(blocks, tree) == ["See the map of the channel for the route."]


def test_a_box_holding_half_the_page_is_not_a_box():
    tree = load_html(f'<html><body><div class="infobox-layout">{STORY}</div></body></html>')
    blocks = ["The harbour board met on Monday evening"]
    assert without_set_apart(blocks, tree) == blocks


def test_the_description_shown_under_the_headline_is_the_standfirst():
    dek = "Fishing crews win a three-year fight over the silted channel"
    head = f'<meta name="description" content="{dek}">'
    tree = load_html(page(f"<h1>Harbour to dredge</h1><p class='dek'>{dek}</p>{STORY}", head))
    assert standfirst(tree, "The harbour board met on Monday evening.") == dek
    # Already in the text, or only in the page's head: nothing to add.
    assert standfirst(tree, f"{dek}\n\nThe harbour board met.") is None
    hidden = load_html(page(STORY, head))
    assert standfirst(hidden, "The harbour board met on Monday evening.") is None


def test_a_short_description_is_a_label_not_a_standfirst():
    head = '<meta property="og:description" content="Harbour news">'
    tree = load_html(page(f"<p>Harbour news</p>{STORY}", head))
    assert standfirst(tree, "The harbour board met.") is None


def test_the_html_reader_puts_the_standfirst_first_and_leaves_the_box_out():
    dek = "Fishing crews win a three-year fight over the silted channel"
    box = '<div class="factbox"><p>Channel depth at low tide is two metres, survey says.</p></div>'
    html = (
        f'<html><head><title>Harbour</title><meta name="description" content="{dek}"></head><body>'
        f"<div class='top'><h1>Harbour to dredge</h1><div class='dek'>{dek}</div></div>"
        f"<article>{STORY}{box}</article></body></html>"
    )
    (record,) = read_source("html", html.encode(), "harbour.html")
    paragraphs = record.text.split("\n\n")
    assert paragraphs[0] == dek
    assert "two metres" not in record.text
    assert "reserve fund" in record.text


def test_a_headline_left_at_the_top_of_the_text_is_not_body():
    blocks = ["Harbour  to dredge the OLD channel", "The harbour board met on Monday."]
    headlines = [None, "Harbour to dredge the old channel"]
    assert without_headline(blocks, headlines, "Board votes to dredge") == blocks[1:]
    # The title itself is the clean stage's to cut (and log); another line, or nothing after it, stays.
    assert without_headline(blocks, headlines, "Harbour to dredge the old channel") == blocks
    assert without_headline(blocks, ["Ferry fares rise"], None) == blocks
    assert without_headline(blocks[:1], headlines, None) == blocks[:1]


def test_an_embedded_social_media_post_is_left_out_unless_the_story_quotes_it():
    post = '<blockquote class="twitter-tweet"><p>Dredgers arrive at dawn, finally!</p>— Port Watch</blockquote>'
    quoted = "<p>One resident wrote: Dredgers arrive at dawn, finally!</p>"
    blocks = ["Dredgers arrive at dawn, finally!\n— Port Watch"]
    assert without_set_apart(blocks, load_html(page(STORY + post))) == []
    kept = ["Dredgers arrive at dawn, finally!"]
    assert without_set_apart(kept, load_html(page(STORY + quoted + post))) == kept


def test_an_article_cut_into_containers_of_one_kind_is_read_whole_in_page_order():
    first = "The harbour board met on Monday evening and agreed to dredge the old channel before autumn."
    second = "Fishing crews had asked for the work for three years, saying their boats scraped the bottom."
    later = "The board will pay for the dredging from its reserve fund, and the work will take six weeks."
    html = (
        "<html><body><article>"
        f'<div class="story-text"><p>{first}</p><p>{second}</p></div>'
        '<div class="ad-slot"><p>Advertisement</p></div>'
        f'<div class="story-text"><h3>Costs</h3><p>{later}</p><ul><li>Survey: May</li></ul></div>'
        '<div class="story-text"><p>Share this story</p></div>'  # no prose: not the article's
        "</article></body></html>"
    )
    tree = load_html(html)
    assert with_continuations([first, second], tree) == [first, second, "Costs", later, "- Survey: May"]
    # A container whose prose the text holds already (written a little differently) adds nothing.
    held = [first, second, later.replace(", and", " and")]
    assert with_continuations(held, tree) == held


def test_a_paragraph_of_prose_the_extraction_passed_over_in_its_own_container_comes_back():
    first = "The harbour board met on Monday evening and agreed to dredge the old channel before autumn."
    linked = "Crews <a href='/x'>had asked for the work for three years, saying their boats scraped the bottom</a>."
    last = "The board will pay for the dredging from its reserve fund, and the work will take six weeks."
    html = (
        f'<html><body><article><div class="story-text"><p>{first}</p><p>{linked}</p>'
        f"<h3>Costs</h3><p>Read more</p><p>{last}</p></div></article></body></html>"
    )
    recovered = "Crews had asked for the work for three years, saying their boats scraped the bottom."
    # Its headings and short lines stay as the extraction judged them.
    assert with_continuations([first, last], load_html(html)) == [first, recovered, last]


def test_a_headline_shown_under_its_topic_label_is_not_body_either():
    # The page shows the label and the headline as one block; its metadata join them with a colon.
    blocks = ['"We waited years"Council approves new bridge', "The council met on Monday."]
    headlines = ['"We waited years": Council approves new bridge']
    assert without_headline(blocks, headlines, "Council approves new bridge") == blocks[1:]
    assert without_headline(blocks, headlines, '"We waited years": Council approves new bridge') == blocks
