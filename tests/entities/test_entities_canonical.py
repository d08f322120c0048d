"""Canonical entities: one id and one name per real-world entity across documents."""

from __future__ import annotations

from broadsheet.entities.canonical import acronym_of, canonicalize, id_registry, name_tokens, spelling_variant, surname_fits
from broadsheet.entities.recognizer import Mention


def m(text: str, label: str, start: int) -> Mention:
    return Mention(start, start + len(text), text, label, 1.0)


def by_name(result, name: str) -> dict:  # noqa: ANN001
    [row] = [r for r in result.entities if r["canonical_name"] == name]
    return row


def entity_of(result, doc: str, mention: Mention) -> str:  # noqa: ANN001
    return result.entity_of[(doc, mention.start, mention.end)]


def test_titles_possessives_and_the_are_not_part_of_the_name() -> None:
    assert name_tokens("Maj. Gen. Qassem Soleimani", "PERSON") == ("Qassem", "Soleimani")
    assert name_tokens("Mr Rassam", "PERSON") == ("Rassam",)
    assert name_tokens("President Barack Obama's", "PERSON") == ("Barack", "Obama")
    assert name_tokens("Secretary of State Mike Pompeo", "PERSON") == ("Mike", "Pompeo")
    assert name_tokens("the United Nations", "ORG") == ("United", "Nations")
    assert name_tokens("Prince", "PERSON") == ("Prince",)  # never the whole name


def test_spelling_variants() -> None:
    for a, b in [
        ("qasem", "qassem"),
        ("soleimani", "soleymani"),
        ("teheran", "tehran"),
        ("barrack", "barack"),
        ("mohammed", "muhammad"),
    ]:
        assert spelling_variant(a, b), (a, b)
    for a, b in [("maria", "mario"), ("bush", "busch"), ("putin", "patton"), ("iran", "iraq"), ("conn", "coon")]:
        assert not spelling_variant(a, b), (a, b)


def test_acronyms() -> None:
    assert acronym_of(("Islamic", "Revolutionary", "Guard", "Corps")) == "IRGC"
    assert acronym_of(("Bank", "of", "England")) == "BE"


def test_variants_countries_and_titles_merge_with_reasons() -> None:
    a = [
        m("Maj. Gen. Qassem Soleimani", "PERSON", 0),
        m("Teheran", "GPE", 40),
        m("U.S.", "GPE", 60),
        m("Barrack Obama", "PERSON", 80),
    ]
    b = [
        m("Qassem Soleimani", "PERSON", 0),
        m("Qasem Soleymani", "PERSON", 30),
        m("Tehran", "GPE", 60),
        m("United States", "GPE", 80),
        m("America", "GPE", 100),
        m("US", "ORG", 120),
        m("Barack Obama", "PERSON", 140),
    ]
    result = canonicalize({"a": a, "b": b})
    soleimani = by_name(result, "Qassem Soleimani")
    assert soleimani["n_mentions"] == 3 and soleimani["n_documents"] == 2
    assert soleimani["aliases"] == ["Maj. Gen. Qassem Soleimani", "Qasem Soleymani", "Qassem Soleimani"]
    assert any("spelling variant" in r for r in soleimani["merge_reasons"])
    us = by_name(result, "United States")
    assert us["entity_type"] == "GPE" and us["country_code"] == "US" and us["n_mentions"] == 4
    assert any("gazetteer" in r for r in us["merge_reasons"])
    tehran = by_name(result, "Tehran")
    assert tehran["country_code"] == "IR" and tehran["n_mentions"] == 2
    assert by_name(result, "Barack Obama")["n_mentions"] == 2
    assert entity_of(result, "a", a[2]) == entity_of(result, "b", b[5])
    assert len({r["entity_id"] for r in result.entities}) == len(result.entities) == 4


