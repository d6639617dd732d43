"""Namespaces and the terms innograph writes.

Why a typed class per namespace: ingest, graph queries and tests all name terms through
these constants, so a typo is an AttributeError at import time instead of a silently
empty SPARQL result. Reused vocabularies come first; ``IG`` holds only what none of
them covers (DESIGN section 4). Every ``IG`` term here is declared, labelled and
defined in ``ontology/innograph.ttl``; ``tests/ontology`` checks both directions.

>>> str(IG.TechnologyOffer)
'https://w3id.org/innograph/def#TechnologyOffer'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "BASE",
    "COUNTRY",
    "DCTERMS",
    "EURIO",
    "EUROSCIVOC",
    "FOAF",
    "GRAPH",
    "ID",
    "IG",
    "LOCN",
    "NACE",
    "NUTS",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "ROV",
    "SH",
    "SKOS",
    "VOCAB",
    "XSD",
]

BASE = "https://w3id.org/innograph/"

#: Instance IRIs (organisations, offers, projects ...), built from natural keys in ``ingest``.
ID = Namespace(BASE + "id/")
#: Named graphs, one per source, plus ``graph/provenance`` for the PROV records of runs.
GRAPH = Namespace(BASE + "graph/")
#: Our own SKOS concept schemes (TRL scale, organisation kinds, action areas, IPR status).
VOCAB = Namespace(BASE + "vocab/")

# Reused vocabularies (DESIGN section 4).
NUTS = Namespace("http://data.europa.eu/nuts/code/")
EUROSCIVOC = Namespace("http://data.europa.eu/8mn/euroscivoc/")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
SH = Namespace("http://www.w3.org/ns/shacl#")


class ORG(DefinedNamespace):
    """W3C Organization Ontology terms we use (https://www.w3.org/TR/vocab-org/)."""

    _NS = Namespace("http://www.w3.org/ns/org#")
    _fail = True

    Organization: URIRef  # any organisation of the partnership, CORDIS participant, SME
    FormalOrganization: URIRef  # legally recognised organisation
    OrganizationalUnit: URIRef  # research unit, directorate: part of an organisation
    OrganizationalCollaboration: URIRef  # partnership, consortium
    Membership: URIRef  # n-ary link member -> collaboration with a role
    Role: URIRef  # role of a member in a membership
    Site: URIRef  # an office or premises
    subOrganizationOf: URIRef
    unitOf: URIRef  # unit -> organisation it belongs to
    hasMembership: URIRef
    member: URIRef  # membership -> agent
    organization: URIRef  # membership -> collaboration
    role: URIRef  # membership -> role
    classification: URIRef  # organisation -> kind concept
    identifier: URIRef
    hasSite: URIRef
    siteAddress: URIRef
    purpose: URIRef  # collaboration -> objective / action area concept


class ROV(DefinedNamespace):
    """W3C Registered Organization Vocabulary (legal identity, registration)."""

    _NS = Namespace("http://www.w3.org/ns/regorg#")
    _fail = True

    RegisteredOrganization: URIRef
    registration: URIRef
    legalName: URIRef


class LOCN(DefinedNamespace):
    """ISA Location Core vocabulary (addresses of sites)."""

    _NS = Namespace("http://www.w3.org/ns/locn#")
    _fail = True

    Address: URIRef
    fullAddress: URIRef
    postName: URIRef
    adminUnitL1: URIRef
    address: URIRef  # organisation -> its postal address (locn:Address)
    thoroughfare: URIRef  # street and number of an address
    postCode: URIRef  # postal code of an address, as the source writes it


class EURIO(DefinedNamespace):
    """EUropean Research Information Ontology (CORDIS) terms we reuse."""

    _NS = Namespace("http://data.europa.eu/s66#")
    _fail = True

    Project: URIRef
    FundingScheme: URIRef
    title: URIRef
    rcn: URIRef
    identifier: URIRef
    startDate: URIRef
    endDate: URIRef


class IG(DefinedNamespace):
    """innograph's own terms: only what no reused vocabulary covers."""

    _NS = Namespace(BASE + "def#")
    _fail = True

    # --- classes
    Technology: URIRef  # a technology or competence an organisation masters
    TechnologyOffer: URIRef  # supply: a technology or service offered for transfer
    TechnologyRequest: URIRef  # demand: a need for technology expressed by an organisation
    Participation: URIRef  # n-ary: organisation takes part in project with role and EC contribution
    FundingProgramme: URIRef  # programme or programme part (H2020 SC4, LEIT ...)
    IngestRun: URIRef  # a PROV activity: one run of one source through the pipeline
    SourceGraph: URIRef  # a PROV entity: the named graph a run wrote
    UpdateRun: URIRef  # a PROV activity: one SPARQL update or Graph Store write through the API
    RecordChange: URIRef  # a PROV activity: one member's or editor's change to an offer, request or profile

    # --- organisations
    kind: URIRef  # organisation -> organisation kind concept (subproperty of org:classification)
    region: URIRef  # anything located -> NUTS concept (any level)
    country: URIRef  # anything located -> country concept (EU authority table)
    pic: URIRef  # EU Participant Identification Code
    registrationNumber: URIRef  # national trade-register number
    isSME: URIRef  # boolean, as declared in CORDIS
    shortName: URIRef  # organisation -> short name or acronym, as declared in CORDIS
    cordisRecord: URIRef  # organisation -> the CORDIS organisation node (by PIC) that is the same body
    latitude: URIRef  # anything located -> WGS84 latitude (decimal degrees)
    longitude: URIRef  # anything located -> WGS84 longitude (decimal degrees)
    placementMethod: URIRef  # organisation -> how its ig:region was found (coordinates, postcode, city)
    placementEvidence: URIRef  # organisation -> the fact its ig:region was found from, in words
    unplacedReason: URIRef  # organisation -> why no county could be found for it
    field: URIRef  # anything -> EuroSciVoc field of science
    sector: URIRef  # anything -> NACE Rev.2 concept
    hasCompetence: URIRef  # organisation -> Technology

    # --- offers and requests
    offers: URIRef  # organisation -> TechnologyOffer
    needs: URIRef  # organisation -> TechnologyRequest
    aboutTechnology: URIRef  # offer/request -> Technology
    trl: URIRef  # offer -> TRL concept (level reached)
    desiredTrl: URIRef  # request -> TRL concept (minimum level wanted)
    iprStatus: URIRef  # offer -> IPR status concept
    keyword: URIRef  # offer/request/technology -> free-text keyword
    illustrative: URIRef  # boolean: record is an illustrative example, not real data
    status: URIRef  # offer/request -> record-status concept (draft, published, expired, withdrawn)
    expires: URIRef  # offer/request -> xsd:date after which it leaves matching unless renewed
    changedRecord: URIRef  # RecordChange -> the offer, request or organisation it changed

    # --- projects
    participant: URIRef  # participation -> organisation
    inProject: URIRef  # participation -> project
    participationRole: URIRef  # participation -> role concept (coordinator, participant ...)
    ecContribution: URIRef  # participation or project -> EUR decimal
    objective: URIRef  # project or partnership -> objective text
    fundedUnder: URIRef  # project -> FundingProgramme
    framework: URIRef  # project -> framework programme label (H2020, HORIZON, FP7)
    acronym: URIRef  # project -> acronym (EURIO models acronyms as resources)
    totalCost: URIRef  # project -> total cost in EUR (EURIO's hasTotalCost is an object property)

    # --- partnerships
    actionArea: URIRef  # partnership -> action area concept
    evidence: URIRef  # any record -> verbatim passage of the source text it comes from

    # --- provenance counts
    recordsRead: URIRef
    recordsWritten: URIRef
    recordsRejected: URIRef
    triplesWritten: URIRef
    sourceHash: URIRef  # sha256 of the source file(s)
    sourceKind: URIRef  # tabular, rdf, cordis-composite, cordis-h2020, vocabulary, ontology
    updateText: URIRef  # the SPARQL update (or Graph Store operation) an update run executed


#: Prefixes predeclared for SPARQL and used when serialising.
PREFIXES: dict[str, str] = {
    "ig": str(IG._NS),
    "id": str(ID),
    "igv": str(VOCAB),
    "org": str(ORG._NS),
    "rov": str(ROV._NS),
    "locn": str(LOCN._NS),
    "eurio": str(EURIO._NS),
    "nuts": str(NUTS),
    "esv": str(EUROSCIVOC),
    "nace": str(NACE),
    "country": str(COUNTRY),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}
