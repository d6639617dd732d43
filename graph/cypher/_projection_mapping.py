"""The mapping from the ontology to the property graph, as data.

Why data and not code: the same tables generate the SPARQL that reads the store, the
embedded engine's DDL, Neo4j's constraints and indexes, and the README's mapping table,
so the four cannot drift apart. Conventions follow neosemantics (n10s) where they fit: one
label per class, relationship types from object properties in UPPER_SNAKE_CASE, literals
as properties in snake_case, the IRI of every node in ``iri``. Where n10s would keep an
n-ary resource as a node (``ig:Participation``, ``org:Membership``) the projection makes
it one relationship with the resource's literals as properties, because that is how
analysts ask ("who participates in what, with which role and money").

Each property is a SPARQL pattern binding ``?s`` and ``?o`` by triple patterns (members are
filtered afterwards, which is 3x faster than joining the member pattern into every
property query on 38k organisations); a relationship is a
SELECT of ``?from ?to`` plus one variable per property. Nothing here interpolates input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ontology import entity_prefix

CypherType = Literal["STRING", "INT64", "DOUBLE", "BOOLEAN", "DATE", "STRING[]"]

PREFIXES = """PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX igv: <https://w3id.org/innograph/vocab/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rov: <http://www.w3.org/ns/regorg#>
PREFIX eurio: <http://data.europa.eu/s66#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""


@dataclass(frozen=True)
class Prop:
    """One node or relationship property: its name, type, and where its value comes from."""

    name: str
    type: CypherType
    pattern: str  # SPARQL binding ?o from ?s (nodes); for relationships, a documentation string
    doc: str = ""
    label: bool = False  # a display label: pick by language (untagged, en, ro), real names first
    default: bool | str | None = None  # value when the pattern finds nothing (booleans never unknown, a status)
    iri_after: str | None = None  # computed from the IRI instead: the part after this prefix


@dataclass(frozen=True)
class ExtraLabel:
    """A second label Neo4j adds to nodes meeting ``where``; the embedded engine has one table per node."""

    label: str
    where: str  # Cypher predicate over ``n``, true for exactly the nodes that get the label


@dataclass(frozen=True)
class NodeSpec:
    label: str
    members: str  # SPARQL group pattern selecting ?s
    source: str  # the RDF class or scheme, for the mapping table
    props: tuple[Prop, ...]
    extra_labels: tuple[ExtraLabel, ...] = ()
    indexed: tuple[str, ...] = ("name",)


@dataclass(frozen=True)
class RelSpec:
    """A relationship type: from an object property (``pattern``: ``?s`` = start, ``?o`` = end), or
    from an n-ary resource (``via`` selects ``?s``, ``start`` and ``end`` reach its two ends, and
    ``props`` are its literals)."""

    type: str
    pairs: tuple[tuple[str, str], ...]  # allowed (from label, to label)
    source: str
    pattern: str = ""
    via: str = ""
    start: str = ""
    end: str = ""
    props: tuple[Prop, ...] = field(default_factory=tuple)


def _name(doc: str = "display name: skos:prefLabel, untagged then en then ro") -> Prop:
    return Prop("name", "STRING", "?s skos:prefLabel ?o", doc, label=True)


def _local_id(kind: str) -> Prop:
    prefix = entity_prefix(kind)  # the one IRI scheme (ontology)
    return Prop("id", "STRING", "", f"the IRI after {prefix} (the API's id)", iri_after=prefix)


#: A member's record's life cycle (``graph.records``): the stored status and the expiry date. Records
#: loaded from source files state neither and are published. "Expired" is not stored: it is a
#: published record whose ``expires`` is before today, a fact of the day the query runs, not of the
#: store the projection was built from, so Cypher asks for it with ``expires < date($today)``.
_RECORD_LIFE = (
    Prop("status", "STRING",
         '?s ig:status ?st BIND(STRAFTER(STR(?st), "https://w3id.org/innograph/vocab/record-status/") AS ?o)',
         "ig:status: draft, published or withdrawn as stored (published when absent: records from source files)",
         default="published"),
    Prop("expires", "DATE", "?s ig:expires ?o", "ig:expires: leaves matching after this date (published and "
         "`expires < date($today)` = expired)"),
)


