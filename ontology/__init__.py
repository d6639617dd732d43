"""The ontology, shapes and SKOS vocabularies of innograph, the IRI scheme, and where to find them on disk.

    innograph.ttl, shapes.ttl, vocab/   OWL 2 terms, SHACL shapes, SKOS schemes (built by scripts/build_vocab.py)
    _namespaces    every term as a typed constant (re-exported here)
    _keys          the one IRI scheme: natural key <-> IRI (organisations, offers, requests, projects,
                   graphs; re-exported here), and the folding of names
    _vocab         vocabulary lookup by code or label (request codes, readers)

The bottom layer: it imports nothing of innograph but itself.
"""

from ontology._files import ONTOLOGY_FILE, SHAPES_FILE, VOCAB_DIR, vocabulary_files
from ontology._keys import (
    IRI_PREFIXES,
    ORG_PREFIX,
    entity_id,
    entity_iri,
    entity_prefix,
    graph_iri,
    org_iri,
    organisation_id,
    organisation_iri,
)
from ontology._namespaces import *  # noqa: F403  (the term constants, listed by its __all__)
from ontology._namespaces import __all__ as _ns_all

__all__ = [
    "IRI_PREFIXES", "ONTOLOGY_FILE", "ORG_PREFIX", "SHAPES_FILE", "VOCAB_DIR", "entity_id", "entity_iri",
    "entity_prefix", "graph_iri", "org_iri", "organisation_id", "organisation_iri", "vocabulary_files", *_ns_all,
]
