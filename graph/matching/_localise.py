"""The words of a match answer in the asker's language: ``POST /match?lang=ro``.

Why a pass over the finished page and not inside the matcher: ranking does not depend on the
language of the answer, only its words do. The numbers, IRIs and matched terms stay as they
are; what a person reads (the labels of shared concepts and of the result's region, the
"understood as" summary and the name of the detected language) is given in Romanian where the
vocabularies have a Romanian ``skos:prefLabel`` (NUTS, NACE/CAEN, organisation kinds,
countries), and stays in English where they have none (EuroSciVoc has English labels only).
The sentences around them are composed by the web UI in its own language (ui/js/messages).

Labels are read per concept straight from the store's index (``graph.views``), a few dozen
per page, so nothing is cached and nothing goes stale after an ingest.

>>> from graph.matching._matcher import MatchPage
>>> page = MatchPage([], 0, {"language": "ro", "concepts": [], "trl": 6, "summary": "TRL 6"})
>>> localise(page, "ro", None).understood["summary"]
'TRL 6'
"""

from __future__ import annotations

from typing import Any, Literal

from graph.matching._matcher import MatchPage
from graph.store import GraphStore
from graph.views import PREF_LABEL, literals

Lang = Literal["en", "ro"]
LANGUAGES: tuple[Lang, ...] = ("en", "ro")

#: The name of a detected language (graph.match_query.LANGUAGE_NAMES), in Romanian.
LANGUAGE_NAMES_RO = {"ro": "română", "en": "engleză", "other": "nici română, nici engleză", "none": "fără cuvinte"}
#: What each recognised scheme is called in the "understood as" summary (graph.concept_bridge.Understanding.summary).
SCHEME_NAMES_RO = {"nace2": "CAEN", "nuts2021": "regiune", "org-kind": "tip", "euroscivoc": "domeniu"}


def romanian_label(store: GraphStore | None, iri: str) -> str | None:
    """The Romanian ``skos:prefLabel`` of ``iri``, or None when it has none (or there is no store)."""
    if store is None:
        return None
    labels = [lit.value for lit in literals(store, iri, PREF_LABEL) if lit.language == "ro"]
    return min(labels) if labels else None


def summary_ro(understood: dict[str, Any]) -> str:
    """The "understood as" summary in Romanian: "CAEN 01.61 Activități auxiliare ...; regiune Nord-Est"."""
    parts = []
    for concept in understood.get("concepts") or []:
        scheme = concept.get("scheme")
        code = concept.get("notation") if scheme == "nace2" else None
        label = concept.get("label_ro") or concept.get("label_en") or concept.get("iri")
        parts.append(" ".join(filter(None, [SCHEME_NAMES_RO.get(scheme, scheme), code, label])))
    if understood.get("trl") is not None:
        parts.append(f"TRL {understood['trl']}")
    return "; ".join(parts)


def localise_concepts(value: Any, lang: Lang, store: GraphStore | None) -> Any:
    """``value`` (a response as plain dicts and lists) with the label of every concept reference
    (a dict of exactly ``iri``, ``notation`` and ``label``: ``graph.views`` ConceptRef) in ``lang``.

    Why by shape: an organisation profile holds concepts at many places (kind, country, region,
    fields, sectors, roles, TRL); one walk finds them all, and other references (entities with an
    ``id``) are left alone.
    """
    if lang == "en":
        return value
    if isinstance(value, list):
        return [localise_concepts(item, lang, store) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"iri", "notation", "label"} and isinstance(value["iri"], str):
        return {**value, "label": romanian_label(store, value["iri"]) or value["label"]}
    return {key: localise_concepts(item, lang, store) for key, item in value.items()}


def localise(page: MatchPage, lang: Lang, store: GraphStore | None) -> MatchPage:
    """``page`` with its readable words in ``lang`` (English pages are returned unchanged)."""
    if lang == "en":
        return page
    cache: dict[str, str | None] = {}

    def label(iri: str, fallback: str | None) -> str | None:
        if iri not in cache:
            cache[iri] = romanian_label(store, iri)
        return cache[iri] or fallback

    understood = dict(page.understood) if page.understood is not None else None
    if understood is not None:
        understood["summary"] = summary_ro(understood)
        understood["language_name"] = LANGUAGE_NAMES_RO.get(understood.get("language", ""), understood.get("language_name"))
    data = []
    for result in page.data:
        result = {**result, "explanation": dict(result.get("explanation") or {})}
        if result.get("region"):
            result["region"] = {**result["region"], "label": label(result["region"]["iri"], result["region"].get("label"))}
        explanation = result["explanation"]
        if explanation.get("shared_concepts"):
            explanation["shared_concepts"] = [{**c, "label": label(c["iri"], c.get("label"))}
                                              for c in explanation["shared_concepts"]]
        if understood is not None and "understood" in explanation:
            explanation["understood"] = understood["summary"]
        data.append(result)
    return MatchPage(data, page.count, understood)
