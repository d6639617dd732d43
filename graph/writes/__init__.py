"""What follows a write: the one ``after_write`` step every writer of the store calls.

    AfterWrite   the step of one process (the server's ``app.state.after_write``, or the CLI's)
    Write        what a writer says about its write (who, which profiles, bulk or not)

Writers: ``innograph ingest``, ``POST /ingest``, start-up loading, SPARQL update, the Graph
Store protocol, members' records. This room sits above alerts and the SPARQL service (it calls
both) and below ``api`` and ``cli`` (which call it).
"""

from graph.writes._after import AfterWrite, Write

__all__ = ["AfterWrite", "Write"]
