"""Read models for the API: organisations, regions, search, labels, vocabularies.

organisation_profile, organisation_iri      one organisation's page (``_organisations``)
region_summary, KIND_GROUPS                 one region's page (``_regions``)
search, label_index, LabelIndex, Entity     label search over every resource (``_entities``)
display_label, pick_label, choose           the label rule (``_labels``)
list_schemes, scheme_concepts, resolve_codes  SKOS vocabularies (``_vocabularies``)
record_owner, region_codes_of, RecordOwner  who owns an offer or request; an organisation's NUTS codes (``_owners``)
select                                      run one of the named queries of ``_queries``
"""

from graph.views import _queries as entity_queries
from graph.views._entities import Entity, LabelIndex, is_region, label_index, search
from graph.views._labels import (
    PREF_LABEL,
    ConceptRef,
    choose,
    concept_ref,
    display_label,
    is_placeholder,
    literals,
    pick_label,
)
from graph.views._organisations import organisation_iri, organisation_profile
from graph.views._owners import OwnedKind, RecordOwner, record_owner, region_codes_of
from graph.views._queries import select
from graph.views._regions import KIND_GROUPS, region_codes, region_summary
from graph.views._vocabularies import list_schemes, resolve_codes, scheme_concepts

__all__ = [
    "KIND_GROUPS",
    "PREF_LABEL",
    "OwnedKind",
    "RecordOwner",
    "ConceptRef",
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
    "scheme_concepts",
    "search",
    "select",
]
