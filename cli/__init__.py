"""The ``innograph`` command: ingest, stats, query, match, export, Cypher, keys and ``serve`` (the API)."""
