"""The raw material of the collaboration network, read from the store once per generation.

Why arrays read by one-pattern scans: the network needs every participation (145k on the
bundled data), every organisation's kind, country, region, fields and sectors, and each
project's start year, programme parts and fields. one ``SELECT ?s ?o`` per predicate reads
them in a few seconds with no join; the same as SPARQL joins took several times longer. Filtered
networks (``graph.network._analytics``) are then built from these arrays with numpy and scipy
in well under a second, so a new combination of filters never goes back to the store.

Partnerships (``org:OrganizationalCollaboration`` with ``org:Membership``) are links like
projects: their members are linked to each other. They have no start date and no EC money.

>>> from graph.store import PROVENANCE_GRAPH, Generation, GraphStore
>>> len(NetworkData.from_store(GraphStore(None)).orgs)
0
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pyoxigraph as ox

from graph.store import PROVENANCE_GRAPH, Generation, GraphStore
from graph.views import Concepts, choose, store_vocabularies
from ontology import entity_prefix, organisation_id
from ontology._namespaces import EURIO, GRAPH, IG, ORG, RDF, ROV, SKOS, VOCAB
from ontology._vocab import Vocabularies, vocabularies

log = logging.getLogger(__name__)

_T = {name: ox.NamedNode(str(term)) for name, term in {
    "type": RDF.type, "organization": ORG.Organization, "pref": SKOS.prefLabel, "legal": ROV.legalName, "alt": SKOS.altLabel,
    "kind": IG.kind, "country": IG.country, "region": IG.region, "sme": IG.isSME, "field": IG.field,
    "sector": IG.sector, "participant": IG.participant, "in_project": IG.inProject, "ec": IG.ecContribution,
    "start": EURIO.startDate, "funded": IG.fundedUnder, "member": ORG.member, "member_of": ORG.organization,
    "notation": SKOS.notation, "cordis_record": IG.cordisRecord,
}.items()}
KIND_PREFIX = f"{VOCAB}org-kind/"


#: Runs that can change the network: every PROV run but a member's change to an offer or a request
#: (those are not in the network). Built from constants only.
NETWORK_RUNS = f"""
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX ig: <{IG._NS}>
SELECT (COUNT(?run) AS ?runs) (MAX(STR(?ended)) AS ?last) WHERE {{
  GRAPH {PROVENANCE_GRAPH} {{
    ?run prov:endedAtTime ?ended
    FILTER NOT EXISTS {{
      ?run ig:changedRecord ?item
      FILTER(STRSTARTS(STR(?item), "{entity_prefix("offer")}") || STRSTARTS(STR(?item), "{entity_prefix("request")}"))
    }}
  }}
}}
"""


_MEMBER_GRAPHS = f"{GRAPH}member/"  # members' own graphs (graph.records)


def network_generation(store: GraphStore) -> Generation:
    """The store generation as the network sees it: a member's offer or request does not change it.

    Why: members publish and edit records all day; with the full store generation each write
    would make the next /match with an organisation context, or the next /network call, rebuild
    the network of ~145k participations (16-20 s on the bundled data, ``bench_network.py``).
    A member's organisation edit (region, fields) and every ingest still count; so does a new
    named graph, except members' own graphs (their first record creates one).
    """
    rows = list(store.oxigraph.query(NETWORK_RUNS))  # type: ignore[arg-type]
    runs = int(rows[0]["runs"].value) if rows else 0
    last = rows[0]["last"] if rows else None
    graphs = sum(1 for g in store.oxigraph.named_graphs()
                 if isinstance(g, ox.NamedNode) and not g.value.startswith(_MEMBER_GRAPHS))
    return runs, last.value if last is not None else "", graphs


@dataclass
class NetworkData:
    """Organisations (vertex ids 0..n-1), links (projects, partnerships) and who takes part in what."""

    orgs: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)  # org-kind notation (PRC, sme, university ...)
    countries: list[str | None] = field(default_factory=list)  # CORDIS two-letter code
    regions: list[str | None] = field(default_factory=list)  # NUTS IRI, any level
    sme: list[bool] = field(default_factory=list)
    org_concepts: list[frozenset[str]] = field(default_factory=list)  # fields and sectors
    links: list[str] = field(default_factory=list)
    link_index: dict[str, int] = field(default_factory=dict)
    link_is_partnership: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    link_year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # 0: unknown
    link_concepts: list[frozenset[str]] = field(default_factory=list)  # fields and programme parts
    #: one row per (organisation, link): who takes part, with the EU money it received there
    inc_org: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    inc_link: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    inc_ec: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    concepts: Concepts = field(default_factory=Concepts)
    #: programme notation (SC2, LEIT ...) -> programme IRI, for the field filter
    programmes: dict[str, str] = field(default_factory=dict)
    #: the store's code lookup when built (``graph.views.store_vocabularies``): what filters resolve against
    vocab: Vocabularies = field(default_factory=vocabularies)

    @classmethod
    def from_store(cls, store: GraphStore) -> NetworkData:
        started = time.perf_counter()
        ox_store = store.oxigraph
        data = cls(concepts=Concepts.from_store(store), vocab=store_vocabularies(store))

        def scan(predicate: str, obj: ox.NamedNode | None = None) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
            """(subject, object) of one predicate over all graphs: a one-pattern SELECT (35% faster here
            than ``quads_for_pattern``, which builds a Quad per row)."""
            solutions = ox_store.query(f"SELECT ?s ?o WHERE {{ ?s <{_T[predicate].value}> ?o }}",
                                       use_default_graph_as_union=True,
                                       substitutions={ox.Variable("o"): obj} if obj is not None else None)
            return [(row[0].value, row[1]) for row in solutions]  # type: ignore[union-attr]

        for iri, _ in scan("type", _T["organization"]):
            if iri not in data.index:
                data.index[iri] = len(data.orgs)
                data.orgs.append(iri)
        n = len(data.orgs)
        data.kinds, data.countries, data.regions = [None] * n, [None] * n, [None] * n
        data.sme = [False] * n
        names: dict[int, set[tuple[int, str, str]]] = defaultdict(set)
        for rank, predicate in enumerate(("pref", "legal", "alt")):
            for subject, obj in scan(predicate):
                i = data.index.get(subject)
                if i is not None and isinstance(obj, ox.Literal):
                    names[i].add((rank, obj.language or "", obj.value))
        # rank 2 = skos:altLabel: names that lost a precedence, demoted by the one rule (graph.views._labels.choose)
        data.labels = [
            choose(sorted(names[i]), frozenset(x[2] for x in names[i] if x[0] == 2)) if names[i] else data.orgs[i]
            for i in range(n)
        ]
        notations = data.concepts.notations
        for subject, obj in scan("kind"):
            i = data.index.get(subject)
            if i is not None and data.kinds[i] is None:
                data.kinds[i] = obj.value.removeprefix(KIND_PREFIX)
        for subject, obj in scan("country"):
            i = data.index.get(subject)
            if i is not None and data.countries[i] is None:
                data.countries[i] = notations.get(obj.value)
        for subject, obj in scan("region"):
            i = data.index.get(subject)
            if i is not None:  # the most precise region when several are stated
                current = data.regions[i]
                if current is None or len(current) < len(obj.value):
                    data.regions[i] = obj.value
        for subject, obj in scan("sme"):
            i = data.index.get(subject)
            if i is not None and obj.value == "true":
                data.sme[i] = True
        concepts_of: dict[str, set[str]] = defaultdict(set)
        for predicate in ("field", "sector", "funded"):
            for subject, obj in scan(predicate):
                concepts_of[subject].add(obj.value)
        data.org_concepts = [frozenset(concepts_of.get(iri, ())) for iri in data.orgs]
        data._read_links(scan, concepts_of)
        # programme parts are not SKOS concepts: read their notations (SC2, LEIT ...) here
        for programme in sorted({obj.value for _, obj in scan("funded")}):
            for quad in ox_store.quads_for_pattern(ox.NamedNode(programme), _T["notation"], None, None):
                data.programmes.setdefault(quad.object.value.upper(), programme)  # type: ignore[union-attr]
        log.info("network data: %d organisations, %d links, %d participations in %.2f s",
                 len(data.orgs), len(data.links), len(data.inc_org), time.perf_counter() - started)
        return data

    def _read_links(self, scan, concepts_of: dict[str, set[str]]) -> None:  # type: ignore[no-untyped-def]
        """Participations (with EC money) and memberships become (organisation, link) rows."""
        ec_of: dict[str, float] = {}
        for subject, obj in scan("ec"):
            ec_of[subject] = max(ec_of.get(subject, 0.0), _amount(obj))
        part_org = {subj: obj.value for subj, obj in scan("participant")}
        part_project = {subj: obj.value for subj, obj in scan("in_project")}
        pairs: dict[tuple[int, int], float] = {}
        partnerships: set[str] = set()

        def link(iri: str) -> int:
            j = self.link_index.get(iri)
            if j is None:
                j = self.link_index[iri] = len(self.links)
                self.links.append(iri)
            return j

        for part, org in part_org.items():
            i, project = self.index.get(org), part_project.get(part)
            if i is not None and project is not None:
                key = (i, link(project))
                pairs[key] = pairs.get(key, 0.0) + ec_of.get(part, 0.0)
        # a partnership member also reaches the projects of its CORDIS record (ig:cordisRecord, the reviewed
        # data/union-of-innovation/cordis_links.csv); the EC money stays with the record, never counted twice
        for member, record in scan("cordis_record"):
            i, r = self.index.get(member), self.index.get(record.value)
            if i is not None and r is not None:
                for j in [key[1] for key in pairs if key[0] == r]:
                    pairs.setdefault((i, j), 0.0)
        member_org = {subj: obj.value for subj, obj in scan("member")}
        for subject, obj in scan("member_of"):
            i = self.index.get(member_org.get(subject, ""))
            if i is not None:
                partnerships.add(obj.value)
                pairs.setdefault((i, link(obj.value)), 0.0)
        years = {subj: _year(obj.value) for subj, obj in scan("start")}
        self.link_is_partnership = np.array([iri in partnerships for iri in self.links], dtype=bool)
        self.link_year = np.array([years.get(iri, 0) for iri in self.links], dtype=np.int32)
        self.link_concepts = [frozenset(concepts_of.get(iri, ())) for iri in self.links]
        keys = sorted(pairs)
        self.inc_org = np.array([k[0] for k in keys], dtype=np.int32)
        self.inc_link = np.array([k[1] for k in keys], dtype=np.int32)
        self.inc_ec = np.array([pairs[k] for k in keys], dtype=np.float64)

    def org_id(self, i: int) -> str:
        """The API id of vertex ``i`` (``osim``, ``pic/999918293``)."""
        return organisation_id(self.orgs[i]) or self.orgs[i]

    def region_code(self, i: int) -> str | None:
        region = self.regions[i]
        return self.concepts.notations.get(region) if region else None


def _amount(term: object) -> float:
    try:
        return float(Decimal(getattr(term, "value", "")))
    except (InvalidOperation, ValueError):
        return 0.0


def _year(value: str) -> int:
    return int(value[:4]) if value[:4].isdigit() else 0
