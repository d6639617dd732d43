"""Private operational data: what members do with the graph, kept out of it.

    OperationalStore, FILE_NAME, VERSION   the SQLite file beside the store (WAL, versioned schema) (``_store``)
    Interests, Party, Kind, REASONS        expressions of interest: send, inbox, accept/decline once (``_interest``)
    MAX_MESSAGE, MAX_NOTE                  the limits of their texts

Why apart from the RDF store: expressions of interest, contacts and saved needs are private to
their parties; anonymous SPARQL and Cypher read the whole graph, so these rows never enter it
(tests/api/test_interest.py and tests/api/test_alerts.py prove it). Alerts (``graph.alerts``)
keep their rows here too.
"""

from graph.operations._interest import MAX_MESSAGE, MAX_NOTE, REASONS, Interests, Kind, Party
from graph.operations._store import FILE_NAME, VERSION, OperationalStore

__all__ = ["FILE_NAME", "MAX_MESSAGE", "MAX_NOTE", "REASONS", "VERSION", "Interests", "Kind", "OperationalStore",
           "Party"]