def test_surnames_resolve_inside_the_article_and_namesakes_stay_apart() -> None:
    doc = [
        m("George Bush", "PERSON", 0),
        m("Bush", "PERSON", 20),
        m("Jeb Bush", "PERSON", 40),
        m("Bush", "PERSON", 60),
        m("Vladimir Putin", "PERSON", 80),
        m("Putin", "PERSON", 100),
        m("Hossein Rassam", "PERSON", 120),
        m("Mr Rassam", "PERSON", 140),
    ]
    other = [m("Bush", "PERSON", 0)]
    result = canonicalize({"d": doc, "e": other})
    assert entity_of(result, "d", doc[1]) == entity_of(result, "d", doc[0])
    assert entity_of(result, "d", doc[3]) == entity_of(result, "d", doc[2])
    assert entity_of(result, "d", doc[0]) != entity_of(result, "d", doc[2])
    # A lone "Bush" elsewhere could be either: its own entity, not one of them.
    lone = entity_of(result, "e", other[0])
    assert lone not in {entity_of(result, "d", doc[0]), entity_of(result, "d", doc[2])}
    assert entity_of(result, "d", doc[5]) == entity_of(result, "d", doc[4])
    assert by_name(result, "Hossein Rassam")["aliases"] == ["Hossein Rassam", "Mr Rassam"]


def test_surnames_without_their_article_and_of_several_words() -> None:
    doc = [
        m("Bashar al-Assad", "PERSON", 0),
        m("Assad", "PERSON", 30),
        m("Adel Abdul Mahdi", "PERSON", 60),
        m("Abdul Mahdi's", "PERSON", 90),
        m("Barack Hussein Obama", "PERSON", 120),
        m("Barack Obama", "PERSON", 150),
    ]
    result = canonicalize({"d": doc, "e": [m("Assad", "PERSON", 0)], "f": [m("Mahdi Karimi", "PERSON", 0)]})
    assert entity_of(result, "d", doc[1]) == entity_of(result, "d", doc[0])
    assert entity_of(result, "e", m("Assad", "PERSON", 0)) == entity_of(result, "d", doc[0])
    assert entity_of(result, "d", doc[3]) == entity_of(result, "d", doc[2])
    assert entity_of(result, "d", doc[5]) == entity_of(result, "d", doc[4])
    assert len({entity_of(result, "d", x) for x in doc}) == 3
    # "Mahdi" is a first name here and a surname's last word there: no relation
    assert entity_of(result, "f", m("Mahdi Karimi", "PERSON", 0)) not in {entity_of(result, "d", x) for x in doc}
    assert by_name(result, "Bashar al-Assad")["aliases"] == ["Assad", "Bashar al-Assad"]


def test_a_name_of_five_words_is_no_full_name_for_a_surname() -> None:
    # more likely a tagging slip (a headline read as one name) than a name
    doc = [m("Elizabeth Warren Hammers Wells Fargo", "PERSON", 0), m("Wells Fargo", "PERSON", 50)]
    result = canonicalize({"d": doc})
    assert entity_of(result, "d", doc[1]) != entity_of(result, "d", doc[0])


def test_descriptors_before_a_name_are_dropped_like_titles() -> None:
    assert name_tokens("Rival Hillary Clinton", "PERSON") == ("Hillary", "Clinton")
    assert name_tokens("incumbent Joe Biden", "PERSON") == ("Joe", "Biden")


def test_the_article_on_a_surname_is_not_a_wildcard() -> None:
    assert surname_fits("al-assad", "assad") and surname_fits("assad", "al-assad")
    assert surname_fits("el-sisi", "sisi") and surname_fits("ash-shara", "shara")
    assert not surname_fits("alan", "an") and not surname_fits("al-assad", "al-amin")
    assert not surname_fits("al-assad", "hassad")
    # two people: Hafez al-Assad named, then Bashar al-Assad; "Assad" after each is the nearer one
    doc = [
        m("Hafez al-Assad", "PERSON", 0),
        m("Assad", "PERSON", 20),
        m("Bashar al-Assad", "PERSON", 40),
        m("Assad", "PERSON", 60),
    ]
    result = canonicalize({"d": doc})
    assert (
        entity_of(result, "d", doc[1])
        == entity_of(result, "d", doc[0])
        != entity_of(result, "d", doc[3])
        == entity_of(result, "d", doc[2])
    )


def test_a_first_name_alone_is_the_one_person_of_the_article_with_it() -> None:
    doc = [
        m("Jenna Mourey", "PERSON", 0),
        m("Jenna", "PERSON", 20),
        m("Daniel Bernoulli", "PERSON", 40),
        m("Johann Bernoulli", "PERSON", 60),
        m("Daniel", "PERSON", 80),
    ]
    result = canonicalize({"d": doc, "e": [m("Jenna", "PERSON", 0)]})
    assert entity_of(result, "d", doc[1]) == entity_of(result, "d", doc[0])
    assert entity_of(result, "d", doc[4]) == entity_of(result, "d", doc[2])
    # not across articles: a first name says too little there
    assert entity_of(result, "e", m("Jenna", "PERSON", 0)) != entity_of(result, "d", doc[0])
    # two people with one first name: neither
    two = [m("Daniel Bernoulli", "PERSON", 0), m("Daniel Craig", "PERSON", 30), m("Daniel", "PERSON", 60)]
    result = canonicalize({"d": two})
    assert entity_of(result, "d", two[2]) not in {entity_of(result, "d", two[0]), entity_of(result, "d", two[1])}


