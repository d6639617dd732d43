"""SPARQL updates and Graph Store writes with a PROV record, in the same request.

Why a PROV record for every update: the store's recovery (``GraphStore.recover``, run at
every open) removes any named graph that no PROV run ``prov:generated``, because that is
what a crashed first load of a source leaves behind. A graph created by a SPARQL update
has no ingest run, so without a record of its own it would be deleted at the next start.
Each update therefore runs as *one* update request (one transaction on Oxigraph)::

    <the client's update> ;
    INSERT DATA { GRAPH <.../graph/provenance> { <run> a ig:UpdateRun ; ...  } } ;
    INSERT { GRAPH <.../graph/provenance> { <run> prov:generated ?g } }
    WHERE  { every innograph graph that no run vouches for yet }

so the update and its record land together or not at all, and a graph the update created
(or whose record the update deleted) is vouched for by this run. Timestamps are literals,
not ``NOW()``, so replaying the same text on the in-memory replica gives the same data.

Refused, with the reason: ``LOAD`` and ``SERVICE`` (they would fetch from the network, in
the server process, with no time limit: ``graph.sparql._fetch_policy``), and writes to the
provenance graph by name.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from common.errors import InvalidInputError, PermissionDeniedError
from graph.sparql._execute import _code
from graph.sparql._fetch_policy import check_update as refuse_fetching_update
from graph.sparql._fetch_policy import protocol_tokens
from graph.store import PROVENANCE_GRAPH
from ontology import entity_iri
from ontology._namespaces import GRAPH, IG, PROV, RDF, XSD

#: The named-graph scan for remote stores: innograph's graphs only (not the store's own).
REMOTE_GRAPH_SCAN = f'{{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} }}'

#: Functions whose value differs between two executions: such updates are not replayed on the
#: replica (it reloads instead).
_NONDETERMINISTIC = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
_MAX_TEXT = 10_000
_DT = ox.NamedNode(str(XSD.dateTime))


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


@dataclass(frozen=True)
class UpdateRun:
    """The PROV activity of one write: its IRI, who sent it and when."""

    iri: ox.NamedNode
    agent: ox.NamedNode
    started: datetime

    @classmethod
    def new(cls, agent: str | None) -> UpdateRun:
        started = datetime.now(UTC)
        stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
        iri = entity_iri("run", "update", f"{stamp}-{secrets.token_hex(3)}")
        who = entity_iri("api-key", agent) if agent else entity_iri("agent", "anonymous")
        return cls(iri, who, started)

    def quads(self, text: str, generated: Sequence[ox.NamedNode] = ()) -> list[ox.Quad]:
        """The record: type, times (ended = now), agent, text, and the graphs it generated."""
        ended = datetime.now(UTC)
        g = PROVENANCE_GRAPH
        triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (self.iri, _n(RDF.type), _n(IG.UpdateRun)),
            (self.iri, _n(RDF.type), _n(PROV.Activity)),
            (self.iri, _n(PROV.startedAtTime), ox.Literal(self.started.isoformat(), datatype=_DT)),
            (self.iri, _n(PROV.endedAtTime), ox.Literal(ended.isoformat(), datatype=_DT)),
            (self.iri, _n(PROV.wasAssociatedWith), self.agent),
            (self.iri, _n(IG.updateText), ox.Literal(text[:_MAX_TEXT])),
        ]
        for graph in generated:
            triples += [(self.iri, _n(PROV.generated), graph), (graph, _n(RDF.type), _n(IG.SourceGraph)),
                        (graph, _n(PROV.wasGeneratedBy), self.iri)]
        return [ox.Quad(s, p, o, g) for s, p, o in triples]


def check_update(text: str, *, client_text: bool = True) -> None:
    """Refuse what the service does not run, with the reason (before anything is written)."""
    code = _code(text)
    if not code.strip():
        raise InvalidInputError("update", "the update is empty")
    if client_text:  # our own Graph Store texts are built from parsed triples: no keyword in them
        refuse_fetching_update(text)
    if PROVENANCE_GRAPH.value in text:
        raise PermissionDeniedError(
            f"{PROVENANCE_GRAPH.value} holds innograph's own records of every write and cannot be updated"
        )


def replayable(text: str) -> bool:
    """Whether running ``text`` again on a copy of the data gives the same data."""
    return not _NONDETERMINISTIC.search(_code(text))


def with_provenance(text: str, run: UpdateRun, *, note: str | None = None, graph_scan: str = "") -> str:
    """The client's update followed by its PROV record, as one update request.

    ``graph_scan`` lists the named graphs (``?g``): ``GRAPH ?g {}`` on Oxigraph (its graph
    index, every graph, since ``recover`` considers every graph); a remote store passes a
    pattern it evaluates well, limited to innograph's graphs (the only ones it recovers).
    """
    scan = graph_scan or "GRAPH ?g { }"
    record = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in run.quads(note or text))
    separator = "" if _code(text).rstrip().endswith(";") else " ;"
    prov, gen, typ = PROVENANCE_GRAPH, _n(PROV.generated), _n(RDF.type)
    return (
        f"{text.rstrip()}\n{separator}\n"
        f"INSERT DATA {{ GRAPH {prov} {{ {record} }} }} ;\n"
        f"INSERT {{ GRAPH {prov} {{ {run.iri} {gen} ?g . ?g {typ} {_n(IG.SourceGraph)} ; "
        f"{_n(PROV.wasGeneratedBy)} {run.iri} }} }}\n"
        f"WHERE {{ {scan} FILTER(?g != {prov}) "
        f"FILTER NOT EXISTS {{ GRAPH {prov} {{ ?other {gen} ?g }} }} }}"
    )


def graph_iri(value: str) -> ox.NamedNode:
    """A graph named in a request; the provenance graph is innograph's own."""
    try:
        graph = ox.NamedNode(value)
    except ValueError as exc:
        raise InvalidInputError("graph", f"not an absolute IRI: {exc}") from None
    return graph


