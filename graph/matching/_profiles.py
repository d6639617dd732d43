"""Supply and demand profiles: what the matcher knows about each organisation, offer and request.

Why profiles of passages rather than one text: MiniLM reads at most 256 word pieces, and an
organisation with ten projects is ten different competences. A profile keeps its passages
(offers, competences, each project objective) separately; dense retrieval scores a profile by
its best passage, BM25 by the whole text.

>>> from graph.store import GraphStore
>>> build_profiles(GraphStore(None), "supply").profiles
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pyoxigraph as ox

from graph.matching import _profile_queries as q
from graph.store import GraphStore
from graph.views import is_placeholder
from ontology._namespaces import DCTERMS, IG, ORG, ROV, SKOS, VOCAB

Direction = Literal["supply", "demand"]
ORG_KIND_PREFIX = f"{VOCAB}org-kind/"
TRL_PREFIX = f"{VOCAB}trl/"
MAX_PROJECTS = 12
MAX_PASSAGE_CHARS = 1500

_P = {
    str(SKOS.prefLabel): "label", str(ROV.legalName): "legal", str(IG.kind): "kind", str(IG.region): "region",
    str(IG.country): "country", str(DCTERMS.description): "description", str(IG.field): "fields",
    str(IG.sector): "sectors", str(IG.isSME): "sme", str(IG.illustrative): "illustrative",
    str(ORG.unitOf): "parent", str(DCTERMS.title): "title", str(IG.trl): "trl", str(IG.desiredTrl): "trl",
    str(IG.keyword): "keywords", str(IG.iprStatus): "ipr", str(IG.status): "status", str(IG.expires): "expires",
}
#: The record status a member's offer or request must have to be matched (graph.records);
#: records loaded from source files carry none and are matched.
PUBLISHED = f"{VOCAB}record-status/published"
_MULTI = {"fields", "sectors", "keywords", "label"}


@dataclass
class Profile:
    """One matchable thing: an organisation (or unit), an offer or a request."""

    iri: str
    name: str
    kind: str  # org-kind notation (sme, HES, research-unit ...) or "offer" / "request"
    passages: list[str]
    organisation: str  # the organisation itself, or the owner of an offer/request
    region: str | None = None
    country: str | None = None
    trl: int | None = None
    fields: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    illustrative: bool = False
    expires: str | None = None  # ISO date after which the record leaves matching (members' records)

    @property
    def text(self) -> str:
        return "\n".join(self.passages)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ProfileSet:
    direction: Direction
    profiles: list[Profile]


def _facts(rows: Any, subject: str = "org") -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        key = _P.get(row["p"].value)
        if key is not None:
            out[row[subject].value][key].append(row["o"].value)
    return out


def _display_name(facts: dict[str, Any], iri: str) -> str:
    if facts.get("legal"):
        return str(facts["legal"][0])
    labels = sorted(facts.get("label", []), key=lambda label: (is_placeholder(label), label))
    return labels[0] if labels else iri.rsplit("/", 1)[-1]


def _first(facts: dict[str, Any], key: str) -> str | None:
    values = facts.get(key)
    return str(values[0]) if values else None


def _trl(value: str | None) -> int | None:
    return int(value[len(TRL_PREFIX):]) if value and value.startswith(TRL_PREFIX) else None


def _concept_labels(store: GraphStore) -> dict[str, str]:
    """English and Romanian labels of every concept: Romanian needs meet CAEN and NUTS labels."""
    labels: dict[str, list[str]] = defaultdict(list)
    for row in store.select(q.CONCEPT_LABELS):
        if row["label"].value not in labels[row["c"].value]:
            labels[row["c"].value].append(row["label"].value)
    return {c: " / ".join(values) for c, values in labels.items()}


def is_live(facts: dict[str, Any], today: str) -> bool:
    """Whether an offer or request takes part in matching: published (or loaded without a status), not expired."""
    status, expires = _first(facts, "status"), _first(facts, "expires")
    return status in (None, PUBLISHED) and (expires is None or expires >= today)


def item_profile(
    iri: str, facts: dict[str, Any], owner: str, owner_facts: dict[str, Any], direction: Direction,
    concept_text: Callable[[list[str]], str],
) -> Profile:
    """The profile of one offer (supply) or request (demand): one passage, the owner's place as fallback."""
    passage = ". ".join(
        filter(None, [_first(facts, "title"), _first(facts, "description"), ", ".join(facts.get("keywords", [])),
                      concept_text(facts.get("sectors", [])), concept_text(facts.get("fields", []))])
    )
    return Profile(
        iri=iri, name=_first(facts, "title") or iri, kind="offer" if direction == "supply" else "request",
        passages=[passage], organisation=owner,
        region=_first(facts, "region") or _first(owner_facts, "region"),
        country=_first(owner_facts, "country"), trl=_trl(_first(facts, "trl")),
        fields=list(facts.get("fields", [])), sectors=list(facts.get("sectors", [])),
        illustrative=_first(facts, "illustrative") == "true", expires=_first(facts, "expires"),
    )