def test_an_organization_without_its_place_in_the_same_article() -> None:
    doc = [
        m("U.S. Senate", "ORG", 0),
        m("Senate", "ORG", 20),
        m("Boston Red Sox", "ORG", 40),
        m("Boston", "GPE", 60),
        m("Red Sox", "ORG", 70),
        m("White House", "ORG", 90),
        m("House", "ORG", 110),
        m("Iranian Foreign Ministry", "ORG", 120),
        m("Foreign Ministry", "ORG", 150),
    ]
    other = [m("Senate", "ORG", 0), m("French Senate", "ORG", 20)]
    result = canonicalize({"d": doc, "e": other})
    assert entity_of(result, "d", doc[1]) == entity_of(result, "d", doc[0])
    assert entity_of(result, "d", doc[4]) == entity_of(result, "d", doc[2])
    assert entity_of(result, "d", doc[8]) == entity_of(result, "d", doc[7])
    assert entity_of(result, "d", doc[6]) != entity_of(result, "d", doc[5])  # "White" is no place
    # another article's "Senate" is its own senate
    assert entity_of(result, "e", other[0]) == entity_of(result, "e", other[1]) != entity_of(result, "d", doc[0])


def test_an_organization_without_its_place_is_the_nearest_full_name_before_it() -> None:
    # one article, two senates, each named in full once and then many times without its place
    doc, pos = [], 0
    for full in ("U.S. Senate", "French Senate"):
        for text in [full] + ["Senate"] * 500:
            doc.append(m(text, "ORG", pos))
            pos += len(text) + 1
    result = canonicalize({"d": doc})
    us, french = entity_of(result, "d", doc[0]), entity_of(result, "d", doc[501])
    assert us != french
    assert {entity_of(result, "d", x) for x in doc[1:501]} == {us}
    assert {entity_of(result, "d", x) for x in doc[502:]} == {french}
    assert by_name(result, "U.S. Senate")["n_mentions"] == 501


def test_country_abbreviations_with_or_without_their_full_stops() -> None:
    doc = [m("U.S", "GPE", 0), m("U. S.", "GPE", 10), m("United States", "GPE", 20), m("U.K", "GPE", 40)]
    result = canonicalize({"d": doc})
    assert len({entity_of(result, "d", x) for x in doc[:3]}) == 1
    assert by_name(result, "United Kingdom")["country_code"] == "GB"


def test_a_unique_surname_resolves_across_articles() -> None:
    result = canonicalize({"a": [m("Vladimir Putin", "PERSON", 0)], "b": [m("Putin", "PERSON", 0)]})
    [row] = result.entities
    assert row["canonical_name"] == "Vladimir Putin" and row["n_documents"] == 2
    assert any("only such name in the corpus" in r for r in row["merge_reasons"])


def test_short_forms_across_articles_find_spellings_articles_and_initials() -> None:
    # Rule 6 looks names up by what a short form can match (an index, not every name in the
    # corpus): a spelling of the surname, the surname with or without its joined article, and
    # an organization's initials all still find their one full name.
    result = canonicalize(
        {
            "a": [m("Tomas Qassemi", "PERSON", 0), m("Rafiq al-Harbi", "PERSON", 20), m("Northern Grain Board", "ORG", 40)],
            "b": [m("Qasemi", "PERSON", 0), m("Harbi", "PERSON", 20), m("NGB", "ORG", 40)],
            "c": [m("al-Qassemi", "PERSON", 0), m("Harrbi", "PERSON", 20), m("Gold", "PERSON", 40)],
        }
    )
    names = {r["canonical_name"]: r["n_documents"] for r in result.entities}
    assert names == {"Tomas Qassemi": 3, "Rafiq al-Harbi": 3, "Northern Grain Board": 2, "Gold": 1}