def _concept(label: str, scheme: str, *extra: Prop, source: str | None = None) -> NodeSpec:
    return NodeSpec(
        label, f"?s skos:inScheme igv:{scheme} .", source or f"skos:Concept in igv:{scheme}",
        (Prop("code", "STRING", "?s skos:notation ?o", "skos:notation"), _name(),
         Prop("name_ro", "STRING", '?s skos:prefLabel ?o FILTER(LANG(?o) = "ro")', "Romanian prefLabel"), *extra),
        indexed=("name", "code"),
    )


_ORG_MEMBERS = "?s a org:Organization . FILTER NOT EXISTS { ?s a org:OrganizationalCollaboration }"

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "Organisation", _ORG_MEMBERS, "org:Organization (units too)",
        (
            _local_id("org"), _name("skos:prefLabel; a real name before an 'unnamed organisation, PIC 999...' placeholder"),
            Prop("legal_name", "STRING", "?s rov:legalName ?o", "rov:legalName", label=True),
            Prop("alt_names", "STRING[]", "?s skos:altLabel ?o", "skos:altLabel (short and Romanian names)"),
            Prop("pic", "STRING", "?s ig:pic ?o", "ig:pic"),
            Prop("short_name", "STRING", "?s ig:shortName ?o", "ig:shortName (CORDIS short name)"),
            Prop("placement_method", "STRING", "?s ig:placementMethod ?o",
                 "ig:placementMethod: how `nuts` was derived (coordinates, postcode, city)"),
            Prop("registration_number", "STRING", "?s ig:registrationNumber ?o", "ig:registrationNumber"),
            Prop("kind", "STRING", "?s ig:kind/skos:notation ?o", "ig:kind/skos:notation (sme, university, HES ...)"),
            Prop("country", "STRING", "?s ig:country/skos:notation ?o", "ig:country/skos:notation (RO, DE ...)"),
            Prop("nuts", "STRING", "?s ig:region/skos:notation ?o", "ig:region/skos:notation"),
            Prop("is_sme", "BOOLEAN",
                 '{ ?s ig:isSME ?o } UNION { ?s ig:kind <https://w3id.org/innograph/vocab/org-kind/sme> BIND(true AS ?o) }',
                 "ig:isSME, or true for kind sme"),
            Prop("is_unit", "BOOLEAN", "?s a org:OrganizationalUnit BIND(true AS ?o)",
                 "true for a org:OrganizationalUnit, else false", default=False),
            Prop("description", "STRING", "?s dcterms:description ?o", "dcterms:description"),
            Prop("homepage", "STRING", "?s foaf:homepage ?h BIND(STR(?h) AS ?o)", "foaf:homepage"),
            Prop("illustrative", "BOOLEAN", "?s ig:illustrative ?o", "ig:illustrative"),
        ),
        extra_labels=(ExtraLabel("SME", "n.is_sme = true"), ExtraLabel("ResearchUnit", "n.kind = 'research-unit'")),
        indexed=("name", "id", "pic", "country", "kind"),
    ),
    NodeSpec(
        "Partnership", "?s a org:OrganizationalCollaboration .", "org:OrganizationalCollaboration",
        (_local_id("partnership"), _name(),
         Prop("description", "STRING", "?s dcterms:description ?o", "dcterms:description"),
         Prop("objectives", "STRING[]", "?s ig:objective ?o", "ig:objective")),
    ),
    NodeSpec(
        "Project", "?s a eurio:Project .", "eurio:Project",
        (
            _local_id("project"), _name("skos:prefLabel ('H2020 project, <parts>, <years>, RCN n' when CORDIS gives no title)"),
            Prop("title", "STRING", "?s eurio:title ?o", "eurio:title"),
            Prop("acronym", "STRING", "?s ig:acronym ?o", "ig:acronym"),
            Prop("rcn", "STRING", "?s eurio:rcn ?o", "eurio:rcn"),
            Prop("grant_id", "STRING", "?s eurio:identifier ?o", "eurio:identifier (grant agreement)"),
            Prop("framework", "STRING", "?s ig:framework ?o", "ig:framework (H2020, HORIZON ...)"),
            Prop("start_date", "DATE", "?s eurio:startDate ?o", "eurio:startDate"),
            Prop("end_date", "DATE", "?s eurio:endDate ?o", "eurio:endDate"),
            Prop("ec_contribution", "DOUBLE", "?s ig:ecContribution ?o", "ig:ecContribution (EUR)"),
            Prop("total_cost", "DOUBLE", "?s ig:totalCost ?o", "ig:totalCost (EUR)"),
            Prop("objective", "STRING", "?s ig:objective ?o", "ig:objective"),
        ),
        indexed=("name", "id", "acronym", "rcn"),
    ),
    NodeSpec(
        "Programme", "?s a ig:FundingProgramme .", "ig:FundingProgramme",
        (Prop("code", "STRING", "?s skos:notation ?o", "skos:notation (LEIT, SC2 ...)"), _name()),
        indexed=("name", "code"),
    ),
    NodeSpec(
        "TechnologyOffer", "?s a ig:TechnologyOffer .", "ig:TechnologyOffer",
        (
            Prop("id", "STRING", "?s dcterms:identifier ?o", "dcterms:identifier"),
            Prop("name", "STRING", "?s dcterms:title ?o", "dcterms:title", label=True),
            Prop("description", "STRING", "?s dcterms:description ?o", "dcterms:description"),
            Prop("trl", "INT64", "?s ig:trl/rdf:value ?o", "ig:trl/rdf:value (1-9)"),
            Prop("ipr_status", "STRING", "?s ig:iprStatus/skos:notation ?o", "ig:iprStatus/skos:notation"),
            Prop("keywords", "STRING[]", "?s ig:keyword ?o", "ig:keyword"),
            Prop("illustrative", "BOOLEAN", "?s ig:illustrative ?o", "ig:illustrative"),
            *_RECORD_LIFE,
        ),
        indexed=("name", "id"),
    ),
    NodeSpec(
        "TechnologyRequest", "?s a ig:TechnologyRequest .", "ig:TechnologyRequest",
        (
            Prop("id", "STRING", "?s dcterms:identifier ?o", "dcterms:identifier"),
            Prop("name", "STRING", "?s dcterms:title ?o", "dcterms:title", label=True),
            Prop("description", "STRING", "?s dcterms:description ?o", "dcterms:description"),
            Prop("desired_trl", "INT64", "?s ig:desiredTrl/rdf:value ?o", "ig:desiredTrl/rdf:value (1-9)"),
            Prop("keywords", "STRING[]", "?s ig:keyword ?o", "ig:keyword"),
            Prop("illustrative", "BOOLEAN", "?s ig:illustrative ?o", "ig:illustrative"),
            *_RECORD_LIFE,
        ),
        indexed=("name", "id"),
    ),
    NodeSpec("Technology", "?s a ig:Technology .", "ig:Technology", (_name(),)),
    _concept("Region", "nuts2021",
             Prop("level", "INT64", "?s skos:notation ?n BIND(STRLEN(?n) - 2 AS ?o)", "NUTS level: length of code - 2"),
             Prop("lat", "DOUBLE", "?s geo:lat ?o", "geo:lat"), Prop("lon", "DOUBLE", "?s geo:long ?o", "geo:long"),
             source="skos:Concept in igv:nuts2021 (NUTS 2021)"),
    _concept("Country", "country", source="skos:Concept in igv:country (EU country table)"),
    _concept("Field", "euroscivoc", source="skos:Concept in igv:euroscivoc (EuroSciVoc)"),
    _concept("Sector", "nace2", source="skos:Concept in igv:nace2 (NACE Rev. 2)"),
    _concept("Kind", "org-kind", source="skos:Concept in igv:org-kind"),
    _concept("ActionArea", "action-area", source="skos:Concept in igv:action-area"),
)