def build_profiles(store: GraphStore, direction: Direction) -> ProfileSet:
    """Read every supply (or demand) profile from the union of all graphs."""
    orgs = _facts(store.select(q.ORG_FACTS))
    labels = _concept_labels(store)
    item_rows = list(store.select(q.OFFERS_AND_REQUESTS))
    items = _facts(item_rows, subject="item")
    item_meta = {row["item"].value: (row["type"].value, row["owner"].value) for row in item_rows}
    wanted_type = str(IG.TechnologyOffer if direction == "supply" else IG.TechnologyRequest)

    def concept_text(iris: list[str]) -> str:
        return ", ".join(labels[i] for i in iris if i in labels)

    profiles: list[Profile] = []
    owner_passages: dict[str, list[str]] = defaultdict(list)
    today = date.today().isoformat()
    for iri, facts in sorted(items.items()):
        item_type, owner = item_meta[iri]
        if item_type != wanted_type or not is_live(facts, today):
            continue
        profile = item_profile(iri, facts, owner, orgs.get(owner, {}), direction, concept_text)
        owner_passages[owner].append(profile.passages[0])
        profiles.append(profile)
    competences: dict[str, list[str]] = defaultdict(list)
    for row in store.select(q.ORG_COMPETENCES):
        competences[row["org"].value].append(row["label"].value)
    projects: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if direction == "supply":
        for row in store.select(q.ORG_PROJECT_TEXTS):
            text = ". ".join(v.value for v in (row["title"], row["objective"]) if v is not None)
            start = row["start"].value if row["start"] is not None else ""
            projects[row["org"].value].append((start, text[:MAX_PASSAGE_CHARS]))
    askers = {owner for item_type, owner in item_meta.values() if item_type == str(IG.TechnologyRequest)}
    for iri, facts in sorted(orgs.items()):
        org_profile = organisation_profile(iri, facts, direction, competences[iri], projects[iri], owner_passages[iri],
                                       iri in askers, concept_text)
        if org_profile is not None:
            profiles.append(org_profile)
    return ProfileSet(direction, profiles)


def organisation_profile(
    iri: str, facts: dict[str, Any], direction: Direction, competences: list[str], projects: list[tuple[str, str]],
    item_passages: list[str], asks: bool, concept_text: Callable[[list[str]], str],
) -> Profile | None:
    """The supply (or demand) profile of one organisation; None when it has nothing to match on.

    ``projects`` are (start date, text) of its projects, ``item_passages`` the passages of its live
    offers (supply) or requests (demand) in IRI order, ``asks`` whether it has any request at all.
    One function for the full build and for one organisation's edit in place
    (``organisation_profile_of``), so both give the same profile.
    """
    kind = (_first(facts, "kind") or "").removeprefix(ORG_KIND_PREFIX)
    is_sme = kind == "sme" or _first(facts, "sme") == "true"
    if direction == "demand" and not (is_sme and item_passages):
        return None
    if direction == "supply" and asks and not (item_passages or projects or competences):
        return None  # an organisation known only by its needs supplies nothing: it must not match its own need
    head = ". ".join(
        # every description (a source's and the member's own, PATCH /organisations/{id}) and the member's competences
        filter(None, [_display_name(facts, iri), " ".join(sorted(set(facts.get("description", [])))),
                      ", ".join([*competences, *sorted(set(facts.get("keywords", [])))]),
                      concept_text(facts.get("sectors", [])), concept_text(facts.get("fields", []))])
    )
    own = [text for _, text in sorted(set(projects), reverse=True)[:MAX_PROJECTS]]
    has_head = bool(_first(facts, "description") or competences or facts.get("keywords") or facts.get("sectors")
                    or facts.get("fields"))
    passages = [head] if has_head else []
    passages += [*item_passages, *own]
    if not passages:
        return None  # a bare name is nothing to match on
    if not has_head:
        passages[0] = f"{_display_name(facts, iri)}. {passages[0]}"
    return Profile(
        iri=iri, name=_display_name(facts, iri), kind=kind or "unknown", passages=passages,
        organisation=iri, region=_first(facts, "region"), country=_first(facts, "country"),
        fields=list(facts.get("fields", [])), sectors=list(facts.get("sectors", [])),
        illustrative=_first(facts, "illustrative") == "true",
    )


def organisation_profile_of(store: GraphStore, org: ox.NamedNode, direction: Direction) -> tuple[Profile | None, list[Profile]]:
    """One organisation's profile read from the store, and the profiles of its live offers (or requests).

    What ``build_profiles`` gives for it, with queries bound to the organisation (milliseconds,
    not the seconds of a full read): the in-place path of ``PATCH /organisations/{id}``
    (``graph.records._follow``).
    """
    facts = _facts(store.select(q.ORG_FACTS, {"org": org})).get(org.value)
    if facts is None:
        return None, []
    labels: dict[str, str] = {}

    def concept_text(iris: list[str]) -> str:
        for concept in iris:
            if concept not in labels:
                found: list[str] = []
                for row in store.select(q.CONCEPT_LABELS, {"c": ox.NamedNode(concept)}):
                    if row["label"].value not in found:
                        found.append(row["label"].value)
                labels[concept] = " / ".join(found)
        return ", ".join(labels[i] for i in iris if labels.get(i))

    item_rows = list(store.select(q.OFFERS_AND_REQUESTS, {"owner": org}))
    items = _facts(item_rows, subject="item")
    types = {row["item"].value: row["type"].value for row in item_rows}
    wanted_type = str(IG.TechnologyOffer if direction == "supply" else IG.TechnologyRequest)
    today = date.today().isoformat()
    own_items = [item_profile(iri, item, org.value, facts, direction, concept_text)
                 for iri, item in sorted(items.items()) if types[iri] == wanted_type and is_live(item, today)]
    competences = [row["label"].value for row in store.select(q.ORG_COMPETENCES, {"org": org})]
    projects: list[tuple[str, str]] = []
    if direction == "supply":
        for row in store.select(q.ORG_PROJECT_TEXTS_OF, {"org": org}):
            text = ". ".join(v.value for v in (row["title"], row["objective"]) if v is not None)
            projects.append((row["start"].value if row["start"] is not None else "", text[:MAX_PASSAGE_CHARS]))
    asks = str(IG.TechnologyRequest) in types.values()
    profile = organisation_profile(org.value, facts, direction, competences, projects,
                                   [p.passages[0] for p in own_items], asks, concept_text)
    return profile, own_items
