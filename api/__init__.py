"""The HTTP API (FastAPI): thin routes over ``graph`` and ``ingest``, pydantic schemas, auth, limits, warm-up.

    app.py       the application factory and start-up (load, warm-up, SPARQL replica)
    routes/      one router per resource (match, network, organisations, regions, search, sparql, cypher ...)
    schemas/     the request and response models
    deps.py      the dependency aliases (store, settings, caller); errors.py maps the exceptions to problem+json
"""