_ORGS = ("Organisation",)
RELS: tuple[RelSpec, ...] = (
    RelSpec("LOCATED_IN", (("Organisation", "Region"), ("TechnologyRequest", "Region")), "ig:region",
            "?s ig:region ?o"),
    RelSpec("IN_COUNTRY", (("Organisation", "Country"), ("Region", "Country")),
            "ig:country; a region: skos:broader*/skos:exactMatch",
            "{ ?s ig:country ?o } UNION { ?s skos:inScheme igv:nuts2021 ; skos:broader* ?top . ?top skos:exactMatch ?o }"),
    RelSpec("PART_OF", (("Organisation", "Organisation"),), "org:unitOf", "?s org:unitOf ?o"),
    RelSpec(
        "PARTICIPATES_IN", (("Organisation", "Project"),), "ig:Participation: ig:participant -> ig:inProject",
        via="?s a ig:Participation", start="?s ig:participant ?o", end="?s ig:inProject ?o",
        props=(Prop("role", "STRING", "?s ig:participationRole/skos:notation ?o",
                    "ig:participationRole/skos:notation (coordinator, participant, partner ...)"),
               Prop("ec_contribution", "DOUBLE", "?s ig:ecContribution ?o", "ig:ecContribution (EUR to this participant)")),
    ),
    RelSpec(
        "MEMBER_OF", (("Organisation", "Partnership"),), "org:Membership: org:member -> org:organization",
        via="?s a org:Membership", start="?s org:member ?o", end="?s org:organization ?o",
        props=(Prop("role", "STRING", "?s org:role/skos:notation ?o", "org:role/skos:notation (member, initiator)"),),
    ),
    RelSpec("OFFERS", (("Organisation", "TechnologyOffer"),), "ig:offers", "?s ig:offers ?o"),
    RelSpec("NEEDS", (("Organisation", "TechnologyRequest"),), "ig:needs", "?s ig:needs ?o"),
    RelSpec("ABOUT", (("TechnologyOffer", "Technology"), ("TechnologyRequest", "Technology")), "ig:aboutTechnology",
            "?s ig:aboutTechnology ?o"),
    RelSpec("HAS_COMPETENCE", (("Organisation", "Technology"),), "ig:hasCompetence", "?s ig:hasCompetence ?o"),
    RelSpec("IN_FIELD", tuple((f, "Field") for f in
                              ("Organisation", "TechnologyOffer", "TechnologyRequest", "Project", "Technology")),
            "ig:field", "?s ig:field ?o"),
    RelSpec("IN_SECTOR", tuple((f, "Sector") for f in
                               ("Organisation", "TechnologyOffer", "TechnologyRequest", "Technology")),
            "ig:sector", "?s ig:sector ?o"),
    RelSpec("BROADER", (("Region", "Region"), ("Field", "Field"), ("Sector", "Sector")), "skos:broader",
            "?s skos:broader ?o"),
    RelSpec("FUNDED_UNDER", (("Project", "Programme"),), "ig:fundedUnder", "?s ig:fundedUnder ?o"),
    RelSpec("HAS_KIND", (("Organisation", "Kind"),), "ig:kind", "?s ig:kind ?o"),
    RelSpec("ACTS_IN", (("Partnership", "ActionArea"),), "ig:actionArea", "?s ig:actionArea ?o"),
    RelSpec("CORDIS_RECORD", (("Organisation", "Organisation"),), "ig:cordisRecord", "?s ig:cordisRecord ?o"),
)

#: Terms of the ontology deliberately not projected, and why (tests check every term is either here or mapped).
NOT_PROJECTED: dict[str, str] = {
    **{f"ig:{term}": "provenance of runs and updates: ask SPARQL (graph/provenance)" for term in (
        "IngestRun", "SourceGraph", "UpdateRun", "updateText", "recordsRead", "recordsWritten", "recordsRejected",
        "triplesWritten", "sourceHash", "sourceKind")},
    **{f"ig:{term}": "the change history of members' records: ask SPARQL or GET /offers/{id}/history" for term in (
        "RecordChange", "changedRecord")},
    "ig:Participation": "becomes the PARTICIPATES_IN relationship",
    "org:Membership": "becomes the MEMBER_OF relationship",
    "ig:evidence": "source passages stay in the RDF store (export, SPARQL)",
    "org:subOrganizationOf": "not written by any source yet",
    "org:hasSite": "sites and addresses are not written by any source yet",
    **{f"ig:{term}": "place details stay in the RDF store (organisation page, SPARQL); `nuts` and "
       "`placement_method` are projected" for term in ("latitude", "longitude", "placementEvidence", "unplacedReason")},
}


def node_spec(label: str) -> NodeSpec:
    return next(spec for spec in NODES if spec.label == label)