def test_a_name_without_its_middle_initial_resolves_across_articles_when_unambiguous() -> None:
    result = canonicalize({"a": [m("Donald J. Trump", "PERSON", 0)], "b": [m("Donald Trump", "PERSON", 0)]})
    [row] = result.entities
    assert row["canonical_name"] == "Donald J. Trump"
    assert any("only such name in the corpus" in r for r in row["merge_reasons"])
    two = canonicalize(
        {
            "a": [m("George W. Bush", "PERSON", 0)],
            "b": [m("George H. W. Bush", "PERSON", 0)],
            "c": [m("George Bush", "PERSON", 0)],
        }
    )
    assert len(two.entities) == 3


def test_acronym_in_the_same_article() -> None:
    doc = [m("Islamic Revolutionary Guard Corps", "ORG", 0), m("IRGC", "ORG", 50)]
    [row] = canonicalize({"a": doc}).entities
    assert row["canonical_name"] == "Islamic Revolutionary Guard Corps" and row["n_mentions"] == 2


def test_ids_are_deterministic_and_survive_a_refresh() -> None:
    first = {"a": [m("Soleimani", "PERSON", 0), m("Baghdad", "GPE", 20)]}
    r1 = canonicalize(first)
    assert canonicalize(first).entities == r1.entities
    # A new article names him in full: the canonical name changes, the id must not.
    second = {**first, "b": [m("Qassem Soleimani", "PERSON", 0), m("Tehran", "GPE", 30)]}
    r2 = canonicalize(second, previous=id_registry(r1.entities))
    old = {r["canonical_name"]: r["entity_id"] for r in r1.entities}
    new = {r["canonical_name"]: r["entity_id"] for r in r2.entities}
    assert new["Qassem Soleimani"] == old["Soleimani"]
    assert new["Baghdad"] == old["Baghdad"]
    assert len(r2.entities) == 3


def test_a_kept_id_is_never_given_twice() -> None:
    from broadsheet.entities.canonical import entity_id

    # An earlier release gave "Ana Ruiz" the id that "Bo Lind" would derive from its own name
    # (say the entity was first named that way, then renamed): Ana keeps it, whatever order the
    # entities are built in, and Bo gets another.
    taken = entity_id("PERSON", "bo lind")
    for doc in (
        [m("Ana Ruiz", "PERSON", 0), m("Bo Lind", "PERSON", 20)],
        [m("Bo Lind", "PERSON", 0), m("Ana Ruiz", "PERSON", 20)],
    ):
        result = canonicalize({"a": doc}, previous={"PERSON|ana ruiz": taken})
        ids = {r["canonical_name"]: r["entity_id"] for r in result.entities}
        assert ids["Ana Ruiz"] == taken and ids["Bo Lind"] != taken
        assert canonicalize({"a": doc}, previous={"PERSON|ana ruiz": taken}).entities == result.entities


def test_every_mention_gets_an_entity() -> None:
    docs = {"a": [m("the", "ORG", 0), m("Reuters", "ORG", 5), m("Shiite", "NORP", 20)]}
    result = canonicalize(docs)
    assert set(result.entity_of) == {("a", 0, 3), ("a", 5, 12), ("a", 20, 26)}
    assert sum(r["n_mentions"] for r in result.entities) == 3


def test_a_full_name_typed_otherwise_in_one_place_takes_the_type_of_the_rest() -> None:
    headline = m("Qasem Soleimani", "ORG", 12)
    result = canonicalize(
        {
            "d1": [headline],
            "d2": [m("Qassem Soleimani", "PERSON", 0), m("Qassem Soleimani", "PERSON", 40)],
            "d3": [m("Goldman Sachs", "ORG", 0), m("Goldman Sachs", "ORG", 30)],
            "d4": [m("Goldman Sachs", "PERSON", 5)],
        }
    )
    person = by_name(result, "Qassem Soleimani")
    assert person["entity_type"] == "PERSON" and person["n_mentions"] == 3
    assert entity_of(result, "d1", headline) == person["entity_id"]
    assert any(r.startswith("one name, one type: Qasem Soleimani (ORG, 1)") for r in person["merge_reasons"])
    bank = by_name(result, "Goldman Sachs")
    assert bank["entity_type"] == "ORG" and bank["n_mentions"] == 3


