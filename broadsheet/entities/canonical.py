"""Canonical entities: one id and one name for all mentions of one real-world entity.

:func:`canonicalize` takes every document's mentions and groups them into entities, recording
why differing names were put together. The rules, in the order they apply:

0. **Vetting.** A person mention the article contradicts is re-typed (a country, a group word,
   a religion, an organization's name or initials) or, if it is only a role word
   ("President"), dropped; each decision keeps its reason (:mod:`broadsheet.entities.vetting`;
   a re-typing reason is listed among the entity's merge reasons).

1. **Same name.** Names are compared after dropping titles from people ("Gen.", "Mr",
   "President"; ``names.yaml``), a leading "the", a possessive "'s", full stops and accents, and
   case: "Mr Rassam" and "RASSAM" are one name; "U.S." and "US" are one name.
2. **Countries.** Every name the gazetteer knows as a country (ISO 3166 names plus the news forms
   in ``countries.yaml``: "U.S.", "United States", "America") is that country, whatever type the
   tagger gave the mention; so is the head of a country's official name ("the Islamic
   Republic") in an article that names exactly one country with such an official name. A
   place the gazetteer lists under several names of one city
   (``cities.yaml``: "Kyiv", "Kiev") is that city.
3. **Spelling variants.** Names with the same number of words whose words differ only by vowels
   inside the word, doubled letters or i/y ("Qasem"/"Qassem", "Soleimani"/"Soleymani",
   "Teheran"/"Tehran", "Barrack"/"Barack"); the first and last letters must agree, so
   "Maria"/"Mario" stay apart.
4. **One name, one type.** A name of two or more words that the tagger typed one way in some
   places and another way in others (in a headline, "Ministry honours Anna Keller" can come out
   as an organization) is one entity when one type has at least twice the mentions of the
   other, across the corpus and with its spelling variants; the entity takes that type, each
   mention keeps its own. One-word names are left alone: "Jordan" and "Washington" are often
   both a person and a place.
5. **Short forms in one article.** A person named by surname only ("Putin", "Mr Rassam", "Assad"
   for "Bashar al-Assad", "Abdul Mahdi" for "Adel Abdul Mahdi") is the person with that surname
   named in full nearest before it in the same article (else the first after it); a full name
   without its middle part ("Barack Obama" for "Barack Hussein Obama") likewise; a first name
   that is nobody's surname there ("Jenna") is the one person of the article with that first
   name, if there is one. An all-capitals organization name that spells the initials of an
   organization named in the same article ("IRGC") is that organization, and so is one named
   without the place in front of its full name there ("Senate" for "U.S. Senate").
6. **Short forms across articles.** A surname, acronym or first-and-last name ("Donald Trump" for
   "Donald J. Trump") left unresolved in its own article joins the one entity in the whole corpus
   it fits, and only if there is exactly one, or one named at least three times as often as
   all the others together (a head of state and the relatives who share the surname): two
   people named about as often stay apart, and so does a lone surname that could be either.

The rules are in :mod:`broadsheet.entities.merge`, one function each; how names are compared in
:mod:`broadsheet.entities.names`; the rows and ids in :mod:`broadsheet.entities.entity_rows`.

Ids are ``e_`` + 16 hex digits of SHA-256 over the entity's type and canonical key, so the same
inputs give the same ids on any machine. To keep ids stable when new articles change which
form is canonical, pass the previous release's entities (:func:`id_registry`): an entity that
contains a name an earlier entity had keeps that entity's id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from broadsheet.entities.entity_rows import CanonicalEntities, MentionKey, entity_id, entity_rows, id_registry
from broadsheet.entities.merge import MAX_NAME_WORDS, TYPE_MAJORITY, merge
from broadsheet.entities.names import MentionLike, acronym_of, fold, name_tokens, spelling_variant, surname_fits
from broadsheet.entities.vetting import Decision, vet

__all__ = [
    "MAX_NAME_WORDS",
    "TYPE_MAJORITY",
    "CanonicalEntities",
    "Decision",
    "MentionKey",
    "MentionLike",
    "acronym_of",
    "canonicalize",
    "entity_id",
    "fold",
    "id_registry",
    "name_tokens",
    "spelling_variant",
    "surname_fits",
]


def canonicalize(
    mentions_by_doc: Mapping[str, Sequence[MentionLike]],
    previous: Mapping[str, str] | None = None,
    texts: Mapping[str, str] | None = None,
) -> CanonicalEntities:
    """Group all mentions into canonical entities (rules in the module docstring).

    ``previous`` maps ``"TYPE|name key"`` to an earlier release's entity id (see
    :func:`id_registry`); entities that contain such a name keep that id. ``texts`` (doc id →
    text) lets vetting see the words of each article.
    """
    vetted: dict[str, list] = {}
    decisions: dict[str, list[Decision]] = {}
    for doc_id, mentions in mentions_by_doc.items():
        vetted[doc_id], decisions[doc_id] = vet(mentions, (texts or {}).get(doc_id))
    result = entity_rows(merge(vetted), previous or {}, decisions)
    return result
