"""The store and everything computed from it, one subpackage per capability.

    store/      the Oxigraph store, its generation key, statistics, export, the backend protocol
    sparql/     the SPARQL service (replica, formats, updates with PROV), a remote endpoint, one-shot queries
    cypher/     the property-graph projection and the Cypher engines over it (LadybugDB, Neo4j)
    views/      read models for the API: organisations, regions, search, labels, vocabularies
    matching/   supply-demand matching: profiles, embeddings, BM25, concept bridge, indexes, the matcher
    network/    the partnership network for brokers: analytics, metrics, supply-demand gaps
    operations/ private operational data kept out of the graph: expressions of interest, alert rows
    records/    members' own offers and requests: validation, PROV history, in-place index updates
    alerts/     saved needs: incremental evaluation, Atom feeds, allow-listed webhooks
    indicators/ regional monitoring for the development agencies, per region, county and year

Each subpackage is used through its ``__init__`` (its ``__all__``); its ``_modules`` are its own.
Imports point down: store <- sparql, views <- cypher, matching, operations <- network, records, alerts
<- indicators (tests/test_import_layers.py).
"""
