"""Read models for the API: organisations, regions, search, labels, vocabularies.

organisation_profile, organisation_iri      one organisation's page (``_organisations``)
region_summary, KIND_GROUPS                 one region's page (``_regions``)
search, label_index, LabelIndex, Entity     label search over every resource (``_entities``)
display_label, pick_label, choose           the label rule (``_labels``)
list_schemes, scheme_concepts, resolve_codes  SKOS vocabularies (``_vocabularies``)
select                                      run one of the named queries of ``_queries``
Concepts                                    every concept's label, notation and parents (``_concepts``)
"""

from graph.views import _queries as entity_queries
from graph.views._concepts import Concepts
from graph.views._entities import Entity, LabelIndex, is_region, label_index, search
from graph.views._labels import (
    ORG_PREFIX,
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
from graph.views._queries import select
from graph.views._regions import KIND_GROUPS, region_codes, region_summary
from graph.views._vocabularies import list_schemes, resolve_codes, resolve_with, scheme_concepts, store_vocabularies

__all__ = [
    "KIND_GROUPS",
    "ORG_PREFIX",
    "PREF_LABEL",
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
    "region_codes",
    "region_summary",
    "resolve_codes",
    "resolve_with",
    "store_vocabularies",
    "scheme_concepts",
    "search",
    "select",
]
