"""Read models for the API: organisations, regions, search, labels, vocabularies.

organisation_profile, organisation_iri      one organisation's page (``_organisations``; its typed result:
    OrganisationProfile, ProjectRole ...        ``_organisation_model``, which the API's schemas derive from)
ConceptRef, EntityRef                       references as every read model and the API show them (``_labels``)
region_summary, KIND_GROUPS                 one region's page (``_regions``)
search, label_index, LabelIndex, Entity     label search over every resource (``_entities``)
display_label, pick_label, choose           the label rule (``_labels``)
list_schemes, scheme_concepts, resolve_codes  SKOS vocabularies (``_vocabularies``)
record_owner, region_codes_of, RecordOwner  who owns an offer or request; an organisation's NUTS codes (``_owners``)
select                                      run one of the named queries of ``_queries``
Concepts                                    every concept's label, notation and parents (``_concepts``)
"""

from graph.views import _queries as entity_queries
from graph.views._concepts import Concepts
from graph.views._entities import Entity, LabelIndex, MatchName, is_region, label_index, search
from graph.views._labels import (
    PREF_LABEL,
    ConceptRef,
    EntityRef,
    choose,
    concept_ref,
    display_label,
    is_placeholder,
    literals,
    pick_label,
)
from graph.views._organisation_model import (
    Membership,
    OfferOrRequest,
    OrganisationProfile,
    Partner,
    Placement,
    ProjectPage,
    ProjectRole,
)
from graph.views._organisations import organisation_iri, organisation_profile
from graph.views._owners import OwnedKind, RecordOwner, record_owner, region_codes_of
from graph.views._queries import select
from graph.views._regions import KIND_GROUPS, KindCount, RegionSummary, region_codes, region_summary
from graph.views._vocabularies import (
    ConceptInfo,
    SchemeInfo,
    list_schemes,
    resolve_codes,
    resolve_with,
    scheme_concepts,
    store_vocabularies,
)

__all__ = [
    "MatchName",
    "ConceptInfo",
    "SchemeInfo",
    "EntityRef",
    "Membership",
    "OfferOrRequest",
    "OrganisationProfile",
    "Partner",
    "Placement",
    "ProjectPage",
    "ProjectRole",
    "KIND_GROUPS",
    "KindCount",
    "RegionSummary",
    "PREF_LABEL",
    "OwnedKind",
    "RecordOwner",
    "ConceptRef",
    "Concepts",
    "Entity",
    "LabelIndex",
    "choose",
    "concept_ref",
    "display_label",
    "entity_queries",
    "is_placeholder",
    "is_region",
    "label_index",
    "list_schemes",
    "literals",
    "organisation_iri",
    "organisation_profile",
    "pick_label",
    "record_owner",
    "region_codes_of",
    "region_codes",
    "region_summary",
    "resolve_codes",
    "resolve_with",
    "store_vocabularies",
    "scheme_concepts",
    "search",
    "select",
]