def test_a_name_typed_both_ways_about_equally_stays_two_entities() -> None:
    result = canonicalize({"d1": [m("New York", "GPE", 0), m("New York", "GPE", 20)], "d2": [m("New York", "ORG", 0)]})
    assert len(result.entities) == 1  # 2 against 1: one entity
    result = canonicalize(
        {"d1": [m("New York", "GPE", 0), m("New York", "GPE", 20)], "d2": [m("New York", "ORG", 0), m("New York", "ORG", 9)]}
    )
    assert sorted(r["entity_type"] for r in result.entities) == ["GPE", "ORG"]


def test_one_word_names_keep_their_types_apart() -> None:
    result = canonicalize(
        {
            "d1": [m("Washington", "GPE", 0), m("Washington", "GPE", 20), m("Washington", "GPE", 40)],
            "d2": [m("Washington", "PERSON", 0)],
        }
    )
    assert sorted(r["entity_type"] for r in result.entities) == ["GPE", "PERSON"]


def test_a_refresh_of_unchanged_input_keeps_every_id_the_first_time() -> None:
    # Two people share a surname, each called by it in their own article: the earlier release
    # has "Smith" among the aliases of both. Neither may take the other's id on a refresh (that
    # renumbered both, so an unchanged corpus published new releases until the ids settled).
    # (Which of the two ids is smaller decides whether the old code stole it: several pairs.)
    for a, b in [("Anna", "Zed"), ("Bo", "Yan"), ("Cy", "Xia"), ("Di", "Wu"), ("Ed", "Vi"), ("Flo", "Uma")]:
        docs = {
            "a": [m(f"{a} Smith", "PERSON", 0), m("Smith", "PERSON", 30), m("Smith", "PERSON", 60)],
            "b": [m(f"{b} Smith", "PERSON", 0), m("Smith", "PERSON", 30)],
            "c": [m("Acme Corp", "ORG", 0), m("Acme", "ORG", 30)],
        }
        first = canonicalize(docs)
        again = canonicalize(docs, previous=id_registry(first.entities))
        assert again.entities == first.entities, (a, b)
        assert again.entity_of == first.entity_of


def test_a_name_shared_by_two_entities_is_not_remembered_for_either() -> None:
    rows = [
        {"entity_id": "e_1", "entity_type": "PERSON", "aliases": ["Anna Smith", "Smith"]},
        {"entity_id": "e_2", "entity_type": "PERSON", "aliases": ["Smith", "Zed Smith"]},
    ]
    registry = id_registry(rows)
    assert registry["PERSON|anna smith"] == "e_1" and registry["PERSON|zed smith"] == "e_2"
    assert "PERSON|smith" not in registry


def test_the_head_of_a_countrys_official_name_is_that_country_where_the_article_names_it():
    result = canonicalize(
        {
            "a": [Mention(0, 4, "Iran", "GPE", 0.9), Mention(10, 30, "the Islamic Republic", "ORG", 0.5)],
            # no such country named here: which Islamic Republic is meant cannot be told
            "b": [Mention(0, 16, "Islamic Republic", "ORG", 0.5)],
        }
    )
    assert result.entity_of[("a", 0, 4)] == result.entity_of[("a", 10, 30)]
    assert result.entity_of[("b", 0, 16)] != result.entity_of[("a", 0, 4)]
    iran = next(e for e in result.entities if e["country_code"] == "IR")
    assert any(r.startswith("long form of a country named in the same article") for r in iran["merge_reasons"])


def test_an_acronym_is_the_same_name_written_in_lower_case_elsewhere():
    result = canonicalize({"a": [Mention(0, 4, "NATO", "ORG", 0.9)], "b": [Mention(0, 4, "Nato", "ORG", 0.9)]})
    assert result.entity_of[("a", 0, 4)] == result.entity_of[("b", 0, 4)]


def test_a_lone_surname_joins_the_far_most_named_of_its_namesakes():
    docs = {f"a{i}": [Mention(0, 11, "Anna Keller", "PERSON", 0.9)] for i in range(4)}
    docs["b"] = [Mention(0, 11, "Otto Keller", "PERSON", 0.9)]
    docs["c"] = [Mention(0, 9, "Mr Keller", "PERSON", 0.9)]
    result = canonicalize(docs)
    assert result.entity_of[("c", 0, 9)] == result.entity_of[("a0", 0, 11)]
    # named about as often: the lone surname could be either, and stays apart
    docs["b2"] = [Mention(0, 11, "Otto Keller", "PERSON", 0.9)]
    result = canonicalize(docs)
    assert result.entity_of[("c", 0, 9)] not in {result.entity_of[("a0", 0, 11)], result.entity_of[("b", 0, 11)]}
