"""Vetting: person mentions the article contradicts are re-typed or dropped, with the reason."""

from broadsheet.entities.canonical import canonicalize
from broadsheet.entities.recognizer import Mention
from broadsheet.entities.tables import entity_tables
from broadsheet.entities.vetting import vet


def _m(text: str, label: str, start: int) -> Mention:
    return Mention(start, start + len(text), text, label, 0.5)


def _decided(mentions):
    return {d.text: (d.label, d.reason) for d in vet(mentions)[1]}


def test_a_role_word_alone_is_dropped():
    kept, decisions = vet([_m("President", "PERSON", 0), _m("Anna Keller", "PERSON", 20)])
    assert [k.text for k in kept] == ["Anna Keller"]
    assert decisions[0].label is None and "role word" in decisions[0].reason


def test_groups_religions_and_organizations_are_no_people():
    got = _decided([_m("Shiites", "PERSON", 0), _m("Islam", "PERSON", 20), _m("Keller Institute", "PERSON", 40)])
    assert got["Shiites"][0] == "NORP"
    assert got["Islam"][0] == "MISC"
    assert got["Keller Institute"][0] == "ORG"


def test_a_country_read_as_a_person_again_and_again_is_the_country():
    got = _decided([_m("Peru", "PERSON", 0), _m("Peru", "PERSON", 30)])
    assert got["Peru"][0] == "GPE"
    # once only: it may be a nickname or a character ("Captain America"), left alone
    assert _decided([_m("Peru", "PERSON", 0)]) == {}
    # a person of the article has it in their name: it is his surname
    assert _decided([_m("Michael Jordan", "PERSON", 0), _m("Jordan", "PERSON", 30), _m("Jordan", "PERSON", 50)]) == {}


def test_initials_of_an_organization_of_the_article_are_that_organization():
    got = _decided([_m("Freedonia Revenue Service", "ORG", 0), _m("Frs", "PERSON", 40)])
    assert got["Frs"][0] == "ORG"


def test_a_real_person_is_left_alone():
    assert _decided([_m("Anna Keller", "PERSON", 0), _m("Keller", "PERSON", 20), _m("Gen. Bob Party", "PERSON", 40)]) == {
        "Gen. Bob Party": ("ORG", "ends in an organization's word (Party), not a person's name")
    }


def test_tables_drop_role_words_and_keep_the_reason_of_a_retyping():
    text = "President Peru and Peru met Anna Keller."
    mentions = [_m("President", "PERSON", 0), _m("Peru", "PERSON", 10), _m("Peru", "PERSON", 19), _m("Anna Keller", "PERSON", 28)]
    entities, rows = entity_tables({"d1": text}, {"d1": mentions})
    assert [r["surface"] for r in rows] == ["Peru", "Peru", "Anna Keller"]
    assert [r["entity_type"] for r in rows] == ["GPE", "GPE", "PERSON"]
    oman = next(e for e in entities if e["entity_type"] == "GPE")
    assert any(reason.startswith("re-typed PERSON → GPE: Peru") for reason in oman["merge_reasons"])
    result = canonicalize({"d1": mentions})
    assert result.label_of(("d1", 0, 9), "PERSON") is None


def test_a_title_joined_to_the_name_is_no_part_of_it():
    result = canonicalize({"d1": [_m("Oleksandr Marchenko", "PERSON", 0), _m("Gen.Marchenko", "PERSON", 40)]})
    assert len({result.entity_of[("d1", 0, 19)], result.entity_of[("d1", 40, 53)]}) == 1


def test_a_capitalised_common_word_of_the_article_is_dropped():
    text = "Role: adviser. Her role grew. Anna Keller said Keller had a role."
    mentions = [_m("Role", "PERSON", 0), _m("Anna Keller", "PERSON", 30), _m("Keller", "PERSON", 47)]
    kept, decisions = vet(mentions, text)
    assert [k.text for k in kept] == ["Anna Keller", "Keller"]
    assert decisions[0].label is None and "common word" in decisions[0].reason
    # without the text the rule cannot be applied
    assert [k.text for k in vet(mentions)[0]] == ["Role", "Anna Keller", "Keller"]
    # a surname that is also a common word stays when the article names the person in full
    text = "Tom Baker met us. Baker said the baker was out."
    assert vet([_m("Tom Baker", "PERSON", 0), _m("Baker", "PERSON", 18)], text)[1] == []


def test_an_acronym_in_mixed_case_text_is_an_organization():
    text = "The chair of FDQ spoke, said KPO.\nANNA KELLER WINS"
    mentions = [_m("FDQ", "PERSON", 13), _m("KPO", "PERSON", 29), _m("KELLER", "PERSON", 39)]
    got = {d.text: d.label for d in vet(mentions, text)[1]}
    # in an all-capitals line a name is written in capitals whatever it is
    assert got == {"FDQ": "ORG", "KPO": "ORG"}
