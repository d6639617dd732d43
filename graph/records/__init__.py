"""Members' own records: organisation-bound keys, self-service offers and requests.

What other packages may use is named here (see DESIGN.md: a subpackage's ``__init__`` is its face)::

    check_binding      a key's organisation and region exist in the store (``innograph keys create``)
    RecordService      create / update / renew / withdraw / read / history of offers and requests
    Actor              who changes a record (key id and pseudonym, bound organisation, editor or not)
    matcher_follower   the hook that moves the matching indexes and the SPARQL replica with each change
    record_profile     the matching profile of one offer or request
    edit_organisation  a member edits its own organisation's profile (``organisation_etag``, ``OwnProfile``)
    organisation_records  one organisation's offers and requests, by kind and status, a page at a time

Why the lazy attributes: ``innograph keys`` needs only ``check_binding``; importing the matcher
(numpy, ONNX Runtime, bm25s) for it made every CLI command start seconds later.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from graph.records._binding import check_binding

if TYPE_CHECKING:
    from graph.records._follow import matcher_follower, record_profile
    from graph.records._listing import organisation_records
    from graph.records._model import (
        MAX_CODES,
        MAX_DESCRIPTION,
        MAX_KEYWORD,
        MAX_KEYWORDS,
        MAX_TITLE,
        STATUSES,
        Change,
        Kind,
        Record,
        member_graph,
    )
    from graph.records._organisation import MAX_WEBSITE, OwnProfile, edit_organisation, organisation_etag
    from graph.records._service import Actor, RecordService

_LAZY = {"MAX_CODES": "_model", "MAX_DESCRIPTION": "_model", "MAX_KEYWORD": "_model", "MAX_KEYWORDS": "_model",
         "MAX_TITLE": "_model", "matcher_follower": "_follow", "record_profile": "_follow", "STATUSES": "_model", "Change": "_model",
         "Kind": "_model", "Record": "_model", "member_graph": "_model", "Actor": "_service",
         "RecordService": "_service", "MAX_WEBSITE": "_organisation", "OwnProfile": "_organisation",
         "edit_organisation": "_organisation", "organisation_etag": "_organisation",
         "organisation_records": "_listing"}

__all__ = ["MAX_CODES", "MAX_DESCRIPTION", "MAX_KEYWORD", "MAX_KEYWORDS", "MAX_TITLE", "STATUSES", "Actor", "Change", "Kind", "Record", "RecordService", "check_binding", "matcher_follower",
           "member_graph", "record_profile", "MAX_WEBSITE", "OwnProfile", "edit_organisation", "organisation_etag",
           "organisation_records"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"graph.records.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'graph.records' has no attribute {name!r}")
