"""The facts the regional indicators are computed from, read from the store once per generation.

Why a read of its own and not ``graph._network_data.NetworkData``: the network joins a
partnership member to the projects of its CORDIS record (``ig:cordisRecord``) and sums the
EC money per (organisation, project), both right for paths between organisations and wrong
for counting: an agency counts each participation once, with the amount stated for it, and
each organisation as itself. The read is the same kind (one-pattern ``SELECT ?s ?o`` per
predicate, no join), so it costs a few seconds on the full bundled data, once per generation.

What is kept, for every organisation that is located somewhere in the NUTS vocabulary (its
``ig:region`` and every region above it, or, without any region, the country that a NUTS
region is an ``skos:exactMatch`` of: Romania for ``RO``) and for every partner of one:
places, country, kinds; projects with their start and end years; participations with their
EC contribution; partnership memberships; offers and requests with their region and year.
Records marked ``ig:illustrative true`` are invented examples and are left out of every figure.

>>> from graph.store import GraphStore
>>> facts = indicator_facts(GraphStore(None))
>>> len(facts.participations), facts.years
(0, [])
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from graph.matching import Concepts
from graph.store import GraphStore, PerGeneration
from ontology._namespaces import DCTERMS, EURIO, IG, ORG, RDF, SKOS, VOCAB

KIND_PREFIX = f"{VOCAB}org-kind/"
UNKNOWN_KIND = "unknown"
NUTS_SCHEME = f"{VOCAB}nuts2021"
#: The date of an offer or request, in order of preference: when it was published (``dcterms:issued``),
#: else created (``dcterms:created``); the earliest when several are stated. Records without either are
#: counted in the all-years figures only.
RECORD_DATES = ("issued", "created")

_P = {name: str(term) for name, term in {
    "type": RDF.type, "region": IG.region, "country": IG.country, "kind": IG.kind,
    "illustrative": IG.illustrative, "participant": IG.participant, "in_project": IG.inProject,
    "ec": IG.ecContribution, "start": EURIO.startDate, "end": EURIO.endDate, "member": ORG.member,
    "member_of": ORG.organization, "offers": IG.offers, "needs": IG.needs, "exact": SKOS.exactMatch,
    "notation": SKOS.notation, "in_scheme": SKOS.inScheme, "issued": DCTERMS.issued, "created": DCTERMS.created,
}.items()}


@dataclass(frozen=True)
class Participation:
    """One ``ig:participant`` statement: who, in which project, with how much EU money (euro)."""

    org: str
    project: str
    ec: Decimal


@dataclass(frozen=True)
class Record:
    """An offer or a request: its kind, where it is counted (NUTS IRI or owner) and its year (0: no date)."""

    kind: str  # "offers" | "requests"
    iri: str
    owner: str
    region: str | None
    year: int


@dataclass
class IndicatorFacts:
    """Everything the indicators need, keyed by IRI; built by ``indicator_facts``."""

    concepts: Concepts = field(default_factory=Concepts)
    #: NUTS code -> its concept IRI, for every region of the vocabulary
    region_iris: dict[str, str] = field(default_factory=dict)
    #: organisation -> NUTS codes it counts for (its regions, the regions above them, or its country's code)
    places: dict[str, frozenset[str]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # organisation -> country notation (RO, DE ...)
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)  # organisation -> kind notations
    illustrative: frozenset[str] = frozenset()
    participations: list[Participation] = field(default_factory=list)
    project_years: dict[str, tuple[int, int]] = field(default_factory=dict)  # project -> (first, last year)
    project_members: dict[str, frozenset[str]] = field(default_factory=dict)  # project -> participants
    partnership_members: dict[str, frozenset[str]] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    #: the year axis: every year in which a dated project runs
    years: list[int] = field(default_factory=list)
    #: per-generation results of other modules (the supply-demand tables by NUTS level)
    extra: dict[str, object] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def kinds_of(self, org: str) -> frozenset[str]:
        return self.kinds.get(org) or frozenset({UNKNOWN_KIND})

    def record_place(self, record: Record) -> frozenset[str]:
        """A request counts at its own region when it states one, else (and an offer always) at its owner's."""
        if record.region is not None:
            return self.nuts_places(record.region)
        return self.places.get(record.owner, frozenset())

    def nuts_places(self, region_iri: str) -> frozenset[str]:
        notations = self.concepts.notations
        return frozenset(notations[r] for r in self.concepts.ancestors(region_iri) if r in notations)


def _scan(store: GraphStore, predicate: str, obj: str | None = None) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    """(subject, object) of one predicate (and object) over all graphs (see ``graph._network_data``)."""
    solutions = store.oxigraph.query(f"SELECT ?s ?o WHERE {{ ?s <{_P[predicate]}> ?o }}",
                                     use_default_graph_as_union=True,
                                     substitutions={ox.Variable("o"): ox.NamedNode(obj)} if obj else None)
    return [(row[0].value, row[1]) for row in solutions]  # type: ignore[union-attr]


