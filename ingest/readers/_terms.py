"""The ontology's terms as pyoxigraph nodes, built once.

Why a second form of ``ontology._namespaces``: readers emit millions of triples and
converting rdflib ``URIRef`` values to ``pyoxigraph.NamedNode`` per triple costs seconds.
"""

from __future__ import annotations

import pyoxigraph as ox

from ontology._namespaces import DCTERMS, EURIO, FOAF, IG, ORG, PROV, RDF, RDFS, ROV, SKOS, VOCAB, XSD


def n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


TYPE = n(RDF.type)
LABEL = n(RDFS.label)
PREF_LABEL = n(SKOS.prefLabel)
ALT_LABEL = n(SKOS.altLabel)
NOTATION = n(SKOS.notation)
D_TITLE = n(DCTERMS.title)
D_DESCRIPTION = n(DCTERMS.description)
D_IDENTIFIER = n(DCTERMS.identifier)
D_SOURCE = n(DCTERMS.source)
D_CREATED = n(DCTERMS.created)
HOMEPAGE = n(FOAF.homepage)

ORGANIZATION = n(ORG.Organization)
UNIT = n(ORG.OrganizationalUnit)
COLLABORATION = n(ORG.OrganizationalCollaboration)
MEMBERSHIP = n(ORG.Membership)
UNIT_OF = n(ORG.unitOf)
MEMBER = n(ORG.member)
MEMBER_OF_ORG = n(ORG.organization)
ROLE = n(ORG.role)
REGISTERED_ORG = n(ROV.RegisteredOrganization)
LEGAL_NAME = n(ROV.legalName)

PROJECT = n(EURIO.Project)
E_TITLE = n(EURIO.title)
E_ACRONYM = n(IG.acronym)
E_RCN = n(EURIO.rcn)
E_IDENTIFIER = n(EURIO.identifier)
E_START = n(EURIO.startDate)
E_END = n(EURIO.endDate)
E_TOTAL_COST = n(IG.totalCost)

TECHNOLOGY = n(IG.Technology)
OFFER = n(IG.TechnologyOffer)
REQUEST = n(IG.TechnologyRequest)
PARTICIPATION = n(IG.Participation)
PROGRAMME = n(IG.FundingProgramme)
KIND = n(IG.kind)
REGION = n(IG.region)
COUNTRY_P = n(IG.country)
PIC = n(IG.pic)
REG_NUMBER = n(IG.registrationNumber)
IS_SME = n(IG.isSME)
FIELD = n(IG.field)
SECTOR = n(IG.sector)
HAS_COMPETENCE = n(IG.hasCompetence)
OFFERS = n(IG.offers)
NEEDS = n(IG.needs)
TRL = n(IG.trl)
DESIRED_TRL = n(IG.desiredTrl)
IPR = n(IG.iprStatus)
KEYWORD = n(IG.keyword)
ILLUSTRATIVE = n(IG.illustrative)
PARTICIPANT = n(IG.participant)
IN_PROJECT = n(IG.inProject)
PART_ROLE = n(IG.participationRole)
EC_CONTRIBUTION = n(IG.ecContribution)
OBJECTIVE = n(IG.objective)
FUNDED_UNDER = n(IG.fundedUnder)
FRAMEWORK = n(IG.framework)
ACTION_AREA = n(IG.actionArea)
EVIDENCE = n(IG.evidence)
CORDIS_RECORD = n(IG.cordisRecord)

XSD_DECIMAL = n(XSD.decimal)
XSD_INTEGER = n(XSD.integer)
XSD_BOOLEAN = n(XSD.boolean)
XSD_DATE = n(XSD.date)
XSD_DATETIME = n(XSD.dateTime)

PROV_NS = str(PROV)
TRUE = ox.Literal("true", datatype=XSD_BOOLEAN)
FALSE = ox.Literal("false", datatype=XSD_BOOLEAN)


def org_kind(notation: str) -> ox.NamedNode:
    return ox.NamedNode(f"{VOCAB}org-kind/{notation}")


def role(notation: str) -> ox.NamedNode:
    return ox.NamedNode(f"{VOCAB}role/{notation}")


def text(value: str) -> ox.Literal:
    return ox.Literal(value)


def decimal(value: object) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_DECIMAL)


def boolean(value: bool) -> ox.Literal:
    return TRUE if value else FALSE


def date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD_DATE)
