"""The ingest pipeline: source files in, one validated named graph per source in the store.

    readers/      one reader per source kind (tabular CSV/JSON, RDF files, CORDIS extracts,
                  organisation directories): files in, validated records of the ontology out
    loading       ingest_path: read -> validate -> map -> SHACL -> write the source's graph atomically
    report        IngestReport: what one run did (printed by the CLI, returned by the API)
    provenance    the PROV record of each run, and the hash that makes a re-run a no-op
    shacl         SHACL shapes compiled to SPARQL checks (``_shacl_compile``)
    bundled       the sources shipped in ``data/`` and their graph names

Readers never touch the store; ``ingest.loading`` runs them and writes through ``graph.store``,
the one part of ``graph`` that ingest imports (and nothing in ``graph`` imports ingest).
"""
