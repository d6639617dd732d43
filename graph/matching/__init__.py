"""Semantic matching of supply and demand: profiles, embeddings, BM25, fusion, graph signals.

    Matcher, MatchContext, MatchFilters, MAX_TEXT   the matcher and its inputs (``_matcher``)
    MatchIndex, Concepts                            per-generation indexes (``_index``); the concept table (``graph.views``)
    Profile, Direction, build_profiles              supply and demand profiles read from the store
    organisation_profile_of                         one organisation's profile (its edit in place, graph.records)
    Embedder                                        sentence embeddings (ONNX MiniLM, multilingual E5) with a cache
    SavedQuery, save_query, score_batch, TOP        saved needs scored incrementally against new profiles (``_saved``)
    localise, localise_concepts, Lang               a match page's labels and summary in Romanian (``_localise``)

The network signal and its introduction paths read the one collaboration network of ``graph.network``.

Private modules: query understanding (``_query``, ``_language``, ``_concept_bridge``), lexical index
(``_lexical``), dense search in numpy (``_dense_scan``) or Neo4j (``_vector_neo4j``).
"""

from graph.matching import _profile_queries as profile_queries
from graph.matching._embeddings import Embedder
from graph.matching._index import MatchIndex
from graph.matching._lexical import passage_tokens, surface_terms
from graph.matching._localise import Lang, localise, localise_concepts
from graph.matching._matcher import MAX_TEXT, MatchContext, Matcher, MatchFilters
from graph.matching._profiles import (
    Direction,
    Profile,
    build_profiles,
    is_live,
    item_profile,
    organisation_profile_of,
)
from graph.matching._profiles import _facts as profile_facts
from graph.matching._saved import TOP, SavedQuery, save_query, score_batch
from graph.views import Concepts  # the concept table lives in graph.views; kept here for existing callers

__all__ = [
    "MAX_TEXT",
    "TOP",
    "Concepts",
    "Direction",
    "Embedder",
    "Lang",
    "MatchContext",
    "MatchFilters",
    "MatchIndex",
    "Matcher",
    "Profile",
    "SavedQuery",
    "build_profiles",
    "is_live",
    "item_profile",
    "localise",
    "localise_concepts",
    "organisation_profile_of",
    "passage_tokens",
    "profile_facts",
    "profile_queries",
    "save_query",
    "score_batch",
    "surface_terms",
]
