"""The ontology, shapes and SKOS vocabularies of innograph, and where to find them on disk."""

from ontology._files import ONTOLOGY_FILE, SHAPES_FILE, VOCAB_DIR, vocabulary_files
from ontology._namespaces import *
from ontology._namespaces import __all__ as _ns_all

__all__ = ["ONTOLOGY_FILE", "SHAPES_FILE", "VOCAB_DIR", "vocabulary_files", *_ns_all]  # noqa: PLE0604
