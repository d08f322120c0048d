"""Each cleaning rule on small inline texts: what it cuts, and the nearby prose it must leave alone."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.clean import CleanResult, clean_text

BODY = "The Pentagon said on Friday that the strike had been carried out at the direction of the president."
PROSE = "Officials in Baghdad said the talks would resume next week, according to two diplomats."


def cuts(result: CleanResult) -> list[tuple[str, str]]:
    return [(s.rule_id, s.text) for s in result.segments]


# --- site furniture, ads, comment prompts, related lines ------------------------------------------


@pytest.mark.parametrize(
    "line", ["News", "Share this:", "Tweet", "Blog and articles", "upstairs", "Share on Facebook", "Advertisement"]
)
def test_furniture_lines_are_cut(line, clean):
    result = clean(f"Headline of the day\n\n{line}\n\n{BODY}")
    assert result.text == f"Headline of the day\n\n{BODY}"
    assert cuts(result) == [("site-furniture", line)]


@pytest.mark.parametrize(
    "line",
    [
        "News of the strike spread quickly through Baghdad on Friday morning.",
        "The minister said the news was a shock.",
        "Share this: the ministry's view is that talks must resume.",
        "Tweet by tweet, the president raised the stakes.",
    ],
)
def test_furniture_words_inside_prose_stay(line, clean):
    assert clean(f"{line}\n\n{BODY}").text == f"{line}\n\n{BODY}"


@pytest.mark.parametrize(
    "line", ["Submit Your Ad Here", "Only $1/click", "Advertise with us — Only $1/click", "Place your banner here!"]
)
def test_ad_lines_are_cut(line, clean):
    assert cuts(clean(f"{BODY}\n\n{line}\n\n{PROSE}")) == [("ad-line", line)]


def test_a_sentence_about_advertising_stays(clean):
    line = "The site told advertisers they would pay only $1 per click for a banner, its owner said on Monday."
    assert clean(line).text == line


@pytest.mark.parametrize(
    "line", ["Leave a Reply", "Post a comment", "Leave a comment", "12 Comments", "Required fields are marked *"]
)
def test_comment_prompts_are_cut(line, clean):
    assert cuts(clean(f"{BODY}\n\n{line}")) == [("comment-prompt", line)]


def test_a_sentence_starting_like_a_comment_prompt_stays(clean):
    line = "Leave a reply with the embassy, the ministry told citizens who wanted to leave Iraq."
    assert clean(f"{BODY}\n\n{line}").text == f"{BODY}\n\n{line}"


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("Would you like to comment on this article?", "comment-prompt"),
        ("Register (it is free) or log in now.", "comment-prompt"),
        ("Please read our Comment Policy before commenting.", "comment-prompt"),
        ("Join our commenting forum", "comment-prompt"),
        (
            "The Courier is committed to a civil forum. Please keep comments relevant and respectful. "
            "Comments may take up to an hour to appear on the site.",
            "comment-policy",
        ),
        ("For the latest news from the Courier, sign up for our newsletters.", "newsletter-promo"),
        ("Support independent journalism by subscribing to our digital edition.", "newsletter-promo"),
    ],
)
def test_comment_box_and_subscription_pleas_are_cut(line, rule_id, clean):
    assert cuts(clean(f"{BODY}\n\n{line}\n\n{PROSE}")) == [(rule_id, line)]


# A comment section in another language: its heading and all below it, when the article above is longer.
COMMENTS_BELOW = "Anna K. vor 2 Stunden\n\nDas sehe ich ganz anders als der Autor.\n\nAntworten"


@pytest.mark.parametrize("fmt", ["md", "txt"])
@pytest.mark.parametrize(
    "label",
    [
        "## Kommentare (3)",
        "Kommentare",
        "## 댓글0",
        "Schreiben Sie einen Kommentar",
        "コメントを書く",
        "Noch kein Kommentar vorhanden.",
    ],
)
def test_a_comment_section_heading_ends_the_article(label, fmt, clean):
    if fmt == "txt" and label.startswith("#"):
        label = label.lstrip("# ")
    result = clean(f"{BODY}\n\n{PROSE}\n\n{label}\n\n{COMMENTS_BELOW}", fmt)
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert {s.rule_id for s in result.segments} - {"md-heading"} == {"comment-section"}


def test_a_comment_label_near_the_top_goes_alone(clean):
    # A comment counter by the headline, or an opinion piece's kicker: the article below stays.
    result = clean(f"## Kommentar\n\n{BODY}\n\n{PROSE}", "md")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert cuts(result) == [("comment-section", "## Kommentar")]


def test_a_comment_section_is_one_cut_markup_and_prompts_included(clean):
    below = "Leave a Reply\n\n![avatar](https://example.org/a.png) **Anna K.**: [Sehr gut](https://example.org/c/1)."
    result = clean(f"{BODY}\n\n{PROSE}\n\n## Kommentare (2)\n\n{below}", "md")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert cuts(result) == [("comment-section", "## Kommentare (2)"), ("comment-section", below)]


@pytest.mark.parametrize(
    "line",
    [
        "Sie müssen angemeldet sein, um kommentieren zu können.",
        "Nur angemeldete Benutzer können kommentieren und bewerten.",
        "Para ver los comentarios, primero tienes que iniciar sesión.",
    ],
)
def test_a_login_to_comment_notice_is_cut_alone(line, clean):
    assert cuts(clean(f"{BODY}\n\n{line}\n\n{PROSE}")) == [("comment-login", line)]


@pytest.mark.parametrize(
    "line",
    [
        "Kommentar von Anna Schmidt: Warum die Regierung jetzt handeln muss",
        "Der Minister wollte die Vorwürfe auf Nachfrage nicht kommentieren.",
        "Die Plattform teilte mit: „Nur angemeldete Nutzer können kommentieren.“",
        "Comentarios de los vecinos llenaron la sesión del pleno municipal durante horas.",
    ],
)
def test_prose_about_comments_in_other_languages_stays(line, clean):
    text = f"{BODY}\n\n{line}\n\n{PROSE}"
    assert clean(text, "md").text == text


@pytest.mark.parametrize(
    "line",
    [
        "The platform changed its comment policy on Monday, and users said comments may now be hidden for hours.",
        "She said she had signed up for a newsletter about Iraq in 2019 and read it every morning.",
        "Readers who register or log in can read the minister's full statement, the agency said on Friday.",
    ],
)
def test_prose_about_comments_and_newsletters_stays(line, clean):
    assert clean(f"{BODY}\n\n{line}").text == f"{BODY}\n\n{line}"


@pytest.mark.parametrize(
    "line",
    [
        "Related article: Militia supporters storm the US embassy in Baghdad",
        "Read more: Who was Qassem Soleimani?",
        "RELATED: Iran vows revenge",
        "More from The Meridian Review: Iraq's parliament votes",
    ],
)
def test_related_article_lines_are_cut(line, clean):
    assert cuts(clean(f"{BODY}\n\n{line}\n\n{PROSE}")) == [("related-article-line", line)]


def test_prose_about_related_matters_stays(clean):
    line = "Related articles were published in three Iraqi newspapers on Saturday, the ministry said."
    assert clean(line).text == line


@pytest.mark.parametrize(
    "line", ["Source: Read Full Article", "Read the rest here.", "Continue reading", "Read the full story here"]
)
def test_read_the_rest_links_are_cut(line, clean):
    assert cuts(clean(f"{BODY}\n\n{line}")) == [("read-full-article", line)]


def test_a_sentence_that_starts_like_a_read_more_link_stays(clean):
    line = "Read the full article in Arabic, the embassy urged its citizens on Friday."
    assert clean(line).text == line


# --- related-headline lists -----------------------------------------------------------------------


def test_a_related_headline_list_is_cut_as_one_block(clean):
    text = (
        f"{BODY}\n\nRelated articles\nMourners Fill the Streets of Mashhad\nWhat Comes After Soleimani\n"
        "Oil prices climb as Gulf tensions rise\n\nPost a comment"
    )
    result = clean(text)
    assert result.text == BODY
    assert [s.rule_id for s in result.segments] == ["related-headlines-list", "comment-prompt"]
    assert result.segments[0].text.endswith("Oil prices climb as Gulf tensions rise")


def test_a_related_list_stops_at_prose_and_the_prose_stays(clean):
    text = f"Read more\n\nIran Vows Revenge\n\n{PROSE}\n\n{BODY}"
    result = clean(text)
    assert result.text == f"{PROSE}\n\n{BODY}"
    assert cuts(result) == [("related-headlines-list", "Read more\n\nIran Vows Revenge")]


def test_a_related_heading_without_headlines_under_it_is_not_a_list(clean):
    text = f"Related\n\n{PROSE}"
    assert clean(text).text == text


# --- photo credits ----------------------------------------------------------------------------------


def test_photo_credits_are_cut_alone_or_after_a_caption(clean):
    text = (
        "Photo: AP/Karim Jaber\n\n"
        "Mourners in Tehran on Monday. (Photo by Reza Tavakoli / Getty Images)\n\n"
        "Lawmakers in Baghdad. Photo: Reuters/Ali Kareem\n\n"
        f"{BODY}"
    )
    result = clean(text)
    assert result.text == f"Mourners in Tehran on Monday.\n\nLawmakers in Baghdad.\n\n{BODY}"
    assert [s.rule_id for s in result.segments] == [
        "photo-credit-trailing",
        "photo-credit-parenthesized",
        "photo-credit-trailing",
    ]


def test_a_credit_cut_from_inside_a_sentence_leaves_one_space(clean):
    result = clean("Soleimani (Photo by Samir Daoud / Getty Images) was killed on Friday.")
    assert result.text == "Soleimani was killed on Friday."


@pytest.mark.parametrize(
    "line",
    [
        "Photo: the scene outside Baghdad airport after the strike on Friday.",
        "The photo by a Reuters photographer showed the burned-out car.",
        "Photographs taken by residents (some of them shared widely) showed the wreckage.",
    ],
)
def test_sentences_about_photos_stay(line, clean):
    assert clean(line).text == line


# --- disclaimers and author bios ------------------------------------------------------------------


def test_a_disclaimer_is_cut(clean):
    line = "The views expressed in this article are the author's own and do not necessarily reflect those of the publisher."
    assert cuts(clean(f"{BODY}\n\n{line}")) == [("disclaimer", line)]


def test_prose_about_views_stays(clean):
    line = "The views expressed by the minister on Friday were shared by most members of parliament."
    assert clean(line).text == line


BIO = "Dana Whitfield is a senior fellow at the Harbor Institute. She writes about Iraq and energy."


def test_an_author_bio_at_the_end_is_cut_with_the_trailer_after_it(clean):
    result = clean(f"{BODY}\n\n{PROSE}\n\n{BIO}\n\nTags: Iraq, Iran\n\nFollow Dana on Twitter @dana")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert [s.rule_id for s in result.segments] == ["author-bio", "tags-line", "social-follow"]


def test_a_bio_shaped_paragraph_followed_by_prose_stays(clean):
    text = f"{BODY}\n\n{BIO}\n\n{PROSE}"
    assert clean(text).text == text


def test_a_bio_shaped_last_paragraph_about_someone_the_article_quotes_stays(clean):
    text = f'"We will answer," said Dana Whitfield.\n\n{BODY}\n\n{BIO}'
    assert clean(text).text == text


def test_a_bio_shaped_last_paragraph_with_a_quote_stays(clean):
    text = f'{BODY}\n\nKarim Nassar is a former diplomat who said "nobody asked Iraq" before the strike.'
    assert clean(text).text == text


# --- metadata lines -----------------------------------------------------------------------------


def test_byline_and_date_line_become_metadata(clean):
    result = clean(f"Iran vows revenge\n\nBy Leyla Haddad\nJanuary 08, 2020\n\n{BODY}")
    assert result.text == f"Iran vows revenge\n\n{BODY}"
    assert result.authors == ("Leyla Haddad",)
    assert result.published_date == dt.date(2020, 1, 8) and result.published_date_source == "byline"
    assert [(s.rule_id, s.action, s.field, s.value) for s in result.segments] == [
        ("byline", "metadata", "authors", "Leyla Haddad"),
        ("date-line", "metadata", "published_date", "2020-01-08"),
    ]


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Martin Kessler and Leyla Haddad", ("Martin Kessler", "Leyla Haddad")),
        ("BY OMAR SALEH", ("OMAR SALEH",)),
        ("By Omar Saleh, Staff Writer", ("Omar Saleh",)),
        ("By Sportswriter Gao Peng", ("Gao Peng",)),
        ("by Abu Mahdi al-Muhandis", ("Abu Mahdi al-Muhandis",)),
    ],
)
def test_byline_forms(line, authors, clean):
    assert clean(f"{line}\n\n{BODY}").authors == authors


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the militia had left the compound.",
        "By Wednesday Night Tehran Had Answered",
        "By the time the convoy left the airport, the drone was overhead.",
        "By Then",
    ],
)
def test_lines_that_only_start_like_a_byline_stay(line, clean):
    result = clean(f"{line}\n\n{BODY}")
    assert result.text == f"{line}\n\n{BODY}" and result.authors == ()


def test_a_byline_deep_in_the_article_is_prose(clean):
    paragraphs = [f"Paragraph {i} of the report on the strike, officials said." for i in range(12)]
    text = "\n\n".join([*paragraphs, "By Martin Kessler"])
    assert clean(text).authors == ()


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("January 08, 2020", dt.date(2020, 1, 8)),
        ("Jan. 4, 2020", dt.date(2020, 1, 4)),
        ("08.01.2020", dt.date(2020, 1, 8)),
        ("2020-01-08", dt.date(2020, 1, 8)),
        ("Wednesday, January 8, 2020 10:31 AM", dt.date(2020, 1, 8)),
        ("Published: Tuesday, January 7, 2020 6:45 PM", dt.date(2020, 1, 7)),
        ("Updated 13/01/2020", dt.date(2020, 1, 13)),
    ],
)
def test_date_lines(line, date, clean):
    result = clean(f"Headline\n\n{line}\n\n{BODY}")
    assert (result.published_date, result.text) == (date, f"Headline\n\n{BODY}")


def test_an_ambiguous_date_line_is_cut_but_names_no_date(clean):
    result = clean(f"01/02/2020\n\n{BODY}")
    assert result.text == BODY and result.published_date is None
    assert [(s.rule_id, s.value) for s in result.segments] == [("date-line", None)]


def test_the_first_date_line_wins(clean):
    result = clean(f"Published: January 7, 2020\nUpdated: January 9, 2020\n\n{BODY}")
    assert result.published_date == dt.date(2020, 1, 7) and result.text == BODY


def test_a_date_inside_a_sentence_is_not_a_date_line(clean):
    line = "On January 8, 2020, Iran fired missiles at two bases in Iraq."
    result = clean(line)
    assert (result.text, result.published_date) == (line, None)


def test_source_lines_become_metadata(clean):
    text = (
        f"{BODY}\n\nOriginal url: <https://gulfcourier.example/world/2020/01/04/troops>\n\n"
        "This article was originally published by Carnegie.\n\n"
        "© 2020 The Meridian Review. All rights reserved."
    )
    result = clean(text)
    assert result.text == BODY
    assert result.original_url == "https://gulfcourier.example/world/2020/01/04/troops"
    assert result.original_source == "Carnegie"
    assert result.publisher == "The Meridian Review"
    assert [s.field for s in result.segments] == ["original_url", "original_source", "publisher"]


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("originally posted by Carnegie", "Carnegie"),
        ("This commentary was originally posted by Carnegie.", "Carnegie"),
        ("Based on the materials of The Telegraph UK", "The Telegraph UK"),
        ("Originally published by Carnegie on carnegie.ru", "Carnegie"),
    ],
)
def test_original_source_lines(line, source, clean):
    result = clean(f"{BODY}\n\n{line}")
    assert (result.text, result.original_source) == (BODY, source)


@pytest.mark.parametrize(
    "line",
    [
        "The study was originally published in Nature on Monday.",
        "The original URL was taken down within hours of the strike.",
        "The plan was based on materials from the defence ministry, he said.",
    ],
)
def test_sentences_about_other_publications_stay(line, clean):
    result = clean(line)
    assert (result.text, result.original_source, result.original_url) == (line, None, None)


# --- datelines ----------------------------------------------------------------------------------


def test_a_dateline_with_a_year_dates_the_article_and_stays(clean):
    text = f"Iran fires missiles\n\nBAGHDAD, Jan. 8, 2020 (Gulf Courier) — {BODY}"
    result = clean(text)
    assert result.text == text
    assert (result.published_date, result.published_date_source) == (dt.date(2020, 1, 8), "text")
    assert result.segments == ()


def test_a_dateline_without_a_year_names_no_date(clean):
    result = clean(f"MOSCOW, Jan 8 (Reuters) - {BODY}")
    assert (result.published_date, result.published_date_source) == (None, None)


def test_a_byline_date_outranks_a_dateline(clean):
    result = clean(f"January 7, 2020\n\nBAGHDAD, Jan. 8, 2020 — {BODY}")
    assert (result.published_date, result.published_date_source) == (dt.date(2020, 1, 7), "byline")


def test_a_dateline_deep_in_the_article_is_ignored(clean):
    paragraphs = [f"Paragraph {i} of the report." for i in range(4)]
    result = clean("\n\n".join([*paragraphs, f"BAGHDAD, Jan. 8, 2020 — {BODY}"]))
    assert result.published_date is None


# --- head furniture -------------------------------------------------------------------------------


def test_masthead_and_section_label_at_the_top_are_cut(clean):
    result = clean(f"Gulf Courier | World\n\nAnalysis\n\nIran fires missiles at bases in Iraq\n\n{BODY}")
    assert result.text == f"Iran fires missiles at bases in Iraq\n\n{BODY}"
    assert [s.rule_id for s in result.segments] == ["masthead", "section-kicker"]


def test_a_headline_is_not_a_masthead_and_a_label_in_the_body_stays(clean):
    text = f"Iran fires missiles at U.S. bases | Live updates from Baghdad\n\n{BODY}\n\n{PROSE}\n\nAnalysis\n\n{BODY}"
    assert clean(text).text == text


# --- markdown -------------------------------------------------------------------------------------


def test_markdown_syntax_is_unwrapped_and_recorded(clean):
    text = (
        "## Russia's quiet win\n\n"
        "![Flags](https://example.org/flags.jpg)\n\n"
        "Russia's [Foreign Ministry](https://example.org/mfa) called it a **rash** step, _not_ a *surprise*.\n\n"
        "> Moscow does not need to win.\n\n"
        "- it distracts Washington;\n"
        "- it raises the price of oil.\n\n"
        "---\n\n"
        "The `snake_case` name and 2*3*4 stay."
    )
    result = clean(text, "md")
    assert result.text == (
        "Russia's quiet win\n\n"
        "Russia's Foreign Ministry called it a rash step, not a surprise.\n\n"
        "Moscow does not need to win.\n\n"
        "it distracts Washington;\n\nit raises the price of oil.\n\n"
        "The snake_case name and 2*3*4 stay."
    )
    link = [s.text for s in result.segments if s.rule_id == "md-link"]
    assert link == ["[", "](https://example.org/mfa)"]
    assert {s.rule_id for s in result.segments} >= {
        "md-heading",
        "md-image",
        "md-bold",
        "md-italic-underscore",
        "md-italic-star",
        "md-blockquote",
        "md-bullet",
        "md-horizontal-rule",
        "md-code",
    }
    assert all(s.action == "unwrap" for s in result.segments if s.rule_id not in ("md-image", "md-horizontal-rule"))


def test_markdown_emphasis_is_left_alone_outside_markdown_but_links_are_unwrapped(clean):
    text = "A **bold** claim, see [the report](https://example.org/report)."
    assert clean(text, "txt").text == "A **bold** claim, see the report."


def test_rules_see_lines_as_a_reader_does(clean):
    result = clean(
        f"**By Anton Reshetnikov**\n\n_January 9, 2020_\n\n{BODY}\n\n## Read more\n\n- [Putin Visits Damascus](https://example.org/a)",
        "md",
    )
    assert result.text == BODY
    assert result.authors == ("Anton Reshetnikov",) and result.published_date == dt.date(2020, 1, 9)
    assert [s.rule_id for s in result.segments] == ["byline", "date-line", "related-headlines-list"]


# --- whitespace -----------------------------------------------------------------------------------


def test_whitespace_is_normalised_without_recorded_cuts(clean):
    text = "\ufeff  \r\n\r\nHeadline   \r\n\r\n\r\n\r\n   First paragraph.  \r\n\n\n\nSecond paragraph.\t\n\n"
    result = clean(text)
    assert result.text == "Headline\n\nFirst paragraph.\n\nSecond paragraph."
    assert result.segments == ()


def test_single_line_breaks_between_paragraphs_become_paragraph_breaks(clean):
    text = f"Headline\n{BODY}\n{PROSE}"
    assert clean(text).text == f"Headline\n\n{BODY}\n\n{PROSE}"


WRAPPED = (
    "Iran fired more than a dozen ballistic missiles at two military bases in\n"
    "Iraq that house American troops early on Wednesday, in what Iranian\n"
    "officials called retaliation for the strike that killed Soleimani.\n"
    "The Pentagon said there were no immediate reports of casualties."
)


def test_a_hard_wrapped_paragraph_is_joined_with_spaces(clean):
    assert clean(WRAPPED).text == (
        "Iran fired more than a dozen ballistic missiles at two military bases in "
        "Iraq that house American troops early on Wednesday, in what Iranian "
        "officials called retaliation for the strike that killed Soleimani.\n\n"
        "The Pentagon said there were no immediate reports of casualties."
    )


def test_a_list_of_headlines_is_not_taken_for_a_wrapped_paragraph(clean):
    text = "Mourners Fill the Streets of Mashhad and Ahvaz Again\nWhat Comes After Soleimani for the Quds Force\nOil Prices Climb as Gulf Tensions Rise"
    assert clean(text).text == text.replace("\n", "\n\n")


def test_a_wrapped_debris_paragraph_is_cut_whole(clean):
    text = (
        f"{BODY}\n\n"
        "The views expressed in this article are the author's own and do not\n"
        "necessarily reflect the editorial policy of The Meridian Review or of\n"
        "its owners."
    )
    result = clean(text)
    assert result.text == BODY
    assert [s.rule_id for s in result.segments] == ["disclaimer"] and "\n" in result.segments[0].text


# --- offsets --------------------------------------------------------------------------------------


def test_offset_map_points_every_clean_character_at_its_input_character(clean):
    text = "News\n\nIran vows revenge  \n\nBy Leyla Haddad\n\nTEHERAN — Mourners (Photo by A / B) filled\nthe streets."
    result = clean(text)
    mapping = result.offset_map()
    assert len(mapping) == len(result.text) + 1
    for i, ch in enumerate(result.text):
        if not ch.isspace():
            assert text[mapping[i]] == ch
    start = result.text.index("Mourners")
    assert result.input_span(start, start + len("Mourners")) == (text.index("Mourners"), text.index("Mourners") + 8)
    assert mapping[len(result.text)] == len(text.rstrip())


def test_empty_and_all_debris_texts_clean_to_nothing(clean):
    assert clean("").text == ""
    result = clean("Share this:\nTweet\n\nLeave a Reply\n")
    assert result.text == "" and len(result.segments) == 3


# --- a long article ------------------------------------------------------------------------------
# (Its speed is a benchmark, `python -m broadsheet.lab.benchmarks.cleaning`, not a timed test.)


def long_article() -> str:
    """About 5,000 words: 150 paragraphs with a photo credit each, debris every tenth, a byline, a bio."""
    paragraph = f"{BODY} {PROSE} Soleimani (Photo by A / B) had led the Quds Force since the late 1990s."
    blocks = []
    for i in range(150):
        blocks.append(paragraph)
        if i % 10 == 0:
            blocks += ["Share this:", "Related article: Iran vows revenge", "Submit Your Ad Here"]
    return "Headline\n\nBy Leyla Haddad\nJanuary 8, 2020\n\n" + "\n\n".join(blocks) + f"\n\n{BIO}"


def test_a_five_thousand_word_article_loses_its_debris_and_keeps_every_paragraph():
    text = long_article()
    assert len(text.split()) >= 5000
    result = clean_text(text, "txt")
    for debris in ("Share this:", "Related article", "Submit Your Ad Here", "(Photo by A / B)"):
        assert debris not in result.text
    # The byline's author, then the one the bio at the end introduces.
    assert result.text.count(BODY) == 150 and result.authors == ("Leyla Haddad", "Dana Whitfield")