def with_protocol_dataset(text: str, using: Sequence[str] = (), using_named: Sequence[str] = (),
                          base_iri: str | None = None) -> str:
    """The update as the SPARQL 1.1 Protocol asks it to run: relative IRIs resolved against the
    service (``base_iri``, a ``BASE`` before the client's own prologue, which may override it),
    and ``using-graph-uri`` / ``using-named-graph-uri`` as ``USING`` / ``USING NAMED`` before the
    ``WHERE`` of every operation that has one.

    The protocol forbids both a protocol dataset and ``USING`` / ``WITH`` in the update (400), and
    ``DELETE WHERE`` has no place for ``USING``: refused with the way round.

    >>> with_protocol_dataset("INSERT { ?s a <T> } WHERE { ?s a <U> }", ["http://g"])
    'INSERT { ?s a <T> } USING <http://g> WHERE { ?s a <U> }'
    """
    if using or using_named:
        graphs = [graph_iri(g) for g in using]
        named = [graph_iri(g) for g in using_named]
        clause = " ".join([f"USING {g}" for g in graphs] + [f"USING NAMED {g}" for g in named]) + " "
        inserts: list[int] = []
        depth, previous = 0, ""
        for kind, value, start in protocol_tokens(text):
            if kind == "other" and value == "{":
                depth += 1
            elif kind == "other" and value == "}":
                depth -= 1
            elif kind == "name" and depth == 0:
                word = value.upper()
                if word in ("USING", "WITH"):
                    raise InvalidInputError("using-graph-uri", f"the update names its dataset with {word}: send either "
                                            "that or using-graph-uri / using-named-graph-uri, not both")
                if word == "WHERE" and previous == "DELETE":
                    raise InvalidInputError("using-graph-uri", "DELETE WHERE cannot take a protocol dataset: write "
                                            "DELETE { pattern } WHERE { pattern }")
                if word == "WHERE":
                    inserts.append(start)
                previous = word
        if not inserts:
            raise InvalidInputError("using-graph-uri", "using-graph-uri / using-named-graph-uri set the dataset of "
                                    "an update's WHERE clause, and this update has none")
        for start in reversed(inserts):
            text = text[:start] + clause + text[start:]
    return f"BASE <{base_iri}>\n{text}" if base_iri else text
