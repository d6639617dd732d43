"""Members' own records: organisation-bound keys, self-service offers and requests.

What other packages may use is named here (see DESIGN.md: a subpackage's ``__init__`` is its face)::

    check_binding      a key's organisation and region exist in the store (``innograph keys create``)
    RecordService      create / update / renew / withdraw / read / history of offers and requests
    Actor              who changes a record (key id, bound organisation, editor or not)
    matcher_follower   the hook that moves the matching indexes and the SPARQL replica with each change
"""

from graph.records._binding import check_binding
from graph.records._follow import matcher_follower, record_profile
from graph.records._model import STATUSES, Change, Kind, Record, member_graph
from graph.records._service import Actor, RecordService

__all__ = ["STATUSES", "Actor", "Change", "Kind", "Record", "RecordService", "check_binding", "matcher_follower",
           "member_graph", "record_profile"]