def _decimal(term: object) -> Decimal:
    try:
        return Decimal(getattr(term, "value", ""))
    except InvalidOperation:
        return Decimal(0)


def _year(term: object) -> int:
    value = getattr(term, "value", "")
    return int(value[:4]) if value[:4].isdigit() else 0


def build_facts(store: GraphStore) -> IndicatorFacts:
    """Read the facts (a few seconds on the full bundled data); use ``indicator_facts`` for the cached copy."""
    facts = IndicatorFacts(concepts=Concepts.from_store(store))
    notations = facts.concepts.notations
    nuts = {s for s, _ in _scan(store, "in_scheme", NUTS_SCHEME)}
    facts.region_iris = {notations[iri]: iri for iri in nuts if iri in notations}
    country_region = {o.value: notations[s] for s, o in _scan(store, "exact") if s in nuts and s in notations}
    facts.illustrative = frozenset(s for s, o in _scan(store, "illustrative") if o.value in ("true", "1"))
    regions: dict[str, set[str]] = defaultdict(set)
    for subject, obj in _scan(store, "region"):
        if obj.value in nuts:
            regions[subject].add(obj.value)
    country_iri: dict[str, str] = {}
    for subject, obj in _scan(store, "country"):
        country_iri.setdefault(subject, obj.value)
        if obj.value in notations:
            facts.countries.setdefault(subject, notations[obj.value])
    kinds: dict[str, set[str]] = defaultdict(set)
    for subject, obj in _scan(store, "kind"):
        kinds[subject].add(obj.value.removeprefix(KIND_PREFIX))
    facts.kinds = {org: frozenset(k) for org, k in kinds.items()}
    orgs = {s for s, _ in _scan(store, "type", str(ORG.Organization))} - facts.illustrative
    for org in orgs:
        if org in regions:
            facts.places[org] = frozenset().union(*(facts.nuts_places(r) for r in regions[org]))
        elif country_iri.get(org) in country_region:
            facts.places[org] = frozenset({country_region[country_iri[org]]})
    _read_projects(store, facts, orgs)
    _read_records(store, facts, regions)
    return facts


def _read_projects(store: GraphStore, facts: IndicatorFacts, orgs: set[str]) -> None:
    ec: dict[str, Decimal] = {}
    for subject, obj in _scan(store, "ec"):
        amount = _decimal(obj)
        ec[subject] = max(ec.get(subject, amount), amount)
    part_project = {part: obj.value for part, obj in _scan(store, "in_project")}
    members: dict[str, set[str]] = defaultdict(set)
    for part, who in _scan(store, "participant"):
        link = part_project.get(part)
        if who.value in orgs and link is not None:
            facts.participations.append(Participation(who.value, link, ec.get(part, Decimal(0))))
            members[link].add(who.value)
    facts.project_members = {p: frozenset(m) for p, m in members.items()}
    starts: dict[str, int] = {}
    for project, obj in _scan(store, "start"):
        if _year(obj):
            starts[project] = min(starts.get(project, 9999), _year(obj))
    ends: dict[str, int] = {}
    for project, obj in _scan(store, "end"):
        if _year(obj):
            ends[project] = max(ends.get(project, 0), _year(obj))
    facts.project_years = {p: (y, max(ends.get(p, y), y)) for p, y in starts.items()}
    # the year axis: every year in which a dated project runs (the SPARQL queries count the same years)
    facts.years = sorted({y for first, last in facts.project_years.values() for y in range(first, last + 1)})
    membership_org = {s: o.value for s, o in _scan(store, "member")}
    partnerships: dict[str, set[str]] = defaultdict(set)
    for membership, partnership in _scan(store, "member_of"):
        member = membership_org.get(membership)
        if member is not None and member in orgs:
            partnerships[partnership.value].add(member)
    facts.partnership_members = {p: frozenset(m) for p, m in partnerships.items()}


def _read_records(store: GraphStore, facts: IndicatorFacts, regions: dict[str, set[str]]) -> None:
    years: dict[str, int] = {}
    for name in RECORD_DATES:
        dated: dict[str, int] = {}
        for subject, obj in _scan(store, name):
            if _year(obj):
                dated[subject] = min(dated.get(subject, 9999), _year(obj))
        years = dated | years  # a preferred date already read wins
    for kind, predicate in (("offers", "offers"), ("requests", "needs")):
        for owner, item in _scan(store, predicate):
            iri = item.value
            if iri in facts.illustrative or owner in facts.illustrative:
                continue
            own = sorted(regions.get(iri, ()), key=len)
            facts.records.append(Record(kind, iri, owner, own[-1] if own else None, years.get(iri, 0)))


_CACHE: weakref.WeakKeyDictionary[GraphStore, PerGeneration[IndicatorFacts]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def indicator_facts(store: GraphStore, build: Callable[[GraphStore], IndicatorFacts] = build_facts) -> IndicatorFacts:
    """The facts of the store's current generation, read once and kept until the next write."""
    with _CACHE_LOCK:
        cached = _CACHE.get(store)
        if cached is None:
            cached = _CACHE[store] = PerGeneration(build)
    return cached.get(store)
